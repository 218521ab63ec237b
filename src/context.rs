//! [`Context`]: what one run gets from the host, fetched lazily and released
//! when the run ends.

use crate::bindings::wasi::io::streams::{InputStream, StreamError};
use crate::lists::{self, Args, Env, RawList, RawStr};
use crate::mem::imports;
use crate::stdio::IoError;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::UnsafeCell;

/// The per-run context handed to [`Program::init`](crate::Program::init) and
/// [`Program::run`](crate::Program::run).
///
/// Arguments, environment and stdin are fetched from the host the first time
/// the run asks for them (a program that never asks imports nothing for them)
/// and are released when the run ends, so the next run sees only its own.
pub struct Context {
    args: Fetched<RawList<RawStr>>,
    env: Fetched<RawList<[RawStr; 2]>>,
    stdin: Fetched<InputStream>,
}

/// A value fetched from the host on first use. Like `OnceCell`, minus its
/// re-entrancy check (and the panic path it links): the fetch functions are
/// this crate's own import calls and never reach the cell again.
struct Fetched<T>(UnsafeCell<Option<T>>);

impl<T> Fetched<T> {
    const fn new() -> Self {
        Self(UnsafeCell::new(None))
    }

    fn get(&self, fetch: impl FnOnce() -> T) -> &T {
        // SAFETY: only shared references are handed out, and the `&mut`
        // below is created only while the slot is `None`, i.e. before any
        // of them exists. `fetch` cannot reach `self` (it only calls the
        // host) and `Context` is not `Sync`, so nothing else writes meanwhile.
        unsafe {
            if let Some(v) = &*self.0.get() {
                return v;
            }
            let slot = &mut *self.0.get();
            slot.insert(fetch())
        }
    }
}

impl Context {
    pub(crate) fn new() -> Self {
        Self {
            args: Fetched::new(),
            env: Fetched::new(),
            stdin: Fetched::new(),
        }
    }

    /// The run's arguments; by convention the first is the program name.
    /// They are read in place, where the host wrote them: no allocation.
    pub fn args(&self) -> Args<'_> {
        Args::new(self.args.get(lists::get_arguments))
    }

    /// The run's environment variables, read in place like [`Context::args`].
    pub fn env(&self) -> Env<'_> {
        Env::new(self.env.get(lists::get_environment))
    }

    /// The value of the environment variable `name`, if set for this run.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.env().var(name)
    }

    /// The run's standard input.
    pub fn stdin(&self) -> Stdin<'_> {
        imports::enable();
        Stdin {
            stream: self.stdin.get(crate::bindings::wasi::cli::stdin::get_stdin),
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
            if let Some(dst) = buf.get_mut(..bytes.len()) {
                dst.copy_from_slice(bytes);
            }
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

    /// One blocking read of at most `len` bytes, handed to `sink`. The host
    /// wrote them into the import arena; rewinding it right after means
    /// reading a long input never grows the arena past one chunk.
    fn read_with(&mut self, len: u64, sink: impl FnOnce(&[u8])) -> Result<usize, IoError> {
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
        imports::release(&mark);
        result
    }
}
