//! `cargo xtask <verb>`: project automation in plain Rust, one module per
//! verb. `check-reuse`, `policy` and `strip` are the verbs of the tool
//! authors install (`cargo-wasi-guest`), run here through its library.
//!
//! Light verbs run in the binary `cargo xtask` builds (no Wasmtime). Verbs
//! that run components need feature `host`, and `bench` also wants an
//! optimised host: without them the binary runs itself again through cargo
//! with what the verb needs (see [`relaunch`]).

use std::process::ExitCode;
use xtask::Result;

#[cfg(feature = "host")]
mod bench;
mod build_examples;
mod levers;
mod lint;

const HELP: &str = "\
cargo xtask <verb>

verbs:
  build-examples   build every example as a component, its std twin and its
                   preview1-adapter twin; print the size table and write
                   docs/sizes.md, docs/sizes.svg and README's table
  bench            run time and compile time of the components against their
                   twins, a raw wit-bindgen program, and with clearing
                   compiled out; host built with optimisations (profile
                   host-release); writes docs/bench.md
  check-reuse PATH.wasm [ARGS...]
                   run any wasi:cli/run component several times on one
                   instance, as a reusing host does, and report whether it is
                   re-runnable, single-shot, traps or leaks state between runs
                   (exit status 1 unless reuse is safe and matches its policy
                   record)
  levers           measure every size lever of docs/size.md (each example
                   built with and without it) and update its table there
  strip IN [OUT]   remove every custom section (names, producers, ...) from a
                   component (the policy record is an export and stays);
                   writes OUT (default: IN) and prints the sizes
  policy PATH.wasm print the instance reuse policy recorded in a component
                   (rerunnable or single-shot); exit status 1 if it has none
  compat           run every example under the Wasmtime CLI (current and
                   WASI 0.2.6 era) and jco on Node.js (run/serve, and three
                   calls on one transpiled instance); print the table and
                   write docs/compat.md (exit status 1 if a cell fails)
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
    let verb = args.first().map(String::as_str);
    match verb {
        Some("build-examples") => build_examples::run(&args[1..]),
        Some("lint") => lint::run(),
        Some("compat") => compat(&args[1..]),
        Some("levers") => levers::run(),
        Some("strip" | "policy") => tool(&args),
        Some("bench") => {
            if !cfg!(feature = "host") || cfg!(debug_assertions) {
                return relaunch(&args, &["--features", "host", "--profile", "host-release"]);
            }
            #[cfg(feature = "host")]
            return bench::run(&args[1..]);
            #[cfg(not(feature = "host"))]
            unreachable!()
        }
        Some("check-reuse") => {
            if !cfg!(feature = "host") {
                return relaunch(&args, &["--features", "host"]);
            }
            tool(&args)
        }
        Some("help" | "--help" | "-h") | None => {
            print!("{HELP}");
            Ok(())
        }
        Some(other) => Err(format!("unknown verb `{other}`\n\n{HELP}").into()),
    }
}

/// Runs this verb again in an xtask built with `cargo_args` (a feature, a
/// profile), and exits with its status.
fn relaunch(args: &[String], cargo_args: &[&str]) -> Result<()> {
    let status = xtask::build::cargo()
        .args(["run", "--quiet", "--package", "xtask", "--manifest-path"])
        .arg(xtask::project_root().join("Cargo.toml"))
        .args(cargo_args)
        .arg("--")
        .args(args)
        .status()?;
    std::process::exit(status.code().unwrap_or(1));
}

/// A verb of the tool authors install (`cargo wasi-guest`), run through the
/// same library function.
fn tool(args: &[String]) -> Result<()> {
    let status = cargo_wasi_guest::cli(args)?;
    if status != ExitCode::SUCCESS {
        std::process::exit(1);
    }
    Ok(())
}

fn compat(args: &[String]) -> Result<()> {
    if let Some(a) = args.first() {
        return Err(format!("compat takes no arguments (got `{a}`)").into());
    }
    let rows = xtask::compat::matrix()?;
    print!("{}", xtask::compat::table(&rows));
    xtask::compat::write_doc(&rows)?;
    eprintln!("wrote docs/compat.md");
    let failed = rows
        .iter()
        .flat_map(|r| &r.cells)
        .any(|c| matches!(c, xtask::compat::Cell::Fail(_)));
    if failed {
        return Err("some hosts failed (see the table)".into());
    }
    Ok(())
}
