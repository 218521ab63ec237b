use std::io::{Read, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (append, name) = match (args.get(1).map(String::as_str), args.get(2)) {
        (Some("-a"), Some(name)) => (true, name.clone()),
        (Some(name), None) if name != "-a" => (false, name.to_string()),
        _ => {
            eprintln!("usage: tee [-a] FILE");
            return ExitCode::FAILURE;
        }
    };
    let file = std::fs::OpenOptions::new()
        .write(!append)
        .append(append)
        .create(true)
        .truncate(!append)
        .open(&name);
    let mut file = match file {
        Ok(f) => f,
        Err(e) => {
            eprintln!("tee: {name}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdin = std::io::stdin();
    let mut stdout = std::io::stdout();
    let mut buf = [0u8; 8192];
    loop {
        let n = match stdin.read(&mut buf) {
            Ok(0) => return ExitCode::SUCCESS,
            Ok(n) => n,
            Err(e) => {
                eprintln!("tee: stdin: {e}");
                return ExitCode::FAILURE;
            }
        };
        let _ = stdout.write_all(&buf[..n]);
        if let Err(e) = file.write_all(&buf[..n]) {
            eprintln!("tee: {name}: {e}");
            return ExitCode::FAILURE;
        }
    }
}
