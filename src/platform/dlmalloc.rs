//! [`Dlmalloc`]: the other general-purpose global allocator (feature
//! `dlmalloc`).

/// `dlmalloc` as a `#[global_allocator]` that clears what it frees.
///
/// Installed automatically by the `dlmalloc` feature on no_std wasm32 builds
/// (it is a plain marker type elsewhere), instead of the default `Talc` when
/// both features are on. Every block is zeroed when the
/// program frees it, and when `realloc` moves it, so a later run that gets the
/// same memory finds zeroes, not an earlier run's data. `realloc` therefore
/// always moves a block (allocate, copy, clear, free), when it grows and
/// when it shrinks: dlmalloc's own `realloc`, which could shrink in place,
/// is about 1 KB of code in every program that reallocates, and shrinking
/// is rare. A shrink that finds no memory for the copy stays in place,
/// with its tail cleared, so a shrink never fails.
///
/// The heap's state lives in `.bss` and is set up on first use:
/// `dlmalloc::Dlmalloc::new()` has two non-zero fields, which would put the
/// whole ~500-byte state into the data segment of every binary.
pub struct Dlmalloc;
