//! Copies stdin to stdout, after a banner line if `CAT_BANNER` is set.
//! Written with `std` (feature `std` of wasi-guest), using `std::io::copy`
//! over the SDK's per-run stdin and stdout.
#![deny(unsafe_code)]
use std::io::Write;
use wasi_guest::{Context, ExitCode, PerInstance, Policy, Program};

struct Cat;

impl PerInstance for Cat {
    // std mode is single-shot unless the program says otherwise: this one
    // prints only through wasi-guest's stdio, never std's own.
    const POLICY: Policy = Policy::Rerunnable;

    fn init(_: &mut Context) -> Self {
        Cat
    }
}

impl Program for Cat {
    fn run(&mut self, cx: &mut Context) -> ExitCode {
        let mut out = wasi_guest::stdout();
        if let Some(banner) = cx.var("CAT_BANNER") {
            let _ = writeln!(out, "{banner}");
        }
        let copied = std::io::copy(&mut cx.stdin(), &mut out);
        (copied.is_ok() && out.flush().is_ok()).into()
    }
}

wasi_guest::export!(Cat);
