//! [`Talc`]: the default global allocator (feature `talc`).

/// `talc` as a `#[global_allocator]` that clears what it frees.
///
/// Installed automatically by the `talc` feature (a default one) on no_std
/// wasm32 builds (it is a plain marker type elsewhere), unless feature
/// `dlmalloc` is on too: then `Dlmalloc` is. About 3 KB smaller than
/// dlmalloc in every program that allocates (docs/size.md), with the same
/// guarantee: every
/// block is zeroed when the program frees it, so a later call that gets the
/// same memory finds zeroes, not an earlier call's data.
///
/// `realloc` grows a block in place when the memory after it is free (no
/// copy, and nothing is left behind to clear), and otherwise moves it
/// (allocate, copy, clear, free); a shrink stays in place, its tail cleared
/// before it is handed back, so a shrink never fails.
///
/// The heap starts empty in `.bss` and takes pages from `memory.grow` as it
/// needs them; the pages a host adds are zeroed.
pub struct Talc;
