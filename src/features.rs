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

#[cfg(all(wasi_guest_sys = "wasip2", feature = "arena", feature = "bindgen"))]
compile_error!(
    "wasi-guest: features `arena` and `bindgen` do not go together: your exports receive their \
     arguments before a call begins, so the per-run arena could never free them; use `dlmalloc`"
);
