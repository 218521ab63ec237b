//! The lifecycle guard: one state machine per instance.
//!
//! ```text
//!              first run                  run returns
//! Uninitialised ─────────▶ Running ─────────────────────▶ Idle        (Rerunnable)
//!                            ▲  │                    └──▶ Finished    (SingleShot)
//!                  next run  │  │ panic / trap
//!           Idle ────────────┘  └──────────▶ Poisoned
//! ```
//!
//! * `init` runs inside the first run, while the state is `Running`, so it sees
//!   that run's arguments, environment and stdio.
//! * A call that finds the state `Running` (re-entry), `Finished` (single-shot
//!   already used) or `Poisoned` (an earlier run panicked) is refused with a
//!   [`Refusal`]; it never reaches the program and never traps.
//!
//! [`next`] is the pure transition function (tested below); [`enter`],
//! [`leave`] and [`poison`] apply it to the instance's one global state with a
//! compare-and-swap, so even a host build with threads cannot enter twice.

use crate::policy::Policy;
use core::fmt;
use core::sync::atomic::{AtomicU8, Ordering};

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

/// What can happen to the state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Event {
    /// The host called `run`.
    Enter,
    /// The program's `run` returned.
    Leave,
    /// A panic happened.
    Panic,
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

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl core::error::Error for Refusal {}

impl Refusal {
    /// The line written to stderr when a call is refused (without newline).
    pub const fn message(self) -> &'static str {
        match self {
            Refusal::Reentered => {
                "wasi-guest: run refused: a run is already in progress on this instance"
            }
            Refusal::SingleShot => {
                "wasi-guest: run refused: this component is single-shot and has already run on this instance; instantiate it again to run again"
            }
            Refusal::Poisoned => {
                "wasi-guest: run refused: an earlier run on this instance panicked; instantiate it again"
            }
        }
    }
}

/// The transition function. `Ok` is the next state; `Err` leaves the state
/// unchanged and refuses the call.
pub(crate) const fn next(state: State, event: Event, policy: Policy) -> Result<State, Refusal> {
    match (state, event) {
        (_, Event::Panic) => Ok(State::Poisoned),
        (State::Uninitialised | State::Idle, Event::Enter) => Ok(State::Running),
        (State::Running, Event::Enter) => Err(Refusal::Reentered),
        (State::Finished, Event::Enter) => Err(Refusal::SingleShot),
        (State::Poisoned, _) => Err(Refusal::Poisoned),
        (State::Running, Event::Leave) => Ok(match policy {
            Policy::Rerunnable => State::Idle,
            Policy::SingleShot => State::Finished,
        }),
        // Leaving without having entered is a bug in this crate; keep the state.
        (s, Event::Leave) => Ok(s),
    }
}

const fn decode(raw: u8) -> State {
    match raw {
        0 => State::Uninitialised,
        1 => State::Idle,
        2 => State::Running,
        3 => State::Finished,
        _ => State::Poisoned,
    }
}

static STATE: AtomicU8 = AtomicU8::new(State::Uninitialised as u8);

/// The instance's current state.
pub fn state() -> State {
    decode(STATE.load(Ordering::Acquire))
}

fn apply(event: Event, policy: Policy) -> Result<(State, State), Refusal> {
    let mut current = STATE.load(Ordering::Acquire);
    loop {
        let from = decode(current);
        let to = next(from, event, policy)?;
        match STATE.compare_exchange(current, to as u8, Ordering::AcqRel, Ordering::Acquire) {
            Ok(_) => return Ok((from, to)),
            Err(actual) => current = actual,
        }
    }
}

/// Starts a run. `Ok(true)` means this is the first run and `init` must run.
pub(crate) fn enter(policy: Policy) -> Result<bool, Refusal> {
    apply(Event::Enter, policy).map(|(from, _)| from == State::Uninitialised)
}

/// Ends the run that [`enter`] started.
pub(crate) fn leave(policy: Policy) {
    let _ = apply(Event::Leave, policy);
}

/// Marks the instance as unusable (called by the panic handler).
#[cfg_attr(not(all(guest_rt, feature = "panic-handler")), allow(dead_code))]
pub(crate) fn poison() {
    let _ = apply(Event::Panic, Policy::Rerunnable);
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [State; 5] = [
        State::Uninitialised,
        State::Idle,
        State::Running,
        State::Finished,
        State::Poisoned,
    ];

    fn drive(policy: Policy, events: &[Event]) -> Vec<Result<State, Refusal>> {
        let mut state = State::Uninitialised;
        events
            .iter()
            .map(|&e| {
                let r = next(state, e, policy);
                if let Ok(s) = r {
                    state = s;
                }
                r
            })
            .collect()
    }

    #[test]
    fn rerunnable_runs_any_number_of_times() {
        use Event::*;
        let out = drive(
            Policy::Rerunnable,
            &[Enter, Leave, Enter, Leave, Enter, Leave],
        );
        assert_eq!(
            out,
            [
                State::Running,
                State::Idle,
                State::Running,
                State::Idle,
                State::Running,
                State::Idle
            ]
            .map(Ok)
        );
    }

    #[test]
    fn single_shot_refuses_the_second_call_and_stays_finished() {
        use Event::*;
        let out = drive(Policy::SingleShot, &[Enter, Leave, Enter, Enter]);
        assert_eq!(
            out,
            vec![
                Ok(State::Running),
                Ok(State::Finished),
                Err(Refusal::SingleShot),
                Err(Refusal::SingleShot)
            ]
        );
    }

    #[test]
    fn reentry_is_refused_and_the_run_can_still_finish() {
        use Event::*;
        let out = drive(Policy::Rerunnable, &[Enter, Enter, Leave]);
        assert_eq!(
            out,
            vec![Ok(State::Running), Err(Refusal::Reentered), Ok(State::Idle)]
        );
    }

    #[test]
    fn panic_poisons_from_every_state_and_poison_is_final() {
        for policy in [Policy::Rerunnable, Policy::SingleShot] {
            for s in ALL {
                assert_eq!(next(s, Event::Panic, policy), Ok(State::Poisoned));
            }
            assert_eq!(
                next(State::Poisoned, Event::Enter, policy),
                Err(Refusal::Poisoned)
            );
            assert_eq!(
                next(State::Poisoned, Event::Leave, policy),
                Err(Refusal::Poisoned)
            );
        }
    }

    #[test]
    fn state_encoding_round_trips() {
        for s in ALL {
            assert_eq!(decode(s as u8), s);
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
