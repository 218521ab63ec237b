//! `Exclusive<T>`: the one interior-mutability primitive behind every global.
//!
//! A wasm32 component without the threads proposal has one thread, but the
//! crate is also compiled for the host (docs, unit tests), and code can be
//! re-entered (a `Display` impl that prints, a panic while printing). A busy
//! flag makes every access exclusive on any target: a nested or concurrent
//! access gets `None` instead of a second `&mut`. On wasm32 the flag is a plain
//! load and store.

use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicBool, Ordering};

/// A value that is only ever reached through [`Exclusive::try_with`].
pub(crate) struct Exclusive<T> {
    busy: AtomicBool,
    value: UnsafeCell<T>,
}

// SAFETY: `try_with` hands out the `&mut T` only to the caller that flipped
// `busy` from false to true, so no two threads (or nested calls) ever hold a
// reference at once; `T: Send` because the value may be reached from whichever
// thread wins the flag.
unsafe impl<T: Send> Sync for Exclusive<T> {}

impl<T> Exclusive<T> {
    /// Wraps `value`.
    pub(crate) const fn new(value: T) -> Self {
        Self {
            busy: AtomicBool::new(false),
            value: UnsafeCell::new(value),
        }
    }

    /// Runs `f` with exclusive access, or returns `None` if the value is
    /// already borrowed (re-entry, or another thread on a host build).
    #[inline]
    pub(crate) fn try_with<R>(&self, f: impl FnOnce(&mut T) -> R) -> Option<R> {
        if self.busy.swap(true, Ordering::Acquire) {
            return None;
        }
        // SAFETY: the swap above returned false, so this call is the only one
        // that set the flag; nobody else can create a reference until it is
        // cleared below.
        let result = f(unsafe { &mut *self.value.get() });
        self.busy.store(false, Ordering::Release);
        Some(result)
    }
}

/// A crate-internal global whose accesses never run foreign code.
///
/// Every closure passed to [`Global::with`] in this crate only touches the
/// value and calls the host; none can call back into code that reaches the
/// same global (no user code, no allocation, no panic path). On wasm32 without
/// the threads proposal there is also no second thread, so no busy flag is
/// needed there and none is compiled in. Everywhere else (host builds, which
/// only exist for docs and tests) this is an [`Exclusive`].
pub(crate) struct Global<T> {
    #[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
    value: UnsafeCell<T>,
    #[cfg(not(all(target_arch = "wasm32", not(target_feature = "atomics"))))]
    value: Exclusive<T>,
}

// SAFETY: on single-threaded wasm32 there is one thread, and `with` is never
// re-entered for the same global (see the type's docs), so the `&mut T` it
// creates is unique; elsewhere `Exclusive` provides the exclusion.
unsafe impl<T: Send> Sync for Global<T> {}

impl<T> Global<T> {
    /// Wraps `value`.
    pub(crate) const fn new(value: T) -> Self {
        Self {
            #[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
            value: UnsafeCell::new(value),
            #[cfg(not(all(target_arch = "wasm32", not(target_feature = "atomics"))))]
            value: Exclusive::new(value),
        }
    }

    /// Runs `f` with the value; `f` must not reach this global again. `None`
    /// only on builds with threads, when another thread holds it.
    #[inline(always)]
    pub(crate) fn try_with<R>(&self, f: impl FnOnce(&mut T) -> R) -> Option<R> {
        #[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
        {
            // SAFETY: see the `Sync` impl: one thread, no re-entry.
            Some(f(unsafe { &mut *self.value.get() }))
        }
        #[cfg(not(all(target_arch = "wasm32", not(target_feature = "atomics"))))]
        {
            self.value.try_with(f)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Exclusive;

    #[test]
    fn nested_access_is_refused_not_aliased() {
        let cell = Exclusive::new(1u32);
        let inner = cell.try_with(|outer| {
            *outer += 1;
            cell.try_with(|v| *v += 100)
        });
        assert_eq!(inner, Some(None));
        assert_eq!(cell.try_with(|v| *v), Some(2));
    }
}
