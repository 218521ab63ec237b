//! Clearing the stack a call used (wasm32).
//!
//! A run's locals that live in linear memory (arrays, buffers, anything whose
//! address is taken, in the program's frames and in std's or core's) are
//! left on the shadow stack when their frames return. At the end of a call,
//! [`clear_below_caller`] zeroes the whole stack below the caller's frame,
//! so the next call starts on a zeroed stack.
//!
//! When: at the end of every call that received anything from the host
//! ([`note_received`]: arguments, environment, input, ...). A call that
//! received nothing has nothing of its own to leave behind, and hello world
//! then links none of this (nothing stores to the flag, so the optimiser
//! folds it). With `std`, or with bindings other than this crate's
//! (`raw_lists`), data can arrive without this crate seeing it, so the
//! stack is cleared after every call.
//!
//! Layout (wasm-ld, `--stack-first` as Rust's wasm targets link): the stack
//! occupies `[__stack_low, __stack_high)` and grows down. At the end of a
//! call only the entry glue's frames are live, all above this function's
//! own frame; everything below that frame is dead and may be overwritten.

unsafe extern "C" {
    /// The lowest address of the stack region (defined by wasm-ld).
    static __stack_low: u8;
}

use crate::cell::Global;

/// Whether this call received anything from the host.
static RECEIVED: Global<bool> = Global::new(false);

/// Notes that data of the host's arrived during this call.
#[inline]
pub(crate) fn note_received() {
    RECEIVED.try_with(|r| *r = true);
}

/// End of a call: clears the stack if the call may have left data on it.
#[inline]
pub(crate) fn end_call() {
    let received = RECEIVED.try_with(core::mem::take).unwrap_or(true);
    if received || cfg!(any(not(guest_rt), raw_lists)) {
        clear_below_caller();
    }
}

/// Zeroes the stack from its lowest address up to this function's frame.
#[inline(never)]
fn clear_below_caller() {
    // Taking the marker's address puts it on the shadow stack, in this
    // function's frame: every live frame is at or above it, every address
    // below it belongs to frames that have returned.
    let marker = 0u8;
    let top = &raw const marker as usize;
    // Used as a number only. At address 0 (stack-first layout) the first
    // bytes are skipped: writing through a null pointer is never allowed.
    let start = ((&raw const __stack_low) as usize).max(16);
    if top > start {
        // SAFETY: `[start, top)` is stack memory below every live frame (see
        // above), i.e. dead; `memory.fill` uses no stack of its own. A plain
        // `write_bytes` suffices: the optimiser cannot prove stores through
        // an address made from an integer dead.
        #[cfg(not(wasi_guest_no_scrub))]
        unsafe {
            (start as *mut u8).write_bytes(0, top - start)
        };
    }
}
