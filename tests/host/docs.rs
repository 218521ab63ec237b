//! The README cannot drift from the code it shows: every Rust block in it
//! is an example's whole `src/lib.rs`, and every `wasi-guest = { ... }`
//! dependency line it shows is one an example really uses.

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The bodies of the README's fenced blocks of `lang`.
fn blocks(doc: &str, lang: &str) -> Vec<String> {
    let open = format!("```{lang}\n");
    let mut out = Vec::new();
    let mut rest = doc;
    while let Some(at) = rest.find(&open) {
        let body = &rest[at + open.len()..];
        let end = body.find("```\n").expect("an unclosed block");
        out.push(body[..end].to_string());
        rest = &body[end..];
    }
    out
}

fn example_sources() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root().join("examples")).unwrap() {
        let dir = entry.unwrap().path();
        if let Ok(src) = std::fs::read_to_string(dir.join("src/lib.rs")) {
            out.push((dir.display().to_string(), src));
        }
    }
    out
}

#[test]
fn every_rust_block_of_the_readme_is_an_examples_whole_source() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let sources = example_sources();
    let rust = blocks(&readme, "rust");
    assert!(rust.len() >= 3, "README shows {} Rust blocks", rust.len());
    for block in rust {
        assert!(
            sources.iter().any(|(_, src)| *src == block),
            "this README block is no example's src/lib.rs:\n{block}"
        );
    }
}

#[test]
fn every_wasi_guest_dependency_line_of_the_readme_is_an_examples() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let mut manifests = String::new();
    for entry in std::fs::read_dir(root().join("examples")).unwrap() {
        let path = entry.unwrap().path().join("Cargo.toml");
        manifests.push_str(&std::fs::read_to_string(path).unwrap_or_default());
    }
    let lines: Vec<String> = blocks(&readme, "toml")
        .iter()
        .flat_map(|b| b.lines().map(str::to_string).collect::<Vec<_>>())
        .filter(|l| l.starts_with("wasi-guest = { path = \"../..\""))
        .collect();
    assert!(!lines.is_empty(), "README shows no example dependency line");
    for line in lines {
        assert!(
            manifests.lines().any(|m| m == line.as_str()),
            "no example's Cargo.toml has the README's line {line}"
        );
    }
}

/// The crate's front page shows `examples/hello/src/lib.rs` as it is (the
/// text is written out in `src/lib.rs`, not included from outside the
/// package, so that the crate can be packaged).
#[test]
fn the_crate_docs_show_the_hello_example_verbatim() {
    let lib = std::fs::read_to_string(root().join("src/lib.rs")).unwrap();
    let docs: String = lib
        .lines()
        .filter_map(|l| l.strip_prefix("//!"))
        .map(|l| format!("{}\n", l.strip_prefix(' ').unwrap_or(l)))
        .collect();
    let block = blocks(&docs, "rust,no_run")
        .into_iter()
        .next()
        .expect("a rust,no_run block in the crate docs");
    let shown: String = block
        .lines()
        .filter(|l| !l.starts_with("# "))
        .map(|l| format!("{l}\n"))
        .collect();
    let hello = std::fs::read_to_string(root().join("examples/hello/src/lib.rs")).unwrap();
    assert_eq!(shown, hello);
}
