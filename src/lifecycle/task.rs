//! One guarded call on WASI 0.3: the same admission, set-up and teardown as
//! [`entry::guarded`](super::entry), as a future that the platform's
//! executor runs as the call's component-model task.
//!
//! Calls of a *serial* program hold backpressure from admission until their
//! teardown ends, so a host never has two in flight on one instance, and a
//! call that arrives anyway (a host that ignores backpressure) is refused.
//! Calls of a *concurrent* program ([`Shared`]) overlap: each has its own
//! context, stdio, import arena and `RunLocal` values; the per-instance
//! value is shared (`&self`).
//!
//! The teardown runs in a guard's `Drop` too, so a call that the host
//! cancels (its future is dropped mid-way) is torn down the same way, minus
//! the waiting for its output to reach the host.

use super::guard::{self, Refusal};
use super::local;
use super::policy::Policy;
use super::traits::PerInstance;
use crate::api::context::Context;
use crate::api::stdio;
use crate::platform::cell::Global;
use crate::platform::sys;

/// Storage for the per-instance value of a WASI 0.3 export, one `static`
/// per component (declared by the export macros).
///
/// The value is made once, by the first call, before that call first
/// yields to the host (so before any other call can start), and never moved
/// or dropped after: calls hold a `&mut` to it (serial programs, one call
/// at a time) or a `&` (concurrent programs) for as long as they run.
#[doc(hidden)]
pub struct AsyncSlot<S>(Global<Option<S>>);

impl<S> AsyncSlot<S> {
    /// An empty slot; the value is made by `S::init` in the first call.
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        Self(Global::new(None))
    }
}

impl<S: PerInstance> AsyncSlot<S> {
    /// The value, made by `init` in the first call.
    ///
    /// # Safety
    /// The lifecycle guard admitted the calling call, and no other call
    /// holds a `&mut` to the value (serial programs: the guard admits one
    /// call at a time; concurrent ones: only `&` are ever made from it).
    unsafe fn value(&'static self, first: bool, cx: &mut Context) -> *mut S {
        // SAFETY: the closure runs `init` (user code) only on the first
        // call, which cannot reach the slot (it is reached only here, and
        // the first call runs `init` before anything else), and otherwise
        // only reads the address.
        let p = unsafe {
            self.0.try_with(|v| match v {
                Some(p) if !first => p as *mut S,
                _ => v.insert(S::init(cx)) as *mut S,
            })
        };
        p.unwrap_or(core::ptr::null_mut())
    }
}

/// How calls of a program share its per-instance value.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sharing {
    /// One call at a time, `&mut` (backpressure held while a call runs).
    Serial,
    /// Overlapping calls, `&`.
    Shared,
}

/// What a call's teardown must undo, and whether it already did.
struct Teardown {
    sharing: Sharing,
    policy: Policy,
    /// The normal path ran; `Drop` has nothing left to do.
    done: bool,
}

impl Teardown {
    /// The teardown: run-locals (again, for a cancelled call), stdio
    /// (waiting until the host has all output, unless cancelled), the
    /// platform, the guard, backpressure. Whether all output reached the
    /// host. Out of line: the normal path and `Drop` share it.
    #[inline(never)]
    fn end(&mut self, wait: bool) -> bool {
        self.done = true;
        local::teardown_call();
        let io_ok = if wait {
            sys::close_stdio()
        } else {
            sys::close_stdio_now();
            false
        };
        sys::end_run();
        match self.sharing {
            Sharing::Serial => {
                guard::GUARD.leave(self.policy);
                sys::release_calls();
            }
            Sharing::Shared => guard::GUARD.leave_overlapping(),
        }
        io_ok
    }
}

impl Drop for Teardown {
    /// A cancelled call (its future dropped before the end).
    fn drop(&mut self) {
        if !self.done {
            self.end(false);
        }
    }
}

/// Admits a call: `Ok(first)` or why it is refused. A serial call that is
/// admitted holds backpressure from here.
fn admit(sharing: Sharing) -> Result<bool, Refusal> {
    // 0. What an earlier call left on the stack is cleared first.
    sys::begin_call();
    // 1. Admission: a refused call touches nothing of the program's.
    match sharing {
        Sharing::Serial => {
            let first = guard::GUARD.enter()?;
            sys::hold_calls();
            Ok(first)
        }
        Sharing::Shared => guard::GUARD.enter_overlapping(),
    }
}

/// Ends a refused call: a single-shot program's line on stderr, flushed.
fn refused<S: PerInstance>(refusal: Refusal) -> Refusal {
    if S::POLICY == Policy::SingleShot && refusal == Refusal::SingleShot {
        stdio::error_line(refusal.message());
        sys::close_stdio();
    }
    refusal
}

/// One admitted call: its teardown guard, its context and the per-instance
/// value. The export glue (one flat `async fn` per kind of export, so the
/// futures nest no deeper than the program's own) runs the program between
/// [`Call::begin`] and [`Call::end`].
pub(crate) struct Call<S> {
    teardown: Teardown,
    /// The call's context (dropped in `end`, or with the call).
    pub(crate) cx: Context,
    value: *mut S,
}

impl<S: PerInstance> Call<S> {
    /// Admission and set-up: a fresh context, `init` on the first call.
    /// `Err` says why the call is refused (then neither `init` nor the
    /// program runs). A single-shot program is always serial.
    pub(crate) fn begin(slot: &'static AsyncSlot<S>, sharing: Sharing) -> Result<Self, Refusal> {
        let sharing = match S::POLICY {
            Policy::SingleShot => Sharing::Serial,
            Policy::Rerunnable => sharing,
        };
        let first = match admit(sharing) {
            Ok(first) => first,
            Err(refusal) => return Err(refused::<S>(refusal)),
        };
        let teardown = Teardown {
            sharing,
            policy: S::POLICY,
            done: false,
        };
        let mut cx = Context::new();
        // SAFETY: admitted above: serial calls are alone, and calls of a
        // concurrent program only ever get `&` (see `value_ref`).
        let value = unsafe { slot.value(first, &mut cx) };
        sys::begin_run();
        Ok(Call {
            teardown,
            cx,
            value,
        })
    }

    /// The per-instance value and the context, for a serial call.
    pub(crate) fn parts(&mut self) -> Option<(&mut S, &mut Context)> {
        if self.teardown.sharing != Sharing::Serial {
            return None;
        }
        // SAFETY: a serial call is the only one in flight (the guard and
        // backpressure keep others out), the value lives as long as the
        // instance, and this borrow ends with `self`'s. Null only on host
        // builds, where nothing runs.
        let value = unsafe { self.value.as_mut() }?;
        Some((value, &mut self.cx))
    }

    /// The per-instance value, shared, and the context (any call).
    pub(crate) fn shared_parts(&mut self) -> Option<(&S, &mut Context)> {
        // SAFETY: the value lives as long as the instance; overlapping calls
        // only ever get `&` to it (`parts` refuses them a `&mut`).
        let value = unsafe { self.value.as_ref() }?;
        Some((value, &mut self.cx))
    }

    /// Tear-down, in the order of `entry::guarded`: run-locals, the
    /// context, stdio (waiting until the host has all output), then the
    /// platform, the guard and backpressure. Whether all output reached
    /// the host. (Spawned work was awaited before this.)
    pub(crate) fn end(self) -> bool {
        let Call {
            mut teardown, cx, ..
        } = self;
        local::teardown_call();
        drop(cx);
        teardown.end(true)
    }
}

/// The body of `wasi:cli/run@0.3`'s `[async-lift]` export for a serial
/// [`Program`](crate::Program): starts the call as a task of the platform's
/// executor; returns the callback code.
#[doc(hidden)]
pub fn run<P: crate::Program>(slot: &'static AsyncSlot<P>, pool: &'static sys::task::Pool) -> u32 {
    sys::task::start(pool, async move {
        let mut ok = false;
        if let Ok(mut call) = Call::begin(slot, Sharing::Serial)
            && let Some((program, cx)) = call.parts()
        {
            let code = program.run(cx).await;
            sys::spawned_done().await;
            ok = call.end() && code.is_success();
        }
        sys::run_return(ok);
    })
}

/// The same for a serial [`TryProgram`](crate::TryProgram): an error is
/// written to the run's stderr (inside the call, while its stderr is open)
/// and fails the run.
#[doc(hidden)]
pub fn try_run<P: crate::TryProgram>(
    slot: &'static AsyncSlot<P>,
    pool: &'static sys::task::Pool,
) -> u32 {
    sys::task::start(pool, async move {
        let mut ok = false;
        if let Ok(mut call) = Call::begin(slot, Sharing::Serial)
            && let Some((program, cx)) = call.parts()
        {
            let succeeded = super::traits::reported(program.run(cx).await);
            sys::spawned_done().await;
            ok = call.end() && succeeded;
        }
        sys::run_return(ok);
    })
}

/// The same for a [`ConcurrentProgram`](crate::ConcurrentProgram): calls
/// overlap.
#[doc(hidden)]
pub fn run_concurrent<P: crate::ConcurrentProgram>(
    slot: &'static AsyncSlot<P>,
    pool: &'static sys::task::Pool,
) -> u32 {
    sys::task::start(pool, async move {
        let mut ok = false;
        if let Ok(mut call) = Call::begin(slot, Sharing::Shared)
            && let Some((program, cx)) = call.shared_parts()
        {
            let code = program.run(cx).await;
            sys::spawned_done().await;
            ok = call.end() && code.is_success();
        }
        sys::run_return(ok);
    })
}

/// A record embedded by the export macros (a component-type custom section
/// wit-component turns into the world's exports and imports), copied into
/// an array of its length (`N` must be `src.len()`).
#[doc(hidden)]
pub const fn record<const N: usize>(src: &[u8]) -> [u8; N] {
    assert!(src.len() == N, "record length");
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N {
        out[i] = src[i];
        i += 1;
    }
    out
}

/// The component-type record of `wit/p3`'s `run` world.
#[doc(hidden)]
pub const WORLD_RUN: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/world-p3-run.bin"));
/// The component-type record of `wit/p3`'s `http` world.
#[doc(hidden)]
pub const WORLD_HTTP: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/world-p3-http.bin"));
