//! What std mode (feature `std`) guarantees on a reused instance, one fresh
//! `WasiCtx` per call: a program that uses std's own stdio and states no
//! policy is single-shot and refuses its second run cleanly (std's stdio
//! keeps the first run's handles); a program that states it is re-runnable
//! gets the current directory back at `/` every run, and a panic's message
//! in the run that panicked, whatever wasi-libc kept.

use crate::support::{Call, Dir, Runner};
use cargo_wasi_guest::reuse::{Verdict, check};
use std::path::{Path, PathBuf};
use wasi_guest::Policy;

fn built(program: &str) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/programs")
        .join(program);
    let (_, built) = xtask::build::build_outside(&src, None).unwrap();
    built.unwrap_or_else(|e| panic!("{program}: {e}"))
}

fn root_with(tag: &str, files: &[(&str, &str)]) -> Vec<Dir> {
    let dir = std::env::temp_dir().join(format!("wasi-guest-std-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    vec![Dir {
        host: dir,
        guest: "/".into(),
        read_only: true,
    }]
}

#[test]
fn a_std_mode_program_that_states_no_policy_is_single_shot_and_refuses_run_two_cleanly() {
    let wasm = built("std-own");
    let bytes = std::fs::read(&wasm).unwrap();
    assert_eq!(Policy::of_component(&bytes), Some(Policy::SingleShot));

    let mut r = Runner::new(&wasm);
    let first = r.call(&Call {
        stdin: b"input of run 1\n".to_vec(),
        ..Call::args(&["std-own", "one"])
    });
    assert!(first.ok(), "{first:?}");
    assert_eq!(first.stdout, "out: one\nin: input of run 1\n");
    assert_eq!(first.stderr, "err: one\n");
    let second = r.call(&Call {
        stdin: b"input of run 2\n".to_vec(),
        ..Call::args(&["std-own", "two"])
    });
    assert_eq!(
        second.result,
        Ok(Err(())),
        "refused, not a trap: {second:?}"
    );
    assert_eq!(second.stdout, "");
    assert_eq!(
        second.stderr,
        "wasi-guest: run refused: this component is single-shot and already ran; instantiate it again\n"
    );
    // Nothing of run 2 reached run 1's pipes.
    assert_eq!(
        String::from_utf8_lossy(&first.stdout_pipe.contents()),
        "out: one\nin: input of run 1\n"
    );
    assert_eq!(
        String::from_utf8_lossy(&first.stderr_pipe.contents()),
        "err: one\n"
    );

    let report = check(&wasm, &[]).unwrap();
    assert_eq!(report.verdict, Verdict::SingleShot, "{report}");
    assert_eq!(report.policy_matches(), Some(true), "{report}");
}

#[test]
fn std_mode_puts_the_current_directory_back_at_root_after_every_run() {
    let mut r = Runner::new(&built("std-fs"));
    let dirs = root_with(
        "cwd",
        &[("here.txt", "at the root"), ("sub/here.txt", "in sub")],
    );
    let moved = r.call(&Call {
        dirs: dirs.clone(),
        ..Call::args(&["std-fs", "cd", "/sub"])
    });
    assert!(moved.ok(), "{moved:?}");
    assert_eq!(moved.stdout, "cwd: /sub\nhere.txt: in sub\n");
    for k in 2..=3 {
        let o = r.call(&Call {
            dirs: dirs.clone(),
            ..Call::args(&["std-fs", "cwd"])
        });
        assert!(o.ok(), "run {k}: {o:?}");
        assert_eq!(o.stdout, "cwd: /\nhere.txt: at the root\n", "run {k}");
        assert!(o.table_empty, "run {k} left a handle open");
    }
}

#[test]
fn a_panic_in_a_later_std_mode_run_is_reported_on_that_runs_stderr() {
    let mut r = Runner::new(&built("std-fs"));
    let first = r.call(&Call {
        env: vec![("SECRET".into(), "secret-of-run-1".into())],
        ..Call::args(&["std-fs", "eprint"])
    });
    assert!(first.ok(), "{first:?}");
    assert_eq!(first.stderr, "std's stderr: secret-of-run-1\n");
    let second = r.call(&Call {
        env: vec![("SECRET".into(), "secret-of-run-2".into())],
        ..Call::args(&["std-fs", "panic"])
    });
    let trap = second.result.clone().expect_err("a panic ends in a trap");
    assert!(trap.contains("unreachable"), "{trap}");
    assert!(
        second.stderr.starts_with("wasi-guest: panicked at ")
            && second.stderr.ends_with("the secret is secret-of-run-2\n"),
        "{:?}",
        second.stderr
    );
    assert_eq!(
        String::from_utf8_lossy(&first.stderr_pipe.contents()),
        "std's stderr: secret-of-run-1\n",
        "run 2's panic message reached run 1's stderr"
    );
}
