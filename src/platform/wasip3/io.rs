//! Copies on WASI 0.3 streams and futures, and waiting for a subtask, as
//! futures of the running task (`task::Waiter`).
//!
//! The host copies into or out of our memory *while the task is suspended*,
//! so the memory of a copy in progress must stay valid until the copy ends,
//! even if the future that started it is forgotten rather than dropped.
//! Every buffer a copy uses therefore belongs to the stream end itself
//! ([`ReadEnd`], [`WriteEnd`], heap memory that does not move), not to the
//! caller; a future that is dropped cancels its copy (synchronously, so the
//! host is done with the buffer when `drop` returns), and an end that is
//! dropped with a copy still pending (its future was forgotten) cancels it
//! before it frees the buffer.

use super::abi;
use super::task::Waiter;
use crate::platform::io::IoError;
use alloc::vec::Vec;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

/// The built-ins of one stream type (`stream<u8>` as the host knows it
/// through one interface's function).
#[derive(Clone, Copy)]
#[cfg_attr(not(feature = "http"), allow(dead_code))]
pub(crate) struct Stream {
    pub(crate) read: unsafe extern "C" fn(u32, *mut u8, usize) -> u32,
    pub(crate) write: unsafe extern "C" fn(u32, *mut u8, usize) -> u32,
    pub(crate) cancel_read: unsafe extern "C" fn(u32) -> u32,
    pub(crate) cancel_write: unsafe extern "C" fn(u32) -> u32,
    pub(crate) drop_readable: unsafe extern "C" fn(u32),
    pub(crate) drop_writable: unsafe extern "C" fn(u32),
}

/// `stream<u8>` through `wasi:cli/stdout.write-via-stream` (stdio).
pub(crate) const CLI_BYTES: Stream = Stream {
    read: abi::bytes_read,
    write: abi::bytes_write,
    cancel_read: abi::bytes_cancel_read,
    cancel_write: abi::bytes_cancel_write,
    drop_readable: abi::bytes_drop_readable,
    drop_writable: abi::bytes_drop_writable,
};

/// How much a read asks the host for at most.
const READ_CHUNK: usize = 16 * 1024;

/// Cancels the copy pending on `handle` and returns its final code. The
/// end leaves any waitable set first (a synchronous cancel of a joined end
/// traps); its waiter, if still linked, gets no event.
///
/// # Safety
/// A copy is pending on `handle`, and `cancel` is its end's cancel built-in.
unsafe fn cancel(handle: u32, cancel: unsafe extern "C" fn(u32) -> u32) -> u32 {
    // SAFETY: the caller's promise; leaving all sets is always allowed.
    unsafe {
        abi::waitable_join(handle, 0);
        cancel(handle)
    }
}

/// The status and count of a finished copy.
fn split(code: u32) -> (u32, usize) {
    (code & 0xf, (code >> 4) as usize)
}

/// The readable end of a byte stream, with the buffer the host copies into.
pub(crate) struct ReadEnd {
    handle: u32,
    ops: Stream,
    /// Bytes the host delivered and the reader has not taken yet.
    buf: Vec<u8>,
    /// Where the untaken bytes of `buf` start.
    taken: usize,
    /// A copy into `buf`'s spare capacity is in progress.
    pending: bool,
    /// The writer dropped its end: after `buf`, nothing more comes.
    ended: bool,
}

impl ReadEnd {
    /// Owns the readable end `handle`.
    pub(crate) fn new(handle: u32, ops: Stream) -> ReadEnd {
        ReadEnd {
            handle,
            ops,
            buf: Vec::new(),
            taken: 0,
            pending: false,
            ended: false,
        }
    }

    /// Reads into `out` (`Ok(0)`: the end of the stream, or `out` is
    /// empty). Bytes the host delivered beyond `out`'s length are kept for
    /// the next read: nothing is lost.
    pub(crate) fn read<'a>(&'a mut self, out: &'a mut [u8]) -> Read<'a> {
        Read {
            end: self,
            out,
            waiter: None,
        }
    }

    /// Moves what is buffered into `out`; how many bytes.
    fn take_into(&mut self, out: &mut [u8]) -> usize {
        let have = self.buf.get(self.taken..).unwrap_or(&[]);
        let n = have.len().min(out.len());
        if let (Some(dst), Some(src)) = (out.get_mut(..n), have.get(..n)) {
            dst.copy_from_slice(src);
        }
        self.taken += n;
        if self.taken == self.buf.len() {
            crate::platform::clear::scrub_slice(&mut self.buf);
            self.buf.clear();
            self.taken = 0;
        }
        n
    }

    /// Starts a copy into the spare capacity; the code, or `BLOCKED`.
    fn start(&mut self) -> Result<u32, IoError> {
        if self.buf.try_reserve(READ_CHUNK).is_err() {
            return Err(IoError::OutOfMemory);
        }
        let spare = self.buf.capacity() - self.buf.len();
        let at = self.buf.as_mut_ptr().wrapping_add(self.buf.len());
        // SAFETY: `at..at + spare` is the buffer's spare capacity, owned by
        // this end and not moved or freed while the copy is pending (the
        // buffer is not touched until `finish`, and `Drop` cancels first).
        let code = unsafe { (self.ops.read)(self.handle, at, spare) };
        self.pending = code == abi::BLOCKED;
        Ok(code)
    }

    /// Accounts for a finished copy.
    fn finish(&mut self, code: u32) {
        self.pending = false;
        let (status, n) = split(code);
        let spare = self.buf.capacity() - self.buf.len();
        // The host may not report more than it was given room for; a host
        // that does is not believed beyond the room.
        let n = n.min(spare);
        // SAFETY: the host initialised `n` bytes of the spare capacity.
        unsafe { self.buf.set_len(self.buf.len() + n) };
        if status == abi::DROPPED {
            self.ended = true;
        }
    }
}

impl Drop for ReadEnd {
    fn drop(&mut self) {
        if self.pending {
            // SAFETY: a copy into the buffer is pending on this end; the
            // synchronous cancel returns once the host is done with it.
            let code = unsafe { cancel(self.handle, self.ops.cancel_read) };
            self.finish(code);
        }
        crate::platform::clear::scrub_slice(&mut self.buf);
        // SAFETY: the end is ours and no copy is pending.
        unsafe { (self.ops.drop_readable)(self.handle) };
    }
}

/// A read in progress (see [`ReadEnd::read`]).
pub(crate) struct Read<'a> {
    end: &'a mut ReadEnd,
    out: &'a mut [u8],
    waiter: Option<Waiter>,
}

impl Future for Read<'_> {
    type Output = Result<usize, IoError>;

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: only the waiter is pinned; it is never moved out of
        // `self` while set (it is replaced only after it was delivered).
        let this = unsafe { self.get_unchecked_mut() };
        loop {
            if let Some(w) = this.waiter.as_mut() {
                // SAFETY: `this` is pinned, so is the waiter inside it.
                match unsafe { Pin::new_unchecked(w) }.poll() {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(code) => {
                        this.waiter = None;
                        this.end.finish(code);
                    }
                }
            }
            if this.out.is_empty() {
                return Poll::Ready(Ok(0));
            }
            let n = this.end.take_into(this.out);
            if n > 0 || this.end.ended {
                return Poll::Ready(Ok(n));
            }
            if this.end.pending {
                // A copy a forgotten read started: wait for it.
                this.waiter = Some(Waiter::new(this.end.handle));
                continue;
            }
            let code = match this.end.start() {
                Ok(code) => code,
                Err(e) => return Poll::Ready(Err(e)),
            };
            if code == abi::BLOCKED {
                this.waiter = Some(Waiter::new(this.end.handle));
            } else {
                this.end.finish(code);
            }
        }
    }
}

impl Drop for Read<'_> {
    fn drop(&mut self) {
        let waiting = self.waiter.take().is_some_and(|w| w.is_linked());
        if waiting && self.end.pending {
            // SAFETY: the copy is pending on this end (its waiter, dropped
            // above, unlinked itself); cancelling returns once the host is
            // done with the buffer.
            let code = unsafe { cancel(self.end.handle, self.end.ops.cancel_read) };
            self.end.finish(code);
        }
    }
}

/// The writable end of a byte stream, with the buffer the host copies from
/// (HTTP response bodies).
#[cfg_attr(not(feature = "http"), allow(dead_code))]
pub(crate) struct WriteEnd {
    handle: u32,
    ops: Stream,
    /// What is being written; the host copies out of it.
    buf: Vec<u8>,
    /// How much of `buf` the host has taken.
    sent: usize,
    /// A copy out of `buf` is in progress.
    pending: bool,
    /// The reader dropped its end.
    closed: bool,
}

#[cfg_attr(not(feature = "http"), allow(dead_code))]
impl WriteEnd {
    /// Owns the writable end `handle`.
    pub(crate) fn new(handle: u32, ops: Stream) -> WriteEnd {
        WriteEnd {
            handle,
            ops,
            buf: Vec::new(),
            sent: 0,
            pending: false,
            closed: false,
        }
    }

    /// Writes all of `bytes`, waiting as the host takes them; other calls
    /// run meanwhile. `Err(Closed)` if the reader went away first.
    pub(crate) fn write_all<'a>(&'a mut self, bytes: &'a [u8]) -> WriteAll<'a> {
        WriteAll {
            end: self,
            bytes,
            waiter: None,
            copied: false,
        }
    }

    /// Starts a copy of what is left of `buf`; the code, or `BLOCKED`.
    fn start(&mut self) -> u32 {
        let rest = self.buf.len() - self.sent;
        let at = self.buf.as_mut_ptr().wrapping_add(self.sent);
        // SAFETY: `at..at + rest` is in the buffer this end owns, which is
        // not changed or freed while the copy is pending.
        let code = unsafe { (self.ops.write)(self.handle, at, rest) };
        self.pending = code == abi::BLOCKED;
        code
    }

    /// Accounts for a finished copy.
    fn copied(&mut self, code: u32) {
        self.pending = false;
        let (status, n) = split(code);
        self.sent = (self.sent + n).min(self.buf.len());
        if status == abi::DROPPED {
            self.closed = true;
        }
        if self.sent == self.buf.len() || self.closed {
            crate::platform::clear::scrub_slice(&mut self.buf);
            self.buf.clear();
            self.sent = 0;
        }
    }
}

impl Drop for WriteEnd {
    fn drop(&mut self) {
        if self.pending {
            // SAFETY: a copy out of the buffer is pending on this end; the
            // synchronous cancel returns once the host is done with it.
            let code = unsafe { cancel(self.handle, self.ops.cancel_write) };
            self.copied(code);
        }
        crate::platform::clear::scrub_slice(&mut self.buf);
        // SAFETY: the end is ours and no copy is pending.
        unsafe { (self.ops.drop_writable)(self.handle) };
    }
}

/// A write in progress (see [`WriteEnd::write_all`]).
#[cfg_attr(not(feature = "http"), allow(dead_code))]
pub(crate) struct WriteAll<'a> {
    end: &'a mut WriteEnd,
    bytes: &'a [u8],
    waiter: Option<Waiter>,
    /// Whether `bytes` was copied into the end's buffer.
    copied: bool,
}

impl Future for WriteAll<'_> {
    type Output = Result<(), IoError>;

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: as for `Read::poll`.
        let this = unsafe { self.get_unchecked_mut() };
        loop {
            if let Some(w) = this.waiter.as_mut() {
                // SAFETY: `this` is pinned, so is the waiter inside it.
                match unsafe { Pin::new_unchecked(w) }.poll() {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(code) => {
                        this.waiter = None;
                        this.end.copied(code);
                    }
                }
            }
            if this.end.pending {
                // A copy a forgotten write started: wait for it first.
                this.waiter = Some(Waiter::new(this.end.handle));
                continue;
            }
            if this.end.closed {
                return Poll::Ready(Err(IoError::Closed));
            }
            if !this.copied {
                if this.end.buf.try_reserve(this.bytes.len()).is_err() {
                    return Poll::Ready(Err(IoError::OutOfMemory));
                }
                this.end.buf.extend_from_slice(this.bytes);
                this.copied = true;
            }
            if this.end.buf.is_empty() {
                return Poll::Ready(Ok(()));
            }
            let code = this.end.start();
            if code == abi::BLOCKED {
                this.waiter = Some(Waiter::new(this.end.handle));
            } else {
                this.end.copied(code);
            }
        }
    }
}

impl Drop for WriteAll<'_> {
    fn drop(&mut self) {
        let waiting = self.waiter.take().is_some_and(|w| w.is_linked());
        if waiting && self.end.pending {
            // SAFETY: as for `Read`'s drop.
            let code = unsafe { cancel(self.end.handle, self.end.ops.cancel_write) };
            self.end.copied(code);
        }
    }
}

/// An async-lowered import call in progress: waits until it returned.
pub(crate) struct Subtask {
    handle: u32,
    waiter: Option<Waiter>,
}

impl Subtask {
    /// The status an `[async-lower]` call returned.
    pub(crate) fn new(status: u32) -> Subtask {
        let (code, handle) = (status & 0xf, status >> 4);
        Subtask {
            handle: if code == abi::RETURNED { 0 } else { handle },
            waiter: None,
        }
    }
}

impl Future for Subtask {
    type Output = ();

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        // SAFETY: as for `Read::poll`.
        let this = unsafe { self.get_unchecked_mut() };
        while this.handle != 0 {
            let w = this.waiter.get_or_insert_with(|| Waiter::new(this.handle));
            // SAFETY: `this` is pinned, so is the waiter inside it.
            match unsafe { Pin::new_unchecked(w) }.poll() {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(status) => {
                    this.waiter = None;
                    if status & 0xf == abi::RETURNED {
                        // SAFETY: the subtask is ours and resolved.
                        unsafe { abi::subtask_drop(this.handle) };
                        this.handle = 0;
                    }
                }
            }
        }
        Poll::Ready(())
    }
}

impl Drop for Subtask {
    fn drop(&mut self) {
        if self.handle != 0 {
            // The waiter must be out of the set before the cancel.
            self.waiter = None;
            // SAFETY: the subtask is ours and not resolved; the cancel
            // (out of any set first) returns once it is, and then it may be
            // dropped.
            unsafe {
                cancel(self.handle, abi::subtask_cancel);
                abi::subtask_drop(self.handle);
            }
        }
    }
}
