//! The README's quick start, run verbatim in a fresh directory outside the
//! workspace (with `WASI_GUEST` pointing at this checkout), and what it
//! promises checked on the result.

use std::path::Path;
use std::process::Command;

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
fn the_readme_quick_start_builds_a_small_stripped_runnable_component_from_the_template() {
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
    let path = format!(
        "{}:{}:{}",
        wasm_tools.parent().unwrap().display(),
        wasmtime.parent().unwrap().display(),
        std::env::var("PATH").unwrap()
    );
    let out = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(&work)
        .env("PATH", path)
        // The quick start's paths assume cargo's own target directory.
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET_DIR")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{script}\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // `wasmtime run` printed the template's hello.
    assert_eq!(stdout, "hello\n");
    let project = work.join("my-component");
    let raw =
        std::fs::read(project.join("target/wasm32-wasip2/release/my_component.wasm")).unwrap();
    let stripped = std::fs::read(project.join("my-component.wasm")).unwrap();
    assert!(raw.len() <= 3300, "as cargo writes it: {} bytes", raw.len());
    assert!(
        stripped.len() <= 2048,
        "after wasm-tools strip: {} bytes",
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
