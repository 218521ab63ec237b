//! `summary`: reads stdin line by line and prints a table of its distinct
//! lines, most frequent first, with counts and shares (`table.rs`, shared
//! with the std twin `summary-std`). Input that is not UTF-8 fails the run
//! with `error: ...` on stderr.
//!
//! One of the size suite (docs/size.md): `Stdin::lines`, a `BTreeMap`, a
//! sort and padded `format!` columns, written the everyday way.
#![no_std]
#![deny(unsafe_code)]
extern crate alloc;
use alloc::format;
use alloc::string::String;
use wasi_guest::{Context, PerInstance, TryProgram, print};

mod table;

struct Summary;

impl PerInstance for Summary {
    fn init(_: &mut Context) -> Self {
        Summary
    }
}

impl TryProgram for Summary {
    type Error = String;

    fn run(&mut self, cx: &mut Context) -> Result<(), String> {
        let mut counts = table::Counts::new();
        for line in cx.stdin().lines() {
            let line = line.map_err(|e| format!("stdin: {e}"))?;
            *counts.entry(line).or_insert(0) += 1;
        }
        print!("{}", table::render(&counts));
        Ok(())
    }
}

wasi_guest::export!(try Summary);
