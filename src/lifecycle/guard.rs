//! The lifecycle guard: one state machine per instance.
//!
//! ```text
//!                enter                     leave
//! Uninitialised ───────▶ Running ──────────────────────▶ Idle       (Rerunnable)
//!                          ▲  │                   └────▶ Finished   (SingleShot)
//!                   enter  │  │ panic
//!          Idle ───────────┘  └─────────▶ Poisoned
//! ```
//!
//! * `init` runs inside the first call (entered from `Uninitialised`), so it
//!   sees that call's arguments, environment and stdio.
//! * `enter` from `Running` (a call already in progress), `Finished`
//!   (single-shot already used) or `Poisoned` (an earlier call panicked) is
//!   refused with a [`Refusal`]: the phase does not change, the program is
//!   not called, nothing traps.
//! * Calls that may overlap (a WASI 0.3 program exported as `concurrent`)
//!   enter with [`Lifecycle::enter_overlapping`]: from `Running` too, counted,
//!   and the phase leaves `Running` when the last of them leaves.
//!
//! Transitions are compare-and-swaps on one byte, so even a host build with
//! threads can never have two serial calls in progress; on wasm32 they are
//! plain loads and stores.

use super::policy::Policy;
use core::fmt;
use core::sync::atomic::{AtomicU8, AtomicU32, Ordering::AcqRel, Ordering::Acquire};

/// Where an instance is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Phase {
    /// No call has started yet; `init` has not run.
    Uninitialised = 0,
    /// `init` has run and no call is in progress.
    Idle = 1,
    /// A call (and, on the first call, `init`) is in progress.
    Running = 2,
    /// A single-shot program has completed its one call.
    Finished = 3,
    /// A call panicked; the instance must not be used again.
    Poisoned = 4,
}

/// Why a call was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// A call arrived while another was in progress and calls of this
    /// program do not overlap (re-entry, a host that ignores backpressure,
    /// or a call after an earlier one trapped without returning).
    Reentered,
    /// The program is [`Policy::SingleShot`] and has already run once.
    SingleShot,
    /// An earlier call panicked.
    Poisoned,
}

impl Refusal {
    /// The line written to stderr when a call is refused (without newline).
    pub const fn message(self) -> &'static str {
        match self {
            Refusal::Reentered => "wasi-guest: run refused: a call is already in progress",
            Refusal::SingleShot => {
                "wasi-guest: run refused: this component is single-shot and already ran; instantiate it again"
            }
            Refusal::Poisoned => {
                "wasi-guest: run refused: an earlier run panicked; instantiate it again"
            }
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl core::error::Error for Refusal {}

/// The state machine over one byte, and the count of overlapping calls.
pub(crate) struct Lifecycle {
    phase: AtomicU8,
    /// Calls in progress that entered with
    /// [`enter_overlapping`](Lifecycle::enter_overlapping).
    overlapping: AtomicU32,
}

impl Lifecycle {
    pub(crate) const fn new() -> Self {
        Self {
            phase: AtomicU8::new(Phase::Uninitialised as u8),
            overlapping: AtomicU32::new(0),
        }
    }

    /// The phase, counting a panic that trapped a call as `Poisoned` (the
    /// panic handler notes it in the platform, see [`platform::panicked`]).
    ///
    /// [`platform::panicked`]: crate::platform::panicked
    pub(crate) fn phase(&self) -> Phase {
        if crate::platform::panicked() {
            return Phase::Poisoned;
        }
        self.recorded()
    }

    /// The phase as the byte records it. A panicking call never leaves, so
    /// after a panic the byte still says `Running`: every later call is
    /// refused, and [`Lifecycle::refusal`] tells why.
    fn recorded(&self) -> Phase {
        match self.phase.load(Acquire) {
            0 => Phase::Uninitialised,
            1 => Phase::Idle,
            2 => Phase::Running,
            3 => Phase::Finished,
            _ => Phase::Poisoned,
        }
    }

    /// Starts a call. `Ok(true)` means this is the first call: `init` must
    /// run.
    pub(crate) fn enter(&self) -> Result<bool, Refusal> {
        let from = self.recorded();
        if matches!(from, Phase::Uninitialised | Phase::Idle)
            && self
                .phase
                .compare_exchange(from as u8, Phase::Running as u8, AcqRel, Acquire)
                .is_ok()
        {
            return Ok(from == Phase::Uninitialised);
        }
        Err(self.refusal())
    }

    /// Why a call that could not enter is refused.
    fn refusal(&self) -> Refusal {
        match self.phase() {
            Phase::Finished => Refusal::SingleShot,
            Phase::Poisoned => Refusal::Poisoned,
            _ => Refusal::Reentered,
        }
    }

    /// Ends the call that [`Lifecycle::enter`] started.
    pub(crate) fn leave(&self, policy: Policy) {
        let to = match policy {
            Policy::Rerunnable => Phase::Idle,
            Policy::SingleShot => Phase::Finished,
        };
        let _ = self
            .phase
            .compare_exchange(Phase::Running as u8, to as u8, AcqRel, Acquire);
    }

    /// Starts a call that may overlap others of its kind (a re-runnable
    /// program exported as `concurrent`): admitted from `Running` too, as
    /// long as every call in progress entered this way.
    #[cfg_attr(not(test), allow(dead_code))] // WASI 0.3 `concurrent` exports
    pub(crate) fn enter_overlapping(&self) -> Result<bool, Refusal> {
        if self.phase() == Phase::Running && self.overlapping.load(Acquire) > 0 {
            self.overlapping.fetch_add(1, AcqRel);
            return Ok(false);
        }
        let first = self.enter()?;
        self.overlapping
            .store(1, core::sync::atomic::Ordering::Release);
        Ok(first)
    }

    /// Ends a call that [`Lifecycle::enter_overlapping`] started; the last
    /// one out leaves `Running`.
    #[cfg_attr(not(test), allow(dead_code))] // WASI 0.3 `concurrent` exports
    pub(crate) fn leave_overlapping(&self) {
        if self.overlapping.fetch_sub(1, AcqRel) == 1 {
            self.leave(Policy::Rerunnable);
        }
    }

    /// Calls in progress now: every overlapping call, or the one serial
    /// call.
    pub(crate) fn in_flight(&self) -> u32 {
        match self.phase() {
            Phase::Running => self.overlapping.load(Acquire).max(1),
            _ => 0,
        }
    }

    /// Marks the instance as unusable, as a panic does (the guard's unit
    /// tests; the panic handler notes panics in the platform, see
    /// [`Lifecycle::phase`]).
    #[cfg(test)]
    pub(crate) fn poison(&self) {
        self.phase
            .store(Phase::Poisoned as u8, core::sync::atomic::Ordering::Release);
    }
}

/// The instance's one lifecycle.
pub(crate) static GUARD: Lifecycle = Lifecycle::new();

/// The instance's current phase.
pub fn phase() -> Phase {
    GUARD.phase()
}

/// How many calls are in progress on this instance right now, this one
/// included (1 inside any call of a program whose calls do not overlap; up
/// to the host's limit for a WASI 0.3 program exported as `concurrent`).
pub fn calls_in_flight() -> u32 {
    GUARD.in_flight()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rerunnable_runs_any_number_of_times_and_inits_once() {
        let g = Lifecycle::new();
        assert_eq!(g.enter(), Ok(true));
        assert_eq!(g.phase(), Phase::Running);
        g.leave(Policy::Rerunnable);
        for _ in 0..5 {
            assert_eq!(g.phase(), Phase::Idle);
            assert_eq!(g.enter(), Ok(false));
            g.leave(Policy::Rerunnable);
        }
    }

    #[test]
    fn single_shot_refuses_every_later_call_and_stays_finished() {
        let g = Lifecycle::new();
        assert_eq!(g.enter(), Ok(true));
        g.leave(Policy::SingleShot);
        for _ in 0..3 {
            assert_eq!(g.enter(), Err(Refusal::SingleShot));
            assert_eq!(g.phase(), Phase::Finished);
        }
    }

    #[test]
    fn reentry_is_refused_and_the_running_call_still_finishes() {
        let g = Lifecycle::new();
        assert_eq!(g.enter(), Ok(true));
        assert_eq!(g.enter(), Err(Refusal::Reentered));
        assert_eq!(g.phase(), Phase::Running);
        g.leave(Policy::Rerunnable);
        assert_eq!(g.phase(), Phase::Idle);
    }

    #[test]
    fn overlapping_calls_enter_together_and_the_last_one_out_leaves_running() {
        let g = Lifecycle::new();
        assert_eq!(g.enter_overlapping(), Ok(true));
        assert_eq!(g.enter_overlapping(), Ok(false));
        assert_eq!(g.enter_overlapping(), Ok(false));
        assert_eq!(g.in_flight(), 3);
        // A serial call is refused while overlapping ones run.
        assert_eq!(g.enter(), Err(Refusal::Reentered));
        g.leave_overlapping();
        g.leave_overlapping();
        assert_eq!((g.phase(), g.in_flight()), (Phase::Running, 1));
        g.leave_overlapping();
        assert_eq!((g.phase(), g.in_flight()), (Phase::Idle, 0));
        // A serial call in progress keeps overlapping ones out.
        assert_eq!(g.enter(), Ok(false));
        assert_eq!(g.enter_overlapping(), Err(Refusal::Reentered));
        assert_eq!(g.in_flight(), 1);
    }

    #[test]
    fn poison_is_final() {
        for policy in [Policy::Rerunnable, Policy::SingleShot] {
            let g = Lifecycle::new();
            assert_eq!(g.enter(), Ok(true));
            g.poison();
            g.leave(policy);
            assert_eq!(g.phase(), Phase::Poisoned);
            assert_eq!(g.enter(), Err(Refusal::Poisoned));
        }
    }

    #[test]
    fn concurrent_enters_admit_exactly_one() {
        let g = std::sync::Arc::new(Lifecycle::new());
        let admitted: usize = (0..8)
            .map(|_| {
                let g = g.clone();
                std::thread::spawn(move || g.enter().is_ok() as usize)
            })
            .collect::<std::vec::Vec<_>>()
            .into_iter()
            .map(|t| t.join().unwrap())
            .sum();
        assert_eq!(admitted, 1);
    }

    /// A tiny deterministic generator (xorshift64), so the property test
    /// needs no dependency and every failure is reproducible from its seed.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n
        }
    }

    /// The guard against a model: random sequences of enter, leave, panic
    /// and refused calls, for both policies. The model is the state diagram
    /// at the top of this file, written as plainly as possible.
    #[test]
    fn random_sequences_of_enter_leave_panic_and_refusal_follow_the_model() {
        #[derive(Clone, Copy, Debug, PartialEq)]
        enum Model {
            Fresh,
            Idle,
            Running,
            Finished,
            Poisoned,
        }
        for seed in 1..=2_000u64 {
            let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let policy = if rng.below(2) == 0 {
                Policy::Rerunnable
            } else {
                Policy::SingleShot
            };
            let g = Lifecycle::new();
            let mut m = Model::Fresh;
            let mut inits = 0;
            for step in 0..64 {
                match rng.below(4) {
                    // A call arrives.
                    0 | 1 => {
                        let want = match m {
                            Model::Fresh => Ok(true),
                            Model::Idle => Ok(false),
                            Model::Running => Err(Refusal::Reentered),
                            Model::Finished => Err(Refusal::SingleShot),
                            Model::Poisoned => Err(Refusal::Poisoned),
                        };
                        let got = g.enter();
                        assert_eq!(got, want, "seed {seed} step {step} from {m:?}");
                        if got == Ok(true) {
                            inits += 1;
                        }
                        if got.is_ok() {
                            m = Model::Running;
                        }
                    }
                    // The call in progress returns (ignored when none is).
                    2 => {
                        if m == Model::Running {
                            g.leave(policy);
                            m = match policy {
                                Policy::Rerunnable => Model::Idle,
                                Policy::SingleShot => Model::Finished,
                            };
                        }
                    }
                    // The call in progress panics.
                    _ => {
                        if m == Model::Running {
                            g.poison();
                            g.leave(policy);
                            m = Model::Poisoned;
                        }
                    }
                }
                let want_phase = match m {
                    Model::Fresh => Phase::Uninitialised,
                    Model::Idle => Phase::Idle,
                    Model::Running => Phase::Running,
                    Model::Finished => Phase::Finished,
                    Model::Poisoned => Phase::Poisoned,
                };
                assert_eq!(g.phase(), want_phase, "seed {seed} step {step}");
            }
            assert!(inits <= 1, "seed {seed}: init ran {inits} times");
        }
    }

    #[test]
    fn refusal_messages_name_the_crate_and_the_reason() {
        assert!(Refusal::SingleShot.message().contains("single-shot"));
        for r in [Refusal::Reentered, Refusal::SingleShot, Refusal::Poisoned] {
            assert!(r.message().starts_with("wasi-guest: run refused: "));
        }
    }
}
