//! [`Context`]: what one run gets from the host, fetched lazily and released
//! when the run ends.

use crate::bindings::wasi::io::streams::{InputStream, StreamError};
use crate::mem::imports;
use crate::stdio::IoError;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::OnceCell;

/// The per-run context handed to [`Program::init`](crate::Program::init) and
/// [`Program::run`](crate::Program::run).
///
/// Arguments, environment and stdin are fetched from the host the first time
/// the run asks for them (a program that never asks imports nothing for them)
/// and are dropped when the run ends, so the next run sees only its own.
pub struct Context {
    args: OnceCell<Vec<String>>,
    env: OnceCell<Vec<(String, String)>>,
    stdin: OnceCell<InputStream>,
}

impl Context {
    pub(crate) fn new() -> Self {
        Self {
            args: OnceCell::new(),
            env: OnceCell::new(),
            stdin: OnceCell::new(),
        }
    }

    /// The run's arguments; by convention the first is the program name.
    pub fn args(&self) -> &[String] {
        self.args.get_or_init(|| {
            imports::enable();
            crate::bindings::wasi::cli::environment::get_arguments()
        })
    }

    /// The run's environment variables as `(name, value)` pairs.
    pub fn env(&self) -> &[(String, String)] {
        self.env.get_or_init(|| {
            imports::enable();
            crate::bindings::wasi::cli::environment::get_environment()
        })
    }

    /// The value of the environment variable `name`, if set for this run.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.env()
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The run's standard input.
    pub fn stdin(&self) -> Stdin<'_> {
        Stdin {
            stream: self
                .stdin
                .get_or_init(crate::bindings::wasi::cli::stdin::get_stdin),
        }
    }
}

impl Drop for Context {
    fn drop(&mut self) {
        // Lists the host handed us live in the import arena, which is reset
        // right after this; they must not reach the global allocator.
        if let Some(v) = self.args.take() {
            received(v);
        }
        if let Some(v) = self.env.take() {
            received(v);
        }
    }
}

/// Lets go of a value whose heap memory the host allocated through
/// `cabi_realloc`: forgotten when that memory is the import arena (freed in
/// bulk), dropped normally with `std`.
fn received<T>(v: T) {
    #[cfg(guest_rt)]
    core::mem::forget(v);
    #[cfg(not(guest_rt))]
    drop(v);
}

/// The current run's standard input, from [`Context::stdin`].
pub struct Stdin<'a> {
    stream: &'a InputStream,
}

/// Bytes asked of the host per read in [`Stdin::read_to_end`].
const CHUNK: u64 = 16 * 1024;

impl Stdin<'_> {
    /// Reads up to `buf.len()` bytes, blocking until at least one is
    /// available. `Ok(0)` means end of input.
    pub fn read(&mut self, buf: &mut [u8]) -> Result<usize, IoError> {
        if buf.is_empty() {
            return Ok(0);
        }
        self.read_with(buf.len() as u64, |bytes| {
            buf[..bytes.len()].copy_from_slice(bytes);
        })
    }

    /// Reads until end of input, appending to `out`; returns the bytes read.
    pub fn read_to_end(&mut self, out: &mut Vec<u8>) -> Result<usize, IoError> {
        let start = out.len();
        while self.read_with(CHUNK, |bytes| out.extend_from_slice(bytes))? != 0 {}
        Ok(out.len() - start)
    }

    /// Reads until end of input, appending to `out`. Input that is not UTF-8
    /// is an [`IoError::InvalidUtf8`] and leaves `out` unchanged.
    pub fn read_to_string(&mut self, out: &mut String) -> Result<usize, IoError> {
        let mut bytes = Vec::new();
        self.read_to_end(&mut bytes)?;
        let s = String::from_utf8(bytes).map_err(|_| IoError::InvalidUtf8)?;
        out.push_str(&s);
        Ok(s.len())
    }

    /// One blocking read of at most `len` bytes, handed to `sink`; the host's
    /// buffer is released right after, so reading a long input does not grow
    /// the import arena.
    fn read_with(&mut self, len: u64, sink: impl FnOnce(&[u8])) -> Result<usize, IoError> {
        imports::enable();
        let mark = imports::mark();
        let result = match self.stream.blocking_read(len) {
            Ok(bytes) => {
                let n = bytes.len();
                sink(&bytes);
                received(bytes);
                Ok(n)
            }
            Err(StreamError::Closed) => Ok(0),
            Err(e) => Err(IoError::from(e)),
        };
        imports::release(mark);
        result
    }
}
