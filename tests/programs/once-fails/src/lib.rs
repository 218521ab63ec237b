//! Single-shot; its one run writes a line to stderr and fails.
#![no_std]
#![deny(unsafe_code)]
use wasi_guest::{Context, ExitCode, PerInstance, Policy, Program, eprintln};

struct OnceFails;

impl PerInstance for OnceFails {
    const POLICY: Policy = Policy::SingleShot;

    fn init(_: &mut Context) -> Self {
        OnceFails
    }
}

impl Program for OnceFails {
    fn run(&mut self, _: &mut Context) -> ExitCode {
        eprintln!("once-fails: failing on purpose");
        ExitCode::FAILURE
    }
}

wasi_guest::export!(OnceFails);
