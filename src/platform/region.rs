//! A bump region over chunks of memory that are never returned, only reused,
//! and cleared whenever they are freed.
//!
//! Linear memory can grow but never shrink, and other allocators may grow it
//! between two of our requests, so the region is a list of chunks. Each chunk
//! starts with a [`Header`]. Allocation bumps a pointer inside the current
//! chunk, moves on to the next chunk when it does not fit, and asks for a new
//! chunk (from `grow`) at the end of the list.
//!
//! Clearing: every byte the region hands out is zero again before it can be
//! handed out a second time. [`Region::release`] and [`Region::reset`] zero
//! what they free (each chunk up to the highest address used in it), a
//! shrinking `realloc` zeroes the tail it gives back, and a moving `realloc`
//! zeroes the block it moved from. Fresh chunks come from `memory.grow`,
//! which the host zeroes.
//!
//! Addresses are plain `usize`s: the region owns the memory it was given and
//! is reached only through `&mut Region` (inside a `Global`).

use core::ptr;

/// Where a region's chunks come from: a function that gives `bytes` (or
/// more) of fresh, zeroed memory and returns (address, length).
///
/// The region writes headers into what it is given and hands it out, so the
/// promise that the memory is fresh and the region's alone is made where a
/// `Grow` is made, with `unsafe` ([`Grow::new`]).
#[derive(Clone, Copy)]
pub(crate) struct Grow(fn(bytes: usize) -> Option<(usize, usize)>);

impl Grow {
    /// # Safety
    /// `Some((addr, len))` from `f` is `len >= bytes` bytes at `addr`, zeroed,
    /// aligned to 16, that nothing else uses now or later.
    pub(crate) const unsafe fn new(f: fn(bytes: usize) -> Option<(usize, usize)>) -> Grow {
        Grow(f)
    }
}

/// The start of every chunk.
#[repr(C)]
struct Header {
    /// The next chunk, or 0.
    next: usize,
    /// One past the chunk's last byte.
    end: usize,
    /// The highest address handed out in this chunk since it was last
    /// cleared: what [`Region::release`] must zero.
    used: usize,
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

const fn align_up(addr: usize, align: usize) -> Option<usize> {
    match addr.checked_add(align - 1) {
        Some(v) => Some(v & !(align - 1)),
        None => None,
    }
}

/// Zeroes `len` bytes at `addr`, in a way the optimiser keeps (see
/// [`super::clear::scrub`]).
///
/// # Safety
/// `addr..addr + len` lies inside one of the region's chunks (or a block it
/// handed out that its owner gave back).
unsafe fn zero(addr: usize, len: usize) {
    if len != 0 {
        // SAFETY: the caller's promise: memory the region owns.
        unsafe { super::clear::scrub(addr as *mut u8, len) };
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

    /// The header of `chunk`.
    ///
    /// # Safety
    /// `chunk` is the address of a chunk this region wrote a header into.
    unsafe fn header<'a>(chunk: usize) -> &'a mut Header {
        // SAFETY: the caller's promise; headers are aligned (chunks are
        // page-aligned on wasm, 16-aligned in tests) and only reached through
        // `&mut Region`.
        unsafe { &mut *(chunk as *mut Header) }
    }

    /// Records that the current chunk is used up to `self.ptr`.
    fn note_used(&mut self) {
        if self.chunk != 0 {
            // SAFETY: `self.chunk` is one of our chunks.
            let h = unsafe { Self::header(self.chunk) };
            h.used = h.used.max(self.ptr);
        }
    }

    /// Allocates `size` bytes aligned to `align` (a power of two), or returns
    /// null when no more memory can be had.
    pub(crate) fn alloc(&mut self, size: usize, align: usize, grow: Grow) -> *mut u8 {
        loop {
            if self.chunk != 0 {
                // Copied out: no reference to a header outlives its line.
                // SAFETY: `self.chunk` is one of our chunks.
                let (end, next) = unsafe {
                    let h = Self::header(self.chunk);
                    (h.end, h.next)
                };
                if let Some(start) = align_up(self.ptr, align)
                    && start <= end
                    && end - start >= size
                {
                    self.ptr = start + size;
                    return start as *mut u8;
                }
                if next != 0 {
                    self.note_used();
                    self.chunk = next;
                    self.ptr = next + HEADER;
                    continue;
                }
            }
            let Some(want) = size.checked_add(align + HEADER) else {
                return ptr::null_mut();
            };
            let Some((base, len)) = (grow.0)(want) else {
                return ptr::null_mut();
            };
            // SAFETY: `grow` handed us `len >= want > HEADER` fresh bytes at
            // `base`, aligned for a header (the promise of `Grow::new`).
            unsafe {
                (base as *mut Header).write(Header {
                    next: 0,
                    end: base + len,
                    used: 0,
                })
            };
            self.note_used();
            if self.chunk == 0 {
                self.first = base;
            } else {
                let mut last = self.chunk;
                // SAFETY: walking headers this region wrote.
                unsafe {
                    while Self::header(last).next != 0 {
                        last = Self::header(last).next;
                    }
                    Self::header(last).next = base;
                }
            }
            self.chunk = base;
            self.ptr = base + HEADER;
        }
    }

    /// Grows or shrinks a block this region handed out: in place when it is
    /// the most recent one and fits, otherwise by allocating anew, copying and
    /// zeroing the old block. `old` may be null (then this is
    /// [`Region::alloc`]).
    ///
    /// # Safety
    /// A non-null `old` is a block of `old_size` bytes this region handed out
    /// (since its last release or reset), which the caller gives up.
    pub(crate) unsafe fn realloc(
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
        if new_size <= old_size {
            // Shrinking never moves; the tail is given back cleared (and
            // reused only if this was the most recent block).
            // SAFETY: the tail of the caller's block (the promise above).
            unsafe { zero(addr + new_size, old_size - new_size) };
            if addr + old_size == self.ptr {
                self.note_used();
                self.ptr = addr + new_size;
            }
            return old;
        }
        if addr + old_size == self.ptr && self.chunk != 0 {
            // SAFETY: `self.chunk` is one of our chunks.
            let end = unsafe { Self::header(self.chunk).end };
            if end - addr >= new_size {
                self.ptr = addr + new_size;
                return old;
            }
        }
        let new = self.alloc(new_size, align, grow);
        if !new.is_null() {
            // SAFETY: `old` holds `old_size` bytes and `new` at least
            // `new_size > old_size`; `new` is a fresh allocation, so they do
            // not overlap.
            unsafe { ptr::copy_nonoverlapping(old, new, old_size) };
            // SAFETY: the caller's block, which it gave up.
            unsafe { zero(addr, old_size) };
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

    /// Frees (and zeroes) everything allocated since `mark`.
    pub(crate) fn release(&mut self, mark: Mark) {
        if mark.chunk == 0 {
            return self.reset();
        }
        self.note_used();
        let mut chunk = mark.chunk;
        let mut from = mark.ptr;
        loop {
            // SAFETY: walking headers this region wrote, from the mark's chunk
            // to the current one.
            let h = unsafe { Self::header(chunk) };
            // SAFETY: `from..h.used` is inside this chunk (`used` never
            // exceeds its end), and everything after the mark is freed.
            unsafe { zero(from, h.used.saturating_sub(from)) };
            h.used = from;
            if chunk == self.chunk || h.next == 0 {
                break;
            }
            chunk = h.next;
            from = chunk + HEADER;
        }
        self.chunk = mark.chunk;
        self.ptr = mark.ptr;
    }

    /// Frees (and zeroes) everything; the chunks are kept for reuse.
    pub(crate) fn reset(&mut self) {
        if self.first != 0 {
            self.release(Mark {
                chunk: self.first,
                ptr: self.first + HEADER,
            });
        }
    }

    /// Whether `addr` lies in one of this region's chunks.
    #[cfg_attr(not(any(feature = "arena", test)), allow(dead_code))]
    pub(crate) fn contains(&self, addr: usize) -> bool {
        let mut chunk = self.first;
        while chunk != 0 {
            // SAFETY: walking headers this region wrote.
            let h = unsafe { Self::header(chunk) };
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
            let h = unsafe { Self::header(chunk) };
            total += h.end - chunk;
            chunk = h.next;
        }
        total
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::vec::Vec;

    fn grow_heap_fn(bytes: usize) -> Option<(usize, usize)> {
        // Leaked on purpose: chunks live for the whole test process.
        let len = bytes.max(256).div_ceil(16) * 16;
        let v: &'static mut [u128] = Vec::leak(std::vec![0u128; len / 16]);
        Some((v.as_mut_ptr() as usize, len))
    }

    fn grow_never_fn(_: usize) -> Option<(usize, usize)> {
        None
    }

    // SAFETY: (tests) `grow_heap_fn` leaks a fresh zeroed 16-aligned buffer
    // for every chunk; `grow_never_fn` gives nothing.
    const GROW_HEAP: Grow = unsafe { Grow::new(grow_heap_fn) };
    // SAFETY: as above.
    const GROW_NEVER: Grow = unsafe { Grow::new(grow_never_fn) };

    /// Fills `len` bytes at `p` with `byte`.
    fn fill(p: *mut u8, len: usize, byte: u8) {
        // SAFETY: every caller passes a block the region just handed out.
        unsafe { p.write_bytes(byte, len) };
    }

    /// Whether `len` bytes at `addr` are all zero.
    fn zeroed(addr: usize, len: usize) -> bool {
        // SAFETY: every caller passes memory inside a leaked test chunk.
        unsafe { core::slice::from_raw_parts(addr as *const u8, len) }
            .iter()
            .all(|&b| b == 0)
    }

    #[test]
    fn bumps_aligns_and_moves_to_new_chunks() {
        let mut r = Region::new();
        let a = r.alloc(3, 1, GROW_HEAP) as usize;
        let b = r.alloc(8, 8, GROW_HEAP) as usize;
        assert_eq!(b % 8, 0);
        assert!(b >= a + 3);
        // Larger than the first chunk: a second chunk is linked in.
        let c = r.alloc(4096, 16, GROW_HEAP) as usize;
        assert_eq!(c % 16, 0);
        assert!(r.contains(a) && r.contains(b) && r.contains(c));
        assert!(r.capacity() >= 4096 + 256);
    }

    #[test]
    fn reset_reuses_the_same_memory_and_leaves_it_zeroed() {
        let mut r = Region::new();
        let first: Vec<usize> = (0..50)
            .map(|_| {
                let p = r.alloc(100, 4, GROW_HEAP);
                fill(p, 100, 0xAB);
                p as usize
            })
            .collect();
        let cap = r.capacity();
        r.reset();
        for &p in &first {
            assert!(zeroed(p, 100), "block at {p:#x} not cleared by reset");
        }
        let second: Vec<usize> = (0..50)
            .map(|_| r.alloc(100, 4, GROW_HEAP) as usize)
            .collect();
        assert_eq!(first, second);
        assert_eq!(r.capacity(), cap, "no new chunk after a reset");
    }

    #[test]
    fn release_to_mark_frees_and_zeroes_only_what_came_after() {
        let mut r = Region::new();
        let keep = r.alloc(10, 1, GROW_HEAP);
        fill(keep, 10, 1);
        let m = r.mark();
        let tmp = r.alloc(10, 1, GROW_HEAP);
        fill(tmp, 10, 2);
        // Spills into a second chunk, which release must clear too.
        let big = r.alloc(1000, 1, GROW_HEAP);
        fill(big, 1000, 3);
        r.release(m);
        assert!(zeroed(tmp as usize, 10) && zeroed(big as usize, 1000));
        // SAFETY: `keep` is a live 10-byte block.
        assert_eq!(unsafe { *keep }, 1, "memory before the mark is kept");
        assert_eq!(r.alloc(10, 1, GROW_HEAP), tmp);
    }

    #[test]
    fn realloc_grows_in_place_copies_otherwise_and_clears_what_it_leaves() {
        let mut r = Region::new();
        let p = r.alloc(4, 1, GROW_HEAP);
        // SAFETY: `p` has 4 writable bytes.
        unsafe { p.copy_from_nonoverlapping(b"abcd".as_ptr(), 4) };
        // SAFETY: (test) `p` is the region's 4-byte block, given up here.
        let q = unsafe { r.realloc(p, 4, 1, 8, GROW_HEAP) };
        assert_eq!(p, q, "last allocation grows in place");
        let _other = r.alloc(1, 1, GROW_HEAP);
        // SAFETY: as above, for `q`.
        let s = unsafe { r.realloc(q, 8, 1, 16, GROW_HEAP) };
        assert_ne!(s, q);
        // SAFETY: `s` has 16 bytes, the first 4 copied from `p`.
        assert_eq!(unsafe { core::slice::from_raw_parts(s, 4) }, b"abcd");
        assert!(zeroed(q as usize, 8), "the block moved from is cleared");
        fill(s, 16, 7);
        // SAFETY: as above, for `s`.
        let t = unsafe { r.realloc(s, 16, 1, 4, GROW_HEAP) };
        assert_eq!(t, s, "shrinking stays in place");
        assert!(zeroed(s as usize + 4, 12), "the tail given back is cleared");
    }

    #[test]
    fn out_of_memory_is_null_not_a_wrap() {
        let mut r = Region::new();
        assert!(r.alloc(1, 1, GROW_NEVER).is_null());
        let mut r = Region::new();
        assert!(r.alloc(usize::MAX - 4, 8, GROW_HEAP).is_null());
        assert!(!r.contains(0));
    }
}
