//! WASI 0.3 in the Wasmtime 48 embedding (`wasmtime-wasi` and
//! `wasmtime-wasi-http` with `p3`): every call of a run example on one
//! instance with a fresh context; overlapping requests of a concurrent
//! handler, each seeing only its own request; what is left in memory.

use crate::support::{Call, count, p3_http, p3_run, program, sdk};
use cargo_wasi_guest::host::http::Request;

fn call(i: usize) -> Call {
    Call {
        env: vec![("P3_SECRET".into(), format!("EnvP3-{i}-q7"))],
        stdin: format!("StdinP3-{i}-q7\nsecond line {i}\n").into_bytes(),
        ..Call::args(&["prog", &format!("ArgP3-{i}-q7"), "x y"])
    }
}

#[test]
fn a_thousand_calls_of_each_p3_run_example_on_one_instance_see_only_their_own_context() {
    for name in ["hello-p3", "echo-p3", "cat-p3"] {
        let mut run = p3_run(&sdk(name), false);
        let mut peak_after_100 = 0;
        for i in 0..1000 {
            let c = call(i);
            let o = run.call(&c);
            assert!(o.ok(), "{name} call {i}: {o:?}");
            let want = match name {
                "hello-p3" => "hello\n".to_string(),
                "echo-p3" => format!("args: ArgP3-{i}-q7 x y\nenv: P3_SECRET=EnvP3-{i}-q7\n"),
                _ => format!("StdinP3-{i}-q7\nsecond line {i}\n"),
            };
            assert_eq!(o.stdout, want, "{name} call {i}");
            assert!(o.table_empty, "{name} call {i} left handles in the table");
            if i == 100 {
                peak_after_100 = run.memory_peak();
            }
        }
        assert_eq!(
            run.memory_peak(),
            peak_after_100,
            "{name}: memory grew after call 100"
        );
    }
}

#[test]
fn no_secret_of_a_p3_call_is_left_in_memory_after_it_or_any_later_call() {
    for name in ["echo-p3", "cat-p3"] {
        let mut run = p3_run(&sdk(name), true);
        for i in 0..4 {
            assert!(run.call(&call(i)).ok(), "{name} call {i}");
            let memory = run.memory().unwrap();
            // Earlier calls' secrets, and this call's own: nothing is left.
            for j in 0..=i {
                for secret in [
                    format!("ArgP3-{j}-q7"),
                    format!("EnvP3-{j}-q7"),
                    format!("StdinP3-{j}-q7"),
                ] {
                    assert_eq!(
                        count(&memory, secret.as_bytes()),
                        0,
                        "{name}: after call {i}, {secret} is still in memory"
                    );
                }
            }
        }
    }
}

/// A WASI 0.3 `TryProgram` (`export!(try T)`) uses `?` in its async `run`:
/// success prints and returns `ok`; an error is written as `error: ...` to
/// that call's stderr and gives the error result; the next call works.
#[test]
fn a_p3_try_program_reports_its_error_on_that_calls_stderr_and_fails_only_that_call() {
    let wasm = program("try-p3");
    let mut run = p3_run(&wasm, false);
    for (arg, result, stdout, stderr) in [
        ("21", Ok(()), "42\n", ""),
        ("x21", Err(()), "", "error: invalid digit found in string\n"),
        (
            "",
            Err(()),
            "",
            "error: cannot parse integer from empty string\n",
        ),
        ("4", Ok(()), "8\n", ""),
    ] {
        let o = run.call(&Call::args(&["double", arg]));
        assert_eq!(o.result, Ok(result), "{arg:?}: {o:?}");
        assert_eq!(
            (o.stdout.as_str(), o.stderr.as_str()),
            (stdout, stderr),
            "{arg:?}"
        );
        assert!(o.table_empty, "{arg:?} left handles in the table");
    }
    assert_eq!(
        wasi_guest::Policy::of_component(&std::fs::read(&wasm).unwrap()),
        Some(wasi_guest::Policy::Rerunnable)
    );
}

#[test]
fn sixteen_runs_started_at_once_on_a_serial_program_all_succeed_one_after_another() {
    let mut run = p3_run(&sdk("hello-p3"), false);
    let outcomes = run.calls(&Call::args(&["hello"]), 16);
    assert_eq!(outcomes.len(), 16);
    assert!(outcomes.iter().all(|o| o.ok()), "{outcomes:?}");
    // One context for all of them (a store has one): sixteen lines in it.
    assert_eq!(outcomes[0].stdout, "hello\n".repeat(16));
    assert!(outcomes[0].table_empty);
}

fn sleep_request(i: usize, ms: u64) -> Request {
    Request {
        headers: vec![("x-secret".into(), format!("HttpP3Secret-{i}-z9"))],
        ..Request::get(&format!("/?ms={ms}&n={i}"))
    }
}

/// The `key=value` lines of a response body.
fn field<'a>(body: &'a str, key: &str) -> &'a str {
    body.lines()
        .find_map(|l| l.strip_prefix(key).and_then(|r| r.strip_prefix('=')))
        .unwrap_or_else(|| panic!("no {key} in {body}"))
}

#[test]
fn sixteen_overlapping_requests_to_a_concurrent_handler_each_see_only_their_own_and_leave_nothing()
{
    let mut h = p3_http(&sdk("http-sleep-p3"), true);
    let reqs: Vec<Request> = (0..16).map(|i| sleep_request(i, 50)).collect();
    let responses = h.requests(&reqs);
    let mut most_in_flight = 0;
    for (i, r) in responses.iter().enumerate() {
        let r = r.as_ref().unwrap_or_else(|e| panic!("request {i}: {e}"));
        assert_eq!(r.status, 200);
        let body = r.text();
        assert_eq!(field(&body, "x-secret"), format!("HttpP3Secret-{i}-z9"));
        // The per-request RunLocal saw this request's secret only.
        assert_eq!(
            field(&body, "request-local-secret"),
            format!("HttpP3Secret-{i}-z9")
        );
        for j in (0..16).filter(|&j| j != i) {
            assert!(
                !body.contains(&format!("HttpP3Secret-{j}-z9")),
                "request {i} shows request {j}'s secret: {body}"
            );
        }
        most_in_flight = most_in_flight.max(field(&body, "in-flight").parse::<u32>().unwrap());
        assert!(r.table_empty, "request {i}");
    }
    assert!(most_in_flight > 1, "the requests never overlapped");
    assert_eq!(most_in_flight, 16, "all sixteen were in flight together");
    let memory = h.memory().unwrap();
    for i in 0..16 {
        let secret = format!("HttpP3Secret-{i}-z9");
        assert_eq!(
            count(&memory, secret.as_bytes()),
            0,
            "{secret} is still in linear memory after every request ended"
        );
    }
}

#[test]
fn a_serial_handler_answers_overlapping_requests_one_at_a_time_on_one_instance() {
    let mut h = p3_http(&sdk("http-echo-p3"), false);
    let reqs: Vec<Request> = (0..8)
        .map(|i| Request {
            headers: vec![("x-secret".into(), format!("Echo-{i}"))],
            ..Request::get(&format!("/e/{i}"))
        })
        .collect();
    let mut counts = Vec::new();
    for (i, r) in h.requests(&reqs).into_iter().enumerate() {
        let r = r.unwrap_or_else(|e| panic!("request {i}: {e}"));
        let body = r.text();
        assert_eq!(field(&body, "path"), format!("/e/{i}"));
        assert_eq!(field(&body, "x-secret"), format!("Echo-{i}"));
        assert_eq!(
            field(&body, "in-flight"),
            "1",
            "request {i} overlapped another"
        );
        assert_eq!(field(&body, "request-local"), "1");
        counts.push(field(&body, "instance-requests").parse::<u32>().unwrap());
    }
    counts.sort();
    assert_eq!(counts, (1..=8).collect::<Vec<_>>());
    // And one more, after all of them: still the same instance.
    let r = h.request(&Request::get("/again")).unwrap();
    assert_eq!(field(&r.text(), "instance-requests"), "9");
}
