//! `grep` as a plain std command (paths relative to the current directory,
//! which Wasmtime maps to the first preopen). Each directory's entries are
//! sorted by name, as `grep` lists them.
use std::process::ExitCode;

fn collect(path: &str, files: &mut Vec<String>) -> std::io::Result<()> {
    if !std::fs::metadata(path)?.is_dir() {
        files.push(path.to_string());
        return Ok(());
    }
    let mut entries = std::fs::read_dir(path)?.collect::<Result<Vec<_>, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let child = if path == "." {
            name
        } else {
            format!("{path}/{name}")
        };
        if entry.file_type()?.is_dir() {
            collect(&child, files)?;
        } else {
            files.push(child);
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((pattern, paths)) = args.split_first() else {
        eprintln!("usage: grep PATTERN [PATH...]");
        return ExitCode::from(2);
    };
    let dot = [".".to_string()];
    let paths = if paths.is_empty() { &dot[..] } else { paths };
    let mut files = Vec::new();
    for path in paths {
        if let Err(e) = collect(path, &mut files) {
            eprintln!("grep: {path}: {e}");
            return ExitCode::from(2);
        }
    }
    let mut matched = false;
    for file in &files {
        let bytes = match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("grep: {file}: {e}");
                return ExitCode::from(2);
            }
        };
        let text = String::from_utf8_lossy(&bytes);
        for (i, line) in text.lines().enumerate() {
            if line.contains(pattern.as_str()) {
                println!("{}:{}:{}", file, i + 1, line);
                matched = true;
            }
        }
    }
    if matched {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
