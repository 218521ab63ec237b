//! [`RunArena`]: the per-run arena allocator (feature `arena`).
//!
//! Two bump regions. Allocations made while the program's `init` runs, or
//! inside [`persistent`](crate::persistent), go to the **instance region**,
//! which is never reset. Every other allocation of a run goes to the **run
//! region**, which is freed and zeroed when the run ends: a whole run's
//! garbage is freed by moving one pointer, and the code is several KB smaller
//! than dlmalloc.
//!
//! Soundness rests on the program's [`ArenaSafe`](crate::ArenaSafe) promise:
//! nothing made in the run region is reachable after the run. `export!`
//! refuses a program that has not made it.
//!
//! * growing a block keeps it in the region it lives in, so a per-instance
//!   `Vec` built in `init` may be pushed to in any later run;
//! * freeing zeroes the block; the space comes back when the run ends. A run
//!   that allocates and frees in a loop grows the run region until it ends;
//!   such a program wants `dlmalloc`. Growing the most recent block (a `Vec`
//!   being filled) happens in place.

use super::region::{Region, grow_pages};
use crate::cell::Global;
use core::alloc::{GlobalAlloc, Layout};

static INSTANCE: Global<Region> = Global::new(Region::new());
static RUN: Global<Region> = Global::new(Region::new());
/// Whether new allocations go to the run region.
static IN_RUN: Global<bool> = Global::new(false);

/// The per-run arena as a `#[global_allocator]`; installed by the `arena`
/// feature on no_std wasm32 builds.
pub struct RunArena;

fn current() -> &'static Global<Region> {
    if IN_RUN.try_with(|r| *r).unwrap_or(false) {
        &RUN
    } else {
        &INSTANCE
    }
}

// SAFETY: blocks come from `Region::alloc` with the requested size and
// alignment. A region hands a byte out again only after it was freed: by
// `dealloc` (the caller gave it up), or by the run region's reset at the end
// of a run, which the program's `ArenaSafe` promise (required by `export!`)
// makes safe: nothing allocated there is reachable after the run.
unsafe impl GlobalAlloc for RunArena {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        current()
            .try_with(|r| r.alloc(layout.size(), layout.align(), grow_pages))
            .unwrap_or(core::ptr::null_mut())
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // Cleared now; the space itself comes back when its region is reset
        // (the run region at the end of the run).
        // SAFETY: the caller owns the block until this call returns.
        unsafe { super::scrub(ptr, layout.size()) };
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // A per-instance block grows in the instance region; anything else in
        // the current one.
        let instance = INSTANCE
            .try_with(|r| r.contains(ptr as usize))
            .unwrap_or(false);
        let region = if instance { &INSTANCE } else { current() };
        region
            .try_with(|r| r.realloc(ptr, layout.size(), layout.align(), new_size, grow_pages))
            .unwrap_or(core::ptr::null_mut())
    }
}

/// Chooses the region of new allocations: the run region (`true`, from just
/// before `Program::run`) or the instance region (`false`: `init`,
/// `persistent`, after the run). Returns the previous choice.
pub(crate) fn set_in_run(in_run: bool) -> bool {
    IN_RUN
        .try_with(|r| core::mem::replace(r, in_run))
        .unwrap_or(false)
}

/// Frees and zeroes the whole run region (end of every run).
pub(crate) fn end_run() {
    set_in_run(false);
    RUN.try_with(Region::reset);
}
