//! The crate's interior mutability: every global and every lazily fetched
//! value goes through one of the three cells here, and this is one of the few
//! modules allowed `unsafe` (see the crate root). Each `unsafe` is justified
//! by an invariant written beside it.
//!
//! * [`Exclusive`]: a busy flag, so nested or concurrent access gets `None`
//!   instead of a second `&mut`. Used where user code runs inside the borrow
//!   ([`RunLocal`](crate::RunLocal)).
//! * [`Global`]: the crate's own globals, whose closures never run user code.
//!   On the component target (`cfg(one_thread)`: wasm32 without the atomics
//!   feature) there is one thread, so it compiles to a plain load and store;
//!   everywhere else (host builds for docs and tests) it is an `Exclusive`.
//! * [`Fetched`]: a value a [`Context`](crate::Context) fetches from the
//!   host on first use and then only lends out shared.

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
        /// Clears the flag even if `f` unwinds (host tests), so a later
        /// access is not refused forever.
        struct Release<'a>(&'a AtomicBool);
        impl Drop for Release<'_> {
            fn drop(&mut self) {
                self.0.store(false, Ordering::Release);
            }
        }
        let _release = Release(&self.busy);
        // SAFETY: the swap above returned false, so this call is the only one
        // that set the flag; nobody else can create a reference until
        // `_release` clears it, after `f` is done with this one.
        Some(f(unsafe { &mut *self.value.get() }))
    }
}

/// A crate-internal global.
///
/// Invariant, upheld by every caller in this crate: the closure passed to
/// [`Global::try_with`] never reaches the same global again. The closures
/// only touch the value and call the host or a leaf allocator (dlmalloc,
/// which calls nothing but `memory.grow`); none runs user code, allocates
/// through the global allocator while holding an allocator's global, or
/// panics. The one global whose closure does run user code, the program's
/// per-instance slot, is reached only through the lifecycle guard, which
/// admits one call at a time (`src/entry.rs`).
pub(crate) struct Global<T> {
    #[cfg(one_thread)]
    value: UnsafeCell<T>,
    #[cfg(not(one_thread))]
    value: Exclusive<T>,
}

#[cfg(one_thread)]
// SAFETY: (one thread) there is no second thread to share with, so `Sync`
// only means "may sit in a `static`"; exclusive access is the invariant on
// `Global` above. `T` need not be `Send` for the same reason.
unsafe impl<T> Sync for Global<T> {}

impl<T> Global<T> {
    /// Wraps `value`.
    pub(crate) const fn new(value: T) -> Self {
        Self {
            #[cfg(one_thread)]
            value: UnsafeCell::new(value),
            #[cfg(not(one_thread))]
            value: Exclusive::new(value),
        }
    }

    /// Runs `f` with the value; `f` must not reach this global again (the
    /// type's invariant). `None` only on host builds, when another thread or
    /// a nested call holds it.
    #[inline(always)]
    pub(crate) fn try_with<R>(&self, f: impl FnOnce(&mut T) -> R) -> Option<R> {
        #[cfg(one_thread)]
        {
            // SAFETY: one thread, and `f` never reaches this global again
            // (the invariant on `Global`), so this `&mut` is the only
            // reference to the value while it lives.
            Some(f(unsafe { &mut *self.value.get() }))
        }
        #[cfg(not(one_thread))]
        {
            self.value.try_with(f)
        }
    }
}

/// A value fetched on first use and then lent out shared. Like
/// `core::cell::OnceCell`, minus the re-entrancy check (and the panic path it
/// links): the fetch functions are this crate's own import calls and never
/// reach the cell again. Not `Sync`, so only one thread ever sees it.
pub(crate) struct Fetched<T>(UnsafeCell<Option<T>>);

impl<T> Fetched<T> {
    /// An empty cell.
    pub(crate) const fn new() -> Self {
        Self(UnsafeCell::new(None))
    }

    /// The value, fetched with `fetch` on first use.
    pub(crate) fn get(&self, fetch: impl FnOnce() -> T) -> &T {
        // SAFETY: only shared references are handed out, and the `&mut`
        // below is created only while the slot is `None`, i.e. before any of
        // them exists. `fetch` cannot reach `self` (it only calls the host)
        // and the type is not `Sync`, so nothing else writes meanwhile.
        unsafe {
            if let Some(v) = &*self.0.get() {
                return v;
            }
            let slot = &mut *self.0.get();
            slot.insert(fetch())
        }
    }

    /// Takes the value out (exclusive access: no reference is lent out).
    pub(crate) fn take(&mut self) -> Option<T> {
        self.0.get_mut().take()
    }
}

#[cfg(test)]
mod tests {
    use super::{Exclusive, Fetched, Global};

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

    #[test]
    fn a_panic_inside_the_borrow_releases_it() {
        let cell = Exclusive::new(0u32);
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            cell.try_with(|_| panic!("inside"));
        }));
        assert!(caught.is_err());
        assert_eq!(cell.try_with(|v| *v), Some(0));
    }

    #[test]
    fn global_gives_the_value_and_refuses_nesting_on_host_builds() {
        let g = Global::new(5u8);
        assert_eq!(
            g.try_with(|v| g.try_with(|_| ()).is_none() && *v == 5),
            Some(true)
        );
    }

    #[test]
    fn fetched_fetches_once_and_keeps_earlier_references_valid() {
        let f = Fetched::new();
        let mut calls = 0;
        let a = f.get(|| {
            calls += 1;
            std::string::String::from("x")
        });
        let b = f.get(|| unreachable!("fetched twice"));
        assert_eq!((a.as_str(), b.as_str(), calls), ("x", "x", 1));
    }
}
