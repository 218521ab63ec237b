//! The verbs of the binary, as a function `cargo xtask` calls too.

use crate::Result;
use std::process::ExitCode;

/// Runs one verb (`args[0]`) with its arguments; `Ok` carries the exit
/// status a verb reports by its result (check-reuse's verdict).
pub fn cli(args: &[String]) -> Result<ExitCode> {
    match args.first().map(String::as_str) {
        #[cfg(feature = "host")]
        Some("check-reuse") => check_reuse(&args[1..]),
        Some("new") => crate::author::new(&args[1..]),
        Some("build") => crate::author::build(&args[1..]),
        Some("policy") => policy(&args[1..]),
        Some("strip") => strip(&args[1..]),
        Some("help" | "--help" | "-h") | None => {
            print!("{}", help());
            Ok(ExitCode::SUCCESS)
        }
        Some(other) => Err(format!("unknown verb `{other}`\n\n{}", help()).into()),
    }
}

fn help() -> &'static str {
    HELP
}

/// What `help` prints.
pub const HELP: &str = "\
cargo wasi-guest <verb>

verbs:
  new NAME         make a component crate NAME from wasi-guest's template
                   (the name and paths filled in; it builds as it is)
  build            in such a crate: cargo build --release for wasm32-wasip2,
                   then the strip step into NAME.wasm; prints its bytes,
                   pages of memory and policy record
  check-reuse [--calls N] PATH.wasm [ARGS...]
                   run a wasi:cli/run component N times (default 8) on one
                   instance, as a reusing host does, each call with random
                   secrets of its own, and report whether it is re-runnable,
                   single-shot, traps or leaks state or handles between runs
                   (WASI 0.2 or 0.3; on 0.3 some calls are also started at
                   once, as 0.3 hosts do) (exit status 1 unless reuse is safe
                   and matches its policy record)
  policy PATH.wasm print the instance reuse policy recorded in a component
                   (rerunnable or single-shot, and a second line
                   `concurrent` for a WASI 0.3 component whose calls may
                   overlap); exit status 1 if it has none
  strip IN [OUT]   remove every custom section (names, producers, ...) from a
                   component (the policy record is an export and stays);
                   writes OUT (default: IN) and prints the sizes
  help             this text
";

#[cfg(feature = "host")]
fn check_reuse(args: &[String]) -> Result<ExitCode> {
    const USAGE: &str = "usage: check-reuse [--calls N] PATH.wasm [ARGS...]";
    let (calls, args) = match args {
        [flag, n, rest @ ..] if flag == "--calls" => {
            let n: usize = n
                .parse()
                .map_err(|_| format!("--calls {n}: not a number; {USAGE}"))?;
            (n, rest)
        }
        _ => (crate::reuse::CALLS, args),
    };
    let Some((path, rest)) = args.split_first() else {
        return Err(USAGE.into());
    };
    let report = crate::reuse::check_with(std::path::Path::new(path), rest, calls)?;
    println!("check-reuse {path}");
    print!("{report}");
    if !report.verdict.reusable() || report.policy_matches() == Some(false) {
        eprintln!("this component is not safe to reuse as its policy says");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

fn policy(args: &[String]) -> Result<ExitCode> {
    let [path] = args else {
        return Err("usage: policy PATH.wasm".into());
    };
    let bytes = std::fs::read(path)?;
    match wasi_guest::Policy::of_component(&bytes) {
        Some(p) => {
            println!("{}", p.name());
            if wasi_guest::Policy::concurrent_in(&bytes) {
                println!("concurrent");
            }
            Ok(ExitCode::SUCCESS)
        }
        None => Err(format!("{path}: no wasi-guest policy record").into()),
    }
}

fn strip(args: &[String]) -> Result<ExitCode> {
    let (input, output) = match args {
        [i] => (i, i),
        [i, o] => (i, o),
        _ => return Err("usage: strip IN [OUT]".into()),
    };
    let bytes = std::fs::read(input)?;
    let stripped = crate::wasm::strip(&bytes)?;
    std::fs::write(output, &stripped)?;
    println!("{input}: {} -> {} bytes", bytes.len(), stripped.len());
    Ok(ExitCode::SUCCESS)
}
