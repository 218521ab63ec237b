//! The API: what a program calls during a call. Everything here belongs to
//! the call in progress and is fetched from the host when first asked for;
//! nothing outlives the call unless the program keeps it on purpose.
//!
//! [`context`] (arguments, environment, stdin, preopens), [`stdio`] (stdout,
//! stderr, the print macros), [`exit`], [`num`], and the public modules
//! `fs`, `http`, `time` and `random`.

#[allow(unsafe_code)] // strings read where the host wrote them
pub(crate) mod args;
#[allow(unsafe_code)] // values fetched on first use (`Fetched`)
pub(crate) mod context;
pub(crate) mod exit;
#[cfg(not(feature = "p3"))]
pub mod fs;
#[cfg(feature = "http")]
#[allow(unsafe_code)] // the request's parts are fetched on first use (`Fetched`)
pub mod http;
pub mod random;
#[cfg(feature = "std")]
mod std_impls;
#[cfg(not(feature = "p3"))]
#[allow(unsafe_code)] // the stream, fetched on first use (`Fetched`)
pub(crate) mod stdin;
#[cfg(feature = "p3")]
#[allow(unsafe_code)] // the stream, fetched on first use (`Fetched`)
#[path = "stdin_p3.rs"]
pub(crate) mod stdin;
pub(crate) mod stdio;
pub mod time;
