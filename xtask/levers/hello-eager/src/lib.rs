//! `hello`, plus one heap allocation and one list received into the import
//! arena (the argument count): what every program would carry if the
//! allocator and `cabi_realloc`'s arena were always linked. Used by `cargo
//! xtask levers` only.
#![no_std]
extern crate alloc;
use wasi_guest::{Context, ExitCode, PerInstance, Program, println};

struct Hello;

impl PerInstance for Hello {
    fn init(_: &mut Context) -> Self {
        Hello
    }
}

impl Program for Hello {
    fn run(&mut self, cx: &mut Context) -> ExitCode {
        if cx.args().is_empty() {
            return ExitCode::FAILURE;
        }
        let text = alloc::string::String::from("hello");
        let _ = wasi_guest::stdout().write_all(text.as_bytes());
        println!();
        ExitCode::SUCCESS
    }
}

wasi_guest::export!(Hello);
