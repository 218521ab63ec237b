//! Prints its first argument with std's `println!` and `eprintln!`, then
//! std's stdin with `println!`: the std-mode program of the review, which
//! states no policy and so is single-shot.
#![deny(unsafe_code)]
use std::io::Read;
use wasi_guest::{Context, ExitCode, PerInstance, Program};

struct StdOwn;

impl PerInstance for StdOwn {
    fn init(_: &mut Context) -> Self {
        StdOwn
    }
}

impl Program for StdOwn {
    fn run(&mut self, cx: &mut Context) -> ExitCode {
        let word = cx.args().get(1).unwrap_or("-").to_string();
        println!("out: {word}");
        eprintln!("err: {word}");
        let mut input = String::new();
        if std::io::stdin().read_to_string(&mut input).is_err() {
            return ExitCode::FAILURE;
        }
        println!("in: {}", input.trim_end());
        ExitCode::SUCCESS
    }
}

wasi_guest::export!(StdOwn);
