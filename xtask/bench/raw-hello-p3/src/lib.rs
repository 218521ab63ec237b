//! `hello-p3` written against raw `wit-bindgen` bindings (WASI 0.3): every
//! call makes a stream, hands it to `wasi:cli/stdout`, writes `hello\n` and
//! waits for the host's result, which is the least a re-runnable program
//! that prints into each call's own pipe can do.
#![no_std]

extern crate alloc;

wit_bindgen::generate!({
    inline: "
        package wasi-guest:raw-hello-p3;
        world raw {
            import wasi:cli/stdout@0.3.0;
            export wasi:cli/run@0.3.0;
        }
    ",
    path: [
        "../../../wit/p3/deps/clocks.wit",
        "../../../wit/p3/deps/random.wit",
        "../../../wit/p3/deps/filesystem.wit",
        "../../../wit/p3/deps/sockets.wit",
        "../../../wit/p3/deps/cli.wit",
        "../../../wit/p3/deps/http.wit",
    ],
    generate_all,
});

struct Raw;

impl exports::wasi::cli::run::Guest for Raw {
    async fn run() -> Result<(), ()> {
        let (mut tx, rx) = wit_stream::new::<u8>();
        let result = wasi::cli::stdout::write_via_stream(rx);
        let rest = tx.write_all(alloc::vec::Vec::from(&b"hello\n"[..])).await;
        drop(tx);
        let written = result.await;
        if rest.is_empty() && written.is_ok() {
            Ok(())
        } else {
            Err(())
        }
    }
}

export!(Raw);

#[global_allocator]
static ALLOC: dlmalloc::GlobalDlmalloc = dlmalloc::GlobalDlmalloc;

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

/// wit-bindgen 0.57.1 does not provide `cabi_realloc` on `wasm32-wasip2`:
/// the global allocator's.
#[unsafe(no_mangle)]
unsafe extern "C" fn cabi_realloc(
    old: *mut u8,
    old_len: usize,
    align: usize,
    new_len: usize,
) -> *mut u8 {
    use alloc::alloc::{Layout, alloc, realloc};
    // SAFETY: the canonical ABI passes a valid alignment and, with a non-null
    // `old`, a block this function returned with `old_len` bytes.
    let p = unsafe {
        if old.is_null() {
            alloc(Layout::from_size_align_unchecked(new_len, align))
        } else {
            realloc(
                old,
                Layout::from_size_align_unchecked(old_len, align),
                new_len,
            )
        }
    };
    if p.is_null() {
        core::arch::wasm32::unreachable()
    }
    p
}
