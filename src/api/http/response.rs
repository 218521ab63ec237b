//! [`Response`] and [`Error`]: what a handler answers.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// `blocking-write-and-flush` accepts at most 4096 bytes per call.
#[cfg(not(feature = "p3"))]
const MAX_WRITE: usize = 4096;

/// A response: status, headers, body. Built with the least code for the
/// common case: `Response::text(200, "hello\n")` makes no allocation.
pub struct Response {
    status: u16,
    /// `None` until a header is added: an empty `Vec`'s drop is a call
    /// the optimiser keeps, and it would link the allocator into handlers
    /// that allocate nothing.
    headers: Option<Vec<(String, Vec<u8>)>>,
    body: Cow<'static, [u8]>,
    /// A body written after the head is sent (WASI 0.3).
    #[cfg(feature = "p3")]
    pub(crate) writer: Option<super::p3::Writer>,
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("headers", &self.headers.as_deref().unwrap_or(&[]).len())
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
}

impl Response {
    /// A response with `status`, no headers and an empty body.
    pub fn new(status: u16) -> Self {
        Response {
            status,
            headers: None,
            body: Cow::Borrowed(&[]),
            #[cfg(feature = "p3")]
            writer: None,
        }
    }

    /// A response with `status` and a fixed body (no `content-type`
    /// header; add one with [`Response::header`] if clients need it).
    pub fn text(status: u16, body: &'static str) -> Self {
        Response {
            status,
            headers: None,
            body: Cow::Borrowed(body.as_bytes()),
            #[cfg(feature = "p3")]
            writer: None,
        }
    }

    /// Sets the body: a `String`, `&'static str`, `Vec<u8>`,
    /// `&'static [u8]` (or byte-string literal) or `Cow<'static, [u8]>`
    /// ([`IntoBody`]). Owned text and bytes are moved, not copied.
    ///
    /// ```
    /// # use wasi_guest::http::Response;
    /// let name = "ada";
    /// let _ = Response::new(200).body(format!("hello, {name}\n"));
    /// let _ = Response::new(200).body("fixed\n");
    /// let _ = Response::new(200).body(b"bytes\n");
    /// let _ = Response::new(200).body(vec![1u8, 2, 3]);
    /// ```
    pub fn body(mut self, body: impl IntoBody) -> Self {
        self.body = body.into_body();
        self
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: impl AsRef<[u8]>) -> Self {
        self.headers
            .get_or_insert_with(Vec::new)
            .push((String::from(name), Vec::from(value.as_ref())));
        self
    }

    /// The status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The headers added so far, and the fixed body.
    #[cfg(feature = "p3")]
    pub(crate) fn parts(&self) -> (&[(String, Vec<u8>)], &[u8]) {
        (self.headers.as_deref().unwrap_or(&[]), &self.body)
    }

    /// Sends the response through `out` (the outparam's handle, consumed):
    /// status and headers first, then the
    /// body, written and finished. A header the host rejects, or a status
    /// outside 100..=999, turns the response into a 500; a client that went
    /// away while the body was written is nothing to report.
    #[cfg(not(feature = "p3"))]
    #[inline(always)]
    pub(crate) fn send(self, out: u32) {
        let fields = match &self.headers {
            Some(headers) => crate::platform::sys::http::fields_with(headers),
            None => crate::platform::sys::http::fields_empty(),
        };
        send(out, fields, self.status, &self.body);
    }
}

/// What [`Response::body`] accepts: text or bytes, owned or `'static`.
pub trait IntoBody {
    /// The body's bytes, borrowed when they are `'static`.
    fn into_body(self) -> Cow<'static, [u8]>;
}

impl IntoBody for String {
    fn into_body(self) -> Cow<'static, [u8]> {
        Cow::Owned(self.into_bytes())
    }
}

impl IntoBody for &'static str {
    fn into_body(self) -> Cow<'static, [u8]> {
        Cow::Borrowed(self.as_bytes())
    }
}

impl IntoBody for Vec<u8> {
    fn into_body(self) -> Cow<'static, [u8]> {
        Cow::Owned(self)
    }
}

impl IntoBody for &'static [u8] {
    fn into_body(self) -> Cow<'static, [u8]> {
        Cow::Borrowed(self)
    }
}

impl<const N: usize> IntoBody for &'static [u8; N] {
    fn into_body(self) -> Cow<'static, [u8]> {
        Cow::Borrowed(self)
    }
}

impl IntoBody for Cow<'static, [u8]> {
    fn into_body(self) -> Cow<'static, [u8]> {
        self
    }
}

/// [`Response::send`], not generic and out of line; what the response
/// owns is dropped by the caller, where an empty or borrowed one is seen to
/// need no freeing.
#[cfg(not(feature = "p3"))]
#[inline(never)]
pub(crate) fn send(out: u32, fields: (u32, bool), status: u16, body: &[u8]) {
    crate::platform::sys::http::respond(out, fields, status, |stream| {
        let mut rest = body;
        while !rest.is_empty() {
            // `split_at_checked`: no panic path (hence no formatting) linked.
            let (chunk, tail) = rest.split_at_checked(MAX_WRITE).unwrap_or((rest, &[]));
            if stream.blocking_write_and_flush(chunk).is_err() {
                break;
            }
            rest = tail;
        }
    });
}

/// An error a handler returns: a status (500 unless set otherwise) and a
/// message, sent as the response body with a newline.
pub struct Error {
    status: u16,
    message: Cow<'static, str>,
}

impl Error {
    /// An error answered with `status` and `message`.
    pub fn new(status: u16, message: impl Into<Cow<'static, str>>) -> Self {
        Error {
            status,
            message: message.into(),
        }
    }

    /// The status it is answered with.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }

    pub(crate) fn into_response(self) -> Response {
        let mut body = String::from(self.message);
        body.push('\n');
        Response::new(self.status).body(body.into_bytes())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.status, self.message)
    }
}

/// So that `?` can turn an `http::Error` into a `Box<dyn core::error::Error>`.
impl core::error::Error for Error {}

impl From<crate::api::stdio::IoError> for Error {
    /// Reading the request body failed: 500, or 413 when memory ran out.
    fn from(e: crate::api::stdio::IoError) -> Self {
        let status = if e == crate::api::stdio::IoError::OutOfMemory {
            413
        } else {
            500
        };
        Error::new(
            status,
            match e {
                crate::api::stdio::IoError::Closed => "request body: stream closed",
                crate::api::stdio::IoError::Failed => "request body: read failed",
                crate::api::stdio::IoError::InvalidUtf8 => "request body: not UTF-8",
                crate::api::stdio::IoError::OutOfMemory => "request body: too large for memory",
            },
        )
    }
}

#[cfg(not(feature = "p3"))]
impl From<crate::api::fs::Error> for Error {
    /// A filesystem error: 404 for `no-entry`, else 500; the WASI name as
    /// the message.
    fn from(e: crate::api::fs::Error) -> Self {
        Error::new(if e.is_not_found() { 404 } else { 500 }, e.name())
    }
}
