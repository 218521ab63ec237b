//! The import arena and the `cabi_realloc` export (no_std builds only).
//!
//! When an import returns a list or a string (arguments, environment, bytes
//! read from stdin), the host calls the module's `cabi_realloc` to get memory
//! for it. wit-bindgen no longer provides that function on `wasm32-wasip2`
//! (std's wasi-libc does), so a no_std component must export its own.
//!
//! Ours is a bump allocator over [`Region`], reset when every run ends. It
//! never calls the global allocator, so a program that never receives a list
//! does not link one (hello world stays free of dlmalloc).
//!
//! Lists returned by imports therefore live until the end of the run:
//! * the SDK's own wrappers ([`Context::args`](crate::Context::args),
//!   [`Stdin::read`](crate::Stdin::read), ...) never free them through the
//!   global allocator and rewind the arena after copying where they can;
//! * the SDK's global allocators ([`Dlmalloc`](crate::Dlmalloc) and
//!   [`RunArena`](crate::RunArena)) recognise arena pointers: freeing one is a
//!   no-op and growing one copies it out, so a `Vec` returned by a raw
//!   `wasi::` call may be dropped or pushed to;
//! * such a raw `Vec` must not be kept past the end of its run (copy it into
//!   memory of your own), and a `#[global_allocator]` of your own must not be
//!   handed one.

#[cfg(guest_rt)]
use super::region::Region;
#[cfg(guest_rt)]
use crate::cell::Exclusive;

/// A saved arena position (nothing in builds where wasi-libc allocates).
#[cfg(guest_rt)]
pub(crate) type Mark = super::region::Mark;
/// A saved arena position (nothing in builds where wasi-libc allocates).
#[cfg(not(guest_rt))]
pub(crate) type Mark = ();

#[cfg(guest_rt)]
static ARENA: Exclusive<Region> = Exclusive::new(Region::new(super::region::grow_pages));

/// The canonical ABI allocation function.
///
/// Out of memory traps (`unreachable`): returning null would let the host write
/// the list at address 0.
#[cfg(guest_rt)]
#[unsafe(no_mangle)]
unsafe extern "C" fn cabi_realloc(
    old_ptr: *mut u8,
    old_len: usize,
    align: usize,
    new_len: usize,
) -> *mut u8 {
    let ptr = ARENA
        .try_with(|a| a.realloc(old_ptr, old_len, align, new_len))
        .unwrap_or(core::ptr::null_mut());
    if ptr.is_null() {
        core::arch::wasm32::unreachable();
    }
    ptr
}

/// The arena's current position, to be passed to [`release`].
pub(crate) fn mark() -> Option<Mark> {
    #[cfg(guest_rt)]
    return ARENA.try_with(|a| a.mark());
    #[cfg(not(guest_rt))]
    None
}

/// Frees everything the host allocated since `mark`.
pub(crate) fn release(mark: Option<Mark>) {
    #[cfg(guest_rt)]
    if let Some(m) = mark {
        ARENA.try_with(|a| a.release(m));
    }
    #[cfg(not(guest_rt))]
    let _ = mark;
}

/// Frees every list received during the run (end of every run).
pub(crate) fn reset() {
    #[cfg(guest_rt)]
    ARENA.try_with(|a| a.reset());
}

/// Whether `ptr` was handed out by `cabi_realloc`.
#[cfg_attr(not(guest_rt), allow(dead_code))]
pub(crate) fn owns(ptr: *mut u8) -> bool {
    #[cfg(guest_rt)]
    return ARENA
        .try_with(|a| a.contains(ptr as usize))
        .unwrap_or(false);
    #[cfg(not(guest_rt))]
    {
        let _ = ptr;
        false
    }
}
