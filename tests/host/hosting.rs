//! The host of docs/hosting.md (`examples/reuse-host`) running real
//! components: every rule of the guide, checked on what the host did.

use reuse_host::{Host, Limits, Outcome, Preopen, Retired, Reuse, Run};
use std::time::Duration;

fn host(wasm: &std::path::Path, limits: Limits) -> Host {
    Host::new(&std::fs::read(wasm).unwrap(), limits).unwrap()
}

fn args(args: &[&str]) -> Run {
    Run {
        args: args.iter().map(|s| s.to_string()).collect(),
        ..Run::default()
    }
}

#[test]
fn the_policy_is_read_from_the_export_list_of_stripped_and_unrecorded_components() {
    assert_eq!(
        reuse_host::RERUNNABLE_EXPORT,
        wasi_guest::Policy::Rerunnable.export_name()
    );
    assert_eq!(
        reuse_host::SINGLE_SHOT_EXPORT,
        wasi_guest::Policy::SingleShot.export_name()
    );
    let hello = crate::support::builds("hello");
    let once = crate::support::builds("once");
    assert_eq!(
        host(&hello.sdk, Limits::default()).reuse(),
        Reuse::Rerunnable
    );
    assert_eq!(
        host(&hello.sdk_raw, Limits::default()).reuse(),
        Reuse::Rerunnable
    );
    assert_eq!(
        host(&once.sdk, Limits::default()).reuse(),
        Reuse::SingleShot
    );
    let std_twin = hello.std_p2.unwrap();
    assert_eq!(
        host(&std_twin, Limits::default()).reuse(),
        Reuse::Unrecorded
    );
    let adapted = hello.std_p1_adapter.unwrap();
    assert_eq!(host(&adapted, Limits::default()).reuse(), Reuse::Unrecorded);
}

#[test]
fn a_rerunnable_component_serves_every_run_on_one_instance_with_only_that_runs_context() {
    let mut h = host(&crate::support::sdk("echo"), Limits::default());
    for i in 0..50 {
        let report = h
            .run(&Run {
                args: vec!["echo".into(), format!("arg-{i}")],
                env: vec![(format!("SECRET_{i}"), format!("value-{i}"))],
                ..Run::default()
            })
            .unwrap();
        assert_eq!(report.outcome, Outcome::Success);
        let out = String::from_utf8(report.stdout).unwrap();
        assert!(out.contains(&format!("arg-{i}")), "run {i}: {out}");
        assert!(
            out.contains(&format!("SECRET_{i}=value-{i}")),
            "run {i}: {out}"
        );
        for j in (0..50).filter(|&j| j != i) {
            assert!(
                !out.contains(&format!("arg-{j}\n")),
                "run {i} sees run {j}: {out}"
            );
            assert!(
                !out.contains(&format!("value-{j}\n")),
                "run {i} sees run {j}: {out}"
            );
        }
        assert_eq!(report.instance, 1);
        assert_eq!(report.reused, i > 0);
        assert_eq!(report.retired, None);
    }
    assert_eq!(h.instances(), 1);
}

#[test]
fn each_run_of_a_reused_instance_sees_only_its_own_directory_and_stdin() {
    let root = std::env::temp_dir().join(format!("wasi-guest-hosting-{}", std::process::id()));
    let mut h = host(&crate::support::sdk("grep"), Limits::default());
    for i in 0..5 {
        let dir = root.join(format!("run-{i}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("notes.txt"), format!("needle secret-{i}\n")).unwrap();
        let report = h
            .run(&Run {
                args: vec!["grep".into(), "needle".into()],
                dirs: vec![Preopen {
                    host: dir,
                    guest: ".".into(),
                    read_only: true,
                }],
                ..Run::default()
            })
            .unwrap();
        let out = String::from_utf8(report.stdout).unwrap();
        assert_eq!(report.outcome, Outcome::Success, "run {i}: {out}");
        assert_eq!(out, format!("notes.txt:1:needle secret-{i}\n"));
        assert_eq!(report.instance, 1);
    }
    let mut wc = host(&crate::support::sdk("wc"), Limits::default());
    for (i, input) in ["one\n", "one two\nthree\n"].iter().enumerate() {
        let report = wc
            .run(&Run {
                stdin: input.as_bytes().to_vec(),
                ..args(&["wc"])
            })
            .unwrap();
        let lines = input.lines().count().to_string();
        let out = String::from_utf8(report.stdout).unwrap();
        assert!(
            out.split_whitespace().next() == Some(lines.as_str()),
            "run {i}: {out}"
        );
        assert_eq!(report.instance, 1);
    }
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn single_shot_and_unrecorded_components_get_a_new_instance_for_every_run() {
    let once = crate::support::builds("once");
    let hello = crate::support::builds("hello");
    for (wasm, why) in [
        (once.sdk, "single-shot"),
        (hello.std_p2.unwrap(), "std command"),
        (hello.std_p1_adapter.unwrap(), "adapter command"),
    ] {
        let mut h = host(&wasm, Limits::default());
        for i in 1..=3 {
            let report = h.run(&args(&["x"])).unwrap();
            assert_eq!(report.outcome, Outcome::Success, "{why}, run {i}");
            assert!(!report.stdout.is_empty(), "{why}, run {i}");
            assert_eq!(report.instance, i, "{why}");
            assert!(!report.reused, "{why}");
            assert_eq!(report.retired, Some(Retired::NotRerunnable), "{why}");
        }
        assert_eq!(h.instances(), 3, "{why}");
    }
}

#[test]
fn a_run_out_of_fuel_traps_and_the_next_run_gets_a_new_instance() {
    let limits = Limits {
        fuel: Some(50_000_000),
        ..Limits::default()
    };
    let mut h = host(&crate::support::sdk("faults"), limits);
    let fine = h.run(&args(&["faults", "fine"])).unwrap();
    assert_eq!(fine.outcome, Outcome::Success);
    let spin = h.run(&args(&["faults", "spin"])).unwrap();
    assert_eq!(spin.outcome, Outcome::OutOfFuel);
    assert_eq!(spin.stdout, b"spinning\n");
    assert_eq!((spin.instance, spin.reused), (1, true));
    assert_eq!(spin.retired, Some(Retired::Trapped));
    // Fuel is refilled for every run, and the trapped instance is gone.
    let after = h.run(&args(&["faults", "fine"])).unwrap();
    assert_eq!(after.outcome, Outcome::Success);
    assert_eq!(after.stdout, b"fine\n");
    assert_eq!((after.instance, after.reused), (2, false));
}

#[test]
fn a_run_past_its_deadline_is_interrupted_and_the_next_run_gets_a_new_instance() {
    let limits = Limits {
        deadline: Some(Duration::from_millis(50)),
        ..Limits::default()
    };
    let mut h = host(&crate::support::sdk("faults"), limits);
    let spin = h.run(&args(&["faults", "spin"])).unwrap();
    assert_eq!(spin.outcome, Outcome::DeadlineExceeded);
    assert_eq!(spin.retired, Some(Retired::Trapped));
    // A new deadline for every run.
    for instance in [2, 2] {
        let fine = h.run(&args(&["faults", "fine"])).unwrap();
        assert_eq!(fine.outcome, Outcome::Success);
        assert_eq!(fine.instance, instance);
    }
}

#[test]
fn a_component_that_keeps_a_handle_past_its_run_is_not_reused() {
    let mut h = host(&crate::support::program("keeps-handle"), Limits::default());
    assert_eq!(h.reuse(), Reuse::Rerunnable);
    for instance in 1..=3 {
        let report = h.run(&args(&["keeps-handle"])).unwrap();
        assert_eq!(report.outcome, Outcome::Success);
        // Every run's line in that run's own pipe: the instance whose
        // stream points at an earlier run's pipe was never called again.
        assert_eq!(report.stdout, b"run 1\n");
        assert_eq!(report.instance, instance);
        assert_eq!(report.retired, Some(Retired::HandlesLeft(1)));
    }
}

#[test]
fn an_instance_is_retired_after_its_run_limit() {
    let limits = Limits {
        max_runs_per_instance: 3,
        ..Limits::default()
    };
    let mut h = host(&crate::support::sdk("hello"), limits);
    let instances: Vec<(u64, Option<Retired>)> = (0..7)
        .map(|_| {
            let r = h.run(&args(&["hello"])).unwrap();
            assert_eq!(r.stdout, b"hello\n");
            (r.instance, r.retired)
        })
        .collect();
    let limit = Some(Retired::RunLimit);
    assert_eq!(
        instances,
        [
            (1, None),
            (1, None),
            (1, limit),
            (2, None),
            (2, None),
            (2, limit),
            (3, None)
        ]
    );
}

#[test]
fn a_run_that_outgrows_the_memory_limit_traps_and_the_next_run_gets_a_new_instance() {
    let limits = Limits {
        memory: Some(4 << 20),
        ..Limits::default()
    };
    let mut h = host(&crate::support::sdk("faults"), limits);
    let oom = h.run(&args(&["faults", "oom"])).unwrap();
    let stderr = String::from_utf8_lossy(&oom.stderr).into_owned();
    assert!(
        matches!(&oom.outcome, Outcome::Trap(t) if t.contains("unreachable")),
        "{:?}",
        oom.outcome
    );
    assert!(
        stderr.contains("memory allocation of 536870912 bytes failed"),
        "{stderr}"
    );
    assert_eq!(oom.retired, Some(Retired::Trapped));
    let fine = h.run(&args(&["faults", "fine"])).unwrap();
    assert_eq!(fine.outcome, Outcome::Success);
    assert_eq!(fine.stdout, b"fine\n");
    assert_eq!((fine.instance, fine.reused), (2, false));
}

#[test]
fn the_reuse_host_command_runs_a_component_three_times_on_one_instance() {
    let hello = crate::support::sdk("hello");
    let out = std::process::Command::new(env!("CARGO"))
        .args(["run", "--quiet", "-p", "reuse-host", "--"])
        .arg(&hello)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "hello\nhello\nhello\n"
    );
    assert!(stderr.contains("policy Rerunnable"), "{stderr}");
    assert!(
        stderr.contains("run 3: Success on instance 1 (reused); kept"),
        "{stderr}"
    );
}
