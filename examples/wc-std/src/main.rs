//! `wc` as a plain std command: one process, one input.
use std::io::{Read, Write};
use std::process::ExitCode;

#[path = "../../wc/src/count.rs"]
mod count;
use count::{column, count};

fn main() -> ExitCode {
    let mut wanted = 0u8;
    for arg in std::env::args().skip(1) {
        match column(arg.as_bytes()) {
            Some(bit) => wanted |= bit,
            None => {
                eprintln!("wc: unknown option {arg}");
                return ExitCode::FAILURE;
            }
        }
    }
    if wanted == 0 {
        wanted = 0b1111;
    }
    let mut input = Vec::new();
    if std::io::stdin().read_to_end(&mut input).is_err() {
        eprintln!("wc: cannot read stdin");
        return ExitCode::FAILURE;
    }
    let counts = count(&input);
    let inputs = 1;
    let values = [counts.lines, counts.words, counts.bytes, counts.longest];
    for (i, n) in values.into_iter().enumerate() {
        if wanted & (1 << i) == 0 {
            continue;
        }
        print!("{n:>8}");
    }
    let label = std::env::var("WC_LABEL").unwrap_or_else(|_| "-".into());
    println!(" {label} (input {inputs})");
    let _ = std::io::stdout().flush();
    ExitCode::SUCCESS
}
