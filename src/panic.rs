//! The panic handler (feature `panic-handler`, no_std wasm32 builds).
//!
//! It marks the instance poisoned, writes `wasi-guest: panicked at
//! FILE:LINE:COL:` and the message to stderr (stdout is unbuffered, so
//! everything printed before the panic has already reached the host), then
//! traps with `unreachable`. The trap ends the instance: Wasmtime refuses any
//! further call into it, and should a host call `run` again anyway the guard
//! answers with the error result.

#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    crate::guard::GUARD.poison();
    let _ = core::fmt::Write::write_fmt(
        &mut crate::stdio::stderr(),
        format_args!("wasi-guest: {info}\n"),
    );
    core::arch::wasm32::unreachable()
}
