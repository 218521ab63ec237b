//! Building the examples: the SDK program, its std twin on `wasm32-wasip2`, and
//! the same twin built for `wasm32-wasip1` and wrapped with the preview1
//! command adapter (what cargo-component does).

use crate::{Result, project_root, wasm};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

/// The target SDK components are built for.
pub const P2: &str = "wasm32-wasip2";
/// The target of the adapter twins.
pub const P1: &str = "wasm32-wasip1";

/// `$CARGO` (set when run under cargo), else `cargo` from `PATH`.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| project_root().join("target"))
}

/// Installs the wasm targets with rustup if the toolchain lacks them.
pub fn ensure_targets(targets: &[&str]) -> Result<()> {
    let out = Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()?;
    let sysroot = PathBuf::from(String::from_utf8(out.stdout)?.trim());
    for t in targets {
        if sysroot.join("lib/rustlib").join(t).exists() {
            continue;
        }
        eprintln!("installing the {t} target with rustup");
        let ok = Command::new("rustup")
            .args(["target", "add", t])
            .status()?
            .success();
        if !ok {
            return Err(format!("`rustup target add {t}` failed").into());
        }
    }
    Ok(())
}

/// One example directory under `examples/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Example {
    /// Package name (= directory name).
    pub name: String,
    /// The std twin's package name, if `examples/<name>-std` exists.
    pub twin: Option<String>,
}

/// The SDK examples (every directory not ending in `-std`), sorted by name.
/// An example's twin is `examples/<name>-std`, or the package named by
/// `twin = "..."` under `[package.metadata.wasi-guest]` in its Cargo.toml
/// (how `wc-arena` shares `wc`'s twin).
pub fn examples() -> Result<Vec<Example>> {
    let dir = project_root().join("examples");
    let mut names: Vec<String> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("Cargo.toml").exists())
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    names.sort();
    let mut out = Vec::new();
    for n in names.iter().filter(|n| !n.ends_with("-std")) {
        let manifest = std::fs::read_to_string(dir.join(n).join("Cargo.toml"))?;
        let declared = manifest
            .lines()
            .find_map(|l| l.trim().strip_prefix("twin = \""))
            .and_then(|rest| rest.strip_suffix('"'))
            .map(str::to_string);
        let conventional = format!("{n}-std");
        let twin = declared.or_else(|| names.contains(&conventional).then_some(conventional));
        out.push(Example {
            name: n.clone(),
            twin,
        });
    }
    Ok(out)
}

// Cargo runs serialise on the target directory lock anyway; serialising here
// keeps parallel tests from interleaving their build output.
static CARGO_LOCK: Mutex<()> = Mutex::new(());

/// How a package is built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flags {
    /// With the workspace's `.cargo/config.toml` rustflags (SDK examples).
    Workspace,
    /// With no rustflags at all: how a std program is built by default
    /// (the twins).
    Default,
}

/// `cargo build --release --target <target> -p <package>`; returns the
/// `.wasm` it produced. Each package is built on its own so that one
/// example's features (e.g. `std`) never leak into another's build.
pub fn cargo_build(package: &str, target: &str, flags: Flags) -> Result<PathBuf> {
    let _serial = CARGO_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let mut cmd = cargo();
    cmd.current_dir(project_root()).args([
        "build",
        "--quiet",
        "--release",
        "--target",
        target,
        "-p",
        package,
    ]);
    match flags {
        // Takes precedence over config rustflags; empty means none.
        Flags::Default => {
            cmd.env("CARGO_ENCODED_RUSTFLAGS", "");
        }
        // `--config` arrays are appended to the config file's.
        Flags::Workspace => {
            cmd.arg("--config")
                .arg(format!("target.{target}.rustflags={}", registry_remaps()));
        }
    }
    let status = cmd.status()?;
    if !status.success() {
        return Err(format!("building {package} for {target} failed").into());
    }
    let dir = target_dir().join(target).join("release");
    // A cdylib is named after its library (`-` becomes `_`), a bin after
    // the package.
    let mut path = dir.join(format!("{package}.wasm"));
    if !path.exists() {
        path = dir.join(format!("{}.wasm", package.replace('-', "_")));
    }
    if !path.exists() {
        return Err(format!("{} was not produced", path.display()).into());
    }
    Ok(path)
}

/// `--remap-path-prefix` for every crates.io source directory, as a TOML
/// array: panic locations inside dependencies (dlmalloc's assertions) then
/// name `dlmalloc-0.2.14/src/...` instead of the absolute path of the local
/// registry, so sizes do not depend on where `CARGO_HOME` is (and are ~60
/// bytes smaller per crate).
pub fn registry_remaps() -> String {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    let mut flags = Vec::new();
    if let Some(Ok(dirs)) = home.map(|h| std::fs::read_dir(h.join("registry").join("src"))) {
        for dir in dirs.flatten() {
            flags.push(format!(
                "\"--remap-path-prefix={}/=\"",
                dir.path().display()
            ));
        }
    }
    format!("[{}]", flags.join(", "))
}

/// All the builds of one example.
#[derive(Clone, Debug)]
pub struct Builds {
    /// The example.
    pub example: Example,
    /// The SDK component as cargo produced it.
    pub sdk_raw: PathBuf,
    /// The SDK component after [`wasm::strip`] (what an author ships).
    pub sdk: PathBuf,
    /// The std twin, `fn main` on `wasm32-wasip2`.
    pub std_p2: Option<PathBuf>,
    /// The std twin built for `wasm32-wasip1` and wrapped with the preview1
    /// command adapter.
    pub std_p1_adapter: Option<PathBuf>,
}

/// Builds an example and, if it has one, its twin both ways.
pub fn build_all(example: &Example) -> Result<Builds> {
    let sdk_raw = cargo_build(&example.name, P2, Flags::Workspace)?;
    let sdk = sdk_raw.with_extension("stripped.wasm");
    std::fs::write(&sdk, wasm::strip(&std::fs::read(&sdk_raw)?)?)?;
    let (std_p2, std_p1_adapter) = match &example.twin {
        Some(twin) => {
            let p2 = cargo_build(twin, P2, Flags::Default)?;
            let p1 = cargo_build(twin, P1, Flags::Default)?;
            let adapted = adapt_p1(&p1)?;
            (Some(p2), Some(adapted))
        }
        None => (None, None),
    };
    Ok(Builds {
        example: example.clone(),
        sdk_raw,
        sdk,
        std_p2,
        std_p1_adapter,
    })
}

/// Wraps a preview1 core module into a component with the preview1 command
/// adapter, as cargo-component does; writes `<name>.adapter.wasm` beside it.
pub fn adapt_p1(module: &Path) -> Result<PathBuf> {
    let bytes = std::fs::read(module)?;
    let component = wit_component::ComponentEncoder::default()
        .validate(true)
        .module(&bytes)?
        .adapter(
            "wasi_snapshot_preview1",
            wasi_preview1_component_adapter_provider::WASI_SNAPSHOT_PREVIEW1_COMMAND_ADAPTER,
        )?
        .encode()?;
    let out = module.with_extension("adapter.wasm");
    std::fs::write(&out, component)?;
    Ok(out)
}
