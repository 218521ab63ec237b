//! The handles `fs` opens for a call, recorded so that the end of the call
//! closes any the program forgot (`core::mem::forget`, `Box::leak`): safe
//! code can do both, and a forgotten handle would otherwise stay in the
//! host's resource table after the call.
//!
//! Closing a forgotten handle is sound because every value that owns one
//! ([`File`](super::File), an opened [`Dir`](super::Dir),
//! [`ReadDir`](super::ReadDir)) carries the run's lifetime: once the run's
//! `Context` is being dropped, no safe code can reach such a value again,
//! so its own `Drop` (which would close the handle a second time) can never
//! run.
//!
//! The record is one bit per handle number and kind: numbers below
//! [`NUMBERS`] are recorded (the component model numbers handles from 1 and
//! reuses freed numbers, so a run would need that many handles open at
//! once to reach past it); a handle above is closed as usual when dropped
//! and stays open if forgotten. It lives in zeroed memory and costs no
//! bytes in the binary; a program that opens nothing links none of this.

use crate::platform::bindings::wasi::filesystem::types::{Descriptor, DirectoryEntryStream};
use crate::platform::bindings::wasi::io::streams::OutputStream;
use crate::platform::cell::Global;
use core::mem::ManuallyDrop;
use core::ops::Deref;

/// Handle numbers below this are recorded.
const NUMBERS: usize = 256;

/// Open handles of the running call: one bit per number, for each kind in
/// the order they are closed (streams before the descriptors they came
/// from).
static OPEN: Global<[[u32; NUMBERS / 32]; 3]> = Global::new([[0; NUMBERS / 32]; 3]);

/// A resource type `fs` opens.
pub(crate) trait Handle {
    /// Which row of [`OPEN`] records it.
    const KIND: usize;

    /// The handle's number in the component's table.
    fn number(&self) -> u32;
}

impl Handle for OutputStream {
    const KIND: usize = 0;
    fn number(&self) -> u32 {
        self.handle()
    }
}

impl Handle for DirectoryEntryStream {
    const KIND: usize = 1;
    fn number(&self) -> u32 {
        self.handle()
    }
}

impl Handle for Descriptor {
    const KIND: usize = 2;
    fn number(&self) -> u32 {
        self.handle()
    }
}

/// A handle `fs` opened, recorded while it is open.
pub(crate) struct Held<T: Handle>(ManuallyDrop<T>);

impl<T: Handle> Held<T> {
    /// Records `value`'s handle and takes ownership of it.
    pub(crate) fn new(value: T) -> Self {
        mark(T::KIND, value.number(), true);
        Held(ManuallyDrop::new(value))
    }
}

impl<T: Handle> Deref for Held<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: Handle> Drop for Held<T> {
    fn drop(&mut self) {
        mark(T::KIND, self.0.number(), false);
        // SAFETY: dropped once, here; nothing uses `self.0` after this.
        unsafe { ManuallyDrop::drop(&mut self.0) };
    }
}

/// Records handle `number` of `kind` as open or closed.
#[inline(never)]
fn mark(kind: usize, number: u32, open: bool) {
    let bit = 1u32 << (number % 32);
    // SAFETY: the closure touches only the record.
    unsafe {
        OPEN.try_with(|rows| {
            if let Some(word) = rows
                .get_mut(kind)
                .and_then(|row| row.get_mut(number as usize / 32))
            {
                *word = if open { *word | bit } else { *word & !bit };
            }
        })
    };
}

/// Closes every handle still recorded, streams first, and clears the
/// record. Called when the run's `Context` lets go of the preopens: the end
/// of every run that used `fs`.
pub(crate) fn close_forgotten() {
    // SAFETY: the closure touches only the record; it takes it whole, and
    // the handles are closed outside it.
    let rows = unsafe { OPEN.try_with(core::mem::take) }.unwrap_or_default();
    for (kind, row) in rows.iter().enumerate() {
        for (w, &word) in row.iter().enumerate() {
            let mut bits = word;
            while bits != 0 {
                let number = (w * 32) as u32 + bits.trailing_zeros();
                bits &= bits - 1;
                // SAFETY: a recorded handle belongs to a value of the run
                // that was forgotten or leaked (dropping a `Held` clears its
                // bit), and no such value can be reached after the run
                // (module docs): it is open, of this kind, and owned by
                // nothing that will ever close it.
                unsafe {
                    match kind {
                        0 => drop(OutputStream::from_handle(number)),
                        1 => drop(DirectoryEntryStream::from_handle(number)),
                        _ => drop(Descriptor::from_handle(number)),
                    }
                }
            }
        }
    }
}
