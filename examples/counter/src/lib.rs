//! Re-runnable: a per-instance counter that advances on every run, and
//! per-run state (a `RunLocal`) that starts from zero on every run.
#![no_std]
#![deny(unsafe_code)]
use wasi_guest::{Context, ExitCode, PerInstance, Program, RunLocal, println};

/// Per-instance state: kept across runs on purpose.
struct Counter {
    runs: u32,
}

/// Per-run state: notes taken during this run only.
static NOTES: RunLocal<u32> = RunLocal::new(|| 0);

fn note(what: &str) {
    let n = NOTES.with(|n| {
        *n += 1;
        *n
    });
    println!("note {n}: {what}");
}

impl PerInstance for Counter {
    fn init(_: &mut Context) -> Self {
        Counter { runs: 0 }
    }
}

impl Program for Counter {
    fn run(&mut self, _: &mut Context) -> ExitCode {
        self.runs += 1;
        note("started");
        note("counted");
        println!("instance runs: {}", self.runs);
        ExitCode::SUCCESS
    }
}

wasi_guest::export!(Counter);
