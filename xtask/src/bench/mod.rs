//! `cargo xtask bench`: run time and compile time, measured side by side in
//! one process with the host built with optimisations (profile
//! `host-release`), written to docs/bench.md.
//!
//! Every table compares builds measured in the same rounds (each round runs
//! every build once, in turn), so load on the machine affects all alike.
//! Ratios are the point; absolute times are this machine's.

use cargo_wasi_guest::host::{self, Call, Instance, State};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use wasmtime::component::{Component, Linker};
use wasmtime::{Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig};
use xtask::build::{self, Builds, Example, Flags, P1, P2};
use xtask::{Result, project_root};

mod p3;

/// The sections, each of which `cargo xtask bench SECTION` runs alone
/// (printing only; docs/bench.md is written by a full run).
const SECTIONS: [&str; 8] = [
    "examples", "raw", "heavy", "clearing", "http", "grep", "p3", "density",
];

/// Rounds of every run-time measurement.
const ROUNDS: usize = 300;
/// Rounds of compile-time measurements.
const COMPILE_ROUNDS: usize = 15;

/// Median, minimum and maximum of some samples.
#[derive(Clone, Copy, Debug)]
struct Stats {
    median: Duration,
    min: Duration,
    max: Duration,
}

impl Stats {
    fn of(mut samples: Vec<Duration>) -> Stats {
        samples.sort();
        Stats {
            median: samples[samples.len() / 2],
            min: samples[0],
            max: samples[samples.len() - 1],
        }
    }

    fn cell(&self) -> String {
        format!(
            "{} ({}–{})",
            human(self.median),
            human(self.min),
            human(self.max)
        )
    }
}

fn human(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us >= 10_000.0 {
        format!("{:.1} ms", us / 1000.0)
    } else if us >= 100.0 {
        format!("{us:.0} µs")
    } else {
        format!("{us:.1} µs")
    }
}

fn ratio(a: Duration, b: Duration) -> String {
    format!("{:.2}x", a.as_secs_f64() / b.as_secs_f64())
}

fn err(e: impl std::fmt::Debug) -> xtask::Error {
    format!("{e:?}").into()
}

/// Runs every closure once per round, in turn, `rounds` times (the order
/// reversed every other round, so that no case always runs first); returns
/// the statistics of each.
fn side_by_side(rounds: usize, cases: &mut [&mut dyn FnMut() -> Result<()>]) -> Result<Vec<Stats>> {
    let mut samples = vec![Vec::with_capacity(rounds); cases.len()];
    for round in 0..rounds {
        let n = cases.len();
        for k in 0..n {
            let i = if round % 2 == 0 { k } else { n - 1 - k };
            let start = Instant::now();
            cases[i]()?;
            samples[i].push(start.elapsed());
        }
    }
    Ok(samples.into_iter().map(Stats::of).collect())
}

/// An engine with its WASI linker.
struct Host {
    engine: Engine,
    linker: Linker<State>,
}

impl Host {
    fn new(config: Option<&Config>) -> Result<Host> {
        let engine = match config {
            Some(c) => Engine::new(c).map_err(err)?,
            None => Engine::default(),
        };
        let linker = host::linker(&engine).map_err(err)?;
        Ok(Host { engine, linker })
    }

    fn pooling() -> Result<Host> {
        let mut pool = PoolingAllocationConfig::default();
        pool.total_component_instances(32)
            .total_core_instances(256)
            .total_memories(32)
            .total_tables(256)
            .max_memory_size(64 << 20);
        let mut config = Config::new();
        config.allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
        Host::new(Some(&config))
    }

    fn load(&self, path: &Path) -> Result<Component> {
        Component::from_file(&self.engine, path)
            .map_err(|e| format!("{}: {e:?}", path.display()).into())
    }

    fn instance(&self, c: &Component) -> Result<Instance> {
        Instance::new(c, &self.linker, None).map_err(err)
    }
}

/// Instantiates and runs once; fails on a trap or an error result.
fn fresh_run(host: &Host, c: &Component, call: &Call) -> Result<()> {
    let mut i = host.instance(c)?;
    check(&i.call(call))
}

fn check(o: &host::Outcome) -> Result<()> {
    match &o.result {
        Ok(Ok(())) => Ok(()),
        other => Err(format!("call failed: {other:?}\nstderr: {}", o.stderr).into()),
    }
}

/// What every call of an example gets in the benchmark.
fn call_for(name: &str) -> Call {
    let text = b"the quick brown fox jumps over the lazy dog\n".repeat(100);
    match name {
        "echo" => Call {
            env: vec![("GREETING".into(), "hi".into())],
            ..Call::args(&["echo", "a", "b", "c"])
        },
        "cat" | "wc" => Call {
            stdin: text,
            ..Call::args(&[name])
        },
        other => Call::args(&[other]),
    }
}

fn example(name: &str) -> Result<Example> {
    if let Some(e) = build::examples()?.into_iter().find(|e| e.name == name) {
        return Ok(e);
    }
    // The bench-only crates under xtask/bench.
    let twin = format!("{name}-std");
    let has_twin = project_root().join("xtask/bench").join(&twin).exists();
    Ok(Example {
        name: name.to_string(),
        twin: has_twin.then_some(twin),
        raw: None,
    })
}

fn builds(name: &str) -> Result<Builds> {
    eprintln!("building {name}");
    build::build_all(&example(name)?)
}

/// The machine, for the report's header.
fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    format!("{cpu}, {cores} cores")
}

pub fn run(args: &[String]) -> Result<()> {
    let only = args.first().map(String::as_str);
    if let Some(a) = only
        && !SECTIONS.contains(&a)
    {
        return Err(format!("bench [SECTION]: sections are {SECTIONS:?} (got `{a}`)").into());
    }
    build::ensure_targets(&[P2, P1])?;
    let mut md = String::new();
    let _ = writeln!(
        md,
        "# Run time\n\nGenerated by `cargo xtask bench` (reproduce with that command); do not edit.\n\
         Host: Wasmtime 48 embedding built with optimisations (profile `host-release`), sync WASI 0.2, \
         default config unless a column says otherwise. Machine: {}.\n\n\
         Every table's columns were measured side by side in the same rounds (each round runs every \
         build once, in turn). Cells are `median (min–max)`. **Ratios are the point; absolute times \
         are this machine's.**\n",
        machine()
    );
    let want = |s: &str| only.is_none_or(|o| o == s);
    if want("examples") {
        per_example(&mut md)?;
    }
    if want("raw") {
        against_raw(&mut md)?;
    }
    if want("heavy") {
        heavy(&mut md)?;
    }
    if want("clearing") {
        clearing(&mut md)?;
    }
    if want("http") {
        http(&mut md)?;
    }
    if want("grep") {
        grep(&mut md)?;
    }
    if want("p3") {
        p3::against_raw(&mut md)?;
    }
    if want("density") {
        p3::density(&mut md)?;
    }
    print!("{md}");
    if only.is_none() {
        std::fs::write(project_root().join("docs/bench.md"), &md)?;
        eprintln!("wrote docs/bench.md");
    }
    Ok(())
}

/// Compile, instantiate+run (on-demand and pooling allocators), and runs on a
/// reused instance, for each example and its twins.
fn per_example(md: &mut String) -> Result<()> {
    let on_demand = Host::new(None)?;
    let pooling = Host::pooling()?;
    md.push_str(
        "## Per component\n\n\
         - **compile**: `Component::new`, median of 15 rounds.\n\
         - **fresh**: a new instance per call (instantiate + `run`), with the default on-demand \
         allocator and with the pooling allocator.\n\
         - **reused, fresh ctx**: one instance, a new `WasiCtx` (arguments, environment, pipes) per \
         call, as a reusing host does; **same ctx**: the `WasiCtx` left in place. A std `fn main` \
         traps on its second call, so it has no reused columns.\n\n\
         | component | compile | fresh (on-demand) | fresh (pooling) | reused, fresh ctx | reused, same ctx | fresh / reused |\n\
         |---|---|---|---|---|---|---|\n",
    );
    for name in ["hello", "counter", "echo", "cat", "wc"] {
        let b = builds(name)?;
        let call = call_for(name);
        let mut paths: Vec<(String, PathBuf)> = vec![(name.to_string(), b.sdk.clone())];
        if let (Some(s), Some(a)) = (&b.std_p2, &b.std_p1_adapter) {
            paths.push((format!("{name}-std"), s.clone()));
            paths.push((format!("{name}-std (p1 + adapter)"), a.clone()));
        }
        let bytes: Vec<Vec<u8>> = paths
            .iter()
            .map(|(_, p)| std::fs::read(p))
            .collect::<Result<_, _>>()?;
        // Compile.
        let mut compile_cases: Vec<Box<dyn FnMut() -> Result<()>>> = bytes
            .iter()
            .map(|b| {
                let engine = on_demand.engine.clone();
                Box::new(move || Component::new(&engine, b).map(drop).map_err(err))
                    as Box<dyn FnMut() -> Result<()>>
            })
            .collect();
        let compile = side_by_side(
            COMPILE_ROUNDS,
            &mut compile_cases
                .iter_mut()
                .map(|c| &mut **c as &mut dyn FnMut() -> Result<()>)
                .collect::<Vec<_>>(),
        )?;
        // Fresh instances, both allocators.
        let comps: Vec<(Component, Component)> = paths
            .iter()
            .map(|(_, p)| Ok((on_demand.load(p)?, pooling.load(p)?)))
            .collect::<Result<_>>()?;
        let mut fresh_cases: Vec<Box<dyn FnMut() -> Result<()>>> = Vec::new();
        for (od, pl) in &comps {
            let call = call.clone();
            let h = &on_demand;
            fresh_cases.push(Box::new(move || fresh_run(h, od, &call)));
            let call = call_for(name);
            let h = &pooling;
            fresh_cases.push(Box::new(move || fresh_run(h, pl, &call)));
        }
        let fresh = side_by_side(
            ROUNDS,
            &mut fresh_cases
                .iter_mut()
                .map(|c| &mut **c as &mut dyn FnMut() -> Result<()>)
                .collect::<Vec<_>>(),
        )?;
        drop(fresh_cases);
        // Reused instance (the SDK component only).
        let mut reused_fresh = on_demand.instance(&comps[0].0)?;
        let mut reused_same = on_demand.instance(&comps[0].0)?;
        check(&reused_same.call(&call))?;
        let reused = side_by_side(
            ROUNDS,
            &mut [&mut || check(&reused_fresh.call(&call)), &mut || {
                reused_same
                    .call_same_context()
                    .map_err(err)?
                    .map_err(|()| "error result".into())
            }],
        )?;
        for (i, (label, _)) in paths.iter().enumerate() {
            let (od, pl) = (fresh[2 * i], fresh[2 * i + 1]);
            let (rf, rs, ratio_cell) = if i == 0 {
                (
                    reused[0].cell(),
                    reused[1].cell(),
                    ratio(od.median, reused[0].median),
                )
            } else {
                ("-".into(), "-".into(), "-".into())
            };
            let _ = writeln!(
                md,
                "| {label} | {} | {} | {} | {rf} | {rs} | {ratio_cell} |",
                compile[i].cell(),
                od.cell(),
                pl.cell()
            );
        }
    }
    md.push('\n');
    Ok(())
}

/// The SDK's hello against a raw wit-bindgen hello: what the guard, the
/// per-call context and the teardown cost per call.
fn against_raw(md: &mut String) -> Result<()> {
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

/// Output-heavy (100,000 formatted lines) and input-heavy (10 MB of stdin)
/// work against the std twins.
fn heavy(md: &mut String) -> Result<()> {
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
fn clearing(md: &mut String) -> Result<()> {
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

/// Stripped size of a workspace package built as the examples are.
fn stripped(package: &str, flags: Flags) -> Result<usize> {
    let path = build::cargo_build(package, P2, flags)?;
    Ok(cargo_wasi_guest::wasm::strip(&std::fs::read(path)?)?.len())
}

/// HTTP handlers: sizes against the raw floor, the `wasi` crate and wstd;
/// latency and throughput on one reused instance against a fresh instance
/// per request.
fn http(md: &mut String) -> Result<()> {
    use cargo_wasi_guest::host::http::{self as h, ProxyPre, Request};
    let sdk = stripped("http-hello", Flags::Workspace)?;
    let raw = stripped("raw-http-hello", Flags::Workspace)?;
    let as_built = |p: &str| -> Result<usize> {
        Ok(std::fs::metadata(build::cargo_build(p, P2, Flags::Default)?)?.len() as usize)
    };
    let wasi = as_built("wasi-http-hello")?;
    let wstd = as_built("wstd-http-hello")?;
    let _ = writeln!(
        md,
        "## HTTP handlers\n\n\
         Sizes in bytes; the two SDK-style builds after the strip step, the others as their \
         toolchains build them.\n\n\
         | handler | bytes | over the raw floor | / http-hello |\n|---|---|---|---|\n\
         | `http-hello` (wasi-guest) | {sdk} | {:+} | 1.0x |\n\
         | `raw-http-hello` (wit-bindgen only, no guard: the floor) | {raw} | 0 | {:.2}x |\n\
         | `wasi-http-hello` (the `wasi` crate, std) | {wasi} | {:+} | {:.1}x |\n\
         | `wstd-http-hello` (`#[wstd::http_server]`) | {wstd} | {:+} | {:.1}x |\n",
        sdk as i64 - raw as i64,
        raw as f64 / sdk as f64,
        wasi as i64 - raw as i64,
        wasi as f64 / sdk as f64,
        wstd as i64 - raw as i64,
        wstd as f64 / sdk as f64,
    );
    let (engine, _) = cargo_wasi_guest::host::engine(cargo_wasi_guest::host::Memory::Wasmtime);
    let linker = h::linker(&engine).map_err(err)?;
    md.push_str(
        "\nRequests in the Wasmtime embedding (`wasmtime-wasi-http`, pre-instantiated once as a \
         server does), a fresh `WasiCtx` per request; `GET /items/7` with one header, 300 rounds \
         side by side. Throughput is one request after another on one thread (1 / mean).\n\n\
         | handler | fresh instance per request | reused instance | fresh / reused | reused requests/s |\n|---|---|---|---|---|\n",
    );
    for name in ["http-hello", "http-echo"] {
        let path = builds(name)?.sdk;
        let component = Component::from_file(&engine, &path).map_err(err)?;
        let pre = ProxyPre::new(linker.instantiate_pre(&component).map_err(err)?).map_err(err)?;
        let mut req = Request::get("/items/7");
        req.headers.push(("x-secret".into(), "s".into()));
        let mut reused = h::Instance::from_pre(&pre, None).map_err(err)?;
        let ok = |r: std::result::Result<h::Response, String>| -> Result<()> {
            match r {
                Ok(r) if r.status == 200 => Ok(()),
                other => Err(format!("{other:?}").into()),
            }
        };
        let s = side_by_side(
            ROUNDS,
            &mut [
                &mut || {
                    ok(h::Instance::from_pre(&pre, None)
                        .map_err(err)?
                        .request(&req))
                },
                &mut || ok(reused.request(&req)),
            ],
        )?;
        let batch = Instant::now();
        for _ in 0..2000 {
            ok(reused.request(&req))?;
        }
        let per_second = 2000.0 / batch.elapsed().as_secs_f64();
        let _ = writeln!(
            md,
            "| {name} | {} | {} | {} | {per_second:.0} |",
            s[0].cell(),
            s[1].cell(),
            ratio(s[0].median, s[1].median)
        );
    }
    md.push('\n');
    Ok(())
}

/// `grep` over a tree of 2,000 files (20 MB) against `grep-std`.
fn grep(md: &mut String) -> Result<()> {
    let b = builds("grep")?;
    let tree = std::env::temp_dir().join(format!("wasi-guest-bench-grep-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tree);
    let line = "the quick brown fox jumps over the lazy dog, again and again\n";
    for i in 0..2000 {
        let dir = tree.join(format!("d{:02}", i % 40));
        std::fs::create_dir_all(&dir)?;
        let mut text = line.repeat(10_000 / line.len());
        if i % 100 == 0 {
            text.push_str("a rare needle here\n");
        }
        std::fs::write(dir.join(format!("f{i:04}.txt")), text)?;
    }
    let h = Host::new(None)?;
    let sdk = h.load(&b.sdk)?;
    let std = h.load(b.std_p2.as_ref().ok_or("grep-std")?)?;
    let call = Call {
        dirs: vec![cargo_wasi_guest::host::Dir {
            host: tree.clone(),
            guest: "/".into(),
            read_only: true,
        }],
        ..Call::args(&["grep", "needle"])
    };
    let mut reused = h.instance(&sdk)?;
    let grep_ok = |o: &cargo_wasi_guest::host::Outcome| -> Result<()> {
        if o.ok() && o.stdout.lines().count() == 20 {
            Ok(())
        } else {
            Err(format!("grep: {:?} {}", o.result, o.stderr).into())
        }
    };
    let s = side_by_side(
        10,
        &mut [
            &mut || grep_ok(&h.instance(&sdk)?.call(&call)),
            &mut || grep_ok(&h.instance(&std)?.call(&call)),
            &mut || grep_ok(&reused.call(&call)),
        ],
    )?;
    let _ = std::fs::remove_dir_all(&tree);
    let _ = writeln!(
        md,
        "## grep over 2,000 files (20 MB)\n\n\
         `grep needle` over a tree of 2,000 files of 10 KB in 40 directories (20 matches), \
         preopened read-only; 10 rounds side by side.\n\n\
         | build | time | / grep-std, fresh |\n|---|---|---|\n\
         | grep (SDK), fresh instance | {} | {} |\n\
         | grep-std, fresh instance | {} | 1.00x |\n\
         | grep (SDK), reused instance | {} | {} |\n",
        s[0].cell(),
        ratio(s[0].median, s[1].median),
        s[1].cell(),
        s[2].cell(),
        ratio(s[2].median, s[1].median),
    );
    Ok(())
}
