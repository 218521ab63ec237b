//! [`Error`]: what a filesystem call returns when the host says no.

use crate::platform::bindings::wasi::filesystem::types::ErrorCode;
use core::fmt;

/// A filesystem error: the WASI `error-code` the host returned.
///
/// One byte, `Copy`. `Display` writes the code's WASI name after a few
/// words (`filesystem error: no-entry`); `Debug` writes the name only. (The
/// generated `ErrorCode`'s own `Debug` prints a paragraph per code, a
/// kilobyte-sized table; this type never links it.)
///
/// A path that leaves its directory (`../x`, an absolute path, a symlink
/// out) is refused by the host; the code it gives (`not-permitted` or
/// `access` in Wasmtime) is reported as it is.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Error(ErrorCode);

impl Error {
    /// The WASI error code, to match on (`ErrorCode::NoEntry`, ...).
    pub fn code(self) -> ErrorCode {
        self.0
    }

    /// The code's WASI name: `no-entry`, `access`, `not-directory`, ...
    pub fn name(self) -> &'static str {
        self.0.name()
    }

    /// Whether the host said the file or directory does not exist.
    pub fn is_not_found(self) -> bool {
        self.0 == ErrorCode::NoEntry
    }
}

/// So that `?` works on stdin and stdout in a function that returns
/// `fs::Error`: running out of memory is `insufficient-memory`, text that is
/// not UTF-8 `illegal-byte-sequence`, a closed or failing stream `io`.
impl From<crate::platform::io::IoError> for Error {
    fn from(e: crate::platform::io::IoError) -> Self {
        use crate::platform::io::IoError;
        Error(match e {
            IoError::OutOfMemory => ErrorCode::InsufficientMemory,
            IoError::InvalidUtf8 => ErrorCode::IllegalByteSequence,
            IoError::Closed | IoError::Failed => ErrorCode::Io,
        })
    }
}

impl From<ErrorCode> for Error {
    fn from(code: ErrorCode) -> Self {
        Error(code)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("filesystem error: ")?;
        f.write_str(self.name())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl core::error::Error for Error {}
