//! Feature and target combinations that cannot work, refused with a sentence
//! that says what to write instead. (The one place outside `platform/` that
//! reads the platform `cfg`: only to refuse.)

#[cfg(all(target_arch = "wasm32", target_feature = "atomics"))]
compile_error!(
    "wasi-guest: wasm32 with the `atomics` target feature (threads) is not supported; \
     the runtime relies on a component instance having one thread"
);

#[cfg(all(wasi_guest_sys = "wasip2", feature = "dlmalloc", feature = "arena"))]
compile_error!(
    "wasi-guest: features `dlmalloc` and `arena` both install a global allocator; \
     pick one (`default-features = false, features = [\"arena\", \"panic-handler\"]`)"
);

#[cfg(all(wasi_guest_sys = "wasip2", feature = "talc", feature = "arena"))]
compile_error!(
    "wasi-guest: features `talc` and `arena` both install a global allocator; \
     pick one (`default-features = false, features = [\"arena\", \"panic-handler\"]`)"
);

#[cfg(all(wasi_guest_sys = "wasip2", feature = "arena", feature = "bindgen"))]
compile_error!(
    "wasi-guest: features `arena` and `bindgen` do not go together: your exports receive their \
     arguments before a call begins, so the per-run arena could never free them; use `talc` (the default) or `dlmalloc`"
);

#[cfg(all(feature = "p3", not(target_arch = "wasm32")))]
compile_error!(
    "wasi-guest: feature `p3` (WASI 0.3) builds only for wasm32 targets: \
     `cargo build --target wasm32-wasip2` (docs too: `cargo doc --target wasm32-wasip2`)"
);

#[cfg(all(feature = "p3", feature = "std"))]
compile_error!(
    "wasi-guest: features `p3` and `std` do not go together yet: std's stdio and wasi-libc \
     speak WASI 0.2; write the program no_std, with this crate's print macros and Context"
);

#[cfg(all(feature = "p3", feature = "bindgen"))]
compile_error!(
    "wasi-guest: features `p3` and `bindgen` do not go together yet: exports of your own world \
     on WASI 0.3 would run on wit-bindgen's executor, outside this crate's guard; use WASI 0.2 \
     (no `p3`) for them"
);

#[cfg(all(feature = "p3", feature = "arena"))]
compile_error!(
    "wasi-guest: features `p3` and `arena` do not go together: overlapping WASI 0.3 calls \
     cannot share one per-call arena; use `talc` (the default) or `dlmalloc`"
);
