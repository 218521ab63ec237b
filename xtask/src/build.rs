//! Building the examples: the SDK program, its std twin on `wasm32-wasip2`, and
//! the same twin built for `wasm32-wasip1` and wrapped with the preview1
//! command adapter (what cargo-component does).

use crate::{Result, project_root};
use cargo_wasi_guest::wasm;
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
    /// The std twin's package name, if it has one.
    pub twin: Option<String>,
    /// The raw baseline's package name (`raw` metadata), if it has one: the
    /// same program on bare wit-bindgen bindings, no guard.
    pub raw: Option<String>,
}

/// A workspace package, as `cargo metadata` describes it.
#[derive(Clone, Debug)]
pub struct Package {
    /// Its name.
    pub name: String,
    /// Its directory.
    pub dir: PathBuf,
    /// `kind` under `[package.metadata.wasi-guest]`: `"host"` for a crate
    /// that is not a component (examples/reuse-host), else `None`.
    pub kind: Option<String>,
    /// `twin` under `[package.metadata.wasi-guest]`: the std twin's package
    /// when it is not `NAME-std` (how `wc-arena` shares `wc`'s twin).
    pub twin: Option<String>,
    /// `raw` under `[package.metadata.wasi-guest]`: the raw baseline's
    /// package (under `xtask/bench/`), the floor the size table shows.
    pub raw: Option<String>,
}

impl Package {
    /// Whether this is a component to build for wasm (not a host crate).
    pub fn is_component(&self) -> bool {
        self.kind.as_deref() != Some("host")
    }
}

/// Every package of the workspace (`cargo metadata --no-deps`), by name.
pub fn packages() -> Result<Vec<Package>> {
    let out = cargo()
        .current_dir(project_root())
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .output()?;
    if !out.status.success() {
        return Err(format!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    let mut packages = Vec::new();
    for p in meta["packages"]
        .as_array()
        .ok_or("cargo metadata: no packages")?
    {
        let name = p["name"]
            .as_str()
            .ok_or("cargo metadata: a package without name")?;
        let manifest = PathBuf::from(p["manifest_path"].as_str().ok_or("no manifest_path")?);
        let ours = &p["metadata"]["wasi-guest"];
        packages.push(Package {
            name: name.to_string(),
            dir: manifest
                .parent()
                .ok_or("manifest without directory")?
                .to_path_buf(),
            kind: ours["kind"].as_str().map(str::to_string),
            twin: ours["twin"].as_str().map(str::to_string),
            raw: ours["raw"].as_str().map(str::to_string),
        });
    }
    packages.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(packages)
}

/// The packages directly under `dir` (relative to the project root, e.g.
/// `examples`), sorted by name.
pub fn packages_in(dir: &str) -> Result<Vec<Package>> {
    let under = project_root().join(dir);
    Ok(packages()?
        .into_iter()
        .filter(|p| p.dir.parent() == Some(under.as_path()))
        .collect())
}

/// The SDK examples: the components under `examples/` whose name does not
/// end in `-std`, sorted by name. An example's twin is the package named by
/// its `twin` metadata, or `NAME-std` if that package exists.
pub fn examples() -> Result<Vec<Example>> {
    let all = packages_in("examples")?;
    let names: Vec<&str> = all.iter().map(|p| p.name.as_str()).collect();
    Ok(all
        .iter()
        .filter(|p| p.is_component() && !p.name.ends_with("-std"))
        .map(|p| {
            let conventional = format!("{}-std", p.name);
            let twin = p.twin.clone().or_else(|| {
                names
                    .contains(&conventional.as_str())
                    .then_some(conventional)
            });
            Example {
                name: p.name.clone(),
                twin,
                raw: p.raw.clone(),
            }
        })
        .collect())
}

/// The `Cargo.toml` of `examples/<name>`.
pub fn project_manifest(name: &str) -> Result<String> {
    Ok(std::fs::read_to_string(
        project_root()
            .join("examples")
            .join(name)
            .join("Cargo.toml"),
    )?)
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
    /// The workspace's rustflags plus `--cfg wasi_guest_no_scrub`: memory is
    /// not cleared. Only to show what clearing does and costs (tests,
    /// `cargo xtask bench`); built into `target/no-scrub`.
    NoScrub,
    /// Exactly these rustflags (`\x1f`-separated, as
    /// `CARGO_ENCODED_RUSTFLAGS`), nothing from the config file.
    Exactly(&'static str),
}

/// `cargo build --release --target <target> -p <package>`; returns the
/// `.wasm` it produced. Each package is built on its own so that one
/// example's features (e.g. `std`) never leak into another's build.
pub fn cargo_build(package: &str, target: &str, flags: Flags) -> Result<PathBuf> {
    cargo_build_with(package, target, flags, &[], None)
}

/// [`cargo_build`] with extra cargo arguments (`--config ...`, `--features
/// ...`) and, if given, a target directory of its own under `target/`.
pub fn cargo_build_with(
    package: &str,
    target: &str,
    flags: Flags,
    extra: &[&str],
    subdir: Option<&str>,
) -> Result<PathBuf> {
    let _serial = CARGO_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let target_root = match (flags, subdir) {
        (_, Some(dir)) => target_dir().join(dir),
        (Flags::NoScrub, None) => target_dir().join("no-scrub"),
        _ => target_dir(),
    };
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
    // After the subcommand: cargo ignores a `--config` given before it when
    // more follow the subcommand.
    cmd.arg("--config").arg(format!(
        "build.target-dir={}",
        toml_string(&target_root.display().to_string())
    ));
    cmd.args(extra);
    match flags {
        // Takes precedence over config rustflags; empty means none.
        Flags::Default => {
            cmd.env("CARGO_ENCODED_RUSTFLAGS", "");
        }
        Flags::Exactly(encoded) => {
            cmd.env("CARGO_ENCODED_RUSTFLAGS", encoded);
        }
        // `--config` arrays are appended to the config file's.
        Flags::Workspace => {
            cmd.arg("--config")
                .arg(format!("target.{target}.rustflags={}", registry_remaps()));
        }
        Flags::NoScrub => {
            cmd.arg("--config")
                .arg(format!("target.{target}.rustflags={}", registry_remaps()))
                .arg("--config")
                .arg(format!(
                    "target.{target}.rustflags=[\"--cfg\", \"wasi_guest_no_scrub\"]"
                ));
        }
    }
    let status = cmd.status()?;
    if !status.success() {
        return Err(format!("building {package} for {target} failed").into());
    }
    artifact(&target_root.join(target).join("release"), package)
}

/// The `.wasm` cargo wrote for `package` into `dir`: a cdylib is named after
/// its library (`-` becomes `_`), a bin after the package.
pub fn artifact(dir: &Path, package: &str) -> Result<PathBuf> {
    let mut path = dir.join(format!("{package}.wasm"));
    if !path.exists() {
        path = dir.join(format!("{}.wasm", package.replace('-', "_")));
    }
    if !path.exists() {
        return Err(format!("{} was not produced", path.display()).into());
    }
    Ok(path)
}

/// A TOML basic string holding `s`.
fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Builds a crate the way an author builds their own, outside this
/// workspace: copies the crate at `src` (its `Cargo.toml`, `src/` and
/// `.cargo/`) into a fresh temporary directory, points its `wasi-guest`
/// dependency line at this checkout (keeping the line's other keys unless
/// `dependency` replaces them, e.g. `default-features = false, features =
/// ["arena"]`), and runs plain `cargo build --release --target
/// wasm32-wasip2` there, with this workspace's `Cargo.lock` so no versions
/// move. None of this repository's config applies. Compiled dependencies
/// are shared in `target/outside`.
///
/// Returns the copy's directory and the component (copied into that
/// directory), or the copy's directory and cargo's error output when the
/// build fails.
pub fn build_outside(
    src: &Path,
    dependency: Option<&str>,
) -> Result<(PathBuf, Result<PathBuf, String>)> {
    static SERIAL: Mutex<u32> = Mutex::new(0);
    let mut n = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    *n += 1;
    let name = src
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or("crate directory has no name")?;
    let dir = std::env::temp_dir().join(format!("wasi-guest-{}-{}-{name}", std::process::id(), *n));
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    copy_tree(src, &dir)?;
    std::fs::copy(project_root().join("Cargo.lock"), dir.join("Cargo.lock"))?;
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml"))?;
    // A crate that does not use this one (a std comparison program) is
    // built as it is.
    if manifest.contains("wasi-guest = {") || dependency.is_some() {
        std::fs::write(
            dir.join("Cargo.toml"),
            point_dependency(&manifest, &project_root(), dependency)?,
        )?;
    }
    let out = cargo()
        .current_dir(&dir)
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("RUSTFLAGS")
        .env("CARGO_TARGET_DIR", target_dir().join("outside"))
        .args(["build", "--quiet", "--release", "--target", P2])
        .output()?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        return Ok((dir, Err(err)));
    }
    let package = manifest
        .lines()
        .find_map(|l| l.trim().strip_prefix("name = \""))
        .and_then(|r| r.strip_suffix('"'))
        .ok_or("no package name in Cargo.toml")?;
    let built = artifact(
        &target_dir().join("outside").join(P2).join("release"),
        package,
    )?;
    // The shared target directory keeps one artifact per package; the copy
    // keeps this build's (made while `SERIAL` is held).
    let kept = dir.join(built.file_name().ok_or("artifact has no name")?);
    std::fs::copy(&built, &kept)?;
    Ok((dir, Ok(kept)))
}

/// Copies `Cargo.toml`, `src/` and `.cargo/` of a crate (not `target/`).
fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if name == "target" || name == "Cargo.lock" {
            continue;
        }
        let (src, dst) = (entry.path(), to.join(&name));
        if entry.file_type()?.is_dir() {
            copy_tree(&src, &dst)?;
        } else {
            std::fs::copy(&src, &dst)?;
        }
    }
    Ok(())
}

/// The `key = value` items of an inline table's body, split at top-level
/// commas (not those inside `[...]` or strings).
fn split_keys(inner: &str) -> Vec<&str> {
    let (mut depth, mut quoted, mut start) = (0i32, false, 0);
    let mut items = Vec::new();
    for (i, c) in inner.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '[' | '{' if !quoted => depth += 1,
            ']' | '}' if !quoted => depth -= 1,
            ',' if !quoted && depth == 0 => {
                items.push(inner[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(inner[start..].trim());
    items.retain(|kv| !kv.is_empty());
    items
}

/// Rewrites the one-line `wasi-guest = { ... }` dependency of a manifest to
/// `path = "<root>"`, keeping the line's other keys, or with `keys` instead
/// of them.
pub fn point_dependency(manifest: &str, root: &Path, keys: Option<&str>) -> Result<String> {
    let mut found = false;
    let mut out = String::new();
    for line in manifest.lines() {
        match line.trim_start().strip_prefix("wasi-guest = {") {
            Some(rest) if !found => {
                found = true;
                let inner = rest.trim_end().strip_suffix('}').ok_or(
                    "the wasi-guest dependency must be declared on one line: wasi-guest = { ... }",
                )?;
                let kept: Vec<&str> = match keys {
                    Some(k) => vec![k],
                    None => split_keys(inner)
                        .into_iter()
                        .filter(|kv| {
                            let key = kv.split('=').next().unwrap_or("").trim();
                            !matches!(key, "path" | "git" | "version" | "branch" | "rev" | "tag")
                        })
                        .collect(),
                };
                let path = toml_string(&root.display().to_string());
                let mut parts = vec![format!("path = {path}")];
                parts.extend(kept.iter().map(|k| k.to_string()));
                out.push_str(&format!("wasi-guest = {{ {} }}\n", parts.join(", ")));
            }
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    if !found {
        return Err("no `wasi-guest = { ... }` dependency line in Cargo.toml".into());
    }
    Ok(out)
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
    /// The raw baseline, after the same strip step as the SDK component.
    pub raw: Option<PathBuf>,
}

/// Builds the SDK component of example `name` the workspace way and strips
/// it; returns the component as cargo wrote it and the stripped one
/// (`NAME.stripped.wasm` beside it).
pub fn build_sdk(name: &str) -> Result<(PathBuf, PathBuf)> {
    let raw = cargo_build(name, P2, Flags::Workspace)?;
    let stripped = raw.with_extension("stripped.wasm");
    std::fs::write(&stripped, wasm::strip(&std::fs::read(&raw)?)?)?;
    Ok((raw, stripped))
}

/// The wasm features rustc 1.95 enables for `wasm32-wasip2` (and `-wasip1`)
/// by default, for `wasm-opt`: cargo's release output has no
/// `target_features` section to read them from, and `wasm-opt` must not use
/// any feature beyond them.
const RUSTC_WASM_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-bulk-memory-opt",
    "--enable-call-indirect-overlong",
    "--enable-multivalue",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-reference-types",
    "--enable-sign-ext",
];

/// The strip step with `wasm-opt -Oz` (`wasm_opt`, binaryen) run on every
/// core module first: writes `NAME.opt.wasm` beside `component` (as cargo
/// wrote it) and returns its path. The result is validated.
pub fn optimised(component: &Path, wasm_opt: &Path) -> Result<PathBuf> {
    let scratch = component.with_extension("opt-module.wasm");
    let scratch_out = component.with_extension("opt-module-out.wasm");
    let mut run = |module: &[u8]| -> Result<Vec<u8>> {
        std::fs::write(&scratch, module)?;
        let out = Command::new(wasm_opt)
            .arg("-Oz")
            .args(RUSTC_WASM_FEATURES)
            .arg(&scratch)
            .arg("-o")
            .arg(&scratch_out)
            .output()?;
        if !out.status.success() {
            return Err(format!(
                "wasm-opt -Oz {}: {}",
                component.display(),
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
        Ok(std::fs::read(&scratch_out)?)
    };
    let bytes = wasm::rewrite_modules(&std::fs::read(component)?, &mut run)?;
    let _ = std::fs::remove_file(&scratch);
    let _ = std::fs::remove_file(&scratch_out);
    let stripped = wasm::strip(&bytes)?;
    // `facts` validates.
    wasm::facts(&stripped).map_err(|e| format!("{} after wasm-opt: {e}", component.display()))?;
    let path = component.with_extension("opt.wasm");
    std::fs::write(&path, stripped)?;
    Ok(path)
}

/// Builds the raw baseline `name` (a package under `xtask/bench/`) the
/// workspace way and strips it like an SDK component.
pub fn build_raw(name: &str) -> Result<PathBuf> {
    Ok(build_sdk(name)?.1)
}

/// Builds an example and, if it has one, its twin both ways.
pub fn build_all(example: &Example) -> Result<Builds> {
    let (sdk_raw, sdk) = build_sdk(&example.name)?;
    let (std_p2, std_p1_adapter) = match &example.twin {
        Some(twin) => {
            let p2 = cargo_build(twin, P2, Flags::Default)?;
            let p1 = cargo_build(twin, P1, Flags::Default)?;
            let adapted = adapt_p1(&p1)?;
            (Some(p2), Some(adapted))
        }
        None => (None, None),
    };
    let raw = example.raw.as_deref().map(build_raw).transpose()?;
    Ok(Builds {
        example: example.clone(),
        sdk_raw,
        sdk,
        std_p2,
        std_p1_adapter,
        raw,
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

#[cfg(test)]
mod tests {
    use super::point_dependency;
    use std::path::Path;

    #[test]
    fn the_dependency_line_is_pointed_here_and_keeps_its_features() {
        let m = "[dependencies]\nwasi-guest = { path = \"../..\", default-features = false, features = [\"arena\", \"panic-trap\"] }\nx = 1\n";
        let out = point_dependency(m, Path::new("/repo"), None).unwrap();
        assert_eq!(
            out,
            "[dependencies]\nwasi-guest = { path = \"/repo\", default-features = false, features = [\"arena\", \"panic-trap\"] }\nx = 1\n"
        );
        let git = "wasi-guest = { git = \"https://example.org/x\", features = [\"wasi\"] }\n";
        assert_eq!(
            point_dependency(git, Path::new("/r"), Some("features = [\"std\"]")).unwrap(),
            "wasi-guest = { path = \"/r\", features = [\"std\"] }\n"
        );
        assert!(point_dependency("[dependencies]\n", Path::new("/r"), None).is_err());
        assert!(point_dependency("wasi-guest = { path = \"x\",\n", Path::new("/r"), None).is_err());
    }
}
