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
/// `run`, and record the policy with [`record_policy!`](crate::record_policy).
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
///
/// `export!(try T)` exports a [`TryProgram`](crate::TryProgram) instead,
/// whose `run` returns a `Result` (so `?` works in it).
#[cfg(not(feature = "p3"))]
#[macro_export]
macro_rules! export {
    ($program:ty) => {
        $crate::__export_run!($program, run);
    };
    (try $program:ty) => {
        $crate::__export_run!($program, try_run);
    };
}

/// The body of `export!` on WASI 0.2: `$entry` is `run` or `try_run`.
#[cfg(not(feature = "p3"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __export_run {
    ($program:ty, $entry:ident) => {
        const _: () = {
            static INSTANCE: $crate::__internal::Slot<$program> = $crate::__internal::Slot::new();

            struct WasiGuestRun;

            impl $crate::__internal::Guest for WasiGuestRun {
                fn run() -> ::core::result::Result<(), ()> {
                    $crate::__internal::$entry::<$program>(&INSTANCE)
                }
            }

    $crate::__internal::export_guest!(WasiGuestRun with_types_in $crate::__internal);

            $crate::__record_policy!(<$program as $crate::PerInstance>::POLICY);
        };
    };
}

/// Exports a [`Program`](crate::Program) as the component's
/// `wasi:cli/run@0.3` (feature `p3`): `export!(T)` for a serial program
/// (calls never overlap: the component holds backpressure while one is in
/// flight), `export!(try T)` for a serial [`TryProgram`](crate::TryProgram)
/// (`run` returns a `Result`), `export!(concurrent T)` for a
/// [`ConcurrentProgram`](crate::ConcurrentProgram).
///
/// Use it once, at the root of a `cdylib` crate built for `wasm32-wasip2`.
/// Besides the `[async-lift]` export and its callback it declares the
/// per-instance storage and the pool of the calls' tasks, and records the
/// policy (and, for `concurrent`, `wasi-guest:run/concurrent`) in the
/// component.
#[cfg(feature = "p3")]
#[macro_export]
macro_rules! export {
    ($program:ty) => {
        $crate::__export_p3_run!($program, run);
    };
    (try $program:ty) => {
        $crate::__export_p3_run!($program, try_run);
    };
    (concurrent $program:ty) => {
        $crate::__export_p3_run!($program, run_concurrent);
        $crate::__record_concurrent!();
    };
}

/// The body of `export!` on WASI 0.3.
#[cfg(feature = "p3")]
#[doc(hidden)]
#[macro_export]
macro_rules! __export_p3_run {
    ($program:ty, $start:ident) => {
        const _: () = {
            static SLOT: $crate::__internal::p3::AsyncSlot<$program> =
                $crate::__internal::p3::AsyncSlot::new();
            static POOL: $crate::__internal::p3::Pool = $crate::__internal::p3::Pool::new();

            $crate::__p3_export_run!($crate::__internal::p3::$start::<$program>(&SLOT, &POOL));

            #[unsafe(link_section = "component-type:wasi-guest:p3-run")]
            pub static WORLD: [u8; $crate::__internal::p3::WORLD_RUN.len()] =
                $crate::__internal::p3::record($crate::__internal::p3::WORLD_RUN);

            $crate::__record_policy!(<$program as $crate::PerInstance>::POLICY);
        };
    };
}

/// The record of `wasi-guest:run/concurrent`.
#[cfg(feature = "p3")]
#[doc(hidden)]
#[macro_export]
macro_rules! __record_concurrent {
    () => {
        const _: () = {
            #[unsafe(link_section = "component-type:wasi-guest:instance-overlap")]
            pub static CONCURRENT: [u8; $crate::Policy::CONCURRENT_RECORD.len()] =
                $crate::__internal::p3::record($crate::Policy::CONCURRENT_RECORD);
        };
    };
}

/// Exports an [`http::Handler`](crate::http::Handler) as the component's
/// `wasi:http/incoming-handler` (feature `http`). Use it once, at the root
/// of a `cdylib` crate built for `wasm32-wasip2`, instead of [`export!`].
#[cfg(all(feature = "http", not(feature = "p3")))]
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

/// Exports an [`http::Handler`](crate::http::Handler) as the component's
/// `wasi:http/handler@0.3` (features `http` and `p3`): `export_http!(T)`
/// for a serial handler (requests never overlap on one instance),
/// `export_http!(concurrent T)` for an
/// [`http::ConcurrentHandler`](crate::http::ConcurrentHandler).
#[cfg(all(feature = "http", feature = "p3"))]
#[macro_export]
macro_rules! export_http {
    ($handler:ty) => {
        $crate::__export_p3_http!($handler, handle);
    };
    (concurrent $handler:ty) => {
        $crate::__export_p3_http!($handler, handle_concurrent);
        $crate::__record_concurrent!();
    };
}

/// The body of `export_http!` on WASI 0.3.
#[cfg(all(feature = "http", feature = "p3"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __export_p3_http {
    ($handler:ty, $start:ident) => {
        const _: () = {
            static SLOT: $crate::__internal::p3::AsyncSlot<$handler> =
                $crate::__internal::p3::AsyncSlot::new();
            static POOL: $crate::__internal::p3::Pool = $crate::__internal::p3::Pool::new();

            $crate::__p3_export_http!(|request| $crate::__internal::p3::$start::<$handler>(
                &SLOT, &POOL, request
            ));

            #[unsafe(link_section = "component-type:wasi-guest:p3-http")]
            pub static WORLD: [u8; $crate::__internal::p3::WORLD_HTTP.len()] =
                $crate::__internal::p3::record($crate::__internal::p3::WORLD_HTTP);

            $crate::__record_policy!(<$handler as $crate::PerInstance>::POLICY);
        };
    };
}

/// Records a policy in the component (an export of an empty interface; see
/// [`Policy`](crate::Policy)): `wasi_guest::record_policy!(<Plugin as
/// wasi_guest::PerInstance>::POLICY);` once, in a component whose exports
/// go through `Guarded` (WASI 0.2). [`export!`] and `export_http!` do
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
