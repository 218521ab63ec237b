//! Standard output and error of one call on WASI 0.3: a `stream<u8>` per
//! stream, made on the call's first write and handed to the host with
//! `write-via-stream`, kept in the call's task header (so overlapping calls
//! never share one), closed when the call ends.
//!
//! * The print macros and `Stdout::write_all` write synchronously: each
//!   copy that the host does not take at once is waited for with
//!   `waitable-set.wait`, which blocks the whole instance (no other call
//!   runs) for as long as the host takes. Nothing is buffered.
//! * [`write_async`] copies into a buffer the sink owns and waits like any
//!   other future of the call, so other calls run meanwhile.
//! * When the call ends, [`close`] drops the writable end and waits for
//!   `write-via-stream`'s result, so that everything written reached the
//!   host before the call returns, and says whether it all did.

use super::abi;
use super::task::{Waiter, with_current};
use crate::platform::io::IoError;
use alloc::vec::Vec;
use core::future::Future;
use core::mem::ManuallyDrop;
use core::pin::Pin;
use core::task::{Context, Poll};

/// Whether the program ever wrote asynchronously ([`write_async`]): in one
/// that does not, nothing writes this, the optimiser folds every read of it
/// to `false`, and the synchronous path links none of the async one.
static ASYNC_WRITES: crate::platform::cell::Global<bool> =
    crate::platform::cell::Global::new(false);

/// Whether a copy of an async write may be pending on some sink.
fn async_writes() -> bool {
    // SAFETY: the closure only reads.
    unsafe { ASYNC_WRITES.try_with(|a| *a) }.unwrap_or(false)
}

/// Which of the two streams.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Which {
    Out,
    Err,
}

/// The two sinks of a call.
pub(crate) struct Sinks {
    out: Sink,
    err: Sink,
}

impl Sinks {
    pub(crate) const fn new() -> Sinks {
        Sinks {
            out: Sink::new(),
            err: Sink::new(),
        }
    }

    fn get(&mut self, which: Which) -> &mut Sink {
        match which {
            Which::Out => &mut self.out,
            Which::Err => &mut self.err,
        }
    }
}

/// One output stream of a call. All zero until the first write.
struct Sink {
    /// The writable end (0: not open).
    tx: u32,
    /// The readable end of `write-via-stream`'s result.
    result: u32,
    /// The host dropped the readable end, or reported an error.
    failed: bool,
    /// A copy out of `buf` (an async write's) is in progress.
    pending: bool,
    /// What async writes copy from (held without drop glue, so a program
    /// that never writes asynchronously links no deallocation: `free_buf`,
    /// set by the first async write, frees it).
    buf: ManuallyDrop<Vec<u8>>,
    sent: usize,
    free_buf: Option<fn(&mut Sink)>,
}

impl Sink {
    const fn new() -> Sink {
        Sink {
            tx: 0,
            result: 0,
            failed: false,
            pending: false,
            buf: ManuallyDrop::new(Vec::new()),
            sent: 0,
            free_buf: None,
        }
    }

    /// Opens the stream on first use: a new `stream<u8>`, whose readable end
    /// goes to the host through `write-via-stream`.
    fn open(&mut self, which: Which) {
        if self.tx != 0 {
            return;
        }
        // SAFETY: a new stream; its readable end is passed on (consumed)
        // and the writable end is this sink's.
        unsafe {
            let pair = abi::bytes_new();
            let rx = pair as u32;
            self.tx = (pair >> 32) as u32;
            self.result = match which {
                Which::Out => abi::stdout_write_via_stream(rx),
                Which::Err => abi::stderr_write_via_stream(rx),
            };
        }
    }

    /// Accounts for a finished copy out of `buf`.
    fn copied(&mut self, code: u32) {
        self.pending = false;
        let n = (code >> 4) as usize;
        self.sent = (self.sent + n).min(self.buf.len());
        if code & 0xf == abi::DROPPED {
            self.failed = true;
        }
        if self.sent == self.buf.len() || self.failed {
            crate::platform::clear::scrub_slice(&mut self.buf);
            self.buf.clear();
            self.sent = 0;
        }
    }

    /// Writes `bytes` before returning (see the module docs).
    fn write_blocking(&mut self, which: Which, bytes: &[u8]) -> Result<(), IoError> {
        if self.failed {
            return Err(IoError::Failed);
        }
        self.open(which);
        if async_writes() && self.pending {
            let code = super::task::block_on_event(self.tx);
            self.copied(code);
        }
        let mut rest = bytes;
        while !rest.is_empty() && !self.failed {
            // SAFETY: `rest` stays valid for the whole copy: a blocked copy
            // is waited for right here.
            let mut code =
                unsafe { abi::bytes_write(self.tx, rest.as_ptr().cast_mut(), rest.len()) };
            if code == abi::BLOCKED {
                code = super::task::block_on_event(self.tx);
            }
            let n = ((code >> 4) as usize).min(rest.len());
            rest = rest.get(n..).unwrap_or(&[]);
            if code & 0xf == abi::DROPPED {
                self.failed = true;
            }
        }
        if self.failed {
            Err(IoError::Closed)
        } else {
            Ok(())
        }
    }

    /// Drops the writable end (cancelling a copy left pending) and hands
    /// back the result's readable end, if the stream was opened.
    fn take_ends(&mut self) -> Option<u32> {
        if self.tx == 0 {
            return None;
        }
        if async_writes() && self.pending {
            // SAFETY: a copy out of `buf` is pending; leaving every set
            // and cancelling synchronously returns once the host is done
            // with it.
            let code = unsafe {
                abi::waitable_join(self.tx, 0);
                abi::bytes_cancel_write(self.tx)
            };
            self.copied(code);
        }
        // SAFETY: the end is ours and no copy is pending.
        unsafe { abi::bytes_drop_writable(self.tx) };
        self.tx = 0;
        if let Some(free) = self.free_buf.take() {
            free(self);
        }
        Some(core::mem::take(&mut self.result))
    }
}

/// Writes `bytes` to the running call's stdout or stderr, synchronously.
pub(crate) fn write(which: Which, bytes: &[u8]) -> Result<(), IoError> {
    with_current(|t| t.stdio.get(which).write_blocking(which, bytes))
        .unwrap_or(Err(IoError::Failed))
}

/// Writes `bytes` to the running call's stdout or stderr; other calls run
/// while the host takes them.
pub(crate) fn write_async(which: Which, bytes: &[u8]) -> WriteAsync<'_> {
    // SAFETY: the closure only stores.
    unsafe { ASYNC_WRITES.try_with(|a| *a = true) };
    WriteAsync {
        which,
        bytes,
        copied: false,
        waiter: None,
    }
}

/// A write of [`write_async`] in progress.
pub(crate) struct WriteAsync<'a> {
    which: Which,
    bytes: &'a [u8],
    copied: bool,
    waiter: Option<Waiter>,
}

impl Future for WriteAsync<'_> {
    type Output = Result<(), IoError>;

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: only the waiter is pinned, and it is never moved out of
        // `self` while set.
        let this = unsafe { self.get_unchecked_mut() };
        loop {
            if let Some(w) = this.waiter.as_mut() {
                // SAFETY: `this` is pinned, so is the waiter in it.
                match unsafe { Pin::new_unchecked(w) }.poll() {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(code) => {
                        this.waiter = None;
                        with_current(|t| t.stdio.get(this.which).copied(code));
                    }
                }
            }
            let which = this.which;
            let copied = &mut this.copied;
            let bytes = this.bytes;
            let step = with_current(|t| {
                let sink = t.stdio.get(which);
                if sink.failed {
                    return Step::Done(Err(IoError::Closed));
                }
                sink.open(which);
                if sink.pending {
                    return Step::Wait(sink.tx); // another write's copy
                }
                if !*copied {
                    if sink.buf.try_reserve(bytes.len()).is_err() {
                        return Step::Done(Err(IoError::OutOfMemory));
                    }
                    sink.buf.extend_from_slice(bytes);
                    sink.free_buf = Some(|s: &mut Sink| {
                        crate::platform::clear::scrub_slice(&mut s.buf);
                        // SAFETY: this `buf` is not used again: it is
                        // replaced right after (this runs from `take_ends`,
                        // with no copy pending).
                        unsafe { ManuallyDrop::drop(&mut s.buf) };
                        s.buf = ManuallyDrop::new(Vec::new());
                    });
                    *copied = true;
                }
                if sink.buf.is_empty() {
                    return Step::Done(Ok(()));
                }
                let rest = sink.buf.len() - sink.sent;
                let at = sink.buf.as_mut_ptr().wrapping_add(sink.sent);
                // SAFETY: `at..at + rest` is in the buffer the sink owns,
                // which is not changed or freed while the copy is pending
                // (`take_ends` cancels a pending copy first).
                let code = unsafe { abi::bytes_write(sink.tx, at, rest) };
                if code == abi::BLOCKED {
                    sink.pending = true;
                    return Step::Wait(sink.tx);
                }
                sink.copied(code);
                Step::Again
            })
            .unwrap_or(Step::Done(Err(IoError::Failed)));
            match step {
                Step::Done(r) => return Poll::Ready(r),
                Step::Wait(tx) => this.waiter = Some(Waiter::new(tx)),
                Step::Again => {}
            }
        }
    }
}

/// What [`WriteAsync::poll`] does next.
enum Step {
    Done(Result<(), IoError>),
    Wait(u32),
    Again,
}

/// Closes both streams of the running call and waits until the host has
/// everything (`write-via-stream`'s result); `true` if all output of the
/// call reached it. The wait blocks the instance: by then the host has
/// taken every byte, and only has to finish writing them.
pub(crate) fn close() -> bool {
    close_one(Which::Out) & close_one(Which::Err)
}

/// [`close`] for one stream.
#[inline(never)]
fn close_one(which: Which) -> bool {
    let Some((result, failed)) = with_current(|t| {
        let sink = t.stdio.get(which);
        let failed = sink.failed;
        (sink.take_ends(), failed)
    }) else {
        return true;
    };
    let Some(result) = result else {
        return !failed;
    };
    // `result<_, error-code>`: case byte, then the code.
    let mut value = [0u8; 2];
    const _: () = assert!(abi::CLI_RESULT_READ_PAYLOAD.0 == 2);
    // SAFETY: `value` has the payload's size and stays valid until the copy
    // ends (waited for right here); the end is ours and dropped after.
    unsafe {
        let mut code = abi::cli_result_read(result, value.as_mut_ptr());
        if code == abi::BLOCKED {
            code = super::task::block_on_event(result);
        }
        abi::cli_result_drop_readable(result);
        !failed && code & 0xf == 0 && value[0] == 0
    }
}

/// Closes both streams of the running call without waiting (a call that
/// was cancelled): the result futures are dropped unread.
pub(crate) fn close_now() {
    for which in [Which::Out, Which::Err] {
        let result = with_current(|t| t.stdio.get(which).take_ends()).flatten();
        if let Some(result) = result {
            // SAFETY: the readable end is ours; dropping it unread is
            // allowed.
            unsafe { abi::cli_result_drop_readable(result) };
        }
    }
}

/// A stderr stream of the panic handler's own (it never borrows the call's
/// sinks, whose borrow the panic may have interrupted), written
/// synchronously and never closed: the instance traps right after.
#[cfg(any(feature = "panic-handler", feature = "panic-trap"))]
pub(crate) struct PanicStderr(Sink);

#[cfg(any(feature = "panic-handler", feature = "panic-trap"))]
impl PanicStderr {
    pub(crate) fn open() -> Self {
        PanicStderr(Sink::new())
    }
}

#[cfg(any(feature = "panic-handler", feature = "panic-trap"))]
impl core::fmt::Write for PanicStderr {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        self.0
            .write_blocking(Which::Err, s.as_bytes())
            .map_err(|_| core::fmt::Error)
    }
}
