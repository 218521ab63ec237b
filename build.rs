//! Sets `cfg(guest_rt)` when this crate provides the component's runtime
//! (wasm32 without the `std` feature): `cabi_realloc`, and optionally the
//! global allocator and the panic handler. With `std`, wasi-libc and std
//! provide all three.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(guest_rt)");
    let wasm32 = std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32");
    let std = std::env::var_os("CARGO_FEATURE_STD").is_some();
    if wasm32 && !std {
        println!("cargo::rustc-cfg=guest_rt");
        // no_std code that compares byte strings calls `memcmp`/`bcmp`, which
        // compiler-builtins does not provide on wasm32-wasip2; left undefined
        // they become an import from module `env` that no component can
        // satisfy. Link wasi-libc (shipped with the target) so the linker can
        // take just those functions from it; nothing else is pulled in unless
        // referenced. With `std`, std links it already.
        println!("cargo::rustc-link-lib=c");
    }
}
