//! Chooses the platform once, as `cfg`s the rest of the crate reads:
//!
//! * `guest_rt`: this crate is the component's runtime (wasm32 without the
//!   `std` feature). It exports `cabi_realloc` and may install the global
//!   allocator and the panic handler. With `std`, std provides all three.
//! * `one_thread`: wasm32 without the `atomics` target feature. There is one
//!   thread, so the crate's globals need no locks (see `src/cell.rs`).
//! * `raw_lists`: (`guest_rt` only) bindings other than this crate's own can
//!   receive lists (features `wasi`, `bindgen`), so `cabi_realloc` serves them
//!   from the global allocator (see `src/mem/cabi.rs`).
//!
//! It also encodes the worlds `policy-rerunnable` and `policy-single-shot`
//! of `wit/world.wit` as component-type records (the format wit-bindgen
//! embeds) into `$OUT_DIR/policy-*.bin`, for [`export!`] to put in the
//! component: see `src/policy.rs`.
//!
//! It also declares `wasi_guest_no_scrub`, which `cargo xtask bench` passes
//! in RUSTFLAGS (`--cfg wasi_guest_no_scrub`) to measure what clearing memory
//! costs. It is not a supported configuration.

fn policy_records() {
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    let mut resolve = wit_parser::Resolve::default();
    let (package, _) = resolve.push_dir("wit").expect("parsing wit/");
    for policy in ["rerunnable", "single-shot"] {
        let world = resolve
            .select_world(&[package], Some(&format!("policy-{policy}")))
            .expect("policy world");
        let bytes = wit_component::metadata::encode(
            &resolve,
            world,
            wit_component::StringEncoding::UTF8,
            None,
        )
        .expect("encoding a policy world");
        std::fs::write(out.join(format!("policy-{policy}.bin")), bytes).expect("writing OUT_DIR");
    }
    println!("cargo::rerun-if-changed=wit");
}

fn main() {
    policy_records();
    for cfg in ["guest_rt", "one_thread", "raw_lists", "wasi_guest_no_scrub"] {
        println!("cargo::rustc-check-cfg=cfg({cfg})");
    }
    let env = |k: &str| std::env::var(k).unwrap_or_default();
    let feature = |f: &str| std::env::var_os(format!("CARGO_FEATURE_{f}")).is_some();
    let wasm32 = env("CARGO_CFG_TARGET_ARCH") == "wasm32";
    let atomics = env("CARGO_CFG_TARGET_FEATURE")
        .split(',')
        .any(|f| f == "atomics");
    let guest_rt = wasm32 && !feature("STD");
    if wasm32 && !atomics {
        println!("cargo::rustc-cfg=one_thread");
    }
    if guest_rt {
        println!("cargo::rustc-cfg=guest_rt");
        if feature("WASI") || feature("BINDGEN") {
            println!("cargo::rustc-cfg=raw_lists");
        }
        // no_std code that compares byte strings calls `memcmp`/`bcmp`, which
        // compiler-builtins does not provide on wasm32-wasip2; left undefined
        // they become an import from module `env` that no component can
        // satisfy. Link wasi-libc (shipped with the target) so the linker can
        // take just those functions from it; nothing else is pulled in unless
        // referenced. With `std`, std links it already.
        println!("cargo::rustc-link-lib=c");
    }
}
