//! Nothing of a call survives it: a host that owns the instance's linear
//! memory gives each call unique secrets (in its arguments, environment and
//! stdin) and, after every call, scans all of memory for every secret given
//! so far. One instance per program, a fresh `WasiCtx` per call.

use crate::support::{Call, Dir, Runner, count};
use std::path::{Path, PathBuf};
use xtask::build::{self, Flags, P2, build_outside};

/// The secrets of call `run`: one each for arguments, environment, stdin.
fn secrets(run: usize) -> [String; 3] {
    ["ArgSecret", "EnvSecret", "StdinSecret"].map(|kind| format!("{kind}-{run}-q7Zx"))
}

/// What call `run` of `program` gets: its secrets wherever the program reads
/// something, plus whatever the program needs to run normally.
fn call(program: &str, run: usize) -> Call {
    let [arg, env, stdin] = secrets(run);
    let text = if program == "pretty" {
        // pretty reads JSON: the secret as a string in it.
        format!("{{\"lines\": [\"first\", \"{stdin} in the middle\", \"last\"]}}")
    } else {
        format!("first line\n{stdin} in the middle\nlast line\n").repeat(50)
    };
    let mut args = vec![program.to_string()];
    let mut dirs = Vec::new();
    match program {
        "wc" | "wc-arena" => args.push("-l".into()),
        "guestbook" => {
            args.push(format!("guest{run}"));
            args.push(arg);
        }
        // The secret also sits in a file the program reads (grep) or
        // writes (tee, and kv: the argument secret as a value), in a
        // directory of the call's own.
        "grep" | "tee" | "kv" => {
            let dir = std::env::temp_dir().join(format!(
                "wasi-guest-residue-{}-{program}-{run}",
                std::process::id()
            ));
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("data.txt"), &text).unwrap();
            match program {
                "grep" => args.push("middle".into()),
                "tee" => args.push("out.txt".into()),
                _ => args.extend(["set".into(), "key".into(), arg]),
            }
            dirs.push(Dir {
                host: dir,
                guest: "/".into(),
                read_only: false,
            });
        }
        _ => args.push(arg),
    }
    Call {
        dirs,
        args,
        env: vec![
            ("SECRET".into(), env.clone()),
            ("WC_LABEL".into(), env.clone()),
            ("CAT_BANNER".into(), env),
        ],
        stdin: text.into_bytes(),
        ..Call::default()
    }
}

/// Runs `program` (the component at `path`) `runs` times on one scanned
/// instance; returns, per call, how many copies of earlier calls' secrets
/// and of the call's own were left in linear memory after it.
fn residue(program: &str, path: &Path, runs: usize) -> Vec<(usize, usize)> {
    let mut r = Runner::scanned(path);
    let mut found = Vec::new();
    for run in 1..=runs {
        let o = r.call(&call(program, run));
        if program != "once" || run == 1 {
            assert!(o.ok(), "{program} call {run}: {o:?}");
        }
        let memory = r.memory();
        let copies = |calls: std::ops::RangeInclusive<usize>| -> usize {
            calls
                .flat_map(secrets)
                .map(|s| count(&memory, s.as_bytes()))
                .sum()
        };
        found.push((copies(1..=run - 1), copies(run..=run)));
    }
    found
}

/// Examples that keep input in a stack buffer of their own (`tee` copies
/// stdin through an 8 KiB array): its last call's input stays there until
/// the next call starts, which clears the stack first.
const STACK_BUFFERS: [&str; 1] = ["tee"];

/// The WASI 0.2 examples written without std that export `wasi:cli/run` (the HTTP
/// and plugin examples have their own scans in tests/host/http.rs and
/// tests/host/plugin.rs).
fn no_std_examples() -> Vec<String> {
    build::examples()
        .unwrap()
        .into_iter()
        .filter(|e| {
            let manifest = build::project_manifest(&e.name).unwrap();
            let bytes = std::fs::read(crate::support::sdk(&e.name)).unwrap();
            // WASI 0.3 examples have their own scan (tests/p3.rs).
            let facts = cargo_wasi_guest::wasm::facts(&bytes).unwrap();
            !manifest.contains("\"std\"")
                && facts.exports_run()
                && !facts.component_exports.iter().any(|e| e.contains("@0.3"))
        })
        .map(|e| e.name)
        .collect()
}

#[test]
fn no_secret_of_a_call_is_left_in_memory_by_any_no_std_example() {
    let examples = no_std_examples();
    assert!(examples.len() >= 8, "{examples:?}");
    for name in examples {
        let found = residue(&name, &crate::support::sdk(&name), 3);
        let earlier: Vec<usize> = found.iter().map(|f| f.0).collect();
        assert_eq!(
            earlier,
            [0, 0, 0],
            "{name}: earlier calls' secrets after calls 1, 2, 3"
        );
        if !STACK_BUFFERS.contains(&name.as_str()) {
            let own: Vec<usize> = found.iter().map(|f| f.1).collect();
            assert_eq!(own, [0, 0, 0], "{name}: a call's own secrets after it");
        }
    }
}

#[test]
fn an_authors_program_that_reads_stdin_into_a_vec_formats_it_and_drops_it_leaves_no_copy() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/programs/stdin-secret");
    let (_, built) = build_outside(&src, None).unwrap();
    let wasm = built.unwrap_or_else(|e| panic!("{e}"));
    let mut r = Runner::scanned(&wasm);
    for run in 1..=3 {
        let input = call("stdin-secret", run).stdin;
        let o = r.call(&Call {
            stdin: input.clone(),
            ..Call::args(&["shout"])
        });
        assert!(o.ok(), "{o:?}");
        // It did see and print its input.
        assert!(
            o.stdout
                .starts_with(&format!("{} bytes, 150 lines:\n", input.len()))
        );
        assert!(
            o.stdout
                .contains(&format!("> {} in the middle", secrets(run)[2]))
        );
        let memory = r.memory();
        for earlier in 1..=run {
            let s = &secrets(earlier)[2];
            assert_eq!(count(&memory, s.as_bytes()), 0, "{s} after call {run}");
        }
    }
}

/// The scan is not vacuous: with clearing compiled out, the same calls leave
/// the secrets behind.
#[test]
fn the_scan_finds_the_secrets_when_clearing_is_compiled_out() {
    for name in ["echo", "wc"] {
        let raw: PathBuf = build::cargo_build(name, P2, Flags::NoScrub).unwrap();
        let found = residue(name, &raw, 2);
        assert!(
            found.iter().all(|(earlier, own)| earlier + own > 0),
            "{name} without clearing: copies after calls 1, 2: {found:?}"
        );
    }
}

/// std mode (`cat`, built with feature `std`, copying stdin to stdout with
/// `std::io::copy`, whose 8 KiB buffer is on the stack): what this crate
/// fetched is cleared when the call ends; what std left on the stack is
/// cleared when the next call starts, so after every call no secret of an
/// earlier call is left, and the call's own stdin only in that stack buffer.
#[test]
fn std_mode_leaves_no_secret_of_an_earlier_call_std_buffers_on_the_stack_included() {
    let mut r = Runner::scanned(&crate::support::sdk("cat"));
    for run in 1..=3 {
        let o = r.call(&call("cat", run));
        assert!(o.ok(), "{o:?}");
        let memory = r.memory();
        for earlier in 1..=run {
            let [arg, env, stdin] = secrets(earlier);
            assert_eq!(count(&memory, arg.as_bytes()), 0, "{arg} after call {run}");
            assert_eq!(count(&memory, env.as_bytes()), 0, "{env} after call {run}");
            if earlier < run {
                assert_eq!(
                    count(&memory, stdin.as_bytes()),
                    0,
                    "{stdin} after call {run}"
                );
            }
        }
    }
}
