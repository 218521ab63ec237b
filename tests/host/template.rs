//! The README's quick start (install the tool, new, build, run), run
//! verbatim in a fresh directory outside the workspace (with `WASI_GUEST`
//! pointing at this checkout), and what it promises checked on the result;
//! and the packaged crate built the same way.

use std::path::Path;
use std::process::Command;

/// `cmd` without the test run's cargo settings, as an author's shell has
/// it: the quick start's paths assume cargo's own target directory, and the
/// template brings its own flags.
fn outside_workspace(cmd: &mut Command) -> &mut Command {
    cmd.env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET_DIR")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("RUSTFLAGS")
}

/// The commands between the README's `quickstart` markers.
fn quickstart() -> Vec<String> {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let block = readme
        .split("<!-- quickstart:begin -->")
        .nth(1)
        .and_then(|b| b.split("<!-- quickstart:end -->").next())
        .expect("README.md has the quickstart markers");
    block
        .lines()
        .filter(|l| !l.starts_with("```") && !l.trim().is_empty())
        .map(String::from)
        .collect()
}

#[test]
fn the_readme_quick_start_installs_the_tool_then_builds_a_small_stripped_runnable_component() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let wasm_tools = xtask::tools::wasm_tools().unwrap();
    let wasmtime = xtask::tools::wasmtime(xtask::tools::WASMTIME_CURRENT).unwrap();
    let work = std::env::temp_dir().join(format!("wasi-guest-quickstart-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).unwrap();
    let mut lines = quickstart();
    assert!(lines[0].starts_with("WASI_GUEST="), "{lines:?}");
    // The checkout under test instead of ~/wasi-guest; every other line as
    // written.
    lines[0] = format!("WASI_GUEST={}", root.display());
    let script = format!("set -eu\n{}\n", lines.join("\n"));
    // `cargo install` puts the tool into a root of the test's own, on PATH.
    let install = work.join("install");
    let path = format!(
        "{}:{}:{}:{}",
        install.join("bin").display(),
        wasm_tools.parent().unwrap().display(),
        wasmtime.parent().unwrap().display(),
        std::env::var("PATH").unwrap()
    );
    let project = work.join("project");
    std::fs::create_dir_all(&project).unwrap();
    let out = outside_workspace(&mut Command::new("bash"))
        .arg("-c")
        .arg(&script)
        .current_dir(&project)
        .env("PATH", path)
        .env("CARGO_INSTALL_ROOT", &install)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{script}\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // `wasmtime run` printed the template's hello, after `new`'s and
    // `build`'s reports.
    assert!(stdout.ends_with("\nhello\n"), "{stdout}");
    assert!(
        stdout.contains("my-component.wasm: ")
            && stdout.contains(" 2 pages of memory, policy rerunnable"),
        "{stdout}"
    );
    let project = project.join("my-component");
    let raw =
        std::fs::read(project.join("target/wasm32-wasip2/release/my_component.wasm")).unwrap();
    let stripped = std::fs::read(project.join("my-component.wasm")).unwrap();
    assert!(raw.len() <= 3300, "as cargo writes it: {} bytes", raw.len());
    assert!(
        stripped.len() <= 2048,
        "after the strip step: {} bytes",
        stripped.len()
    );
    let facts = cargo_wasi_guest::wasm::facts(&stripped).unwrap();
    assert_eq!(facts.initial_pages, 2);
    assert_eq!(
        wasi_guest::Policy::of_component(&stripped),
        Some(wasi_guest::Policy::Rerunnable)
    );
    let home = std::env::var("HOME").unwrap();
    for bytes in [&raw, &stripped] {
        for needle in [home.as_str(), "registry", "/root/", "/home/"] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
                "{needle} is in the binary"
            );
        }
    }
    std::fs::remove_dir_all(&work).unwrap();
}

/// `work/target/package/NAME.crate` unpacked into `work/NAME`.
fn unpack(work: &Path, name: &str) -> std::path::PathBuf {
    let crate_file = work.join(format!("target/package/{name}.crate"));
    let status = Command::new("tar")
        .arg("xzf")
        .arg(&crate_file)
        .arg("-C")
        .arg(work)
        .status()
        .unwrap();
    assert!(status.success(), "unpacking {}", crate_file.display());
    work.join(name)
}

/// The template the author's tool carries (`cargo-wasi-guest/src/template.rs`,
/// written out so that the tool can be packaged) is `templates/component`
/// as it is now; `cargo xtask build-examples` rewrites it.
#[test]
fn the_tool_carries_the_template_as_it_is_in_the_checkout() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let carried = std::fs::read_to_string(root.join("cargo-wasi-guest/src/template.rs")).unwrap();
    assert!(
        carried == cargo_wasi_guest::template_source(&root.join("templates/component")).unwrap(),
        "cargo-wasi-guest/src/template.rs is stale: run `cargo xtask build-examples`"
    );
}

/// The template filled in for `sdk` (a checkout or an unpacked package) in
/// `dir`, built with cargo, then stripped: the component's bytes.
fn template_built_against(sdk: &Path, dir: &Path) -> Vec<u8> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let _ = std::fs::remove_dir_all(dir);
    let status = Command::new("cp")
        .arg("-r")
        .arg(root.join("templates/component"))
        .arg(dir)
        .status()
        .unwrap();
    assert!(status.success());
    let home = std::env::var("HOME").unwrap();
    let cargo_home = std::env::var("CARGO_HOME").unwrap_or_else(|_| format!("{home}/.cargo"));
    for file in ["Cargo.toml", ".cargo/config.toml"] {
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path)
            .unwrap()
            .replace("{{wasi-guest}}", &sdk.display().to_string())
            .replace("{{home}}", &home)
            .replace("{{cargo-home}}", &cargo_home);
        std::fs::write(path, text).unwrap();
    }
    let out = outside_workspace(&mut Command::new(env!("CARGO")))
        .args(["build", "--release", "--quiet"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let built = std::fs::read(dir.join("target/wasm32-wasip2/release/my_component.wasm")).unwrap();
    cargo_wasi_guest::wasm::strip(&built).unwrap()
}

/// `cargo publish --dry-run -p wasi-guest` passes (the package builds on
/// its own, nothing is uploaded), and the crate it makes is one an author
/// can depend on: the template built against the unpacked `.crate` file
/// (not the checkout) is byte for byte the component the checkout gives, 2
/// pages, with its policy record. The author's tool packages too, beside
/// it, carrying the template and depending on wasi-guest by version.
#[test]
fn the_crate_passes_publish_dry_run_and_its_package_builds_the_template_into_the_same_component() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = std::env::temp_dir().join(format!("wasi-guest-package-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).unwrap();
    let cargo = |args: &[&str]| {
        let out = Command::new(env!("CARGO"))
            .args(args)
            .args(["--allow-dirty", "--target-dir"])
            .arg(work.join("target"))
            .current_dir(root)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "cargo {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let published = cargo(&["publish", "--dry-run", "-p", "wasi-guest"]);
    assert!(
        published.contains("aborting upload due to dry run"),
        "{published}"
    );
    // The tool's package is verified without its Wasmtime host (feature
    // `host`), the way the quick start installs it.
    let packaged = cargo(&[
        "package",
        "-p",
        "wasi-guest",
        "-p",
        "cargo-wasi-guest",
        "--no-default-features",
    ]);
    assert!(
        packaged.contains("Verifying cargo-wasi-guest v0.1.0"),
        "{packaged}"
    );
    let tool = unpack(&work, "cargo-wasi-guest-0.1.0");
    assert_eq!(
        std::fs::read_to_string(tool.join("src/template.rs")).unwrap(),
        cargo_wasi_guest::template_source(&root.join("templates/component")).unwrap()
    );
    let manifest = std::fs::read_to_string(tool.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("[dependencies.wasi-guest]\nversion = \"0.1.0\"")
            && !manifest.contains("path = \"..\""),
        "{manifest}"
    );

    let unpacked = unpack(&work, "wasi-guest-0.1.0");
    assert!(!unpacked.join("tests").exists() && !unpacked.join("examples").exists());

    let from_package = template_built_against(&unpacked, &work.join("from-package"));
    let from_checkout = template_built_against(root, &work.join("from-checkout"));
    assert!(
        from_package == from_checkout,
        "the packaged crate builds other bytes"
    );
    let facts = cargo_wasi_guest::wasm::facts(&from_package).unwrap();
    assert_eq!(facts.initial_pages, 2);
    assert_eq!(
        wasi_guest::Policy::of_component(&from_package),
        Some(wasi_guest::Policy::Rerunnable)
    );
    std::fs::remove_dir_all(&work).unwrap();
}
