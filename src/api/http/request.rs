//! [`Request`]: what one HTTP request brings, fetched from the host when the
//! handler asks.

use super::Error;
use crate::api::stdin::Source;
use crate::platform::cell::Fetched;
use crate::platform::http_bindings::wasi::http::types::{IncomingBody, IncomingRequest, Method};
use crate::platform::sys as mem;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::Cell;
use core::mem::ManuallyDrop;

/// The request being answered. Method, path and headers are fetched from the
/// host on first use; the body is read through [`Request::body`] or
/// [`Request::read_body`]. It lives for one request.
pub struct Request {
    // Dropped in this order: the body's stream, the body, the request (the
    // host refuses to drop a resource whose children are alive).
    body: Option<(Source, IncomingBody)>,
    /// Held without drop glue, so that a handler that never looks at the
    /// request links no deallocation (and so no allocator); `release`, set
    /// by the first fetch, drops them.
    fetched: ManuallyDrop<Parts>,
    release: Cell<Option<fn(&mut Request)>>,
    inner: IncomingRequest,
}

/// What is fetched from the host on first use.
struct Parts {
    method: Fetched<Method>,
    path: Fetched<Option<String>>,
    headers: Fetched<Vec<(String, Vec<u8>)>>,
}

impl Drop for Request {
    fn drop(&mut self) {
        if let Some(release) = self.release.take() {
            release(self);
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
    pub(crate) fn new(inner: IncomingRequest) -> Self {
        Request {
            body: None,
            fetched: ManuallyDrop::new(Parts {
                method: Fetched::new(),
                path: Fetched::new(),
                headers: Fetched::new(),
            }),
            release: Cell::new(None),
            inner,
        }
    }

    /// Arranges for the fetched parts to be dropped with the request.
    fn fetching(&self) -> &Parts {
        self.release.set(Some(|request: &mut Request| {
            let parts = core::mem::replace(
                &mut *request.fetched,
                Parts {
                    method: Fetched::new(),
                    path: Fetched::new(),
                    headers: Fetched::new(),
                },
            );
            drop(parts);
        }));
        &self.fetched
    }

    /// The method: `GET`, `POST`, ... (an extension method as sent).
    pub fn method(&self) -> &str {
        // SAFETY: the fetch only calls the host.
        let method = unsafe {
            self.fetching()
                .method
                .get(|| mem::receive_owned(|| self.inner.method()))
        };
        match method {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
            Method::Connect => "CONNECT",
            Method::Options => "OPTIONS",
            Method::Trace => "TRACE",
            Method::Patch => "PATCH",
            Method::Other(m) => m,
        }
    }

    /// The path with the query, as sent (`/search?q=x`); `/` if the request
    /// has none.
    pub fn path(&self) -> &str {
        // SAFETY: the fetch only calls the host.
        unsafe {
            self.fetching()
                .path
                .get(|| mem::receive_owned(|| self.inner.path_with_query()))
        }
        .as_deref()
        .unwrap_or("/")
    }

    /// The query (after `?`), if the path has one.
    pub fn query(&self) -> Option<&str> {
        self.path().split_once('?').map(|(_, q)| q)
    }

    /// Every header, in the order sent (names as the host gives them, lower
    /// case in Wasmtime).
    pub fn headers(&self) -> impl Iterator<Item = (&str, &[u8])> + '_ {
        // SAFETY: the fetch only calls the host.
        unsafe {
            self.fetching()
                .headers
                .get(|| mem::receive_owned(|| self.inner.headers().entries()))
        }
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_slice()))
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

    /// The body, to read in pieces ([`Body::read`]). Fails with 400 if the
    /// host has no body for this request.
    pub fn body(&mut self) -> Result<Body<'_>, Error> {
        if self.body.is_none() {
            let body = self
                .inner
                .consume()
                .map_err(|()| Error::new(400, "request body unavailable"))?;
            let stream = body
                .stream()
                .map_err(|()| Error::new(400, "request body unavailable"))?;
            self.body = Some((Source::new(stream), body));
        }
        match &self.body {
            Some((source, _)) => Ok(Body { source }),
            None => Err(Error::new(500, "request body unavailable")),
        }
    }

    /// The whole body.
    pub fn read_body(&mut self) -> Result<Vec<u8>, Error> {
        let mut out = Vec::new();
        self.body()?.read_to_end(&mut out)?;
        Ok(out)
    }
}

/// A request's body, from [`Request::body`].
pub struct Body<'r> {
    source: &'r Source,
}

impl Body<'_> {
    /// Reads up to `buf.len()` bytes; `Ok(0)` at the end. A host that sends
    /// more than asked has the rest kept for the next read (as
    /// [`Stdin::read`](crate::Stdin::read) does).
    pub fn read(&mut self, buf: &mut [u8]) -> Result<usize, Error> {
        Ok(self.source.read(buf)?)
    }

    /// Reads to the end, appending to `out`; returns the bytes read.
    pub fn read_to_end(&mut self, out: &mut Vec<u8>) -> Result<usize, Error> {
        Ok(self.source.read_to_end(out)?)
    }
}
