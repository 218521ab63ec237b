//! `cargo xtask check-reuse` gives the right verdict on the examples, their
//! std twins and a std `cdylib` that exports `run` through the `wasi` crate.

use cargo_wasi_guest::reuse::{Verdict, check};
use std::path::Path;

fn verdict_of(path: &Path) -> cargo_wasi_guest::reuse::Report {
    check(path, &[]).unwrap_or_else(|e| panic!("checking {}: {e}", path.display()))
}

#[test]
fn sdk_examples_are_re_runnable_or_single_shot_as_their_policy_record_says() {
    for (name, want) in [
        ("hello", Verdict::Rerunnable),
        ("counter", Verdict::Rerunnable),
        ("echo", Verdict::Rerunnable),
        ("cat", Verdict::Rerunnable),
        ("wc", Verdict::Rerunnable),
        ("wc-arena", Verdict::Rerunnable),
        ("once", Verdict::SingleShot),
    ] {
        let report = verdict_of(&crate::support::sdk(name));
        assert_eq!(report.verdict, want, "{name}:\n{report}");
        assert_eq!(report.policy_matches(), Some(true), "{name}:\n{report}");
        assert!(report.leaks.is_empty(), "{name}:\n{report}");
    }
}

#[test]
fn std_fn_main_twins_trap_on_the_second_run() {
    for name in ["hello", "echo", "cat"] {
        let b = crate::support::builds(name);
        for twin in [b.std_p2.unwrap(), b.std_p1_adapter.unwrap()] {
            let report = verdict_of(&twin);
            assert_eq!(
                report.verdict,
                Verdict::Traps { call: 2 },
                "{}:\n{report}",
                twin.display()
            );
            assert_eq!(report.policy, None);
            assert_eq!(
                report.verdict.to_string(),
                "traps on second run (not reusable)"
            );
        }
    }
}

#[test]
fn a_std_cdylib_exporting_run_through_the_wasi_crate_is_flagged_for_leaking() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/programs/leaky-std");
    let (_, built) = xtask::build::build_outside(&src, None).unwrap();
    let wasm = built.unwrap_or_else(|e| panic!("{e}"));
    let report = verdict_of(&wasm);
    assert_eq!(report.verdict, Verdict::Leaks, "{report}");
    assert_eq!(
        report.verdict.to_string(),
        "not reusable: leaks state between runs"
    );
    let all = report.leaks.join("\n");
    // What std caches from its first run, each seen by the check.
    assert!(
        all.contains("run 2 wrote into run 1's output pipes"),
        "{all}"
    );
    assert!(
        all.contains("run 2's output shows run 1's environment"),
        "{all}"
    );
    assert!(all.contains("run 2's output shows run 1's file"), "{all}");
}

#[test]
fn wasi_0_3_examples_are_re_runnable_in_series_and_when_calls_start_at_once() {
    for name in ["hello-p3", "echo-p3", "cat-p3"] {
        let report = verdict_of(&crate::support::sdk(name));
        assert_eq!(report.verdict, Verdict::Rerunnable, "{name}:\n{report}");
        assert_eq!(report.policy_matches(), Some(true), "{name}:\n{report}");
        assert_eq!(report.concurrent, Some(false), "{name}:\n{report}");
        let overlapping = report
            .calls
            .iter()
            .filter(|c| c.contains("started at once") && c.contains(": ok,"))
            .count();
        assert_eq!(
            overlapping,
            cargo_wasi_guest::reuse::OVERLAPPING,
            "{name}:\n{report}"
        );
        assert!(report.leaks.is_empty(), "{name}:\n{report}");
    }
}

#[test]
fn a_wasi_0_3_program_that_keeps_the_first_calls_argument_is_flagged_for_leaking() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/programs/leaky-p3");
    let (_, built) = xtask::build::build_outside(&src, None).unwrap();
    let wasm = built.unwrap_or_else(|e| panic!("{e}"));
    let report = verdict_of(&wasm);
    assert_eq!(report.verdict, Verdict::Leaks, "{report}");
    let all = report.leaks.join("\n");
    assert!(
        all.contains("run 2's output shows run 1's argument"),
        "{all}"
    );
    assert!(
        all.contains("linear memory holds") && all.contains("run 1's argument"),
        "{all}"
    );
}

/// The program that slips past a 4-call check of secrets as sent: kept
/// backwards, and run 1's stdout written to only from run 5 on.
#[test]
fn a_program_that_keeps_secrets_backwards_and_writes_to_an_old_pipe_late_is_flagged() {
    let wasm = crate::support::program("dodger");
    let report = verdict_of(&wasm);
    assert_eq!(report.verdict, Verdict::Leaks, "{report}");
    assert_eq!(
        report.calls.len(),
        cargo_wasi_guest::reuse::CALLS,
        "{report}"
    );
    let all = report.leaks.join("\n");
    for expected in [
        "run 2's output shows run 1's argument (reversed)",
        "run 2's output shows run 1's stdin (reversed)",
        "run 5 wrote into run 1's output pipes",
        "linear memory holds 1 copies of run 1's argument (reversed)",
        "after run 1, the host's resource table still holds handles",
    ] {
        assert!(all.contains(expected), "missing {expected:?} in:\n{all}");
    }
    // Four calls, as the check made before, see neither the late write nor
    // anything after it.
    let short = cargo_wasi_guest::reuse::check_with(&wasm, &[], 4).unwrap();
    assert!(!short.leaks.join("\n").contains("wrote into"), "{short}");
}

#[test]
fn a_single_shot_program_whose_one_run_fails_is_still_single_shot() {
    let report = verdict_of(&crate::support::program("once-fails"));
    assert_eq!(report.verdict, Verdict::SingleShot, "{report}");
    assert_eq!(report.policy_matches(), Some(true), "{report}");
}

#[test]
fn a_program_that_keeps_a_handle_on_purpose_is_not_called_safe_to_reuse() {
    let report = verdict_of(&crate::support::program("keeps-handle"));
    assert_eq!(report.verdict, Verdict::Leaks, "{report}");
    let all = report.leaks.join("\n");
    assert!(
        all.contains("after run 1, the host's resource table still holds handles"),
        "{all}"
    );
    assert!(
        all.contains("run 2 wrote into run 1's output pipes"),
        "{all}"
    );
}

/// The verb itself, as CI and a host operator run it: exit status 0 for a
/// reusable component, 1 (and the verdict) for the leaking one.
#[test]
fn the_check_reuse_verb_exits_zero_for_hello_and_one_for_the_leaking_cdylib() {
    let run = |path: &Path| {
        let out = std::process::Command::new(env!("CARGO"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["xtask", "check-reuse"])
            .arg(path)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (code, out) = run(&crate::support::sdk("hello"));
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("verdict: re-runnable\npolicy record: rerunnable (matches)"),
        "{out}"
    );
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/programs/leaky-std");
    let wasm = xtask::build::build_outside(&src, None).unwrap().1.unwrap();
    let (code, out) = run(&wasm);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("verdict: not reusable: leaks state between runs"),
        "{out}"
    );
}
