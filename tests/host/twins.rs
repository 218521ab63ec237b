//! Every example and its twins (std `fn main` on wasm32-wasip2, and the same
//! built for wasm32-wasip1 with the preview1 adapter) print the same bytes for
//! the same input, so the size table compares like with like.

use crate::support::{Call, Outcome, Runner, dir_with, preopen, run_once};

/// Runs `call` on the SDK build of `name` and on the twins of `twin_of`:
/// it succeeds, prints something, and the twins print the same and end
/// alike. Returns what the SDK build printed.
fn check(name: &str, twin_of: &str, call: Call) -> Outcome {
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
    want
}

/// Whether a call failed the way a command fails: `run` returned its error
/// result, or (the adapter twin, whose std exit path calls preview1's
/// `proc_exit`) the instance exited with status 1.
fn failed(o: &Outcome) -> bool {
    match &o.result {
        Ok(r) => r.is_err(),
        Err(trap) => trap.contains("Exited with i32 exit status 1\n"),
    }
}

/// Runs `call` on the SDK build of `name` and its twins: each fails, prints
/// nothing on stdout and the same message on stderr.
fn check_failure(name: &str, call: Call) -> Outcome {
    let builds = crate::support::builds(name);
    let want = run_once(&builds.sdk, &call);
    assert_eq!(want.result, Ok(Err(())), "{name}: {want:?}");
    assert_eq!(want.stdout, "", "{name}");
    for twin in [builds.std_p2.unwrap(), builds.std_p1_adapter.unwrap()] {
        let got = run_once(&twin, &call);
        assert!(failed(&got), "{}: {got:?}", twin.display());
        assert_eq!(got.stdout, "", "{}", twin.display());
        assert_eq!(got.stderr, want.stderr, "{}", twin.display());
    }
    want
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
fn wc_counts_like_its_twins_with_talc_and_with_the_arena() {
    for name in ["wc", "wc-arena"] {
        check(name, "wc", wc_call(&["wc"]));
        check(name, "wc", wc_call(&["wc", "-w", "-l"]));
    }
}

/// The size suite's key-value CLI: one sequence of commands, each on a fresh
/// directory of its own build, for the SDK build (every call on one
/// instance) and its twins (a fresh instance per call, as a command needs).
/// Every step prints the same, succeeds or fails alike with the same
/// message, and every build leaves the same `kv.txt`.
#[test]
fn kv_set_get_del_and_list_print_and_store_what_its_twins_do() {
    let steps: &[(&[&str], Result<&str, &str>)] = &[
        (&["kv", "set", "b", "two"], Ok("")),
        (&["kv", "set", "a", "one = 1"], Ok("")),
        (&["kv", "get", "a"], Ok("one = 1\n")),
        (&["kv", "list"], Ok("a=one = 1\nb=two\n")),
        (&["kv", "set", "b", "2"], Ok("")),
        (&["kv", "del", "a"], Ok("")),
        (&["kv", "get", "a"], Err("error: no key 'a'\n")),
        (&["kv", "del", "zz"], Err("error: no key 'zz'\n")),
        (
            &["kv", "set", "x=y", "v"],
            Err("error: invalid key 'x=y': empty, or holds '=' or a newline\n"),
        ),
        (
            &["kv", "get"],
            Err("error: usage: kv set KEY VALUE | get KEY | del KEY | list\n"),
        ),
        (&["kv", "set", "é", "ü"], Ok("")),
        (&["kv", "list"], Ok("b=2\né=ü\n")),
    ];
    let builds = crate::support::builds("kv");
    let mut sdk = Runner::new(&builds.sdk);
    let twins = [builds.std_p2.unwrap(), builds.std_p1_adapter.unwrap()];
    let dirs: Vec<_> = ["sdk", "std", "adapter"]
        .iter()
        .map(|tag| dir_with(&format!("kv-{tag}"), &[]))
        .collect();
    for (args, want) in steps {
        let call = |dir| Call {
            dirs: preopen(dir, false),
            ..Call::args(args)
        };
        let mut got = vec![sdk.call(&call(&dirs[0]))];
        assert!(got[0].table_empty, "{args:?} left a handle open");
        for (twin, dir) in twins.iter().zip(&dirs[1..]) {
            got.push(run_once(twin, &call(dir)));
        }
        for (o, build) in got.iter().zip(["kv", "kv-std", "kv-std (p1 + adapter)"]) {
            let seen = match o.result {
                Ok(Ok(())) => Ok(o.stdout.as_str()),
                _ if failed(o) && o.stdout.is_empty() => Err(o.stderr.as_str()),
                _ => panic!("{build} {args:?}: {o:?}"),
            };
            assert_eq!(seen, *want, "{build} {args:?}");
        }
    }
    for dir in &dirs {
        assert_eq!(
            std::fs::read_to_string(dir.join("kv.txt")).unwrap(),
            "b=2\né=ü\n"
        );
    }
}

/// The size suite's JSON pretty-printer (serde_json without std against
/// serde_json with it): the same indented text, object keys sorted, and the
/// same message for input that is not JSON.
#[test]
fn pretty_indents_json_like_its_twins_and_rejects_bad_json_with_the_same_message() {
    let doc = r#"{"name":"wasi-guest","sizes":[1938,5311],"nested":{"ok":true,"none":null,"pi":3.25,"text":"tab\tquote\" é"}}"#;
    let want = "{\n  \"name\": \"wasi-guest\",\n  \"nested\": {\n    \"none\": null,\n    \"ok\": true,\n    \
                \"pi\": 3.25,\n    \"text\": \"tab\\tquote\\\" é\"\n  },\n  \"sizes\": [\n    1938,\n    5311\n  ]\n}\n";
    let call = |stdin: &str| Call {
        stdin: stdin.as_bytes().to_vec(),
        ..Call::args(&["pretty"])
    };
    assert_eq!(check("pretty", "pretty", call(doc)).stdout, want);
    let bad = check_failure("pretty", call("{\"a\": [1, 2,]}"));
    assert_eq!(
        bad.stderr,
        "error: invalid JSON: trailing comma at line 1 column 13\n"
    );
}

/// The size suite's line summariser: the same table (distinct lines, most
/// frequent first, counts, shares, padded to the longest line) as its twins,
/// `\r\n` line ends included.
#[test]
fn summary_prints_the_same_sorted_table_as_its_twins() {
    let call = Call {
        stdin: b"b\na\r\nb\nlonger line\nb\na\n\xc3\xa9".to_vec(),
        ..Call::args(&["summary"])
    };
    let want = "line          count  share\n\
                b                 3    42%\n\
                a                 2    28%\n\
                longer line       1    14%\n\
                é                 1    14%\n\
                4 distinct of 7 lines\n";
    assert_eq!(check("summary", "summary", call).stdout, want);
}
