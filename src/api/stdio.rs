//! Standard output and error for the current run, and the print macros.
//!
//! Handles are fetched with `get-stdout` / `get-stderr` the first time a run
//! writes, and dropped when the run ends, so every run writes to the pipes the
//! host gave *that* run. There is no buffer that outlives a call: a formatted
//! `print!` is assembled in a small stack buffer and written with one host
//! call (more only for long output), and text without arguments is written
//! directly. Nothing is ever left unflushed at the end of a run.
//!
//! A write to a closed or failed stream never panics or traps: the writer
//! returns [`IoError`], later writes to that stream in the same run are
//! dropped, and when the run ends `run` returns its error result. The next
//! run starts with fresh handles and no error.

pub use crate::platform::io::IoError;
use crate::platform::sys;
use core::fmt;

/// Stack buffer for one formatted print.
const LINE: usize = 512;

/// The current run's standard output. Get one with [`stdout`].
#[derive(Clone, Copy, Debug)]
pub struct Stdout(());

/// The current run's standard error. Get one with [`stderr`].
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

impl Stdout {
    /// Writes all of `bytes` to the host.
    #[inline(never)] // called from every print site; one copy is smaller
    pub fn write_all(&mut self, bytes: &[u8]) -> Result<(), IoError> {
        sys::write_stdout(bytes)
    }

    /// Nothing is buffered; reports an earlier failure of this run, if any.
    pub fn flush(&mut self) -> Result<(), IoError> {
        self.write_all(&[])
    }

    /// Writes all of `bytes` (WASI 0.3), waiting as the host takes them
    /// while other calls of the instance run; in order with the print
    /// macros' output.
    #[cfg(feature = "p3")]
    pub async fn write_async(&mut self, bytes: &[u8]) -> Result<(), IoError> {
        sys::stdio::write_async(sys::stdio::Which::Out, bytes).await
    }
}

impl Stderr {
    /// Writes all of `bytes` to the host.
    #[inline(never)] // called from every print site; one copy is smaller
    pub fn write_all(&mut self, bytes: &[u8]) -> Result<(), IoError> {
        sys::write_stderr(bytes)
    }

    /// Nothing is buffered; reports an earlier failure of this run, if any.
    pub fn flush(&mut self) -> Result<(), IoError> {
        self.write_all(&[])
    }

    /// Writes all of `bytes` (WASI 0.3), waiting as the host takes them
    /// while other calls of the instance run.
    #[cfg(feature = "p3")]
    pub async fn write_async(&mut self, bytes: &[u8]) -> Result<(), IoError> {
        sys::stdio::write_async(sys::stdio::Which::Err, bytes).await
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

/// Collects one formatted print on the stack and writes it in as few host
/// calls as possible.
struct Line<'a> {
    write: &'a mut dyn FnMut(&[u8]) -> Result<(), IoError>,
    len: usize,
    buf: [u8; LINE],
}

impl Line<'_> {
    fn flush(&mut self) -> fmt::Result {
        let len = core::mem::take(&mut self.len);
        match self.buf.get(..len) {
            Some(b) if len != 0 => (self.write)(b).map_err(|_| fmt::Error),
            _ => Ok(()),
        }
    }
}

impl fmt::Write for Line<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let bytes = s.as_bytes();
        if bytes.len() > LINE - self.len {
            self.flush()?;
        }
        match self.buf.get_mut(self.len..self.len + bytes.len()) {
            Some(dst) => {
                dst.copy_from_slice(bytes);
                self.len += bytes.len();
                Ok(())
            }
            None => (self.write)(bytes).map_err(|_| fmt::Error),
        }
    }
}

fn print_to(
    args: fmt::Arguments<'_>,
    newline: bool,
    write: &mut dyn FnMut(&[u8]) -> Result<(), IoError>,
) {
    let mut line = Line {
        write,
        len: 0,
        buf: [0; LINE],
    };
    let _ = fmt::Write::write_fmt(&mut line, args);
    if newline {
        let _ = fmt::Write::write_str(&mut line, "\n");
    }
    let _ = line.flush();
    // What was printed may be a secret of this run: leave no copy of it on
    // the stack for a later run to find.
    crate::platform::clear::scrub_slice(&mut line.buf);
}

/// One print: text without `{}` arguments is written directly (the compiler
/// folds `as_str` for literals), so programs that print only literals do not
/// link `core::fmt`'s formatting machinery; anything else is formatted into
/// a stack buffer and written in as few host calls as possible.
#[inline(always)]
fn emit(
    args: fmt::Arguments<'_>,
    newline: bool,
    mut write: impl FnMut(&[u8]) -> Result<(), IoError>,
) {
    match args.as_str() {
        Some(s) => {
            let _ = write(s.as_bytes());
            if newline {
                let _ = write(b"\n");
            }
        }
        None => print_to(args, newline, &mut write),
    }
}

/// Backs [`print!`](crate::print) and [`println!`](crate::println).
#[doc(hidden)]
#[inline(always)]
pub fn _print(args: fmt::Arguments<'_>, newline: bool) {
    emit(args, newline, |b| stdout().write_all(b));
}

/// Backs [`eprint!`](crate::eprint) and [`eprintln!`](crate::eprintln).
#[doc(hidden)]
#[inline(always)]
pub fn _eprint(args: fmt::Arguments<'_>, newline: bool) {
    emit(args, newline, |b| stderr().write_all(b));
}

/// Backs `println!` of a literal without braces: the text, newline
/// included, in one write.
#[doc(hidden)]
#[inline(always)]
pub fn _print_str(text: &'static str) {
    let _ = stdout().write_all(text.as_bytes());
}

/// Backs `eprintln!` of a literal without braces.
#[doc(hidden)]
#[inline(always)]
pub fn _eprint_str(text: &'static str) {
    let _ = stderr().write_all(text.as_bytes());
}

/// Whether a format string literal has no `{` or `}` at all, so that it
/// prints as itself (evaluated at compile time by the print macros).
#[doc(hidden)]
pub const fn plain(fmt: &str) -> bool {
    let bytes = fmt.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'{' || bytes[i] == b'}' {
            return false;
        }
        i += 1;
    }
    true
}

/// Writes one line to stderr (the SDK's own messages).
pub(crate) fn error_line(msg: &str) {
    let mut e = stderr();
    let _ = e.write_all(msg.as_bytes());
    let _ = e.write_all(b"\n");
}

/// Ends the run's stdio: drops both handles and reports whether all output
/// reached the host. A failure is reported through `run`'s error result
/// only: writing a line about it would put the stderr import into every
/// program, hello world included.
#[cfg(not(feature = "p3"))]
pub(crate) fn finish_run() -> bool {
    sys::finish_stdio()
}
