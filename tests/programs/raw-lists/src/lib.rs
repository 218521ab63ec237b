#![no_std]
#![deny(unsafe_code)]
extern crate alloc;
use alloc::string::String;
use alloc::vec::Vec;
use wasi_guest::wasi::cli::environment;
use wasi_guest::{Context, ExitCode, PerInstance, Program, println};

/// Keeps one value from every run's raw environment list.
struct RawLists {
    kept: Vec<String>,
}

impl PerInstance for RawLists {
    fn init(_: &mut Context) -> Self {
        RawLists { kept: Vec::new() }
    }
}

impl Program for RawLists {
    fn run(&mut self, cx: &mut Context) -> ExitCode {
        let order = cx.var("ORDER").unwrap_or("sdk-first");
        let (args, raw) = if order == "raw-first" {
            let raw = environment::get_environment();
            (cx.args().len(), raw)
        } else {
            let n = cx.args().len();
            (n, environment::get_environment())
        };
        // Drop one raw list outright (the program).
        drop(environment::get_arguments());
        // Grow a received string in place, then keep it past the run.
        let mut kept = None;
        for (name, mut value) in raw {
            if name == "KEEP" {
                value.push_str("+grown");
                kept = Some(value);
            }
        }
        if let Some(v) = kept {
            self.kept.push(v);
        }
        println!("args={args} kept={}", self.kept.join(","));
        ExitCode::SUCCESS
    }
}

wasi_guest::export!(RawLists);
