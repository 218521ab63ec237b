//! std mode: resetting what wasi-libc caches from the first run.
//!
//! With feature `std`, std's `std::env` and `std::fs` go through wasi-libc,
//! which fetches the environment and the preopened directories once and
//! keeps them: without a reset, later runs on a reused instance see the
//! first run's environment and read and list the first run's directories.
//! wasi-libc has reset functions for exactly this (made for snapshotting
//! with Wizer); the end of every run calls them, so the next use fetches
//! that run's own.
//!
//! * `__wasilibc_deinitialize_environ`: frees the environment copy and marks
//!   it uninitialised; the next `getenv` (std's `env::var`) fetches the
//!   current run's.
//! * `__wasilibc_reset_preopens`: closes the preopened directories (the
//!   host's handles are dropped) and forgets them; the next path lookup
//!   fetches the current run's. Newer wasi-libc also clears its whole
//!   descriptor table there, which closes files a program kept open across
//!   runs (their later use fails with `EBADF`).

unsafe extern "C" {
    fn __wasilibc_reset_preopens();
    fn __wasilibc_deinitialize_environ();
}

/// End of every run (std mode on wasm32).
pub(crate) fn end_run() {
    // SAFETY: both functions are wasi-libc's own, callable at any time no
    // libc call is in progress: here the program has returned and only this
    // crate's teardown runs. Nothing of this crate holds a pointer into the
    // environment or the preopen table (std copies what `env::var` returns).
    unsafe {
        __wasilibc_deinitialize_environ();
        __wasilibc_reset_preopens();
    }
}
