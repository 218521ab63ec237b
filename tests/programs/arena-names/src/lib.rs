#![no_std]
#![deny(unsafe_code)]
extern crate alloc;
use alloc::string::String;
use alloc::vec::Vec;
use wasi_guest::{Context, ExitCode, PerInstance, Program, println};

struct Names {
    names: Vec<String>,
}

impl PerInstance for Names {
    fn init(_: &mut Context) -> Self {
        Names { names: Vec::new() }
    }
}

impl Program for Names {
    fn run(&mut self, cx: &mut Context) -> ExitCode {
        if let Some(name) = cx.args().get(1) {
            self.names.push(String::from(name));
        }
        for name in &self.names {
            println!("{name}");
        }
        ExitCode::SUCCESS
    }
}

wasi_guest::export!(Names);
