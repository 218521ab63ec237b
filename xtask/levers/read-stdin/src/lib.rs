//! `read-stdin NAME`: the length and first line of stdin (NAME is only
//! printed on error, as `read-file` does).
#![no_std]
#![deny(unsafe_code)]
extern crate alloc;
use alloc::string::String;
use wasi_guest::{Context, ExitCode, PerInstance, Program, eprintln, println};

struct ReadStdin;

impl PerInstance for ReadStdin {
    fn init(_: &mut Context) -> Self {
        ReadStdin
    }
}

impl Program for ReadStdin {
    fn run(&mut self, cx: &mut Context) -> ExitCode {
        let Some(name) = cx.args().get(1) else {
            eprintln!("usage: read-stdin NAME");
            return ExitCode::FAILURE;
        };
        let mut text = String::new();
        match cx.stdin().read_to_string(&mut text) {
            Ok(_) => {
                println!(
                    "{} bytes: {}",
                    text.len(),
                    text.lines().next().unwrap_or("")
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("read-stdin: {name}: {e}");
                ExitCode::FAILURE
            }
        }
    }
}

wasi_guest::export!(ReadStdin);
