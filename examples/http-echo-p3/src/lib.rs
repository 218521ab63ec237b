//! A WASI 0.3 handler that shows what each request sees, serial (the
//! default: requests never overlap on one instance, so the handler has
//! `&mut self`): its path, its `x-secret` header, the per-instance request
//! count, the calls in flight on the instance (always 1 here) and a
//! per-request counter; one `key=value` per line.
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
    async fn handle(&mut self, request: &mut Request, _: &mut Context) -> Result<Response, Error> {
        self.requests += 1;
        let local = BUMPS.with(|n| {
            *n += 1;
            *n
        });
        let body = request.read_body().await?;
        let text = format!(
            "method={}\npath={}\nx-secret={}\ninstance-requests={}\nin-flight={}\nrequest-local={}\nbody-bytes={}\n",
            request.method(),
            request.path(),
            request.header_str("x-secret").unwrap_or("-"),
            self.requests,
            wasi_guest::calls_in_flight(),
            local,
            body.len(),
        );
        Ok(Response::new(200)
            .header("content-type", "text/plain")
            .body(text.into_bytes()))
    }
}

wasi_guest::export_http!(Echo);
