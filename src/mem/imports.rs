//! The import arena and the `cabi_realloc` export (no_std builds only).
//!
//! When an import returns a list or a string (arguments, environment, bytes
//! read from stdin), the host calls the module's `cabi_realloc` to get memory
//! for it. wit-bindgen no longer provides that function on `wasm32-wasip2`
//! (std's wasi-libc does), so a no_std component must export one.
//!
//! Ours is a bump allocator over [`Region`], reset when every run ends, and it
//! is linked only into programs that can receive a list: the exported
//! `cabi_realloc` is a few bytes that call through a pointer, and only
//! [`enable`] (called by [`Context::args`](crate::Context::args),
//! [`Context::env`](crate::Context::env) and [`Stdin`](crate::Stdin) before
//! they call the host) stores the arena's allocator there. Hello world pays
//! for neither the arena nor a global allocator.
//!
//! Lists returned by imports therefore live until the end of the run:
//! * the SDK's own wrappers never free them through the global allocator and
//!   rewind the arena after copying where they can;
//! * the SDK's global allocator [`Dlmalloc`](crate::Dlmalloc) recognises arena
//!   memory: freeing it is a no-op and growing it copies it out, so a `Vec`
//!   returned by a raw `wasi::` call may be dropped or pushed to;
//! * a raw call needs [`enable_import_arena`](crate::enable_import_arena)
//!   first (else `cabi_realloc` traps), and its result must not be kept past
//!   the end of the run: copy it into memory of your own.

#[cfg(guest_rt)]
use super::region::{Mark as RegionMark, Region};
#[cfg(guest_rt)]
use crate::cell::Global;
#[cfg(guest_rt)]
use core::sync::atomic::{AtomicPtr, Ordering::Relaxed};

/// A saved arena position (empty when wasi-libc allocates lists, with `std`).
pub(crate) struct Mark(#[cfg(guest_rt)] Option<RegionMark>);

#[cfg(guest_rt)]
static ARENA: Global<Region> = Global::new(Region::new());

#[cfg(guest_rt)]
type ReallocFn = fn(*mut u8, usize, usize, usize) -> *mut u8;

/// The allocator `cabi_realloc` calls; null until [`enable`].
#[cfg(guest_rt)]
static REALLOC: AtomicPtr<()> = AtomicPtr::new(core::ptr::null_mut());

#[cfg(guest_rt)]
fn arena_realloc(old: *mut u8, old_len: usize, align: usize, new_len: usize) -> *mut u8 {
    ARENA
        .try_with(|a| a.realloc(old, old_len, align, new_len, super::region::grow_pages))
        .unwrap_or(core::ptr::null_mut())
}

/// Whether lists may have been received by raw `wasi::` calls, which hand
/// them out as `Vec`s that may reach the global allocator. Only
/// [`enable_raw`] sets it, so in programs that never call
/// [`enable_import_arena`](crate::enable_import_arena) it is constant false
/// and `Dlmalloc` links no ownership check at all.
/// (A plain `Global`, not an atomic: LLVM folds a never-stored plain global.)
#[cfg(guest_rt)]
static RAW: Global<bool> = Global::new(false);

/// [`enable`], for lists received by raw calls outside this crate.
pub(crate) fn enable_raw() {
    #[cfg(guest_rt)]
    RAW.try_with(|raw| *raw = true);
    enable();
}

/// Makes `cabi_realloc` allocate from the import arena. Cheap; called before
/// every import that returns a list.
#[inline]
pub(crate) fn enable() {
    #[cfg(guest_rt)]
    REALLOC.store(arena_realloc as *mut (), Relaxed);
}

/// The canonical ABI allocation function.
///
/// It traps (`unreachable`) when the arena was never enabled or memory is
/// exhausted: returning null would let the host write the list at address 0.
#[cfg(guest_rt)]
#[unsafe(no_mangle)]
unsafe extern "C" fn cabi_realloc(
    old_ptr: *mut u8,
    old_len: usize,
    align: usize,
    new_len: usize,
) -> *mut u8 {
    let f = REALLOC.load(Relaxed);
    if f.is_null() {
        core::arch::wasm32::unreachable();
    }
    // SAFETY: the only non-null value ever stored in REALLOC is
    // `arena_realloc`, a `ReallocFn`.
    let f: ReallocFn = unsafe { core::mem::transmute::<*mut (), ReallocFn>(f) };
    let ptr = f(old_ptr, old_len, align, new_len);
    if ptr.is_null() {
        core::arch::wasm32::unreachable();
    }
    ptr
}

/// The arena's current position, to be passed to [`release`].
pub(crate) fn mark() -> Mark {
    Mark(
        #[cfg(guest_rt)]
        ARENA.try_with(|a| a.mark()),
    )
}

/// Frees everything the host allocated since `mark`.
pub(crate) fn release(mark: &Mark) {
    #[cfg(guest_rt)]
    if let Some(m) = mark.0 {
        ARENA.try_with(|a| a.release(m));
    }
    #[cfg(not(guest_rt))]
    let Mark() = mark;
}

/// Frees every list received during the run (end of every run). Links the
/// arena only if something could have enabled it.
pub(crate) fn reset() {
    #[cfg(guest_rt)]
    if !REALLOC.load(Relaxed).is_null() {
        ARENA.try_with(|a| a.reset());
    }
}

/// Whether `ptr` was handed out by `cabi_realloc` (used by `Dlmalloc`).
#[cfg_attr(not(all(guest_rt, feature = "dlmalloc")), allow(dead_code))]
pub(crate) fn owns(ptr: *mut u8) -> bool {
    #[cfg(guest_rt)]
    return RAW.try_with(|raw| *raw).unwrap_or(true)
        && ARENA
            .try_with(|a| a.contains(ptr as usize))
            .unwrap_or(false);
    #[cfg(not(guest_rt))]
    {
        let _ = ptr;
        false
    }
}
