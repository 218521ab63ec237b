//! `kv` as a plain std command: the store is `kv.txt` in the current
//! directory (Wasmtime maps it to the first preopen); `store.rs` is `kv`'s.
extern crate alloc;
use std::process::ExitCode;

#[path = "../../kv/src/store.rs"]
mod store;

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let command = store::command(&args)?;
    let mut entries = match std::fs::read_to_string(store::FILE) {
        Ok(text) => store::parse(&text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => store::Store::new(),
        Err(e) => return Err(format!("{}: {e}", store::FILE)),
    };
    let outcome = store::apply(&mut entries, command)?;
    if outcome.changed {
        std::fs::write(store::FILE, store::render(&entries))
            .map_err(|e| format!("{}: {e}", store::FILE))?;
    }
    print!("{}", outcome.output);
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
