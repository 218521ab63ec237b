//! `http-hello-p3` written against raw `wit-bindgen` bindings (WASI 0.3): a
//! response with status 200, no headers and the body `hello\n`, written by
//! a spawned task once the response is on its way.

wit_bindgen::generate!({
    inline: "
        package wasi-guest:raw-http-hello-p3;
        world raw {
            import wasi:http/types@0.3.0;
            export wasi:http/handler@0.3.0;
        }
    ",
    path: [
        "../../../wit/p3/deps/clocks.wit",
        "../../../wit/p3/deps/random.wit",
        "../../../wit/p3/deps/filesystem.wit",
        "../../../wit/p3/deps/sockets.wit",
        "../../../wit/p3/deps/cli.wit",
        "../../../wit/p3/deps/http.wit",
    ],
    generate_all,
});

use wasi::http::types::{ErrorCode, Fields, Request, Response};

struct Raw;

impl exports::wasi::http::handler::Guest for Raw {
    async fn handle(_: Request) -> Result<Response, ErrorCode> {
        let (mut body, rx) = wit_stream::new::<u8>();
        let (trailers, trailers_rx) =
            wit_future::new::<Result<Option<Fields>, ErrorCode>>(|| Ok(None));
        let (response, _sent) = Response::new(Fields::new(), Some(rx), trailers_rx);
        wit_bindgen::spawn(async move {
            let _ = body.write_all(b"hello\n".to_vec()).await;
            drop(body);
            let _ = trailers.write(Ok(None)).await;
        });
        Ok(response)
    }
}

export!(Raw);
