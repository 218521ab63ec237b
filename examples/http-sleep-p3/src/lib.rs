//! A concurrent WASI 0.3 handler: `GET /?ms=N` waits N milliseconds on a
//! timer (`wasi:clocks` `wait-for`) while other requests of the same
//! instance run, then answers like `http-echo-p3` (one `key=value` per
//! line). The per-instance value is shared (`&self`), so its counter is a
//! `Cell`; every request still has its own `RunLocal` value. With feature
//! `serial` the same handler is exported serial instead (for the density
//! bench): one request in flight per instance.
#![no_std]
#![deny(unsafe_code)]
extern crate alloc;
use alloc::format;
use core::cell::Cell;
use core::time::Duration;
#[cfg(feature = "serial")]
use wasi_guest::http::Handler;
use wasi_guest::http::{ConcurrentHandler, Error, Request, Response};
use wasi_guest::{Context, PerInstance, RunLocal};

/// Per-instance state, shared by overlapping requests.
struct Sleep {
    requests: Cell<u64>,
}

/// Per-request state: each request's own, even while others are in flight.
static SECRET: RunLocal<alloc::string::String> = RunLocal::new(alloc::string::String::new);

impl PerInstance for Sleep {
    fn init(_: &mut Context) -> Self {
        Sleep {
            requests: Cell::new(0),
        }
    }
}

impl ConcurrentHandler for Sleep {
    async fn handle(&self, request: &mut Request, _: &mut Context) -> Result<Response, Error> {
        let n = self.requests.get() + 1;
        self.requests.set(n);
        let secret = request.header_str("x-secret").unwrap_or("-");
        SECRET.with(|s| s.push_str(secret));
        let ms = request
            .query()
            .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("ms=")))
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0);
        let in_flight = wasi_guest::calls_in_flight();
        wasi_guest::time::sleep(Duration::from_millis(ms)).await;
        let text = format!(
            "method={}\npath={}\nx-secret={}\nrequest-local-secret={}\ninstance-requests={}\nin-flight={}\nslept-ms={}\n",
            request.method(),
            request.path(),
            secret,
            SECRET.with(|s| s.clone()),
            n,
            in_flight.max(wasi_guest::calls_in_flight()),
            ms,
        );
        Ok(Response::new(200)
            .header("content-type", "text/plain")
            .body(text.into_bytes()))
    }
}

/// The serial build: the same handler, `&mut self` (unused).
#[cfg(feature = "serial")]
impl Handler for Sleep {
    async fn handle(&mut self, request: &mut Request, cx: &mut Context) -> Result<Response, Error> {
        ConcurrentHandler::handle(&*self, request, cx).await
    }
}

#[cfg(not(feature = "serial"))]
wasi_guest::export_http!(concurrent Sleep);
#[cfg(feature = "serial")]
wasi_guest::export_http!(Sleep);
