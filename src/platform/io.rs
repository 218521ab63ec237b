//! [`IoError`]: why a stream operation failed, on every platform.

use core::fmt;

/// Why a read or write failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum IoError {
    /// The stream is closed (for output: the reader went away).
    Closed = 1,
    /// The host reported an error on the stream.
    Failed = 2,
    /// Input was not valid UTF-8 (from
    /// [`Stdin::read_to_string`](crate::Stdin::read_to_string)).
    InvalidUtf8 = 3,
    /// Memory ran out while storing input (from
    /// [`Stdin::read_to_end`](crate::Stdin::read_to_end)).
    OutOfMemory = 4,
}

impl fmt::Display for IoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IoError::Closed => "stream closed",
            IoError::Failed => "stream operation failed",
            IoError::InvalidUtf8 => "input is not valid UTF-8",
            IoError::OutOfMemory => "out of memory",
        })
    }
}

impl core::error::Error for IoError {}
