//! [`RunArena`]: the per-run arena allocator (feature `arena`).
//!
//! Two bump regions. Allocations made while the program's `init` runs, or
//! inside [`persistent`](crate::persistent), go to the **instance region**,
//! which is never reset. Every other allocation of a run goes to the **run
//! region**, which is reset when the run ends: a whole run's garbage is freed
//! by moving one pointer, and the code is several KB smaller than dlmalloc.
//!
//! Rules that keep it safe:
//! * growing a block keeps it in the region it lives in, so a per-instance
//!   `Vec` built in `init` may be pushed to in any later run;
//! * a *new* allocation made during a run and stored into per-instance state
//!   would be freed when the run ends. Make it inside
//!   [`persistent`](crate::persistent) instead (or pick `dlmalloc`);
//! * freeing does nothing: memory comes back when the run ends. A run that
//!   allocates and frees in a loop grows the run region until it ends (the
//!   chunks are then reused by the next run); such a program wants
//!   `dlmalloc`. Growing the most recent block (a `Vec` being filled) happens
//!   in place.

use super::region::{Region, grow_pages};
use crate::cell::Global;
use core::alloc::{GlobalAlloc, Layout};
use core::sync::atomic::{AtomicBool, Ordering::Relaxed};

static INSTANCE: Global<Region> = Global::new(Region::new());
static RUN: Global<Region> = Global::new(Region::new());
/// Whether new allocations go to the run region.
static IN_RUN: AtomicBool = AtomicBool::new(false);

/// The per-run arena as a `#[global_allocator]`; installed by the `arena`
/// feature on no_std wasm32 builds.
pub struct RunArena;

fn current() -> &'static Global<Region> {
    if IN_RUN.load(Relaxed) {
        &RUN
    } else {
        &INSTANCE
    }
}

// SAFETY: blocks come from `Region::alloc` with the requested size and
// alignment and are never handed out twice: a region only moves its pointer
// back in `reset` (end of run, run region only, after run-locals and the
// context have been dropped). A block this allocator does not own (the import arena's) is
// only ever read, when growing it copies it.
unsafe impl GlobalAlloc for RunArena {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        current()
            .try_with(|r| r.alloc(layout.size(), layout.align(), grow_pages))
            .unwrap_or(core::ptr::null_mut())
    }

    unsafe fn dealloc(&self, _ptr: *mut u8, _layout: Layout) {
        // Nothing: the run region is freed as a whole when the run ends, and
        // the instance region lives as long as the instance. (Taking back
        // the most recent block was measured at +150 bytes per program.)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // A per-instance block grows in the instance region; anything else in
        // the current one (in place when it is that region's last block,
        // otherwise by copying, which also covers import-arena blocks).
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
    IN_RUN.swap(in_run, Relaxed)
}

/// Frees the whole run region (end of every run).
pub(crate) fn end_run() {
    IN_RUN.store(false, Relaxed);
    RUN.try_with(|r| r.reset());
}
