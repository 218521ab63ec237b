//! `teardown-loop`: prints a line; with argument `loop` it also uses a
//! RunLocal whose destructor uses the same RunLocal again.
#![no_std]
#![deny(unsafe_code)]
use wasi_guest::{Context, ExitCode, PerInstance, Program, RunLocal, println};

struct Again;

impl Drop for Again {
    fn drop(&mut self) {
        AGAIN.with(|_| ());
    }
}

static AGAIN: RunLocal<Again> = RunLocal::new(|| Again);

struct TeardownLoop;

impl PerInstance for TeardownLoop {
    fn init(_: &mut Context) -> Self {
        TeardownLoop
    }
}

impl Program for TeardownLoop {
    fn run(&mut self, cx: &mut Context) -> ExitCode {
        if cx.args().get(1) == Some("loop") {
            AGAIN.with(|_| ());
        }
        println!("ran");
        ExitCode::SUCCESS
    }
}

wasi_guest::export!(TeardownLoop);
