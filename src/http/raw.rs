//! The calls that send a response, declared by hand (one of the few
//! modules allowed `unsafe`).
//!
//! The generated `response-outparam.set` lowers a whole `error-code`
//! variant (about 40 cases) even when it sends `ok`, and the generated
//! `outgoing-body.finish` lifts one, strings and all: together ~2.5 KB in
//! every handler and, for a `finish` error carrying a message, a list the
//! host allocates through `cabi_realloc`. These declarations send only `ok`
//! and read only a result's case; `finish` runs inside
//! [`mem::receive_ignored`](crate::mem::receive_ignored), so whatever the
//! host writes for an error lands in a scratch buffer and is cleared. Module and
//! field names are those of `wit/deps/http.wit`; signatures follow the
//! canonical ABI (results with payloads go through a return area).

#[cfg(target_arch = "wasm32")]
#[link(wasm_import_module = "wasi:http/types@0.2.12")]
unsafe extern "C" {
    #[link_name = "[constructor]fields"]
    fn fields_new() -> u32;
    #[link_name = "[method]fields.append"]
    fn fields_append(
        fields: u32,
        name: *const u8,
        name_len: usize,
        value: *const u8,
        value_len: usize,
        ret: *mut [u8; 2],
    );
    #[link_name = "[constructor]outgoing-response"]
    fn outgoing_response_new(fields: u32) -> u32;
    #[link_name = "[method]outgoing-response.set-status-code"]
    fn set_status_code(response: u32, code: u32) -> u32;
    #[link_name = "[method]outgoing-response.body"]
    fn outgoing_response_body(response: u32, ret: *mut [u32; 2]);
    #[link_name = "[static]response-outparam.set"]
    fn response_outparam_set(
        out: u32,
        case: u32,
        response: u32,
        a: u32,
        b: u64,
        c: *mut u8,
        d: *mut u8,
        e: usize,
        f: u32,
    );
    #[link_name = "[method]outgoing-body.write"]
    fn outgoing_body_write(body: u32, ret: *mut [u32; 2]);
    #[link_name = "[static]outgoing-body.finish"]
    fn outgoing_body_finish(body: u32, has_trailers: u32, trailers: u32, ret: *mut [u64; 5]);
}

use crate::bindings::wasi::io::streams::OutputStream;

/// A new `fields` holding `headers`, and whether the host took them all
/// (out of line: a handler that sets no header does not link `append`).
#[cfg(target_arch = "wasm32")]
#[inline(never)]
pub(crate) fn fields_with(headers: &[(alloc::string::String, alloc::vec::Vec<u8>)]) -> (u32, bool) {
    let mut all = true;
    // SAFETY: the declarations match the canonical ABI of `fields` and
    // `fields.append`; `fields` is the handle the constructor just returned.
    unsafe {
        let fields = fields_new();
        for (name, value) in headers {
            let mut ret = [0u8; 2];
            fields_append(
                fields,
                name.as_ptr(),
                name.len(),
                value.as_ptr(),
                value.len(),
                &mut ret,
            );
            all &= ret[0] == 0;
        }
        (fields, all)
    }
}

/// A new, empty `fields`.
#[cfg(target_arch = "wasm32")]
pub(crate) fn fields_empty() -> (u32, bool) {
    // SAFETY: the declaration matches the canonical ABI of `fields`.
    (unsafe { fields_new() }, true)
}

/// Sends a response: `fields` (a new `fields` handle, consumed; `ok` false
/// if the host rejected a header, which makes this a 500), status `status`
/// (500 if the host rejects it), set on `out` (whose handle this consumes);
/// then the body's output stream is handed to `write` (and dropped after
/// it) and the body finished.
#[cfg(target_arch = "wasm32")]
pub(crate) fn respond(
    out: u32,
    (fields, ok): (u32, bool),
    status: u16,
    write: impl FnOnce(&OutputStream),
) {
    // SAFETY: (every call below) the declarations match the canonical ABI
    // of their `wasi:http/types` functions; every handle passed is one this
    // function owns (from the constructor calls) or was given (`fields`,
    // `out`), and every own<..> handle is passed on exactly once (`fields`
    // to the response, the response to `out`, `out` consumed, the body
    // finished).
    unsafe {
        let response = outgoing_response_new(fields);
        let code = if ok { status } else { 500 };
        if set_status_code(response, code.into()) != 0 {
            set_status_code(response, 500);
        }
        let mut body = [1u32, 0];
        outgoing_response_body(response, &mut body);
        response_outparam_set(
            out,
            0,
            response,
            0,
            0,
            core::ptr::null_mut(),
            core::ptr::null_mut(),
            0,
            0,
        );
        if body[0] == 0 {
            let mut stream = [1u32, 0];
            outgoing_body_write(body[1], &mut stream);
            if stream[0] == 0 {
                // The stream is ours; dropping it releases the handle, which
                // must happen before the body is finished.
                write(&OutputStream::from_handle(stream[1]));
            }
            let mut ret = [0u64; 5];
            crate::mem::receive_ignored(|| outgoing_body_finish(body[1], 0, 0, &mut ret));
        }
    }
}

/// Host builds have no host to answer.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn fields_with(_: &[(alloc::string::String, alloc::vec::Vec<u8>)]) -> (u32, bool) {
    (0, true)
}

/// Host builds have no host to answer.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn fields_empty() -> (u32, bool) {
    (0, true)
}

/// Host builds have no host to answer.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn respond(_: u32, _: (u32, bool), _: u16, _: impl FnOnce(&OutputStream)) {}
