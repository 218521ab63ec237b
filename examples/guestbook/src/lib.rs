//! A guest book kept across runs, under the per-run arena allocator: every
//! run signs it with its first argument and prints every signature so far.
//!
//! The book is per-instance heap data, so new entries are made inside
//! `wasi_guest::persistent`; everything else a run allocates (the greeting it
//! formats) is freed when the run ends.
#![no_std]
#![deny(unsafe_code)]
extern crate alloc;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use wasi_guest::{Context, ExitCode, PerInstance, Program, persistent, println};

struct Guestbook {
    names: Vec<String>,
}

impl PerInstance for Guestbook {
    fn init(_: &mut Context) -> Self {
        Guestbook { names: Vec::new() }
    }
}

impl Program for Guestbook {
    fn run(&mut self, cx: &mut Context) -> ExitCode {
        let Some(name) = cx.args().get(1) else {
            println!("usage: guestbook NAME");
            return ExitCode::FAILURE;
        };
        // Per-run garbage: freed when the run ends.
        let greeting = format!("welcome, {name}! you are guest {}", self.names.len() + 1);
        persistent(|| self.names.push(String::from(name)));
        println!("{greeting}");
        for (i, n) in self.names.iter().enumerate() {
            println!("{}. {n}", i + 1);
        }
        ExitCode::SUCCESS
    }
}

// SAFETY: the per-instance state is `names`; the `Vec` was made in `init`
// and every entry pushed in a run is made inside `persistent`, so nothing of
// the run region is reachable after a run.
#[allow(unsafe_code)]
unsafe impl wasi_guest::ArenaSafe for Guestbook {}

wasi_guest::export!(Guestbook);
