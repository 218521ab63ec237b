//! [`Program`]: the trait a component author implements.

use crate::{Context, ExitCode, Policy};

/// A command exported as `wasi:cli/run`, see [`export!`](crate::export).
///
/// The implementing type *is* the per-instance state: [`Program::init`]
/// creates it once, before the first run, and every later run gets `&mut self`
/// back. Anything that must not outlive a run belongs in a local variable or a
/// [`RunLocal`](crate::RunLocal).
pub trait Program: Sized + 'static {
    /// What a second call to `run` on the same instance does.
    const POLICY: Policy = Policy::Rerunnable;

    /// Creates the per-instance state. Called once per instance, inside the
    /// first run (so `cx` is that run's context).
    fn init(cx: &mut Context) -> Self;

    /// One run. Everything `cx` hands out is fetched for this run and released
    /// when it returns.
    fn run(&mut self, cx: &mut Context) -> ExitCode;
}
