//! WASI 0.2, and this crate is the component's runtime (no_std, wasm32):
//! it exports `cabi_realloc` (serving the import arena while its own import
//! calls run, see [`cabi`](super::cabi)), installs the global allocator and
//! the panic handler, and clears what every call used.

use super::cabi;
use super::region::Mark as ArenaMark;
use super::stack;

pub(crate) use super::p2_calls::{blocking_read, get_arguments, get_environment, get_random_bytes};
#[cfg(feature = "http")]
pub(crate) use super::p2_http as http;
#[cfg(any(feature = "panic-handler", feature = "panic-trap"))]
pub(crate) use super::p2_stdio::PanicStderr;
pub(crate) use super::p2_stdio::{finish as finish_stdio, write_stderr, write_stdout};

/// The re-entry flag of [`Global`](super::cell::Global): nothing to do. A
/// component instance has one thread (threads builds are refused), and
/// every `Global`'s closure keeps off its own global (the type's invariant),
/// so no second borrow can ever be attempted.
pub(crate) struct Busy;

impl Busy {
    pub(crate) const fn new() -> Self {
        Busy
    }

    /// Marks the value borrowed; always succeeds here.
    #[inline(always)]
    pub(crate) fn enter(&self) -> bool {
        true
    }

    /// Marks the value free again.
    #[inline(always)]
    pub(crate) fn leave(&self) {}
}

// SAFETY: there is no second thread to share a `Global` with (threads builds
// are refused by a `compile_error!`), so `Sync` only means "may sit in a
// `static`"; exclusive access within the one thread is the invariant of
// `Global` (no closure reaches its own global). `T` need not be `Send` for
// the same reason.
unsafe impl<T> Sync for super::cell::Global<T> {}

#[cfg(all(feature = "dlmalloc", not(feature = "arena")))]
#[global_allocator]
static GLOBAL: super::dlmalloc::Dlmalloc = super::dlmalloc::Dlmalloc;

#[cfg(all(feature = "talc", not(feature = "dlmalloc"), not(feature = "arena")))]
#[global_allocator]
static GLOBAL: super::talc::Talc = super::talc::Talc;

#[cfg(feature = "arena")]
#[global_allocator]
static GLOBAL: super::arena::RunArena = super::arena::RunArena;

/// Makes one of this crate's own import calls that return a list: the host
/// writes the list into the import arena, freed and zeroed at the end of the
/// run (or at [`release`]).
#[inline]
pub(crate) fn receive<R>(call: impl FnOnce() -> R) -> R {
    note_received();
    cabi::scoped(call)
}

/// Makes one of this crate's own import calls whose lists become owned
/// values (`Vec`, `String`) of the generated bindings, handed to the
/// program: `cabi_realloc` serves the global allocator for exactly its
/// duration, which is where those values are freed. Links the global
/// allocator path only into programs that make such calls.
#[inline]
pub(crate) fn receive_owned<R>(call: impl FnOnce() -> R) -> R {
    note_received();
    cabi::scoped_global(call)
}

/// Makes one of this crate's own import calls whose result's lists it never
/// reads (an error's message): they land in a small scratch buffer zeroed
/// right after.
#[inline]
#[cfg_attr(not(feature = "http"), allow(dead_code))]
pub(crate) fn receive_ignored<R>(call: impl FnOnce() -> R) -> R {
    cabi::scoped_scratch(call)
}

/// Notes that data of the host's arrived during this call (every import
/// wrapper that returns anything but a list calls this; lists go through
/// [`receive`]), so the stack is cleared before the next call runs.
#[inline]
pub(crate) fn note_received() {
    stack::note_received();
}

/// A saved import-arena position.
pub(crate) type Mark = ArenaMark;

/// The import arena's current position, for [`release`].
#[inline]
pub(crate) fn mark() -> Mark {
    cabi::mark()
}

/// Frees and zeroes every list received since `mark`.
#[inline]
pub(crate) fn release(mark: Mark) {
    cabi::release(mark);
}

/// Start of every call, before admission: the stack an earlier call left is
/// cleared (see [`stack`]).
#[inline]
pub(crate) fn begin_call() {
    stack::begin_call();
}

/// New allocations are per-run from here on (just before the program's
/// body).
#[inline]
pub(crate) fn begin_run() {
    #[cfg(feature = "arena")]
    super::arena::set_in_run(true);
}

/// End of every run: the import arena and (allocator `arena`) the run region
/// are freed and zeroed. Each is reached only if the program can have used
/// it, so hello world links neither.
#[inline]
pub(crate) fn end_run() {
    cabi::reset();
    #[cfg(feature = "arena")]
    super::arena::end_run();
    if RAW_LISTS {
        // Data may have arrived through other bindings, unseen.
        stack::note_received();
    }
}

/// Runs `f` with new allocations in the instance region (arena allocator).
#[inline]
pub(crate) fn persistent<R>(f: impl FnOnce() -> R) -> R {
    #[cfg(feature = "arena")]
    {
        let was = super::arena::enter_persistent();
        let r = f();
        super::arena::set_in_run(was);
        r
    }
    #[cfg(not(feature = "arena"))]
    f()
}

/// What [`export!`](crate::export) requires of the program type for the
/// allocator in use: [`ArenaSafe`](super::alloc::ArenaSafe) with `arena`.
#[doc(hidden)]
#[cfg(feature = "arena")]
#[diagnostic::on_unimplemented(
    message = "with the `arena` allocator, `{Self}` must promise to follow its rules",
    label = "this program does not implement `wasi_guest::ArenaSafe`",
    note = "read the safety section of `wasi_guest::ArenaSafe`, then add `unsafe impl wasi_guest::ArenaSafe for {Self} {{}}`, or use the default `talc` allocator (or `dlmalloc`)"
)]
pub trait AllocatorRules: super::alloc::ArenaSafe {}
#[cfg(feature = "arena")]
impl<T: super::alloc::ArenaSafe> AllocatorRules for T {}

/// What [`export!`](crate::export) requires of the program type for the
/// allocator in use: nothing without `arena`.
#[doc(hidden)]
#[cfg(not(feature = "arena"))]
pub trait AllocatorRules {}
#[cfg(not(feature = "arena"))]
impl<T> AllocatorRules for T {}

/// Whether data can reach this instance without passing through this crate's
/// own import calls (bindings of the `wasi` re-export or of `bindgen`), so
/// that the stack must be cleared before every call.
pub(crate) const RAW_LISTS: bool = cfg!(any(feature = "wasi", feature = "bindgen"));
