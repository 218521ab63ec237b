//! `cargo xtask bench`: run-time cost of the SDK components against their
//! twins, measured side by side in one process (medians; compare ratios, not
//! absolute times: xtask's Wasmtime is a dev build and machines are noisy).
//!
//! * instantiate + run: a fresh instance per call, how a command is run;
//! * run on a reused instance: one instance, a fresh `WasiCtx` per call,
//!   which only re-runnable components allow (std `fn main` traps).

use std::path::Path;
use std::time::{Duration, Instant};
use wasmtime::component::{Component, Linker, ResourceTable};
use wasmtime::{Engine, Store};
use wasmtime_wasi::p2::bindings::sync::Command;
use wasmtime_wasi::p2::pipe::{MemoryInputPipe, MemoryOutputPipe};
use wasmtime_wasi::{WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};
use xtask::build::{self, P1, P2};
use xtask::{Error, Result};

const ROUNDS: usize = 200;

struct Host {
    ctx: WasiCtx,
    table: ResourceTable,
}

impl WasiView for Host {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.ctx,
            table: &mut self.table,
        }
    }
}

fn ctx(stdin: &[u8]) -> WasiCtx {
    WasiCtxBuilder::new()
        .args(&["prog", "-w"])
        .env("WC_LABEL", "bench")
        .stdin(MemoryInputPipe::new(stdin.to_vec()))
        .stdout(MemoryOutputPipe::new(1 << 20))
        .build()
}

fn err(e: impl std::fmt::Debug) -> Error {
    format!("{e:?}").into()
}

struct Loaded {
    component: Component,
}

impl Loaded {
    fn new(engine: &Engine, path: &Path) -> Result<Self> {
        Ok(Self {
            component: Component::from_file(engine, path).map_err(err)?,
        })
    }

    fn instance(&self, linker: &Linker<Host>, stdin: &[u8]) -> Result<(Store<Host>, Command)> {
        let mut store = Store::new(
            linker.engine(),
            Host {
                ctx: ctx(stdin),
                table: ResourceTable::new(),
            },
        );
        let command = Command::instantiate(&mut store, &self.component, linker).map_err(err)?;
        Ok((store, command))
    }
}

fn run(store: &mut Store<Host>, command: &Command) -> Result<()> {
    command
        .wasi_cli_run()
        .call_run(store)
        .map_err(err)?
        .map_err(|()| "run returned its error result".into())
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

pub fn run_all() -> Result<()> {
    build::ensure_targets(&[P2, P1])?;
    let engine = Engine::default();
    let mut linker = Linker::new(&engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker).map_err(err)?;
    let input = b"the quick brown fox jumps over the lazy dog\n".repeat(200);
    println!(
        "{:<8}  {:>22}  {:>22}  {:>24}  {:>24}",
        "example",
        "SDK inst+run (median)",
        "SDK reused-run (median)",
        "std inst+run / SDK",
        "adapter inst+run / SDK"
    );
    for name in ["hello", "echo", "wc"] {
        let example = build::examples()?
            .into_iter()
            .find(|e| e.name == name)
            .ok_or("example missing")?;
        let b = build::build_all(&example)?;
        let (Some(std_p2), Some(adapter)) = (&b.std_p2, &b.std_p1_adapter) else {
            continue;
        };
        let builds = [
            Loaded::new(&engine, &b.sdk)?,
            Loaded::new(&engine, std_p2)?,
            Loaded::new(&engine, adapter)?,
        ];
        let mut fresh = vec![Vec::with_capacity(ROUNDS); builds.len()];
        let mut reused = Vec::with_capacity(ROUNDS);
        let (mut store, command) = builds[0].instance(&linker, &input)?;
        for _ in 0..ROUNDS {
            // Side by side: every round measures each build once.
            for (l, samples) in builds.iter().zip(&mut fresh) {
                let start = Instant::now();
                let (mut s, c) = l.instance(&linker, &input)?;
                run(&mut s, &c)?;
                samples.push(start.elapsed());
            }
            store.data_mut().ctx = ctx(&input);
            let start = Instant::now();
            run(&mut store, &command)?;
            reused.push(start.elapsed());
        }
        let m: Vec<Duration> = fresh.into_iter().map(median).collect();
        let r = median(reused);
        let ratio = |d: Duration| d.as_secs_f64() / m[0].as_secs_f64();
        println!(
            "{:<8}  {:>19.1} us  {:>20.1} us  {:>23.1}x  {:>23.1}x",
            name,
            m[0].as_secs_f64() * 1e6,
            r.as_secs_f64() * 1e6,
            ratio(m[1]),
            ratio(m[2]),
        );
    }
    println!(
        "{ROUNDS} rounds, medians, measured side by side in one run; xtask's Wasmtime is a dev build: compare ratios."
    );
    Ok(())
}
