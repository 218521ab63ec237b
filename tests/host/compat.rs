//! `cargo xtask compat`'s matrix, run as a test: every example under the
//! Wasmtime CLI (current and WASI 0.2.6 era) and jco on Node.js. No cell may
//! fail (a known host defect is recognised by its exact symptom, so a
//! different failure still fails), and docs/compat.md must show this table.

use xtask::compat::{self, Cell};

#[test]
fn every_example_runs_under_other_hosts_and_docs_compat_md_shows_the_result() {
    let rows = compat::matrix().unwrap();
    let table = compat::table(&rows);
    let failed: Vec<String> = rows
        .iter()
        .flat_map(|r| {
            r.cells
                .iter()
                .zip(compat::COLUMNS)
                .filter(|(c, _)| matches!(c, Cell::Fail(_)))
                .map(move |(c, col)| format!("{} under {col}: {c:?}", r.name))
        })
        .collect();
    assert!(failed.is_empty(), "{failed:#?}\n{table}");
    // Defects are confined to the column that calls `run` again under jco,
    // and, for WASI 0.3 components, jco's own `run` / `serve` (which cannot
    // find the preview3 shim from the temporary directory it writes to).
    for row in &rows {
        for (i, cell) in row.cells.iter().enumerate() {
            if matches!(cell, Cell::HostDefect(_)) {
                let p3_run = row.name.ends_with("-p3") && i == 2;
                assert!(i == 3 || p3_run, "{} (column {i}): {cell:?}", row.name);
            }
        }
    }
    let doc = std::fs::read_to_string(xtask::project_root().join("docs/compat.md")).unwrap();
    assert!(
        doc.contains(&table),
        "docs/compat.md is out of date: run `cargo xtask compat`\n{table}"
    );
}
