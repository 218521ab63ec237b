//! `pretty`: reads one JSON document from stdin and prints it indented by
//! two spaces (serde_json's `to_string_pretty`, object keys sorted); input
//! that is not JSON fails the run with serde_json's message (line and
//! column) on stderr.
//!
//! One of the size suite (docs/size.md): serde_json without std (feature
//! `alloc`), written the everyday way. Its std twin is `pretty-std`.
#![no_std]
#![deny(unsafe_code)]
extern crate alloc;
use alloc::format;
use alloc::string::{String, ToString};
use wasi_guest::{Context, PerInstance, TryProgram, println};

struct Pretty;

impl PerInstance for Pretty {
    fn init(_: &mut Context) -> Self {
        Pretty
    }
}

impl TryProgram for Pretty {
    type Error = String;

    fn run(&mut self, cx: &mut Context) -> Result<(), String> {
        let mut text = String::new();
        cx.stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("stdin: {e}"))?;
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("invalid JSON: {e}"))?;
        let pretty = serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?;
        println!("{pretty}");
        Ok(())
    }
}

wasi_guest::export!(try Pretty);
