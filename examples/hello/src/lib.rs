#![no_std]
use wasi_guest::{Context, ExitCode, PerInstance, Program, println};

struct Hello;

impl PerInstance for Hello {
    fn init(_: &mut Context) -> Self {
        Hello
    }
}

impl Program for Hello {
    fn run(&mut self, _: &mut Context) -> ExitCode {
        println!("hello");
        ExitCode::SUCCESS
    }
}

wasi_guest::export!(Hello);
