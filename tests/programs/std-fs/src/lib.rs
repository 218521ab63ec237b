//! Lists `/` with `std::fs`, prints every file's content and the `SECRET`
//! environment variable read with `std::env`, through this crate's stdout.
#![deny(unsafe_code)]
use std::io::Write;
use wasi_guest::{Context, ExitCode, PerInstance, Program};

struct StdFs;

impl PerInstance for StdFs {
    fn init(_: &mut Context) -> Self {
        StdFs
    }
}

impl Program for StdFs {
    fn run(&mut self, _: &mut Context) -> ExitCode {
        let mut out = wasi_guest::stdout();
        let secret = std::env::var("SECRET").unwrap_or_else(|_| "-".into());
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

wasi_guest::export!(StdFs);
