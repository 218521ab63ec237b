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
//! * growing a block moves it (or, for the most recent block, extends it in
//!   place) within the region it lives in, so a per-instance `Vec` whose
//!   buffer was allocated in `init` stays per-instance when a later run
//!   pushes to it;
//! * freeing zeroes the block; the space comes back when the run ends. A run
//!   that allocates and frees in a loop grows the run region until it ends;
//!   such a program wants `dlmalloc`. Growing the most recent block (a `Vec`
//!   being filled) happens in place.

use super::cabi::PAGES;
use super::cell::Global;
use super::region::Region;
use core::alloc::{GlobalAlloc, Layout};

static INSTANCE: Global<Region> = Global::new(Region::new());
static RUN: Global<Region> = Global::new(Region::new());
/// Whether new allocations go to the run region.
static IN_RUN: Global<bool> = Global::new(false);

/// The per-run arena as a `#[global_allocator]`; installed by the `arena`
/// feature on no_std wasm32 builds.
pub struct RunArena;

fn current() -> &'static Global<Region> {
    // SAFETY: the closure only reads the flag.
    if unsafe { IN_RUN.try_with(|r| *r) }.unwrap_or(false) {
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
        // SAFETY: the closure touches only the region (and `memory.grow`).
        unsafe { current().try_with(|r| r.alloc(layout.size(), layout.align(), PAGES)) }
            .unwrap_or(core::ptr::null_mut())
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // Cleared now; the space itself comes back when its region is reset
        // (the run region at the end of the run).
        // SAFETY: the caller owns the block until this call returns.
        unsafe { super::clear::scrub(ptr, layout.size()) };
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // A per-instance block grows in the instance region; anything else in
        // the current one.
        // SAFETY: the closure only reads the region's chunk list.
        let instance = unsafe { INSTANCE.try_with(|r| r.contains(ptr as usize)) }.unwrap_or(false);
        let region = if instance { &INSTANCE } else { current() };
        // SAFETY: (`try_with`) the closure touches only the region.
        // (`realloc`) `ptr` is a block of `layout.size()` bytes that this
        // allocator handed out (the `GlobalAlloc` contract) from `region`:
        // the instance region if it lies there, else the current region,
        // since a run's blocks never outlive it (`ArenaSafe`) and the run
        // region is current for the whole run.
        unsafe {
            region.try_with(|r| r.realloc(ptr, layout.size(), layout.align(), new_size, PAGES))
        }
        .unwrap_or(core::ptr::null_mut())
    }
}

/// Chooses the region of new allocations: the run region (`true`, from just
/// before `Program::run`) or the instance region (`false`: `init`,
/// `persistent`, after the run). Returns the previous choice.
pub(crate) fn set_in_run(in_run: bool) -> bool {
    // SAFETY: the closure only swaps the flag.
    unsafe { IN_RUN.try_with(|r| core::mem::replace(r, in_run)) }.unwrap_or(false)
}

/// Frees and zeroes the whole run region (end of every run).
pub(crate) fn end_run() {
    set_in_run(false);
    // SAFETY: the closure touches only the run region.
    unsafe { RUN.try_with(Region::reset) };
}
