//! Soundness, as an author meets it: the two programs from the soundness
//! issue, built outside the workspace with plain cargo and run in Wasmtime.

use crate::support::{Call, Runner};
use std::path::Path;
use xtask::build::build_outside;

fn program(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/programs")
        .join(name)
}

#[test]
fn arena_refuses_at_compile_time_a_program_that_keeps_run_memory_without_the_unsafe_promise() {
    let (_, built) = build_outside(&program("arena-names"), None).unwrap();
    let err = built.expect_err("a program keeping run allocations must not compile with `arena`");
    assert!(
        err.contains("with the `arena` allocator, `Names` must promise to follow its rules"),
        "{err}"
    );
    assert!(
        err.contains("unsafe impl wasi_guest::ArenaSafe for Names {}"),
        "{err}"
    );
}

#[test]
fn the_same_program_with_dlmalloc_prints_every_stored_name_intact_on_every_run() {
    let (_, built) = build_outside(
        &program("arena-names"),
        Some("default-features = false, features = [\"dlmalloc\", \"panic-handler\"]"),
    )
    .unwrap();
    let wasm = built.unwrap_or_else(|e| panic!("{e}"));
    let mut r = Runner::new(&wasm);
    let names = [
        "ada",
        "grace",
        "barbara-liskov",
        "frances",
        "radia",
        "margaret",
    ];
    for (i, name) in names.iter().enumerate() {
        let o = r.call(&Call::args(&["names", name]));
        assert!(o.ok(), "run {}: {o:?}", i + 1);
        let want: String = names[..=i].iter().map(|n| format!("{n}\n")).collect();
        assert_eq!(o.stdout, want, "run {}", i + 1);
    }
}

#[test]
fn lists_from_raw_wasi_calls_can_be_dropped_grown_and_kept_in_any_order() {
    let (_, built) = build_outside(&program("raw-lists"), None).unwrap();
    let wasm = built.unwrap_or_else(|e| panic!("{e}"));
    let mut r = Runner::new(&wasm);
    let mut kept = Vec::new();
    for i in 0..40 {
        let order = if i % 2 == 0 { "sdk-first" } else { "raw-first" };
        // Environments of very different sizes, so that lists land in fresh
        // and in reused memory.
        let mut env: Vec<(String, String)> = (0..(i * 37) % 300)
            .map(|j| (format!("VAR_{j}"), "v".repeat(j % 50)))
            .collect();
        env.push(("ORDER".into(), order.into()));
        if i % 3 == 0 {
            env.push(("KEEP".into(), format!("kept-{i}")));
            kept.push(format!("kept-{i}+grown"));
        }
        let args: Vec<String> = (0..=i % 5).map(|a| format!("arg{a}")).collect();
        let o = r.call(&Call {
            args: args.clone(),
            env,
            ..Call::default()
        });
        assert!(o.ok(), "run {}: {o:?}", i + 1);
        assert_eq!(
            o.stdout,
            format!("args={} kept={}\n", args.len(), kept.join(",")),
            "run {}",
            i + 1
        );
        assert!(o.table_empty, "run {} left a handle open", i + 1);
    }
}

/// Replacing per-instance data inside `persistent` every run, as the arena's
/// rules say to, reuses the old value's block: memory is flat from run 100
/// to run 10,000 (it grew by a block per run before freed instance blocks
/// were reused), and every run sees the value the run before it kept.
#[test]
fn arena_memory_stays_flat_over_10000_runs_that_replace_a_per_instance_string() {
    let (_, built) = build_outside(&program("arena-replace"), None).unwrap();
    let wasm = built.unwrap_or_else(|e| panic!("{e}"));
    let mut r = Runner::new(&wasm);
    let mut at_100 = 0;
    for k in 1..=10_000 {
        let arg = format!("run-{k}");
        let o = r.call(&Call::args(&["keeper", &arg]));
        assert!(o.ok(), "run {k}: {o:?}");
        let before = if k == 1 {
            "none".to_string()
        } else {
            format!("run-{}", k - 1)
        };
        assert_eq!(o.stdout, format!("before: {before}\n"), "run {k}");
        if k == 100 {
            at_100 = r.memory_peak();
        }
    }
    assert_eq!(
        r.memory_peak(),
        at_100,
        "memory grew between run 100 and run 10,000"
    );
}
