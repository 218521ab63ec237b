//! The lifecycle guard, proven on real components in Wasmtime: one instance
//! per example, many calls, a fresh WasiCtx for every call.

use crate::support::{Call, Runner};

#[test]
fn hello_runs_five_times_on_one_instance_and_releases_every_handle() {
    let mut r = Runner::example("hello");
    for i in 1..=5 {
        let o = r.run();
        assert!(o.ok(), "call {i}: {o:?}");
        assert_eq!(o.stdout, "hello\n", "call {i}");
        assert_eq!(o.stderr, "", "call {i}");
        assert!(o.table_empty, "call {i} left a WASI handle open");
    }
}

#[test]
fn counter_keeps_per_instance_state_and_resets_per_run_state() {
    let mut r = Runner::example("counter");
    for i in 1..=6 {
        let o = r.run();
        assert!(o.ok(), "call {i}: {o:?}");
        assert_eq!(
            o.stdout,
            format!("note 1: started\nnote 2: counted\ninstance runs: {i}\n"),
            "call {i}"
        );
        assert!(o.table_empty, "call {i} left a WASI handle open");
    }
}

#[test]
fn single_shot_refuses_later_calls_with_an_error_and_a_line_not_a_trap() {
    let mut r = Runner::example("once");
    let first = r.run();
    assert!(first.ok(), "{first:?}");
    assert_eq!(first.stdout, "ran once\n");
    for i in 2..=4 {
        let o = r.run();
        assert_eq!(
            o.result,
            Ok(Err(())),
            "call {i} must be run's error result, not a trap"
        );
        assert_eq!(o.stdout, "", "call {i} must not reach the program");
        assert_eq!(
            o.stderr,
            "wasi-guest: run refused: this component is single-shot and already ran; instantiate it again\n",
            "call {i}"
        );
        assert!(o.table_empty, "call {i} left a WASI handle open");
    }
}

#[test]
fn every_call_sees_only_its_own_arguments_environment_and_pipes() {
    let mut r = Runner::example("echo");
    let calls = [
        Call {
            args: vec!["echo".into(), "one".into()],
            env: vec![("SECRET".into(), "s3cr3t".into()), ("A".into(), "1".into())],
            ..Call::default()
        },
        Call {
            args: vec!["echo".into(), "two".into(), "three".into()],
            env: vec![("B".into(), "2".into())],
            ..Call::default()
        },
        Call::args(&["echo"]),
        Call {
            args: vec!["echo".into(), "four".into()],
            env: vec![("SECRET".into(), "other".into())],
            ..Call::default()
        },
        Call::args(&["echo", "five"]),
    ];
    let expected = [
        "args: one\nenv: SECRET=s3cr3t\nenv: A=1\n",
        "args: two three\nenv: B=2\n",
        "args:\n",
        "args: four\nenv: SECRET=other\n",
        "args: five\n",
    ];
    let outcomes: Vec<_> = calls.iter().map(|c| r.call(c)).collect();
    for (i, (o, want)) in outcomes.iter().zip(expected).enumerate() {
        assert!(o.ok(), "call {}: {o:?}", i + 1);
        assert_eq!(o.stdout, want, "call {}", i + 1);
    }
    // Read every pipe again after all calls: nothing from a later call landed
    // in an earlier call's pipe.
    for (i, (o, want)) in outcomes.iter().zip(expected).enumerate() {
        assert_eq!(
            &o.stdout_pipe.contents()[..],
            want.as_bytes(),
            "pipe of call {}",
            i + 1
        );
        assert!(o.stderr_pipe.contents().is_empty());
    }
}

#[test]
fn every_call_reads_its_own_stdin_and_environment_with_the_std_feature() {
    let mut r = Runner::example("cat");
    for (i, input) in ["first input\n", "", "second\nwith two lines\n", "x"]
        .iter()
        .enumerate()
    {
        // Odd calls get a banner in their environment, even calls do not.
        let banner = (i % 2 == 0).then(|| format!("banner {i}"));
        let o = r.call(&Call {
            stdin: input.as_bytes().to_vec(),
            env: banner
                .iter()
                .map(|b| ("CAT_BANNER".to_string(), b.clone()))
                .collect(),
            ..Call::args(&["cat"])
        });
        assert!(o.ok(), "call {}: {o:?}", i + 1);
        let want = match &banner {
            Some(b) => format!("{b}\n{input}"),
            None => input.to_string(),
        };
        assert_eq!(o.stdout, want, "call {}", i + 1);
    }
}

#[test]
fn stdin_larger_than_the_read_chunk_arrives_whole() {
    let input: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    let mut r = Runner::example("cat");
    for _ in 0..2 {
        let o = r.call(&Call {
            stdin: input.clone(),
            ..Call::args(&["cat"])
        });
        assert!(o.ok(), "{:?}", o.result);
        assert_eq!(&o.stdout_pipe.contents()[..], &input[..]);
    }
}

#[test]
fn failure_exit_code_maps_to_the_error_result_and_the_next_run_is_clean() {
    let mut r = Runner::example("echo");
    let fail = r.call(&Call {
        env: vec![("ECHO_FAIL".into(), "1".into())],
        ..Call::args(&["echo", "x"])
    });
    assert_eq!(fail.result, Ok(Err(())));
    assert_eq!(fail.stdout, "args: x\nenv: ECHO_FAIL=1\n");
    let ok = r.call(&Call::args(&["echo", "y"]));
    assert!(ok.ok(), "{ok:?}");
    assert_eq!(ok.stdout, "args: y\n");
}

#[test]
fn a_closed_stdout_gives_the_error_result_then_the_next_run_works() {
    let mut r = Runner::example("hello");
    let closed = r.call(&Call {
        closed_stdout: true,
        ..Call::args(&["hello"])
    });
    assert_eq!(closed.result, Ok(Err(())), "{closed:?}");
    assert_eq!(closed.stderr, "");
    assert!(closed.table_empty);
    let next = r.run();
    assert!(next.ok(), "{next:?}");
    assert_eq!(next.stdout, "hello\n");
}

#[test]
fn a_huge_argument_list_is_received_whole_and_released_after_the_run() {
    let mut args = vec!["echo".to_string()];
    args.extend((0..20_000).map(|i| format!("argument-number-{i:05}")));
    let mut r = Runner::example("echo");
    for _ in 0..3 {
        let o = r.call(&Call {
            args: args.clone(),
            ..Call::default()
        });
        assert!(o.ok(), "{:?}", o.result);
        let expected = format!("args: {}\n", args[1..].join(" "));
        assert_eq!(o.stdout.len(), expected.len());
        assert!(o.stdout == expected);
    }
    // The import arena is reused, not grown, from one run to the next.
    let small = r.call(&Call::args(&["echo", "small"]));
    assert_eq!(small.stdout, "args: small\n");
}

#[test]
fn std_fn_main_traps_on_the_second_call_the_problem_this_crate_solves() {
    let b = crate::support::builds("hello");
    let mut r = Runner::new(b.std_p2.as_ref().expect("hello has a std twin"));
    let first = r.run();
    assert!(first.ok(), "{first:?}");
    assert_eq!(first.stdout, "hello\n");
    let second = r.run();
    let trap = second
        .result
        .expect_err("std fn main must trap on the second run");
    assert!(trap.contains("unreachable"), "{trap}");
}

#[test]
fn wc_counts_each_runs_own_input_and_its_memory_stops_growing() {
    for name in ["wc", "wc-arena"] {
        let mut r = Runner::example(name);
        let input: Vec<u8> = b"lorem ipsum dolor\n".repeat(5000);
        let mut peaks = Vec::new();
        for i in 1..=12 {
            let o = r.call(&Call {
                stdin: input.clone(),
                ..Call::args(&["wc", "-l", "-w"])
            });
            assert!(o.ok(), "{name} call {i}: {o:?}");
            assert_eq!(
                o.stdout,
                format!("    5000   15000 - (input {i})\n"),
                "{name} call {i}"
            );
            peaks.push(r.memory_peak());
        }
        // Whatever the first runs grew, later runs reuse: no growth per run.
        assert_eq!(
            peaks[3], peaks[11],
            "{name}: memory grew run after run: {peaks:?}"
        );
        let bad = r.call(&Call::args(&["wc", "-x"]));
        assert_eq!(bad.result, Ok(Err(())));
        assert_eq!(bad.stderr, "wc: unknown option -x\n");
    }
}

#[test]
fn arena_keeps_per_instance_heap_data_across_runs_and_frees_the_rest() {
    let mut r = Runner::example("guestbook");
    let names = ["ada", "grace", "barbara", "frances", "radia", "margaret"];
    for (i, name) in names.iter().enumerate() {
        let o = r.call(&Call::args(&["guestbook", name]));
        assert!(o.ok(), "{o:?}");
        let mut want = format!("welcome, {name}! you are guest {}\n", i + 1);
        for (j, n) in names[..=i].iter().enumerate() {
            want.push_str(&format!("{}. {n}\n", j + 1));
        }
        assert_eq!(o.stdout, want, "run {}", i + 1);
    }
}

/// `for arg in cx.args()`, `{:?}` of `Args`, `Env`, `Context`, `Dir` and
/// `File`, and `?` from an `IoError` into an `fs::Error` work as an author
/// expects from std; `{:?}` of a context shows none of the run's data.
#[test]
fn args_env_context_dir_and_file_iterate_and_print_with_debug() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/programs/conveniences");
    let wasm = xtask::build::build_outside(&src, None).unwrap().1.unwrap();
    let dir = std::env::temp_dir().join(format!("wasi-guest-conveniences-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a.txt"), "a").unwrap();
    let mut r = Runner::new(&wasm);
    let o = r.call(&Call {
        env: vec![("K".into(), "v".into())],
        dirs: vec![crate::support::Dir {
            host: dir.clone(),
            guest: "/".into(),
            read_only: true,
        }],
        ..Call::args(&["prog", "one", "two"])
    });
    assert!(o.ok(), "{o:?}");
    assert_eq!(
        o.stdout,
        "0=prog 1=one 2=two \n\
         args: [\"prog\", \"one\", \"two\"]\n\
         env: {\"K\": \"v\"}\n\
         K is v\n\
         cx: Context { .. }\n\
         dir: Dir { preopen: true, .. }\n\
         file: File { pos: 0, append: false, .. }\n\
         error: filesystem error: insufficient-memory\n"
    );
    assert!(o.table_empty);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `Stdin::lines` reads a long input line by line without holding it:
/// memory after 8 MB in 300,000 lines is what it was after 0.8 MB; CRLF
/// endings and a last line without `\n` come out like std's `lines`; a line
/// that is not UTF-8 is an error after the lines before it.
#[test]
fn stdin_lines_reads_a_long_input_line_by_line_without_holding_it() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/programs/lines");
    let wasm = xtask::build::build_outside(&src, None).unwrap().1.unwrap();
    let mut r = Runner::new(&wasm);
    let mut peaks = Vec::new();
    for lines in [30_000, 300_000] {
        let mut input = Vec::new();
        for i in 0..lines {
            input.extend_from_slice(format!("line {i:06} {}\n", "x".repeat(i % 40)).as_bytes());
        }
        input.extend_from_slice(b"crlf line\r\nno newline at the end");
        let o = r.call(&Call {
            stdin: input,
            ..Call::args(&["lines"])
        });
        assert!(o.ok(), "{o:?}");
        assert_eq!(
            o.stdout,
            format!(
                "{} lines, longest 51, last \"no newline at the end\"\n",
                lines + 2
            )
        );
        peaks.push(r.memory_peak());
    }
    assert_eq!(peaks[0], peaks[1], "memory grew with the input: {peaks:?}");
    let o = r.call(&Call {
        stdin: b"one\ntwo\n\xff\xfe\nfour\n".to_vec(),
        ..Call::args(&["lines"])
    });
    assert_eq!(o.result, Ok(Err(())), "{o:?}");
    assert_eq!(o.stdout, "error after 2 lines: input is not valid UTF-8\n");
}
