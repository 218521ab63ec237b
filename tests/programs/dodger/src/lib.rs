//! Keeps run 1's name and stdin reversed and its stdout stream; prints the
//! kept text in later runs and, from run 5 on, writes to run 1's stdout.
#![no_std]
#![deny(unsafe_code)]
extern crate alloc;
use alloc::string::String;
use alloc::vec::Vec;
use wasi_guest::wasi::cli::stdout::get_stdout;
use wasi_guest::wasi::io::streams::OutputStream;
use wasi_guest::{Context, ExitCode, PerInstance, Program, println};

struct Dodger {
    runs: u32,
    kept: Option<(String, String)>,
    first_stdout: Option<OutputStream>,
}

impl PerInstance for Dodger {
    fn init(_: &mut Context) -> Self {
        Dodger {
            runs: 0,
            kept: None,
            first_stdout: None,
        }
    }
}

fn backwards(s: &str) -> String {
    s.chars().rev().collect()
}

impl Program for Dodger {
    fn run(&mut self, cx: &mut Context) -> ExitCode {
        self.runs += 1;
        if self.runs == 1 {
            let mut input = Vec::new();
            let _ = cx.stdin().read_to_end(&mut input);
            let stdin = String::from_utf8(input).unwrap_or_default();
            let name = cx.args().get(0).unwrap_or("");
            self.kept = Some((backwards(name), backwards(stdin.trim_end())));
            self.first_stdout = Some(get_stdout());
            println!("first run");
            return ExitCode::SUCCESS;
        }
        if let Some((name, stdin)) = &self.kept {
            println!("earlier: {name} {stdin}");
        }
        if self.runs >= 5 {
            if let Some(out) = &self.first_stdout {
                let _ = out.blocking_write_and_flush(b"late write\n");
            }
        }
        ExitCode::SUCCESS
    }
}

wasi_guest::export!(Dodger);
