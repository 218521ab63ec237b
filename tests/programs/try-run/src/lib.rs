//! Prints the file its first argument names (found with
//! `Context::locate`), with `?` for every step that can fail.
#![no_std]
#![deny(unsafe_code)]
use wasi_guest::{Context, PerInstance, TryProgram, fs, println};

struct Show;

impl PerInstance for Show {
    fn init(_: &mut Context) -> Self {
        Show
    }
}

impl TryProgram for Show {
    type Error = fs::Error;

    fn run(&mut self, cx: &mut Context) -> Result<(), fs::Error> {
        let path = cx.args().get(1).unwrap_or("/note.txt");
        let (dir, rest) = cx.locate(path).ok_or(fs::ErrorCode::NoEntry)?;
        println!("{}", dir.read_to_string(rest)?.trim_end());
        Ok(())
    }
}

wasi_guest::export!(try Show);
