//! Files and directories of the current run, over `wasi:filesystem`.
//!
//! A component sees only the directories the host preopened for the run
//! ([`Context::preopens`](crate::Context::preopens),
//! [`Context::dir`](crate::Context::dir)), and every path is relative to one
//! of them, as with `cap-std`: there is no current directory and no absolute
//! path. A path that would leave its directory is refused by the host, and
//! the error it gives is returned as it is.
//!
//! The lifecycle is the one of stdio: the preopens are fetched the first
//! time a run asks and released when it ends, and every [`Dir`], [`File`]
//! and [`ReadDir`] borrows the run (lifetime `'run`), so none can be kept
//! for a later run, which gets its own directories. Programs that never
//! touch the filesystem import no `wasi:filesystem` interface.
//!
//! ```no_run
//! use wasi_guest::{Context, ExitCode, println};
//!
//! fn run(cx: &mut Context) -> Result<ExitCode, wasi_guest::fs::Error> {
//!     let Some(root) = cx.dir("/") else {
//!         return Ok(ExitCode::FAILURE);
//!     };
//!     root.write("note.txt", b"written by this run\n")?;
//!     let text = root.read_to_string("note.txt")?;
//!     for entry in root.entries()? {
//!         let entry = entry?;
//!         println!("{} ({:?})", entry.name(), entry.file_type());
//!     }
//!     println!("{text}");
//!     Ok(ExitCode::SUCCESS)
//! }
//! # let _ = run;
//! ```
//!
//! Errors are one small type, [`Error`]: the WASI error code.

mod error;
mod file;
#[allow(unsafe_code)] // closing forgotten handles by number; the ledger is a `Global`
pub(crate) mod held;
mod meta;

pub use crate::platform::bindings::wasi::filesystem::types::{
    DescriptorFlags, ErrorCode, OpenFlags, PathFlags,
};
pub use error::Error;
pub use file::{File, OpenOptions, SeekFrom};
pub use meta::{DirEntry, FileType, Metadata, ReadDir};

use crate::platform::bindings::wasi::filesystem::types::Descriptor;
use crate::platform::sys as mem;
use alloc::string::String;
use alloc::vec::Vec;
use core::marker::PhantomData;

/// Files larger than this are read in pieces (each piece is one host
/// allocation of the list), smaller ones in one call.
const WHOLE: u64 = 1 << 20;

/// A directory of the current run: a preopen, or one opened from it.
///
/// Every method takes a path relative to this directory.
pub struct Dir<'run> {
    fd: Fd<'run>,
}

impl core::fmt::Debug for Dir<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Dir")
            .field("preopen", &matches!(self.fd, Fd::Borrowed(_)))
            .finish_non_exhaustive()
    }
}

/// A preopen is owned by the run's `Context` and lent out; a directory
/// opened from it is owned by its `Dir`.
enum Fd<'run> {
    Borrowed(&'run Descriptor),
    Owned(held::Held<Descriptor>, PhantomData<&'run ()>),
}

impl<'run> Dir<'run> {
    pub(crate) fn borrowed(fd: &'run Descriptor) -> Self {
        Dir {
            fd: Fd::Borrowed(fd),
        }
    }

    fn fd(&self) -> &Descriptor {
        match &self.fd {
            Fd::Borrowed(fd) => fd,
            Fd::Owned(fd, _) => fd,
        }
    }

    /// Opens a file for reading.
    pub fn open(&self, path: &str) -> Result<File<'run>, Error> {
        self.open_with(path, &OpenOptions::new().read(true))
    }

    /// Creates a file for writing, or truncates it if it exists.
    pub fn create(&self, path: &str) -> Result<File<'run>, Error> {
        self.open_with(
            path,
            &OpenOptions::new().write(true).create(true).truncate(true),
        )
    }

    /// Opens a file as `options` say.
    pub fn open_with(&self, path: &str, options: &OpenOptions) -> Result<File<'run>, Error> {
        let (path_flags, open, access) = options.flags();
        let fd = self.fd().open_at(path_flags, path, open, access)?;
        File::new(fd, options.appends())
    }

    /// Opens a subdirectory. It may be changed (files created, removed,
    /// renamed) if this directory may.
    pub fn open_dir(&self, path: &str) -> Result<Dir<'run>, Error> {
        let mutate = self.fd().get_flags()? & DescriptorFlags::MUTATE_DIRECTORY;
        let fd = self.fd().open_at(
            PathFlags::SYMLINK_FOLLOW,
            path,
            OpenFlags::DIRECTORY,
            DescriptorFlags::READ | mutate,
        )?;
        Ok(Dir {
            fd: Fd::Owned(held::Held::new(fd), PhantomData),
        })
    }

    /// The whole content of a file. A file up to 1 MiB is one host call
    /// whose list is the result (no copy); a larger one is read in pieces
    /// into a buffer of its size. Running out of memory is
    /// `insufficient-memory`.
    pub fn read(&self, path: &str) -> Result<Vec<u8>, Error> {
        let mut file = self.open(path)?;
        let size = file.metadata()?.len();
        let mut out = Vec::new();
        if size > WHOLE {
            out.try_reserve_exact(size as usize)
                .map_err(|_| Error::from(ErrorCode::InsufficientMemory))?;
        }
        file.read_to_end_in(&mut out, size.clamp(1, WHOLE))?;
        Ok(out)
    }

    /// The whole content of a file, as UTF-8 (`illegal-byte-sequence` if
    /// it is not).
    pub fn read_to_string(&self, path: &str) -> Result<String, Error> {
        String::from_utf8(self.read(path)?).map_err(|_| ErrorCode::IllegalByteSequence.into())
    }

    /// Creates (or truncates) a file and writes all of `bytes` to it.
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Error> {
        self.create(path)?.write_all(bytes)
    }

    /// The entries of this directory, one host call each, in the host's
    /// order ([`sorted_entries`](Self::sorted_entries) sorts them).
    pub fn entries(&self) -> Result<ReadDir<'run>, Error> {
        Ok(ReadDir {
            stream: Some(held::Held::new(self.fd().read_directory()?)),
            _run: PhantomData,
        })
    }

    /// Every entry of this directory, sorted by name in byte order.
    ///
    /// Hosts list a directory in their own order (Wasmtime in the order of
    /// the operating system, which differs between file systems); sorted,
    /// a listing and what a program prints from it are the same on every
    /// host and every run. The whole listing is read first (one host call
    /// per entry); the first error ends it and is returned.
    pub fn sorted_entries(&self) -> Result<Vec<DirEntry>, Error> {
        let mut all = Vec::new();
        for entry in self.entries()? {
            all.push(entry?);
        }
        meta::sort_by_name(&mut all);
        Ok(all)
    }

    /// Type, size and times of `path`, following a symbolic link.
    pub fn metadata(&self, path: &str) -> Result<Metadata, Error> {
        mem::note_received();
        Ok(Metadata::from_wasi(
            self.fd().stat_at(PathFlags::SYMLINK_FOLLOW, path)?,
        ))
    }

    /// Type, size and times of `path` itself (a symbolic link is not
    /// followed).
    pub fn symlink_metadata(&self, path: &str) -> Result<Metadata, Error> {
        mem::note_received();
        Ok(Metadata::from_wasi(
            self.fd().stat_at(PathFlags::empty(), path)?,
        ))
    }

    /// Creates a directory.
    pub fn create_dir(&self, path: &str) -> Result<(), Error> {
        Ok(self.fd().create_directory_at(path)?)
    }

    /// Removes an empty directory.
    pub fn remove_dir(&self, path: &str) -> Result<(), Error> {
        Ok(self.fd().remove_directory_at(path)?)
    }

    /// Removes a file (or a symbolic link).
    pub fn remove_file(&self, path: &str) -> Result<(), Error> {
        Ok(self.fd().unlink_file_at(path)?)
    }

    /// Renames `from` (in this directory) to `to` in `to_dir` (which may be
    /// this one), replacing what is there.
    pub fn rename(&self, from: &str, to_dir: &Dir<'_>, to: &str) -> Result<(), Error> {
        Ok(self.fd().rename_at(from, to_dir.fd(), to)?)
    }
}
