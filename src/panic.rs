//! The panic handlers, on no_std wasm32 builds.
//!
//! Both mark the instance poisoned, write one report to stderr (stdout is
//! unbuffered, so everything printed before the panic has already reached the
//! host), then trap with `unreachable`. The trap ends the instance: Wasmtime
//! refuses any further call into it, and should a host call `run` again anyway
//! the guard answers with the error result.
//!
//! * `panic-handler`: `wasi-guest: panicked at FILE:LINE:COL:` and the panic
//!   message, formatted with `core::fmt`.
//! * `panic-trap`: `wasi-guest: panicked at FILE:LINE`, written without
//!   `core::fmt`; the message is not formatted, so a program that does not
//!   format anything else links no formatting code (see docs/size.md).

#[cfg(feature = "panic-handler")]
#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    crate::guard::GUARD.poison();
    let _ = core::fmt::Write::write_fmt(
        &mut crate::stdio::stderr(),
        format_args!("wasi-guest: {info}\n"),
    );
    core::arch::wasm32::unreachable()
}

#[cfg(all(feature = "panic-trap", not(feature = "panic-handler")))]
#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    crate::guard::GUARD.poison();
    let mut err = crate::stdio::stderr();
    // The location is always present on current Rust; the `Option` is
    // for future compilers.
    let (file, line) = info.location().map_or(("?", 0), |l| (l.file(), l.line()));
    let _ = err.write_all(b"wasi-guest: panicked at ");
    let _ = err.write_all(file.as_bytes());
    let _ = err.write_all(b":");
    let _ = err.write_all(crate::Decimal::new(line.into()).as_str().as_bytes());
    let _ = err.write_all(b"\n");
    core::arch::wasm32::unreachable()
}
