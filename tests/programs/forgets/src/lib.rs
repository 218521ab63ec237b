//! Opens, then forgets or leaks, one of each handle `fs` makes, and prints
//! what it read through them, so a run shows it really opened them.
#![no_std]
#![deny(unsafe_code)]
extern crate alloc;
use alloc::boxed::Box;
use alloc::string::String;
use wasi_guest::fs::OpenOptions;
use wasi_guest::{Context, ExitCode, PerInstance, Program, println};

struct Forgets;

impl PerInstance for Forgets {
    fn init(_: &mut Context) -> Self {
        Forgets
    }
}

impl Program for Forgets {
    fn run(&mut self, cx: &mut Context) -> ExitCode {
        let Some(root) = cx.dir("/") else {
            println!("no /");
            return ExitCode::FAILURE;
        };
        let mut text = String::new();
        let Ok(mut file) = root.open("note.txt") else {
            return ExitCode::FAILURE;
        };
        if file.read_to_string(&mut text).is_err() {
            return ExitCode::FAILURE;
        }
        core::mem::forget(file);
        let Ok(mut log) = root.open_with("log.txt", &OpenOptions::new().append(true).create(true))
        else {
            return ExitCode::FAILURE;
        };
        if log.write_all(b"ran\n").is_err() {
            return ExitCode::FAILURE;
        }
        core::mem::forget(log);
        let Ok(sub) = root.open_dir("sub") else {
            return ExitCode::FAILURE;
        };
        let listing = match sub.entries() {
            Ok(entries) => Box::leak(Box::new(entries)),
            Err(_) => return ExitCode::FAILURE,
        };
        let first = listing.next().and_then(Result::ok);
        core::mem::forget(sub);
        println!("note: {}", text.trim_end());
        println!("sub: {}", first.as_ref().map_or("-", |e| e.name()));
        ExitCode::SUCCESS
    }
}

wasi_guest::export!(Forgets);
