//! Load: 10,000 calls on one instance of every re-runnable example, each with
//! a fresh `WasiCtx`. Every call must succeed with its own output in its own
//! pipe, and linear memory must stop growing (counted in pages, not timed).

use crate::support::{Call, Dir, Runner};
use std::path::PathBuf;
use std::sync::OnceLock;

const CALLS: usize = 10_000;

/// A directory for `grep` and `tee`: `a.txt` holds the lines `<0>` to
/// `<49>`; `tee` writes `out.txt` next to it.
fn fixture() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("wasi-guest-load-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let lines: String = (0..50).map(|k| format!("<{k}>\n")).collect();
        std::fs::write(dir.join("a.txt"), lines).unwrap();
        dir
    })
    .clone()
}

fn with_dir(call: Call, read_only: bool) -> Call {
    Call {
        dirs: vec![Dir {
            host: fixture(),
            guest: ".".into(),
            read_only,
        }],
        ..call
    }
}

/// What call `i` of `name` gets, and what it must print (`stamp`: how its
/// output starts; the rest differs every call).
fn call(name: &str, i: usize) -> (Call, String) {
    match name {
        "hello" => (Call::args(&["hello"]), "hello\n".into()),
        "counter" => (
            Call::args(&["counter"]),
            format!(
                "note 1: started\nnote 2: counted\ninstance runs: {}\n",
                i + 1
            ),
        ),
        "echo" => (
            Call {
                env: vec![("N".into(), i.to_string())],
                ..Call::args(&["echo", &format!("call-{i}")])
            },
            format!("args: call-{i}\nenv: N={i}\n"),
        ),
        "cat" => {
            let text = format!("input of call {i}\n").repeat(i % 7);
            (
                Call {
                    stdin: text.clone().into_bytes(),
                    ..Call::args(&["cat"])
                },
                text,
            )
        }
        "wc" | "wc-arena" => {
            let lines = i % 13;
            (
                Call {
                    stdin: "a few words here\n".repeat(lines).into_bytes(),
                    ..Call::args(&["wc", "-l"])
                },
                format!("{lines:>8} - (input {})\n", i + 1),
            )
        }
        "faults" => (Call::args(&["faults", "fine"]), "fine\n".into()),
        "grep" => {
            let k = i % 50;
            (
                with_dir(Call::args(&["grep", &format!("<{k}>")]), true),
                format!("a.txt:{}:<{k}>\n", k + 1),
            )
        }
        "tee" => (
            with_dir(
                Call {
                    stdin: format!("call {i}\n").into_bytes(),
                    ..Call::args(&["tee", "out.txt"])
                },
                false,
            ),
            format!("call {i}\n"),
        ),
        "stamp" => (Call::args(&["stamp"]), "time: ".into()),
        other => panic!("no load plan for {other}"),
    }
}

/// Every example whose policy allows reuse, except `guestbook`, which keeps
/// every name it is given by design (its memory grows with its book).
const EXAMPLES: [&str; 10] = [
    "hello", "counter", "echo", "cat", "wc", "wc-arena", "faults", "grep", "tee", "stamp",
];

#[test]
fn ten_thousand_calls_on_one_instance_each_succeed_in_their_own_pipe_with_flat_memory() {
    for name in EXAMPLES {
        let mut r = Runner::example(name);
        let mut pages_after_warmup = 0;
        for i in 0..CALLS {
            let (c, want) = call(name, i);
            let o = r.call(&c);
            assert!(o.ok(), "{name} call {}: {o:?}", i + 1);
            let matches = if name == "stamp" {
                o.stdout.starts_with(&want)
            } else {
                o.stdout == want
            };
            if !matches {
                panic!("{name} call {}: {:?} != {want:?}", i + 1, o.stdout);
            }
            assert!(
                o.stderr.is_empty() && o.table_empty,
                "{name} call {}",
                i + 1
            );
            if i == 99 {
                pages_after_warmup = r.memory_peak() / 65536;
            }
        }
        let pages = r.memory_peak() / 65536;
        assert_eq!(
            pages, pages_after_warmup,
            "{name}: memory grew from {pages_after_warmup} to {pages} pages after call 100"
        );
    }
    std::fs::remove_dir_all(fixture()).unwrap();
}

#[test]
fn ten_thousand_refused_calls_of_a_single_shot_program_never_trap_or_grow() {
    let mut r = Runner::example("once");
    assert!(r.run().ok());
    for i in 2..=CALLS {
        let o = r.run();
        assert_eq!(o.result, Ok(Err(())), "call {i}");
        assert!(o.stdout.is_empty() && o.table_empty, "call {i}");
    }
    assert!(r.memory_peak() <= 2 * 65536, "{} bytes", r.memory_peak());
}
