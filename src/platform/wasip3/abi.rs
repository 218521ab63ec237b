//! The WASI 0.3 imports, declared by build.rs from `wit/p3/`, and the
//! component model's own built-ins (module `$root`), whose names and
//! signatures the canonical ABI fixes (they carry no WASI version).
//!
//! Codes the built-ins use (canonical ABI, "async"):
//!
//! * callback results: `EXIT` (0), `YIELD` (1), `WAIT | set << 4` (2);
//! * events: none (0), subtask (1), stream read (2), stream write (3),
//!   future read (4), future write (5), task cancelled (6);
//! * a copy's result: [`BLOCKED`], or a status in the low 4 bits
//!   (completed 0, dropped 1, cancelled 2) and the count above them;
//! * an async-lowered call's result: a status in the low 4 bits (starting
//!   0, started 1, returned 2) and the subtask's handle above them.

/// The declarations generated from `wit/p3/`; those of `wasi:http` are used
/// only with feature `http`.
#[allow(dead_code)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/imports_p3.rs"));
}
pub(crate) use generated::*;

#[link(wasm_import_module = "[export]$root")]
unsafe extern "C" {
    /// Ends the running task as cancelled (allowed only before it returned).
    #[link_name = "[task-cancel]"]
    pub(crate) fn task_cancel();
}

#[link(wasm_import_module = "$root")]
unsafe extern "C" {
    #[link_name = "[waitable-set-new]"]
    pub(crate) fn waitable_set_new() -> u32;
    #[link_name = "[waitable-set-drop]"]
    pub(crate) fn waitable_set_drop(set: u32);
    #[link_name = "[waitable-join]"]
    pub(crate) fn waitable_join(waitable: u32, set: u32);
    /// Blocks until an event in `set`; writes (waitable, payload) at `out`.
    #[link_name = "[waitable-set-wait]"]
    pub(crate) fn waitable_set_wait(set: u32, out: *mut u32) -> u32;
    #[link_name = "[context-get-0]"]
    pub(crate) fn context_get() -> u32;
    #[link_name = "[context-set-0]"]
    pub(crate) fn context_set(value: u32);
    #[link_name = "[backpressure-inc]"]
    pub(crate) fn backpressure_inc();
    #[link_name = "[backpressure-dec]"]
    pub(crate) fn backpressure_dec();
    #[link_name = "[subtask-drop]"]
    pub(crate) fn subtask_drop(subtask: u32);
    /// Cancels a subtask and blocks until it is resolved; returns its final
    /// status.
    #[link_name = "[subtask-cancel]"]
    pub(crate) fn subtask_cancel(subtask: u32) -> u32;
}

/// The callback result that ends the task.
pub(crate) const EXIT: u32 = 0;
/// The callback result: call back again soon, with no event.
pub(crate) const YIELD: u32 = 1;
/// The callback result: call back with the next event of a waitable set
/// (shifted in above the code).
pub(crate) const WAIT: u32 = 2;

/// The event: the task was cancelled by its caller.
pub(crate) const EVENT_CANCELLED: u32 = 6;

/// A copy (stream or future read or write) that has not finished yet.
pub(crate) const BLOCKED: u32 = 0xffff_ffff;
/// A copy's status: the other end was dropped (after the count shown).
pub(crate) const DROPPED: u32 = 1;

/// An async-lowered call's status: it returned (no subtask is left).
pub(crate) const RETURNED: u32 = 2;
