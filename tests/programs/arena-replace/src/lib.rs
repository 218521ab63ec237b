//! Keeps the last run's argument, padded to 1 KiB, in a per-instance
//! `String` replaced every run inside `persistent`, and prints the one it
//! had before (so a reused block that lost its bytes would show).
#![no_std]
extern crate alloc;
use alloc::format;
use alloc::string::String;
use wasi_guest::{Context, ExitCode, PerInstance, Program, persistent, println};

struct Keeper {
    last: String,
}

impl PerInstance for Keeper {
    fn init(_: &mut Context) -> Self {
        Keeper {
            last: String::from("none"),
        }
    }
}

impl Program for Keeper {
    fn run(&mut self, cx: &mut Context) -> ExitCode {
        let arg = cx.args().get(1).unwrap_or("-");
        let before = self.last.split(' ').next().unwrap_or("");
        println!("before: {before}");
        self.last = persistent(|| format!("{arg} {:.<1024}", ""));
        ExitCode::SUCCESS
    }
}

// SAFETY: the only per-instance data is `last`, and every value it holds is
// made in `init` or inside `persistent`.
#[allow(unsafe_code)]
unsafe impl wasi_guest::ArenaSafe for Keeper {}

wasi_guest::export!(Keeper);
