//! `kv set KEY VALUE | get KEY | del KEY | list`: a key-value store in
//! `kv.txt` in the first preopened directory, one `key=value` per line,
//! sorted by key. `get` prints the value, `list` every entry; a missing key,
//! a bad command line or a file error fails the run with `error: ...` on
//! stderr (`TryProgram`).
//!
//! One of the size suite (docs/size.md): written the everyday way
//! (`BTreeMap`, `String`, `format!`, `?`), never size-golfed. `store.rs` is
//! shared with the std twin, `kv-std`.
#![no_std]
#![deny(unsafe_code)]
extern crate alloc;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use wasi_guest::{Context, PerInstance, TryProgram, print};

mod store;

struct Kv;

impl PerInstance for Kv {
    fn init(_: &mut Context) -> Self {
        Kv
    }
}

impl TryProgram for Kv {
    type Error = String;

    fn run(&mut self, cx: &mut Context) -> Result<(), String> {
        let args: Vec<&str> = cx.args().iter().skip(1).collect();
        let command = store::command(&args)?;
        let (_, dir) = cx.preopens().next().ok_or("no preopened directory")?;
        let mut entries = match dir.read_to_string(store::FILE) {
            Ok(text) => store::parse(&text),
            Err(e) if e.is_not_found() => store::Store::new(),
            Err(e) => return Err(format!("{}: {e}", store::FILE)),
        };
        let outcome = store::apply(&mut entries, command)?;
        if outcome.changed {
            dir.write(store::FILE, store::render(&entries).as_bytes())
                .map_err(|e| format!("{}: {e}", store::FILE))?;
        }
        print!("{}", outcome.output);
        Ok(())
    }
}

wasi_guest::export!(try Kv);
