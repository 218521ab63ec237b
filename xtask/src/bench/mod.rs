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

mod heavy;
mod http;
mod p3;
mod raw;

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
        raw::against_raw(&mut md)?;
    }
    if want("heavy") {
        heavy::heavy(&mut md)?;
    }
    if want("clearing") {
        heavy::clearing(&mut md)?;
    }
    if want("http") {
        http::http(&mut md)?;
    }
    if want("grep") {
        http::grep(&mut md)?;
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
