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
//!   pushes to it. A collection that owns no block yet (`Vec::new()`,
//!   `String::new()`) has nothing to grow: its first block comes from the
//!   current region, so in a run from the run region (see
//!   [`ArenaSafe`](crate::ArenaSafe));
//! * freeing zeroes the block. In the run region the space comes back when
//!   the run ends: a run that allocates and frees in a loop grows the run
//!   region until it ends; such a program wants `dlmalloc`. Growing the most
//!   recent block (a `Vec` being filled) happens in place;
//! * in the instance region, which is never reset, a freed block (and the
//!   old block of one that grew elsewhere) is remembered in [`FREED`] and
//!   handed out again to a later instance allocation that fits, so
//!   per-instance data replaced run after run (a new `String` made in
//!   `persistent`, the old one dropped) reuses its memory instead of
//!   growing it.

use super::cabi::PAGES;
use super::cell::Global;
use super::region::Region;
use core::alloc::{GlobalAlloc, Layout};

static INSTANCE: Global<Region> = Global::new(Region::new());
static RUN: Global<Region> = Global::new(Region::new());
/// Whether new allocations go to the run region.
static IN_RUN: Global<bool> = Global::new(false);
/// Blocks of the instance region that were freed, for reuse.
static FREED: Global<Freed> = Global::new(Freed::new());
/// Whether [`FREED`] is in use: set by the first
/// [`persistent`](crate::persistent), the only way a run can replace
/// per-instance data. In a program that never calls it nothing writes the
/// flag, the optimiser folds every read to `false`, and the list's code is
/// not linked (`wc-arena` stays as small as before).
static REUSE: Global<bool> = Global::new(false);

/// Whether freed instance blocks are remembered and reused.
fn reusing() -> bool {
    // SAFETY: the closure only reads the flag.
    unsafe { REUSE.try_with(|r| *r) }.unwrap_or(false)
}

/// Start of a [`persistent`](crate::persistent) section: new allocations go
/// to the instance region, and freed instance blocks are reused from now
/// on. Returns the previous choice of region, for [`set_in_run`].
pub(crate) fn enter_persistent() -> bool {
    // SAFETY: the closure only stores the flag.
    unsafe { REUSE.try_with(|r| *r = true) };
    set_in_run(false)
}

/// How many freed instance blocks are remembered at once. When all slots
/// are taken, a newly freed block replaces the smallest remembered one if
/// it is larger (else it is not remembered: its bytes stay unused).
const SLOTS: usize = 32;

/// Freed blocks of the instance region, as (address, size): all zeroed
/// (`dealloc` clears before it remembers), none handed out. In zeroed
/// memory (`.bss`): it costs no bytes in the binary.
struct Freed {
    blocks: [(usize, usize); SLOTS],
    len: usize,
}

impl Freed {
    const fn new() -> Self {
        Freed {
            blocks: [(0, 0); SLOTS],
            len: 0,
        }
    }

    /// Takes the smallest remembered block of at least `size` bytes whose
    /// address is aligned to `align` (the best fit keeps large blocks for
    /// large requests); what is left after `size` bytes stays remembered.
    fn take(&mut self, size: usize, align: usize) -> Option<*mut u8> {
        let mut best: Option<(usize, usize, usize)> = None;
        for (i, &(addr, have)) in self.blocks.iter().enumerate().take(self.len) {
            if have >= size && addr & (align - 1) == 0 && best.is_none_or(|b| have < b.2) {
                best = Some((i, addr, have));
            }
        }
        let (i, addr, have) = best?;
        let rest = if have > size {
            (addr + size, have - size)
        } else {
            self.len -= 1;
            *self.blocks.get(self.len)?
        };
        *self.blocks.get_mut(i)? = rest;
        Some(addr as *mut u8)
    }

    /// Remembers a freed (zeroed) block: in a free slot, or in place of the
    /// smallest remembered block if all are taken and that one is smaller.
    fn put(&mut self, addr: usize, size: usize) {
        let mut slot = self.len;
        if slot == SLOTS {
            let mut smallest = size;
            for (i, &(_, have)) in self.blocks.iter().enumerate() {
                if have < smallest {
                    (slot, smallest) = (i, have);
                }
            }
        } else {
            self.len += 1;
        }
        if let Some(s) = self.blocks.get_mut(slot) {
            *s = (addr, size);
        }
    }
}

/// Whether `ptr` lies in the instance region.
fn in_instance(ptr: *mut u8) -> bool {
    // SAFETY: the closure only reads the region's chunk list.
    unsafe { INSTANCE.try_with(|r| r.contains(ptr as usize)) }.unwrap_or(false)
}

/// Remembers a zeroed block of the instance region for reuse.
fn remember(ptr: *mut u8, size: usize) {
    // SAFETY: the closure touches only the list.
    unsafe { FREED.try_with(|f| f.put(ptr as usize, size)) };
}

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
// alignment, or from `FREED`, whose `take` checks both. A byte is handed out
// again only after it was freed: by `dealloc` or a moving `realloc` (the
// caller gave it up; `FREED` holds such instance blocks until one is taken,
// and `take` removes what it hands out), or by the run region's reset at the
// end of a run, which the program's `ArenaSafe` promise (required by
// `export!`) makes safe: nothing allocated there is reachable after the run.
// The instance region is never reset, so `FREED`'s blocks stay valid.
unsafe impl GlobalAlloc for RunArena {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let region = current();
        if reusing() && core::ptr::eq(region, &INSTANCE) {
            // SAFETY: the closure touches only the list.
            let reused = unsafe { FREED.try_with(|f| f.take(layout.size(), layout.align())) };
            if let Some(Some(block)) = reused {
                return block;
            }
        }
        // SAFETY: the closure touches only the region (and `memory.grow`).
        unsafe { region.try_with(|r| r.alloc(layout.size(), layout.align(), PAGES)) }
            .unwrap_or(core::ptr::null_mut())
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // Cleared now. A run-region block's space comes back when the run
        // ends; an instance-region block is remembered for reuse.
        // SAFETY: the caller owns the block until this call returns.
        unsafe { super::clear::scrub(ptr, layout.size()) };
        if reusing() && in_instance(ptr) {
            remember(ptr, layout.size());
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // A per-instance block grows in the instance region; anything else in
        // the current one.
        let instance = in_instance(ptr);
        if instance && reusing() && new_size > layout.size() {
            // A remembered block that fits beats growing the region.
            // SAFETY: the closure touches only the list.
            let reused = unsafe { FREED.try_with(|f| f.take(new_size, layout.align())) };
            if let Some(Some(new)) = reused {
                // SAFETY: `ptr` holds `layout.size()` bytes (the caller's
                // block) and `new` at least `new_size`, more; `new` was
                // handed out by nobody else, so they do not overlap.
                unsafe { core::ptr::copy_nonoverlapping(ptr, new, layout.size()) };
                // SAFETY: the caller gives its block up with this call.
                unsafe { super::clear::scrub(ptr, layout.size()) };
                remember(ptr, layout.size());
                return new;
            }
        }
        let region = if instance { &INSTANCE } else { current() };
        // SAFETY: (`try_with`) the closure touches only the region.
        // (`realloc`) `ptr` is a block of `layout.size()` bytes that this
        // allocator handed out (the `GlobalAlloc` contract) from `region`:
        // the instance region if it lies there, else the current region,
        // since a run's blocks never outlive it (`ArenaSafe`) and the run
        // region is current for the whole run.
        let new = unsafe {
            region.try_with(|r| r.realloc(ptr, layout.size(), layout.align(), new_size, PAGES))
        }
        .unwrap_or(core::ptr::null_mut());
        if instance && reusing() && !new.is_null() && new != ptr {
            // The block moved: `Region::realloc` zeroed the old one.
            remember(ptr, layout.size());
        }
        new
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
