//! Counts stdin's lines (read with `Stdin::lines`), and prints the count,
//! the longest line's length and the last line; an error ends the count.
#![no_std]
#![deny(unsafe_code)]
extern crate alloc;
use alloc::string::String;
use wasi_guest::{Context, ExitCode, PerInstance, Program, println};

struct Lines;

impl PerInstance for Lines {
    fn init(_: &mut Context) -> Self {
        Lines
    }
}

impl Program for Lines {
    fn run(&mut self, cx: &mut Context) -> ExitCode {
        let (mut count, mut longest, mut last) = (0usize, 0usize, String::new());
        for line in cx.stdin().lines() {
            match line {
                Ok(line) => {
                    count += 1;
                    longest = longest.max(line.len());
                    last = line;
                }
                Err(e) => {
                    println!("error after {count} lines: {e}");
                    return ExitCode::FAILURE;
                }
            }
        }
        println!("{count} lines, longest {longest}, last {last:?}");
        ExitCode::SUCCESS
    }
}

wasi_guest::export!(Lines);
