//! The trait family: one shape for a component's per-instance value.
//!
//! [`PerInstance`] is the value a component keeps across calls on one
//! instance: how it is made (`init`, once per instance, inside the first
//! call) and what a call after the first does (`POLICY`). Each kind of
//! export adds the one method a call runs:
//!
//! | export | trait | macro |
//! |---|---|---|
//! | `wasi:cli/run` | [`Program`] (WASI 0.3: async; `ConcurrentProgram` for overlapping calls) | [`export!`](crate::export) |
//! | `wasi:http/incoming-handler` (`http`) | `http::Handler` | `export_http!` |
//! | your own world's functions (`bindgen`) | none: `Guarded::call` | `generate!` |

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
    /// What a call after the first does on the same instance; by default
    /// every call runs ([`Policy::Rerunnable`]). (With feature `std` the
    /// default is [`Policy::SingleShot`], because std's own stdio keeps the
    /// first call's handles.)
    #[cfg(not(feature = "std"))]
    const POLICY: Policy = Policy::Rerunnable;
    /// What a call after the first does on the same instance.
    ///
    /// With feature `std` the default is [`Policy::SingleShot`]: std's own
    /// stdio (`std::println!`, `std::eprintln!`, `std::io::stdin()`) is
    /// wasi-libc's, which keeps the handles of the first call that used it,
    /// so a later call's output would land in an earlier call's pipe.
    /// Writing `const POLICY: Policy = Policy::Rerunnable;` states that the
    /// program uses only this crate's stdio ([`println!`](crate::println),
    /// [`stdout`](crate::stdout), [`Context::stdin`]); see "std mode" in
    /// docs/semantics.md for what std mode resets and what it cannot.
    #[cfg(feature = "std")]
    const POLICY: Policy = Policy::SingleShot;

    /// Makes the per-instance value. Called once per instance, inside the
    /// first call (so `cx` is that call's context).
    fn init(cx: &mut Context) -> Self;
}

/// A command exported as `wasi:cli/run`, see [`export!`](crate::export).
///
/// The implementing type *is* the per-instance state ([`PerInstance`]):
/// every run gets `&mut self` back.
#[cfg(not(feature = "p3"))]
pub trait Program: PerInstance {
    /// One run. Everything `cx` hands out is fetched for this run and released
    /// when it returns.
    fn run(&mut self, cx: &mut Context) -> ExitCode;
}

/// A command whose `run` returns a `Result`, so that `?` works in it
/// (WASI 0.2; on 0.3 its `run` is async): exported with `export!(try T)`. `Ok(())` is success; an
/// `Err(e)` writes `error: {e}` and a newline to the run's stderr, and the
/// run fails, as std's `fn main() -> Result<(), E>` does.
///
/// ```no_run
/// #![no_std]
/// use wasi_guest::{Context, PerInstance, TryProgram, fs, println};
///
/// struct Show;
///
/// impl PerInstance for Show {
///     fn init(_: &mut Context) -> Self {
///         Show
///     }
/// }
///
/// impl TryProgram for Show {
///     type Error = fs::Error;
///
///     fn run(&mut self, cx: &mut Context) -> Result<(), fs::Error> {
///         let (dir, rest) = cx.locate("/data/note.txt").ok_or(fs::ErrorCode::NoEntry)?;
///         println!("{}", dir.read_to_string(rest)?);
///         Ok(())
///     }
/// }
///
/// wasi_guest::export!(try Show);
/// # extern crate std;
/// # fn main() {}
/// ```
#[cfg(not(feature = "p3"))]
pub trait TryProgram: PerInstance {
    /// What a failed run reports (its `Display` text goes to stderr).
    type Error: core::fmt::Display;

    /// One run, as [`Program::run`], with `?`.
    fn run(&mut self, cx: &mut Context) -> Result<(), Self::Error>;
}

/// A command exported as `wasi:cli/run@0.3` (feature `p3`), see
/// [`export!`](crate::export): its `run` is async, and calls on one
/// instance never overlap (the component holds backpressure while a call
/// is in flight), so every run gets `&mut self`.
///
/// For calls that overlap, implement [`ConcurrentProgram`] instead.
#[cfg(feature = "p3")]
pub trait Program: PerInstance {
    /// One run. Everything `cx` hands out is fetched for this run and
    /// released when it ends.
    fn run(&mut self, cx: &mut Context) -> impl core::future::Future<Output = ExitCode>;
}

/// A WASI 0.3 command whose async `run` returns a `Result`, so that `?`
/// works in it (feature `p3`; `export!(try T)`): as [`Program`] on 0.3
/// (calls never overlap), with the error reported as on 0.2: `Ok(())` is
/// success; an `Err(e)` writes `error: {e}` and a newline to the run's
/// stderr, and the run fails.
///
/// ```no_run
/// #![no_std]
/// use wasi_guest::{Context, PerInstance, TryProgram, println};
///
/// struct Double;
///
/// impl PerInstance for Double {
///     fn init(_: &mut Context) -> Self {
///         Double
///     }
/// }
///
/// impl TryProgram for Double {
///     type Error = core::num::ParseIntError;
///
///     async fn run(&mut self, cx: &mut Context) -> Result<(), Self::Error> {
///         let n: u32 = cx.args().get(1).unwrap_or("").parse()?;
///         println!("{}", n * 2);
///         Ok(())
///     }
/// }
///
/// wasi_guest::export!(try Double);
/// # extern crate std;
/// # fn main() {}
/// ```
#[cfg(feature = "p3")]
pub trait TryProgram: PerInstance {
    /// What a failed run reports (its `Display` text goes to stderr).
    type Error: core::fmt::Display;

    /// One run, as [`Program::run`], with `?`.
    fn run(
        &mut self,
        cx: &mut Context,
    ) -> impl core::future::Future<Output = Result<(), Self::Error>>;
}

/// A command exported as `wasi:cli/run@0.3` whose calls may overlap on one
/// instance (feature `p3`; `export!(concurrent T)`): the per-instance value
/// is shared (`&self`; mutate it through `Cell`s or `RefCell`s, there is one
/// thread), while every call still has its own [`Context`], stdio and
/// [`RunLocal`](crate::RunLocal) values.
#[cfg(feature = "p3")]
pub trait ConcurrentProgram: PerInstance {
    /// One run, possibly while other runs of the same instance are in
    /// flight.
    fn run(&self, cx: &mut Context) -> impl core::future::Future<Output = ExitCode>;
}

/// Whether a [`TryProgram`](crate::TryProgram)'s run succeeded; an error's
/// text is written to the run's stderr as `error: {e}` (during the run,
/// while its stderr is open).
pub(crate) fn reported<E: core::fmt::Display>(outcome: Result<(), E>) -> bool {
    match outcome {
        Ok(()) => true,
        Err(e) => {
            crate::eprintln!("error: {e}");
            false
        }
    }
}
