//! A Wasmtime host that runs a WASI 0.2 command component (one that exports
//! `wasi:cli/run`) many times, and reuses its instance when, and only when,
//! that is safe. Each step is one section of `docs/hosting.md`:
//!
//! 1. **Read the policy** before the first run ([`Reuse::of`]): only a
//!    component that records `wasi-guest:run/again` is reused. A single-shot
//!    component (`wasi-guest:run/once`) and a component without a record (a
//!    std or adapter command, whose second `run` traps) get a new instance
//!    for every run.
//! 2. **A fresh `WasiCtx` for every run** ([`Host::run`]): its own arguments,
//!    environment, stdin, output pipes and preopened directories, swapped
//!    into the store before the call and replaced by an empty one after it,
//!    so the host keeps nothing of a finished run either.
//! 3. **Keep the resource table, check it is empty.** The instance's handles
//!    are indices into the store's `ResourceTable`, so the table stays with
//!    the instance. A wasi-guest component releases every handle before its
//!    run returns; anything left is a handle the component kept on purpose
//!    (a stream of an earlier run's pipe, say), and the instance is retired.
//! 4. **Budgets per run**: fuel is refilled before each run
//!    ([`Limits::fuel`]); an epoch deadline is set before each run
//!    ([`Limits::deadline`]) and a ticker thread advances the epoch.
//! 5. **After a trap, retire the instance** (its store too). The component
//!    model forbids entering an instance that trapped; its memory is in an
//!    unknown state anyway.
//! 6. **Bound the reuse** ([`Limits::max_runs_per_instance`]), the way
//!    `wasmtime serve --max-instance-reuse-count` does, and memory
//!    ([`Limits::memory`]): a reused instance keeps the largest memory it
//!    ever grew to.

//!
//! The store, the per-run context and its directories come from the host
//! library every Wasmtime host of this repository is built on
//! (`cargo_wasi_guest::host`); this crate adds the rules above.

use cargo_wasi_guest::host::{self, Memory, State};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;
use wasmtime::component::Component;
use wasmtime::{Engine, Store, Trap};
use wasmtime_wasi::WasiCtxBuilder;
use wasmtime_wasi::p2::bindings::sync::{Command, CommandPre};

/// What one run gets: arguments, environment, stdin and preopened
/// directories (the host library's description of a call).
pub use cargo_wasi_guest::host::Call as Run;
/// A directory a run may use.
pub use cargo_wasi_guest::host::Dir as Preopen;

/// The export a wasi-guest component carries when its policy is
/// `rerunnable` (an empty interface; nothing is ever called on it).
pub const RERUNNABLE_EXPORT: &str = "wasi-guest:run/again";
/// The export a wasi-guest component carries when its policy is
/// `single-shot`.
pub const SINGLE_SHOT_EXPORT: &str = "wasi-guest:run/once";

/// What a component says about calling `run` again on one instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reuse {
    /// It records `wasi-guest:run/again`: every run behaves like a fresh
    /// process, so one instance may serve many runs.
    Rerunnable,
    /// It records `wasi-guest:run/once`: a second run on one instance would
    /// get an error result, so every run gets a new instance.
    SingleShot,
    /// It records nothing (not built with wasi-guest): every run gets a new
    /// instance, since a command's second `run` traps.
    Unrecorded,
}

impl Reuse {
    /// The policy in a compiled component's export list; nothing is
    /// instantiated.
    pub fn of(component: &Component, engine: &Engine) -> Reuse {
        let ty = component.component_type();
        let mut reuse = Reuse::Unrecorded;
        for (name, _) in ty.exports(engine) {
            match name {
                RERUNNABLE_EXPORT => reuse = Reuse::Rerunnable,
                SINGLE_SHOT_EXPORT => return Reuse::SingleShot,
                _ => {}
            }
        }
        reuse
    }
}

/// Per-run budgets and the bound on reuse.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Fuel for each run (Wasmtime's unit: about one per instruction);
    /// `None`: unmetered.
    pub fuel: Option<u64>,
    /// Wall-clock time for each run, checked through epoch interruption with
    /// a resolution of [`TICK`]; `None`: no deadline.
    pub deadline: Option<Duration>,
    /// The most linear memory, in bytes, an instance may grow to; `None`:
    /// Wasmtime's default (4 GiB for 32-bit memories).
    pub memory: Option<usize>,
    /// After this many runs an instance is retired even if it could serve
    /// more.
    pub max_runs_per_instance: u32,
    /// The most bytes each of a run's stdout and stderr keeps; a component
    /// that writes more gets a write error.
    pub output: usize,
}

impl Default for Limits {
    /// Unmetered, no deadline, Wasmtime's memory limit, 10,000 runs per
    /// instance, 16 MiB of output per stream.
    fn default() -> Self {
        Limits {
            fuel: None,
            deadline: None,
            memory: None,
            max_runs_per_instance: 10_000,
            output: 16 << 20,
        }
    }
}

/// How often the ticker thread advances the engine's epoch.
pub const TICK: Duration = Duration::from_millis(5);

/// How a run ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// `run` returned `ok`.
    Success,
    /// `run` returned `err` (the program failed; a single-shot component
    /// called again would say so here, but this host never does that).
    Failure,
    /// The run used up its fuel and trapped.
    OutOfFuel,
    /// The run passed its deadline and was interrupted.
    DeadlineExceeded,
    /// Any other trap (a panic, `unreachable`, out of bounds), with
    /// Wasmtime's description.
    Trap(String),
}

impl Outcome {
    /// Whether the run trapped (the instance is then retired).
    pub fn trapped(&self) -> bool {
        matches!(
            self,
            Outcome::OutOfFuel | Outcome::DeadlineExceeded | Outcome::Trap(_)
        )
    }
}

/// Why the instance that served a run was not kept for the next one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retired {
    /// The component is not re-runnable ([`Reuse::SingleShot`],
    /// [`Reuse::Unrecorded`]).
    NotRerunnable,
    /// The run trapped.
    Trapped,
    /// This many resources were still in the table after the run: the
    /// component kept handles past its run.
    HandlesLeft(usize),
    /// The instance served [`Limits::max_runs_per_instance`] runs.
    RunLimit,
}

/// What one run did.
#[derive(Debug)]
pub struct Report {
    /// How it ended.
    pub outcome: Outcome,
    /// Everything it wrote to its stdout.
    pub stdout: Vec<u8>,
    /// Everything it wrote to its stderr.
    pub stderr: Vec<u8>,
    /// Which instance served it (1 for the first this host made).
    pub instance: u64,
    /// Whether that instance had served runs before.
    pub reused: bool,
    /// `None` if the instance is kept for the next run, else why not.
    pub retired: Option<Retired>,
}

/// An instance kept between runs, with its own store.
struct Warm {
    store: Store<State>,
    command: Command,
    runs: u32,
    serial: u64,
}

/// Advances the engine's epoch every [`TICK`] until dropped.
struct Ticker {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Ticker {
    fn start(engine: Engine) -> Ticker {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            while !flag.load(Ordering::Relaxed) {
                std::thread::sleep(TICK);
                engine.increment_epoch();
            }
        });
        Ticker {
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Runs one component again and again, reusing its instance when it is
/// re-runnable (see the crate documentation for each rule).
pub struct Host {
    pre: CommandPre<State>,
    reuse: Reuse,
    limits: Limits,
    warm: Option<Warm>,
    instances: u64,
    // Declared last: the ticker stops after everything else is dropped.
    _ticker: Option<Ticker>,
}

impl Host {
    /// Compiles `wasm` (a component's bytes) for an engine configured for
    /// `limits`, links WASI 0.2 and reads the component's policy. Nothing is
    /// instantiated until the first run.
    pub fn new(wasm: &[u8], limits: Limits) -> wasmtime::Result<Host> {
        let (mut config, _) = host::config(Memory::Wasmtime);
        config.consume_fuel(limits.fuel.is_some());
        config.epoch_interruption(limits.deadline.is_some());
        let engine = Engine::new(&config)?;
        let component = Component::new(&engine, wasm)?;
        let reuse = Reuse::of(&component, &engine);
        let linker = host::linker(&engine)?;
        let pre = CommandPre::new(linker.instantiate_pre(&component)?)?;
        let ticker = limits.deadline.map(|_| Ticker::start(engine.clone()));
        Ok(Host {
            pre,
            reuse,
            limits,
            warm: None,
            instances: 0,
            _ticker: ticker,
        })
    }

    /// The component's policy, as read by [`Reuse::of`].
    pub fn reuse(&self) -> Reuse {
        self.reuse
    }

    /// How many instances this host has made so far.
    pub fn instances(&self) -> u64 {
        self.instances
    }

    /// A new instance in a store of its own.
    fn instantiate(&mut self) -> wasmtime::Result<Warm> {
        let mut store = host::store(self.pre.engine());
        if let Some(bytes) = self.limits.memory {
            store.data_mut().limit_memory(bytes);
        }
        // Instantiation runs guest code too (the component's core modules
        // are instantiated): with fuel or epochs on, a store starts with
        // none of either and would trap at once.
        self.budget(&mut store)?;
        let command = self.pre.instantiate(&mut store)?;
        self.instances += 1;
        Ok(Warm {
            store,
            command,
            runs: 0,
            serial: self.instances,
        })
    }

    /// Gives `store` one run's fuel and deadline (a no-op for the budgets
    /// `Limits` leaves unset).
    fn budget(&self, store: &mut Store<State>) -> wasmtime::Result<()> {
        if let Some(fuel) = self.limits.fuel {
            store.set_fuel(fuel)?;
        }
        if let Some(deadline) = self.limits.deadline {
            let ticks = deadline.as_nanos().div_ceil(TICK.as_nanos()).max(1);
            store.set_epoch_deadline(u64::try_from(ticks).unwrap_or(u64::MAX));
        }
        Ok(())
    }

    /// Calls `run` once with a `WasiCtx` made from `run`, on the kept
    /// instance if there is one, else on a new one; then decides whether to
    /// keep the instance. `Err` only when the host itself fails (the
    /// component cannot be instantiated, a directory cannot be opened); a
    /// trap is an [`Outcome`].
    pub fn run(&mut self, run: &Run) -> wasmtime::Result<Report> {
        // Build the context first: a bad directory must not cost an instance.
        let (ctx, pipes) = run.context(self.limits.output)?;

        let mut warm = match self.warm.take() {
            Some(warm) => warm,
            None => self.instantiate()?,
        };
        let reused = warm.runs > 0;
        // Rule 2: this run's context in, for exactly this call.
        warm.store.data_mut().set_context(ctx);
        // Rule 4: this run's budgets.
        self.budget(&mut warm.store)?;
        let result = warm.command.wasi_cli_run().call_run(&mut warm.store);
        warm.runs += 1;
        // Rule 2: the run's context out; the host keeps none of its pipes,
        // files or directories.
        warm.store
            .data_mut()
            .set_context(WasiCtxBuilder::new().build());

        let outcome = match result {
            Ok(Ok(())) => Outcome::Success,
            Ok(Err(())) => Outcome::Failure,
            Err(e) => match e.downcast_ref::<Trap>() {
                Some(Trap::OutOfFuel) => Outcome::OutOfFuel,
                Some(Trap::Interrupt) => Outcome::DeadlineExceeded,
                _ => Outcome::Trap(format!("{e:?}")),
            },
        };
        // Rules 1, 3, 5 and 6, in that order of precedence.
        let left = warm.store.data_mut().handles();
        let retired = if outcome.trapped() {
            Some(Retired::Trapped)
        } else if self.reuse != Reuse::Rerunnable {
            Some(Retired::NotRerunnable)
        } else if left > 0 {
            Some(Retired::HandlesLeft(left))
        } else if warm.runs >= self.limits.max_runs_per_instance {
            Some(Retired::RunLimit)
        } else {
            None
        };
        let instance = warm.serial;
        if retired.is_none() {
            self.warm = Some(warm);
        }
        Ok(Report {
            outcome,
            stdout: pipes.stdout.contents().to_vec(),
            stderr: pipes.stderr.contents().to_vec(),
            instance,
            reused,
            retired,
        })
    }
}
