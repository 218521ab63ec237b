#![no_std]
#![deny(unsafe_code)]
use wasi_guest::http::{Error, Handler, Request, Response};
use wasi_guest::{Context, PerInstance, Policy};

struct Once;

impl PerInstance for Once {
    const POLICY: Policy = Policy::SingleShot;

    fn init(_: &mut Context) -> Self {
        Once
    }
}

impl Handler for Once {
    fn handle(&mut self, _: &mut Request, _: &mut Context) -> Result<Response, Error> {
        Ok(Response::text(200, "answered once\n"))
    }
}

wasi_guest::export_http!(Once);
