//! The smallest WASI 0.3 program: `wasi:cli/run@0.3.0`, an async `run`.
#![no_std]
use wasi_guest::{Context, ExitCode, PerInstance, Program, println};

struct Hello;

impl PerInstance for Hello {
    fn init(_: &mut Context) -> Self {
        Hello
    }
}

impl Program for Hello {
    async fn run(&mut self, _: &mut Context) -> ExitCode {
        println!("hello");
        ExitCode::SUCCESS
    }
}

wasi_guest::export!(Hello);
