//! The heap: what the program's allocations and this crate's own buffers
//! share on every platform. Which global allocator is installed, and where
//! lists from the host go, is the platform's (`sys`):
//!
//! | memory | from | freed and zeroed |
//! |---|---|---|
//! | lists this crate's own import calls receive (arguments, environment, bytes read) | the import arena (`cabi`, no_std) or the global allocator (`std`) | at the end of the run (stdin chunks: right after they are copied) |
//! | lists any other binding receives (`wasi` re-export, your own bindings) | the global allocator, through `cabi_realloc` (no_std with feature `wasi` or `bindgen`; with `std`, std's own `cabi_realloc`) | when the program drops them |
//! | the program's heap | `Dlmalloc`, `Talc` or `RunArena` (no_std), std's allocator (`std`) | on free (no_std); the run arena also when the run ends |

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

/// A program's promise to follow the rules of the per-run arena allocator
/// (feature `arena`); [`export!`](crate::export) requires it when that
/// allocator is installed.
///
/// With `arena`, every allocation made during a run, outside
/// [`persistent`](crate::persistent), is freed and zeroed when the run ends;
/// allocations made in [`PerInstance::init`](crate::PerInstance::init) or inside
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
///
/// Growing per-instance data during a run counts as allocating: a `Vec`
/// whose buffer was allocated in `init` or `persistent` grows in the
/// instance region and may be pushed to in any run, but one that owns no
/// buffer yet (`Vec::new()`, `String::new()`, or emptied with
/// `shrink_to_fit`) gets its first buffer from the run region. Give it
/// capacity in `init` (`Vec::with_capacity(n)`, `n > 0`) or grow it inside
/// `persistent`.
///
/// Replacing per-instance data is fine inside `persistent`
/// (`self.name = persistent(|| format!(...))`): the old value's block is
/// reused by later per-instance allocations that fit, so memory stays flat
/// over any number of runs.
pub unsafe trait ArenaSafe {}

/// Runs `f` so that what it allocates is kept across runs.
///
/// With the `arena` allocator, allocations made during a run are freed when
/// the run ends; use this to build data that per-instance state keeps (for
/// example pushing a new `String` into a `Vec` owned by your `Program`), and
/// see [`ArenaSafe`]. With `dlmalloc` or `std` it just calls `f`.
pub fn persistent<R>(f: impl FnOnce() -> R) -> R {
    super::sys::persistent(f)
}
