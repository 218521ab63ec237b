#![no_std]
use wasi_guest::{Context, ExitCode, Program, println};

struct Hello;

impl Program for Hello {
    fn init(_: &mut Context) -> Self {
        Hello
    }

    fn run(&mut self, _: &mut Context) -> ExitCode {
        println!("hello");
        ExitCode::SUCCESS
    }
}

wasi_guest::export!(Hello);
