//! `echo` on WASI 0.3: prints this run's arguments (after the program name)
//! and environment; exits with failure when `ECHO_FAIL` is set.
#![no_std]
#![deny(unsafe_code)]
use wasi_guest::{Context, ExitCode, PerInstance, Program, print, println};

struct Echo;

impl PerInstance for Echo {
    fn init(_: &mut Context) -> Self {
        Echo
    }
}

impl Program for Echo {
    async fn run(&mut self, cx: &mut Context) -> ExitCode {
        let env = cx.env();
        print!("args:");
        for arg in cx.args().iter().skip(1) {
            print!(" {arg}");
        }
        println!();
        for (name, value) in env.iter() {
            println!("env: {name}={value}");
        }
        (cx.var("ECHO_FAIL").is_none()).into()
    }
}

wasi_guest::export!(Echo);
