//! The WASI 0.2 import calls that return lists, declared by build.rs from
//! `wit/` and wrapped here (shared by `wasip2` and `wasip2_std`): the host
//! writes each list where the platform's `cabi_realloc` says (the import
//! arena, or std's allocator) and the crate reads it in place
//! ([`RawList`]).

use super::abi::{RawList, RawStr};
use super::io::IoError;
use super::sys;

/// The declarations (build.rs); those of `wasi:http` are used only with
/// feature `http`.
#[allow(dead_code)]
mod imports {
    include!(concat!(env!("OUT_DIR"), "/imports_p2.rs"));
}
pub(crate) use imports::*;

/// The return area of `blocking-read`: `result<list<u8>, stream-error>`.
/// Byte 0 is the result's case; at offset 4 either the list, or the stream
/// error's case (byte 4) and, for `last-operation-failed`, the `error`
/// resource handle (offset 8).
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

// The layouts above are the ones `wit/` gives (build.rs computes them).
const _: () = {
    use core::mem::{align_of, size_of};
    assert!(size_of::<RawList<RawStr>>() == GET_ARGUMENTS_RET.0);
    assert!(align_of::<RawList<RawStr>>() == GET_ARGUMENTS_RET.1);
    assert!(size_of::<RawList<[RawStr; 2]>>() == GET_ENVIRONMENT_RET.0);
    assert!(size_of::<RawList<u8>>() == GET_RANDOM_BYTES_RET.0);
    assert!(size_of::<ReadResult>() == BLOCKING_READ_RET.0);
    assert!(align_of::<ReadResult>() == BLOCKING_READ_RET.1);
};

/// Calls a list-returning import: it writes a `(ptr, len)` pair into the
/// return area, which is exactly `RawList`'s layout.
fn fetch<T>(import: unsafe extern "C" fn(*mut u8)) -> RawList<T> {
    let mut list = RawList::empty();
    let ret = (&raw mut list).cast::<u8>();
    // SAFETY: `import` is one of the declarations above whose core
    // signature is "write the result list into this return area", and
    // `ret` points at a `RawList<T>` (the layout asserted above).
    sys::receive(|| unsafe { import(ret) });
    list
}

/// `wasi:cli/environment.get-arguments`.
pub(crate) fn get_arguments() -> RawList<RawStr> {
    fetch(imports::get_arguments)
}

/// `wasi:cli/environment.get-environment` (elements are
/// `tuple<string, string>`).
pub(crate) fn get_environment() -> RawList<[RawStr; 2]> {
    fetch(imports::get_environment)
}

/// `wasi:random/random.get-random-bytes`.
pub(crate) fn get_random_bytes(len: u64) -> RawList<u8> {
    let mut list = RawList::empty();
    let ret = (&raw mut list).cast::<u8>();
    // SAFETY: the declaration is `get-random-bytes`'s core signature
    // (length, return area), and `ret` points at a `RawList<u8>`.
    sys::receive(|| unsafe { imports::get_random_bytes(len, ret) });
    list
}

/// `[method]input-stream.blocking-read` on the stream with handle `stream`
/// (borrowed): at most `len` bytes, blocking until at least one is
/// available. A closed stream is `Ok` with no bytes.
pub(crate) fn blocking_read(stream: u32, len: u64) -> Result<RawList<u8>, IoError> {
    let mut ret = ReadResult {
        is_err: 0,
        payload: ReadPayload {
            err: StreamErr { case: 0, handle: 0 },
        },
    };
    let area = (&raw mut ret).cast::<u8>();
    // SAFETY: the declaration is `blocking-read`'s core signature (handle,
    // length, return area), `area` points at a `ReadResult` (its layout is
    // asserted above), and `stream` is a live input-stream handle the
    // caller owns.
    sys::receive(|| unsafe { imports::blocking_read(stream, len, area) });
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
    // `last-operation-failed(error)`: this handle is ours; drop it so the
    // host's resource table does not keep it.
    // SAFETY: the host just handed us this `error` handle.
    drop(unsafe { super::bindings::wasi::io::error::Error::from_handle(handle) });
    Err(IoError::Failed)
}
