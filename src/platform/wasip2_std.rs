//! WASI 0.2 with feature `std`: std and wasi-libc are the component's
//! runtime (`cabi_realloc`, allocator, panic handler). Lists from this
//! crate's own import calls come from std's allocator and are cleared and
//! freed when dropped; the end of every call resets what wasi-libc caches.
//!
//! std's `std::env` and `std::fs` go through wasi-libc, which fetches the
//! environment and the preopened directories once and keeps them: without a
//! reset, later runs on a reused instance see the first run's environment
//! and read and list the first run's directories. wasi-libc has reset
//! functions for exactly this (made for snapshotting with Wizer); the end of
//! every run calls them, so the next use fetches that run's own.
//!
//! * `__wasilibc_deinitialize_environ`: frees the environment copy and marks
//!   it uninitialised; the next `getenv` (std's `env::var`) fetches the
//!   current run's.
//! * `__wasilibc_reset_preopens`: closes the preopened directories (the
//!   host's handles are dropped) and forgets them; the next path lookup
//!   fetches the current run's.

use super::abi::{RawList, RawStr};
use super::stack;

pub(crate) use super::p2_calls::{blocking_read, get_arguments, get_environment, get_random_bytes};
#[cfg(feature = "http")]
pub(crate) use super::p2_http as http;
pub(crate) use super::p2_stdio::PanicStderr;
pub(crate) use super::p2_stdio::{finish as finish_stdio, write_stderr, write_stdout};

/// The re-entry flag of [`Global`](super::cell::Global): nothing to do, as
/// on `wasip2` (one thread; no closure reaches its own global).
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

// SAFETY: one thread (threads builds are refused), so `Sync` only means "may
// sit in a `static`"; see the same impl on `wasip2`.
unsafe impl<T> Sync for super::cell::Global<T> {}

/// The host allocated the lists through std's `cabi_realloc`, i.e. the
/// global allocator: clear and free them when they are dropped.
impl<T> Drop for RawList<T> {
    fn drop(&mut self) {
        use alloc::alloc::{Layout, dealloc};
        /// Clears and frees one block the host allocated.
        fn free(ptr: *const u8, size: usize, align: usize) {
            if size == 0 {
                return;
            }
            // SAFETY: `ptr` holds `size` bytes that nothing refers to any
            // more (the list is being dropped).
            unsafe { super::clear::scrub(ptr.cast_mut(), size) };
            // SAFETY: `ptr` was allocated by `cabi_realloc` (the global
            // allocator) with exactly this size and alignment.
            unsafe {
                dealloc(
                    ptr.cast_mut(),
                    Layout::from_size_align_unchecked(size, align),
                )
            };
        }
        // `T` is `u8`, `RawStr` or `[RawStr; 2]`: the strings, if any, are
        // their own blocks.
        let strings = if core::mem::size_of::<T>() == 1 {
            0
        } else {
            core::mem::size_of::<T>() / core::mem::size_of::<RawStr>()
        };
        for item in self.items() {
            // SAFETY: with `strings > 0`, `T` is `strings` consecutive
            // `RawStr`s.
            let parts = unsafe {
                core::slice::from_raw_parts((item as *const T).cast::<RawStr>(), strings)
            };
            for s in parts {
                free(s.ptr, s.len, 1);
            }
        }
        free(
            self.ptr.cast(),
            self.len * core::mem::size_of::<T>(),
            core::mem::align_of::<T>(),
        );
    }
}

/// Makes one of this crate's own import calls that return a list (std's
/// `cabi_realloc` serves it; the [`RawList`] frees it).
#[inline]
pub(crate) fn receive<R>(call: impl FnOnce() -> R) -> R {
    note_received();
    call()
}

/// Makes one of this crate's own import calls whose lists become owned
/// values of the generated bindings.
#[inline]
pub(crate) fn receive_owned<R>(call: impl FnOnce() -> R) -> R {
    note_received();
    call()
}

/// Makes one of this crate's own import calls whose result's lists it never
/// reads: std's `cabi_realloc` serves them and they are not freed (none
/// arrive from Wasmtime).
#[inline]
#[cfg_attr(not(feature = "http"), allow(dead_code))]
pub(crate) fn receive_ignored<R>(call: impl FnOnce() -> R) -> R {
    call()
}

/// Notes that data of the host's arrived during this call.
#[inline]
pub(crate) fn note_received() {
    stack::note_received();
}

/// No import arena with std: lists free themselves.
pub(crate) struct Mark;

/// The import arena's position: there is none.
#[inline]
pub(crate) fn mark() -> Mark {
    Mark
}

/// Nothing to release: every list frees itself when dropped.
#[inline]
pub(crate) fn release(mark: Mark) {
    let Mark = mark;
}

/// Start of every call: the stack an earlier call left is cleared; on the
/// instance's first call, this crate's panic hook is installed.
#[inline]
pub(crate) fn begin_call() {
    stack::begin_call();
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| std::panic::set_hook(std::boxed::Box::new(report_panic)));
}

/// The panic hook of std mode: std's own hook writes through wasi-libc's
/// stderr, which is the stderr of the first call that wrote to it, so a
/// panic in a later call (its message may quote that call's input) would
/// land in an earlier call's pipe. This one notes the panic (the guard is
/// poisoned) and writes `wasi-guest: panicked at FILE:LINE:COL:` and the
/// message to the current call's stderr; std then aborts (a trap). A hook
/// the program sets itself replaces this one.
fn report_panic(info: &std::panic::PanicHookInfo<'_>) {
    use core::fmt::Write;
    super::note_panic();
    let mut err = PanicStderr::open();
    let _ = err.write_fmt(format_args!("wasi-guest: {info}\n"));
}

/// Nothing changes for allocations during the run.
#[inline]
pub(crate) fn begin_run() {}

/// End of every run: wasi-libc forgets the environment and the preopened
/// directories it fetched, so std's `env` and `fs` fetch the next run's own;
/// and the next call clears the stack (std's buffers may hold this call's
/// data without this crate seeing it).
#[inline]
pub(crate) fn end_run() {
    unsafe extern "C" {
        fn __wasilibc_reset_preopens();
        fn __wasilibc_deinitialize_environ();
    }
    // SAFETY: wasi-libc's own reset function, callable whenever no libc
    // call is in progress: here the program has returned and only this
    // crate's teardown runs. Nothing of this crate points into the
    // environment (std copies what `env::var` returns).
    unsafe { __wasilibc_deinitialize_environ() };
    // SAFETY: as above; nothing of this crate holds a preopen descriptor
    // of wasi-libc's.
    unsafe { __wasilibc_reset_preopens() };
    reset_cwd();
    stack::note_received();
}

/// Puts wasi-libc's current directory back to `/` (where every call
/// starts) if the call changed it with `std::env::set_current_dir`, so a
/// later call's relative paths do not resolve against an earlier call's
/// directory.
///
/// wasi-libc keeps the directory as a string, `__wasilibc_cwd`: initially a
/// constant `"/"`, and after any successful `chdir` a block from `malloc`
/// (`chdir` sets a private flag and frees the old block on the next
/// `chdir`). There is no reset function for it, so this replaces the string
/// the same way `chdir` does.
fn reset_cwd() {
    use core::ffi::{c_char, c_void};
    unsafe extern "C" {
        static mut __wasilibc_cwd: *mut c_char;
        fn strdup(s: *const c_char) -> *mut c_char;
        fn free(p: *mut c_void);
    }
    // SAFETY: one thread and no libc call in progress (the program has
    // returned), so nothing else reads or writes the variable now; it
    // always points to a NUL-terminated string, so reading two bytes stops
    // at the NUL.
    let changed = unsafe {
        let cwd = __wasilibc_cwd;
        !(*cwd == b'/' as c_char && *cwd.add(1) == 0)
    };
    if !changed {
        return;
    }
    // SAFETY: `strdup` is wasi-libc's; the source is a NUL-terminated
    // literal. A null result (out of memory) leaves the directory as it
    // was rather than lose it.
    let root = unsafe { strdup(c"/".as_ptr()) };
    if root.is_null() {
        return;
    }
    // SAFETY: the directory is not `"/"`, so a `chdir` succeeded and the
    // string is a `malloc` block of `chdir`'s, which nothing else points to
    // (`getcwd` copies it): freeing it is what the next `chdir` would do.
    // The new string is a `malloc` block too, and `chdir`'s flag already
    // says so, so its next `chdir` frees ours.
    unsafe {
        let old = __wasilibc_cwd;
        __wasilibc_cwd = root;
        free(old.cast());
    }
}

/// Allocations are never per-run with std.
#[inline]
pub(crate) fn persistent<R>(f: impl FnOnce() -> R) -> R {
    f()
}

/// What [`export!`](crate::export) requires of the program type: nothing.
#[doc(hidden)]
pub trait AllocatorRules {}
impl<T> AllocatorRules for T {}
