//! The panic handlers, where this crate is the component's runtime.
//!
//! Both note the panic (the lifecycle guard then refuses every later call
//! as [`Refusal::Poisoned`](crate::Refusal::Poisoned)), write one report to
//! stderr (stdout is unbuffered, so everything printed before the panic has
//! already reached the host), then trap with `unreachable`. The trap ends the
//! instance: Wasmtime refuses any further call into it.
//!
//! The report goes through a stderr handle of the handler's own
//! ([`sys::PanicStderr`](super::sys)), never through the run's stdio sinks:
//! a panic can start inside a sink's borrow (generated code decoding a host
//! result it does not expect), and borrowing that sink again would alias it.
//!
//! * `panic-handler`: `wasi-guest: panicked at FILE:LINE:COL:` and the panic
//!   message, formatted with `core::fmt`.
//! * `panic-trap`: `wasi-guest: panicked at FILE:LINE`, written without
//!   `core::fmt`; the message is not formatted, so a program that does not
//!   format anything else links no formatting code (see docs/size.md).
//! * `panic-quiet`: nothing written (no stderr stream is linked: on WASI
//!   0.3 that is about 500 bytes); the host's trap report is all there is.

#[cfg(any(feature = "panic-handler", feature = "panic-trap"))]
use core::fmt::Write;

#[cfg(feature = "panic-handler")]
#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    super::note_panic();
    let mut err = super::sys::PanicStderr::open();
    let _ = err.write_fmt(format_args!("wasi-guest: {info}\n"));
    core::arch::wasm32::unreachable()
}

#[cfg(all(feature = "panic-trap", not(feature = "panic-handler")))]
#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    super::note_panic();
    // The location is always present on current Rust; the `Option` is
    // for future compilers.
    let (file, line) = info.location().map_or(("?", 0), |l| (l.file(), l.line()));
    // `:LINE\n`, the digits written backwards into a small buffer (no
    // indexing that could panic again).
    let mut tail = [b':', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, b'\n'];
    let mut at: usize = 11;
    let mut n = line;
    while let Some(slot) = at.checked_sub(1).and_then(|i| tail.get_mut(i)) {
        *slot = b'0' + (n % 10) as u8;
        at -= 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if let Some(colon) = at.checked_sub(1).and_then(|i| tail.get_mut(i)) {
        *colon = b':';
        at -= 1;
    }
    let mut err = super::sys::PanicStderr::open();
    let _ = err.write_str("wasi-guest: panicked at ");
    let _ = err.write_str(file);
    let tail = tail.get(at..).unwrap_or(b"\n");
    // SAFETY: `tail` holds only ASCII (a colon, digits, a newline).
    let _ = err.write_str(unsafe { core::str::from_utf8_unchecked(tail) });
    core::arch::wasm32::unreachable()
}

#[cfg(all(
    feature = "panic-quiet",
    not(feature = "panic-handler"),
    not(feature = "panic-trap")
))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    super::note_panic();
    core::arch::wasm32::unreachable()
}
