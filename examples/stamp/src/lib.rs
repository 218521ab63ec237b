//! Prints the wall-clock time, a random 128-bit token and how long its own
//! work took (monotonic clock). `stamp --sleep-ms N` first sleeps N ms.
//! Re-runnable: every run prints a different time and token.
#![no_std]
#![deny(unsafe_code)]
use core::time::Duration;
use wasi_guest::random::random_bytes;
use wasi_guest::time::{Instant, SystemTime, sleep};
use wasi_guest::{Context, ExitCode, PerInstance, Program, println};

struct Stamp;

impl PerInstance for Stamp {
    fn init(_: &mut Context) -> Self {
        Stamp
    }
}

impl Program for Stamp {
    fn run(&mut self, cx: &mut Context) -> ExitCode {
        let start = Instant::now();
        let args = cx.args();
        if args.get(1) == Some("--sleep-ms") {
            let ms = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(0);
            sleep(Duration::from_millis(ms));
        }
        let now = SystemTime::now();
        let mut token = [0u8; 16];
        random_bytes(&mut token);
        println!("time: {}.{:09}", now.unix_seconds(), now.subsec_nanos());
        let mut hex = [0u8; 32];
        for (i, b) in token.iter().enumerate() {
            hex[2 * i] = b"0123456789abcdef"[usize::from(b >> 4)];
            hex[2 * i + 1] = b"0123456789abcdef"[usize::from(b & 15)];
        }
        println!("token: {}", core::str::from_utf8(&hex).unwrap_or("?"));
        println!("took: {} ns", start.elapsed().as_nanos());
        ExitCode::SUCCESS
    }
}

wasi_guest::export!(Stamp);
