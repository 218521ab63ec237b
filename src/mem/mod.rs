//! Memory: the import arena behind `cabi_realloc`, and the global allocators.

#[cfg(all(guest_rt, feature = "arena"))]
pub(crate) mod arena;
#[cfg(feature = "dlmalloc")]
pub(crate) mod dlmalloc;
pub(crate) mod imports;
#[cfg(any(guest_rt, test))]
pub(crate) mod region;

/// New allocations are per-run from here on (just before `Program::run`).
#[inline]
pub(crate) fn begin_run() {
    #[cfg(all(guest_rt, feature = "arena"))]
    arena::set_in_run(true);
}

/// Frees what the run allocated in arenas (end of every run).
#[inline]
pub(crate) fn end_run() {
    imports::reset();
    #[cfg(all(guest_rt, feature = "arena"))]
    arena::end_run();
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
