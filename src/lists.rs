//! Lists the host writes into our memory, read where it wrote them: the
//! run's arguments and environment, and bytes read from an input stream.
//! One of the few modules allowed `unsafe` (see the crate root).
//!
//! The generated bindings copy a received `list<string>` into a new
//! `Vec<String>` through the global allocator (12 bytes per string instead
//! of 8) and free the original; reading the canonical layout in place instead
//! needs no allocator at all, so a program that only reads its arguments
//! links none. The three imports are declared here by hand with the exact
//! module and field names of `wit/deps` (wit-component matches them against
//! the world like any generated import), and called through
//! [`mem::receive`](crate::mem::receive), so in no_std builds the lists land
//! in the import arena and never reach user code as owned values.
//!
//! Canonical ABI layout (wasm32): `string` is `(ptr: u32, len: u32)`, a
//! `list<T>` is `(ptr: u32, len: u32)` pointing at `len` consecutive `T`, and a
//! function returning a list writes its result into a return area whose
//! address it takes as its last parameter.

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

/// A canonical-ABI list of `T`, owned: in no_std builds it lives in the
/// import arena until the end of the run (or an earlier
/// [`mem::release`](crate::mem::release)); with `std` it was allocated by
/// std's `cabi_realloc` and is cleared and freed on drop.
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

    /// The elements.
    pub(crate) fn items(&self) -> &[T] {
        if self.len == 0 {
            return &[];
        }
        // SAFETY: the host wrote `len` consecutive `T` at `ptr`; they live as
        // long as `self` (see the type's docs: the arena is reset only after
        // the `Context` owning `self` is dropped, and `Drop` frees them last).
        unsafe { core::slice::from_raw_parts(self.ptr, self.len) }
    }
}

pub(crate) use sys::{blocking_read, get_arguments, get_environment, get_random_bytes};

/// The three import calls, on the component target.
#[cfg(target_arch = "wasm32")]
mod sys {
    use super::{RawList, RawStr};
    use crate::stdio::IoError;

    #[link(wasm_import_module = "wasi:cli/environment@0.2.12")]
    unsafe extern "C" {
        #[link_name = "get-arguments"]
        fn wasi_get_arguments(ret: *mut RawList<RawStr>);
        #[link_name = "get-environment"]
        fn wasi_get_environment(ret: *mut RawList<[RawStr; 2]>);
    }

    #[link(wasm_import_module = "wasi:io/streams@0.2.12")]
    unsafe extern "C" {
        #[link_name = "[method]input-stream.blocking-read"]
        fn wasi_blocking_read(stream: u32, len: u64, ret: *mut ReadResult);
    }

    #[link(wasm_import_module = "wasi:random/random@0.2.12")]
    unsafe extern "C" {
        #[link_name = "get-random-bytes"]
        fn wasi_get_random_bytes(len: u64, ret: *mut RawList<u8>);
    }

    /// The return area of `blocking-read`: `result<list<u8>, stream-error>`.
    /// Byte 0 is the result's case; at offset 4 either the list, or the
    /// stream error's case (byte 4) and, for `last-operation-failed`, the
    /// `error` resource handle (offset 8).
    #[repr(C)]
    struct ReadResult {
        is_err: u8,
        payload: ReadPayload,
    }

    #[repr(C)]
    union ReadPayload {
        ok: core::mem::ManuallyDrop<RawList<u8>>,
        err: StreamErr,
    }

    /// `stream-error`: case 0 `last-operation-failed(error)`, case 1 `closed`.
    #[repr(C)]
    #[derive(Clone, Copy)]
    struct StreamErr {
        case: u8,
        handle: u32,
    }

    /// Calls a list-returning import: it writes a `(ptr, len)` pair into the
    /// return area, which is exactly `RawList`'s layout.
    fn fetch<T>(import: unsafe extern "C" fn(*mut RawList<T>)) -> RawList<T> {
        let mut list = RawList::empty();
        // SAFETY: `import` is one of the declarations above, whose canonical
        // ABI signature is "write the result list into this return area".
        crate::mem::receive(|| unsafe { import(&mut list) });
        list
    }

    /// `wasi:cli/environment.get-arguments`.
    pub(crate) fn get_arguments() -> RawList<RawStr> {
        fetch(wasi_get_arguments)
    }

    /// `wasi:cli/environment.get-environment` (elements are
    /// `tuple<string, string>`).
    pub(crate) fn get_environment() -> RawList<[RawStr; 2]> {
        fetch(wasi_get_environment)
    }

    /// `wasi:random/random.get-random-bytes`.
    pub(crate) fn get_random_bytes(len: u64) -> RawList<u8> {
        let mut list = RawList::empty();
        // SAFETY: the declaration matches the canonical ABI of
        // `get-random-bytes` (length, return area for the list).
        crate::mem::receive(|| unsafe { wasi_get_random_bytes(len, &mut list) });
        list
    }

    /// `[method]input-stream.blocking-read` on the stream with handle
    /// `stream` (borrowed): at most `len` bytes, blocking until at least one
    /// is available. A closed stream is `Ok` with no bytes.
    pub(crate) fn blocking_read(stream: u32, len: u64) -> Result<RawList<u8>, IoError> {
        let mut ret = ReadResult {
            is_err: 0,
            payload: ReadPayload {
                err: StreamErr { case: 0, handle: 0 },
            },
        };
        // SAFETY: the declaration matches the canonical ABI of
        // `blocking-read` (handle, length, return area), and `stream` is a
        // live input-stream handle the caller owns.
        crate::mem::receive(|| unsafe { wasi_blocking_read(stream, len, &mut ret) });
        if ret.is_err == 0 {
            // SAFETY: case 0 of the result is the list.
            return Ok(core::mem::ManuallyDrop::into_inner(unsafe {
                ret.payload.ok
            }));
        }
        // SAFETY: case 1 is the stream error.
        let StreamErr { case, handle } = unsafe { ret.payload.err };
        if case == 1 {
            return Ok(RawList::empty()); // `closed`: end of input
        }
        // `last-operation-failed(error)`: this handle is ours; drop it so
        // the host's resource table does not keep it.
        // SAFETY: the host just handed us this `error` handle.
        drop(unsafe { crate::bindings::wasi::io::error::Error::from_handle(handle) });
        Err(IoError::Failed)
    }
}

/// Host builds (docs, unit tests) have no host to call: every list is empty.
#[cfg(not(target_arch = "wasm32"))]
mod sys {
    use super::{RawList, RawStr};
    use crate::stdio::IoError;

    pub(crate) fn get_arguments() -> RawList<RawStr> {
        RawList::empty()
    }

    pub(crate) fn get_environment() -> RawList<[RawStr; 2]> {
        RawList::empty()
    }

    pub(crate) fn blocking_read(_stream: u32, _len: u64) -> Result<RawList<u8>, IoError> {
        Ok(RawList::empty())
    }

    pub(crate) fn get_random_bytes(_len: u64) -> RawList<u8> {
        RawList::empty()
    }
}

/// With `std`, the host allocated the lists through std's `cabi_realloc`,
/// i.e. the global allocator: clear and free them when they are dropped.
/// Without it they live in the import arena, cleared at the end of the run.
#[cfg(not(guest_rt))]
impl<T> Drop for RawList<T> {
    fn drop(&mut self) {
        use alloc::alloc::{Layout, dealloc};
        /// Clears and frees one block the host allocated.
        fn free(ptr: *const u8, size: usize, align: usize) {
            if size == 0 {
                return;
            }
            // SAFETY: `ptr` was allocated by `cabi_realloc` (the global
            // allocator) with exactly this size and alignment, and nothing
            // refers to it any more.
            unsafe {
                crate::mem::scrub(ptr as *mut u8, size);
                dealloc(
                    ptr as *mut u8,
                    Layout::from_size_align_unchecked(size, align),
                )
            }
        }
        // `T` is `u8`, `RawStr` or `[RawStr; 2]`: the strings, if any, are
        // their own blocks.
        let strings = if core::mem::size_of::<T>() == 1 {
            0
        } else {
            core::mem::size_of::<T>() / core::mem::size_of::<RawStr>()
        };
        for item in self.items() {
            // SAFETY: with `strings > 0`, `T` is `strings` consecutive
            // `RawStr`s.
            let parts = unsafe {
                core::slice::from_raw_parts((item as *const T).cast::<RawStr>(), strings)
            };
            for s in parts {
                free(s.ptr, s.len, 1);
            }
        }
        free(
            self.ptr.cast(),
            self.len * core::mem::size_of::<T>(),
            core::mem::align_of::<T>(),
        );
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
