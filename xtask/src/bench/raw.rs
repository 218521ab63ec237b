//! The SDK's `hello` against raw wit-bindgen's, per call (WASI 0.2).

use super::builds;
use super::{Host, check, err, human, ratio, side_by_side};
use cargo_wasi_guest::host::{Call, Instance};
use std::fmt::Write as _;
use std::time::Duration;
use xtask::Result;
use xtask::build::{self, Flags, P2};

/// The SDK's hello against a raw wit-bindgen hello: what the guard, the
/// per-call context and the teardown cost per call.
pub fn against_raw(md: &mut String) -> Result<()> {
    let sdk = builds("hello")?.sdk;
    let raw = build::cargo_build("raw-hello", P2, Flags::Workspace)?;
    let h = Host::new(None)?;
    let (cs, cr) = (h.load(&sdk)?, h.load(&raw)?);
    let call = Call::args(&["hello"]);
    let mut rows = Vec::new();
    for block in 0..6 {
        let (mut s_same, mut r_same) = (h.instance(&cs)?, h.instance(&cr)?);
        let (mut s_fresh, mut r_fresh) = (h.instance(&cs)?, h.instance(&cr)?);
        let same = |i: &mut Instance| -> Result<()> {
            i.call_same_context()
                .map_err(err)?
                .map_err(|()| "error result".into())
        };
        check(&s_same.call(&call))?;
        check(&r_same.call(&call))?;
        // Alternate which goes first, block by block.
        let stats = if block % 2 == 0 {
            side_by_side(
                2000,
                &mut [
                    &mut || same(&mut s_same),
                    &mut || same(&mut r_same),
                    &mut || check(&s_fresh.call(&call)),
                    &mut || check(&r_fresh.call(&call)),
                ],
            )?
        } else {
            let mut v = side_by_side(
                2000,
                &mut [
                    &mut || same(&mut r_same),
                    &mut || same(&mut s_same),
                    &mut || check(&r_fresh.call(&call)),
                    &mut || check(&s_fresh.call(&call)),
                ],
            )?;
            v.swap(0, 1);
            v.swap(2, 3);
            v
        };
        rows.push(stats);
    }
    let med = |k: usize| {
        let mut m: Vec<Duration> = rows.iter().map(|r| r[k].median).collect();
        m.sort();
        m[m.len() / 2]
    };
    let writes = {
        let mut i = h.instance(&cs)?;
        i.call(&call).stdout_writes
    };
    let raw_writes = {
        let mut i = h.instance(&cr)?;
        i.call(&call).stdout_writes
    };
    md.push_str(
        "## The SDK against raw wit-bindgen\n\n\
         `hello` (the SDK: guard, per-call context, teardown) against `xtask/bench/raw-hello` \
         (wit-bindgen bindings only: fetch stdout, one write, drop the handle). One instance each; \
         six blocks of 2,000 rounds, the order alternating between blocks; the median of the six \
         block medians.\n\n\
         | measure | SDK | raw | SDK / raw |\n|---|---|---|---|\n",
    );
    let _ = writeln!(
        md,
        "| reused, same ctx | {} | {} | {} |",
        human(med(0)),
        human(med(1)),
        ratio(med(0), med(1))
    );
    let _ = writeln!(
        md,
        "| reused, fresh ctx | {} | {} | {} |",
        human(med(2)),
        human(med(3)),
        ratio(med(2), med(3))
    );
    let _ = writeln!(
        md,
        "| host writes per call | {writes} | {raw_writes} | |\n\nBlock medians, same ctx (SDK / raw): {}.\n",
        rows.iter()
            .map(|r| format!("{} / {}", human(r[0].median), human(r[1].median)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(())
}
