//! The author's verbs: `new NAME` makes a component crate from the
//! template (name and paths filled in; it builds with no edits), `build`
//! builds it with the template's profile and flags, applies the strip step
//! and reports bytes and pages.
//!
//! The template is compiled into the tool (`templates/component` of the
//! wasi-guest checkout the tool was built from), and a new crate depends on
//! that checkout by path.

use crate::Result;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// The template's files: (path in the new crate, text with placeholders).
const TEMPLATE: &[(&str, &str)] = &[
    (
        "Cargo.toml",
        include_str!("../../templates/component/Cargo.toml"),
    ),
    (
        ".cargo/config.toml",
        include_str!("../../templates/component/.cargo/config.toml"),
    ),
    (
        "src/lib.rs",
        include_str!("../../templates/component/src/lib.rs"),
    ),
    (
        "README.md",
        include_str!("../../templates/component/README.md"),
    ),
];

/// The wasi-guest checkout the tool was built from (the template's crate
/// depends on it by path).
fn sdk_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Whether `name` can be a crate name (and a directory name).
fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// `new NAME`: the template in a new directory `NAME`.
pub fn new(args: &[String]) -> Result<ExitCode> {
    let [name] = args else {
        return Err("usage: new NAME".into());
    };
    if !valid_name(name) {
        return Err(format!(
            "`{name}` cannot be a crate name: start with a letter, then letters, digits, `-` or `_`"
        )
        .into());
    }
    let dir = Path::new(name);
    if dir.exists() {
        return Err(format!("{name} already exists; pick another name or remove it").into());
    }
    let home = std::env::var("HOME").map_err(|_| "HOME is not set")?;
    let cargo_home = std::env::var("CARGO_HOME").unwrap_or_else(|_| format!("{home}/.cargo"));
    let sdk = sdk_dir();
    for (path, text) in TEMPLATE {
        let text = text
            .replace("my-component", name)
            .replace("my_component", &name.replace('-', "_"))
            .replace("{{wasi-guest}}", &sdk.display().to_string())
            .replace("{{home}}", &home)
            .replace("{{cargo-home}}", &cargo_home);
        let file = dir.join(path);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(file, text)?;
    }
    println!("created {name}: `cd {name} && cargo wasi-guest build`");
    Ok(ExitCode::SUCCESS)
}

/// The package name in `Cargo.toml` of the current directory.
fn package_name(manifest: &str) -> Option<&str> {
    manifest
        .lines()
        .find_map(|l| l.trim().strip_prefix("name = \""))
        .and_then(|r| r.strip_suffix('"'))
}

/// `build`: `cargo build --release` in the current crate (the template's
/// profile and target), then the strip step into `NAME.wasm`.
pub fn build(args: &[String]) -> Result<ExitCode> {
    if let Some(a) = args.first() {
        return Err(format!("build takes no arguments (got `{a}`)").into());
    }
    let manifest = std::fs::read_to_string("Cargo.toml")
        .map_err(|e| format!("no Cargo.toml here ({e}): run `build` in a crate from `new`"))?;
    let name = package_name(&manifest).ok_or("no package name in Cargo.toml")?;
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--release", "--target", "wasm32-wasip2"])
        .status()?;
    if !status.success() {
        return Ok(ExitCode::FAILURE);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target"));
    let built = target
        .join("wasm32-wasip2/release")
        .join(format!("{}.wasm", name.replace('-', "_")));
    let bytes = std::fs::read(&built)
        .map_err(|e| format!("{}: {e} (is the crate a cdylib?)", built.display()))?;
    let stripped = crate::wasm::strip(&bytes)?;
    let facts = crate::wasm::facts(&stripped)?;
    let out = format!("{name}.wasm");
    std::fs::write(&out, &stripped)?;
    let policy = wasi_guest::Policy::of_component(&stripped)
        .map_or("none (not built with wasi-guest's export!)", |p| p.name());
    println!(
        "{out}: {} bytes ({} as cargo wrote it), {} pages of memory, policy {policy}",
        stripped.len(),
        bytes.len(),
        facts.initial_pages
    );
    Ok(ExitCode::SUCCESS)
}
