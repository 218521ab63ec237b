//! [`Args`] and [`Env`]: the run's arguments and environment, read in place
//! where the host wrote them (`platform::abi`).

use crate::platform::abi::{RawList, RawStr};

/// The run's arguments, from [`Context::args`](crate::Context::args).
#[derive(Clone, Copy)]
pub struct Args<'a> {
    items: &'a [RawStr],
}

impl<'a> Args<'a> {
    pub(crate) fn new(list: &'a RawList<RawStr>) -> Self {
        Self {
            items: list.items(),
        }
    }

    /// Number of arguments (including the program name, if the host gave one).
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are no arguments at all.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Argument `i`; 0 is the program name by convention.
    pub fn get(&self, i: usize) -> Option<&'a str> {
        // SAFETY: written by the host for this run, alive for 'a.
        self.items.get(i).map(|s| unsafe { s.as_str() })
    }

    /// The arguments in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &'a str> + DoubleEndedIterator + 'a {
        // SAFETY: as in `get`.
        self.items.iter().map(|s| unsafe { s.as_str() })
    }
}

/// The run's environment, from [`Context::env`](crate::Context::env).
#[derive(Clone, Copy)]
pub struct Env<'a> {
    items: &'a [[RawStr; 2]],
}

impl<'a> Env<'a> {
    pub(crate) fn new(list: &'a RawList<[RawStr; 2]>) -> Self {
        Self {
            items: list.items(),
        }
    }

    /// Number of variables.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the environment is empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// `(name, value)` pairs in the order the host gave them.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&'a str, &'a str)> + 'a {
        // SAFETY: written by the host for this run, alive for 'a.
        self.items
            .iter()
            .map(|[k, v]| unsafe { (k.as_str(), v.as_str()) })
    }

    /// The value of `name`, if set.
    pub fn var(&self, name: &str) -> Option<&'a str> {
        self.iter().find(|(k, _)| *k == name).map(|(_, v)| v)
    }
}
