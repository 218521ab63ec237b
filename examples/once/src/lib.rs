//! Single-shot: the second `run` on an instance gets the error result and a
//! line on stderr, never a trap.
#![no_std]
#![deny(unsafe_code)]
use wasi_guest::{Context, ExitCode, PerInstance, Policy, Program, println};

struct Once;

impl PerInstance for Once {
    const POLICY: Policy = Policy::SingleShot;

    fn init(_: &mut Context) -> Self {
        Once
    }
}

impl Program for Once {
    fn run(&mut self, _: &mut Context) -> ExitCode {
        println!("ran once");
        ExitCode::SUCCESS
    }
}

wasi_guest::export!(Once);
