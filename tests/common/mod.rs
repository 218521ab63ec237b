//! Host side of the tests: builds examples with the xtask library and runs
//! them in a real Wasmtime, one instance per `Runner`, with a fresh `WasiCtx`
//! (arguments, environment, stdin, output pipes) for every call.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};
use wasmtime::component::{Component, Linker, ResourceTable};
use wasmtime::{Engine, Store};
use wasmtime_wasi::p2::bindings::sync::Command;
use wasmtime_wasi::p2::pipe::{ClosedOutputStream, MemoryInputPipe, MemoryOutputPipe};
use wasmtime_wasi::{WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};
use xtask::build::{self, Builds, Example};

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(Engine::default)
}

/// Builds an example (and its twins) once per test process.
pub fn builds(name: &str) -> Builds {
    static CACHE: Mutex<Option<HashMap<String, Builds>>> = Mutex::new(None);
    static TARGETS: OnceLock<()> = OnceLock::new();
    TARGETS.get_or_init(|| {
        build::ensure_targets(&[build::P2, build::P1]).expect("installing wasm targets")
    });
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    let cache = cache.get_or_insert_with(HashMap::new);
    if let Some(b) = cache.get(name) {
        return b.clone();
    }
    let example = build::examples()
        .expect("listing examples")
        .into_iter()
        .find(|e: &Example| e.name == name)
        .unwrap_or_else(|| panic!("no example named {name}"));
    let b = build::build_all(&example).unwrap_or_else(|e| panic!("building {name}: {e}"));
    cache.insert(name.to_string(), b.clone());
    b
}

/// Runs one call of `path` on a fresh instance (how a command is run).
pub fn run_once(path: &std::path::Path, call: &Call) -> Outcome {
    Runner::new(path).call(call)
}

/// The stripped SDK component of an example.
pub fn sdk(name: &str) -> PathBuf {
    builds(name).sdk
}

struct Host {
    ctx: WasiCtx,
    table: ResourceTable,
    memory: MemoryWatch,
}

/// Records the largest linear memory the instance asked for.
#[derive(Default)]
struct MemoryWatch {
    peak: usize,
}

impl wasmtime::ResourceLimiter for MemoryWatch {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        self.peak = self.peak.max(desired);
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        _desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(true)
    }
}

impl WasiView for Host {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.ctx,
            table: &mut self.table,
        }
    }
}

/// What the host gives one call.
#[derive(Clone, Debug, Default)]
pub struct Call {
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    pub stdin: Vec<u8>,
    /// Give the call a stdout that is already closed.
    pub closed_stdout: bool,
}

impl Call {
    pub fn args(args: &[&str]) -> Self {
        Call {
            args: args.iter().map(|s| s.to_string()).collect(),
            ..Call::default()
        }
    }
}

/// What one call did.
#[derive(Debug)]
pub struct Outcome {
    /// `Ok(run's result)`, or `Err` for a trap.
    pub result: Result<Result<(), ()>, String>,
    pub stdout: String,
    pub stderr: String,
    /// The call's own pipes, to check later that nothing else wrote to them.
    pub stdout_pipe: MemoryOutputPipe,
    pub stderr_pipe: MemoryOutputPipe,
    /// Whether the resource table was empty after the call (every handle
    /// the guest got during the run was released).
    pub table_empty: bool,
}

impl Outcome {
    pub fn ok(&self) -> bool {
        self.result == Ok(Ok(()))
    }
}

/// One instance of a component, called any number of times.
pub struct Runner {
    store: Store<Host>,
    command: Command,
}

impl Runner {
    pub fn new(path: &std::path::Path) -> Runner {
        let engine = engine();
        let component = Component::from_file(engine, path)
            .unwrap_or_else(|e| panic!("compiling {}: {e:?}", path.display()));
        let mut linker = Linker::new(engine);
        wasmtime_wasi::p2::add_to_linker_sync(&mut linker).expect("adding WASI to the linker");
        let mut store = Store::new(
            engine,
            Host {
                ctx: WasiCtxBuilder::new().build(),
                table: ResourceTable::new(),
                memory: MemoryWatch::default(),
            },
        );
        store.limiter(|h| &mut h.memory);
        let command = Command::instantiate(&mut store, &component, &linker)
            .unwrap_or_else(|e| panic!("instantiating {}: {e:?}", path.display()));
        Runner { store, command }
    }

    pub fn example(name: &str) -> Runner {
        Runner::new(&sdk(name))
    }

    pub fn call(&mut self, call: &Call) -> Outcome {
        let stdout = MemoryOutputPipe::new(64 << 20);
        let stderr = MemoryOutputPipe::new(1 << 20);
        let mut b = WasiCtxBuilder::new();
        b.args(&call.args)
            .envs(&call.env)
            .stdin(MemoryInputPipe::new(call.stdin.clone()))
            .stderr(stderr.clone());
        if call.closed_stdout {
            b.stdout(ClosedOutputStream);
        } else {
            b.stdout(stdout.clone());
        }
        self.store.data_mut().ctx = b.build();
        let result = self
            .command
            .wasi_cli_run()
            .call_run(&mut self.store)
            .map_err(|e| format!("{e:?}"));
        let text = |p: &MemoryOutputPipe| String::from_utf8_lossy(&p.contents()).into_owned();
        Outcome {
            result,
            stdout: text(&stdout),
            stderr: text(&stderr),
            stdout_pipe: stdout,
            stderr_pipe: stderr,
            table_empty: self.store.data().table.is_empty(),
        }
    }

    /// The largest linear memory, in bytes, the instance has grown to.
    pub fn memory_peak(&self) -> usize {
        self.store.data().memory.peak
    }

    pub fn run(&mut self) -> Outcome {
        self.call(&Call::args(&["prog"]))
    }
}
