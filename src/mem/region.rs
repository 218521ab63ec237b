//! A bump region over chunks of memory that are never returned, only reused.
//!
//! Linear memory can grow but never shrink, and other allocators may grow it
//! between two of our requests, so the region is a list of chunks. Each chunk
//! starts with a header (`next`, `end`). Allocation bumps a pointer inside the
//! current chunk, moves on to the next chunk when it does not fit, and asks for
//! a new chunk (from `grow`) at the end of the list. [`Region::reset`] rewinds
//! to the first chunk: every byte is reused, none is given back.

use core::ptr;

/// Gives `bytes` (or more) of fresh memory; returns (address, length).
pub(crate) type Grow = fn(bytes: usize) -> Option<(usize, usize)>;

#[repr(C)]
struct Header {
    next: usize,
    end: usize,
}

const HEADER: usize = core::mem::size_of::<Header>();

/// A saved position, see [`Region::mark`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Mark {
    chunk: usize,
    ptr: usize,
}

/// A chunked bump region.
///
/// All fields start at zero, so a `static` region costs no bytes in the
/// binary; where memory comes from is passed to each allocation (`grow`).
pub(crate) struct Region {
    first: usize,
    chunk: usize,
    ptr: usize,
}

// SAFETY: the region only holds addresses; the memory they name is owned by
// the region and reached only through `&mut Region`.
unsafe impl Send for Region {}

const fn align_up(addr: usize, align: usize) -> Option<usize> {
    match addr.checked_add(align - 1) {
        Some(v) => Some(v & !(align - 1)),
        None => None,
    }
}

impl Region {
    /// An empty region.
    pub(crate) const fn new() -> Self {
        Self {
            first: 0,
            chunk: 0,
            ptr: 0,
        }
    }

    fn header(chunk: usize) -> *mut Header {
        chunk as *mut Header
    }

    /// Allocates `size` bytes aligned to `align` (a power of two), or returns
    /// null when no more memory can be had.
    pub(crate) fn alloc(&mut self, size: usize, align: usize, grow: Grow) -> *mut u8 {
        loop {
            if self.chunk != 0 {
                // SAFETY: `chunk` is the address of a header this region wrote.
                let end = unsafe { (*Self::header(self.chunk)).end };
                if let Some(start) = align_up(self.ptr, align)
                    && start <= end
                    && end - start >= size
                {
                    self.ptr = start + size;
                    return start as *mut u8;
                }
                // SAFETY: as above.
                let next = unsafe { (*Self::header(self.chunk)).next };
                if next != 0 {
                    self.chunk = next;
                    self.ptr = next + HEADER;
                    continue;
                }
            }
            let Some(want) = size.checked_add(align + HEADER) else {
                return ptr::null_mut();
            };
            let Some((base, len)) = grow(want) else {
                return ptr::null_mut();
            };
            // SAFETY: `grow` handed us `len >= want > HEADER` fresh bytes at
            // `base`, aligned for a header (page or test allocation).
            unsafe {
                Self::header(base).write(Header {
                    next: 0,
                    end: base + len,
                })
            };
            if self.chunk == 0 {
                self.first = base;
            } else {
                let mut last = self.chunk;
                // SAFETY: walking headers this region wrote.
                unsafe {
                    while (*Self::header(last)).next != 0 {
                        last = (*Self::header(last)).next;
                    }
                    (*Self::header(last)).next = base;
                }
            }
            self.chunk = base;
            self.ptr = base + HEADER;
        }
    }

    /// Grows or shrinks the most recent allocation in place when possible,
    /// otherwise allocates anew and copies. `old` may be null (then this is
    /// [`Region::alloc`]).
    pub(crate) fn realloc(
        &mut self,
        old: *mut u8,
        old_size: usize,
        align: usize,
        new_size: usize,
        grow: Grow,
    ) -> *mut u8 {
        if old.is_null() || old_size == 0 {
            return self.alloc(new_size, align, grow);
        }
        let addr = old as usize;
        if addr + old_size == self.ptr && self.chunk != 0 {
            // SAFETY: `chunk` is a header this region wrote.
            let end = unsafe { (*Self::header(self.chunk)).end };
            if end - addr >= new_size {
                self.ptr = addr + new_size;
                return old;
            }
        }
        let new = self.alloc(new_size, align, grow);
        if !new.is_null() {
            // SAFETY: both ranges belong to this region, `new` is a fresh
            // allocation so they do not overlap.
            unsafe { ptr::copy_nonoverlapping(old, new, old_size.min(new_size)) };
        }
        new
    }

    /// The current position.
    pub(crate) fn mark(&self) -> Mark {
        Mark {
            chunk: self.chunk,
            ptr: self.ptr,
        }
    }

    /// Frees everything allocated since `mark`.
    pub(crate) fn release(&mut self, mark: Mark) {
        if mark.chunk == 0 {
            self.reset();
        } else {
            self.chunk = mark.chunk;
            self.ptr = mark.ptr;
        }
    }

    /// Frees everything; the chunks are kept for reuse.
    pub(crate) fn reset(&mut self) {
        self.chunk = self.first;
        self.ptr = if self.first == 0 {
            0
        } else {
            self.first + HEADER
        };
    }

    /// Whether `addr` lies in one of this region's chunks.
    pub(crate) fn contains(&self, addr: usize) -> bool {
        let mut chunk = self.first;
        while chunk != 0 {
            // SAFETY: walking headers this region wrote.
            let h = unsafe { &*Self::header(chunk) };
            if addr > chunk && addr < h.end {
                return true;
            }
            chunk = h.next;
        }
        false
    }

    /// Total bytes of memory the region holds.
    #[cfg(test)]
    pub(crate) fn capacity(&self) -> usize {
        let mut total = 0;
        let mut chunk = self.first;
        while chunk != 0 {
            // SAFETY: walking headers this region wrote.
            let h = unsafe { &*Self::header(chunk) };
            total += h.end - chunk;
            chunk = h.next;
        }
        total
    }
}

/// `Grow` for wasm32: whole 64 KiB pages from `memory.grow`.
#[cfg(target_arch = "wasm32")]
pub(crate) fn grow_pages(bytes: usize) -> Option<(usize, usize)> {
    const PAGE: usize = 65536;
    let pages = bytes.div_ceil(PAGE);
    let old = core::arch::wasm32::memory_grow(0, pages);
    if old == usize::MAX {
        None
    } else {
        Some((old * PAGE, pages * PAGE))
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::vec::Vec;

    fn grow_heap(bytes: usize) -> Option<(usize, usize)> {
        // Leaked on purpose: chunks live for the whole test process.
        let len = bytes.max(256).div_ceil(16) * 16;
        let v: &'static mut [u128] = Vec::leak(std::vec![0u128; len / 16]);
        Some((v.as_mut_ptr() as usize, len))
    }

    fn grow_never(_: usize) -> Option<(usize, usize)> {
        None
    }

    #[test]
    fn bumps_aligns_and_moves_to_new_chunks() {
        let mut r = Region::new();
        let a = r.alloc(3, 1, grow_heap) as usize;
        let b = r.alloc(8, 8, grow_heap) as usize;
        assert_eq!(b % 8, 0);
        assert!(b >= a + 3);
        // Larger than the first chunk: a second chunk is linked in.
        let c = r.alloc(4096, 16, grow_heap) as usize;
        assert_eq!(c % 16, 0);
        assert!(r.contains(a) && r.contains(b) && r.contains(c));
        assert!(r.capacity() >= 4096 + 256);
    }

    #[test]
    fn reset_reuses_the_same_memory() {
        let mut r = Region::new();
        let first: Vec<usize> = (0..50)
            .map(|_| r.alloc(100, 4, grow_heap) as usize)
            .collect();
        let cap = r.capacity();
        r.reset();
        let second: Vec<usize> = (0..50)
            .map(|_| r.alloc(100, 4, grow_heap) as usize)
            .collect();
        assert_eq!(first, second);
        assert_eq!(r.capacity(), cap, "no new chunk after a reset");
    }

    #[test]
    fn release_to_mark_frees_only_what_came_after() {
        let mut r = Region::new();
        let keep = r.alloc(10, 1, grow_heap) as usize;
        let m = r.mark();
        let tmp = r.alloc(10, 1, grow_heap) as usize;
        r.release(m);
        assert_eq!(r.alloc(10, 1, grow_heap) as usize, tmp);
        assert_ne!(keep, tmp);
    }

    #[test]
    fn realloc_extends_the_last_allocation_in_place_and_copies_otherwise() {
        let mut r = Region::new();
        let p = r.alloc(4, 1, grow_heap);
        // SAFETY: `p` has 4 writable bytes.
        unsafe { p.copy_from_nonoverlapping(b"abcd".as_ptr(), 4) };
        let q = r.realloc(p, 4, 1, 8, grow_heap);
        assert_eq!(p, q, "last allocation grows in place");
        let _other = r.alloc(1, 1, grow_heap);
        let s = r.realloc(q, 8, 1, 16, grow_heap);
        assert_ne!(s, q);
        // SAFETY: `s` has 16 bytes, the first 4 copied from `p`.
        assert_eq!(unsafe { core::slice::from_raw_parts(s, 4) }, b"abcd");
    }

    #[test]
    fn out_of_memory_is_null_not_a_wrap() {
        let mut r = Region::new();
        assert!(r.alloc(1, 1, grow_never).is_null());
        let mut r = Region::new();
        assert!(r.alloc(usize::MAX - 4, 8, grow_heap).is_null());
        assert!(!r.contains(0));
    }
}
