//! [`RunLocal`]: a static whose value lives for one run.

use super::guard::{self, Phase};
use crate::platform::cell::{Exclusive, Global};
#[cfg(feature = "p3")]
use crate::platform::sys;

/// A `static` holding a value that exists only during a run.
///
/// The value is created by `init` the first time a run touches it and dropped
/// when that run ends, so no run sees what an earlier run left behind. Use it
/// for state that helpers deep in the program need without threading it
/// through arguments; for state that must survive between runs, use the
/// [`Program`](crate::Program) value itself.
///
/// ```
/// use wasi_guest::RunLocal;
///
/// static SEEN: RunLocal<u32> = RunLocal::new(|| 0);
///
/// fn note() -> u32 {
///     SEEN.with(|n| {
///         *n += 1;
///         *n
///     })
/// }
/// # let _ = note;
/// ```
///
/// # Panics
/// [`RunLocal::with`] panics when called outside a run (there is no run whose
/// value it could be) or from inside another `with` on the same `RunLocal`.
///
/// On WASI 0.3, calls of a concurrent program overlap: each call has its own
/// value of every `RunLocal` (told apart by the call, not by time), and the
/// end of a call drops only its own.
pub struct RunLocal<T: Send + 'static> {
    init: fn() -> T,
    value: Exclusive<Option<T>>,
    next: Exclusive<Option<&'static dyn Reset>>,
    /// The call whose value `value` holds (0: none).
    #[cfg(feature = "p3")]
    owner: Exclusive<u32>,
    /// Values of other calls in flight.
    #[cfg(feature = "p3")]
    others: Exclusive<alloc::vec::Vec<(u32, T)>>,
    /// Whether this `RunLocal` is in `LIVE` (on WASI 0.3 it stays there).
    #[cfg(feature = "p3")]
    listed: Exclusive<bool>,
}

#[cfg_attr(feature = "p3", allow(dead_code))]
trait Reset: Sync {
    /// Takes the link to the next registered value.
    fn unlink(&self) -> Option<&'static dyn Reset>;
    /// Drops this run's value.
    fn drop_value(&self);
    /// The next `RunLocal` of the list, left in it (WASI 0.3).
    #[cfg(feature = "p3")]
    fn next(&self) -> Option<&'static dyn Reset>;
    /// Drops call `id`'s value; whether there was one (WASI 0.3).
    #[cfg(feature = "p3")]
    fn drop_for(&self, id: u32) -> bool;
}

impl<T: Send + 'static> Reset for RunLocal<T> {
    fn unlink(&self) -> Option<&'static dyn Reset> {
        self.next.try_with(Option::take).flatten()
    }

    fn drop_value(&self) {
        // Taken out first, dropped after the borrow ends: the destructor may
        // use other RunLocals.
        let old = self.value.try_with(Option::take).flatten();
        drop(old);
    }

    #[cfg(feature = "p3")]
    fn next(&self) -> Option<&'static dyn Reset> {
        self.next.try_with(|n| *n).flatten()
    }

    #[cfg(feature = "p3")]
    fn drop_for(&self, id: u32) -> bool {
        let mine = self.owner.try_with(|o| *o == id).unwrap_or(false);
        // Taken out first, dropped after the borrow ends (as above).
        let old = if mine {
            self.owner.try_with(|o| *o = 0);
            self.value.try_with(Option::take).flatten()
        } else {
            self.others
                .try_with(|v| {
                    let i = v.iter().position(|(owner, _)| *owner == id)?;
                    Some(v.swap_remove(i).1)
                })
                .flatten()
        };
        let had = old.is_some();
        drop(old);
        had
    }
}

/// Every `RunLocal` that holds a value in the current run.
static LIVE: Global<Option<&'static dyn Reset>> = Global::new(None);

impl<T: Send + 'static> RunLocal<T> {
    /// A run-local value created by `init` on first use in each run.
    pub const fn new(init: fn() -> T) -> Self {
        Self {
            init,
            value: Exclusive::new(None),
            next: Exclusive::new(None),
            #[cfg(feature = "p3")]
            owner: Exclusive::new(0),
            #[cfg(feature = "p3")]
            others: Exclusive::new(alloc::vec::Vec::new()),
            #[cfg(feature = "p3")]
            listed: Exclusive::new(false),
        }
    }

    /// Runs `f` with this call's value, creating it first if needed.
    #[cfg(feature = "p3")]
    pub fn with<R>(&'static self, f: impl FnOnce(&mut T) -> R) -> R {
        assert!(
            guard::phase() == Phase::Running,
            "wasi-guest: RunLocal used outside a run"
        );
        const NESTED: &str = "wasi-guest: RunLocal::with called inside `with` on the same RunLocal";
        if !self
            .listed
            .try_with(|l| core::mem::replace(l, true))
            .expect(NESTED)
        {
            let this: &'static dyn Reset = self;
            // SAFETY: the closure touches only the list head and this
            // RunLocal's own link (an `Exclusive`).
            unsafe {
                LIVE.try_with(|head| {
                    let prev = head.replace(this);
                    self.next.try_with(|n| *n = prev);
                })
            };
            // SAFETY: the closure only stores.
            unsafe { TEARDOWN.try_with(|t| *t = Some(teardown_for_call)) };
        }
        let id = sys::call_id();
        // This call's value: in the inline slot if it owns it, else in
        // `others`; a new value goes into the inline slot when it is free.
        let owner = self.owner.try_with(|o| *o).expect(NESTED);
        let elsewhere = owner != id
            && self
                .others
                .try_with(|v| v.iter().any(|(o, _)| *o == id))
                .expect(NESTED);
        if owner == id || (owner == 0 && !elsewhere) {
            self.owner.try_with(|o| *o = id);
            self.value
                .try_with(|slot| f(slot.get_or_insert_with(self.init)))
                .expect(NESTED)
        } else {
            self.others
                .try_with(|v| {
                    let i = match v.iter().position(|(owner, _)| *owner == id) {
                        Some(i) => i,
                        None => {
                            v.push((id, (self.init)()));
                            v.len() - 1
                        }
                    };
                    let slot = v.get_mut(i).map(|(_, value)| value);
                    slot.map(f)
                })
                .flatten()
                .expect(NESTED)
        }
    }

    /// Runs `f` with this run's value, creating it first if needed.
    #[cfg(not(feature = "p3"))]
    pub fn with<R>(&'static self, f: impl FnOnce(&mut T) -> R) -> R {
        assert!(
            guard::phase() == Phase::Running,
            "wasi-guest: RunLocal used outside a run"
        );
        self.value
            .try_with(|slot| {
                let value = match slot {
                    Some(v) => v,
                    None => {
                        let v = slot.insert((self.init)());
                        let this: &'static dyn Reset = self;
                        // SAFETY: the closure touches only the list head and
                        // this RunLocal's own link (an `Exclusive`).
                        unsafe {
                            LIVE.try_with(|head| {
                                let prev = head.replace(this);
                                self.next.try_with(|n| *n = prev);
                            })
                        };
                        // SAFETY: the closure only stores.
                        unsafe { TEARDOWN.try_with(|t| *t = Some(reset_all)) };
                        v
                    }
                };
                f(value)
            })
            .expect("wasi-guest: RunLocal::with called inside `with` on the same RunLocal")
    }
}

/// `reset_all`, once any `RunLocal` has held a value. Going through this
/// pointer keeps the teardown loop out of programs that never use a
/// `RunLocal`: nothing stores to it there, so the optimiser folds it to
/// `None`.
static TEARDOWN: Global<Option<fn()>> = Global::new(None);

/// Drops every run-local value, if any `RunLocal` was ever used (end of
/// every run).
pub(crate) fn teardown() {
    // SAFETY: the closure only reads.
    if let Some(f) = unsafe { TEARDOWN.try_with(|t| *t) }.flatten() {
        f();
    }
}

/// Drops the running call's run-local values, if any `RunLocal` was ever
/// used (end of every call).
#[cfg_attr(not(feature = "p3"), allow(dead_code))]
pub(crate) fn teardown_call() {
    teardown();
}

/// Drops the values of the running call (WASI 0.3): a pass over every
/// `RunLocal` that ever held a value, repeated while a destructor made new
/// values of the same call, at most [`PASSES`] times; a call whose
/// destructors still make new values after that ends the instance (`platform::fail`: a message, a trap)
/// rather than hand them to a later call or loop forever.
#[cfg(feature = "p3")]
fn teardown_for_call() {
    let id = sys::call_id();
    for _ in 0..PASSES {
        // SAFETY: the closure only reads the head.
        let mut next = unsafe { LIVE.try_with(|h| *h) }.flatten();
        let mut dropped = false;
        while let Some(local) = next {
            dropped |= local.drop_for(id);
            next = local.next();
        }
        if !dropped {
            return;
        }
    }
    crate::platform::fail(ENDLESS);
}

/// Passes (WASI 0.3) or drops (WASI 0.2) one teardown makes before it gives
/// up on destructors that keep making new run-local values.
#[cfg(feature = "p3")]
const PASSES: usize = 8;
#[cfg(not(feature = "p3"))]
const DROPS: usize = 4096;

/// The message when teardown gives up (after `wasi-guest: `).
const ENDLESS: &str = "teardown did not end: a RunLocal destructor keeps creating RunLocal values";

/// Drops every run-local value (end of every run). One value is unlinked at a
/// time and dropped with no borrow held, so a destructor that touches another
/// `RunLocal` just registers it again and the loop drops that one too. A
/// destructor that makes a value again every time it runs (its own
/// `RunLocal`, say) would keep this going forever: after [`DROPS`] drops
/// the teardown ends the instance with a message instead (`platform::fail`).
#[cfg_attr(feature = "p3", allow(dead_code))]
fn reset_all() {
    #[cfg(not(feature = "p3"))]
    let mut budget = DROPS;
    loop {
        // SAFETY: the closure touches only the list head and the popped
        // RunLocal's own link (an `Exclusive`); no value is dropped inside.
        let popped = unsafe {
            LIVE.try_with(|head| {
                let local = head.take()?;
                *head = local.unlink();
                Some(local)
            })
        }
        .flatten();
        match popped {
            Some(local) => local.drop_value(),
            None => break,
        }
        #[cfg(not(feature = "p3"))]
        {
            budget -= 1;
            if budget == 0 {
                crate::platform::fail(ENDLESS);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{RunLocal, teardown};
    use crate::lifecycle::guard::GUARD;
    use crate::lifecycle::policy::Policy;
    use core::sync::atomic::{AtomicUsize, Ordering::SeqCst};
    use std::vec::Vec;

    static DROPPED: AtomicUsize = AtomicUsize::new(0);

    struct Noisy(u32);

    impl Drop for Noisy {
        fn drop(&mut self) {
            DROPPED.fetch_add(1, SeqCst);
            // A destructor that uses another run-local: it registers again
            // during the teardown and must be dropped by the same teardown.
            LATE.with(|v| v.push(self.0));
        }
    }

    static FIRST: RunLocal<Noisy> = RunLocal::new(|| Noisy(7));
    static LATE: RunLocal<Vec<u32>> = RunLocal::new(Vec::new);
    static COUNT: RunLocal<u32> = RunLocal::new(|| 0);

    /// One test for everything that needs the process-wide guard, so no two
    /// tests race on it.
    #[test]
    fn values_live_for_one_call_are_dropped_at_its_end_and_nesting_is_refused() {
        for call in 0..3 {
            assert_eq!(GUARD.enter(), Ok(call == 0));
            for expected in 1..=3 {
                assert_eq!(
                    COUNT.with(|n| {
                        *n += 1;
                        *n
                    }),
                    expected,
                    "the value persists within call {call}"
                );
            }
            assert_eq!(FIRST.with(|v| v.0), 7);
            let before = DROPPED.load(SeqCst);
            teardown();
            assert_eq!(DROPPED.load(SeqCst), before + 1, "FIRST dropped once");
            GUARD.leave(Policy::Rerunnable);
        }
        // Outside a call there is no value to hand out.
        assert!(std::panic::catch_unwind(|| COUNT.with(|_| ())).is_err());
        // Nested use of the same RunLocal is refused, not aliased.
        assert_eq!(GUARD.enter(), Ok(false));
        let nested = std::panic::catch_unwind(|| COUNT.with(|_| COUNT.with(|_| ())));
        assert!(nested.is_err());
        teardown();
        GUARD.leave(Policy::Rerunnable);
    }
}
