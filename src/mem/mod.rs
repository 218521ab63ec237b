//! Memory: `cabi_realloc` and the import arena, the global allocators, and
//! clearing. One of the few modules allowed `unsafe` (see the crate root).
//!
//! Where each kind of memory comes from, and when it is cleared:
//!
//! | memory | from | freed and zeroed |
//! |---|---|---|
//! | lists this crate's own import calls receive (arguments, environment, bytes read) | the import arena ([`cabi`], no_std) or the global allocator (`std`) | at the end of the run (stdin chunks: right after they are copied) |
//! | lists any other binding receives (`wasi` re-export, your own bindings) | the global allocator, through `cabi_realloc` (no_std with feature `wasi` or `bindgen`; with `std`, std's own `cabi_realloc`) | when the program drops them |
//! | the program's heap | [`Dlmalloc`](crate::Dlmalloc) or [`RunArena`](arena::RunArena) (no_std), std's allocator (`std`) | on free (no_std); the run arena also when the run ends |
//!
//! Clearing is `write_bytes` followed by [`core::hint::black_box`], so the
//! optimiser cannot drop it as a dead store.

#[cfg(all(guest_rt, feature = "arena"))]
pub(crate) mod arena;
#[cfg(guest_rt)]
pub(crate) mod cabi;
#[cfg(feature = "dlmalloc")]
pub(crate) mod dlmalloc;
#[cfg(any(guest_rt, test))]
pub(crate) mod region;
#[cfg(target_arch = "wasm32")]
mod stack;

/// Zeroes `len` bytes at `ptr` so that nothing a run wrote there survives it.
///
/// # Safety
/// `ptr..ptr + len` is memory the caller owns and may write.
#[inline]
pub(crate) unsafe fn scrub(ptr: *mut u8, len: usize) {
    #[cfg(not(wasi_guest_no_scrub))]
    {
        // SAFETY: the caller's promise.
        unsafe { ptr.write_bytes(0, len) };
        // The zeroes must reach memory even though nothing reads them again.
        core::hint::black_box(ptr);
    }
    #[cfg(wasi_guest_no_scrub)]
    let _ = (ptr, len);
}

/// Zeroes a buffer of the crate's own on the stack, when it is done with it.
#[inline]
pub(crate) fn scrub_slice(buf: &mut [u8]) {
    // SAFETY: `buf` is borrowed mutably for the duration of the call.
    unsafe { scrub(buf.as_mut_ptr(), buf.len()) }
}

/// Appends `bytes` to `out` without the infallible growth path (whose
/// allocation-failure handler formats a message, ~1 KB): `false`, with `out`
/// unchanged, if memory runs out.
pub(crate) fn try_append(out: &mut alloc::vec::Vec<u8>, bytes: &[u8]) -> bool {
    if out.try_reserve(bytes.len()).is_err() {
        return false;
    }
    let len = out.len();
    if let Some(spare) = out.spare_capacity_mut().get_mut(..bytes.len()) {
        for (dst, src) in spare.iter_mut().zip(bytes) {
            dst.write(*src);
        }
        // SAFETY: the `bytes.len()` elements after `len` were initialised
        // just above, within the capacity `try_reserve` secured.
        unsafe { out.set_len(len + bytes.len()) };
    }
    true
}

/// Makes one of this crate's own import calls that return a list. In no_std
/// builds the host writes the list into the import arena (freed and zeroed at
/// the end of the run, or at [`release`]); with `std`, into memory from the
/// global allocator, which the receiving `RawList` frees.
#[inline]
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn receive<R>(call: impl FnOnce() -> R) -> R {
    note_received();
    #[cfg(guest_rt)]
    return cabi::scoped(call);
    #[cfg(not(guest_rt))]
    call()
}

/// Makes one of this crate's own import calls whose lists become owned
/// values (`Vec`, `String`) of the generated bindings, handed to the
/// program: `cabi_realloc` serves the global allocator for exactly its
/// duration (no_std), which is where those values are freed. Links the
/// global allocator path only into programs that make such calls.
#[inline]
pub(crate) fn receive_owned<R>(call: impl FnOnce() -> R) -> R {
    note_received();
    #[cfg(guest_rt)]
    return cabi::scoped_global(call);
    #[cfg(not(guest_rt))]
    call()
}

/// Makes one of this crate's own import calls whose result's lists it never
/// reads (an error's message): in no_std builds they land in a small
/// scratch buffer zeroed right after; with `std`, std's `cabi_realloc`
/// serves them and they are not freed (none arrive from Wasmtime).
#[inline]
#[cfg_attr(not(feature = "http"), allow(dead_code))]
pub(crate) fn receive_ignored<R>(call: impl FnOnce() -> R) -> R {
    #[cfg(guest_rt)]
    return cabi::scoped_scratch(call);
    #[cfg(not(guest_rt))]
    call()
}

/// Notes that data of the host's arrived during this call (every import
/// wrapper that returns anything but a list calls this; lists go through
/// [`receive`]), so the stack is cleared before the next call runs.
#[inline]
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn note_received() {
    #[cfg(target_arch = "wasm32")]
    stack::note_received();
}

/// A saved import-arena position (no_std builds; nothing with `std`).
#[cfg(guest_rt)]
pub(crate) use region::Mark;
/// A saved import-arena position (no_std builds; nothing with `std`).
#[cfg(not(guest_rt))]
pub(crate) struct Mark;

/// The import arena's current position, for [`release`].
#[inline]
pub(crate) fn mark() -> Mark {
    #[cfg(guest_rt)]
    return cabi::mark();
    #[cfg(not(guest_rt))]
    Mark
}

/// Frees and zeroes every list received since `mark`.
#[inline]
pub(crate) fn release(mark: Mark) {
    #[cfg(guest_rt)]
    cabi::release(mark);
    #[cfg(not(guest_rt))]
    let Mark = mark;
}

/// Start of every call, before admission: the stack an earlier call left is
/// cleared (see `stack`).
#[inline]
pub(crate) fn begin_call() {
    #[cfg(target_arch = "wasm32")]
    stack::begin_call();
}

/// New allocations are per-run from here on (just before `Program::run`).
#[inline]
pub(crate) fn begin_run() {
    #[cfg(all(guest_rt, feature = "arena"))]
    arena::set_in_run(true);
}

/// End of every run: the import arena and (allocator `arena`) the run region
/// are freed and zeroed. Each is reached only if the program can have used
/// it, so hello world links neither.
#[inline]
pub(crate) fn end_run() {
    #[cfg(guest_rt)]
    cabi::reset();
    #[cfg(all(guest_rt, feature = "arena"))]
    arena::end_run();
    #[cfg(target_arch = "wasm32")]
    stack::end_call();
}

/// Runs `f` with new allocations in the instance region (arena allocator).
#[inline]
pub(crate) fn persistent<R>(f: impl FnOnce() -> R) -> R {
    #[cfg(all(guest_rt, feature = "arena"))]
    {
        let was = arena::set_in_run(false);
        let r = f();
        arena::set_in_run(was);
        r
    }
    #[cfg(not(all(guest_rt, feature = "arena")))]
    f()
}

/// A program's promise to follow the rules of the per-run arena allocator
/// (feature `arena`); [`export!`](crate::export) requires it when that
/// allocator is installed.
///
/// With `arena`, every allocation made during a run, outside
/// [`persistent`](crate::persistent), is freed and zeroed when the run ends;
/// allocations made in [`Program::init`](crate::Program::init) or inside
/// `persistent` live as long as the instance. The allocator cannot see who
/// still holds a pointer, so a `String` made during a run and pushed into a
/// `Vec` that the program value keeps would point at memory the next run
/// reuses. That rule cannot be checked by the compiler, so the author states
/// it with `unsafe impl`:
///
/// ```
/// struct Guestbook {
///     names: Vec<String>,
/// }
///
/// // SAFETY: the only thing kept across runs is `names`, and every entry is
/// // made inside `wasi_guest::persistent`.
/// unsafe impl wasi_guest::ArenaSafe for Guestbook {}
/// ```
///
/// Without feature `arena` nothing requires this trait and implementing it
/// has no effect.
///
/// # Safety
/// Implementing it promises that nothing allocated during a run outside
/// `persistent` is reachable after that run has ended: not through the
/// program value, not through a `static` (a `RunLocal` is fine: it is dropped
/// before the memory is reused). Breaking the promise is use-after-free.
pub unsafe trait ArenaSafe {}

/// What [`export!`](crate::export) requires of the program type for the
/// allocator in use: [`ArenaSafe`] with `arena`, nothing otherwise.
#[doc(hidden)]
#[cfg(all(guest_rt, feature = "arena"))]
#[diagnostic::on_unimplemented(
    message = "with the `arena` allocator, `{Self}` must promise to follow its rules",
    label = "this program does not implement `wasi_guest::ArenaSafe`",
    note = "read the safety section of `wasi_guest::ArenaSafe`, then add `unsafe impl wasi_guest::ArenaSafe for {Self} {{}}`, or use the `dlmalloc` allocator"
)]
pub trait AllocatorRules: ArenaSafe {}
#[cfg(all(guest_rt, feature = "arena"))]
impl<T: ArenaSafe> AllocatorRules for T {}

/// What [`export!`](crate::export) requires of the program type for the
/// allocator in use: [`ArenaSafe`] with `arena`, nothing otherwise.
#[doc(hidden)]
#[cfg(not(all(guest_rt, feature = "arena")))]
pub trait AllocatorRules {}
#[cfg(not(all(guest_rt, feature = "arena")))]
impl<T> AllocatorRules for T {}
