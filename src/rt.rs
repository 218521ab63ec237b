//! `__internal`: every item the crate's macros expand to, in one hidden
//! module outside the semver surface (as wit-bindgen's `rt`).

pub use crate::api::stdio::{_eprint, _eprint_str, _print, _print_str, plain};
pub use crate::lifecycle::entry::{Slot, run};
pub use crate::platform::bindings::__export_guest as export_guest;
pub use crate::platform::bindings::exports;
pub use crate::platform::bindings::exports::wasi::cli::run::Guest;
pub use crate::platform::sys::AllocatorRules;
#[cfg(feature = "bindgen")]
pub use wit_bindgen;

/// The HTTP bindings' export glue, for `export_http!`.
#[cfg(feature = "http")]
pub mod http {
    pub use crate::api::http::handle;
    pub use crate::platform::http_bindings::__export_http as export_http;
    pub use crate::platform::http_bindings::exports;
    pub use crate::platform::http_bindings::exports::wasi::http::incoming_handler::Guest;
}
