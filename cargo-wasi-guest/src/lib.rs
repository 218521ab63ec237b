//! `cargo wasi-guest`: what an author or a host operator runs on a
//! WebAssembly component, and the one Wasmtime host it runs on.
//!
//! * [`wasm`]: reading and rewriting component binaries (the strip step,
//!   the facts the size tables and tests read);
//! * [`host`] (feature `host`): one instance of a component, called any
//!   number of times with a fresh `WasiCtx` per call, optionally in linear
//!   memory the host owns and scans; the vocabulary the tests, `cargo xtask
//!   bench`, `check-reuse` and examples/reuse-host share;
//! * [`reuse`] (feature `host`): the `check-reuse` verdict;
//! * [`template_source`]: the template as the tool carries it
//!   (`src/template.rs`, generated from `templates/component`);
//! * the author's verbs `new` and `build` (`src/author.rs`), which need no
//!   Wasmtime: `cargo install --path cargo-wasi-guest --no-default-features`
//!   gives them (and `strip`, `policy`) in about a minute.
//!
//! The binary (`src/main.rs`) is the cargo subcommand.

#[cfg(feature = "host")]
pub mod host;
#[cfg(feature = "host")]
pub mod reuse;
pub mod wasm;

/// Errors are reported, not handled: a message for a person.
pub type Error = Box<dyn std::error::Error + Send + Sync>;
/// Result with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

mod author;
mod cli;
#[rustfmt::skip]
mod template;
pub use author::template_source;
pub use cli::cli;
