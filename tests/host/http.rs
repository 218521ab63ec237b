//! `wasi:http` handlers under the guard, in the Wasmtime embedding
//! (`wasmtime-wasi-http` 48): many requests on one instance, each isolated;
//! errors answered, never trapping.

use crate::support::{count, http_instance, program};
use cargo_wasi_guest::host::http::Request;

fn echo_request(i: usize) -> (Request, String) {
    let secret = format!("HttpSecret-{i}-z9");
    let mut req = Request::get(&format!("/items/{i}?q={}", i * 7));
    if !i.is_multiple_of(5) {
        req.headers.push(("x-secret".into(), secret.clone()));
    }
    if i.is_multiple_of(4) {
        req.method = "POST".into();
        req.body = vec![b'b'; i % 1000];
    }
    let want = format!(
        "method={}\npath=/items/{i}?q={}\nx-secret={}\ninstance-requests={i}\nrequest-local=1\nbody-bytes={}\n",
        req.method,
        i * 7,
        if !i.is_multiple_of(5) {
            secret.as_str()
        } else {
            "-"
        },
        req.body.len()
    );
    (req, want)
}

#[test]
fn http_hello_answers_every_request_on_one_instance() {
    let mut h = http_instance(&crate::support::sdk("http-hello"), false);
    for i in 0..1000 {
        let r = h.request(&Request::get(&format!("/{i}"))).unwrap();
        assert_eq!(
            (r.status, r.text().as_str()),
            (200, "hello\n"),
            "request {i}"
        );
        assert!(r.table_empty);
    }
}

#[test]
fn every_http_echo_request_sees_only_its_own_secret_and_fresh_per_request_state() {
    let mut h = http_instance(&crate::support::sdk("http-echo"), true);
    for i in 1..=3000 {
        let (req, want) = echo_request(i);
        let r = h
            .request(&req)
            .unwrap_or_else(|e| panic!("request {i} trapped: {e}"));
        assert_eq!(r.status, 200, "request {i}: {}", r.text());
        // The whole body is what this request alone could produce: its own
        // secret, the instance's count, a run-local that starts at zero.
        assert_eq!(r.text(), want, "request {i}");
        assert!(r.table_empty, "request {i} left a handle open");
        if i % 500 == 0 {
            let memory = h.memory().unwrap();
            for earlier in (1..i).step_by(97) {
                let secret = format!("HttpSecret-{earlier}-z9");
                assert_eq!(
                    count(&memory, secret.as_bytes()),
                    0,
                    "{secret} after request {i}"
                );
            }
        }
    }
}

#[test]
fn handler_errors_become_responses_and_the_instance_lives_on() {
    let mut h = http_instance(&program("http-faults"), false);
    let cases = [
        ("/error", 500, "something failed\n"),
        ("/teapot", 418, "short and stout\n"),
        ("/file", 404, "no directory\n"),
        ("/bad-header", 500, "unreachable\n"),
        ("/bad-status", 500, "unreachable\n"),
        ("/", 200, "fine\n"),
        ("/static-text", 200, "a static str\n"),
        (
            "/debug?x=1",
            200,
            "Request { method: \"GET\", path: \"/debug?x=1\", .. }\nquery: Some(\"x=1\")\n",
        ),
    ];
    for _ in 0..3 {
        for (path, status, body) in cases {
            let r = h
                .request(&Request::get(path))
                .unwrap_or_else(|e| panic!("{path} trapped: {e}"));
            assert_eq!((r.status, r.text().as_str()), (status, body), "{path}");
            assert!(r.table_empty, "{path}");
        }
    }
    // A panic is the one fault that traps (documented); the message reaches
    // stderr, and Wasmtime refuses the instance afterwards.
    let trap = h.request(&Request::get("/panic")).unwrap_err();
    assert!(trap.contains("unreachable"), "{trap}");
    assert!(h.request(&Request::get("/")).is_err());
}

#[test]
fn a_single_shot_handler_answers_later_requests_with_503_not_a_trap() {
    let mut h = http_instance(&program("http-once"), false);
    let first = h.request(&Request::get("/")).unwrap();
    assert_eq!(
        (first.status, first.text().as_str()),
        (200, "answered once\n")
    );
    for _ in 0..3 {
        let r = h.request(&Request::get("/")).unwrap();
        assert_eq!(r.status, 503);
        assert_eq!(
            r.text(),
            "wasi-guest: request refused: this component is single-shot and already answered; instantiate it again\n"
        );
        assert!(r.table_empty);
    }
}
