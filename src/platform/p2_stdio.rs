//! Standard output and error on WASI 0.2 (`wasip2`, `wasip2_std`): one
//! [`Sink`] per stream, opened on the call's first write
//! (`get-stdout`/`get-stderr`) and dropped when the call ends, every write a
//! `blocking-write-and-flush`, so nothing is ever buffered.

use super::bindings::wasi::io::streams::{OutputStream, StreamError};
use super::cell::Global;
use super::io::IoError;
use core::mem::ManuallyDrop;

/// `blocking-write-and-flush` accepts at most 4096 bytes per call.
const MAX_WRITE: usize = 4096;

impl From<StreamError> for IoError {
    fn from(e: StreamError) -> Self {
        match e {
            StreamError::Closed => IoError::Closed,
            StreamError::LastOperationFailed(_) => IoError::Failed,
        }
    }
}

/// An output stream of the current run, opened on first write. Starts all
/// zero (`.bss`, no bytes in the binary).
///
/// The stream is kept as its raw handle (0: not open; the canonical ABI never
/// hands out handle 0) rather than `Option<OutputStream>`: same meaning,
/// less code in every program that prints.
pub(crate) struct Sink {
    handle: u32,
    /// Sticky error of this run: 0 none, else an `IoError` discriminant.
    error: u8,
}

impl Sink {
    const fn new() -> Self {
        Self {
            handle: 0,
            error: 0,
        }
    }

    fn send(&mut self, bytes: &[u8], open: fn() -> OutputStream) -> Result<(), IoError> {
        if self.error != 0 {
            return Err(IoError::Failed);
        }
        if self.handle == 0 {
            self.handle = ManuallyDrop::new(open()).handle();
        }
        // SAFETY: `handle` is an output-stream handle this sink owns (taken
        // from `open` above, dropped only in `close`); `ManuallyDrop` keeps
        // this temporary from dropping it.
        let stream = ManuallyDrop::new(unsafe { OutputStream::from_handle(self.handle) });
        let mut rest = bytes;
        while !rest.is_empty() {
            // `split_at_checked`: no panic path (hence no formatting) linked.
            let (chunk, tail) = rest.split_at_checked(MAX_WRITE).unwrap_or((rest, &[]));
            if let Err(e) = stream.blocking_write_and_flush(chunk) {
                let e = IoError::from(e);
                self.error = e as u8;
                return Err(e);
            }
            rest = tail;
        }
        Ok(())
    }

    /// Drops the handle; says whether every write of the run reached the host.
    fn close(&mut self) -> bool {
        let handle = core::mem::take(&mut self.handle);
        if handle != 0 {
            // SAFETY: the sink owned this handle; it is dropped exactly once.
            drop(unsafe { OutputStream::from_handle(handle) });
        }
        core::mem::take(&mut self.error) == 0
    }
}

static STDOUT: Global<Sink> = Global::new(Sink::new());
static STDERR: Global<Sink> = Global::new(Sink::new());

// A write that finds the stream already borrowed can only come from this
// crate's own code (no user code runs while it is held); treat it as failed.
const BUSY: Result<(), IoError> = Err(IoError::Failed);

/// Writes all of `bytes` to the call's stdout.
#[inline(always)]
pub(crate) fn write_stdout(bytes: &[u8]) -> Result<(), IoError> {
    // SAFETY: `send` calls only the host (generated code that panics on a
    // bad result traps: the panic handler writes through a handle of its
    // own, never through this sink).
    unsafe { STDOUT.try_with(|s| s.send(bytes, super::bindings::wasi::cli::stdout::get_stdout)) }
        .unwrap_or(BUSY)
}

/// Writes all of `bytes` to the call's stderr.
#[inline(always)]
pub(crate) fn write_stderr(bytes: &[u8]) -> Result<(), IoError> {
    // SAFETY: as for `write_stdout`.
    unsafe { STDERR.try_with(|s| s.send(bytes, super::bindings::wasi::cli::stderr::get_stderr)) }
        .unwrap_or(BUSY)
}

/// Ends the call's stdio: drops both handles and reports whether all output
/// reached the host.
pub(crate) fn finish() -> bool {
    // SAFETY: `close` only drops a handle (a host call).
    let out_ok = unsafe { STDOUT.try_with(Sink::close) }.unwrap_or(false);
    // SAFETY: as above.
    let err_ok = unsafe { STDERR.try_with(Sink::close) }.unwrap_or(false);
    out_ok && err_ok
}

/// A stderr stream of the panic handler's own (with `std`, of the panic
/// hook's), so it never borrows the call's stderr sink, whose borrow the
/// panic may have interrupted. It is never closed: the instance traps right
/// after the report.
#[cfg(any(feature = "std", feature = "panic-handler", feature = "panic-trap"))]
pub(crate) struct PanicStderr(Sink);

#[cfg(any(feature = "std", feature = "panic-handler", feature = "panic-trap"))]
impl PanicStderr {
    pub(crate) fn open() -> Self {
        PanicStderr(Sink::new())
    }
}

#[cfg(any(feature = "std", feature = "panic-handler", feature = "panic-trap"))]
impl core::fmt::Write for PanicStderr {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        self.0
            .send(s.as_bytes(), super::bindings::wasi::cli::stderr::get_stderr)
            .map_err(|_| core::fmt::Error)
    }
}
