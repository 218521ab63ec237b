//! Every example and its twins (std `fn main` on wasm32-wasip2, and the same
//! built for wasm32-wasip1 with the preview1 adapter) print the same bytes for
//! the same input, so the size table compares like with like.

use crate::support::{Call, run_once};

fn check(name: &str, twin_of: &str, call: Call) {
    let sdk = crate::support::builds(name);
    let twins = crate::support::builds(twin_of);
    let want = run_once(&sdk.sdk, &call);
    assert!(want.ok(), "{name}: {want:?}");
    assert!(!want.stdout.is_empty(), "{name} printed nothing");
    for twin in [twins.std_p2.unwrap(), twins.std_p1_adapter.unwrap()] {
        let got = run_once(&twin, &call);
        assert_eq!(got.result, want.result, "{}", twin.display());
        assert_eq!(got.stdout, want.stdout, "{}", twin.display());
    }
}

#[test]
fn hello_prints_what_its_std_and_adapter_twins_print() {
    check("hello", "hello", Call::args(&["hello"]));
}

#[test]
fn counter_prints_what_its_std_and_adapter_twins_print() {
    check("counter", "counter", Call::args(&["counter"]));
}

#[test]
fn once_prints_what_its_std_and_adapter_twins_print() {
    check("once", "once", Call::args(&["once"]));
}

#[test]
fn echo_prints_the_same_arguments_and_environment_as_its_twins() {
    check(
        "echo",
        "echo",
        Call {
            env: vec![("GREETING".into(), "hi there".into())],
            ..Call::args(&["echo", "a", "b c", "d"])
        },
    );
}

#[test]
fn cat_copies_stdin_like_its_twins() {
    check(
        "cat",
        "cat",
        Call {
            stdin: b"first line\nsecond line\n".to_vec(),
            env: vec![("CAT_BANNER".into(), "== banner ==".into())],
            ..Call::args(&["cat"])
        },
    );
}

fn wc_call(args: &[&str]) -> Call {
    Call {
        stdin: b"the quick brown fox\n  jumps over\tthe lazy dog\n\nend".to_vec(),
        env: vec![("WC_LABEL".into(), "text".into())],
        ..Call::args(args)
    }
}

#[test]
fn wc_counts_like_its_twins_with_dlmalloc_and_with_the_arena() {
    for name in ["wc", "wc-arena"] {
        check(name, "wc", wc_call(&["wc"]));
        check(name, "wc", wc_call(&["wc", "-w", "-l"]));
    }
}
