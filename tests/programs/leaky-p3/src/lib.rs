//! Keeps the first call's argument 0 and prints it in every call.
#![no_std]
#![deny(unsafe_code)]
extern crate alloc;
use alloc::string::String;
use wasi_guest::{Context, ExitCode, PerInstance, Program, println};

struct Leaky {
    first: Option<String>,
}

impl PerInstance for Leaky {
    fn init(_: &mut Context) -> Self {
        Leaky { first: None }
    }
}

impl Program for Leaky {
    async fn run(&mut self, cx: &mut Context) -> ExitCode {
        let name = String::from(cx.args().get(0).unwrap_or(""));
        let first = self.first.get_or_insert(name);
        println!("first call's name: {first}");
        ExitCode::SUCCESS
    }
}

wasi_guest::export!(Leaky);
