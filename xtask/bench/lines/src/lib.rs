//! Prints `line I of N: I*I` for I in 0..N (N is the first argument,
//! default 100,000): output-heavy work for `cargo xtask bench`.
#![no_std]
#![deny(unsafe_code)]
use wasi_guest::{Context, ExitCode, PerInstance, Program, println};

struct Lines;

impl PerInstance for Lines {
    fn init(_: &mut Context) -> Self {
        Lines
    }
}

impl Program for Lines {
    fn run(&mut self, cx: &mut Context) -> ExitCode {
        let n: u64 = cx
            .args()
            .get(1)
            .and_then(|a| a.parse().ok())
            .unwrap_or(100_000);
        for i in 0..n {
            println!("line {i} of {n}: {}", i * i);
        }
        ExitCode::SUCCESS
    }
}

wasi_guest::export!(Lines);
