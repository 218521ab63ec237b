//! Prints its arguments with a `for` loop and with `{:?}`, its environment
//! and context with `{:?}`, a directory and a file with `{:?}`, and the
//! `fs::Error` a stdio error becomes with `?`.
#![no_std]
#![deny(unsafe_code)]
use wasi_guest::fs;
use wasi_guest::{Context, ExitCode, IoError, PerInstance, Program, print, println};

struct Conveniences;

impl PerInstance for Conveniences {
    fn init(_: &mut Context) -> Self {
        Conveniences
    }
}

/// `?` turns the stdio error into an `fs::Error`.
fn fails() -> Result<(), fs::Error> {
    Err(IoError::OutOfMemory)?
}

impl Program for Conveniences {
    fn run(&mut self, cx: &mut Context) -> ExitCode {
        for (i, arg) in cx.args().into_iter().enumerate() {
            print!("{i}={arg} ");
        }
        println!();
        println!("args: {:?}", cx.args());
        println!("env: {:?}", cx.env());
        for (name, value) in cx.env() {
            println!("{name} is {value}");
        }
        println!("cx: {cx:?}");
        if let Some(dir) = cx.dir("/") {
            println!("dir: {dir:?}");
            if let Ok(file) = dir.open("a.txt") {
                println!("file: {file:?}");
            }
        }
        if let Err(e) = fails() {
            println!("error: {e}");
        }
        ExitCode::SUCCESS
    }
}

wasi_guest::export!(Conveniences);
