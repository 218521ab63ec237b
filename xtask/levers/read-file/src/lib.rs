//! `read-file NAME`: the length and first line of one file.
#![no_std]
#![deny(unsafe_code)]
use wasi_guest::{Context, ExitCode, PerInstance, Program, eprintln, println};

struct ReadFile;

impl PerInstance for ReadFile {
    fn init(_: &mut Context) -> Self {
        ReadFile
    }
}

impl Program for ReadFile {
    fn run(&mut self, cx: &mut Context) -> ExitCode {
        let (Some(name), Some((_, dir))) = (cx.args().get(1), cx.preopens().next()) else {
            eprintln!("usage: read-file NAME (with a preopened directory)");
            return ExitCode::FAILURE;
        };
        match dir.read_to_string(name) {
            Ok(text) => {
                println!(
                    "{} bytes: {}",
                    text.len(),
                    text.lines().next().unwrap_or("")
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("read-file: {name}: {e}");
                ExitCode::FAILURE
            }
        }
    }
}

wasi_guest::export!(ReadFile);
