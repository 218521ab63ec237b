//! [`Dlmalloc`]: the general-purpose global allocator (feature `dlmalloc`).

#[cfg(guest_rt)]
use core::alloc::{GlobalAlloc, Layout};

/// `dlmalloc` as a `#[global_allocator]`, aware of the import arena.
///
/// Installed automatically by the `dlmalloc` feature on no_std wasm32 builds.
/// Memory that the host allocated for an import's list (see the crate docs on
/// `cabi_realloc`) is never passed to dlmalloc: freeing it is a no-op (the
/// arena is reset at the end of the run) and growing it copies it out.
///
/// The heap's state lives in `.bss` and is set up on first use:
/// `dlmalloc::Dlmalloc::new()` has two non-zero fields, which would put the
/// whole ~500-byte state (and `GlobalDlmalloc`'s static) into the data
/// segment of every binary.
pub struct Dlmalloc;

#[cfg(guest_rt)]
static HEAP: crate::cell::Global<Option<dlmalloc::Dlmalloc>> = crate::cell::Global::new(None);

#[cfg(guest_rt)]
fn with_heap(f: impl FnOnce(&mut dlmalloc::Dlmalloc) -> *mut u8) -> *mut u8 {
    HEAP.try_with(|h| f(h.get_or_insert_with(dlmalloc::Dlmalloc::new)))
        .unwrap_or(core::ptr::null_mut())
}

// SAFETY: every method forwards to one `dlmalloc::Dlmalloc`, reached only
// through `HEAP` (no re-entry: dlmalloc calls nothing but `memory.grow`),
// except for pointers the import arena owns, which are never passed to it:
// they are left alone on free and copied out on realloc.
#[cfg(guest_rt)]
unsafe impl GlobalAlloc for Dlmalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as ours.
        with_heap(|h| unsafe { h.malloc(layout.size(), layout.align()) })
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as ours.
        with_heap(|h| unsafe { h.calloc(layout.size(), layout.align()) })
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if super::imports::owns(ptr) {
            return;
        }
        with_heap(|h| {
            // SAFETY: `ptr` came from this heap with `layout`.
            unsafe { h.free(ptr, layout.size(), layout.align()) };
            core::ptr::null_mut()
        });
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if super::imports::owns(ptr) {
            // SAFETY: the caller guarantees `new_size` with `layout.align()`
            // is a valid layout.
            let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
            // SAFETY: as for `alloc`.
            let new = unsafe { self.alloc(new_layout) };
            if !new.is_null() {
                // SAFETY: `ptr` holds `layout.size()` bytes, `new` at least
                // `new_size`, and they are different allocations.
                unsafe { core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size)) };
            }
            return new;
        }
        // SAFETY: `ptr` came from this heap with `layout`.
        with_heap(|h| unsafe { h.realloc(ptr, layout.size(), layout.align(), new_size) })
    }
}
