//! `__internal`: every item the crate's macros expand to, in one hidden
//! module outside the semver surface (as wit-bindgen's `rt`).

pub use crate::api::stdio::{_eprint, _eprint_str, _print, _print_str, plain};
#[cfg(not(feature = "p3"))]
pub use crate::lifecycle::entry::{Slot, run, try_run};
#[cfg(not(feature = "p3"))]
pub use crate::platform::bindings::__export_guest as export_guest;
#[cfg(not(feature = "p3"))]
pub use crate::platform::bindings::exports;
#[cfg(not(feature = "p3"))]
pub use crate::platform::bindings::exports::wasi::cli::run::Guest;
pub use crate::platform::sys::AllocatorRules;

/// The WASI 0.3 export glue, for `export!` and `export_http!` (feature
/// `p3`).
#[cfg(feature = "p3")]
pub mod p3 {
    #[cfg(feature = "http")]
    pub use crate::api::http::p3::{handle, handle_concurrent};
    pub use crate::lifecycle::task::{
        AsyncSlot, WORLD_HTTP, WORLD_RUN, record, run, run_concurrent, try_run,
    };
    pub use crate::platform::sys::task::{Pool, callback};
}
#[cfg(feature = "bindgen")]
pub use wit_bindgen;

/// The HTTP bindings' export glue, for `export_http!`.
#[cfg(all(feature = "http", not(feature = "p3")))]
pub mod http {
    pub use crate::api::http::handle;
    pub use crate::platform::http_bindings::__export_http as export_http;
    pub use crate::platform::http_bindings::exports;
    pub use crate::platform::http_bindings::exports::wasi::http::incoming_handler::Guest;
}
