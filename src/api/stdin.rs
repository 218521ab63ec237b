//! [`Stdin`] on WASI 0.2: blocking reads of the run's `input-stream`.

use super::context::Context;
use crate::platform::alloc::try_append;
use crate::platform::bindings::wasi::io::streams::InputStream;
use crate::platform::io::IoError;
use crate::platform::sys;
use alloc::string::String;
use alloc::vec::Vec;

/// What a [`Context`] keeps of stdin once asked for it.
pub(crate) type StdinState = InputStream;

/// The current run's standard input, from [`Context::stdin`].
pub struct Stdin<'a> {
    stream: &'a InputStream,
}

impl<'a> Stdin<'a> {
    /// The run's stdin, fetched on first use.
    pub(super) fn of(cx: &'a Context) -> Self {
        Stdin {
            // SAFETY: the fetch only calls the host.
            stream: unsafe {
                cx.stdin
                    .get(crate::platform::bindings::wasi::cli::stdin::get_stdin)
            },
        }
    }
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
