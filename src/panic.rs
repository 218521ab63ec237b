//! The panic handler (feature `panic-handler`, no_std wasm32 builds).
//!
//! It marks the instance poisoned, flushes the run's buffered stdout (so no
//! output written before the panic is lost), writes
//! `wasi-guest: panicked at FILE:LINE:COL:` and the message to stderr, then
//! traps with `unreachable`. The trap ends the instance: Wasmtime refuses any
//! further call into it, and should a host call `run` again anyway the guard
//! answers with the error result.

#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    crate::guard::poison();
    crate::stdio::flush_stdout();
    let _ = core::fmt::Write::write_fmt(
        &mut crate::stdio::stderr(),
        format_args!("wasi-guest: {info}\n"),
    );
    core::arch::wasm32::unreachable()
}
