//! The macros an author writes: [`export!`], `export_http!`, `generate!`,
//! [`record_policy!`] and the print macros. Everything they expand to is
//! reached through `$crate::__internal` (`src/rt.rs`), outside the semver
//! surface.

/// Generates bindings for your own WIT world with the `wit-bindgen` this
/// crate is built with (feature `bindgen`), so your crate needs no
/// `wit-bindgen` dependency of its own. Takes `wit_bindgen::generate!`'s
/// options, for example:
///
/// ```ignore
/// wasi_guest::generate!({ path: "wit", world: "plugin" });
/// ```
///
/// The generated code refers to this crate as `wasi_guest`: keep the
/// dependency's name. The lists those bindings receive (string arguments of
/// your exports, results of your imports) come from the global allocator,
/// as they expect. Run each exported function's body through
/// [`Guarded::call`](crate::Guarded::call) to give it the lifecycle of
/// `run`, and record the policy with [`record_policy!`].
#[cfg(feature = "bindgen")]
#[macro_export]
macro_rules! generate {
    ({ $($body:tt)* }) => {
        $crate::__internal::wit_bindgen::generate!({
            runtime_path: "::wasi_guest::__internal::wit_bindgen::rt",
            bitflags_path: "::wasi_guest::__internal::wit_bindgen::rt::bitflags",
            $($body)*
        });
    };
}

/// Exports a [`Program`](crate::Program) as the component's `wasi:cli/run`.
///
/// Use it once, at the root of a `cdylib` crate built for `wasm32-wasip2`.
/// Besides the export it declares the per-instance storage for the program
/// and records its [`PerInstance::POLICY`](crate::PerInstance::POLICY) in the
/// component (an export of an empty interface, see
/// [`Policy`](crate::Policy)).
#[macro_export]
macro_rules! export {
    ($program:ty) => {
        const _: () = {
            static INSTANCE: $crate::__internal::Slot<$program> = $crate::__internal::Slot::new();

            struct WasiGuestRun;

            impl $crate::__internal::Guest for WasiGuestRun {
                fn run() -> ::core::result::Result<(), ()> {
                    $crate::__internal::run::<$program>(&INSTANCE)
                }
            }

    $crate::__internal::export_guest!(WasiGuestRun with_types_in $crate::__internal);

            $crate::__record_policy!(<$program as $crate::PerInstance>::POLICY);
        };
    };
}

/// Exports an [`http::Handler`](crate::http::Handler) as the component's
/// `wasi:http/incoming-handler` (feature `http`). Use it once, at the root
/// of a `cdylib` crate built for `wasm32-wasip2`, instead of [`export!`].
#[cfg(feature = "http")]
#[macro_export]
macro_rules! export_http {
    ($handler:ty) => {
        const _: () = {
            static INSTANCE: $crate::__internal::Slot<$handler> =
                $crate::__internal::Slot::new();

            struct WasiGuestHttp;

            impl $crate::__internal::http::Guest for WasiGuestHttp {
                fn handle(
                    request: $crate::__internal::http::exports::wasi::http::incoming_handler::IncomingRequest,
                    out: $crate::__internal::http::exports::wasi::http::incoming_handler::ResponseOutparam,
                ) {
                    $crate::__internal::http::handle::<$handler>(&INSTANCE, request, out)
                }
            }

            $crate::__internal::http::export_http!(WasiGuestHttp with_types_in $crate::__internal::http);

            $crate::__record_policy!(<$handler as $crate::PerInstance>::POLICY);
        };
    };
}

/// Records a policy in the component (an export of an empty interface; see
/// [`Policy`](crate::Policy)): `wasi_guest::record_policy!(<Plugin as
/// wasi_guest::PerInstance>::POLICY);` once, in a component whose exports
/// go through [`Guarded`](crate::Guarded). [`export!`] and `export_http!` do
/// it themselves.
#[macro_export]
macro_rules! record_policy {
    ($policy:expr) => {
        $crate::__record_policy!($policy);
    };
}

/// The record behind [`record_policy!`]: a component-type custom section
/// wit-component turns into the policy's export.
#[doc(hidden)]
#[macro_export]
macro_rules! __record_policy {
    ($policy:expr) => {
        const _: () = {
            // On wasm, rustc turns a `link_section` static into a custom
            // section; `pub` (rather than `#[used]`) keeps it without also
            // emitting a copy into the data segment.
            #[unsafe(link_section = "component-type:wasi-guest:instance-reuse")]
            pub static POLICY: [u8; ($policy).record_len()] = ($policy).record();
        };
    };
}

/// Prints to the current run's stdout. Text without `{}` arguments is written
/// without `core::fmt`. A failed write (closed stdout) is reported at the end
/// of the run; see [`Stdout`](crate::Stdout).
#[macro_export]
macro_rules! print {
    ($($arg:tt)*) => {
        $crate::__internal::_print(::core::format_args!($($arg)*), false)
    };
}

/// Prints to the current run's stdout, with a newline.
///
/// A literal without `{}` (`println!("hello")`) is written together with its
/// newline in one host call.
#[macro_export]
macro_rules! println {
    () => {
        $crate::__internal::_print_str("\n")
    };
    ($fmt:literal) => {{
        if const { $crate::__internal::plain($fmt) } {
            $crate::__internal::_print_str(::core::concat!($fmt, "\n"))
        } else {
            $crate::__internal::_print(::core::format_args!($fmt), true)
        }
    }};
    ($($arg:tt)*) => {
        $crate::__internal::_print(::core::format_args!($($arg)*), true)
    };
}

/// Prints to the current run's stderr.
#[macro_export]
macro_rules! eprint {
    ($($arg:tt)*) => {
        $crate::__internal::_eprint(::core::format_args!($($arg)*), false)
    };
}

/// Prints to the current run's stderr, with a newline.
///
/// A literal without `{}` is written together with its newline in one host
/// call.
#[macro_export]
macro_rules! eprintln {
    () => {
        $crate::__internal::_eprint_str("\n")
    };
    ($fmt:literal) => {{
        if const { $crate::__internal::plain($fmt) } {
            $crate::__internal::_eprint_str(::core::concat!($fmt, "\n"))
        } else {
            $crate::__internal::_eprint(::core::format_args!($fmt), true)
        }
    }};
    ($($arg:tt)*) => {
        $crate::__internal::_eprint(::core::format_args!($($arg)*), true)
    };
}
