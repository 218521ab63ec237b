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

pub fn run() -> Result<()> {
    build::ensure_targets(&[P2])?;
    step("rustfmt", cargo_with(&["fmt", "--all", "--", "--check"]))?;
    step(
        "clippy (host: crate, tests, xtask)",
        cargo_with(&[
            "clippy",
            "--all-targets",
            "-p",
            "wasi-guest",
            "-p",
            "xtask",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    for features in ["", "std"] {
        step(
            &format!("clippy (wasm32-wasip2: crate, features '{features}')"),
            cargo_with(&[
                "clippy",
                "--target",
                P2,
                "-p",
                "wasi-guest",
                "--lib",
                "--features",
                features,
                "--",
                "-D",
                "warnings",
            ]),
        )?;
    }
    let dir = project_root().join("examples");
    let mut names: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    names.sort();
    for name in &names {
        step(
            &format!("clippy (wasm32-wasip2: example {name})"),
            cargo_with(&[
                "clippy",
                "--target",
                P2,
                "--release",
                "-p",
                name,
                "--",
                "-D",
                "warnings",
            ]),
        )?;
    }
    for target in [None, Some(P2)] {
        let mut c = cargo_with(&["doc", "--no-deps", "-p", "wasi-guest"]);
        if let Some(t) = target {
            c.args(["--target", t]);
        }
        c.env("RUSTDOCFLAGS", "-D warnings");
        step(&format!("rustdoc ({})", target.unwrap_or("host")), c)?;
    }
    Ok(())
}
