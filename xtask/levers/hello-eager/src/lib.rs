//! `hello`, plus one heap allocation and an enabled import arena: what every
//! program would carry if the allocator and `cabi_realloc`'s arena were
//! always linked. Used by `cargo xtask levers` only.
#![no_std]
extern crate alloc;
use wasi_guest::{Context, ExitCode, Program, println};

struct Hello;

impl Program for Hello {
    fn init(_: &mut Context) -> Self {
        Hello
    }

    fn run(&mut self, _: &mut Context) -> ExitCode {
        wasi_guest::enable_import_arena();
        let text = alloc::string::String::from("hello");
        let _ = wasi_guest::stdout().write_all(text.as_bytes());
        println!();
        ExitCode::SUCCESS
    }
}

wasi_guest::export!(Hello);
