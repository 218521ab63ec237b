//! [`Context`]: what one run gets from the host, fetched lazily and released
//! when the run ends.

use super::args::{Args, Env};
use super::fs::Dir;
use super::stdio::IoError;
use crate::platform::abi::{RawList, RawStr};
use crate::platform::alloc::try_append;
use crate::platform::bindings::wasi::filesystem::types::Descriptor;
use crate::platform::bindings::wasi::io::streams::InputStream;
use crate::platform::cell::Fetched;
use crate::platform::sys;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::Cell;
use core::mem::ManuallyDrop;

/// The per-run context handed to [`PerInstance::init`](crate::PerInstance::init)
/// and to every call ([`Program::run`](crate::Program::run), ...).
///
/// Arguments, environment, stdin and the preopened directories are fetched
/// from the host the first time the run asks for them (a program that never
/// asks imports nothing for them) and are released when the run ends, so the
/// next run sees only its own.
pub struct Context {
    args: Fetched<RawList<RawStr>>,
    env: Fetched<RawList<[RawStr; 2]>>,
    stdin: Fetched<InputStream>,
    /// Held without drop glue, so that a program that never asks for its
    /// preopens does not link the descriptor's drop (which would import
    /// `wasi:filesystem`); [`Context::release`] drops them.
    preopens: Fetched<ManuallyDrop<Vec<(Descriptor, String)>>>,
    /// Set by the first fetch of something without drop glue: how to let go
    /// of it when the run ends.
    release: Cell<Option<fn(&mut Context)>>,
}

impl Drop for Context {
    fn drop(&mut self) {
        if let Some(release) = self.release.take() {
            release(self);
        }
    }
}

impl Context {
    pub(crate) fn new() -> Self {
        Self {
            args: Fetched::new(),
            env: Fetched::new(),
            stdin: Fetched::new(),
            preopens: Fetched::new(),
            release: Cell::new(None),
        }
    }

    /// The run's arguments; by convention the first is the program name.
    /// They are read in place, where the host wrote them: no allocation.
    pub fn args(&self) -> Args<'_> {
        // SAFETY: the fetch only calls the host.
        Args::new(unsafe { self.args.get(sys::get_arguments) })
    }

    /// The run's environment variables, read in place like [`Context::args`].
    pub fn env(&self) -> Env<'_> {
        // SAFETY: the fetch only calls the host.
        Env::new(unsafe { self.env.get(sys::get_environment) })
    }

    /// The value of the environment variable `name`, if set for this run.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.env().var(name)
    }

    /// The run's preopened directories and the guest paths the host mounted
    /// them at (`/`, `data`, ...), fetched from the host on first use
    /// (`wasi:filesystem/preopens`) and released when the run ends.
    pub fn preopens(&self) -> impl ExactSizeIterator<Item = (&str, Dir<'_>)> + '_ {
        self.preopen_list()
            .iter()
            .map(|(fd, path)| (path.as_str(), Dir::borrowed(fd)))
    }

    /// The preopened directory the host mounted at `path` (exactly as the
    /// host named it, e.g. `/` or `.`), if the run has one.
    pub fn dir(&self, path: &str) -> Option<Dir<'_>> {
        self.preopens().find(|(p, _)| *p == path).map(|(_, d)| d)
    }

    fn preopen_list(&self) -> &Vec<(Descriptor, String)> {
        // SAFETY: the fetch sets `release` (a plain `Cell`, not the
        // preopens) and calls the host.
        unsafe {
            self.preopens.get(|| {
                self.release.set(Some(|cx: &mut Context| {
                    if let Some(list) = cx.preopens.take() {
                        drop(ManuallyDrop::into_inner(list));
                    }
                }));
                ManuallyDrop::new(sys::receive_owned(
                    crate::platform::bindings::wasi::filesystem::preopens::get_directories,
                ))
            })
        }
    }

    /// The run's standard input.
    pub fn stdin(&self) -> Stdin<'_> {
        Stdin {
            // SAFETY: the fetch only calls the host.
            stream: unsafe {
                self.stdin
                    .get(crate::platform::bindings::wasi::cli::stdin::get_stdin)
            },
        }
    }
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
    ///
    /// If memory runs out, this returns [`IoError::OutOfMemory`] instead of
    /// aborting the instance: `out` keeps what it held before the chunk that
    /// did not fit (that chunk, at most 16 KiB, is dropped), and the run goes
    /// on.
    pub fn read_to_end(&mut self, out: &mut Vec<u8>) -> Result<usize, IoError> {
        read_stream_to_end(self.stream, out)
    }

    /// Reads until end of input, appending to `out`. Input that is not UTF-8
    /// is an [`IoError::InvalidUtf8`] and leaves `out` unchanged; running out
    /// of memory is [`IoError::OutOfMemory`], likewise.
    pub fn read_to_string(&mut self, out: &mut String) -> Result<usize, IoError> {
        let mut bytes = Vec::new();
        self.read_to_end(&mut bytes)?;
        let s = String::from_utf8(bytes).map_err(|_| IoError::InvalidUtf8)?;
        out.try_reserve(s.len()).map_err(|_| IoError::OutOfMemory)?;
        out.push_str(&s);
        Ok(s.len())
    }

    /// One blocking read of at most `len` bytes, handed to `sink`.
    fn read_with(&mut self, len: u64, sink: impl FnOnce(&[u8])) -> Result<usize, IoError> {
        read_stream(self.stream, len, sink)
    }
}

/// One blocking read of at most `len` bytes from `stream`, handed to `sink`;
/// `Ok(0)` at the end. In no_std builds the host wrote them into the import
/// arena; releasing it right after (which also zeroes them) means reading a
/// long input never grows the arena past one chunk.
pub(crate) fn read_stream(
    stream: &InputStream,
    len: u64,
    sink: impl FnOnce(&[u8]),
) -> Result<usize, IoError> {
    let mark = sys::mark();
    let result = sys::blocking_read(stream.handle(), len).map(|bytes| {
        sink(bytes.items());
        bytes.items().len()
    });
    sys::release(mark);
    result
}

/// Reads `stream` to its end into `out` (see [`Stdin::read_to_end`]).
pub(crate) fn read_stream_to_end(
    stream: &InputStream,
    out: &mut Vec<u8>,
) -> Result<usize, IoError> {
    let start = out.len();
    let mut full = false;
    while read_stream(stream, CHUNK, |bytes| full = !try_append(out, bytes))? != 0 {
        if full {
            return Err(IoError::OutOfMemory);
        }
    }
    Ok(out.len() - start)
}
