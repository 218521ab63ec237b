//! The instance reuse policy and the custom section that records it.

/// What happens when the host calls `wasi:cli/run` again on the same instance.
///
/// The choice is recorded in the component as a custom section named
/// [`Policy::SECTION`] whose content is [`Policy::name`] (`rerunnable` or
/// `single-shot`, ASCII, no terminator), so hosts and tools can read it without
/// calling `run`. The section sits in the component's main core module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    /// `run` may be called any number of times; every call behaves like a fresh
    /// process from the program's point of view (fresh arguments, environment,
    /// stdio and run-local state), while per-instance state is kept.
    Rerunnable,
    /// `run` succeeds once. Every later call on the same instance writes one
    /// line to stderr and returns the error result of `wasi:cli/run`; it never
    /// traps.
    SingleShot,
}

impl Policy {
    /// Name of the custom section holding the policy.
    pub const SECTION: &'static str = "wasi-guest.instance-reuse";

    /// The policy as written in the custom section.
    pub const fn name(self) -> &'static str {
        match self {
            Policy::Rerunnable => "rerunnable",
            Policy::SingleShot => "single-shot",
        }
    }

    /// Parses the content of the custom section.
    pub fn from_section(bytes: &[u8]) -> Option<Policy> {
        match bytes {
            b"rerunnable" => Some(Policy::Rerunnable),
            b"single-shot" => Some(Policy::SingleShot),
            _ => None,
        }
    }

    /// The section content as a fixed-size array; `N` must be
    /// `self.name().len()` (the [`export!`](crate::export) macro does this).
    #[doc(hidden)]
    pub const fn section_bytes<const N: usize>(self) -> [u8; N] {
        let name = self.name().as_bytes();
        assert!(name.len() == N, "section length does not match the policy");
        let mut out = [0u8; N];
        let mut i = 0;
        while i < N {
            out[i] = name[i];
            i += 1;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::Policy;

    #[test]
    fn section_round_trips() {
        for policy in [Policy::Rerunnable, Policy::SingleShot] {
            let bytes: [u8; 11] = if policy == Policy::SingleShot {
                policy.section_bytes()
            } else {
                let mut b = [0; 11];
                b[..10].copy_from_slice(&policy.section_bytes::<10>());
                b
            };
            let len = policy.name().len();
            assert_eq!(Policy::from_section(&bytes[..len]), Some(policy));
        }
        assert_eq!(Policy::from_section(b"sometimes"), None);
    }
}
