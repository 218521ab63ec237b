//! `cargo wasi-guest <verb>` (or `cargo-wasi-guest <verb>`): the tools an
//! author or host operator runs on a component, built or not with wasi-guest.

use std::process::ExitCode;

fn main() -> ExitCode {
    // `cargo wasi-guest x` runs this binary as `cargo-wasi-guest wasi-guest x`.
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("wasi-guest") {
        args.remove(0);
    }
    match cargo_wasi_guest::cli(&args) {
        Ok(status) => status,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
