//! Lists `/` with `std::fs`, prints every file's content and the `SECRET`
//! environment variable read with `std::env`, through this crate's stdout.
//! It states that it is re-runnable (it prints only through this crate).
//!
//! Other modes, for tests/host/std_mode.rs:
//! * `cd DIR`: `std::env::set_current_dir(DIR)`, then as `cwd`;
//! * `cwd`: prints `std::env::current_dir()` and `here.txt` read by a
//!   relative path;
//! * `eprint`: writes `SECRET` with std's `eprintln!` (breaking the
//!   statement on purpose, so that wasi-libc holds this run's stderr);
//! * `panic`: panics with `SECRET` in the message.
#![deny(unsafe_code)]
use std::io::Write;
use wasi_guest::{Context, ExitCode, PerInstance, Policy, Program};

struct StdFs;

impl PerInstance for StdFs {
    // std mode is single-shot unless the program says otherwise: this one
    // prints only through wasi-guest's stdio, never std's own.
    const POLICY: Policy = Policy::Rerunnable;

    fn init(_: &mut Context) -> Self {
        StdFs
    }
}

impl Program for StdFs {
    fn run(&mut self, cx: &mut Context) -> ExitCode {
        let mut out = wasi_guest::stdout();
        let secret = std::env::var("SECRET").unwrap_or_else(|_| "-".into());
        match cx.args().get(1) {
            Some("cd") => {
                let to = cx.args().get(2).unwrap_or("/");
                if let Err(e) = std::env::set_current_dir(to) {
                    let _ = writeln!(out, "cd: {e}");
                    return ExitCode::FAILURE;
                }
                return cwd(&mut out);
            }
            Some("cwd") => return cwd(&mut out),
            Some("eprint") => {
                eprintln!("std's stderr: {secret}");
                return ExitCode::SUCCESS;
            }
            Some("panic") => panic!("the secret is {secret}"),
            _ => {}
        }
        let _ = writeln!(out, "env: {secret}");
        let mut names: Vec<String> = match std::fs::read_dir("/") {
            Ok(entries) => entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect(),
            Err(e) => {
                let _ = writeln!(out, "read_dir: {e}");
                return ExitCode::FAILURE;
            }
        };
        names.sort();
        for name in names {
            let text = std::fs::read_to_string(format!("/{name}")).unwrap_or_default();
            let _ = writeln!(out, "{name}: {}", text.trim_end());
        }
        ExitCode::SUCCESS
    }
}

/// Prints the current directory and `here.txt` read relative to it.
fn cwd(out: &mut wasi_guest::Stdout) -> ExitCode {
    let dir = std::env::current_dir().map(|d| d.display().to_string());
    let here = std::fs::read_to_string("here.txt");
    let _ = writeln!(
        out,
        "cwd: {}\nhere.txt: {}",
        dir.unwrap_or_else(|e| e.to_string()),
        here.map(|t| t.trim_end().to_string()).unwrap_or_else(|e| e.to_string())
    );
    ExitCode::SUCCESS
}

wasi_guest::export!(StdFs);
