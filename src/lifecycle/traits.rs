//! The trait family: one shape for a component's per-instance value.
//!
//! [`PerInstance`] is the value a component keeps across calls on one
//! instance: how it is made (`init`, once per instance, inside the first
//! call) and what a call after the first does (`POLICY`). Each kind of
//! export adds the one method a call runs:
//!
//! | export | trait | macro |
//! |---|---|---|
//! | `wasi:cli/run` | [`Program`] | [`export!`](crate::export) |
//! | `wasi:http/incoming-handler` (`http`) | `http::Handler` | `export_http!` |
//! | your own world's functions (`bindgen`) | none: [`Guarded::call`](crate::Guarded::call) | `generate!` |

use super::policy::Policy;
use crate::api::context::Context;
use crate::api::exit::ExitCode;

/// A component's per-instance value: made once per instance by
/// [`PerInstance::init`], inside the first call, and handed to every call
/// after it. Anything that must not outlive a call belongs in a local
/// variable or a [`RunLocal`](crate::RunLocal).
///
/// It need not be `Send`: a component instance has one thread.
pub trait PerInstance: Sized + 'static {
    /// What a call after the first does on the same instance.
    const POLICY: Policy = Policy::Rerunnable;

    /// Makes the per-instance value. Called once per instance, inside the
    /// first call (so `cx` is that call's context).
    fn init(cx: &mut Context) -> Self;
}

/// A command exported as `wasi:cli/run`, see [`export!`](crate::export).
///
/// The implementing type *is* the per-instance state ([`PerInstance`]):
/// every run gets `&mut self` back.
pub trait Program: PerInstance {
    /// One run. Everything `cx` hands out is fetched for this run and released
    /// when it returns.
    fn run(&mut self, cx: &mut Context) -> ExitCode;
}
