//! Arguments and environment, borrowed where the host wrote them.
//!
//! The generated binding for `get-arguments` copies the canonical list into a
//! new `Vec<String>` (12 bytes per string instead of 8, through the global
//! allocator) and frees the original. Reading the canonical layout in place
//! instead needs no allocator at all, so a program that only reads its
//! arguments links none. The two imports are declared here by hand with the
//! exact module and field names of `wit/deps/cli.wit` (wit-component matches
//! them against the world like any generated import); everything else uses
//! the generated bindings.
//!
//! Canonical ABI layout (wasm32): `string` is `(ptr: u32, len: u32)`, a
//! `list<T>` is `(ptr: u32, len: u32)` pointing at `len` consecutive `T`, and a
//! function returning a list writes that pair into a return area whose
//! address it takes as its only parameter.

/// A canonical-ABI string: UTF-8 bytes the host wrote into our memory.
#[repr(C)]
#[derive(Clone, Copy)]
pub(crate) struct RawStr {
    ptr: *const u8,
    len: usize,
}

impl RawStr {
    /// # Safety
    /// `self` was written by the host for a `string` result and its memory is
    /// alive for `'a`.
    unsafe fn as_str<'a>(self) -> &'a str {
        if self.len == 0 {
            return "";
        }
        // SAFETY: the canonical ABI hands us `len` initialised bytes at `ptr`
        // (the caller guarantees they live for 'a), and the host writes
        // strings as valid UTF-8 (string-encoding=utf8, the default).
        unsafe { core::str::from_utf8_unchecked(core::slice::from_raw_parts(self.ptr, self.len)) }
    }
}

/// A canonical-ABI list of `T`.
#[repr(C)]
pub(crate) struct RawList<T> {
    ptr: *const T,
    len: usize,
}

impl<T> RawList<T> {
    const fn empty() -> Self {
        Self {
            ptr: core::ptr::null(),
            len: 0,
        }
    }

    fn items(&self) -> &[T] {
        if self.len == 0 {
            return &[];
        }
        // SAFETY: the host wrote `len` consecutive `T` at `ptr`; they live as
        // long as `self` (released in `Drop`, or with the import arena at the
        // end of the run, after the `Context` that owns `self` is gone).
        unsafe { core::slice::from_raw_parts(self.ptr, self.len) }
    }
}

#[cfg(target_arch = "wasm32")]
#[link(wasm_import_module = "wasi:cli/environment@0.2.12")]
unsafe extern "C" {
    #[link_name = "get-arguments"]
    fn wasi_get_arguments(ret: *mut RawList<RawStr>);
    #[link_name = "get-environment"]
    fn wasi_get_environment(ret: *mut RawList<[RawStr; 2]>);
}

/// Calls a list-returning import: it writes a `(ptr, len)` pair into the
/// return area, which is exactly `RawList`'s layout.
#[cfg(target_arch = "wasm32")]
fn fetch<T>(import: unsafe extern "C" fn(*mut RawList<T>)) -> RawList<T> {
    crate::mem::imports::enable();
    let mut list = RawList::empty();
    // SAFETY: `import` is one of the declarations above, whose canonical ABI
    // signature is "write the result list into this return area".
    unsafe { import(&mut list) };
    list
}

/// `wasi:cli/environment.get-arguments`.
pub(crate) fn get_arguments() -> RawList<RawStr> {
    #[cfg(target_arch = "wasm32")]
    return fetch(wasi_get_arguments);
    #[cfg(not(target_arch = "wasm32"))]
    RawList::empty()
}

/// `wasi:cli/environment.get-environment` (elements are
/// `tuple<string, string>`).
pub(crate) fn get_environment() -> RawList<[RawStr; 2]> {
    #[cfg(target_arch = "wasm32")]
    return fetch(wasi_get_environment);
    #[cfg(not(target_arch = "wasm32"))]
    RawList::empty()
}

/// With `std`, the host allocated the lists through wasi-libc's
/// `cabi_realloc`, i.e. the global allocator: free them when the run ends.
/// Without it they live in the import arena, reset at the end of the run.
#[cfg(not(guest_rt))]
impl<T> Drop for RawList<T> {
    fn drop(&mut self) {
        use alloc::alloc::{Layout, dealloc};
        let strings = core::mem::size_of::<T>() / core::mem::size_of::<RawStr>();
        for item in self.items() {
            // SAFETY: `T` is `RawStr` or `[RawStr; N]`, so it is `strings`
            // consecutive `RawStr`s.
            let parts = unsafe {
                core::slice::from_raw_parts((item as *const T).cast::<RawStr>(), strings)
            };
            for s in parts.iter().filter(|s| s.len != 0) {
                // SAFETY: allocated by cabi_realloc with this size, align 1.
                unsafe {
                    dealloc(
                        s.ptr as *mut u8,
                        Layout::from_size_align_unchecked(s.len, 1),
                    )
                }
            }
        }
        if self.len != 0 {
            let size = self.len * core::mem::size_of::<T>();
            // SAFETY: allocated by cabi_realloc with this size and the
            // element alignment (4 on wasm32).
            unsafe {
                dealloc(
                    self.ptr as *mut u8,
                    Layout::from_size_align_unchecked(size, core::mem::align_of::<T>()),
                )
            }
        }
    }
}

/// The run's arguments, from [`Context::args`](crate::Context::args).
#[derive(Clone, Copy)]
pub struct Args<'a> {
    items: &'a [RawStr],
}

impl<'a> Args<'a> {
    pub(crate) fn new(list: &'a RawList<RawStr>) -> Self {
        Self {
            items: list.items(),
        }
    }

    /// Number of arguments (including the program name, if the host gave one).
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are no arguments at all.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Argument `i`; 0 is the program name by convention.
    pub fn get(&self, i: usize) -> Option<&'a str> {
        // SAFETY: written by the host for this run, alive for 'a.
        self.items.get(i).map(|s| unsafe { s.as_str() })
    }

    /// The arguments in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &'a str> + DoubleEndedIterator + 'a {
        // SAFETY: as in `get`.
        self.items.iter().map(|s| unsafe { s.as_str() })
    }
}

/// The run's environment, from [`Context::env`](crate::Context::env).
#[derive(Clone, Copy)]
pub struct Env<'a> {
    items: &'a [[RawStr; 2]],
}

impl<'a> Env<'a> {
    pub(crate) fn new(list: &'a RawList<[RawStr; 2]>) -> Self {
        Self {
            items: list.items(),
        }
    }

    /// Number of variables.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the environment is empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// `(name, value)` pairs in the order the host gave them.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&'a str, &'a str)> + 'a {
        // SAFETY: written by the host for this run, alive for 'a.
        self.items
            .iter()
            .map(|[k, v]| unsafe { (k.as_str(), v.as_str()) })
    }

    /// The value of `name`, if set.
    pub fn var(&self, name: &str) -> Option<&'a str> {
        self.iter().find(|(k, _)| *k == name).map(|(_, v)| v)
    }
}
