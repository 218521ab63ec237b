//! `reuse-host [--runs N] [--fuel N] [--deadline-ms N] [--dir HOST[::GUEST]]
//! COMPONENT.wasm [ARG...]`: runs a WASI 0.2 command component N times (default
//! 3) with the arguments `COMPONENT.wasm ARG...` and the whole of stdin
//! (read once, given to every run), the way `reuse_host::Host` reuses
//! instances. Each run's stdout and stderr go to this process's; one line per
//! run on stderr says which instance served it and whether it was kept.
//! Exits with 0 if every run succeeded, 1 if one did not, 2 on a usage or
//! host error.

use reuse_host::{Host, Limits, Preopen, Run};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

const USAGE: &str = "usage: reuse-host [--runs N] [--fuel N] [--deadline-ms N] [--dir HOST[::GUEST]] COMPONENT.wasm [ARG...]";

fn number(flag: &str, value: Option<String>) -> Result<u64, String> {
    value
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| format!("{flag} needs a number\n{USAGE}"))
}

fn main() -> ExitCode {
    match run() {
        Ok(all_ok) => ExitCode::from(if all_ok { 0 } else { 1 }),
        Err(e) => {
            eprintln!("reuse-host: {e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<bool, String> {
    let mut args = std::env::args().skip(1);
    let mut runs = 3u64;
    let mut limits = Limits::default();
    let mut dirs = Vec::new();
    let component = loop {
        match args.next() {
            Some(flag) if flag == "--runs" => runs = number(&flag, args.next())?,
            Some(flag) if flag == "--fuel" => limits.fuel = Some(number(&flag, args.next())?),
            Some(flag) if flag == "--deadline-ms" => {
                limits.deadline = Some(Duration::from_millis(number(&flag, args.next())?));
            }
            Some(flag) if flag == "--dir" => {
                let spec = args.next().ok_or(USAGE)?;
                let (host, guest) = spec.split_once("::").unwrap_or((&spec, "."));
                dirs.push(Preopen {
                    host: PathBuf::from(host),
                    guest: guest.to_string(),
                    read_only: true,
                });
            }
            Some(flag) if flag.starts_with("--") => {
                return Err(format!("unknown flag {flag}\n{USAGE}"));
            }
            Some(path) => break PathBuf::from(path),
            None => return Err(USAGE.to_string()),
        }
    };
    let wasm = std::fs::read(&component).map_err(|e| format!("{}: {e}", component.display()))?;
    let mut stdin = Vec::new();
    std::io::stdin()
        .read_to_end(&mut stdin)
        .map_err(|e| format!("reading stdin: {e}"))?;
    let mut host = Host::new(&wasm, limits).map_err(|e| format!("{e:?}"))?;
    eprintln!("reuse-host: policy {:?}", host.reuse());
    let request = Run {
        args: std::iter::once(component.display().to_string())
            .chain(args)
            .collect(),
        stdin,
        dirs,
        ..Run::default()
    };
    let mut all_ok = true;
    for n in 1..=runs {
        let report = host.run(&request).map_err(|e| format!("{e:?}"))?;
        std::io::stdout()
            .write_all(&report.stdout)
            .and_then(|()| std::io::stdout().flush())
            .map_err(|e| format!("writing stdout: {e}"))?;
        std::io::stderr()
            .write_all(&report.stderr)
            .map_err(|e| format!("writing stderr: {e}"))?;
        let served = if report.reused { "reused" } else { "new" };
        let next = match report.retired {
            None => "kept".to_string(),
            Some(why) => format!("retired: {why:?}"),
        };
        eprintln!(
            "reuse-host: run {n}: {:?} on instance {} ({served}); {next}",
            report.outcome, report.instance
        );
        all_ok &= report.outcome == reuse_host::Outcome::Success;
    }
    Ok(all_ok)
}
