//! The host tests: real components in a real Wasmtime (and the Wasmtime CLI,
//! jco and `wasmtime serve`), in one test binary so Wasmtime is linked once.
//! One module per concern; `support` is what they share.

mod check_reuse;
mod compat;
mod components;
mod docs;
mod faults;
mod files;
mod hostile;
mod hosting;
mod http;
mod lifecycle;
mod load;
mod p3;
mod plugin;
mod residue;
mod serve;
mod soundness;
mod std_mode;
mod support;
mod template;
mod twins;
