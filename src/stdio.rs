//! Standard output and error for the current run, and the print macros.
//!
//! Handles are fetched with `get-stdout` / `get-stderr` the first time a run
//! writes, and dropped when the run ends, so every run writes to the pipes the
//! host gave *that* run. Stdout is buffered (1 KiB, flushed when full, by
//! [`Stdout::flush`] and at the end of every run); stderr is written through.
//!
//! A write to a closed or failed stream never panics or traps: the writer
//! returns [`IoError`], later writes in the same run are dropped, and at the
//! end of the run the SDK writes one line to stderr saying output was lost and
//! makes `run` return its error result.

use crate::cell::Exclusive;
use core::fmt;
use wasi::io::streams::{OutputStream, StreamError};

const BUF: usize = 1024;
/// `blocking-write-and-flush` accepts at most 4096 bytes per call.
const MAX_WRITE: usize = 4096;

/// Why a read or write failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum IoError {
    /// The stream is closed (for output: the reader went away).
    Closed = 1,
    /// The host reported an error on the stream.
    Failed = 2,
    /// Input was not valid UTF-8 (from [`Stdin::read_to_string`](crate::Stdin::read_to_string)).
    InvalidUtf8 = 3,
}

/// A sticky stream error stored as a byte, 0 for none: keeps the stdio
/// statics all-zero at start (in `.bss`, not in the binary's data).
#[derive(Clone, Copy)]
struct Failure(u8);

impl Failure {
    fn get(self) -> Result<(), IoError> {
        match self.0 {
            0 => Ok(()),
            1 => Err(IoError::Closed),
            _ => Err(IoError::Failed),
        }
    }
}

impl fmt::Display for IoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IoError::Closed => "stream closed",
            IoError::Failed => "stream operation failed",
            IoError::InvalidUtf8 => "input is not valid UTF-8",
        })
    }
}

impl core::error::Error for IoError {}

impl From<StreamError> for IoError {
    fn from(e: StreamError) -> Self {
        match e {
            StreamError::Closed => IoError::Closed,
            StreamError::LastOperationFailed(_) => IoError::Failed,
        }
    }
}

/// An output stream of the current run, opened on first write.
struct Sink {
    stream: Option<OutputStream>,
    error: Failure,
}

impl Sink {
    const fn new() -> Self {
        Self {
            stream: None,
            error: Failure(0),
        }
    }

    fn send(&mut self, bytes: &[u8], open: fn() -> OutputStream) -> Result<(), IoError> {
        self.error.get()?;
        let stream = self.stream.get_or_insert_with(open);
        for chunk in bytes.chunks(MAX_WRITE) {
            if let Err(e) = stream.blocking_write_and_flush(chunk) {
                let e = IoError::from(e);
                self.error = Failure(e as u8);
                return Err(e);
            }
        }
        Ok(())
    }

    /// Drops the handle and says whether every write of the run reached the
    /// host.
    fn close(&mut self) -> bool {
        self.stream = None;
        core::mem::replace(&mut self.error, Failure(0))
            .get()
            .is_ok()
    }
}

/// Stdout: a sink behind a buffer. All fields start zeroed, so the buffer is
/// in `.bss` and costs no bytes in the binary.
struct Out {
    sink: Sink,
    len: usize,
    buf: [u8; BUF],
}

const OPEN_STDOUT: fn() -> OutputStream = wasi::cli::stdout::get_stdout;
const OPEN_STDERR: fn() -> OutputStream = wasi::cli::stderr::get_stderr;

impl Out {
    fn flush(&mut self) -> Result<(), IoError> {
        let len = core::mem::take(&mut self.len);
        match self.buf.get(..len) {
            Some(pending) if len != 0 => self.sink.send(pending, OPEN_STDOUT),
            _ => self.sink.error.get(),
        }
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), IoError> {
        if bytes.len() > BUF - self.len {
            self.flush()?;
        }
        // Written with `get_mut` so that no panic path (and no `core::fmt`)
        // is linked into every program that prints.
        match self.buf.get_mut(self.len..self.len + bytes.len()) {
            Some(dst) if bytes.len() < BUF => {
                dst.copy_from_slice(bytes);
                self.len += bytes.len();
                Ok(())
            }
            _ => self.sink.send(bytes, OPEN_STDOUT),
        }
    }

    fn close(&mut self) -> bool {
        let _ = self.flush();
        self.sink.close()
    }
}

static STDOUT: Exclusive<Out> = Exclusive::new(Out {
    sink: Sink::new(),
    len: 0,
    buf: [0; BUF],
});
static STDERR: Exclusive<Sink> = Exclusive::new(Sink::new());

/// The current run's standard output (buffered). Get one with [`stdout`].
#[derive(Clone, Copy, Debug)]
pub struct Stdout(());

/// The current run's standard error (unbuffered). Get one with [`stderr`].
#[derive(Clone, Copy, Debug)]
pub struct Stderr(());

/// A handle to the current run's standard output.
pub fn stdout() -> Stdout {
    Stdout(())
}

/// A handle to the current run's standard error.
pub fn stderr() -> Stderr {
    Stderr(())
}

// A write that finds the stream already borrowed can only come from this
// crate's own code (no user code runs while it is held); treat it as failed.
const BUSY: IoError = IoError::Failed;

impl Stdout {
    /// Writes all of `bytes` (into the buffer, flushing as needed).
    pub fn write_all(&mut self, bytes: &[u8]) -> Result<(), IoError> {
        STDOUT.try_with(|o| o.write(bytes)).unwrap_or(Err(BUSY))
    }

    /// Writes the buffered bytes to the host.
    pub fn flush(&mut self) -> Result<(), IoError> {
        STDOUT.try_with(|o| o.flush()).unwrap_or(Err(BUSY))
    }
}

impl Stderr {
    /// Writes all of `bytes`.
    pub fn write_all(&mut self, bytes: &[u8]) -> Result<(), IoError> {
        STDERR
            .try_with(|o| o.send(bytes, OPEN_STDERR))
            .unwrap_or(Err(BUSY))
    }

    /// Stderr is unbuffered; this only reports an earlier failure.
    pub fn flush(&mut self) -> Result<(), IoError> {
        STDERR.try_with(|o| o.error.get()).unwrap_or(Err(BUSY))
    }
}

impl fmt::Write for Stdout {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.write_all(s.as_bytes()).map_err(|_| fmt::Error)
    }
}

impl fmt::Write for Stderr {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.write_all(s.as_bytes()).map_err(|_| fmt::Error)
    }
}

/// Backs [`print!`](crate::print). Text without arguments is written directly,
/// so printing literals does not link `core::fmt`'s formatting machinery.
#[doc(hidden)]
#[inline(always)]
pub fn _print(args: fmt::Arguments<'_>) {
    match args.as_str() {
        Some(s) => {
            let _ = stdout().write_all(s.as_bytes());
        }
        None => {
            let _ = fmt::Write::write_fmt(&mut stdout(), args);
        }
    }
}

/// Backs [`eprint!`](crate::eprint).
#[doc(hidden)]
#[inline(always)]
pub fn _eprint(args: fmt::Arguments<'_>) {
    match args.as_str() {
        Some(s) => {
            let _ = stderr().write_all(s.as_bytes());
        }
        None => {
            let _ = fmt::Write::write_fmt(&mut stderr(), args);
        }
    }
}

/// Writes one line to stderr (for the SDK's own messages).
pub(crate) fn error_line(msg: &str) {
    let mut e = stderr();
    let _ = e.write_all(msg.as_bytes());
    let _ = e.write_all(b"\n");
}

/// Flushes stdout if it can be reached (used before trapping).
#[cfg_attr(not(guest_rt), allow(dead_code))]
pub(crate) fn flush_stdout() {
    let _ = stdout().flush();
}

/// Ends the run's stdio: flushes, drops both handles and reports whether all
/// output reached the host (after writing one line to stderr if stdout lost
/// some).
pub(crate) fn finish_run() -> bool {
    let out_ok = STDOUT.try_with(Out::close).unwrap_or(false);
    if !out_ok {
        error_line("wasi-guest: writing to stdout failed during this run; output was lost");
    }
    let err_ok = STDERR.try_with(Sink::close).unwrap_or(false);
    out_ok && err_ok
}
