#![no_std]
#![deny(unsafe_code)]
extern crate alloc;
use wasi_guest::{Context, PerInstance};
use wasi_guest::http::{Error, Handler, Request, Response};

struct Faults;

impl PerInstance for Faults {
    fn init(_: &mut Context) -> Self {
        Faults
    }
}

impl Handler for Faults {
    fn handle(&mut self, request: &mut Request, cx: &mut Context) -> Result<Response, Error> {
        match request.path() {
            "/error" => Err(Error::new(500, "something failed")),
            "/teapot" => Err(Error::new(418, "short and stout")),
            "/file" => {
                // No preopened directory: the filesystem error becomes 404.
                let data = cx
                    .dir("/")
                    .ok_or(Error::new(404, "no directory"))?
                    .read("missing.txt")?;
                Ok(Response::new(200).body(data))
            }
            "/bad-header" => Ok(Response::text(200, "unreachable\n").header("bad header", "x")),
            "/bad-status" => Ok(Response::text(42, "unreachable\n")),
            "/panic" => panic!("asked to panic"),
            // `Response::body` takes text as well as bytes; a request
            // prints its method and path; the query comes apart.
            "/static-text" => Ok(Response::new(200).body("a static str\n")),
            p if p.starts_with("/debug") => Ok(Response::new(200).body(alloc::format!(
                "{request:?}\nquery: {:?}\n",
                request.query()
            ))),
            _ => Ok(Response::text(200, "fine\n")),
        }
    }
}

wasi_guest::export_http!(Faults);
