//! Prints its arguments, environment, first line of stdin and the files of
//! its preopened directory, with std, on every call of `wasi:cli/run`.
use std::io::BufRead;

struct Leaky;

impl wasi::exports::cli::run::Guest for Leaky {
    fn run() -> Result<(), ()> {
        println!("args: {:?}", std::env::args().collect::<Vec<_>>());
        for (k, v) in std::env::vars() {
            println!("env: {k}={v}");
        }
        let mut line = String::new();
        let _ = std::io::stdin().lock().read_line(&mut line);
        println!("stdin: {}", line.trim_end());
        if let Ok(entries) = std::fs::read_dir("/") {
            for e in entries.flatten() {
                let text = std::fs::read_to_string(e.path()).unwrap_or_default();
                println!("file {}: {}", e.file_name().to_string_lossy(), text.trim_end());
            }
        }
        Ok(())
    }
}

wasi::cli::command::export!(Leaky);
