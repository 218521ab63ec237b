//! One guarded call into the program: admit, set up, run, tear down.
//!
//! Every export goes through [`guarded`]: `wasi:cli/run` (via [`run`]),
//! exports of the author's own world ([`Guarded::call`]) and HTTP requests
//! (`http::handle`). The teardown is the same for all of them and happens in
//! the order written below.

use super::guard::{self, Refusal};
use super::local;
use super::policy::Policy;
use super::traits::{PerInstance, Program};
use crate::api::context::Context;
use crate::api::stdio;
use crate::platform::cell::Global;
use crate::platform::sys::{self, AllocatorRules};

/// Storage for the per-instance value, one `static` per component
/// (declared by [`export!`](crate::export) and `export_http!`).
///
/// Soundness: the value is reached only inside [`guarded`], after the
/// lifecycle guard has admitted the call, and the guard admits one call at a
/// time (re-entry is refused before the slot is touched). So the `Global`'s
/// contract, that its closure never reaches it again, holds even though the
/// closure runs the program.
#[doc(hidden)]
pub struct Slot<P>(Global<Option<P>>);

impl<P> Slot<P> {
    /// An empty slot; the value is created by `P::init` in the first call.
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        Self(Global::new(None))
    }
}

/// Runs `body` on the per-instance value under the lifecycle guard, with a
/// fresh [`Context`], and tears the call down. Returns what `body` returned,
/// whether all output of the call reached the host, or why the call was
/// refused (then neither `init` nor `body` ran).
pub(crate) fn guarded<S: PerInstance + AllocatorRules, R>(
    slot: &'static Slot<S>,
    body: impl FnOnce(&mut S, &mut Context) -> R,
) -> Result<(R, bool), Refusal> {
    let policy = S::POLICY;
    // 0. What an earlier call left on the stack is cleared before anything
    //    else runs (`platform::stack` explains why not at that call's end).
    sys::begin_call();
    // 1. Admission. A refused call touches nothing of the program's.
    let first = match guard::GUARD.enter() {
        Ok(first) => first,
        Err(refusal) => {
            // Only a single-shot program can be refused for having run: the
            // line (and the stderr import) exists only in such programs.
            // Re-entry and use after a panic cannot happen under Wasmtime
            // (the component model forbids re-entry, a trap ends the
            // instance); a host that allows them gets the error result.
            if policy == Policy::SingleShot && refusal == Refusal::SingleShot {
                stdio::error_line(refusal.message());
                stdio::finish_run();
                sys::end_run();
            }
            return Err(refusal);
        }
    };
    // 2. Set-up: a fresh context (it fetches nothing until asked); `init`
    //    on the first call, with that call's context.
    let mut cx = Context::new();
    // SAFETY: the guard admitted this call and admits one at a time, so
    // nothing the closure runs (the program) can reach the slot again.
    let out = unsafe {
        slot.0
            .try_with(|state| in_own_frame(state, first, S::init, &mut cx, body))
    };
    // 3. Tear-down, in this order:
    //    a. run-locals are dropped (their destructors may still print or use
    //       the context's memory). Programs that never use a `RunLocal` link
    //       no loop: the teardown is reached through a fn pointer that only
    //       `RunLocal::with` stores.
    local::teardown();
    //    b. the context lets go of stdin, arguments, environment and the
    //       preopened directories (with `std` their lists are cleared and
    //       freed here).
    drop(cx);
    //    c. stdout and stderr handles are dropped. Nothing is buffered (every
    //       write was `blocking-write-and-flush`), so nothing can be lost; the
    //       handle is a raw `u32`, 0 when never opened, which is less code
    //       in every program than an `Option<OutputStream>`.
    let io_ok = stdio::finish_run();
    //    d. the platform: the import arena and (allocator `arena`) the run
    //       region are freed and zeroed, each only if the program can have
    //       used it; with `std`, wasi-libc forgets the environment and the
    //       preopened directories it fetched, so std's `env` and `fs` fetch
    //       the next call's own (`sys::end_run`). Memory the program freed was
    //       zeroed when it was freed. The stack is cleared at the start of
    //       the next call (step 0).
    sys::end_run();
    //    e. the guard: `Idle` (re-runnable) or `Finished` (single-shot).
    guard::GUARD.leave(policy);
    // `try_with` fails only on host builds, where another thread holds the
    // slot; the guard makes even that impossible.
    out.map(|r| (r, io_ok)).ok_or(Refusal::Reentered)
}

/// `init` (on the first call) and the program's `body`, in a stack frame of
/// their own: whatever they leave on the stack, even buffers the optimiser
/// would otherwise have inlined into the entry's frame, is below the entry's
/// frame, where the next call's first step clears it.
#[inline(never)]
fn in_own_frame<S, R>(
    state: &mut Option<S>,
    first: bool,
    init: fn(&mut Context) -> S,
    cx: &mut Context,
    body: impl FnOnce(&mut S, &mut Context) -> R,
) -> R {
    let program = match state {
        Some(p) if !first => p,
        _ => state.insert(init(cx)),
    };
    // From here on (allocator `arena`) new allocations are per-call.
    sys::begin_run();
    body(program, cx)
}

/// One call of `wasi:cli/run`: `Ok` when the program returned success and
/// all its output reached the host.
#[doc(hidden)]
#[allow(clippy::result_unit_err)] // the shape of `wasi:cli/run`'s result
pub fn run<P: Program + AllocatorRules>(slot: &'static Slot<P>) -> Result<(), ()> {
    match guarded(slot, |p, cx| p.run(cx)) {
        Ok((code, true)) if code.is_success() => Ok(()),
        _ => Err(()),
    }
}

/// One call of `wasi:cli/run` for a [`TryProgram`](crate::TryProgram): an
/// error is written to the run's stderr (inside the run, while its stderr
/// is open) and fails the run.
#[doc(hidden)]
#[allow(clippy::result_unit_err)] // the shape of `wasi:cli/run`'s result
pub fn try_run<P: crate::TryProgram + AllocatorRules>(slot: &'static Slot<P>) -> Result<(), ()> {
    let outcome = guarded(slot, |p, cx| super::traits::reported(p.run(cx)));
    match outcome {
        Ok((true, true)) => Ok(()),
        _ => Err(()),
    }
}

/// The per-instance value behind exports of your own WIT world (feature
/// `bindgen`), made once per instance by [`PerInstance::init`] (inside the
/// first call) and handed to every call through [`Guarded::call`].
///
/// ```no_run
/// use wasi_guest::{Context, Guarded, PerInstance};
///
/// struct Counter {
///     calls: u32,
/// }
///
/// impl PerInstance for Counter {
///     fn init(_: &mut Context) -> Self {
///         Counter { calls: 0 }
///     }
/// }
///
/// static COUNTER: Guarded<Counter> = Guarded::new();
///
/// // In the generated `Guest` impl of your world:
/// fn bump() -> Result<u32, String> {
///     COUNTER
///         .call(|c, _cx| {
///             c.calls += 1;
///             c.calls
///         })
///         .map_err(|refused| refused.to_string())
/// }
/// # let _ = bump;
/// ```
///
/// Every call is admitted by the instance's lifecycle guard, gets a fresh
/// [`Context`] (its own stdio handles, arguments, environment, preopens),
/// and is torn down and cleared like a run of `wasi:cli/run`: its
/// [`RunLocal`](crate::RunLocal) values are dropped and the memory it used
/// is zeroed. A refused call (single-shot and already called, re-entered, or
/// after a panic) does not run `body`.
pub struct Guarded<S>(Slot<S>);

impl<S> Guarded<S> {
    /// The per-instance slot, empty until the first call.
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        Guarded(Slot::new())
    }
}

impl<S: PerInstance + AllocatorRules> Guarded<S> {
    /// Runs `body` as one guarded call: `Ok` with what it returned, or `Err`
    /// saying why the call was refused (then `body` did not run; map the
    /// refusal onto your function's error value, or, for a function that has
    /// none, onto a neutral value).
    pub fn call<R>(
        &'static self,
        body: impl FnOnce(&mut S, &mut Context) -> R,
    ) -> Result<R, Refusal> {
        guarded(&self.0, body).map(|(r, _)| r)
    }
}
