//! [`File`], [`OpenOptions`] and [`SeekFrom`].

use super::held::Held;
use super::{Error, Metadata};
use crate::platform::bindings::wasi::filesystem::types::{
    Descriptor, DescriptorFlags, ErrorCode, OpenFlags, PathFlags,
};
use crate::platform::bindings::wasi::io::streams::{OutputStream, StreamError};
use crate::platform::sys as mem;
use alloc::string::String;
use alloc::vec::Vec;
use core::marker::PhantomData;

/// Bytes asked of the host per read when reading a file to its end.
const CHUNK: u64 = 64 * 1024;
/// `blocking-write-and-flush` accepts at most 4096 bytes per call.
const MAX_STREAM_WRITE: usize = 4096;

/// How to open a file, like `std::fs::OpenOptions`; pass it to
/// [`Dir::open_with`](super::Dir::open_with).
///
/// `new()` asks for nothing; set at least `read`, `write` or `append`.
/// Symbolic links in the path are followed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OpenOptions {
    read: bool,
    write: bool,
    append: bool,
    create: bool,
    create_new: bool,
    truncate: bool,
}

impl OpenOptions {
    /// No access, no creation.
    pub const fn new() -> Self {
        OpenOptions {
            read: false,
            write: false,
            append: false,
            create: false,
            create_new: false,
            truncate: false,
        }
    }

    /// Open for reading.
    pub const fn read(mut self, yes: bool) -> Self {
        self.read = yes;
        self
    }

    /// Open for writing (at the cursor, which starts at 0).
    pub const fn write(mut self, yes: bool) -> Self {
        self.write = yes;
        self
    }

    /// Open for appending: every write goes to the end of the file.
    pub const fn append(mut self, yes: bool) -> Self {
        self.append = yes;
        self
    }

    /// Create the file if it does not exist.
    pub const fn create(mut self, yes: bool) -> Self {
        self.create = yes;
        self
    }

    /// Create the file, failing with `exist` if it already exists.
    pub const fn create_new(mut self, yes: bool) -> Self {
        self.create_new = yes;
        self
    }

    /// Truncate the file to length 0 when it is opened.
    pub const fn truncate(mut self, yes: bool) -> Self {
        self.truncate = yes;
        self
    }

    /// The WASI flags `open-at` is called with.
    pub fn flags(&self) -> (PathFlags, OpenFlags, DescriptorFlags) {
        let mut open = OpenFlags::empty();
        open.set(OpenFlags::CREATE, self.create || self.create_new);
        open.set(OpenFlags::EXCLUSIVE, self.create_new);
        open.set(OpenFlags::TRUNCATE, self.truncate);
        let mut access = DescriptorFlags::empty();
        access.set(DescriptorFlags::READ, self.read);
        access.set(DescriptorFlags::WRITE, self.write || self.append);
        (PathFlags::SYMLINK_FOLLOW, open, access)
    }

    pub(crate) fn appends(&self) -> bool {
        self.append
    }
}

/// Where [`File::seek`] moves the cursor to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeekFrom {
    /// This many bytes from the start.
    Start(u64),
    /// This many bytes from the end (usually negative or zero).
    End(i64),
    /// This many bytes from the current position.
    Current(i64),
}

/// An open file of the current run, from a [`Dir`](super::Dir).
///
/// Reads and writes use the file's own cursor (positional WASI calls, so
/// two `File`s of one file do not disturb each other), except in append
/// mode, where every write goes to the end. The handle is released when the
/// `File` is dropped; its lifetime is the run's, so it cannot be kept for a
/// later run.
pub struct File<'run> {
    fd: Held<Descriptor>,
    pos: u64,
    append: Option<Held<OutputStream>>,
    _run: PhantomData<&'run ()>,
}

impl core::fmt::Debug for File<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("File")
            .field("pos", &self.pos)
            .field("append", &self.append.is_some())
            .finish_non_exhaustive()
    }
}

fn oom() -> Error {
    ErrorCode::InsufficientMemory.into()
}

impl<'run> File<'run> {
    pub(crate) fn new(fd: Descriptor, append: bool) -> Result<Self, Error> {
        let fd = Held::new(fd);
        let append = if append {
            Some(Held::new(fd.append_via_stream()?))
        } else {
            None
        };
        Ok(File {
            fd,
            pos: 0,
            append,
            _run: PhantomData,
        })
    }

    /// Reads up to `buf.len()` bytes at the cursor; `Ok(0)` at the end.
    pub fn read(&mut self, buf: &mut [u8]) -> Result<usize, Error> {
        if buf.is_empty() {
            return Ok(0);
        }
        let (bytes, _end) = mem::receive_owned(|| self.fd.read(buf.len() as u64, self.pos))?;
        let n = bytes.len().min(buf.len());
        if let (Some(dst), Some(src)) = (buf.get_mut(..n), bytes.get(..n)) {
            dst.copy_from_slice(src);
        }
        self.pos += n as u64;
        Ok(n)
    }

    /// Reads from the cursor to the end, appending to `out`; returns the
    /// bytes read. Running out of memory is `insufficient-memory`, with
    /// `out` keeping what fitted.
    pub fn read_to_end(&mut self, out: &mut Vec<u8>) -> Result<usize, Error> {
        self.read_to_end_in(out, CHUNK)
    }

    /// [`File::read_to_end`], asking the host for `chunk` bytes per call.
    pub(crate) fn read_to_end_in(&mut self, out: &mut Vec<u8>, chunk: u64) -> Result<usize, Error> {
        let start = out.len();
        loop {
            let (bytes, end) = mem::receive_owned(|| self.fd.read(chunk, self.pos))?;
            if bytes.is_empty() {
                break;
            }
            self.pos += bytes.len() as u64;
            if out.capacity() == 0 {
                // The first chunk is taken as it is: no copy.
                *out = bytes;
            } else if !crate::platform::alloc::try_append(out, &bytes) {
                return Err(oom());
            }
            if end {
                break;
            }
        }
        Ok(out.len() - start)
    }

    /// Reads from the cursor to the end as UTF-8, appending to `out`.
    /// Input that is not UTF-8 is `illegal-byte-sequence`, and `out` is left
    /// as it was.
    pub fn read_to_string(&mut self, out: &mut String) -> Result<usize, Error> {
        let mut bytes = Vec::new();
        self.read_to_end(&mut bytes)?;
        let text =
            String::from_utf8(bytes).map_err(|_| Error::from(ErrorCode::IllegalByteSequence))?;
        if out.is_empty() {
            *out = text;
        } else {
            out.try_reserve(text.len()).map_err(|_| oom())?;
            out.push_str(&text);
        }
        Ok(out.len())
    }

    /// Writes some of `bytes` at the cursor (or, in append mode, at the
    /// end); returns how many.
    pub fn write(&mut self, bytes: &[u8]) -> Result<usize, Error> {
        if let Some(stream) = &self.append {
            let chunk = &bytes[..bytes.len().min(MAX_STREAM_WRITE)];
            stream
                .blocking_write_and_flush(chunk)
                .map_err(stream_error)?;
            return Ok(chunk.len());
        }
        let n = self.fd.write(bytes, self.pos)?;
        self.pos += n;
        Ok(n as usize)
    }

    /// Writes all of `bytes`.
    pub fn write_all(&mut self, mut bytes: &[u8]) -> Result<(), Error> {
        while !bytes.is_empty() {
            let n = self.write(bytes)?;
            if n == 0 {
                return Err(ErrorCode::Io.into());
            }
            bytes = &bytes[n..];
        }
        Ok(())
    }

    /// Moves the cursor; returns its new position from the start. (In
    /// append mode writes still go to the end.)
    pub fn seek(&mut self, to: SeekFrom) -> Result<u64, Error> {
        let base = match to {
            SeekFrom::Start(n) => {
                self.pos = n;
                return Ok(n);
            }
            SeekFrom::Current(_) => self.pos,
            SeekFrom::End(_) => self.metadata()?.len(),
        };
        let (SeekFrom::Current(d) | SeekFrom::End(d)) = to else {
            return Ok(self.pos);
        };
        self.pos = base
            .checked_add_signed(d)
            .ok_or(Error::from(ErrorCode::Invalid))?;
        Ok(self.pos)
    }

    /// Type, size and times of the open file.
    pub fn metadata(&self) -> Result<Metadata, Error> {
        mem::note_received();
        Ok(Metadata::from_wasi(self.fd.stat()?))
    }

    /// Truncates or extends the file to `len` bytes.
    pub fn set_len(&self, len: u64) -> Result<(), Error> {
        Ok(self.fd.set_size(len)?)
    }

    /// Asks the host to write the file's data and metadata to storage.
    pub fn sync_all(&self) -> Result<(), Error> {
        Ok(self.fd.sync()?)
    }
}

/// A stream error of an append-mode file, as a filesystem error.
fn stream_error(e: StreamError) -> Error {
    match e {
        StreamError::Closed => ErrorCode::Io.into(),
        StreamError::LastOperationFailed(err) => {
            crate::platform::bindings::wasi::filesystem::types::filesystem_error_code(&err)
                .unwrap_or(ErrorCode::Io)
                .into()
        }
    }
}
