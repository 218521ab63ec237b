//! `cargo xtask build-examples`.

use xtask::build::{self, P1, P2};
use xtask::measure;
use xtask::report::{self, Row};
use xtask::{Result, project_root};

pub fn run(args: &[String]) -> Result<()> {
    if let Some(a) = args.first() {
        return Err(format!("build-examples takes no arguments (got `{a}`)").into());
    }
    // The template as the author's tool carries it (it cannot include
    // files from outside its package).
    let template = cargo_wasi_guest::template_source(&project_root().join("templates/component"))?;
    std::fs::write(
        project_root().join("cargo-wasi-guest/src/template.rs"),
        template,
    )?;
    build::ensure_targets(&[P2, P1])?;
    // The -Oz columns: binaryen from npm, or `-` with a line saying why.
    let wasm_opt = match xtask::tools::wasm_opt() {
        Ok(bin) => Some(bin),
        Err(e) => {
            eprintln!("no wasm-opt, the -Oz columns stay empty: {e}");
            None
        }
    };
    let mut rows = Vec::new();
    for example in build::examples()? {
        eprintln!("building {}", example.name);
        let b = build::build_all(&example)?;
        let sdk = measure::size(&b.sdk)?;
        let std = b.std_p2.as_deref().map(measure::size).transpose()?;
        let adapter = b.std_p1_adapter.as_deref().map(measure::size).transpose()?;
        let raw = b.raw.as_deref().map(measure::size).transpose()?;
        let opt_len = |path: &std::path::Path| -> Result<usize> {
            let bin = wasm_opt.as_deref().ok_or("no wasm-opt")?;
            Ok(std::fs::metadata(build::optimised(path, bin)?)?.len() as usize)
        };
        let (sdk_opt, std_opt) = match &wasm_opt {
            Some(_) => (
                Some(opt_len(&b.sdk_raw)?),
                b.std_p2.as_deref().map(opt_len).transpose()?,
            ),
            None => (None, None),
        };
        rows.push(Row {
            name: example.name.clone(),
            sdk_raw: std::fs::metadata(&b.sdk_raw)?.len() as usize,
            sdk,
            std,
            adapter,
            raw,
            sdk_opt,
            std_opt,
        });
    }
    print!("{}", report::text(&rows));
    let toolchain = String::from_utf8(
        std::process::Command::new("rustc")
            .arg("-V")
            .output()?
            .stdout,
    )?;
    let docs = project_root().join("docs");
    std::fs::create_dir_all(&docs)?;
    std::fs::write(
        docs.join("sizes.md"),
        report::markdown(&rows, toolchain.trim()),
    )?;
    std::fs::write(docs.join("sizes.svg"), report::svg(&rows))?;
    let readme_path = project_root().join("README.md");
    let readme = std::fs::read_to_string(&readme_path)?;
    let updated = report::splice(&readme, "sizes", &report::readme(&rows))
        .ok_or("README.md lacks the <!-- sizes:begin/end --> markers")?;
    std::fs::write(readme_path, updated)?;
    eprintln!(
        "wrote cargo-wasi-guest/src/template.rs, docs/sizes.md, docs/sizes.svg and the table in README.md"
    );
    Ok(())
}
