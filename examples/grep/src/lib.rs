//! `grep PATTERN [PATH...]`: prints `PATH:LINE:TEXT` for every line that
//! contains PATTERN, in every file under each PATH (default `.`), searched
//! recursively from the first preopened directory. Each directory is
//! listed sorted by name, so files come out sorted by path, component by
//! component (the order of `std::path::Path`), on every host.
//!
//! Like grep, it succeeds when something matched, and fails when nothing
//! did (code 1) or on an error (code 2, with a message on stderr).
//! `wasi:cli/run` carries only success or failure to the host, so a host
//! sees failure for both 1 and 2; the message tells them apart.
#![no_std]
#![deny(unsafe_code)]
extern crate alloc;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use wasi_guest::fs::Dir;
use wasi_guest::{Context, ExitCode, PerInstance, Program, eprintln, println};

struct Grep;

impl PerInstance for Grep {
    fn init(_: &mut Context) -> Self {
        Grep
    }
}

impl Program for Grep {
    fn run(&mut self, cx: &mut Context) -> ExitCode {
        let args: Vec<&str> = cx.args().iter().skip(1).collect();
        let Some((pattern, paths)) = args.split_first() else {
            eprintln!("usage: grep PATTERN [PATH...]");
            return ExitCode::new(2);
        };
        let Some((_, root)) = cx.preopens().next() else {
            eprintln!("grep: no preopened directory");
            return ExitCode::new(2);
        };
        let paths = if paths.is_empty() { &["."][..] } else { paths };
        let mut files = Vec::new();
        for path in paths {
            if let Err(e) = collect(&root, path, &mut files) {
                eprintln!("grep: {path}: {e}");
                return ExitCode::new(2);
            }
        }
        let mut matched = false;
        for file in &files {
            let bytes = match root.read(file) {
                Ok(b) => b,
                Err(e) => {
                    eprintln!("grep: {file}: {e}");
                    return ExitCode::new(2);
                }
            };
            let text = String::from_utf8_lossy(&bytes);
            for (i, line) in text.lines().enumerate() {
                if line.contains(pattern) {
                    println!("{}:{}:{}", file, i + 1, line);
                    matched = true;
                }
            }
        }
        if matched {
            ExitCode::SUCCESS
        } else {
            ExitCode::new(1)
        }
    }
}

/// Adds `path` to `files` if it is a file, or every file under it if it is a
/// directory.
fn collect(
    root: &Dir<'_>,
    path: &str,
    files: &mut Vec<String>,
) -> Result<(), wasi_guest::fs::Error> {
    if !root.metadata(path)?.is_dir() {
        files.push(path.to_string());
        return Ok(());
    }
    for entry in root.open_dir(path)?.sorted_entries()? {
        let child = if path == "." {
            entry.name().to_string()
        } else {
            format!("{path}/{}", entry.name())
        };
        if entry.file_type().is_dir() {
            collect(root, &child, files)?;
        } else {
            files.push(child);
        }
    }
    Ok(())
}

wasi_guest::export!(Grep);
