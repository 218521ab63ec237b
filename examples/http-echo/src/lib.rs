//! Answers every request with what it saw of it and of itself:
//!
//! ```text
//! method=GET
//! path=/some/path?q=1
//! x-secret=<the x-secret header of this request, or ->
//! instance-requests=<requests this instance has answered, this one included>
//! request-local=<a RunLocal counter bumped once per request: always 1>
//! body-bytes=<length of the request body>
//! ```
#![no_std]
#![deny(unsafe_code)]
extern crate alloc;
use alloc::format;
use wasi_guest::http::{Error, Handler, Request, Response};
use wasi_guest::{Context, PerInstance, RunLocal};

/// Per-instance state: kept across requests on purpose.
struct Echo {
    requests: u64,
}

/// Per-request state: starts from zero for every request.
static BUMPS: RunLocal<u32> = RunLocal::new(|| 0);

impl PerInstance for Echo {
    fn init(_: &mut Context) -> Self {
        Echo { requests: 0 }
    }
}

impl Handler for Echo {
    fn handle(&mut self, request: &mut Request, _: &mut Context) -> Result<Response, Error> {
        self.requests += 1;
        let local = BUMPS.with(|n| {
            *n += 1;
            *n
        });
        let body = request.read_body()?;
        let text = format!(
            "method={}\npath={}\nx-secret={}\ninstance-requests={}\nrequest-local={}\nbody-bytes={}\n",
            request.method(),
            request.path(),
            request.header_str("x-secret").unwrap_or("-"),
            self.requests,
            local,
            body.len(),
        );
        Ok(Response::new(200)
            .header("content-type", "text/plain")
            .body(text.into_bytes()))
    }
}

wasi_guest::export_http!(Echo);
