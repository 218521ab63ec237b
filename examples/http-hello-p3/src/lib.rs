//! The smallest WASI 0.3 HTTP handler (`wasi:http/handler@0.3.0`).
#![no_std]
use wasi_guest::http::{Error, Handler, Request, Response};
use wasi_guest::{Context, PerInstance};

struct Hello;

impl PerInstance for Hello {
    fn init(_: &mut Context) -> Self {
        Hello
    }
}

impl Handler for Hello {
    async fn handle(&mut self, _: &mut Request, _: &mut Context) -> Result<Response, Error> {
        Ok(Response::text(200, "hello\n"))
    }
}

wasi_guest::export_http!(Hello);
