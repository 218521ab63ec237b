#![no_std]
use wasi_guest::Context;
use wasi_guest::http::{Error, Handler, Request, Response};

struct Hello;

impl Handler for Hello {
    fn init(_: &mut Context) -> Self {
        Hello
    }

    fn handle(&mut self, _: &mut Request, _: &mut Context) -> Result<Response, Error> {
        Ok(Response::text(200, "hello\n"))
    }
}

wasi_guest::export_http!(Hello);
