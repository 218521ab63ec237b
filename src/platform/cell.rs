//! The crate's interior mutability: every global and every lazily fetched
//! value goes through one of the three cells here, and this is one of the few
//! modules allowed `unsafe` (see the crate root). Each `unsafe` is justified
//! by an invariant written beside it.
//!
//! * [`Exclusive`]: a busy flag, so nested or concurrent access gets `None`
//!   instead of a second `&mut`. Used where user code runs inside the borrow
//!   ([`RunLocal`](crate::RunLocal)).
//! * [`Global`]: the crate's own globals, whose closures never run user code.
//!   On the component target there is one thread and its re-entry flag is
//!   free, so it compiles to a plain load and store; on host builds (docs and
//!   tests) the flag is atomic.
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
/// [`Global::try_with`] is an `unsafe fn`: its contract, that the closure
/// never reaches the same global again, is what makes the `&mut` it lends
/// unique on the component target, where the re-entry flag
/// ([`sys::Busy`](super::sys)) costs nothing because it checks nothing
/// (one thread). Every caller states why its closure keeps to that: they
/// only touch the value and call the host or a leaf allocator (dlmalloc,
/// which calls nothing but `memory.grow`); none runs user code, allocates
/// through the global allocator while holding an allocator's global, or
/// panics. On host builds the flag is a real one and a nested or concurrent
/// borrow gets `None`. (`Sync` is implemented by the platform module, which
/// knows whether there are threads.)
pub(crate) struct Global<T> {
    busy: super::sys::Busy,
    value: UnsafeCell<T>,
}

impl<T> Global<T> {
    /// Wraps `value`.
    pub(crate) const fn new(value: T) -> Self {
        Self {
            busy: super::sys::Busy::new(),
            value: UnsafeCell::new(value),
        }
    }

    /// Runs `f` with the value. `None` only on host builds, when another
    /// thread or a nested call holds it.
    ///
    /// # Safety
    /// `f` does not reach this global again (directly or through anything it
    /// calls), and does not unwind out of the component (panics trap there).
    #[inline(always)]
    pub(crate) unsafe fn try_with<R>(&self, f: impl FnOnce(&mut T) -> R) -> Option<R> {
        if !self.busy.enter() {
            return None;
        }
        /// Marks the value free again when the borrow ends, even if `f`
        /// unwinds (host tests), so a later access is not refused forever.
        struct Leave<'a>(&'a super::sys::Busy);
        impl Drop for Leave<'_> {
            #[inline(always)]
            fn drop(&mut self) {
                self.0.leave();
            }
        }
        let _leave = Leave(&self.busy);
        // SAFETY: `enter` succeeded: on host builds this call flipped the
        // flag and nobody else can borrow until `_leave` clears it; on the
        // component target there is one thread and the caller promises `f`
        // keeps off this global, so this `&mut` is the only reference while
        // it lives.
        Some(f(unsafe { &mut *self.value.get() }))
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
    ///
    /// # Safety
    /// `fetch` does not reach this cell (it only calls the host).
    pub(crate) unsafe fn get(&self, fetch: impl FnOnce() -> T) -> &T {
        // SAFETY: only shared references are handed out, and none exists
        // while the slot is `None`; the type is not `Sync`, so nothing else
        // writes meanwhile.
        if let Some(v) = unsafe { &*self.0.get() } {
            return v;
        }
        let value = fetch();
        // SAFETY: the slot was `None` just above, so no reference into it
        // exists, and `fetch` (the caller's promise) did not fill it or lend
        // one out.
        let slot = unsafe { &mut *self.0.get() };
        slot.insert(value)
    }

    /// The value, if fetched (exclusive access: no reference is lent out).
    #[allow(dead_code)] // WASI 0.3 HTTP bodies
    pub(crate) fn get_mut(&mut self) -> Option<&mut T> {
        self.0.get_mut().as_mut()
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
        // SAFETY: (test) on host builds a nested borrow is refused, which is
        // what this checks; nothing else touches `g`.
        let nested = unsafe { g.try_with(|v| g.try_with(|_| ()).is_none() && *v == 5) };
        assert_eq!(nested, Some(true));
    }

    #[test]
    fn fetched_fetches_once_and_keeps_earlier_references_valid() {
        let f = Fetched::new();
        let mut calls = 0;
        // SAFETY: (test) neither closure touches `f`.
        let a = unsafe {
            f.get(|| {
                calls += 1;
                std::string::String::from("x")
            })
        };
        // SAFETY: as above.
        let b = unsafe { f.get(|| unreachable!("fetched twice")) };
        assert_eq!((a.as_str(), b.as_str(), calls), ("x", "x", 1));
    }
}
