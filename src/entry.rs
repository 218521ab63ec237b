//! The body of the exported `wasi:cli/run`: set up, run, tear down.

use crate::guard;
use crate::{Context, Policy, Program, cell::Global, local, mem, stdio};

/// Storage for the per-instance [`Program`] value, one `static` per component
/// (declared by [`export!`](crate::export)). Only [`run`] reaches it, and only
/// after the guard has admitted the call, so it is never borrowed twice.
#[doc(hidden)]
pub struct InstanceSlot<P>(Global<Option<P>>);

impl<P> InstanceSlot<P> {
    /// An empty slot; the value is created by `P::init` in the first run.
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        Self(Global::new(None))
    }
}

/// One call of `wasi:cli/run`.
///
/// 1. the guard admits the call, or refuses it with `Err` (and, for a
///    single-shot program's second call, one line on stderr);
/// 2. on the first run `P::init` creates the per-instance state;
/// 3. `P::run` runs with a fresh [`Context`];
/// 4. teardown: run-locals dropped, context dropped (stdin, arguments,
///    environment released), stdio handles dropped (every write was already
///    written with `blocking-write-and-flush`, so nothing is pending), the
///    import arena (and the run arena, if it is the allocator) reset;
/// 5. the guard leaves `Running`.
#[doc(hidden)]
#[allow(clippy::result_unit_err)] // the shape of `wasi:cli/run`'s result
pub fn run<P: Program>(slot: &'static InstanceSlot<P>) -> Result<(), ()> {
    let first = match guard::GUARD.enter() {
        Ok(first) => first,
        Err(refusal) => {
            // Only a single-shot program can be refused for having run: the
            // line (and the stderr import) exists only in such programs.
            // Re-entry and use after a panic cannot happen under Wasmtime
            // (the component model forbids re-entry, a trap ends the
            // instance); a host that allows them gets the error result.
            if P::POLICY == Policy::SingleShot && refusal == guard::Refusal::SingleShot {
                stdio::error_line(refusal.message());
                stdio::finish_run();
            }
            return Err(());
        }
    };
    let mut cx = Context::new();
    let code = slot
        .0
        .try_with(|state| {
            if first || state.is_none() {
                *state = Some(P::init(&mut cx));
            }
            mem::begin_run();
            state.as_mut().map(|p| p.run(&mut cx))
        })
        .flatten();
    local::teardown();
    drop(cx);
    let io_ok = stdio::finish_run();
    mem::end_run();
    guard::GUARD.leave(P::POLICY);
    match code {
        Some(code) if code.is_success() && io_ok => Ok(()),
        _ => Err(()),
    }
}
