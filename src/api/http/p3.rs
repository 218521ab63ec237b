//! HTTP on WASI 0.3 (features `http` and `p3`): `wasi:http/handler@0.3`,
//! whose `handle` is async. The handler's head is returned (`task.return`)
//! as soon as `handle` gives its [`Response`]; the body is written after
//! that, the fixed one or a [`Response::streaming`] writer's, and the call
//! is torn down when it is all written.

use super::response::{Error, Response};
use crate::api::context::Context;
use crate::lifecycle::task::{AsyncSlot, Call, Sharing};
use crate::lifecycle::traits::PerInstance;
use crate::platform::abi::RawList;
use crate::platform::cell::Fetched;
use crate::platform::io::IoError;
use crate::platform::sys;
use crate::platform::sys::http::{BodyEnds, RawHeader};
use crate::platform::sys::io::{ReadEnd, WriteEnd};
use alloc::boxed::Box;
use alloc::vec::Vec;
use core::cell::Cell;
use core::future::Future;
use core::mem::ManuallyDrop;
use core::pin::Pin;

/// An HTTP request handler on WASI 0.3, exported with
/// [`export_http!`](crate::export_http): requests on one instance never
/// overlap (the component holds backpressure while one is in flight), so
/// every request gets `&mut self`.
pub trait Handler: PerInstance {
    /// Answers one request.
    fn handle(
        &mut self,
        request: &mut Request,
        cx: &mut Context,
    ) -> impl Future<Output = Result<Response, Error>>;
}

/// An HTTP request handler whose requests may overlap on one instance
/// (`export_http!(concurrent T)`): the per-instance value is shared
/// (`&self`); every request still has its own [`Request`], [`Context`],
/// stdio and `RunLocal` values.
pub trait ConcurrentHandler: PerInstance {
    /// Answers one request, possibly while others are in flight.
    fn handle(
        &self,
        request: &mut Request,
        cx: &mut Context,
    ) -> impl Future<Output = Result<Response, Error>>;
}

/// The request being answered: method, path and headers are fetched when
/// first asked for (read in place, in the call's memory); the body is read
/// through [`Request::body`].
pub struct Request {
    /// The request's handle, 0 once its body was taken.
    handle: u32,
    method: Fetched<&'static str>,
    path: Fetched<Option<&'static str>>,
    headers: Fetched<RawList<RawHeader>>,
    /// The body, once asked for (held without drop glue, so a handler that
    /// never reads it links none of this: `release` drops it).
    body: Fetched<ManuallyDrop<(ReadEnd, BodyEnds)>>,
    release: Cell<Option<fn(&mut Request)>>,
}

impl Drop for Request {
    fn drop(&mut self) {
        if let Some(release) = self.release.take() {
            release(self);
        }
        if self.handle != 0 {
            sys::http::drop_request(self.handle);
        }
    }
}

/// The method and the path (both fetched from the host if not yet).
impl core::fmt::Debug for Request {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method())
            .field("path", &self.path())
            .finish_non_exhaustive()
    }
}

impl Request {
    fn new(handle: u32) -> Self {
        Request {
            handle,
            method: Fetched::new(),
            path: Fetched::new(),
            headers: Fetched::new(),
            body: Fetched::new(),
            release: Cell::new(None),
        }
    }

    /// The method: `GET`, `POST`, ... (an extension method as sent).
    pub fn method(&self) -> &str {
        // SAFETY: the fetch only calls the host. The `'static` text lives in
        // the call's import arena, which outlives the request; it is handed
        // out only for `&self`'s lifetime.
        unsafe { self.method.get(|| sys::http::method(self.handle)) }
    }

    /// The path with the query, as sent (`/search?q=x`); `/` if the request
    /// has none.
    pub fn path(&self) -> &str {
        // SAFETY: as for `method`.
        unsafe { self.path.get(|| sys::http::path(self.handle)) }.unwrap_or("/")
    }

    /// The query (after `?`), if the path has one.
    pub fn query(&self) -> Option<&str> {
        self.path().split_once('?').map(|(_, q)| q)
    }

    /// Every header, in the order sent (names as the host gives them, lower
    /// case in Wasmtime).
    pub fn headers(&self) -> impl Iterator<Item = (&str, &[u8])> + '_ {
        // SAFETY: the fetch only calls the host.
        let list = unsafe { self.headers.get(|| sys::http::headers(self.handle)) };
        list.items().iter().map(|h| {
            // SAFETY: the host wrote the name for this request, in the
            // call's arena, which outlives `self`.
            (unsafe { h.name.as_str() }, h.value.items())
        })
    }

    /// The first value of header `name` (compared without case), as bytes.
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }

    /// The first value of header `name`, if it is UTF-8.
    pub fn header_str(&self, name: &str) -> Option<&str> {
        self.header(name).and_then(|v| core::str::from_utf8(v).ok())
    }

    /// The body, to read in pieces ([`Body::read`]). Taking it consumes the
    /// request on the host's side; method, path and headers are fetched
    /// first, so they stay available.
    pub fn body(&mut self) -> Body<'_> {
        if self.handle != 0 {
            let _ = (self.method(), self.path(), self.headers().count());
            let handle = core::mem::take(&mut self.handle);
            self.release.set(Some(|r: &mut Request| {
                if let Some(body) = r.body.take() {
                    drop(ManuallyDrop::into_inner(body));
                }
            }));
            // SAFETY: the fetch only calls the host (`body` was empty: the
            // handle was still ours).
            unsafe {
                self.body
                    .get(|| ManuallyDrop::new(sys::http::consume_body(handle)))
            };
        }
        Body { request: self }
    }

    /// The whole body.
    pub async fn read_body(&mut self) -> Result<Vec<u8>, Error> {
        let mut out = Vec::new();
        self.body().read_to_end(&mut out).await?;
        Ok(out)
    }
}

/// A request's body, from [`Request::body`].
pub struct Body<'r> {
    request: &'r mut Request,
}

impl Body<'_> {
    /// Reads up to `buf.len()` bytes, waiting until some are there (other
    /// requests run meanwhile); `Ok(0)` at the end. Bytes the host gave
    /// beyond `buf` are kept for the next read.
    pub async fn read(&mut self, buf: &mut [u8]) -> Result<usize, Error> {
        let Some(body) = self.request.body.get_mut() else {
            return Ok(0);
        };
        Ok(body.0.read(buf).await?)
    }

    /// Reads to the end, appending to `out`; returns the bytes read.
    /// Running out of memory is a 413 error.
    pub async fn read_to_end(&mut self, out: &mut Vec<u8>) -> Result<usize, Error> {
        let start = out.len();
        let mut chunk = [0u8; 1024];
        loop {
            let n = self.read(&mut chunk).await?;
            if n == 0 {
                break;
            }
            let piece = chunk.get(..n).unwrap_or(&[]);
            if !crate::platform::alloc::try_append(out, piece) {
                crate::platform::clear::scrub_slice(&mut chunk);
                return Err(IoError::OutOfMemory.into());
            }
        }
        crate::platform::clear::scrub_slice(&mut chunk);
        Ok(out.len() - start)
    }
}

/// Writes a streaming response's body, after its head was sent (see
/// [`Response::streaming`]). Dropping it ends the body.
pub struct BodyWriter {
    end: WriteEnd,
}

impl BodyWriter {
    /// Writes all of `bytes`, waiting as the client takes them; other
    /// requests run meanwhile. `Err(Closed)` if the client went away.
    pub async fn write_all(&mut self, bytes: &[u8]) -> Result<(), IoError> {
        self.end.write_all(bytes).await
    }
}

/// A streaming body's writer, as a [`Response`] keeps it until it is sent.
pub(crate) type Writer = Box<dyn FnOnce(BodyWriter) -> Pin<Box<dyn Future<Output = ()>>>>;

impl Response {
    /// A response with `status` whose body `write` writes after the head is
    /// sent: the client gets status and headers at once, then the body as
    /// it is written; the request (its teardown) ends when `write`'s future
    /// does. Bytes set with [`Response::body`] are sent first.
    pub fn streaming<F>(status: u16, write: impl FnOnce(BodyWriter) -> F + 'static) -> Response
    where
        F: Future<Output = ()> + 'static,
    {
        let mut r = Response::new(status);
        r.writer = Some(Box::new(move |w| Box::pin(write(w))));
        r
    }
}

/// Sends `response`: head, fixed body, then the streaming writer's.
async fn send(mut response: Response) {
    let writer = response.writer.take();
    let (headers, body) = response.parts();
    let mut sent = sys::http::respond(response.status(), headers);
    let mut end = sent.body.take();
    if let Some(w) = end.as_mut()
        && !body.is_empty()
    {
        let _ = w.write_all(body).await;
    }
    drop(response);
    if let (Some(writer), Some(end)) = (writer, end.take()) {
        writer(BodyWriter { end }).await;
    }
    drop(end);
    drop(sent);
}

/// The refusal of a request: 503 for a single-shot handler's later
/// requests, 500 otherwise (re-entry, after a panic: Wasmtime allows
/// neither, and serial handlers hold backpressure).
async fn refuse(request: u32, refusal: crate::Refusal) {
    sys::http::drop_request(request);
    let (status, text): (u16, &'static str) = match refusal {
        crate::Refusal::SingleShot => (
            503,
            "wasi-guest: request refused: this component is single-shot and already answered; instantiate it again\n",
        ),
        _ => (
            503,
            "wasi-guest: request refused: a request is already in progress\n",
        ),
    };
    send(Response::text(status, text)).await;
}

/// The body of `wasi:http/handler@0.3`'s `[async-lift]` export for a serial
/// [`Handler`]: one task per request.
#[doc(hidden)]
pub fn handle<H: Handler>(
    slot: &'static AsyncSlot<H>,
    pool: &'static sys::task::Pool,
    request: u32,
) -> u32 {
    sys::task::start(pool, async move {
        match Call::begin(slot, Sharing::Serial) {
            Err(refusal) => refuse(request, refusal).await,
            Ok(mut call) => {
                if let Some((handler, cx)) = call.parts() {
                    let mut req = Request::new(request);
                    let response = match handler.handle(&mut req, cx).await {
                        Ok(r) => r,
                        Err(e) => e.into_response(),
                    };
                    drop(req);
                    send(response).await;
                    sys::spawned_done().await;
                }
                call.end();
            }
        }
    })
}

/// The same for a [`ConcurrentHandler`]: requests overlap.
#[doc(hidden)]
pub fn handle_concurrent<H: ConcurrentHandler>(
    slot: &'static AsyncSlot<H>,
    pool: &'static sys::task::Pool,
    request: u32,
) -> u32 {
    sys::task::start(pool, async move {
        match Call::begin(slot, Sharing::Shared) {
            Err(refusal) => refuse(request, refusal).await,
            Ok(mut call) => {
                if let Some((handler, cx)) = call.shared_parts() {
                    let mut req = Request::new(request);
                    let response = match handler.handle(&mut req, cx).await {
                        Ok(r) => r,
                        Err(e) => e.into_response(),
                    };
                    drop(req);
                    send(response).await;
                    sys::spawned_done().await;
                }
                call.end();
            }
        }
    })
}
