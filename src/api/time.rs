//! Clocks: the wall clock ([`SystemTime`]), the monotonic clock
//! ([`Instant`]) and [`sleep`], over `wasi:clocks`.
//!
//! Each is a direct host call when asked; nothing is cached between runs.
//! Programs that never ask import no `wasi:clocks` interface.

#[cfg(not(feature = "p3"))]
use crate::platform::bindings::wasi::clocks::{monotonic_clock, wall_clock};
use core::time::Duration;

/// A point in wall-clock time: seconds and nanoseconds since the Unix epoch
/// (1970-01-01T00:00:00Z), like `std::time::SystemTime`.
///
/// The wall clock can jump (the host's clock is set); measure intervals with
/// [`Instant`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SystemTime {
    secs: u64,
    nanos: u32,
}

impl SystemTime {
    /// 1970-01-01T00:00:00Z.
    pub const UNIX_EPOCH: SystemTime = SystemTime { secs: 0, nanos: 0 };

    /// The current time, from `wasi:clocks/wall-clock.now` (WASI 0.3:
    /// `system-clock.now`; a time before the epoch reads as the epoch).
    pub fn now() -> SystemTime {
        #[cfg(not(feature = "p3"))]
        let (secs, nanos) = {
            let t = wall_clock::now();
            (t.seconds, t.nanoseconds)
        };
        #[cfg(feature = "p3")]
        let (secs, nanos) = crate::platform::sys::system_now();
        SystemTime::from_unix(secs, nanos)
    }

    /// The time `secs` seconds and `nanos` nanoseconds after the epoch
    /// (nanoseconds beyond one second carry into the seconds).
    pub const fn from_unix(secs: u64, nanos: u32) -> SystemTime {
        SystemTime {
            secs: secs.saturating_add((nanos / 1_000_000_000) as u64),
            nanos: nanos % 1_000_000_000,
        }
    }

    /// Whole seconds since the epoch.
    pub const fn unix_seconds(self) -> u64 {
        self.secs
    }

    /// Nanoseconds past [`SystemTime::unix_seconds`] (below one second).
    pub const fn subsec_nanos(self) -> u32 {
        self.nanos
    }

    /// Time since the epoch.
    pub const fn since_epoch(self) -> Duration {
        Duration::new(self.secs, self.nanos)
    }

    /// How long after `earlier` this is, or `None` if it is before it.
    pub fn duration_since(self, earlier: SystemTime) -> Option<Duration> {
        self.since_epoch().checked_sub(earlier.since_epoch())
    }
}

/// A reading of the monotonic clock, like `std::time::Instant`: only
/// differences between two readings mean anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(u64);

impl Instant {
    /// The current reading, from `wasi:clocks/monotonic-clock.now`
    /// (nanoseconds).
    pub fn now() -> Instant {
        #[cfg(not(feature = "p3"))]
        return Instant(monotonic_clock::now());
        #[cfg(feature = "p3")]
        return Instant(crate::platform::sys::monotonic_now());
    }

    /// Time from `earlier` to `self`; zero if `earlier` is later.
    pub fn duration_since(self, earlier: Instant) -> Duration {
        Duration::from_nanos(self.0.saturating_sub(earlier.0))
    }

    /// Time since this reading.
    pub fn elapsed(self) -> Duration {
        Instant::now().duration_since(self)
    }
}

/// Blocks for at least `duration`, through `wasi:clocks/monotonic-clock`'s
/// `subscribe-duration` and the pollable's `block`.
#[cfg(not(feature = "p3"))]
pub fn sleep(duration: Duration) {
    let nanos = u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX);
    monotonic_clock::subscribe_duration(nanos).block();
}

/// Waits for at least `duration` (WASI 0.3: `monotonic-clock.wait-for`, an
/// async import); other calls run meanwhile. Dropping the future cancels
/// the wait.
#[cfg(feature = "p3")]
pub fn sleep(duration: Duration) -> impl core::future::Future<Output = ()> {
    let nanos = u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX);
    crate::platform::sys::wait_for(nanos)
}

#[cfg(test)]
mod tests {
    use super::{Instant, SystemTime};
    use core::time::Duration;

    #[test]
    fn system_time_arithmetic_normalises_and_orders() {
        let t = SystemTime::from_unix(10, 1_500_000_000);
        assert_eq!((t.unix_seconds(), t.subsec_nanos()), (11, 500_000_000));
        let later = SystemTime::from_unix(12, 0);
        assert_eq!(later.duration_since(t), Some(Duration::from_millis(500)));
        assert_eq!(t.duration_since(later), None);
        assert_eq!(SystemTime::UNIX_EPOCH.since_epoch(), Duration::ZERO);
    }

    #[test]
    fn instants_never_go_backwards_in_a_difference() {
        assert_eq!(Instant(5).duration_since(Instant(9)), Duration::ZERO);
        assert_eq!(
            Instant(9).duration_since(Instant(5)),
            Duration::from_nanos(4)
        );
    }
}
