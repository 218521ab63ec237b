//! The lifecycle: what happens around every call into the component.
//!
//! * [`guard`]: the state machine that admits or refuses a call;
//! * [`entry`]: the one admission, set-up and teardown path every export
//!   goes through;
//! * [`traits`]: the per-instance value ([`PerInstance`](traits::PerInstance))
//!   and the kinds of export built on it;
//! * [`local`]: [`RunLocal`](local::RunLocal), state that lives for one call;
//! * [`policy`]: re-runnable or single-shot, and its record in the component.

#[cfg(not(feature = "p3"))]
#[allow(unsafe_code)] // the program's slot is a `Global`
pub(crate) mod entry;
pub(crate) mod guard;
#[allow(unsafe_code)] // the registry of live RunLocals is a `Global`
pub(crate) mod local;
pub(crate) mod policy;
#[cfg(feature = "p3")]
#[allow(unsafe_code)] // the per-instance value, borrowed for a whole call
pub(crate) mod task;
pub(crate) mod traits;
