//! [`Context`]: what one run gets from the host, fetched lazily and released
//! when the run ends.

use super::args::{Args, Env};
#[cfg(not(feature = "p3"))]
use super::fs::Dir;
use super::stdin::{Stdin, StdinState};
use crate::platform::abi::{RawList, RawStr};
#[cfg(not(feature = "p3"))]
use crate::platform::bindings::wasi::filesystem::types::Descriptor;
use crate::platform::cell::Fetched;
use crate::platform::sys;
#[cfg(not(feature = "p3"))]
use alloc::string::String;
#[cfg(not(feature = "p3"))]
use alloc::vec::Vec;
use core::cell::Cell;
#[cfg(not(feature = "p3"))]
use core::mem::ManuallyDrop;

/// The per-run context handed to [`PerInstance::init`](crate::PerInstance::init)
/// and to every call ([`Program::run`](crate::Program::run), ...).
///
/// Arguments, environment, stdin and the preopened directories are fetched
/// from the host the first time the run asks for them (a program that never
/// asks imports nothing for them) and are released when the run ends, so the
/// next run sees only its own.
pub struct Context {
    args: Fetched<RawList<RawStr>>,
    env: Fetched<RawList<[RawStr; 2]>>,
    pub(super) stdin: Fetched<StdinState>,
    /// Held without drop glue, so that a program that never asks for its
    /// preopens does not link the descriptor's drop (which would import
    /// `wasi:filesystem`); `release` drops them.
    #[cfg(not(feature = "p3"))]
    preopens: Fetched<ManuallyDrop<Vec<(Descriptor, String)>>>,
    /// Set by the first fetch of something without drop glue: how to let go
    /// of it when the run ends (the preopens).
    release: Cell<Option<fn(&mut Context)>>,
    /// The same for stdin, where it has no drop glue (WASI 0.3).
    #[cfg(feature = "p3")]
    pub(super) release_stdin: Cell<Option<fn(&mut Context)>>,
}

/// Shows nothing of the run's data: printing a context fetches nothing from
/// the host (print `cx.args()` or `cx.env()` for those).
impl core::fmt::Debug for Context {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Context").finish_non_exhaustive()
    }
}

impl Drop for Context {
    fn drop(&mut self) {
        if let Some(release) = self.release.take() {
            release(self);
        }
        #[cfg(feature = "p3")]
        if let Some(release) = self.release_stdin.take() {
            release(self);
        }
    }
}

impl Context {
    pub(crate) fn new() -> Self {
        Self {
            args: Fetched::new(),
            env: Fetched::new(),
            stdin: Fetched::new(),
            #[cfg(not(feature = "p3"))]
            preopens: Fetched::new(),
            release: Cell::new(None),
            #[cfg(feature = "p3")]
            release_stdin: Cell::new(None),
        }
    }

    /// The run's arguments; by convention the first is the program name.
    /// They are read in place, where the host wrote them: no allocation.
    pub fn args(&self) -> Args<'_> {
        // SAFETY: the fetch only calls the host.
        Args::new(unsafe { self.args.get(sys::get_arguments) })
    }

    /// The run's environment variables, read in place like [`Context::args`].
    pub fn env(&self) -> Env<'_> {
        // SAFETY: the fetch only calls the host.
        Env::new(unsafe { self.env.get(sys::get_environment) })
    }

    /// The value of the environment variable `name`, if set for this run.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.env().var(name)
    }

    /// The run's preopened directories and the guest paths the host mounted
    /// them at (`/`, `data`, ...), fetched from the host on first use
    /// (`wasi:filesystem/preopens`) and released when the run ends.
    #[cfg(not(feature = "p3"))]
    pub fn preopens(&self) -> impl ExactSizeIterator<Item = (&str, Dir<'_>)> + '_ {
        self.preopen_list()
            .iter()
            .map(|(fd, path)| (path.as_str(), Dir::borrowed(fd)))
    }

    /// The preopened directory the host mounted at `path` (exactly as the
    /// host named it, e.g. `/` or `.`), if the run has one.
    #[cfg(not(feature = "p3"))]
    pub fn dir(&self, path: &str) -> Option<Dir<'_>> {
        self.preopens().find(|(p, _)| *p == path).map(|(_, d)| d)
    }

    /// The preopened directory `path` lies in and the path relative to it,
    /// resolved the way wasi-libc (and so `std::fs`) resolves paths with the
    /// current directory at `/`: a relative path is taken from `/`; a
    /// preopen named `.` counts as `/`, one named `data` as `/data`; the
    /// preopen whose name is the longest whole-component prefix of the path
    /// wins (`/data` over `/` for `/data/x`, but not for `/database`). The
    /// rest is `.` when the path names the preopen itself. `None` if no
    /// preopen holds the path.
    ///
    /// ```no_run
    /// # use wasi_guest::{Context, fs};
    /// fn config(cx: &Context) -> Result<String, fs::Error> {
    ///     let (dir, rest) = cx
    ///         .locate("/etc/app.toml")
    ///         .ok_or(fs::ErrorCode::NoEntry)?;
    ///     dir.read_to_string(rest)
    /// }
    /// ```
    #[cfg(not(feature = "p3"))]
    pub fn locate<'p>(&self, path: &'p str) -> Option<(Dir<'_>, &'p str)> {
        let wanted = path.trim_start_matches("./").trim_start_matches('/');
        let mut best: Option<(usize, Dir<'_>, &'p str)> = None;
        for (name, dir) in self.preopens() {
            // The preopen's name as a path from `/`, without `/` at either
            // end: `/` and `.` are "", `/data/` and `data` are "data".
            let name = match name {
                "." => "",
                n => n.strip_prefix("./").unwrap_or(n),
            }
            .trim_matches('/');
            let rest = if name.is_empty() {
                Some(wanted)
            } else {
                wanted.strip_prefix(name).and_then(|r| {
                    if r.is_empty() {
                        Some(r)
                    } else {
                        r.strip_prefix('/')
                    }
                })
            };
            if let Some(rest) = rest
                && best.as_ref().is_none_or(|(len, _, _)| name.len() > *len)
            {
                let rest = rest.trim_start_matches('/');
                best = Some((name.len(), dir, if rest.is_empty() { "." } else { rest }));
            }
        }
        best.map(|(_, dir, rest)| (dir, rest))
    }

    #[cfg(not(feature = "p3"))]
    fn preopen_list(&self) -> &Vec<(Descriptor, String)> {
        // SAFETY: the fetch sets `release` (a plain `Cell`, not the
        // preopens) and calls the host.
        unsafe {
            self.preopens.get(|| {
                self.release.set(Some(|cx: &mut Context| {
                    // What the run opened from the preopens and forgot
                    // first, then the preopens themselves.
                    crate::api::fs::held::close_forgotten();
                    if let Some(list) = cx.preopens.take() {
                        drop(ManuallyDrop::into_inner(list));
                    }
                }));
                ManuallyDrop::new(sys::receive_owned(
                    crate::platform::bindings::wasi::filesystem::preopens::get_directories,
                ))
            })
        }
    }

    /// The run's standard input.
    pub fn stdin(&self) -> Stdin<'_> {
        Stdin::of(self)
    }

    /// Runs `future` beside the call (WASI 0.3), polled whenever the call
    /// is; the call ends (its teardown runs, its result is sent) only after
    /// every spawned future has ended. Spawned work shares the call's
    /// stdio, `RunLocal` values and import arena.
    #[cfg(feature = "p3")]
    pub fn spawn(&mut self, future: impl core::future::Future<Output = ()> + 'static) {
        sys::spawn(future);
    }
}
