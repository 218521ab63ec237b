//! [`Dlmalloc`]: the general-purpose global allocator (feature `dlmalloc`).

#[cfg(guest_rt)]
use core::alloc::{GlobalAlloc, Layout};

/// `dlmalloc` as a `#[global_allocator]` that clears what it frees.
///
/// Installed automatically by the `dlmalloc` feature on no_std wasm32 builds
/// (it is a plain marker type elsewhere). Every block is zeroed when the
/// program frees it, and when `realloc` moves it, so a later run that gets the
/// same memory finds zeroes, not an earlier run's data. `realloc` therefore
/// always moves a block (allocate, copy, clear, free), when it grows and
/// when it shrinks: dlmalloc's own `realloc`, which could shrink in place,
/// is about 1 KB of code in every program that reallocates, and shrinking
/// is rare. A shrink that finds no memory for the copy stays in place,
/// with its tail cleared, so a shrink never fails.
///
/// The heap's state lives in `.bss` and is set up on first use:
/// `dlmalloc::Dlmalloc::new()` has two non-zero fields, which would put the
/// whole ~500-byte state into the data segment of every binary.
pub struct Dlmalloc;

#[cfg(guest_rt)]
static HEAP: crate::cell::Global<Option<dlmalloc::Dlmalloc>> = crate::cell::Global::new(None);

/// Runs `f` on the heap. `f` only calls into dlmalloc, which calls nothing
/// but `memory.grow`: the `Global` is never reached twice.
#[cfg(guest_rt)]
fn with_heap(f: impl FnOnce(&mut dlmalloc::Dlmalloc) -> *mut u8) -> *mut u8 {
    HEAP.try_with(|h| f(h.get_or_insert_with(dlmalloc::Dlmalloc::new)))
        .unwrap_or(core::ptr::null_mut())
}

// SAFETY: every block comes from and goes back to one `dlmalloc::Dlmalloc`
// with the caller's layout (the contracts of its methods are those of
// `GlobalAlloc`); clearing writes only inside a block the caller still owns,
// before it is handed back.
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
        // SAFETY: the caller owns `layout.size()` bytes at `ptr` until this
        // call returns.
        unsafe { super::scrub(ptr, layout.size()) };
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
                unsafe { super::scrub(ptr.add(new_size), old_size - new_size) };
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
