//! The heap behind [`Talc`](crate::Talc) on the platforms where this crate
//! is the runtime: one `talc::base::Talc` in a `Global`, growing through
//! `memory.grow`, clearing every block it is given back.

use super::cell::Global;
use core::alloc::{GlobalAlloc, Layout};
use talc::base::Talc;
use talc::wasm::{WasmBinning, WasmGrowAndExtend};

type Heap = Talc<WasmGrowAndExtend, WasmBinning>;

static HEAP: Global<Heap> = Global::new(Talc::new(WasmGrowAndExtend::new()));

/// Runs `f` on the heap; `None` if it is already in use (it never is: see
/// below).
fn with_heap<R>(f: impl FnOnce(&mut Heap) -> R) -> Option<R> {
    // SAFETY: every `f` here only calls into talc, whose wasm source calls
    // nothing but `memory.grow` (and never this crate's allocator), so
    // `HEAP` is never reached twice.
    unsafe { HEAP.try_with(f) }
}

// SAFETY: every block comes from and goes back to one `talc::base::Talc`
// with the caller's layout: talc's `allocate`/`deallocate`/`shrink`/
// `try_grow_in_place` require what `GlobalAlloc`'s callers promise (a
// non-zero size included: `alloc` and `realloc` require it too). Clearing
// writes only inside a block the caller still owns, before it is handed back.
unsafe impl GlobalAlloc for super::talc::Talc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's promise: `layout` has a non-zero size.
        with_heap(|h| unsafe { h.allocate(layout) })
            .flatten()
            .map_or(core::ptr::null_mut(), |p| p.as_ptr())
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller owns `layout.size()` bytes at `ptr` until this
        // call returns; then `ptr` came from this heap with `layout`.
        unsafe {
            super::clear::scrub(ptr, layout.size());
            with_heap(|h| h.deallocate(ptr, layout));
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let old_size = layout.size();
        if new_size <= old_size {
            // SAFETY: the tail is the caller's until the shrink; then `ptr`
            // is this heap's block of `layout`, and `new_size` is non-zero
            // (the caller's promise) and not larger.
            unsafe {
                super::clear::scrub(ptr.add(new_size), old_size - new_size);
                with_heap(|h| h.shrink(ptr, layout, new_size));
            }
            return ptr;
        }
        // SAFETY: `ptr` is this heap's block of `layout`, and `new_size` is
        // larger. Growing in place leaves no copy of the data behind.
        if with_heap(|h| unsafe { h.try_grow_in_place(ptr, layout, new_size) }) == Some(true) {
            return ptr;
        }
        move_block(self, ptr, layout, new_size)
    }
}

/// `realloc` by moving: a new block, the bytes copied, the old block cleared
/// and freed. Null (the old block untouched) if memory ran out.
fn move_block(heap: &super::talc::Talc, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
    // SAFETY: `realloc`'s caller guarantees `new_size` with `layout.align()`
    // is a valid layout.
    let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
    // SAFETY: as for `alloc`.
    let new = unsafe { heap.alloc(new_layout) };
    if !new.is_null() {
        // SAFETY: `ptr` holds `layout.size()` bytes, `new` at least
        // `new_size`, and they are different blocks; then the old block is
        // cleared and freed like any other.
        unsafe {
            core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
            heap.dealloc(ptr, layout);
        }
    }
    new
}
