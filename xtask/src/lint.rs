//! `cargo xtask lint`: formatting, clippy and rustdoc, on the host and on
//! `wasm32-wasip2`, all with warnings denied.
//!
//! Examples are wasm-only crates and are checked one by one, so that one
//! example's features (`std`) never leak into another's check.

use std::process::Command;
use xtask::build::{self, P2, cargo};
use xtask::{Result, project_root};

fn step(what: &str, mut cmd: Command) -> Result<()> {
    eprintln!("lint: {what}");
    let status = cmd.current_dir(project_root()).status()?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("lint failed: {what}").into())
    }
}

fn cargo_with(args: &[&str]) -> Command {
    let mut c = cargo();
    c.args(args);
    c
}

/// The feature sets an author can pick for the crate, each linted and
/// documented on its own (`--no-default-features` plus these). Features that
/// have no effect together (`dlmalloc` with `std`, say) still compile.
const FEATURE_SETS: &[&str] = &[
    "dlmalloc,panic-handler",
    "dlmalloc,panic-trap",
    "arena,panic-handler",
    "arena,panic-trap",
    "dlmalloc,panic-handler,wasi",
    "arena,panic-trap,wasi",
    "dlmalloc,panic-handler,http",
    "arena,panic-trap,http",
    "dlmalloc,panic-handler,bindgen",
    "dlmalloc,panic-trap,wasi,http,bindgen",
    "",
    "std",
    "std,wasi",
    "std,http,bindgen",
    "talc,panic-quiet",
    "talc,panic-handler,wasi,http,bindgen",
    "dlmalloc,talc,panic-trap",
    // WASI 0.3 (wasm only: the crate refuses `p3` on other targets).
    "p3",
    "p3,dlmalloc,panic-handler",
    "p3,talc,panic-trap",
    "p3,talc,panic-quiet,http",
    "p3,dlmalloc,talc,panic-handler,panic-trap,panic-quiet,http",
];

/// Every feature but `p3` (refused off wasm) and `arena` (which conflicts
/// with the allocators), for the host rustdoc run.
const HOST_DOC_FEATURES: &str = "wasi-guest/dlmalloc,wasi-guest/talc,wasi-guest/panic-handler,wasi-guest/panic-trap,\
     wasi-guest/panic-quiet,wasi-guest/http,wasi-guest/bindgen,wasi-guest/wasi,wasi-guest/std,\
     cargo-wasi-guest/host";

/// Every component of the workspace under `dir` (a directory of crates):
/// host crates (`kind = "host"`) are linted with the host crates.
fn members(dir: &str) -> Result<Vec<String>> {
    Ok(build::packages_in(dir)?
        .into_iter()
        .filter(|p| p.is_component())
        .map(|p| p.name)
        .collect())
}

pub fn run() -> Result<()> {
    build::ensure_targets(&[P2])?;
    step("rustfmt", cargo_with(&["fmt", "--all", "--", "--check"]))?;
    step(
        "clippy (host: crate, tests, cargo-wasi-guest, xtask with `host`, examples/reuse-host)",
        cargo_with(&[
            "clippy",
            "--all-targets",
            "-p",
            "wasi-guest",
            "-p",
            "xtask",
            "-p",
            "cargo-wasi-guest",
            "-p",
            "reuse-host",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    step(
        "clippy (host: xtask without `host`)",
        cargo_with(&["clippy", "-p", "xtask", "--", "-D", "warnings"]),
    )?;
    step(
        "clippy (host: cargo-wasi-guest without `host`)",
        cargo_with(&[
            "clippy",
            "-p",
            "cargo-wasi-guest",
            "--no-default-features",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    for features in FEATURE_SETS {
        step(
            &format!("clippy (wasm32-wasip2: crate, features '{features}')"),
            cargo_with(&[
                "clippy",
                "--target",
                P2,
                "-p",
                "wasi-guest",
                "--lib",
                "--no-default-features",
                "--features",
                features,
                "--",
                "-D",
                "warnings",
            ]),
        )?;
        let mut c = cargo_with(&[
            "doc",
            "--no-deps",
            "-p",
            "wasi-guest",
            "--target",
            P2,
            "--no-default-features",
            "--features",
            features,
        ]);
        c.env("RUSTDOCFLAGS", "-D warnings");
        step(
            &format!("rustdoc (wasm32-wasip2, features '{features}')"),
            c,
        )?;
    }
    // Examples and the size and bench crates are wasm-only and built one by
    // one, so that one crate's features (`std`, `arena`) never leak into
    // another's check.
    for dir in ["examples", "xtask/levers", "xtask/bench"] {
        for name in members(dir)? {
            step(
                &format!("clippy (wasm32-wasip2: {dir}/{name})"),
                cargo_with(&[
                    "clippy",
                    "--target",
                    P2,
                    "--release",
                    "-p",
                    &name,
                    "--",
                    "-D",
                    "warnings",
                ]),
            )?;
        }
    }
    let mut c = cargo_with(&[
        "doc",
        "--no-deps",
        "-p",
        "wasi-guest",
        "-p",
        "reuse-host",
        "-p",
        "cargo-wasi-guest",
        "--features",
        HOST_DOC_FEATURES,
    ]);
    c.env("RUSTDOCFLAGS", "-D warnings");
    step(
        "rustdoc (host: crate, cargo-wasi-guest, examples/reuse-host)",
        c,
    )?;
    Ok(())
}
