//! What `kv` and its std twin share: the command line, the file format (one
//! `key=value` per line, sorted by key) and what each command does. The
//! programs around it only read and write the file.
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use core::fmt::Write;

/// The file the store lives in, in the first preopened directory (std: the
/// current directory).
pub const FILE: &str = "kv.txt";

/// How to call it.
pub const USAGE: &str = "usage: kv set KEY VALUE | get KEY | del KEY | list";

/// The entries, sorted by key.
pub type Store = BTreeMap<String, String>;

/// One command from the command line.
pub enum Command<'a> {
    Set(&'a str, &'a str),
    Get(&'a str),
    Del(&'a str),
    List,
}

/// What a command printed, and whether the file must be written.
pub struct Outcome {
    pub output: String,
    pub changed: bool,
}

/// The command the arguments (without the program name) ask for.
pub fn command<'a>(args: &[&'a str]) -> Result<Command<'a>, String> {
    let command = match args {
        ["set", key, value] => {
            if value.contains('\n') {
                return Err("a value cannot contain a newline".to_string());
            }
            Command::Set(key, value)
        }
        ["get", key] => Command::Get(key),
        ["del", key] => Command::Del(key),
        ["list"] => Command::List,
        _ => return Err(USAGE.to_string()),
    };
    if let Command::Set(key, _) | Command::Get(key) | Command::Del(key) = command
        && (key.is_empty() || key.contains(['=', '\n']))
    {
        return Err(format!(
            "invalid key '{key}': empty, or holds '=' or a newline"
        ));
    }
    Ok(command)
}

/// The store the file's text holds (lines without `=` are skipped).
pub fn parse(text: &str) -> Store {
    text.lines()
        .filter_map(|line| line.split_once('='))
        .map(|(key, value)| (key.to_string(), value.to_string()))
        .collect()
}

/// The file's text for `store`.
pub fn render(store: &Store) -> String {
    let mut text = String::new();
    for (key, value) in store {
        let _ = writeln!(text, "{key}={value}");
    }
    text
}

/// Runs `command` on `store`.
pub fn apply(store: &mut Store, command: Command<'_>) -> Result<Outcome, String> {
    let mut output = String::new();
    let changed = match command {
        Command::Set(key, value) => {
            store.insert(key.to_string(), value.to_string());
            true
        }
        Command::Get(key) => {
            let value = store.get(key).ok_or_else(|| format!("no key '{key}'"))?;
            let _ = writeln!(output, "{value}");
            false
        }
        Command::Del(key) => {
            store.remove(key).ok_or_else(|| format!("no key '{key}'"))?;
            true
        }
        Command::List => {
            for (key, value) in store.iter() {
                let _ = writeln!(output, "{key}={value}");
            }
            false
        }
    };
    Ok(Outcome { output, changed })
}
