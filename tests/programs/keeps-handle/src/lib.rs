//! Keeps its first run's stdout stream and writes `run N` to it in every run.
#![no_std]
#![deny(unsafe_code)]
use wasi_guest::wasi::cli::stdout::get_stdout;
use wasi_guest::wasi::io::streams::OutputStream;
use wasi_guest::{Context, ExitCode, PerInstance, Program};

struct KeepsHandle {
    out: OutputStream,
    runs: u8,
}

impl PerInstance for KeepsHandle {
    fn init(_: &mut Context) -> Self {
        KeepsHandle {
            out: get_stdout(),
            runs: 0,
        }
    }
}

impl Program for KeepsHandle {
    fn run(&mut self, _: &mut Context) -> ExitCode {
        self.runs += 1;
        let line = [b'r', b'u', b'n', b' ', b'0' + self.runs % 10, b'\n'];
        match self.out.blocking_write_and_flush(&line) {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::FAILURE,
        }
    }
}

wasi_guest::export!(KeepsHandle);
