//! `std::io` impls for the stdio types (feature `std`).

use super::stdin::Stdin;
use super::stdio::{IoError, Stderr, Stdout};
use std::io;

impl From<IoError> for io::Error {
    fn from(e: IoError) -> Self {
        let kind = match e {
            IoError::Closed => io::ErrorKind::BrokenPipe,
            IoError::Failed => io::ErrorKind::Other,
            IoError::InvalidUtf8 => io::ErrorKind::InvalidData,
            IoError::OutOfMemory => io::ErrorKind::OutOfMemory,
        };
        io::Error::new(kind, e)
    }
}

impl io::Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(Stdout::flush(self)?)
    }
}

impl io::Write for Stderr {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(Stderr::flush(self)?)
    }
}

impl io::Read for Stdin<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        Ok(Stdin::read(self, buf)?)
    }
}
