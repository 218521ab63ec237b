//! `hello` written against raw `wit-bindgen` bindings: every call fetches the
//! stdout handle, writes `hello\n` once and drops the handle, which is the
//! least a re-runnable program that prints into each run's own pipe can do.
#![no_std]

wit_bindgen::generate!({
    path: "../../../wit",
    world: "wasi-guest:sdk/guest",
    generate_all,
    disable_custom_section_link_helpers: true,
});

struct Raw;

impl exports::wasi::cli::run::Guest for Raw {
    fn run() -> Result<(), ()> {
        let out = wasi::cli::stdout::get_stdout();
        out.blocking_write_and_flush(b"hello\n").map_err(|_| ())
    }
}

export!(Raw);

/// wit-bindgen's runtime links `alloc`; nothing here allocates.
struct NoAlloc;

// SAFETY: never hands out memory; every allocation fails.
unsafe impl core::alloc::GlobalAlloc for NoAlloc {
    unsafe fn alloc(&self, _: core::alloc::Layout) -> *mut u8 {
        core::ptr::null_mut()
    }
    unsafe fn dealloc(&self, _: *mut u8, _: core::alloc::Layout) {}
}

#[global_allocator]
static ALLOC: NoAlloc = NoAlloc;

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

/// No list is ever received; wit-component still wants the export.
#[unsafe(no_mangle)]
unsafe extern "C" fn cabi_realloc(_: *mut u8, _: usize, _: usize, _: usize) -> *mut u8 {
    core::arch::wasm32::unreachable()
}
