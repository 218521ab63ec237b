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

    /// The arguments in order. (`collect` from it allocates once: the
    /// length is known exactly.)
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &'a str> + DoubleEndedIterator + 'a {
        // SAFETY: as in `get`.
        self.items.iter().map(|s| unsafe { s.as_str() })
    }
}

/// The arguments in order, from `for arg in args` ([`Args::iter`] is the
/// same sequence).
#[derive(Clone)]
pub struct ArgsIter<'a>(core::slice::Iter<'a, RawStr>);

impl<'a> Iterator for ArgsIter<'a> {
    type Item = &'a str;
    fn next(&mut self) -> Option<&'a str> {
        // SAFETY: written by the host for this run, alive for 'a.
        self.0.next().map(|s| unsafe { s.as_str() })
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for ArgsIter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        // SAFETY: as in `next`.
        self.0.next_back().map(|s| unsafe { s.as_str() })
    }
}

impl ExactSizeIterator for ArgsIter<'_> {}

impl<'a> IntoIterator for Args<'a> {
    type Item = &'a str;
    type IntoIter = ArgsIter<'a>;
    fn into_iter(self) -> ArgsIter<'a> {
        ArgsIter(self.items.iter())
    }
}

impl core::fmt::Debug for Args<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
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

/// `(name, value)` pairs in the host's order, from `for (name, value) in
/// env` ([`Env::iter`] is the same sequence).
#[derive(Clone)]
pub struct EnvIter<'a>(core::slice::Iter<'a, [RawStr; 2]>);

impl<'a> Iterator for EnvIter<'a> {
    type Item = (&'a str, &'a str);
    fn next(&mut self) -> Option<Self::Item> {
        // SAFETY: written by the host for this run, alive for 'a.
        self.0
            .next()
            .map(|[k, v]| unsafe { (k.as_str(), v.as_str()) })
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl ExactSizeIterator for EnvIter<'_> {}

impl<'a> IntoIterator for Env<'a> {
    type Item = (&'a str, &'a str);
    type IntoIter = EnvIter<'a>;
    fn into_iter(self) -> EnvIter<'a> {
        EnvIter(self.items.iter())
    }
}

impl core::fmt::Debug for Env<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}
