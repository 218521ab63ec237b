//! `cat` on WASI 0.3: copies stdin to stdout, after a banner line if
//! `CAT_BANNER` is set. Every read and write waits asynchronously, so other
//! calls of the instance (a host that overlaps them) run meanwhile.
#![no_std]
#![deny(unsafe_code)]
use wasi_guest::{Context, ExitCode, PerInstance, Program, println};

struct Cat;

impl PerInstance for Cat {
    fn init(_: &mut Context) -> Self {
        Cat
    }
}

impl Program for Cat {
    async fn run(&mut self, cx: &mut Context) -> ExitCode {
        if let Some(banner) = cx.var("CAT_BANNER") {
            println!("{banner}");
        }
        let mut stdin = cx.stdin();
        let mut out = wasi_guest::stdout();
        let mut buf = [0u8; 4096];
        loop {
            match stdin.read(&mut buf).await {
                Ok(0) => return ExitCode::SUCCESS,
                Ok(n) => {
                    if out.write_async(&buf[..n]).await.is_err() {
                        return ExitCode::FAILURE;
                    }
                }
                Err(_) => return ExitCode::FAILURE,
            }
        }
    }
}

wasi_guest::export!(Cat);
