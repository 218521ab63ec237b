//! What `summary` and its std twin share: counting lines and the table.
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

/// How often each distinct line occurs.
pub type Counts = BTreeMap<String, usize>;

/// The table: one row per distinct line, most frequent first (ties in
/// line order), with its count, its share of all lines in percent and the
/// line padded to the longest one's width; then a totals row.
pub fn render(counts: &Counts) -> String {
    let total: usize = counts.values().sum();
    let mut rows: Vec<(&String, &usize)> = counts.iter().collect();
    rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let width = rows
        .iter()
        .map(|(line, _)| line.chars().count())
        .max()
        .unwrap_or(0)
        .max("line".len());
    let mut out = String::new();
    let _ = writeln!(out, "{:<width$}  {:>6}  {:>5}", "line", "count", "share");
    for (line, count) in rows {
        let share = count * 100 / total;
        let _ = writeln!(out, "{line:<width$}  {count:>6}  {share:>4}%");
    }
    let _ = writeln!(out, "{} distinct of {total} lines", counts.len());
    out
}
