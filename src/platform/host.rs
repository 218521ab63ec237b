//! Host builds (docs, unit tests on the build machine): there is no host to
//! call. Every list is empty, every hook does nothing, and nothing is sent.
//! Programs are never run here; the lifecycle's own logic is unit-tested.

use super::abi::{RawList, RawStr};
use super::io::IoError;
use core::sync::atomic::{AtomicBool, Ordering};

/// The re-entry flag of [`Global`](super::cell::Global): host builds may
/// have threads (unit tests run in parallel), so a borrow is a flag flipped
/// atomically, and a nested or concurrent one is refused.
pub(crate) struct Busy(AtomicBool);

impl Busy {
    pub(crate) const fn new() -> Self {
        Busy(AtomicBool::new(false))
    }

    /// Marks the value borrowed; `false` if it already was.
    #[inline]
    pub(crate) fn enter(&self) -> bool {
        !self.0.swap(true, Ordering::Acquire)
    }

    /// Marks the value free again.
    #[inline]
    pub(crate) fn leave(&self) {
        self.0.store(false, Ordering::Release);
    }
}

// SAFETY: `Global::try_with` hands out the `&mut T` only to the caller whose
// `Busy::enter` flipped the flag, so no two threads (or nested calls) ever
// hold a reference at once; `T: Send` because the value may be reached from
// whichever thread wins the flag.
unsafe impl<T: Send> Sync for super::cell::Global<T> {}

pub(crate) fn write_stdout(_: &[u8]) -> Result<(), IoError> {
    Ok(())
}

pub(crate) fn write_stderr(_: &[u8]) -> Result<(), IoError> {
    Ok(())
}

pub(crate) fn finish_stdio() -> bool {
    true
}

pub(crate) fn get_arguments() -> RawList<RawStr> {
    RawList::empty()
}

pub(crate) fn get_environment() -> RawList<[RawStr; 2]> {
    RawList::empty()
}

pub(crate) fn blocking_read(_stream: u32, _len: u64) -> Result<RawList<u8>, IoError> {
    Ok(RawList::empty())
}

pub(crate) fn get_random_bytes(_len: u64) -> RawList<u8> {
    RawList::empty()
}

/// Sending a response: there is no host to answer.
#[cfg(feature = "http")]
pub(crate) mod http {
    use crate::platform::bindings::wasi::io::streams::OutputStream;
    use alloc::string::String;
    use alloc::vec::Vec;

    pub(crate) fn fields_with(_: &[(String, Vec<u8>)]) -> (u32, bool) {
        (0, true)
    }

    pub(crate) fn fields_empty() -> (u32, bool) {
        (0, true)
    }

    pub(crate) fn respond(_: u32, _: (u32, bool), _: u16, _: impl FnOnce(&OutputStream)) {}
}

#[inline]
#[allow(dead_code)]
pub(crate) fn receive<R>(call: impl FnOnce() -> R) -> R {
    call()
}

#[inline]
pub(crate) fn receive_owned<R>(call: impl FnOnce() -> R) -> R {
    call()
}

#[inline]
#[allow(dead_code)]
pub(crate) fn receive_ignored<R>(call: impl FnOnce() -> R) -> R {
    call()
}

#[inline]
pub(crate) fn note_received() {}

/// No import arena on the host.
pub(crate) struct Mark;

#[inline]
pub(crate) fn mark() -> Mark {
    Mark
}

#[inline]
pub(crate) fn release(mark: Mark) {
    let Mark = mark;
}

#[inline]
pub(crate) fn begin_call() {}

#[inline]
pub(crate) fn begin_run() {}

#[inline]
pub(crate) fn end_run() {}

#[inline]
pub(crate) fn persistent<R>(f: impl FnOnce() -> R) -> R {
    f()
}

/// What [`export!`](crate::export) requires of the program type: nothing.
#[doc(hidden)]
pub trait AllocatorRules {}
impl<T> AllocatorRules for T {}

/// No bindings but this crate's own on the host.
#[allow(dead_code)]
pub(crate) const RAW_LISTS: bool = false;
