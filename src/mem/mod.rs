//! Memory: the import arena behind `cabi_realloc`, and the global allocators.

pub(crate) mod imports;
#[cfg(any(guest_rt, test))]
pub(crate) mod region;

#[cfg(feature = "dlmalloc")]
pub(crate) mod dlmalloc;

/// Frees what the run allocated in arenas (end of every run).
pub(crate) fn end_run() {
    imports::reset();
}
