//! `wasi:http@0.3` for the handler glue (feature `http`): reading the
//! request's parts and body, and sending a response whose body is written
//! after the handler returned the head.
//!
//! Handles are plain `u32`s here; each function says which it consumes.
//! Every future end this crate makes is written before its writable end is
//! dropped (the component model traps otherwise): the trailers of a
//! response (`ok(none)`) and the result a request body's consumer reports
//! (`ok`), both all-zero values, written from a static buffer of zeros so
//! the host may take its time.

use super::abi;
use super::io::{ReadEnd, Stream, WriteEnd};
use super::task::block_on_event;
use crate::platform::abi::{RawList, RawStr};
use alloc::string::String;
use alloc::vec::Vec;

/// `stream<u8>` as `wasi:http` has it (request and response bodies).
pub(crate) const BODY_BYTES: Stream = Stream {
    read: abi::body_read,
    write: abi::body_write,
    cancel_read: abi::body_cancel_read,
    cancel_write: abi::body_cancel_write,
    drop_readable: abi::body_drop_readable,
    drop_writable: abi::body_drop_writable,
};

/// Zeros: `ok(none)` of a trailers future and `ok` of a result future, as
/// the canonical ABI lays them out.
static ZEROS: Zeros = Zeros([0; ZEROS_LEN]);
const ZEROS_LEN: usize = 64;

/// Room and alignment for either payload.
#[repr(C, align(8))]
struct Zeros([u8; ZEROS_LEN]);

const _: () = {
    assert!(abi::TRAILERS_WRITE_PAYLOAD.0 <= ZEROS_LEN && abi::TRAILERS_WRITE_PAYLOAD.1 <= 8);
    assert!(abi::HTTP_RESULT_WRITE_PAYLOAD.0 <= ZEROS_LEN && abi::HTTP_RESULT_WRITE_PAYLOAD.1 <= 8);
};

/// Writes the all-zero value into the writable future end `tx`, waiting
/// (blocking the instance) if the host has not taken it yet, then drops
/// the end.
///
/// # Safety
/// `tx` is a writable future end of ours whose payload is at most
/// `ZEROS_LEN` bytes and is written by `write`, dropped by `drop_end`.
unsafe fn write_zero(
    tx: u32,
    write: unsafe extern "C" fn(u32, *mut u8) -> u32,
    drop_end: unsafe extern "C" fn(u32),
) {
    // SAFETY: the caller's promise; `ZEROS` is static, so it outlives the
    // copy however long the host takes (the host only reads it).
    unsafe {
        if write(tx, ZEROS.0.as_ptr().cast_mut()) == abi::BLOCKED {
            block_on_event(tx);
        }
        drop_end(tx);
    }
}

/// The method of `request` (borrowed), as its name; an extension method
/// lands in the call's import arena.
pub(crate) fn method(request: u32) -> &'static str {
    #[repr(C)]
    struct Ret {
        case: u8,
        other: RawStr,
    }
    const _: () = assert!(core::mem::size_of::<Ret>() == abi::REQUEST_METHOD_RET.0);
    let mut ret = Ret {
        case: 0,
        other: RawStr {
            ptr: core::ptr::null(),
            len: 0,
        },
    };
    // SAFETY: `get-method` borrows the request and writes a `method`
    // variant (the layout above, size asserted) into the return area.
    super::receive(|| unsafe { abi::request_method(request, (&raw mut ret).cast()) });
    match ret.case {
        0 => "GET",
        1 => "HEAD",
        2 => "POST",
        3 => "PUT",
        4 => "DELETE",
        5 => "CONNECT",
        6 => "OPTIONS",
        7 => "TRACE",
        8 => "PATCH",
        // SAFETY: case 9, `other(string)`: the host wrote the string into
        // the import arena, which lives until the call ends, as long as the
        // `Request` that hands it out.
        _ => unsafe { ret.other.as_str() },
    }
}

/// The path with query of `request` (borrowed), if it has one.
pub(crate) fn path(request: u32) -> Option<&'static str> {
    #[repr(C)]
    struct Ret {
        some: u8,
        path: RawStr,
    }
    const _: () = assert!(core::mem::size_of::<Ret>() == abi::REQUEST_PATH_RET.0);
    let mut ret = Ret {
        some: 0,
        path: RawStr {
            ptr: core::ptr::null(),
            len: 0,
        },
    };
    // SAFETY: `get-path-with-query` borrows the request and writes an
    // `option<string>` (the layout above) into the return area.
    super::receive(|| unsafe { abi::request_path(request, (&raw mut ret).cast()) });
    // SAFETY: as for `method`: the string lives in the call's arena.
    (ret.some != 0).then(|| unsafe { ret.path.as_str() })
}

/// One header as the host lays it out: `tuple<string, list<u8>>`.
#[repr(C)]
pub(crate) struct RawHeader {
    pub(crate) name: RawStr,
    pub(crate) value: RawList<u8>,
}

/// The headers of `request` (borrowed), read in place in the call's import
/// arena.
pub(crate) fn headers(request: u32) -> RawList<RawHeader> {
    // SAFETY: `get-headers` borrows the request and returns a new `fields`
    // handle, ours.
    let fields = unsafe { abi::request_headers(request) };
    let mut list = RawList::empty();
    const _: () = assert!(core::mem::size_of::<RawList<RawHeader>>() == abi::FIELDS_COPY_ALL_RET.0);
    // SAFETY: `copy-all` borrows `fields` and writes a list of
    // `tuple<string, list<u8>>` (whose element layout is `RawHeader`) into
    // the return area; then the handle is dropped (nothing refers to it).
    unsafe {
        super::receive(|| abi::fields_copy_all(fields, (&raw mut list).cast()));
        abi::fields_drop(fields);
    }
    list
}

/// The body of `request` (consumed): its stream, read through a
/// [`ReadEnd`], and what must be done when the call ends ([`BodyEnds`]).
pub(crate) fn consume_body(request: u32) -> (ReadEnd, BodyEnds) {
    // SAFETY: a new future; the readable end goes to the host (consumed by
    // `consume-body`), the writable end is ours.
    let pair = unsafe { abi::http_result_new() };
    let (res_rx, res_tx) = (pair as u32, (pair >> 32) as u32);
    let mut ret = [0u32; 2];
    // SAFETY: `consume-body` consumes the request and the future's readable
    // end, and writes (stream, trailers future) into the return area.
    unsafe { abi::request_consume_body(request, res_rx, ret.as_mut_ptr().cast()) };
    (
        ReadEnd::new(ret[0], BODY_BYTES),
        BodyEnds {
            trailers: ret[1],
            result: res_tx,
        },
    )
}

/// What a consumed request body leaves to do at the end of the call.
pub(crate) struct BodyEnds {
    /// The request trailers' future (readable end, ours, never read).
    trailers: u32,
    /// The result we report for the body (writable end, ours).
    result: u32,
}

impl Drop for BodyEnds {
    fn drop(&mut self) {
        // SAFETY: both ends are ours; the result's payload is all zeros for
        // `ok`, written before its end is dropped.
        unsafe {
            abi::trailers_drop_readable(self.trailers);
            write_zero(
                self.result,
                abi::http_result_write,
                abi::http_result_drop_writable,
            );
        }
    }
}

/// Drops `request` (consumed) if its body was never taken.
pub(crate) fn drop_request(request: u32) {
    // SAFETY: the request is ours.
    unsafe { abi::request_drop(request) };
}

/// A response made and sent (its head) through `task.return`: what is left
/// is its body, written through `body`, and its trailers, written when it
/// is dropped.
pub(crate) struct Sent {
    /// The body's writable end (taken when the body ends).
    pub(crate) body: Option<WriteEnd>,
    /// The trailers future's writable end.
    trailers: u32,
}

impl Drop for Sent {
    fn drop(&mut self) {
        // The body ends first: the host reads the trailers only after it.
        drop(self.body.take());
        // SAFETY: the trailers end is ours; `ok(none)` is all zeros.
        unsafe {
            write_zero(
                self.trailers,
                abi::trailers_write,
                abi::trailers_drop_writable,
            )
        };
    }
}

/// Makes a response with `status` and `headers`, and returns it from the
/// running call (`task.return`); the body follows through the result.
/// A header the host rejects, or a status it rejects, makes it a 500.
pub(crate) fn respond(status: u16, headers: &[(String, Vec<u8>)]) -> Sent {
    // SAFETY: (every call below) the declarations are the canonical ABI of
    // their `wasi:http@0.3` functions; every handle is one this function
    // made, and each `own<…>` is passed on exactly once.
    unsafe {
        let fields = abi::fields_new();
        let mut ok = true;
        for (name, value) in headers {
            let mut ret = [0u64; 4];
            const _: () = assert!(abi::FIELDS_APPEND_RET.0 <= 32 && abi::FIELDS_APPEND_RET.1 <= 8);
            abi::fields_append(
                fields,
                name.as_ptr().cast_mut(),
                name.len(),
                value.as_ptr().cast_mut(),
                value.len(),
                ret.as_mut_ptr().cast(),
            );
            ok &= ret[0] as u8 == 0;
        }
        let body = abi::body_new();
        let trailers = abi::trailers_new();
        let mut ret = [0u32; 2];
        abi::response_new(
            fields,
            1,
            body as u32,
            trailers as u32,
            ret.as_mut_ptr().cast(),
        );
        let [response, done] = ret;
        // The transmission's result is not awaited.
        abi::http_result_drop_readable(done);
        let code = if ok { status } else { 500 };
        if abi::response_set_status(response, code.into()) != 0 {
            abi::response_set_status(response, 500);
        }
        super::task::with_current(|t| t.returned = true);
        // `result<own<response>, error-code>`, case `ok`.
        abi::handle_task_return(
            0,
            response,
            0,
            0,
            core::ptr::null_mut(),
            core::ptr::null_mut(),
            0,
            0,
        );
        Sent {
            body: Some(WriteEnd::new((body >> 32) as u32, BODY_BYTES)),
            trailers: (trailers >> 32) as u32,
        }
    }
}
