//! Heavy output and input against std, and what clearing memory costs.

use super::*;

/// Output-heavy (100,000 formatted lines) and input-heavy (10 MB of stdin)
/// work against the std twins.
pub fn heavy(md: &mut String) -> Result<()> {
    let h = Host::new(None)?;
    md.push_str(
        "## Heavy output and input\n\n\
         A fresh instance per call (a std `fn main` allows nothing else), 10 rounds side by side.\n\n\
         | work | SDK | std twin | std / SDK | host writes per line, SDK / std |\n|---|---|---|---|---|\n",
    );
    // Output: 100,000 lines.
    let lines = builds("lines")?;
    let (sdk, std) = (
        h.load(&lines.sdk)?,
        h.load(lines.std_p2.as_ref().ok_or("lines-std")?)?,
    );
    let call = Call::args(&["lines", "100000"]);
    let stats = side_by_side(
        10,
        &mut [&mut || fresh_run(&h, &sdk, &call), &mut || {
            fresh_run(&h, &std, &call)
        }],
    )?;
    let writes = |c: &Component| -> Result<usize> { Ok(h.instance(c)?.call(&call).stdout_writes) };
    let _ = writeln!(
        md,
        "| 100,000 lines of `println!(\"line {{i}} of {{n}}: {{}}\", i * i)` | {} | {} | {} | {:.2} / {:.2} |",
        stats[0].cell(),
        stats[1].cell(),
        ratio(stats[1].median, stats[0].median),
        writes(&sdk)? as f64 / 100_000.0,
        writes(&std)? as f64 / 100_000.0
    );
    // Input: 10 MB through wc.
    let wc = builds("wc")?;
    let (sdk, std) = (
        h.load(&wc.sdk)?,
        h.load(wc.std_p2.as_ref().ok_or("wc-std")?)?,
    );
    let input = b"the quick brown fox jumps over the lazy dog\n".repeat(10_000_000 / 44);
    let call = Call {
        stdin: input,
        ..Call::args(&["wc"])
    };
    let stats = side_by_side(
        10,
        &mut [&mut || fresh_run(&h, &sdk, &call), &mut || {
            fresh_run(&h, &std, &call)
        }],
    )?;
    let _ = writeln!(
        md,
        "| `wc` over 10 MB of stdin | {} | {} | {} | - |\n",
        stats[0].cell(),
        stats[1].cell(),
        ratio(stats[1].median, stats[0].median),
    );
    Ok(())
}

/// What clearing memory costs per call: each example built as usual and
/// with clearing compiled out (`--cfg wasi_guest_no_scrub`).
pub fn clearing(md: &mut String) -> Result<()> {
    let h = Host::new(None)?;
    md.push_str(
        "## What clearing costs\n\n\
         One reused instance per build, a fresh `WasiCtx` per call, the build as shipped against \
         the same source with clearing compiled out (`--cfg wasi_guest_no_scrub`, not a supported \
         configuration), side by side.\n\n\
         | component | reused: clearing (as shipped) | reused: without clearing | cost | fresh instance: clearing | fresh: without | cost |\n|---|---|---|---|---|---|---|\n",
    );
    for name in ["hello", "echo", "cat", "wc"] {
        let with = builds(name)?.sdk_raw;
        let without = build::cargo_build(name, P2, Flags::NoScrub)?;
        let (cw, co) = (h.load(&with)?, h.load(&without)?);
        let call = call_for(name);
        let (mut iw, mut io) = (h.instance(&cw)?, h.instance(&co)?);
        let s = side_by_side(
            ROUNDS * 2,
            &mut [
                &mut || check(&iw.call(&call)),
                &mut || check(&io.call(&call)),
                &mut || fresh_run(&h, &cw, &call),
                &mut || fresh_run(&h, &co, &call),
            ],
        )?;
        let cost =
            |a: Stats, b: Stats| (a.median.as_secs_f64() / b.median.as_secs_f64() - 1.0) * 100.0;
        let _ = writeln!(
            md,
            "| {name} | {} | {} | {:+.1}% | {} | {} | {:+.1}% |",
            s[0].cell(),
            s[1].cell(),
            cost(s[0], s[1]),
            s[2].cell(),
            s[3].cell(),
            cost(s[2], s[3]),
        );
    }
    md.push('\n');
    Ok(())
}
