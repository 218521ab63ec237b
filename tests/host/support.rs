//! What every test module shares: examples built once per test process with
//! the xtask library, run in a real Wasmtime through the one host library
//! (`cargo_wasi_guest::host`, the host `cargo xtask bench` and `check-reuse`
//! use): one instance per `Runner`, a fresh `WasiCtx` for every call.

use cargo_wasi_guest::host::{self, Instance, Memory, State};
pub use cargo_wasi_guest::host::{Call, Dir, Outcome, count};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use wasmtime::Engine;
use wasmtime::component::{Component, Linker};
use xtask::build::{self, Builds, Example};

/// The shared engine and linker (Wasmtime-owned memory).
fn shared() -> &'static (Engine, Linker<State>) {
    static SHARED: OnceLock<(Engine, Linker<State>)> = OnceLock::new();
    SHARED.get_or_init(|| {
        let (engine, _) = host::engine(Memory::Wasmtime);
        let linker = host::linker(&engine).expect("adding WASI to the linker");
        (engine, linker)
    })
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

/// A fresh host directory holding `files` (paths relative to it, parents
/// made as needed), different on every call.
pub fn dir_with(tag: &str, files: &[(&str, &str)]) -> PathBuf {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir =
        std::env::temp_dir().join(format!("wasi-guest-files-{}-{n}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `host` preopened as the guest's `/`, the one directory of a call.
pub fn preopen(host: &Path, read_only: bool) -> Vec<Dir> {
    vec![Dir {
        host: host.to_path_buf(),
        guest: "/".into(),
        read_only,
    }]
}

/// Runs one call of `path` on a fresh instance (how a command is run).
pub fn run_once(path: &Path, call: &Call) -> Outcome {
    Runner::new(path).call(call)
}

/// The stripped SDK component of an example.
pub fn sdk(name: &str) -> PathBuf {
    builds(name).sdk
}

/// One instance of a component, called any number of times.
pub struct Runner(Instance);

impl Runner {
    /// An instance in the shared engine.
    pub fn new(path: &Path) -> Runner {
        let (engine, linker) = shared();
        let component = Component::from_file(engine, path)
            .unwrap_or_else(|e| panic!("compiling {}: {e:?}", path.display()));
        Runner(
            Instance::new(&component, linker, None)
                .unwrap_or_else(|e| panic!("instantiating {}: {e:?}", path.display())),
        )
    }

    /// An instance whose linear memory the host owns and can scan
    /// ([`Runner::memory`]); it gets an engine of its own.
    pub fn scanned(path: &Path) -> Runner {
        let (engine, creator) = host::engine(Memory::HostOwned);
        let linker = host::linker(&engine).expect("adding WASI to the linker");
        let component = Component::from_file(&engine, path)
            .unwrap_or_else(|e| panic!("compiling {}: {e:?}", path.display()));
        Runner(
            Instance::new(&component, &linker, creator)
                .unwrap_or_else(|e| panic!("instantiating {}: {e:?}", path.display())),
        )
    }

    /// An instance whose host answers `wasi:random/random.get-random-bytes`
    /// with `reply(len)` instead of Wasmtime's implementation: a host that
    /// breaks the interface's promise of exactly `len` bytes.
    pub fn with_random(path: &Path, reply: fn(u64) -> Vec<u8>) -> Runner {
        let (engine, creator) = host::engine(Memory::Wasmtime);
        let mut linker = host::linker(&engine).expect("adding WASI to the linker");
        linker.allow_shadowing(true);
        linker
            .instance("wasi:random/random@0.2.12")
            .and_then(|mut random| {
                random.func_wrap("get-random-bytes", move |_, (len,): (u64,)| {
                    Ok((reply(len),))
                })
            })
            .expect("replacing get-random-bytes");
        let component = Component::from_file(&engine, path)
            .unwrap_or_else(|e| panic!("compiling {}: {e:?}", path.display()));
        Runner(
            Instance::new(&component, &linker, creator)
                .unwrap_or_else(|e| panic!("instantiating {}: {e:?}", path.display())),
        )
    }

    /// The stripped SDK component of an example, in the shared engine.
    pub fn example(name: &str) -> Runner {
        Runner::new(&sdk(name))
    }

    /// Calls `run` once with a fresh context made from `call`.
    pub fn call(&mut self, call: &Call) -> Outcome {
        self.0.call(call)
    }

    /// Calls `run` with the program name as the only argument.
    pub fn run(&mut self) -> Outcome {
        self.call(&Call::args(&["prog"]))
    }

    /// The largest linear memory, in bytes, the instance has grown to.
    pub fn memory_peak(&self) -> usize {
        self.0.memory_peak()
    }

    /// Refuses memory growth beyond `bytes`.
    pub fn limit_memory(&mut self, bytes: usize) {
        self.0.limit_memory(bytes)
    }

    /// The instance's linear memory (only for [`Runner::scanned`]).
    pub fn memory(&self) -> Vec<u8> {
        self.0
            .memory()
            .expect("memory() needs a Runner::scanned instance")
    }
}

/// An HTTP handler instance (`wasmtime-wasi-http`), with host-owned memory
/// when `scanned`.
pub fn http_instance(path: &Path, scanned: bool) -> cargo_wasi_guest::host::http::Instance {
    let memory = if scanned {
        Memory::HostOwned
    } else {
        Memory::Wasmtime
    };
    let (engine, creator) = host::engine(memory);
    let linker = host::http::linker(&engine).expect("adding WASI and wasi:http to the linker");
    let component = Component::from_file(&engine, path)
        .unwrap_or_else(|e| panic!("compiling {}: {e:?}", path.display()));
    host::http::Instance::new(&component, &linker, creator)
        .unwrap_or_else(|e| panic!("instantiating {}: {e:?}", path.display()))
}

/// An instance of a component with exports of its own world, host-owned
/// memory.
pub fn exports_instance(path: &Path) -> cargo_wasi_guest::host::Exports {
    let (engine, creator) = host::engine(Memory::HostOwned);
    let linker = host::linker(&engine).expect("adding WASI to the linker");
    let component = Component::from_file(&engine, path)
        .unwrap_or_else(|e| panic!("compiling {}: {e:?}", path.display()));
    cargo_wasi_guest::host::Exports::new(&component, &linker, creator)
        .unwrap_or_else(|e| panic!("instantiating {}: {e:?}", path.display()))
}

/// A test program under `tests/programs`, built outside the workspace.
pub fn program(name: &str) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/programs")
        .join(name);
    let (_, built) = xtask::build::build_outside(&src, None).expect("building a test program");
    built.unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// An instance of a WASI 0.3 `run` component, with host-owned memory when
/// `scanned`.
pub fn p3_run(path: &Path, scanned: bool) -> cargo_wasi_guest::host::p3::Run {
    let memory = if scanned {
        Memory::HostOwned
    } else {
        Memory::Wasmtime
    };
    let (engine, creator) = host::engine(memory);
    let linker = host::p3::linker(&engine).expect("adding WASI 0.3 to the linker");
    let component = Component::from_file(&engine, path)
        .unwrap_or_else(|e| panic!("compiling {}: {e:?}", path.display()));
    host::p3::Run::new(&component, &linker, creator)
        .unwrap_or_else(|e| panic!("instantiating {}: {e:?}", path.display()))
}

/// An instance of a WASI 0.3 HTTP handler, with host-owned memory when
/// `scanned`.
pub fn p3_http(path: &Path, scanned: bool) -> cargo_wasi_guest::host::p3::Handler {
    let memory = if scanned {
        Memory::HostOwned
    } else {
        Memory::Wasmtime
    };
    let (engine, creator) = host::engine(memory);
    let linker = host::p3::http_linker(&engine).expect("adding WASI and wasi:http 0.3");
    let component = Component::from_file(&engine, path)
        .unwrap_or_else(|e| panic!("compiling {}: {e:?}", path.display()));
    host::p3::Handler::new(&component, &linker, creator)
        .unwrap_or_else(|e| panic!("instantiating {}: {e:?}", path.display()))
}
