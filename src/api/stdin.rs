//! [`Stdin`] on WASI 0.2: blocking reads of the run's `input-stream`.

use super::context::Context;
use crate::platform::alloc::try_append;
use crate::platform::bindings::wasi::io::streams::InputStream;
use crate::platform::io::IoError;
use crate::platform::sys;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::Cell;
use core::mem::ManuallyDrop;

/// What a [`Context`] keeps of stdin once asked for it.
pub(crate) type StdinState = Source;

/// An input stream and the bytes a host sent beyond what a read asked for
/// (`blocking-read(len)` must return at most `len` bytes; a host that
/// returns more has them kept here for the next read, so nothing is lost).
/// Both stdin and HTTP request bodies read through it.
pub(crate) struct Source {
    stream: InputStream,
    /// Over-delivered bytes, oldest first; empty (no allocation) with a host
    /// that keeps to the contract. Freed, and so cleared, with the stream.
    extra: Cell<ManuallyDrop<Vec<u8>>>,
    /// Frees `extra`: a no-op until the first read (the only code that can
    /// fill it) points it at [`Source::free_extra`]. Dropping a `Vec` in
    /// `Drop` directly would link the allocator's free into every program,
    /// since every `Context` drops its `Source` slot; through this pointer
    /// only programs that read do.
    free: Cell<fn(&Source)>,
}

impl Drop for Source {
    fn drop(&mut self) {
        (self.free.get())(self);
    }
}

impl Source {
    /// Wraps `stream`, nothing kept yet.
    pub(crate) fn new(stream: InputStream) -> Self {
        Source {
            stream,
            extra: Cell::new(ManuallyDrop::new(Vec::new())),
            free: Cell::new(|_| {}),
        }
    }

    /// Frees the kept bytes (the allocator clears what it frees).
    fn free_extra(&self) {
        drop(ManuallyDrop::into_inner(self.extra.take()));
    }

    /// Reads up to `buf.len()` bytes into `buf` (kept bytes first); the
    /// count is never more than `buf.len()`. `Ok(0)` at the end of input.
    pub(crate) fn read(&self, buf: &mut [u8]) -> Result<usize, IoError> {
        if buf.is_empty() {
            return Ok(0);
        }
        self.free.set(Source::free_extra);
        let mut extra = ManuallyDrop::into_inner(self.extra.take());
        let result = if extra.is_empty() {
            let mut kept = Ok(());
            let n = read_stream(&self.stream, buf.len() as u64, |bytes| {
                let (now, later) = bytes.split_at(bytes.len().min(buf.len()));
                if let Some(dst) = buf.get_mut(..now.len()) {
                    dst.copy_from_slice(now);
                }
                if !later.is_empty() && !try_append(&mut extra, later) {
                    kept = Err(IoError::OutOfMemory);
                }
            })?;
            kept.map(|()| n.min(buf.len()))
        } else {
            let n = extra.len().min(buf.len());
            if let (Some(dst), Some(src)) = (buf.get_mut(..n), extra.get(..n)) {
                dst.copy_from_slice(src);
            }
            extra.copy_within(n.., 0);
            extra.truncate(extra.len() - n);
            Ok(n)
        };
        self.extra.set(ManuallyDrop::new(extra));
        result
    }

    /// Reads to the end of input, appending to `out` (see
    /// [`Stdin::read_to_end`]).
    pub(crate) fn read_to_end(&self, out: &mut Vec<u8>) -> Result<usize, IoError> {
        let start = out.len();
        self.free.set(Source::free_extra);
        let extra = ManuallyDrop::into_inner(self.extra.take());
        if !try_append(out, &extra) {
            self.extra.set(ManuallyDrop::new(extra));
            return Err(IoError::OutOfMemory);
        }
        drop(extra);
        let mut full = false;
        while read_stream(&self.stream, CHUNK, |bytes| full = !try_append(out, bytes))? != 0 {
            if full {
                return Err(IoError::OutOfMemory);
            }
        }
        Ok(out.len() - start)
    }

    /// Reads one line, up to and including `\n` (or the rest of the input
    /// at its end), appending it to `out`; returns its length, 0 at the end
    /// of input. The host is read in [`CHUNK`]s; what follows the line is
    /// kept for the next read, so memory holds one chunk and one line, never
    /// the whole input. On an error, `out` keeps what was read of the line.
    pub(crate) fn read_line(&self, out: &mut Vec<u8>) -> Result<usize, IoError> {
        self.free.set(Source::free_extra);
        let mut extra = ManuallyDrop::into_inner(self.extra.take());
        let start = out.len();
        let result = loop {
            if let Some(end) = extra.iter().position(|&b| b == b'\n') {
                let line = extra.get(..=end).unwrap_or_default();
                if !try_append(out, line) {
                    break Err(IoError::OutOfMemory);
                }
                extra.copy_within(end + 1.., 0);
                extra.truncate(extra.len() - (end + 1));
                break Ok(out.len() - start);
            }
            if !try_append(out, &extra) {
                break Err(IoError::OutOfMemory);
            }
            extra.clear();
            let mut full = false;
            match read_stream(&self.stream, CHUNK, |bytes| {
                full = !try_append(&mut extra, bytes)
            }) {
                Ok(0) => break Ok(out.len() - start),
                Ok(_) if full => break Err(IoError::OutOfMemory),
                Ok(_) => {}
                Err(e) => break Err(e),
            }
        };
        self.extra.set(ManuallyDrop::new(extra));
        result
    }
}

/// The current run's standard input, from [`Context::stdin`].
pub struct Stdin<'a> {
    source: &'a Source,
}

impl<'a> Stdin<'a> {
    /// The run's stdin, fetched on first use.
    pub(super) fn of(cx: &'a Context) -> Self {
        Stdin {
            // SAFETY: the fetch only calls the host.
            source: unsafe {
                cx.stdin
                    .get(|| Source::new(crate::platform::bindings::wasi::cli::stdin::get_stdin()))
            },
        }
    }
}

/// Bytes asked of the host per read in [`Stdin::read_to_end`].
const CHUNK: u64 = 16 * 1024;

impl<'a> Stdin<'a> {
    /// Reads up to `buf.len()` bytes, blocking until at least one is
    /// available. `Ok(0)` means end of input.
    ///
    /// What a host can do wrong, and what happens: bytes beyond `buf.len()`
    /// (a host that returns more than a read asked for) are kept for the
    /// next read, never lost, and the count is never more than `buf.len()`;
    /// a read that returns no bytes without closing the stream counts as the
    /// end of input (no busy loop); an error from the host is
    /// [`IoError::Failed`], after which reading again asks the host again.
    pub fn read(&mut self, buf: &mut [u8]) -> Result<usize, IoError> {
        self.source.read(buf)
    }

    /// Reads until end of input, appending to `out`; returns the bytes read.
    ///
    /// If memory runs out, this returns [`IoError::OutOfMemory`] instead of
    /// aborting the instance: `out` keeps what it held before the chunk that
    /// did not fit (that chunk, at most 16 KiB, is dropped), and the run goes
    /// on. On a host error ([`IoError::Failed`]) `out` keeps every byte read
    /// before it.
    pub fn read_to_end(&mut self, out: &mut Vec<u8>) -> Result<usize, IoError> {
        self.source.read_to_end(out)
    }

    /// Reads one line, up to and including its `\n` (the last line may
    /// have none), appending it to `out`; returns its length in bytes, `Ok(0)`
    /// at the end of input, like std's `BufRead::read_line`. Input is read in
    /// 16 KiB chunks and what follows the line is kept for the next read, so
    /// memory never holds the whole input. A line that is not UTF-8 is an
    /// [`IoError::InvalidUtf8`] (the line is consumed, `out` unchanged).
    pub fn read_line(&mut self, out: &mut String) -> Result<usize, IoError> {
        let mut bytes = Vec::new();
        let n = self.source.read_line(&mut bytes)?;
        let line = String::from_utf8(bytes).map_err(|_| IoError::InvalidUtf8)?;
        out.try_reserve(line.len())
            .map_err(|_| IoError::OutOfMemory)?;
        out.push_str(&line);
        Ok(n)
    }

    /// The lines of the input, each without its `\n` (and a `\r` before
    /// it), as [`Stdin::read_line`] reads them; an error ends the iteration
    /// after it is returned.
    pub fn lines(self) -> Lines<'a> {
        Lines { stdin: Some(self) }
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
}

/// One blocking read of at most `len` bytes from `stream`, handed to `sink`
/// (which gets whatever the host returned, even past `len`); returns how
/// many bytes that was, `Ok(0)` at the end. In no_std builds the host wrote
/// them into the import arena; releasing it right after (which also zeroes
/// them) means reading a long input never grows the arena past one chunk.
fn read_stream(stream: &InputStream, len: u64, sink: impl FnOnce(&[u8])) -> Result<usize, IoError> {
    let mark = sys::mark();
    let result = sys::blocking_read(stream.handle(), len).map(|bytes| {
        sink(bytes.items());
        bytes.items().len()
    });
    sys::release(mark);
    result
}

/// The lines of stdin, from [`Stdin::lines`].
pub struct Lines<'a> {
    stdin: Option<Stdin<'a>>,
}

impl Iterator for Lines<'_> {
    type Item = Result<String, IoError>;

    fn next(&mut self) -> Option<Self::Item> {
        let stdin = self.stdin.as_mut()?;
        let mut line = String::new();
        match stdin.read_line(&mut line) {
            Ok(0) => {
                self.stdin = None;
                None
            }
            Ok(_) => {
                if line.ends_with('\n') {
                    line.pop();
                    if line.ends_with('\r') {
                        line.pop();
                    }
                }
                Some(Ok(line))
            }
            Err(e) => {
                self.stdin = None;
                Some(Err(e))
            }
        }
    }
}
