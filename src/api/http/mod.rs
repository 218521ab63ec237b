//! HTTP handlers (feature `http`): a component that exports
//! `wasi:http/incoming-handler`, with every request under the lifecycle
//! guard.
//!
//! ```no_run
//! use wasi_guest::http::{Error, Handler, Request, Response};
//! use wasi_guest::{Context, PerInstance};
//!
//! struct Hello;
//!
//! impl PerInstance for Hello {
//!     fn init(_: &mut Context) -> Self {
//!         Hello
//!     }
//! }
//!
//! impl Handler for Hello {
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
//! [`PerInstance::init`](crate::PerInstance::init) on the first request); everything else (the
//! [`Request`], [`RunLocal`](crate::RunLocal) values, the per-call
//! [`Context`](crate::Context)) is per request and torn down and cleared when it has been
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

#[cfg(feature = "p3")]
pub(crate) mod p3;
#[cfg(not(feature = "p3"))]
mod request;
mod response;

#[cfg(feature = "p3")]
pub use p3::{Body, BodyWriter, ConcurrentHandler, Handler, Request};
#[cfg(not(feature = "p3"))]
pub use request::{Body, Request};
pub use response::{Error, IntoBody, Response};

#[cfg(not(feature = "p3"))]
use crate::api::context::Context;
#[cfg(not(feature = "p3"))]
use crate::lifecycle::entry::{Slot, guarded};
#[cfg(not(feature = "p3"))]
use crate::lifecycle::guard::Refusal;
#[cfg(not(feature = "p3"))]
use crate::lifecycle::traits::PerInstance;
#[cfg(not(feature = "p3"))]
use crate::platform::http_bindings::wasi::http::types::{IncomingRequest, ResponseOutparam};
#[cfg(not(feature = "p3"))]
use crate::platform::sys::{self, AllocatorRules};

/// An HTTP request handler, exported with
/// [`export_http!`](crate::export_http).
///
/// The implementing type is the per-instance state ([`PerInstance`]): its
/// `POLICY` says what a request after the first does (handled, the default,
/// or refused with a 503 response).
#[cfg(not(feature = "p3"))]
pub trait Handler: PerInstance {
    /// Answers one request.
    fn handle(&mut self, request: &mut Request, cx: &mut Context) -> Result<Response, Error>;
}

/// The body of the exported `handle`: one guarded call that reads the
/// request and sends the response before the call is torn down (what the
/// response owns may live in per-call memory).
#[cfg(not(feature = "p3"))]
#[doc(hidden)]
pub fn handle<H: Handler + AllocatorRules>(
    slot: &'static Slot<H>,
    request: IncomingRequest,
    out: ResponseOutparam,
) {
    // The outparam's handle: exactly one of the two paths below consumes
    // it (the guarded call, or the refusal after it).
    let out = out.take_handle();
    let answered = guarded(slot, |handler, cx| {
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
        response::send(out, sys::http::fields_empty(), status, body.as_bytes());
    }
}
