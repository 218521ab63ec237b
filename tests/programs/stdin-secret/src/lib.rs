#![no_std]
#![deny(unsafe_code)]
extern crate alloc;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use wasi_guest::{Context, ExitCode, PerInstance, Program, println};

struct Shout;

impl PerInstance for Shout {
    fn init(_: &mut Context) -> Self {
        Shout
    }
}

impl Program for Shout {
    fn run(&mut self, cx: &mut Context) -> ExitCode {
        let mut input = Vec::new();
        if cx.stdin().read_to_end(&mut input).is_err() {
            return ExitCode::FAILURE;
        }
        // A shrinking `realloc`: the input copied into a buffer twice its
        // size, which `into_boxed_slice` shrinks; the rest of the program
        // works on the shrunk copy.
        let mut roomy = Vec::with_capacity(2 * input.len());
        roomy.extend_from_slice(&input);
        let input = roomy.into_boxed_slice();
        let text = String::from_utf8_lossy(&input).into_owned();
        let mut lines: Vec<String> = text.lines().map(|l| format!("> {l}")).collect();
        lines.reverse();
        let report = format!("{} bytes, {} lines:\n{}", input.len(), lines.len(), lines.join("\n"));
        println!("{report}");
        ExitCode::SUCCESS
    }
}

wasi_guest::export!(Shout);
