//! Clearing the stack a call used (wasm32).
//!
//! A call's locals that live in linear memory (arrays, buffers, anything
//! whose address is taken, in the program's frames and in std's or core's)
//! stay on the shadow stack when their frames return. Before the next call's
//! program runs, [`begin_call`] zeroes the whole stack below the entry's
//! frame, so no code of a later call ever runs on a stack holding an earlier
//! call's data.
//!
//! Why at the start of the next call rather than at the end of this one:
//! zeroing the stack touches every page of it, and on a fresh instance most
//! of those pages were never used, so clearing at the end of the first call
//! made the host fault them all in: +33 µs (+73%) on a fresh instance of
//! `echo`, for hosts that never call the instance again. Cleared at the
//! next call's start, a fresh instance pays nothing, and a reused one pays
//! one `memory.fill` over pages that are already resident (about 1 µs for a
//! 64 KiB stack; docs/bench.md). Between two calls the previous call's stack
//! data is still in memory, where only the host can see it.
//!
//! When: at the start of every call that follows a call which received
//! anything from the host ([`note_received`]: arguments, environment,
//! input, ...). A call that received nothing has nothing of its own to leave
//! behind, and hello world then links none of this (nothing stores to the
//! flag, so the optimiser folds it). With `std`, or with bindings other than
//! this crate's (features `wasi`, `bindgen`), data can arrive without this
//! crate seeing it, so the platform notes every call as having received
//! something, and every call but the first starts on a cleared stack.
//!
//! The clear must not itself use the stack it clears: it is one
//! `write_bytes` of a length known only at run time, which LLVM's
//! WebAssembly back end lowers to a single `memory.fill` instruction when the
//! `bulk-memory` feature is on (asserted below; a test checks the
//! instruction is in the component), never to a call.
//!
//! Layout (wasm-ld, `--stack-first` as Rust's wasm targets link): the stack
//! occupies `[__stack_low, __stack_high)` and grows down. At the start of a
//! call only the entry glue's frames are live, all above this module's own
//! frame; everything below that frame is dead and may be overwritten.

use super::cell::Global;

const _: () = assert!(
    cfg!(target_feature = "bulk-memory"),
    "wasi-guest clears the stack with `memory.fill`: build with the `bulk-memory` target feature (the default of wasm32-wasip2)"
);

unsafe extern "C" {
    /// The lowest address of the stack region (defined by wasm-ld).
    static __stack_low: u8;
}

/// Whether the stack may hold data of the host's from an earlier call.
static PENDING: Global<bool> = Global::new(false);

/// Notes that data of the host's arrived during this call.
#[inline]
pub(crate) fn note_received() {
    // SAFETY: the closure only stores.
    unsafe { PENDING.try_with(|r| *r = true) };
}

/// Start of a call, before anything else: clears what an earlier call may
/// have left on the stack.
#[inline]
#[cfg_attr(wasi_guest_no_scrub, allow(unused_variables))]
pub(crate) fn begin_call() {
    // SAFETY: the closure only takes the flag.
    let pending = unsafe { PENDING.try_with(core::mem::take) }.unwrap_or(true);
    #[cfg(not(wasi_guest_no_scrub))]
    if pending {
        clear_below_caller();
    }
}

/// Zeroes the stack from its lowest address up to this function's frame.
#[inline(never)]
#[cfg_attr(wasi_guest_no_scrub, allow(dead_code))]
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
        // above), i.e. dead; the write is one `memory.fill` (module docs),
        // which uses no stack of its own. A plain `write_bytes` suffices: the
        // optimiser cannot prove stores through an address made from an
        // integer dead.
        unsafe { (start as *mut u8).write_bytes(0, top - start) };
    }
}
