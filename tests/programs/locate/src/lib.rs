//! For every argument after the program name: the path relative to the
//! preopen `Context::locate` picks, and the file's first line read there.
#![no_std]
#![deny(unsafe_code)]
use wasi_guest::{Context, ExitCode, PerInstance, Program, println};

struct Locate;

impl PerInstance for Locate {
    fn init(_: &mut Context) -> Self {
        Locate
    }
}

impl Program for Locate {
    fn run(&mut self, cx: &mut Context) -> ExitCode {
        for path in cx.args().iter().skip(1) {
            match cx.locate(path) {
                Some((dir, rest)) => match dir.read_to_string(rest) {
                    Ok(text) => println!("{path}: {rest}: {}", text.trim_end()),
                    Err(e) => println!("{path}: {rest}: {e}"),
                },
                None => println!("{path}: no preopen"),
            }
        }
        ExitCode::SUCCESS
    }
}

wasi_guest::export!(Locate);
