//! `hello` printed through `core::fmt::write`, the formatting engine, the way
//! any printer that always formats does it. wasi-guest's `println!` (like
//! core's own `Write::write_fmt`) writes text without arguments directly;
//! this measures what that saves. Used by `cargo xtask levers` only.
#![no_std]
use wasi_guest::{Context, ExitCode, PerInstance, Program};

struct Hello;

impl PerInstance for Hello {
    fn init(_: &mut Context) -> Self {
        Hello
    }
}

impl Program for Hello {
    fn run(&mut self, _: &mut Context) -> ExitCode {
        let _ = core::fmt::write(&mut wasi_guest::stdout(), format_args!("hello\n"));
        ExitCode::SUCCESS
    }
}

wasi_guest::export!(Hello);
