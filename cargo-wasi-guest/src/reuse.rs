//! `cargo xtask check-reuse PATH.wasm`: may a host reuse instances of this
//! component? Works on any component that exports `wasi:cli/run`, built with
//! this crate or not.
//!
//! It runs the component [`CALLS`] times (or `--calls N`) on one instance,
//! as a reusing host would: every call gets a fresh `WasiCtx` with its own
//! arguments, environment, stdin, output pipes and preopened directory
//! (`/`), each carrying a secret unique to that call and random for every
//! check (a program cannot recognise them in advance). The host owns the
//! instance's linear memory and scans it after every call. Evidence of a
//! leak, looked for after every call, for every earlier call:
//!
//! * a call's output lands in an earlier call's pipe (cached stdio handles),
//!   however late it starts to;
//! * a call's output shows an earlier call's secret, as sent or reversed
//!   (stale environment, stdin or directory);
//! * a secret of an earlier call is still in linear memory, as sent or
//!   reversed (a later call ran while it was there);
//! * the host's resource table still holds handles after the call (a handle
//!   the call opened and did not release, or one kept from an earlier
//!   call).
//!
//! The last two count only if a later call runs the program: a single-shot
//! program (every call after the first refused, cleanly) may keep what it
//! likes after its one run, since no run after it can see it.
//!
//! What a black-box check cannot see: data a program keeps in a form other
//! than the one sent or its reverse (encoded, hashed, split), and behaviour
//! that starts only after the last call it makes. Passing is evidence, not
//! proof; the policy record is the author's statement.
//!
//! The verdict is one of [`Verdict`]; the policy record (see
//! `wasi_guest::Policy`), if present, is compared with it.
//!
//! A WASI 0.3 component (`wasi:cli/run@0.3`) gets the same calls in series,
//! then [`OVERLAPPING`] calls started at once on the instance (as
//! `wasmtime serve` and other 0.3 hosts do without asking), then one more
//! call in series. The overlapping calls share one `WasiCtx` (a store has
//! one), whose secrets are their own; none may trap, their results must
//! agree with the policy (a single-shot program refuses every one of them),
//! and after the last call no secret of theirs may be left in memory. A
//! serial program holds backpressure, so the host queues the overlapping
//! calls one after another; a concurrent one (`policy-concurrent` in the
//! report) runs them side by side.

use crate::Result;
use crate::host::p3::Run;
use crate::host::{self, Call, Dir, Instance, Memory, Outcome};
use std::fmt;
use std::path::Path;
use wasmtime::component::Component;

/// Calls made in series on the one instance, unless `--calls N` says
/// otherwise.
pub const CALLS: usize = 8;

/// Calls started at once on a WASI 0.3 instance, after those in series.
pub const OVERLAPPING: usize = 4;

/// What a reusing host can expect of a component.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every call works like a fresh instance; nothing leaks.
    Rerunnable,
    /// The first call works; later calls return `run`'s error result
    /// without trapping, and nothing leaks.
    SingleShot,
    /// A call after the first traps (the instance is lost).
    Traps {
        /// The first call that trapped (2 or later).
        call: usize,
    },
    /// Calls see or leave behind each other's data.
    Leaks,
    /// The very first call traps: nothing can be said about reuse.
    FailsFirstCall,
}

impl Verdict {
    /// Whether a host may call `run` again on one instance (as its policy
    /// says: again and again, or to get a clean error).
    pub fn reusable(self) -> bool {
        matches!(self, Verdict::Rerunnable | Verdict::SingleShot)
    }

    /// The policy record this behaviour corresponds to, if any.
    fn policy(self) -> Option<&'static str> {
        match self {
            Verdict::Rerunnable => Some("rerunnable"),
            Verdict::SingleShot => Some("single-shot"),
            _ => None,
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Rerunnable => f.write_str("re-runnable"),
            Verdict::SingleShot => f.write_str("single-shot (clean error)"),
            Verdict::Traps { call: 2 } => f.write_str("traps on second run (not reusable)"),
            Verdict::Traps { call } => write!(f, "traps on run {call} (not reusable)"),
            Verdict::Leaks => f.write_str("not reusable: leaks state between runs"),
            Verdict::FailsFirstCall => f.write_str("traps on its first run (cannot judge reuse)"),
        }
    }
}

/// The result of a check.
#[derive(Clone, Debug)]
pub struct Report {
    /// The verdict.
    pub verdict: Verdict,
    /// The policy record's content, if the component has one.
    pub policy: Option<String>,
    /// WASI 0.3 only: whether the component records that its calls may
    /// overlap (`None` for a WASI 0.2 component).
    pub concurrent: Option<bool>,
    /// One line per call: its result and output sizes.
    pub calls: Vec<String>,
    /// Every leak found (empty unless the verdict is [`Verdict::Leaks`]).
    pub leaks: Vec<String>,
}

impl Report {
    /// Whether the policy record agrees with the observed behaviour
    /// (`None` when there is no record).
    pub fn policy_matches(&self) -> Option<bool> {
        let p = self.policy.as_deref()?;
        Some(self.verdict.policy() == Some(p))
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "verdict: {}", self.verdict)?;
        match (&self.policy, self.policy_matches()) {
            (Some(p), Some(true)) => writeln!(f, "policy record: {p} (matches)")?,
            (Some(p), _) => writeln!(f, "policy record: {p} (DOES NOT MATCH the behaviour)")?,
            (None, _) => writeln!(f, "policy record: none")?,
        }
        match self.concurrent {
            Some(true) => writeln!(f, "WASI 0.3: calls may overlap (concurrent)")?,
            Some(false) => writeln!(f, "WASI 0.3: one call at a time (serial, backpressure)")?,
            None => {}
        }
        writeln!(f, "calls on one instance, each with a fresh context:")?;
        for c in &self.calls {
            writeln!(f, "  {c}")?;
        }
        if !self.leaks.is_empty() {
            writeln!(f, "leaks:")?;
            for l in &self.leaks {
                writeln!(f, "  {l}")?;
            }
        }
        Ok(())
    }
}

/// The four kinds of secret every call carries.
const KINDS: [&str; 4] = ["argument", "environment", "stdin", "file"];

/// Every call's secrets, random for each check: call `n` (1-based) has one
/// of each of [`KINDS`], all distinct.
struct Secrets(Vec<[String; 4]>);

impl Secrets {
    /// Secrets for calls `1..=calls`.
    fn new(calls: usize) -> Self {
        use std::hash::{BuildHasher, Hasher};
        let seed = std::collections::hash_map::RandomState::new();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let mut counter = 0u64;
        let mut token = || {
            counter += 1;
            let mut h = seed.build_hasher();
            h.write_u128(nanos);
            h.write_u64(counter);
            format!("{:016x}", h.finish())
        };
        Secrets(
            (0..calls)
                .map(|_| [0, 1, 2, 3].map(|k| format!("s{k}{}", token())))
                .collect(),
        )
    }

    /// Call `n`'s secrets with their kinds.
    fn of(&self, n: usize) -> impl Iterator<Item = (&'static str, &str)> {
        KINDS
            .into_iter()
            .zip(self.0[n - 1].iter().map(String::as_str))
    }
}

/// `s` reversed (a program may keep a secret backwards to dodge a check).
fn reversed(s: &str) -> String {
    s.chars().rev().collect()
}

/// The forms of a secret a check looks for: as sent, then reversed.
fn forms(s: &str) -> [(String, &'static str); 2] {
    [(s.to_string(), ""), (reversed(s), " (reversed)")]
}

/// Checks the component at `path` with [`CALLS`] calls in series; `args`
/// follow the program name of every call (the argument secret is the
/// program name itself, so that options a program checks are left alone).
pub fn check(path: &Path, args: &[String]) -> Result<Report> {
    check_with(path, args, CALLS)
}

/// [`check`] with `calls` calls in series (at least 2).
pub fn check_with(path: &Path, args: &[String], calls_in_series: usize) -> Result<Report> {
    if calls_in_series < 2 {
        return Err("check-reuse needs at least 2 calls".into());
    }
    let bytes = std::fs::read(path)?;
    let policy = wasi_guest::Policy::of_component(&bytes).map(|p| p.name().to_string());
    let p3 = crate::wasm::facts(&bytes)?
        .component_exports
        .iter()
        .any(|e| e.starts_with("wasi:cli/run@0.3"));
    let (engine, creator) = host::engine(Memory::HostOwned);
    let component = Component::new(&engine, &bytes).map_err(|e| format!("{e:?}"))?;
    let mut instance = if p3 {
        let linker = host::p3::linker(&engine).map_err(|e| format!("{e:?}"))?;
        Target::P3(Run::new(&component, &linker, creator).map_err(|e| {
            format!("cannot instantiate it as a wasi:cli/run command with WASI 0.3: {e:?}")
        })?)
    } else {
        let linker = host::linker(&engine).map_err(|e| format!("{e:?}"))?;
        Target::P2(Instance::new(&component, &linker, creator).map_err(|e| {
            format!("cannot instantiate it as a wasi:cli/run command with WASI 0.2: {e:?}")
        })?)
    };
    let secrets = Secrets::new(calls_in_series + 2);
    let scratch = tempdir()?;
    let mut outcomes: Vec<Outcome> = Vec::new();
    let mut sizes_after: Vec<Vec<usize>> = Vec::new();
    let mut leaks = Vec::new();
    // What the instance kept after a call (memory, handles): a leak only if
    // a later call runs the program, which a single-shot one never does.
    let mut retained = Vec::new();
    let mut calls = Vec::new();
    let mut trapped = None;
    for n in 1..=calls_in_series {
        let o = instance.call(&call_of(n, &secrets, &scratch, args)?);
        calls.push(format!("run {n}: {}", describe(&o)));
        // Everything this call wrote, wherever it landed: its own pipes,
        // and whatever an earlier call's pipes gained during it.
        let mut output = format!("{}{}", o.stdout, o.stderr);
        for (j, (earlier, sizes)) in outcomes.iter().zip(&mut sizes_after).enumerate() {
            let pipes = [
                earlier.stdout_pipe.contents(),
                earlier.stderr_pipe.contents(),
            ];
            let now = [pipes[0].len(), pipes[1].len()];
            if now[..] != sizes[..] {
                leaks.push(format!(
                    "run {n} wrote into run {}'s output pipes ({} -> {} bytes): stdio handles cached across runs",
                    j + 1,
                    sizes[0] + sizes[1],
                    now[0] + now[1]
                ));
                for (pipe, &before) in pipes.iter().zip(sizes.iter()) {
                    output.push_str(&String::from_utf8_lossy(pipe.get(before..).unwrap_or(&[])));
                }
                *sizes = now.to_vec();
            }
        }
        // Earlier calls' secrets in this call's output.
        for j in 1..n {
            for (kind, s) in secrets.of(j) {
                for (form, how) in forms(s) {
                    if output.contains(&form) {
                        leaks.push(format!(
                            "run {n}'s output shows run {j}'s {kind}{how}: stale {kind}"
                        ));
                    }
                }
            }
        }
        // Secrets of earlier calls left in memory.
        if let Some(memory) = instance.memory() {
            for j in 1..n {
                for (kind, s) in secrets.of(j) {
                    for (form, how) in forms(s) {
                        let copies = host::count(&memory, form.as_bytes());
                        if copies > 0 {
                            retained.push(format!(
                                "after run {n}, linear memory holds {copies} copies of run {j}'s {kind}{how}"
                            ));
                        }
                    }
                }
            }
        }
        let is_trap = o.trapped();
        if !is_trap && !o.table_empty {
            retained.push(format!(
                "after run {n}, the host's resource table still holds handles: a handle kept past its call"
            ));
        }
        sizes_after.push(vec![
            o.stdout_pipe.contents().len(),
            o.stderr_pipe.contents().len(),
        ]);
        outcomes.push(o);
        if is_trap {
            trapped = Some(n);
            break;
        }
    }
    // A single-shot program refuses every call after the first, whatever
    // its one run returned; a program that fails every call alike (wrong
    // arguments, say) is single-shot only if its record says so.
    // What a single-shot instance retained after its one run (std's
    // buffers, handles std keeps) never reaches another run: every later
    // call is refused before the program runs, so only output of a later
    // call counts against it.
    let refuses_later = outcomes[1..].iter().all(|o| o.result == Ok(Err(())));
    let single_shot = trapped.is_none()
        && leaks.is_empty()
        && refuses_later
        && (outcomes[0].ok() || policy.as_deref() == Some("single-shot"));
    if !single_shot {
        leaks.append(&mut retained);
    }
    let mut verdict = match trapped {
        Some(1) => Verdict::FailsFirstCall,
        Some(call) => Verdict::Traps { call },
        None if !leaks.is_empty() => Verdict::Leaks,
        None if single_shot => Verdict::SingleShot,
        None => Verdict::Rerunnable,
    };
    let concurrent = p3.then(|| wasi_guest::Policy::concurrent_in(&bytes));
    if let (Target::P3(run), true) = (&mut instance, verdict.reusable()) {
        let batch = calls_in_series + 1;
        let inputs = Inputs {
            secrets: &secrets,
            scratch: &scratch,
            args,
        };
        verdict = overlapping(run, verdict, inputs, batch, &mut calls, &mut leaks)?;
    }
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(Report {
        verdict,
        policy,
        concurrent,
        calls,
        leaks,
    })
}

/// The instance under check.
enum Target {
    P2(Instance),
    P3(Run),
}

impl Target {
    fn call(&mut self, call: &Call) -> Outcome {
        match self {
            Target::P2(i) => i.call(call),
            Target::P3(r) => r.call(call),
        }
    }

    fn memory(&self) -> Option<Vec<u8>> {
        match self {
            Target::P2(i) => i.memory(),
            Target::P3(r) => r.memory(),
        }
    }
}

/// Call `n`'s context: its secrets as argument, environment, stdin and a
/// file in its own directory (preopened as `/`), then `args`.
fn call_of(n: usize, secrets: &Secrets, scratch: &Path, args: &[String]) -> Result<Call> {
    let [arg, env, stdin, file] = secrets.0[n - 1].clone();
    let dir = scratch.join(format!("call{n}"));
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("secret.txt"), format!("{file}\n"))?;
    let mut call_args = vec![arg];
    call_args.extend(args.iter().cloned());
    Ok(Call {
        args: call_args,
        env: vec![("REUSE_SECRET".into(), env)],
        stdin: format!("{stdin}\n").into_bytes(),
        dirs: vec![Dir {
            host: dir,
            guest: "/".into(),
            read_only: false,
        }],
        ..Call::default()
    })
}

/// A call's result and output sizes, for the report.
fn describe(o: &Outcome) -> String {
    format!(
        "{}, {} bytes to stdout, {} to stderr",
        match &o.result {
            Ok(Ok(())) => "ok".to_string(),
            Ok(Err(())) => "error result".to_string(),
            Err(trap) => format!("trap ({})", trap.lines().next().unwrap_or("")),
        },
        o.stdout.len(),
        o.stderr.len()
    )
}

/// What every call of one check is made from.
#[derive(Clone, Copy)]
struct Inputs<'a> {
    secrets: &'a Secrets,
    scratch: &'a Path,
    args: &'a [String],
}

/// WASI 0.3: [`OVERLAPPING`] calls at once (context `batch`, the call after
/// those in series), then one in series (`batch + 1`) after which memory
/// must hold no secret of the overlapping ones. The verdict found in series, or what these calls
/// showed instead.
fn overlapping(
    run: &mut Run,
    verdict: Verdict,
    inputs: Inputs<'_>,
    batch: usize,
    calls: &mut Vec<String>,
    leaks: &mut Vec<String>,
) -> Result<Verdict> {
    let Inputs {
        secrets,
        scratch,
        args,
    } = inputs;
    let outs = run.calls(&call_of(batch, secrets, scratch, args)?, OVERLAPPING);
    for (i, o) in outs.iter().enumerate() {
        calls.push(format!(
            "run {batch}.{} (of {OVERLAPPING} started at once, one shared context and pipes): {}",
            i + 1,
            describe(o)
        ));
    }
    if let Some(i) = outs.iter().position(Outcome::trapped) {
        return Ok(Verdict::Traps { call: batch + i });
    }
    let expected = match verdict {
        Verdict::SingleShot => Ok(Err(())),
        _ => Ok(Ok(())),
    };
    if let Some(i) = outs.iter().position(|o| o.result != expected) {
        leaks.push(format!(
            "run {batch}.{} of the overlapping calls returned {:?}, where the calls in series showed {verdict}",
            i + 1,
            outs[i].result
        ));
        return Ok(Verdict::Leaks);
    }
    let after = batch + 1;
    let o = run.call(&call_of(after, secrets, scratch, args)?);
    calls.push(format!("run {after}: {}", describe(&o)));
    if o.trapped() {
        return Ok(Verdict::Traps { call: after });
    }
    let output = format!("{}{}", o.stdout, o.stderr);
    let mut leaked = false;
    for (kind, s) in secrets.of(batch) {
        for (form, how) in forms(s) {
            if output.contains(&form) {
                leaks.push(format!(
                    "run {after}'s output shows the overlapping calls' {kind}{how}: stale {kind}"
                ));
                leaked = true;
            }
            if let Some(memory) = run.memory() {
                let copies = host::count(&memory, form.as_bytes());
                if copies > 0 {
                    leaks.push(format!(
                        "after run {after}, linear memory holds {copies} copies of the overlapping calls' {kind}{how}"
                    ));
                    leaked = true;
                }
            }
        }
    }
    if !o.table_empty {
        leaks.push(format!(
            "after run {after}, the host's resource table still holds handles: a handle kept past its call"
        ));
        leaked = true;
    }
    Ok(if leaked { Verdict::Leaks } else { verdict })
}

/// A fresh scratch directory under the system's temporary directory.
fn tempdir() -> Result<std::path::PathBuf> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "wasi-guest-check-reuse-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::Secrets;
    use std::collections::HashSet;

    #[test]
    fn every_secret_is_distinct_within_a_check_and_new_in_the_next_check() {
        let first = Secrets::new(10);
        let second = Secrets::new(10);
        let mut seen = HashSet::new();
        for s in first.0.iter().chain(&second.0).flatten() {
            assert!(seen.insert(s.clone()), "{s} repeats");
            assert!(!seen.contains(&super::reversed(s)), "{s} reversed repeats");
        }
        assert_eq!(seen.len(), 80);
    }
}
