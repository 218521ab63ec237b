//! [`Dlmalloc`]: the general-purpose global allocator (feature `dlmalloc`).

use core::alloc::{GlobalAlloc, Layout};

/// `dlmalloc` as a `#[global_allocator]`, aware of the import arena.
///
/// Installed automatically by the `dlmalloc` feature on no_std wasm32 builds.
/// It forwards to [`dlmalloc::GlobalDlmalloc`] except for memory that the host
/// allocated for an import's list (see the crate docs on `cabi_realloc`):
/// freeing such memory is a no-op (the arena is reset at the end of the run)
/// and growing it copies it into dlmalloc's heap.
pub struct Dlmalloc;

// SAFETY: every method forwards to `GlobalDlmalloc`, a correct allocator,
// except for pointers the import arena owns, which are never passed to it:
// they are left alone on free and copied out on realloc.
unsafe impl GlobalAlloc for Dlmalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as ours.
        unsafe { dlmalloc::GlobalDlmalloc.alloc(layout) }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as ours.
        unsafe { dlmalloc::GlobalDlmalloc.alloc_zeroed(layout) }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if super::imports::owns(ptr) {
            return;
        }
        // SAFETY: `ptr` came from `alloc`/`realloc` above with `layout`.
        unsafe { dlmalloc::GlobalDlmalloc.dealloc(ptr, layout) }
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
        // SAFETY: `ptr` came from this allocator with `layout`.
        unsafe { dlmalloc::GlobalDlmalloc.realloc(ptr, layout, new_size) }
    }
}
