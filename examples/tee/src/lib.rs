//! `tee [-a] FILE`: copies stdin to stdout and to FILE in the first
//! preopened directory (created or truncated; with `-a`, appended to).
#![no_std]
#![deny(unsafe_code)]
use wasi_guest::fs::OpenOptions;
use wasi_guest::{Context, ExitCode, PerInstance, Program, eprintln, stdout};

struct Tee;

impl PerInstance for Tee {
    fn init(_: &mut Context) -> Self {
        Tee
    }
}

impl Program for Tee {
    fn run(&mut self, cx: &mut Context) -> ExitCode {
        let args = cx.args();
        let (append, name) = match (args.get(1), args.get(2)) {
            (Some("-a"), Some(name)) => (true, name),
            (Some(name), None) if name != "-a" => (false, name),
            _ => {
                eprintln!("usage: tee [-a] FILE");
                return ExitCode::FAILURE;
            }
        };
        let Some((_, dir)) = cx.preopens().next() else {
            eprintln!("tee: no preopened directory");
            return ExitCode::FAILURE;
        };
        let options = if append {
            OpenOptions::new().append(true).create(true)
        } else {
            OpenOptions::new().write(true).create(true).truncate(true)
        };
        let mut file = match dir.open_with(name, &options) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("tee: {name}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let mut stdin = cx.stdin();
        let mut buf = [0u8; 8192];
        loop {
            let n = match stdin.read(&mut buf) {
                Ok(0) => return ExitCode::SUCCESS,
                Ok(n) => n,
                Err(e) => {
                    eprintln!("tee: stdin: {e}");
                    return ExitCode::FAILURE;
                }
            };
            let _ = stdout().write_all(&buf[..n]);
            if let Err(e) = file.write_all(&buf[..n]) {
                eprintln!("tee: {name}: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
}

wasi_guest::export!(Tee);
