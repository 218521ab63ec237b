//! WASI 0.3, and this crate is the component's runtime (no_std, wasm32):
//! as on `wasip2` it exports `cabi_realloc`, installs the global allocator
//! and the panic handler and clears what every call used; it also is the
//! async executor of its exports ([`task`]), and every call's stdio
//! ([`stdio`]) and import arena live in that call's task.

pub(crate) mod abi;
#[cfg(feature = "http")]
pub(crate) mod http;
pub(crate) mod io;
pub(crate) mod stdio;
pub(crate) mod task;

use super::abi::{RawList, RawStr};
use super::cabi;
use super::io::IoError;
use super::stack;

#[cfg(any(feature = "panic-handler", feature = "panic-trap"))]
pub(crate) use stdio::PanicStderr;

/// The re-entry flag of [`Global`](super::cell::Global): nothing to do. A
/// component instance has one thread, the callback ABI runs one callback at
/// a time, and no `Global`'s closure reaches its own global.
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

// SAFETY: one thread (threads builds are refused), so `Sync` only means
// "may sit in a `static`"; see the same impl on `wasip2`.
unsafe impl<T> Sync for super::cell::Global<T> {}

#[cfg(feature = "dlmalloc")]
#[global_allocator]
static GLOBAL: super::dlmalloc::Dlmalloc = super::dlmalloc::Dlmalloc;

#[cfg(all(feature = "talc", not(feature = "dlmalloc")))]
#[global_allocator]
static GLOBAL: super::talc::Talc = super::talc::Talc;

/// Makes one of this crate's own import calls that return a list: the host
/// writes it into the running call's import arena.
#[inline]
pub(crate) fn receive<R>(call: impl FnOnce() -> R) -> R {
    note_received();
    cabi::scoped(call)
}

/// Makes one of this crate's own import calls whose lists become owned
/// values: the global allocator serves them.
#[inline]
#[allow(dead_code)]
pub(crate) fn receive_owned<R>(call: impl FnOnce() -> R) -> R {
    note_received();
    cabi::scoped_global(call)
}

/// Makes one of this crate's own import calls whose result's lists it never
/// reads.
#[inline]
#[allow(dead_code)]
pub(crate) fn receive_ignored<R>(call: impl FnOnce() -> R) -> R {
    cabi::scoped_scratch(call)
}

/// Notes that data of the host's arrived during this call.
#[inline]
pub(crate) fn note_received() {
    stack::note_received();
}

/// A saved import-arena position.
pub(crate) type Mark = super::region::Mark;

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
/// cleared (no other call's frames are live between two callbacks).
#[inline]
pub(crate) fn begin_call() {
    stack::begin_call();
}

/// Nothing changes for allocations during the run (no `arena` allocator on
/// WASI 0.3).
#[inline]
pub(crate) fn begin_run() {}

/// End of every call: its import arena is cleared when its task ends
/// (`task`); with bindings other than this crate's, data may have arrived
/// unseen, so the next call clears the stack.
#[inline]
pub(crate) fn end_run() {
    if RAW_LISTS {
        stack::note_received();
    }
}

/// Allocations are never per-run on WASI 0.3.
#[inline]
pub(crate) fn persistent<R>(f: impl FnOnce() -> R) -> R {
    f()
}

/// What the export macros require of the program type: nothing.
#[doc(hidden)]
pub trait AllocatorRules {}
impl<T> AllocatorRules for T {}

/// Whether data can reach this instance without passing through this crate's
/// own import calls (feature `bindgen`).
pub(crate) const RAW_LISTS: bool = cfg!(feature = "bindgen");

/// Writes to the running call's stdout (synchronously).
pub(crate) fn write_stdout(bytes: &[u8]) -> Result<(), IoError> {
    stdio::write(stdio::Which::Out, bytes)
}

/// Writes to the running call's stderr (synchronously).
pub(crate) fn write_stderr(bytes: &[u8]) -> Result<(), IoError> {
    stdio::write(stdio::Which::Err, bytes)
}

/// Calls a list-returning import into the running call's import arena.
fn fetch<T>(import: unsafe extern "C" fn(*mut u8)) -> RawList<T> {
    let mut list = RawList::empty();
    let ret = (&raw mut list).cast::<u8>();
    // SAFETY: `import` is a generated declaration whose core signature is
    // "write the result list into this return area", and `ret` points at a
    // `RawList<T>` (the layout `wit/p3` gives, asserted below).
    receive(|| unsafe { import(ret) });
    list
}

const _: () = {
    assert!(core::mem::size_of::<RawList<RawStr>>() == abi::GET_ARGUMENTS_RET.0);
    assert!(core::mem::size_of::<RawList<[RawStr; 2]>>() == abi::GET_ENVIRONMENT_RET.0);
    assert!(core::mem::size_of::<RawList<u8>>() == abi::GET_RANDOM_BYTES_RET.0);
};

/// `wasi:cli/environment.get-arguments`.
pub(crate) fn get_arguments() -> RawList<RawStr> {
    fetch(abi::get_arguments)
}

/// `wasi:cli/environment.get-environment`.
pub(crate) fn get_environment() -> RawList<[RawStr; 2]> {
    fetch(abi::get_environment)
}

/// `wasi:random/random.get-random-bytes` (the host may return fewer bytes).
pub(crate) fn get_random_bytes(len: u64) -> RawList<u8> {
    let mut list = RawList::empty();
    let ret = (&raw mut list).cast::<u8>();
    // SAFETY: the declaration is `get-random-bytes`'s core signature
    // (length, return area), and `ret` points at a `RawList<u8>`.
    receive(|| unsafe { abi::get_random_bytes(len, ret) });
    list
}

/// Holds backpressure: the host starts no other call on this instance until
/// [`release_calls`] (a serial program's call, from admission to the end of
/// its teardown).
pub(crate) fn hold_calls() {
    // SAFETY: the built-in takes nothing; calls are paired with
    // `release_calls` by the lifecycle (admission and teardown).
    unsafe { abi::backpressure_inc() };
}

/// Releases the backpressure [`hold_calls`] took.
pub(crate) fn release_calls() {
    // SAFETY: paired with one earlier `hold_calls`.
    unsafe { abi::backpressure_dec() };
}

/// Closes the running call's stdio and waits until the host has all of it;
/// whether all output reached it.
pub(crate) fn close_stdio() -> bool {
    stdio::close()
}

/// Closes the running call's stdio without waiting (a cancelled call).
pub(crate) fn close_stdio_now() {
    stdio::close_now();
}

/// The running call's id (0 outside a call): what `RunLocal` values of
/// overlapping calls are told apart by.
pub(crate) fn call_id() -> u32 {
    task::current_id()
}

/// Sends `wasi:cli/run`'s result for the running call.
pub(crate) fn run_return(ok: bool) {
    task::with_current(|t| t.returned = true);
    // SAFETY: the running task is an async-lifted `run`, which returns
    // `result` (one flat `i32`: 0 `ok`, 1 `err`), and returns once (the
    // export glue calls this at its end).
    unsafe { abi::run_task_return(u32::from(!ok)) };
}

/// `wasi:clocks/monotonic-clock.now`, nanoseconds.
pub(crate) fn monotonic_now() -> u64 {
    // SAFETY: takes nothing, returns the mark.
    unsafe { abi::monotonic_now() }
}

/// `wasi:clocks/system-clock.now` as (seconds, nanoseconds) after the
/// epoch; a time before it reads as the epoch.
pub(crate) fn system_now() -> (u64, u32) {
    #[repr(C)]
    struct Instant {
        seconds: i64,
        nanoseconds: u32,
    }
    const _: () = assert!(core::mem::size_of::<Instant>() == abi::SYSTEM_NOW_RET.0);
    let mut t = Instant {
        seconds: 0,
        nanoseconds: 0,
    };
    note_received();
    // SAFETY: `now`'s core signature writes an `instant` record (the layout
    // above, whose size is asserted) into the return area.
    unsafe { abi::system_now((&raw mut t).cast()) };
    (u64::try_from(t.seconds).unwrap_or(0), t.nanoseconds)
}

/// `wasi:random/random.get-random-u64`.
pub(crate) fn random_u64() -> u64 {
    // SAFETY: takes nothing, returns the value.
    unsafe { abi::get_random_u64() }
}

/// `wasi:random/insecure-seed.get-insecure-seed`.
pub(crate) fn insecure_seed() -> (u64, u64) {
    let mut seed = [0u64; 2];
    const _: () = assert!(abi::GET_INSECURE_SEED_RET.0 == 16);
    // SAFETY: writes a `tuple<u64, u64>` (16 bytes) into the return area.
    unsafe { abi::get_insecure_seed(seed.as_mut_ptr().cast()) };
    (seed[0], seed[1])
}

/// Waits `nanos` nanoseconds (`monotonic-clock.wait-for`, async-lowered).
pub(crate) fn wait_for(nanos: u64) -> io::Subtask {
    // SAFETY: the async-lowered `wait-for` takes the duration and returns a
    // subtask status, which `Subtask` owns from here.
    io::Subtask::new(unsafe { abi::wait_for(nanos) })
}

/// Runs `future` beside the running call, to its end before the call ends.
pub(crate) fn spawn(future: impl core::future::Future<Output = ()> + 'static) {
    task::spawn(future);
}

/// Ready once every future the running call spawned has ended.
pub(crate) fn spawned_done() -> impl core::future::Future<Output = ()> {
    core::future::poll_fn(|_| {
        if task::spawned_pending() {
            core::task::Poll::Pending
        } else {
            core::task::Poll::Ready(())
        }
    })
}
