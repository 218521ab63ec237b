//! HTTP handlers (feature `http`): a component that exports
//! `wasi:http/incoming-handler`, with every request under the lifecycle
//! guard.
//!
//! ```no_run
//! use wasi_guest::http::{Error, Handler, Request, Response};
//! use wasi_guest::Context;
//!
//! struct Hello;
//!
//! impl Handler for Hello {
//!     fn init(_: &mut Context) -> Self {
//!         Hello
//!     }
//!
//!     fn handle(&mut self, _: &mut Request, _: &mut Context) -> Result<Response, Error> {
//!         Ok(Response::text(200, "hello\n"))
//!     }
//! }
//!
//! wasi_guest::export_http!(Hello);
//! # fn main() {}
//! ```
//!
//! A host may send many requests to one instance (`wasmtime serve
//! --max-instance-reuse-count`, Spin, wasmCloud). Each request is one guarded
//! call: the handler value is per instance and kept on purpose (created by
//! [`Handler::init`] on the first request); everything else (the
//! [`Request`], [`RunLocal`](crate::RunLocal) values, the per-call
//! [`Context`]) is per request and torn down and cleared when it has been
//! answered. Nothing of one request is visible to the next unless the
//! handler keeps it.
//!
//! | situation | response |
//! |---|---|
//! | `handle` returns `Ok(response)` | that response |
//! | `handle` returns `Err(error)` | the error's status (500 unless it says otherwise) and its message as the body |
//! | reading the request body fails | the `Err` the handler got from [`Request::body`] (turn it into a response with `?`) |
//! | a single-shot handler after its first request | 503, `wasi-guest: request refused: this component is single-shot and already answered; instantiate it again` |
//! | re-entry, or a request after a panic | 500 (Wasmtime allows neither) |
//! | the handler panics | the message on stderr, then a trap: the host answers 500 and drops the instance |

#[allow(unsafe_code, missing_docs)] // generated code
pub(crate) mod bindings;
#[allow(unsafe_code)] // the response calls, declared by hand
mod raw;
mod request;
mod response;

pub use request::{Body, Request};
pub use response::{Error, Response};

use crate::entry::{InstanceSlot, guarded};
use crate::guard::Refusal;
use crate::mem::AllocatorRules;
use crate::{Context, Policy};
use bindings::wasi::http::types::{IncomingRequest, ResponseOutparam};

/// An HTTP request handler, exported with
/// [`export_http!`](crate::export_http).
///
/// The implementing type is the per-instance state, like
/// [`Program`](crate::Program)'s.
pub trait Handler: Sized + 'static {
    /// What a request after the first does: is handled (the default), or is
    /// refused with a 503 response.
    const POLICY: Policy = Policy::Rerunnable;

    /// Creates the per-instance state, inside the first request.
    fn init(cx: &mut Context) -> Self;

    /// Answers one request.
    fn handle(&mut self, request: &mut Request, cx: &mut Context) -> Result<Response, Error>;
}

/// The body of the exported `handle`: one guarded call that reads the
/// request and sends the response before the call is torn down (what the
/// response owns may live in per-call memory).
#[doc(hidden)]
pub fn handle<H: Handler + AllocatorRules>(
    slot: &'static InstanceSlot<H>,
    request: IncomingRequest,
    out: ResponseOutparam,
) {
    // The outparam's handle: exactly one of the two paths below consumes
    // it (the guarded call, or the refusal after it).
    let out = out.take_handle();
    let answered = guarded(slot, H::POLICY, H::init, |handler, cx| {
        let mut request = Request::new(request);
        let response = match handler.handle(&mut request, cx) {
            Ok(response) => response,
            Err(error) => error.into_response(),
        };
        drop(request);
        response.send(out);
    });
    if let Err(refusal) = answered {
        let (status, body): (u16, &'static str) = match refusal {
            Refusal::SingleShot => (
                503,
                "wasi-guest: request refused: this component is single-shot and already answered; instantiate it again\n",
            ),
            Refusal::Reentered | Refusal::Poisoned => (500, "wasi-guest: request refused\n"),
        };
        response::send(out, raw::fields_empty(), status, body.as_bytes());
    }
}

/// Exports a [`Handler`] as the component's `wasi:http/incoming-handler`
/// (feature `http`). Use it once, at the root of a `cdylib` crate built for
/// `wasm32-wasip2`, instead of [`export!`](crate::export).
#[macro_export]
macro_rules! export_http {
    ($handler:ty) => {
        const _: () = {
            static INSTANCE: $crate::__internal::InstanceSlot<$handler> =
                $crate::__internal::InstanceSlot::new();

            struct WasiGuestHttp;

            impl $crate::__internal::http::Guest for WasiGuestHttp {
                fn handle(
                    request: $crate::__internal::http::exports::wasi::http::incoming_handler::IncomingRequest,
                    out: $crate::__internal::http::exports::wasi::http::incoming_handler::ResponseOutparam,
                ) {
                    $crate::__internal::http::handle::<$handler>(&INSTANCE, request, out)
                }
            }

            $crate::__internal::http::export_http!(WasiGuestHttp with_types_in $crate::__internal::http);

            $crate::__record_policy!(<$handler as $crate::http::Handler>::POLICY);
        };
    };
}
