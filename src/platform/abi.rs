//! Canonical ABI layouts of what the host writes into our memory, read where
//! it wrote them: strings and lists (the run's arguments and environment,
//! bytes read from a stream).
//!
//! The generated bindings copy a received `list<string>` into a new
//! `Vec<String>` through the global allocator (12 bytes per string instead
//! of 8) and free the original; reading the canonical layout in place needs
//! no allocator at all, so a program that only reads its arguments links
//! none. Which memory the host wrote them into, and when it is freed, is the
//! platform's: the import arena (no_std builds, freed at the end of the run)
//! or the global allocator (std, freed with the [`RawList`]).
//!
//! Layout (wasm32): `string` is `(ptr: u32, len: u32)`, a `list<T>` is
//! `(ptr: u32, len: u32)` pointing at `len` consecutive `T`, and a function
//! returning a list writes its result into a return area whose address it
//! takes as its last parameter.

/// A canonical-ABI string: UTF-8 bytes the host wrote into our memory.
#[repr(C)]
#[derive(Clone, Copy)]
pub(crate) struct RawStr {
    pub(crate) ptr: *const u8,
    pub(crate) len: usize,
}

impl RawStr {
    /// The text.
    ///
    /// # Safety
    /// `self` was written by the host for a `string` result, and its memory
    /// is alive and unchanged for `'a`.
    pub(crate) unsafe fn as_str<'a>(self) -> &'a str {
        if self.len == 0 {
            return "";
        }
        // SAFETY: the canonical ABI hands us `len` initialised bytes at `ptr`
        // (the caller guarantees they live for 'a), and the host writes
        // strings as valid UTF-8 (string-encoding=utf8, the default).
        unsafe { core::str::from_utf8_unchecked(core::slice::from_raw_parts(self.ptr, self.len)) }
    }
}

/// A canonical-ABI list of `T` the host wrote for one of this crate's own
/// import calls, owned: it lives until the end of the call (import arena)
/// or, with `std`, until it is dropped (the platform frees it).
///
/// Only the platform's import wrappers make one (the fields are filled by
/// the host, through the return area), so `items` always describes memory
/// the host wrote.
#[repr(C)]
pub(crate) struct RawList<T> {
    pub(crate) ptr: *const T,
    pub(crate) len: usize,
}

impl<T> RawList<T> {
    /// A list with no elements (also the return area before a call).
    pub(crate) const fn empty() -> Self {
        Self {
            ptr: core::ptr::null(),
            len: 0,
        }
    }

    /// The elements.
    pub(crate) fn items(&self) -> &[T] {
        if self.len == 0 {
            return &[];
        }
        // SAFETY: the host wrote `len` consecutive `T` at `ptr` (the type's
        // invariant); they live as long as `self`: the import arena is reset
        // only after the call's `Context`, which owns `self`, is dropped,
        // and with `std` they are freed when `self` is.
        unsafe { core::slice::from_raw_parts(self.ptr, self.len) }
    }
}
