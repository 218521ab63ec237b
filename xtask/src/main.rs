//! `cargo xtask <verb>`: project automation in plain Rust.

use std::process::ExitCode;
use xtask::Result;

mod bench;
mod build_examples;
mod levers;
mod lint;

const HELP: &str = "\
cargo xtask <verb>

verbs:
  build-examples   build every example as a component, its std twin and its
                   preview1-adapter twin; print the size table and write
                   docs/sizes.md and docs/sizes.svg
  bench            run-time medians (instantiate+run, run on a reused
                   instance) of SDK components against their twins
  levers           measure every size lever of docs/size.md (each example
                   built with and without it) and update its table there
  check-reuse PATH.wasm [ARGS...]
                   run any wasi:cli/run component several times on one
                   instance, as a reusing host does, and report whether it is
                   re-runnable, single-shot, traps or leaks state between runs
                   (exit status 1 unless reuse is safe and matches its policy
                   record)
  strip IN [OUT]   remove every custom section (names, producers, ...) from a
                   component except wasi-guest.instance-reuse; writes OUT
                   (default: IN) and prints the sizes
  lint             rustfmt, clippy and rustdoc with warnings denied, on the
                   host and on wasm32-wasip2 (what CI runs before the tests)
  help             this text
";

fn main() -> ExitCode {
    match try_main() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn try_main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("build-examples") => build_examples::run(&args[1..]),
        Some("lint") => lint::run(),
        Some("levers") => levers::run(),
        Some("bench") => bench::run_all(),
        Some("strip") => strip(&args[1..]),
        Some("check-reuse") => check_reuse(&args[1..]),
        Some("help" | "--help" | "-h") | None => {
            print!("{HELP}");
            Ok(())
        }
        Some(other) => Err(format!("unknown verb `{other}`\n\n{HELP}").into()),
    }
}

fn check_reuse(args: &[String]) -> Result<()> {
    let Some((path, rest)) = args.split_first() else {
        return Err(format!("usage: cargo xtask check-reuse PATH.wasm [ARGS...]\n\n{HELP}").into());
    };
    let report = xtask::reuse::check(std::path::Path::new(path), rest)?;
    println!("check-reuse {path}");
    print!("{report}");
    if !report.verdict.reusable() || report.policy_matches() == Some(false) {
        return Err("this component is not safe to reuse as its policy says".into());
    }
    Ok(())
}

fn strip(args: &[String]) -> Result<()> {
    let (input, output) = match args {
        [i] => (i, i),
        [i, o] => (i, o),
        _ => return Err(format!("usage: cargo xtask strip IN [OUT]\n\n{HELP}").into()),
    };
    let bytes = std::fs::read(input)?;
    let stripped = xtask::wasm::strip(&bytes)?;
    std::fs::write(output, &stripped)?;
    println!("{input}: {} -> {} bytes", bytes.len(), stripped.len());
    Ok(())
}
