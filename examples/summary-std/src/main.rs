//! `summary` as a plain std command; `table.rs` is `summary`'s.
extern crate alloc;
use std::process::ExitCode;

#[path = "../../summary/src/table.rs"]
mod table;

fn run() -> Result<(), String> {
    let mut counts = table::Counts::new();
    for line in std::io::stdin().lines() {
        let line = line.map_err(|e| format!("stdin: {e}"))?;
        *counts.entry(line).or_insert(0) += 1;
    }
    print!("{}", table::render(&counts));
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
