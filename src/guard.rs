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
//! * `init` runs inside the first run (entered from `Uninitialised`), so it
//!   sees that run's arguments, environment and stdio.
//! * `enter` from `Running` (re-entry), `Finished` (single-shot already used)
//!   or `Poisoned` (an earlier run panicked) is refused with a [`Refusal`]:
//!   the state does not change, the program is not called, nothing traps.
//!
//! Transitions are compare-and-swaps on one byte, so even a host build with
//! threads can never have two runs in progress; on wasm32 they are plain loads
//! and stores.

use crate::policy::Policy;
use core::fmt;
use core::sync::atomic::{AtomicU8, Ordering::AcqRel, Ordering::Acquire};

/// Where an instance is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum State {
    /// No run has started yet; `init` has not run.
    Uninitialised = 0,
    /// `init` has run and no run is in progress.
    Idle = 1,
    /// A run (and, on the first run, `init`) is in progress.
    Running = 2,
    /// A single-shot program has completed its one run.
    Finished = 3,
    /// A run panicked; the instance must not be used again.
    Poisoned = 4,
}

/// Why a call to `run` was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// `run` was entered while a run was already in progress.
    Reentered,
    /// The program is [`Policy::SingleShot`] and has already run once.
    SingleShot,
    /// An earlier run panicked.
    Poisoned,
}

impl Refusal {
    /// The line written to stderr when a call is refused (without newline).
    pub const fn message(self) -> &'static str {
        match self {
            Refusal::Reentered => "wasi-guest: run refused: a run is already in progress",
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

/// The state machine over one byte.
pub(crate) struct Lifecycle(AtomicU8);

impl Lifecycle {
    pub(crate) const fn new() -> Self {
        Self(AtomicU8::new(State::Uninitialised as u8))
    }

    pub(crate) fn state(&self) -> State {
        match self.0.load(Acquire) {
            0 => State::Uninitialised,
            1 => State::Idle,
            2 => State::Running,
            3 => State::Finished,
            _ => State::Poisoned,
        }
    }

    /// Starts a run. `Ok(true)` means this is the first run: `init` must run.
    pub(crate) fn enter(&self) -> Result<bool, Refusal> {
        let from = self.state();
        if matches!(from, State::Uninitialised | State::Idle)
            && self
                .0
                .compare_exchange(from as u8, State::Running as u8, AcqRel, Acquire)
                .is_ok()
        {
            return Ok(from == State::Uninitialised);
        }
        Err(match self.state() {
            State::Finished => Refusal::SingleShot,
            State::Poisoned => Refusal::Poisoned,
            _ => Refusal::Reentered,
        })
    }

    /// Ends the run that [`Lifecycle::enter`] started.
    pub(crate) fn leave(&self, policy: Policy) {
        let to = match policy {
            Policy::Rerunnable => State::Idle,
            Policy::SingleShot => State::Finished,
        };
        let _ = self
            .0
            .compare_exchange(State::Running as u8, to as u8, AcqRel, Acquire);
    }

    /// Marks the instance as unusable (the panic handler calls this).
    #[cfg_attr(
        not(all(guest_rt, any(feature = "panic-handler", feature = "panic-trap"))),
        allow(dead_code)
    )]
    pub(crate) fn poison(&self) {
        self.0
            .store(State::Poisoned as u8, core::sync::atomic::Ordering::Release);
    }
}

/// The instance's one lifecycle.
pub(crate) static GUARD: Lifecycle = Lifecycle::new();

/// The instance's current state.
pub fn state() -> State {
    GUARD.state()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rerunnable_runs_any_number_of_times_and_inits_once() {
        let g = Lifecycle::new();
        assert_eq!(g.enter(), Ok(true));
        assert_eq!(g.state(), State::Running);
        g.leave(Policy::Rerunnable);
        for _ in 0..5 {
            assert_eq!(g.state(), State::Idle);
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
            assert_eq!(g.state(), State::Finished);
        }
    }

    #[test]
    fn reentry_is_refused_and_the_running_call_still_finishes() {
        let g = Lifecycle::new();
        assert_eq!(g.enter(), Ok(true));
        assert_eq!(g.enter(), Err(Refusal::Reentered));
        assert_eq!(g.state(), State::Running);
        g.leave(Policy::Rerunnable);
        assert_eq!(g.state(), State::Idle);
    }

    #[test]
    fn poison_is_final() {
        for policy in [Policy::Rerunnable, Policy::SingleShot] {
            let g = Lifecycle::new();
            assert_eq!(g.enter(), Ok(true));
            g.poison();
            g.leave(policy);
            assert_eq!(g.state(), State::Poisoned);
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
                let want_state = match m {
                    Model::Fresh => State::Uninitialised,
                    Model::Idle => State::Idle,
                    Model::Running => State::Running,
                    Model::Finished => State::Finished,
                    Model::Poisoned => State::Poisoned,
                };
                assert_eq!(g.state(), want_state, "seed {seed} step {step}");
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
