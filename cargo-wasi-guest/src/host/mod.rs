//! The one Wasmtime host vocabulary that the tests, `cargo xtask bench`,
//! `check-reuse` and examples/reuse-host share: an engine ([`config`],
//! [`engine`]), a store whose data is the current call's context and the
//! instance's resource table ([`State`], [`store`]), what one call gets
//! ([`Call`], made into a `WasiCtx` by [`Call::context`]), and instances of
//! components that export `wasi:cli/run` ([`Instance`]), their own world
//! ([`Exports`]) or an HTTP handler ([`http`]), each called any number of
//! times with a fresh `WasiCtx` per call, the way a host that reuses
//! instances does.
//!
//! With [`Memory::HostOwned`] the host allocates the instance's linear
//! memory itself (through Wasmtime's `MemoryCreator`) and can read all of it
//! between calls: [`Instance::memory`], used to prove that nothing of one
//! call survives into the next.

pub mod http;
pub mod p3;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use wasmtime::component::{Component, Linker, ResourceTable};
use wasmtime::{Config, Engine, LinearMemory, MemoryCreator, MemoryType, Store};
use wasmtime_wasi::p2::bindings::sync::Command;
use wasmtime_wasi::p2::pipe::{ClosedOutputStream, MemoryInputPipe, MemoryOutputPipe};
use wasmtime_wasi::{FsPerms, WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};

/// Where an instance's linear memory lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Memory {
    /// Wasmtime's own (the default configuration).
    Wasmtime,
    /// A buffer the host allocated and can scan between calls.
    HostOwned,
}

/// An engine configuration for the given memory mode, for a caller to
/// extend (fuel, epochs) before making the engine. `Memory::Wasmtime` is the
/// default configuration; `Memory::HostOwned` also sets what a
/// host-allocated memory needs: no virtual-memory reservation, no guard
/// pages, no copy-on-write initialisation; its creator is returned with it.
pub fn config(memory: Memory) -> (Config, Option<Arc<Creator>>) {
    let mut config = Config::new();
    // WASI 0.3 components (async exports, streams, futures) as the Wasmtime
    // 49 CLI runs them; no effect on WASI 0.2 ones.
    config.wasm_component_model_async(true);
    let creator = match memory {
        Memory::Wasmtime => None,
        Memory::HostOwned => {
            let creator = Arc::new(Creator::default());
            config
                .with_host_memory(creator.clone())
                .memory_reservation(0)
                .memory_guard_size(0)
                .memory_reservation_for_growth(0)
                .memory_init_cow(false);
            Some(creator)
        }
    };
    (config, creator)
}

/// An engine for the given memory mode ([`config`], unchanged).
pub fn engine(memory: Memory) -> (Engine, Option<Arc<Creator>>) {
    let (config, creator) = config(memory);
    let engine = Engine::new(&config).expect("the host's engine config is valid");
    (engine, creator)
}

/// Creates linear memories the host owns, and remembers every one it made.
#[derive(Default)]
pub struct Creator {
    made: Mutex<Vec<Arc<Mutex<Vec<u8>>>>>,
}

impl Creator {
    /// Every memory made so far, in order.
    fn memories(&self) -> Vec<Arc<Mutex<Vec<u8>>>> {
        self.made.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// A copy of every memory made so far, concatenated. Call it only
    /// between calls, while no guest code runs.
    pub fn snapshot(&self) -> Vec<u8> {
        let mut all = Vec::new();
        for m in self.memories() {
            all.extend_from_slice(&m.lock().unwrap_or_else(|e| e.into_inner()));
        }
        all
    }
}

/// One host-owned linear memory: a zeroed `Vec` that grows in place up to its
/// capacity and moves beyond it (`memory_may_move` is on by default).
struct HostMemory(Arc<Mutex<Vec<u8>>>);

impl HostMemory {
    fn buf(&self) -> std::sync::MutexGuard<'_, Vec<u8>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

// SAFETY: the buffer is only resized in `grow_to`, which Wasmtime calls
// while no guest code runs on this memory, and Wasmtime re-reads `as_ptr`
// after every growth. The host reads it ([`Instance::memory`]) only between
// calls, while no guest code runs.
unsafe impl LinearMemory for HostMemory {
    fn byte_size(&self) -> usize {
        self.buf().len()
    }

    fn byte_capacity(&self) -> usize {
        self.buf().capacity()
    }

    fn grow_to(&mut self, new_size: usize) -> wasmtime::Result<()> {
        self.buf().resize(new_size, 0);
        Ok(())
    }

    fn as_ptr(&self) -> *mut u8 {
        self.buf().as_mut_ptr()
    }
}

// SAFETY: every memory is a fresh zeroed allocation of `minimum` bytes that
// only Wasmtime and, between calls, the host's reads touch; the engine asks
// for no reservation and no guard (see [`engine`]), so none is promised.
unsafe impl MemoryCreator for Creator {
    fn new_memory(
        &self,
        _ty: MemoryType,
        minimum: usize,
        _maximum: Option<usize>,
        _reserved: Option<usize>,
        _guard: usize,
    ) -> Result<Box<dyn LinearMemory>, String> {
        let buf = Arc::new(Mutex::new(vec![0u8; minimum]));
        self.made
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(buf.clone());
        Ok(Box::new(HostMemory(buf)))
    }
}

/// A preopened directory for one call.
#[derive(Clone, Debug)]
pub struct Dir {
    /// The directory on the host.
    pub host: PathBuf,
    /// Where the guest sees it (e.g. `/` or `data`).
    pub guest: String,
    /// Read-only instead of read-write.
    pub read_only: bool,
}

/// What the host gives one call.
#[derive(Clone, Debug, Default)]
pub struct Call {
    /// Arguments, program name first.
    pub args: Vec<String>,
    /// Environment variables.
    pub env: Vec<(String, String)>,
    /// The whole of stdin.
    pub stdin: Vec<u8>,
    /// Serve [`Call::stdin`] through a stream that breaks the WASI 0.2
    /// stream contract this way (a hostile or buggy host), instead of a
    /// well-behaved pipe.
    pub stdin_fault: Option<StdinFault>,
    /// Give the call a stdout that is already closed.
    pub closed_stdout: bool,
    /// Give the call a stderr that is already closed.
    pub closed_stderr: bool,
    /// Preopened directories.
    pub dirs: Vec<Dir>,
}

impl Call {
    /// A call with these arguments and nothing else.
    pub fn args(args: &[&str]) -> Self {
        Call {
            args: args.iter().map(|s| s.to_string()).collect(),
            ..Call::default()
        }
    }

    /// The `WasiCtx` this call gets, and the pipes its stdout and stderr
    /// write into (each keeps at most `limit` bytes; a component that writes
    /// more gets a write error). `Err` if a directory cannot be opened.
    pub fn context(&self, limit: usize) -> wasmtime::Result<(WasiCtx, Pipes)> {
        let pipes = Pipes {
            stdout: MemoryOutputPipe::new(limit),
            stderr: MemoryOutputPipe::new(limit),
            writes: Arc::new(AtomicUsize::new(0)),
        };
        let mut b = WasiCtxBuilder::new();
        b.args(&self.args).envs(&self.env);
        match self.stdin_fault {
            None => b.stdin(MemoryInputPipe::new(self.stdin.clone())),
            Some(fault) => b.stdin(Hostile::new(&self.stdin, fault)),
        };
        if self.closed_stdout {
            b.stdout(ClosedOutputStream);
        } else {
            b.stdout(Counting {
                pipe: pipes.stdout.clone(),
                writes: pipes.writes.clone(),
            });
        }
        if self.closed_stderr {
            b.stderr(ClosedOutputStream);
        } else {
            b.stderr(pipes.stderr.clone());
        }
        for d in &self.dirs {
            let perms = if d.read_only {
                FsPerms::ReadOnly
            } else {
                FsPerms::ReadWrite
            };
            b.preopened_dir(&d.host, &d.guest, perms)?;
        }
        Ok((b.build(), pipes))
    }
}

/// Where one call's output went.
#[derive(Clone)]
pub struct Pipes {
    /// The call's stdout.
    pub stdout: MemoryOutputPipe,
    /// The call's stderr.
    pub stderr: MemoryOutputPipe,
    writes: Arc<AtomicUsize>,
}

impl Pipes {
    /// How many writes reached stdout (host calls of
    /// `write`/`blocking-write-and-flush`, one per 4 KiB chunk).
    pub fn stdout_writes(&self) -> usize {
        self.writes.load(Ordering::Relaxed)
    }
}

/// What one call did.
#[derive(Debug)]
pub struct Outcome {
    /// `Ok(run's result)`, or `Err` with the trap's description.
    pub result: Result<Result<(), ()>, String>,
    /// What the call wrote to its stdout, as text.
    pub stdout: String,
    /// What the call wrote to its stderr, as text.
    pub stderr: String,
    /// The call's own stdout pipe, to check later that nothing else wrote
    /// to it.
    pub stdout_pipe: MemoryOutputPipe,
    /// The call's own stderr pipe.
    pub stderr_pipe: MemoryOutputPipe,
    /// Whether the resource table was empty after the call (every handle the
    /// guest got during the call was released).
    pub table_empty: bool,
    /// How many writes reached the call's stdout (host calls of
    /// `write`/`blocking-write-and-flush`, one per 4 KiB chunk).
    pub stdout_writes: usize,
}

impl Outcome {
    /// Whether `run` returned `ok`.
    pub fn ok(&self) -> bool {
        self.result == Ok(Ok(()))
    }

    /// Whether the call trapped.
    pub fn trapped(&self) -> bool {
        self.result.is_err()
    }
}

/// The store's data: the current call's `WasiCtx`, the instance's resource
/// table (its handles are indices into it, so it stays with the instance)
/// and its memory limits.
pub struct State {
    ctx: WasiCtx,
    table: ResourceTable,
    limits: Limits,
}

impl State {
    /// An empty context and table, no memory limit.
    pub fn new() -> State {
        State {
            ctx: WasiCtxBuilder::new().build(),
            table: ResourceTable::new(),
            limits: Limits::default(),
        }
    }

    /// Puts `ctx` in for the next call; returns the one it replaces.
    pub fn set_context(&mut self, ctx: WasiCtx) -> WasiCtx {
        std::mem::replace(&mut self.ctx, ctx)
    }

    /// How many handles the instance holds in the resource table (0 after
    /// every call of a component that releases what its calls opened).
    pub fn handles(&mut self) -> usize {
        self.table.iter_mut().count()
    }

    /// Refuses memory growth beyond `bytes` from now on.
    pub fn limit_memory(&mut self, bytes: usize) {
        self.limits.max = Some(bytes);
    }

    /// The largest linear memory, in bytes, the instance has grown to.
    pub fn memory_peak(&self) -> usize {
        self.limits.peak
    }
}

impl Default for State {
    fn default() -> Self {
        State::new()
    }
}

impl WasiView for State {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.ctx,
            table: &mut self.table,
        }
    }
}

/// Records the largest linear memory the instance asked for, and refuses
/// growth beyond an optional limit.
#[derive(Default)]
struct Limits {
    peak: usize,
    max: Option<usize>,
}

impl wasmtime::ResourceLimiter for Limits {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if self.max.is_some_and(|max| desired > max) {
            return Ok(false);
        }
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

/// A linker with WASI 0.2 (sync) for an engine.
pub fn linker(engine: &Engine) -> wasmtime::Result<Linker<State>> {
    let mut linker = Linker::new(engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker)?;
    Ok(linker)
}

/// A store with an empty context and table, whose memory growth goes
/// through the state's limits ([`State::limit_memory`]).
pub fn store(engine: &Engine) -> Store<State> {
    let mut store = Store::new(engine, State::new());
    store.limiter(|s| &mut s.limits);
    store
}

/// One instance of a component, called any number of times.
pub struct Instance {
    store: Store<State>,
    command: Command,
    creator: Option<Arc<Creator>>,
}

impl Instance {
    /// Instantiates `component` with a linker from [`linker`]. `creator` is
    /// the engine's host-memory creator, if it has one ([`engine`]); such an
    /// engine must serve this one instance only, since [`Instance::memory`]
    /// reads every memory the creator made.
    pub fn new(
        component: &Component,
        linker: &Linker<State>,
        creator: Option<Arc<Creator>>,
    ) -> wasmtime::Result<Instance> {
        let mut store = store(linker.engine());
        let command = Command::instantiate(&mut store, component, linker)?;
        Ok(Instance {
            store,
            command,
            creator,
        })
    }

    /// Refuses memory growth beyond `bytes` from now on.
    pub fn limit_memory(&mut self, bytes: usize) {
        self.store.data_mut().limits.max = Some(bytes);
    }

    /// Calls `run` once with a fresh `WasiCtx` made from `call`.
    pub fn call(&mut self, call: &Call) -> Outcome {
        let (ctx, pipes) = call
            .context(64 << 20)
            .unwrap_or_else(|e| panic!("making the call's context: {e:?}"));
        let Pipes {
            stdout,
            stderr,
            writes,
        } = pipes;
        self.store.data_mut().ctx = ctx;
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
            stdout_writes: writes.load(Ordering::Relaxed),
        }
    }

    /// Calls `run` with the `WasiCtx` of the previous call left in place
    /// (what a host that does not swap contexts does); for benchmarks.
    pub fn call_same_context(&mut self) -> wasmtime::Result<Result<(), ()>> {
        self.command.wasi_cli_run().call_run(&mut self.store)
    }

    /// Replaces the `WasiCtx` without calling; for benchmarks.
    pub fn set_context(&mut self, ctx: WasiCtx) {
        self.store.data_mut().ctx = ctx;
    }

    /// The largest linear memory, in bytes, the instance has grown to.
    pub fn memory_peak(&self) -> usize {
        self.store.data().limits.peak
    }

    /// A copy of every linear memory of this instance, concatenated; `None`
    /// unless the engine was made with [`Memory::HostOwned`].
    pub fn memory(&self) -> Option<Vec<u8>> {
        self.creator.as_ref().map(|c| c.snapshot())
    }
}

/// A stdout pipe that counts the writes reaching it.
#[derive(Clone)]
struct Counting {
    pipe: MemoryOutputPipe,
    writes: Arc<AtomicUsize>,
}

impl wasmtime_wasi::cli::IsTerminal for Counting {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl wasmtime_wasi::cli::StdoutStream for Counting {
    fn async_stream(&self) -> Box<dyn tokio::io::AsyncWrite + Send + Sync> {
        self.pipe.async_stream()
    }

    fn p2_stream(&self) -> Box<dyn wasmtime_wasi::p2::OutputStream> {
        Box::new(self.clone())
    }
}

impl wasmtime_wasi::p2::OutputStream for Counting {
    fn write(&mut self, bytes: bytes::Bytes) -> wasmtime_wasi::p2::StreamResult<()> {
        self.writes.fetch_add(1, Ordering::Relaxed);
        self.pipe.write(bytes)
    }

    fn flush(&mut self) -> wasmtime_wasi::p2::StreamResult<()> {
        self.pipe.flush()
    }

    fn check_write(&mut self) -> wasmtime_wasi::p2::StreamResult<usize> {
        self.pipe.check_write()
    }
}

#[wasmtime_wasi::async_trait]
impl wasmtime_wasi::p2::Pollable for Counting {
    async fn ready(&mut self) {}
}

/// How a hostile stdin breaks the WASI 0.2 `input-stream` contract (tests
/// of what a guest does when the host misbehaves).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StdinFault {
    /// Every read returns up to this many bytes more than it asked for.
    OverDelivers(usize),
    /// Every read returns no bytes and the stream never closes (a
    /// `blocking-read` that does not block).
    EmptyForever,
    /// Delivers this many bytes of stdin, then every read fails
    /// (`last-operation-failed`).
    FailsAfter(usize),
}

/// A stdin that serves its bytes with a [`StdinFault`].
#[derive(Clone)]
struct Hostile {
    data: Arc<std::sync::Mutex<(Vec<u8>, usize)>>,
    fault: StdinFault,
}

impl Hostile {
    fn new(data: &[u8], fault: StdinFault) -> Self {
        Hostile {
            data: Arc::new(std::sync::Mutex::new((data.to_vec(), 0))),
            fault,
        }
    }
}

impl wasmtime_wasi::cli::IsTerminal for Hostile {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl wasmtime_wasi::cli::StdinStream for Hostile {
    /// WASI 0.3 stdin is a stream the guest hands a buffer of its own to,
    /// which the host cannot overfill: these faults are WASI 0.2's.
    fn async_stream(&self) -> Box<dyn tokio::io::AsyncRead + Send + Sync> {
        Box::new(tokio::io::empty())
    }

    fn p2_stream(&self) -> Box<dyn wasmtime_wasi::p2::InputStream> {
        Box::new(self.clone())
    }
}

#[wasmtime_wasi::async_trait]
impl wasmtime_wasi::p2::InputStream for Hostile {
    fn read(&mut self, size: usize) -> wasmtime_wasi::p2::StreamResult<bytes::Bytes> {
        use wasmtime_wasi::p2::StreamError;
        let mut guard = self.data.lock().unwrap_or_else(|e| e.into_inner());
        let (data, pos) = &mut *guard;
        let left = data.len() - *pos;
        let take = match self.fault {
            StdinFault::EmptyForever => return Ok(bytes::Bytes::new()),
            StdinFault::OverDelivers(extra) => size.saturating_add(extra).min(left),
            StdinFault::FailsAfter(n) if *pos >= n => {
                return Err(StreamError::LastOperationFailed(wasmtime::format_err!(
                    "hostile stdin: read failed"
                )));
            }
            StdinFault::FailsAfter(n) => size.min(n - *pos).min(left),
        };
        if take == 0 {
            return Err(StreamError::Closed);
        }
        let out = bytes::Bytes::copy_from_slice(&data[*pos..*pos + take]);
        *pos += take;
        Ok(out)
    }

    async fn blocking_read(
        &mut self,
        size: usize,
    ) -> wasmtime_wasi::p2::StreamResult<bytes::Bytes> {
        self.read(size)
    }
}

#[wasmtime_wasi::async_trait]
impl wasmtime_wasi::p2::Pollable for Hostile {
    async fn ready(&mut self) {}
}

/// How many times `needle` occurs in `haystack` (overlapping matches count).
pub fn count(haystack: &[u8], needle: &[u8]) -> usize {
    if needle.is_empty() {
        return 0;
    }
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle)
        .count()
}

/// One instance of a component that exports functions of its own world:
/// any export can be called, each call with a fresh `WasiCtx` (new stdout
/// and stderr pipes).
pub struct Exports {
    store: Store<State>,
    instance: wasmtime::component::Instance,
    creator: Option<Arc<Creator>>,
}

/// What one call of an export printed.
#[derive(Debug)]
pub struct Printed {
    /// Its stdout.
    pub stdout: String,
    /// Its stderr.
    pub stderr: String,
    /// Whether the resource table was empty after the call.
    pub table_empty: bool,
}

impl Exports {
    /// Instantiates `component` (imports: WASI 0.2 only).
    pub fn new(
        component: &Component,
        linker: &Linker<State>,
        creator: Option<Arc<Creator>>,
    ) -> wasmtime::Result<Exports> {
        let mut store = store(linker.engine());
        let instance = linker.instantiate(&mut store, component)?;
        Ok(Exports {
            store,
            instance,
            creator,
        })
    }

    /// Calls `func` of the exported interface `interface` (e.g.
    /// `example:plugin/api`) with a fresh `WasiCtx`; `Err` with the trap's
    /// text if it trapped.
    pub fn call<P, R>(
        &mut self,
        interface: &str,
        func: &str,
        params: P,
    ) -> Result<(R, Printed), String>
    where
        P: wasmtime::component::ComponentNamedList + wasmtime::component::Lower + Send + Sync,
        R: wasmtime::component::ComponentNamedList + wasmtime::component::Lift + Send + Sync,
    {
        let stdout = MemoryOutputPipe::new(1 << 20);
        let stderr = MemoryOutputPipe::new(1 << 20);
        self.store.data_mut().ctx = WasiCtxBuilder::new()
            .stdout(stdout.clone())
            .stderr(stderr.clone())
            .build();
        let iface = self
            .instance
            .get_export_index(&mut self.store, None, interface)
            .ok_or_else(|| format!("no export {interface}"))?;
        let index = self
            .instance
            .get_export_index(&mut self.store, Some(&iface), func)
            .ok_or_else(|| format!("no function {func} in {interface}"))?;
        let f = self
            .instance
            .get_typed_func::<P, R>(&mut self.store, &index)
            .map_err(|e| format!("{e:?}"))?;
        let r = f
            .call(&mut self.store, params)
            .map_err(|e| format!("{e:?}"))?;
        let text = |p: &MemoryOutputPipe| String::from_utf8_lossy(&p.contents()).into_owned();
        Ok((
            r,
            Printed {
                stdout: text(&stdout),
                stderr: text(&stderr),
                table_empty: self.store.data().table.is_empty(),
            },
        ))
    }

    /// A copy of the instance's linear memory (host-owned memory only).
    pub fn memory(&self) -> Option<Vec<u8>> {
        self.creator.as_ref().map(|c| c.snapshot())
    }
}
