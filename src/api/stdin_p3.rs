//! [`Stdin`] on WASI 0.3: asynchronous reads of the call's `stream<u8>`
//! (`wasi:cli/stdin.read-via-stream`); other calls run while a read waits.

use super::context::Context;
use crate::platform::io::IoError;
use crate::platform::sys::abi;
use crate::platform::sys::io::{CLI_BYTES, ReadEnd};
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::RefCell;
use core::mem::ManuallyDrop;

/// The call's stdin once asked for: the readable end and the result future
/// of `read-via-stream`.
pub(crate) struct Input {
    end: ReadEnd,
    result: u32,
}

impl Drop for Input {
    fn drop(&mut self) {
        // SAFETY: the result future's readable end is ours; dropping it
        // unread is allowed. (`end` drops itself after this.)
        unsafe { abi::cli_result_drop_readable(self.result) };
    }
}

/// What a [`Context`] keeps of stdin once asked for it: held without drop
/// glue (a program that never reads stdin links no deallocation); the
/// context's `release_stdin` drops it.
pub(crate) type StdinState = ManuallyDrop<RefCell<Input>>;

/// The current call's standard input, from [`Context::stdin`].
pub struct Stdin<'a> {
    input: &'a RefCell<Input>,
}

impl<'a> Stdin<'a> {
    /// The call's stdin, fetched on first use.
    pub(super) fn of(cx: &'a Context) -> Self {
        // SAFETY: the fetch sets `release_stdin` (a plain `Cell`) and calls
        // the host; it never reaches the stdin cell.
        let input = unsafe {
            cx.stdin.get(|| {
                cx.release_stdin.set(Some(|cx: &mut Context| {
                    if let Some(input) = cx.stdin.take() {
                        drop(ManuallyDrop::into_inner(input));
                    }
                }));
                let mut ends = [0u32; 2];
                crate::platform::sys::note_received();
                // `read-via-stream` writes (stream, future) into `ends`.
                abi::stdin_read_via_stream(ends.as_mut_ptr().cast());
                ManuallyDrop::new(RefCell::new(Input {
                    end: ReadEnd::new(ends[0], CLI_BYTES),
                    result: ends[1],
                }))
            })
        };
        Stdin { input }
    }

    /// Reads up to `buf.len()` bytes, waiting until at least one is there
    /// (other calls run meanwhile). `Ok(0)` means end of input. Bytes the
    /// host delivered beyond `buf` are kept for the next read.
    ///
    /// A second read of the same call's stdin started while one is in
    /// progress gets [`IoError::Failed`].
    // The borrow is held across the wait on purpose: a second read of the
    // same stdin meanwhile is refused by `try_borrow_mut`, never blocked.
    #[allow(clippy::await_holding_refcell_ref)]
    pub async fn read(&mut self, buf: &mut [u8]) -> Result<usize, IoError> {
        let mut input = self.input.try_borrow_mut().map_err(|_| IoError::Failed)?;
        input.end.read(buf).await
    }

    /// Reads until end of input, appending to `out`; returns the bytes read.
    /// Running out of memory is [`IoError::OutOfMemory`]: `out` keeps what it
    /// held before the chunk that did not fit.
    #[allow(clippy::await_holding_refcell_ref)] // as in `read`
    pub async fn read_to_end(&mut self, out: &mut Vec<u8>) -> Result<usize, IoError> {
        let mut input = self.input.try_borrow_mut().map_err(|_| IoError::Failed)?;
        let start = out.len();
        let mut chunk = [0u8; 512];
        loop {
            let n = input.end.read(&mut chunk).await?;
            if n == 0 {
                break;
            }
            let fits = crate::platform::alloc::try_append(out, chunk.get(..n).unwrap_or(&[]));
            if !fits {
                crate::platform::clear::scrub_slice(&mut chunk);
                return Err(IoError::OutOfMemory);
            }
        }
        crate::platform::clear::scrub_slice(&mut chunk);
        Ok(out.len() - start)
    }

    /// Reads until end of input, appending to `out`. Input that is not UTF-8
    /// is an [`IoError::InvalidUtf8`] and leaves `out` unchanged.
    pub async fn read_to_string(&mut self, out: &mut String) -> Result<usize, IoError> {
        let mut bytes = Vec::new();
        self.read_to_end(&mut bytes).await?;
        let s = String::from_utf8(bytes).map_err(|_| IoError::InvalidUtf8)?;
        out.try_reserve(s.len()).map_err(|_| IoError::OutOfMemory)?;
        out.push_str(&s);
        Ok(s.len())
    }
}
