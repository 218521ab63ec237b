//! The heap behind [`Dlmalloc`](crate::Dlmalloc) on the platforms where this
//! crate is the runtime: one `dlmalloc::Dlmalloc` in a `Global`, clearing
//! every block it is given back.

use super::cell::Global;
use core::alloc::{GlobalAlloc, Layout};

static HEAP: Global<Option<dlmalloc::Dlmalloc>> = Global::new(None);

/// Runs `f` on the heap. `f` only calls into dlmalloc, which calls nothing
/// but `memory.grow`: the `Global` is never reached twice.
fn with_heap(f: impl FnOnce(&mut dlmalloc::Dlmalloc) -> *mut u8) -> *mut u8 {
    // SAFETY: every `f` here only calls into dlmalloc, which calls nothing
    // but `memory.grow` and never reaches `HEAP`.
    unsafe { HEAP.try_with(|h| f(h.get_or_insert_with(dlmalloc::Dlmalloc::new))) }
        .unwrap_or(core::ptr::null_mut())
}

// SAFETY: every block comes from and goes back to one `dlmalloc::Dlmalloc`
// with the caller's layout (the contracts of its methods are those of
// `GlobalAlloc`); clearing writes only inside a block the caller still owns,
// before it is handed back.
unsafe impl GlobalAlloc for super::dlmalloc::Dlmalloc {
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
        // SAFETY: the caller owns `layout.size()` bytes at `ptr` until this
        // call returns.
        unsafe { super::clear::scrub(ptr, layout.size()) };
        with_heap(|h| {
            // SAFETY: `ptr` came from this heap. (`c_free` rather than
            // `free`: the latter asserts the size, and the assertion's
            // location would put the cargo registry's absolute path into
            // every binary that frees.)
            unsafe { h.c_free(ptr) };
            core::ptr::null_mut()
        });
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let old_size = layout.size();
        // SAFETY: the caller guarantees `new_size` with `layout.align()` is
        // a valid layout.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        // SAFETY: as for `alloc`.
        let new = unsafe { self.alloc(new_layout) };
        if new.is_null() {
            if new_size <= old_size {
                // A shrink with no memory for the smaller copy keeps the
                // block: it is at least `new_size` bytes and aligned for
                // `layout.align()`, so it fits the new layout. The tail it
                // gives up is cleared now; `dealloc` later frees the whole
                // chunk (`c_free` reads the size from the chunk, not the
                // layout).
                // SAFETY: the tail is part of the caller's block.
                unsafe { super::clear::scrub(ptr.add(new_size), old_size - new_size) };
                return ptr;
            }
            return new;
        }
        // SAFETY: `ptr` holds `old_size` bytes, `new` at least `new_size`,
        // and they are different blocks; then the old block is cleared and
        // freed like any other.
        unsafe {
            core::ptr::copy_nonoverlapping(ptr, new, old_size.min(new_size));
            self.dealloc(ptr, layout);
        }
        new
    }
}
