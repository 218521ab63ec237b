//! `cabi_realloc` and the import arena (the platforms where this crate is the
//! runtime: `wasip2`, `wasip3`).
//!
//! When an import returns a list or a string, or an export takes one, the host
//! calls the module's `cabi_realloc` to get memory for it. wit-bindgen no
//! longer provides that function on `wasm32-wasip2` (std does), so a no_std
//! component must export one. Ours serves two kinds of caller:
//!
//! * **This crate's own import calls** (arguments, environment, stdin reads),
//!   made inside [`scoped`]: the list goes into the import arena, a bump
//!   [`Region`] that this crate reads in place and that is freed and zeroed
//!   at the end of the run (stdin chunks right after they are copied). No
//!   value that owns arena memory ever reaches user code or the global
//!   allocator.
//! * **This crate's own calls whose results become owned values** (file
//!   contents, directory entry names, preopen paths), made inside
//!   [`scoped_global`]: the generated bindings take ownership of the list as
//!   a `Vec`/`String`, so it comes from the global allocator.
//! * **Everyone else** (the `wasi` re-export, bindings the author generates
//!   with `bindgen`, exports that take lists): generated code takes ownership
//!   of the list as a `Vec`/`String` and frees it through the global
//!   allocator, so it must come from the global allocator. With feature `wasi`
//!   or `bindgen` (`sys::RAW_LISTS`) it does; without them no such binding
//!   can be reached, and a call from one anyway traps (never hands out
//!   memory).
//!
//! Size: a program that never receives a list pays only for the exported
//! function itself. The allocator it calls is held in [`REALLOC`], which only
//! [`scoped`] writes; in a program that never calls `scoped` the optimiser
//! sees a global that is never written, folds it, and links neither the
//! arena nor a global allocator.

use super::cell::Global;
use super::region::{Grow, Mark, Region};

/// `cabi_realloc`'s signature, minus `extern "C"`.
///
/// # Safety
/// A non-null first argument is a block this same function returned during
/// the lowering in progress, of the length given as the second (what the
/// canonical ABI passes back).
type ReallocFn = unsafe fn(*mut u8, usize, usize, usize) -> *mut u8;

/// Where lists go outside [`scoped`]: the global allocator when other
/// bindings may receive lists, else nowhere (trap).
const OUTSIDE: Option<ReallocFn> = if super::sys::RAW_LISTS {
    Some(global_realloc)
} else {
    None
};

/// The allocator `cabi_realloc` calls right now.
static REALLOC: Global<Option<ReallocFn>> = Global::new(OUTSIDE);
/// The import arena.
static ARENA: Global<Region> = Global::new(Region::new());
/// Whether the arena received anything this run (so [`reset`] has work).
static USED: Global<bool> = Global::new(false);
/// Whether it ever received anything ([`ever_used`]).
static EVER: Global<bool> = Global::new(false);

/// `cabi_realloc` while this crate's own import calls run.
///
/// # Safety
/// As [`ReallocFn`].
unsafe fn arena_realloc(old: *mut u8, old_len: usize, align: usize, new_len: usize) -> *mut u8 {
    // SAFETY: (`try_with`) the closure touches only the arena. (`realloc`)
    // a non-null `old` is an arena block of `old_len` bytes: the arena is
    // selected for the whole lowering, so it handed that block out (the
    // caller's promise), and the host gives it up.
    unsafe { ARENA.try_with(|a| a.realloc(old, old_len, align, new_len, PAGES)) }
        .unwrap_or(core::ptr::null_mut())
}

/// Memory from the global allocator, in the layout generated bindings free
/// it with (`Layout::from_size_align(len, align)`).
///
/// # Safety
/// As [`ReallocFn`].
unsafe fn global_realloc(old: *mut u8, old_len: usize, align: usize, new_len: usize) -> *mut u8 {
    use alloc::alloc::{Layout, alloc, realloc};
    if new_len == 0 {
        // An empty list: any aligned non-null pointer; bindings never free it.
        return align as *mut u8;
    }
    let (Ok(new), Ok(old_layout)) = (
        Layout::from_size_align(new_len, align),
        Layout::from_size_align(old_len, align),
    ) else {
        return core::ptr::null_mut();
    };
    if old.is_null() || old_len == 0 {
        // SAFETY: `new` has a non-zero size.
        unsafe { alloc(new) }
    } else {
        // SAFETY: a pointer this function returned during the same lowering
        // (the caller's promise), with the length it asked for then: a
        // global-allocator block of `old_layout`. (Lowerings inside `scoped`
        // go to the arena for their whole duration, so a pointer never
        // crosses between the two.)
        unsafe { realloc(old, old_layout, new_len) }
    }
}

/// The canonical ABI allocation function, exported as `cabi_realloc`.
///
/// It traps (`unreachable`) rather than return null: a null would let the
/// host write the list at address 0.
#[unsafe(no_mangle)]
unsafe extern "C" fn cabi_realloc(
    old_ptr: *mut u8,
    old_len: usize,
    align: usize,
    new_len: usize,
) -> *mut u8 {
    // SAFETY: the closure only copies the value out.
    let f = unsafe { REALLOC.try_with(|f| *f) }.flatten();
    let ptr = match f {
        // SAFETY: the canonical ABI calls `cabi_realloc` with null, or with a
        // block it returned during the same lowering; and `REALLOC` does not
        // change during a lowering (only `scoped*` write it, around whole
        // import calls).
        Some(f) => unsafe { f(old_ptr, old_len, align, new_len) },
        None => core::ptr::null_mut(),
    };
    if ptr.is_null() {
        core::arch::wasm32::unreachable();
    }
    ptr
}

/// Makes one of this crate's own list-returning import calls, with
/// `cabi_realloc` serving the import arena for exactly its duration. `call`
/// is an import call and nothing else: no user code runs while the arena is
/// selected.
#[inline]
pub(crate) fn scoped<R>(call: impl FnOnce() -> R) -> R {
    select(Some(arena_realloc));
    // SAFETY: the closures only store.
    unsafe { USED.try_with(|u| *u = true) };
    if cfg!(wasi_guest_sys = "wasip3") {
        // SAFETY: as above.
        unsafe { EVER.try_with(|e| *e = true) };
    }
    let r = call();
    select(OUTSIDE);
    r
}

/// Makes `f` what `cabi_realloc` calls.
#[inline(always)]
fn select(f: Option<ReallocFn>) {
    // SAFETY: the closure only stores.
    unsafe { REALLOC.try_with(|slot| *slot = f) };
}

/// Makes one of this crate's own import calls whose lists the generated
/// bindings turn into owned values: `cabi_realloc` serves the global
/// allocator for exactly its duration.
#[inline]
pub(crate) fn scoped_global<R>(call: impl FnOnce() -> R) -> R {
    select(Some(global_realloc));
    let r = call();
    select(OUTSIDE);
    r
}

/// A small buffer for this crate's import calls whose lists are not
/// expected at all: an error's message that `outgoing-body.finish` could
/// return (Wasmtime's carries none). It lives in `.bss` (no bytes in the
/// binary), and linking it instead of the import arena keeps the smallest
/// HTTP handler ~600 bytes smaller. A list that does not fit traps in
/// `cabi_realloc`, as any allocation failure there does.
struct Scratch {
    used: usize,
    buf: [u8; SCRATCH],
}

const SCRATCH: usize = 1024;

#[cfg_attr(not(feature = "http"), allow(dead_code))]
static SCRATCH_BUF: Global<Scratch> = Global::new(Scratch {
    used: 0,
    buf: [0; SCRATCH],
});

/// `cabi_realloc` during [`scoped_scratch`]: a bump in the scratch buffer.
/// A safe function (it never reads `old`), typed as a [`ReallocFn`].
#[cfg_attr(not(feature = "http"), allow(dead_code))]
fn scratch_realloc(old: *mut u8, old_len: usize, align: usize, new_len: usize) -> *mut u8 {
    if !old.is_null() && old_len != 0 {
        return core::ptr::null_mut(); // lists are never grown by the host here
    }
    // SAFETY: the closure touches only the scratch buffer.
    unsafe {
        SCRATCH_BUF.try_with(|s| {
            let base = s.buf.as_mut_ptr() as usize;
            let start = (base + s.used).next_multiple_of(align.max(1)) - base;
            match s.buf.get_mut(start..start + new_len) {
                Some(block) => {
                    s.used = start + new_len;
                    block.as_mut_ptr()
                }
                None => core::ptr::null_mut(),
            }
        })
    }
    .unwrap_or(core::ptr::null_mut())
}

/// Makes one of this crate's own import calls whose results' lists are
/// never read (only the result's case is): whatever the host writes lands in
/// the scratch buffer, zeroed right after the call.
#[cfg_attr(not(feature = "http"), allow(dead_code))]
pub(crate) fn scoped_scratch<R>(call: impl FnOnce() -> R) -> R {
    select(Some(scratch_realloc));
    let r = call();
    select(OUTSIDE);
    // SAFETY: the closure touches only the scratch buffer.
    unsafe {
        SCRATCH_BUF.try_with(|s| {
            if let Some(used) = s.buf.get_mut(..s.used) {
                super::clear::scrub_slice(used);
            }
            s.used = 0;
        })
    };
    r
}

/// The import arena's current position.
pub(crate) fn mark() -> Mark {
    // SAFETY: the closure touches only the arena.
    unsafe { ARENA.try_with(|a| a.mark()) }.unwrap_or_else(|| Region::new().mark())
}

/// Frees and zeroes everything received since `mark`.
pub(crate) fn release(mark: Mark) {
    // SAFETY: the closure touches only the arena.
    unsafe { ARENA.try_with(|a| a.release(mark)) };
}

/// Frees and zeroes every list received during the run (end of every run;
/// on WASI 0.3 every call's arena is reset when its task ends).
#[allow(dead_code)]
pub(crate) fn reset() {
    // SAFETY: the closures touch only their own global.
    if unsafe { USED.try_with(core::mem::take) }.unwrap_or(false) {
        // SAFETY: as above.
        unsafe { ARENA.try_with(Region::reset) };
    }
}

/// Whole 64 KiB pages from `memory.grow`, for the regions of this crate.
// SAFETY: `memory.grow` hands out fresh pages the host zeroed, page-aligned,
// and nothing else ever gets them (linear memory never shrinks).
pub(crate) const PAGES: Grow = unsafe { Grow::new(grow_pages) };

/// `memory.grow` by enough pages for `bytes`.
fn grow_pages(bytes: usize) -> Option<(usize, usize)> {
    const PAGE: usize = 65536;
    let pages = bytes.div_ceil(PAGE);
    let old = core::arch::wasm32::memory_grow(0, pages);
    if old == usize::MAX {
        None
    } else {
        Some((old * PAGE, pages * PAGE))
    }
}

/// Whether any of this crate's own import calls ever received a list into
/// the arena (never true in a program that makes none: nothing writes the
/// flag there, and the optimiser folds every read of it).
#[allow(dead_code)] // WASI 0.3 only
pub(crate) fn ever_used() -> bool {
    // SAFETY: the closure only reads.
    unsafe { EVER.try_with(|e| *e) }.unwrap_or(false)
}

/// Swaps the import arena with `saved` (WASI 0.3: every task keeps its own
/// arena in its header and swaps it in for the time it runs, so lists of
/// overlapping calls never share one).
#[allow(dead_code)] // WASI 0.3 only
pub(crate) fn swap_arena(saved: &mut Region) {
    // SAFETY: the closure touches only the arena and `saved`, which is not
    // the arena.
    unsafe { ARENA.try_with(|a| core::mem::swap(a, saved)) };
}
