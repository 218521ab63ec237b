//! `http-hello` against raw `wit-bindgen` bindings: a response with status
//! 200, no headers and the body `hello\n`, the least a handler can send.
#![no_std]

wit_bindgen::generate!({
    path: "../../../wit",
    world: "wasi-guest:sdk/http-handler",
    generate_all,
    disable_custom_section_link_helpers: true,
});

use exports::wasi::http::incoming_handler::Guest;
use wasi::http::types::{
    Fields, IncomingRequest, OutgoingBody, OutgoingResponse, ResponseOutparam,
};

struct Raw;

impl Guest for Raw {
    fn handle(_: IncomingRequest, out: ResponseOutparam) {
        let response = OutgoingResponse::new(Fields::new());
        let _ = response.set_status_code(200);
        let Ok(body) = response.body() else { return };
        ResponseOutparam::set(out, Ok(response));
        if let Ok(stream) = body.write() {
            let _ = stream.blocking_write_and_flush(b"hello\n");
        }
        let _ = OutgoingBody::finish(body, None);
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

/// Lists the host returns (an error's message) cannot be received: trap.
#[unsafe(no_mangle)]
unsafe extern "C" fn cabi_realloc(_: *mut u8, _: usize, _: usize, _: usize) -> *mut u8 {
    core::arch::wasm32::unreachable()
}
