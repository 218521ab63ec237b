//! The platform: how this crate reaches the host, chosen once.
//!
//! `build.rs` sets one `cfg`, `wasi_guest_sys`, and this file is the only
//! place in the crate that reads it. It compiles the one module that
//! implements the platform as [`sys`], and the mechanisms that platform
//! uses; everything above calls `sys::…` and reads straight through:
//!
//! | `wasi_guest_sys` | [`sys`] | who is the component's runtime |
//! |---|---|---|
//! | `wasip2` | `wasip2/` | this crate: `cabi_realloc` and the import arena, the global allocator, the panic handler |
//! | `wasip2_std` | `wasip2_std.rs` | std and wasi-libc; this crate resets what wasi-libc caches between calls |
//! | `wasip3` | `wasip3/` | this crate, on WASI 0.3: the async export glue and its executor too |
//! | `host` | `host.rs` | nobody: docs and unit tests, with no host to call |
//!
//! Every `sys` module provides the same items: the hooks the lifecycle calls
//! around a call (`begin_call`, `begin_run`, `end_run`, `persistent`), how
//! this crate's own import calls receive lists (`receive`, `receive_owned`,
//! `receive_ignored`, `mark`, `release`, `note_received`), those import
//! calls, and `Busy`, the re-entry flag of [`cell::Global`].
//!
//! One of the modules allowed `unsafe` (see the crate root); every block
//! carries its invariant.

pub(crate) mod abi;
pub(crate) mod alloc;
pub(crate) mod cell;
pub(crate) mod clear;
pub(crate) mod io;
pub(crate) mod num;

#[cfg(wasi_guest_sys = "wasip2")]
#[path = "wasip2/mod.rs"]
pub(crate) mod sys;
#[cfg(wasi_guest_sys = "wasip2_std")]
#[path = "wasip2_std.rs"]
pub(crate) mod sys;
#[cfg(wasi_guest_sys = "host")]
#[path = "host.rs"]
pub(crate) mod sys;

// The WASI 0.2 bindings wit-bindgen generates (types and calls the API
// modules use), and the import calls declared from `wit/` by build.rs.
#[cfg(not(wasi_guest_sys = "wasip3"))]
#[allow(missing_docs)] // generated code
pub(crate) mod bindings;
#[cfg(all(not(wasi_guest_sys = "wasip3"), feature = "http"))]
#[allow(missing_docs)] // generated code
pub(crate) mod http_bindings;
#[cfg(any(wasi_guest_sys = "wasip2", wasi_guest_sys = "wasip2_std"))]
pub(crate) mod p2_calls;
#[cfg(all(
    any(wasi_guest_sys = "wasip2", wasi_guest_sys = "wasip2_std"),
    feature = "http"
))]
pub(crate) mod p2_http;
#[cfg(any(wasi_guest_sys = "wasip2", wasi_guest_sys = "wasip2_std"))]
pub(crate) mod p2_stdio;

// Mechanisms of the platforms where this crate is the runtime.
#[cfg(all(wasi_guest_sys = "wasip2", feature = "arena"))]
pub(crate) mod arena;
#[cfg(any(wasi_guest_sys = "wasip2", wasi_guest_sys = "wasip3"))]
pub(crate) mod cabi;
#[cfg(feature = "dlmalloc")]
pub(crate) mod dlmalloc;
#[cfg(all(
    any(wasi_guest_sys = "wasip2", wasi_guest_sys = "wasip3"),
    feature = "dlmalloc"
))]
mod dlmalloc_heap;
#[cfg(all(
    any(wasi_guest_sys = "wasip2", wasi_guest_sys = "wasip3"),
    any(feature = "panic-handler", feature = "panic-trap")
))]
mod panic;
#[cfg(any(wasi_guest_sys = "wasip2", wasi_guest_sys = "wasip3", test))]
pub(crate) mod region;
#[cfg(not(wasi_guest_sys = "host"))]
pub(crate) mod stack;

/// Whether a panic started in this instance (set by the panic handler, read
/// by the lifecycle guard). In a program that cannot panic nothing writes
/// it, and the optimiser folds every read to `false`.
static PANICKED: cell::Global<bool> = cell::Global::new(false);

/// Notes that a panic started (the panic handler, before it traps).
#[cfg_attr(
    not(all(
        any(wasi_guest_sys = "wasip2", wasi_guest_sys = "wasip3"),
        any(feature = "panic-handler", feature = "panic-trap")
    )),
    allow(dead_code)
)]
fn note_panic() {
    // SAFETY: the closure only stores.
    unsafe { PANICKED.try_with(|p| *p = true) };
}

/// Whether a panic started in this instance (it then trapped).
pub(crate) fn panicked() -> bool {
    // SAFETY: the closure only reads.
    unsafe { PANICKED.try_with(|p| *p) }.unwrap_or(false)
}
