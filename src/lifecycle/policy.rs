//! The instance reuse policy and the record of it in the component.

/// What happens when the host calls the component's export again on the same
/// instance.
///
/// # The record in the component
///
/// [`export!`](crate::export) (and `export_http!` of feature `http`,
/// [`record_policy!`](crate::record_policy)) record the policy in the
/// component as an **export of an empty interface**:
/// `wasi-guest:run/again` or `wasi-guest:run/once`
/// ([`Policy::export_name`]). An export is part of the component's
/// structure, not a custom section, so `wasm-tools strip` (with default or
/// any other flags) keeps it; hosts ignore exports they never call. A host
/// reads it without instantiating anything with [`Policy::of_component`]
/// (or `cargo xtask policy PATH.wasm`), or from the export list its runtime
/// shows (Wasmtime: `Component::component_type().exports(..)`; `wasm-tools
/// component wit`).
///
/// An export costs a few bytes more than a custom section would, which
/// `wasm-tools strip` would remove unless told to keep it; wit-component's
/// name section spells each export's name six times, which is why the names
/// are short (the measured cost is in docs/size.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    /// The export may be called any number of times; every call behaves like
    /// a fresh process from the program's point of view (fresh arguments,
    /// environment, stdio and run-local state), while per-instance state is
    /// kept.
    Rerunnable,
    /// The export succeeds once. Every later call on the same instance gets
    /// the export's error value (`wasi:cli/run`: one line on stderr and the
    /// error result; HTTP: a 503 response); it never traps.
    SingleShot,
}

/// The component-type records of the two policy worlds (`build.rs`).
const RERUNNABLE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/policy-rerunnable.bin"));
const SINGLE_SHOT: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/policy-single-shot.bin"));

impl Policy {
    /// The export that records, beside the policy, that calls of a WASI 0.3
    /// component may overlap on one instance (`export!(concurrent T)`).
    pub const CONCURRENT_EXPORT: &'static str = "wasi-guest:run/concurrent";

    /// The component-type record of [`Policy::CONCURRENT_EXPORT`], for the
    /// export macros.
    #[doc(hidden)]
    pub const CONCURRENT_RECORD: &'static [u8] =
        include_bytes!(concat!(env!("OUT_DIR"), "/policy-concurrent.bin"));

    /// Whether a component records that its calls may overlap on one
    /// instance ([`Policy::CONCURRENT_EXPORT`] in its export section).
    pub fn concurrent_in(bytes: &[u8]) -> bool {
        export_section_names(bytes, Policy::CONCURRENT_EXPORT)
    }

    /// The policy's name: `rerunnable` or `single-shot`.
    pub const fn name(self) -> &'static str {
        match self {
            Policy::Rerunnable => "rerunnable",
            Policy::SingleShot => "single-shot",
        }
    }

    /// The component export that records the policy.
    pub const fn export_name(self) -> &'static str {
        match self {
            Policy::Rerunnable => "wasi-guest:run/again",
            Policy::SingleShot => "wasi-guest:run/once",
        }
    }

    /// The policy recorded in a component binary (the export above, in the
    /// component's own export section), or `None` if it has no record (not
    /// built with this crate, or not a component).
    ///
    /// ```
    /// use wasi_guest::Policy;
    /// assert_eq!(Policy::of_component(b"not wasm"), None);
    /// ```
    pub fn of_component(bytes: &[u8]) -> Option<Policy> {
        [Policy::Rerunnable, Policy::SingleShot]
            .into_iter()
            .find(|p| export_section_names(bytes, p.export_name()))
    }

    /// Bytes of the record [`Policy::record`] gives.
    #[doc(hidden)]
    pub const fn record_len(self) -> usize {
        match self {
            Policy::Rerunnable => RERUNNABLE.len(),
            Policy::SingleShot => SINGLE_SHOT.len(),
        }
    }

    /// The component-type record (custom section `component-type:...`,
    /// consumed by wit-component when the component is made) that adds the
    /// policy's export; `N` must be [`Policy::record_len`] (the export macros
    /// do this).
    #[doc(hidden)]
    pub const fn record<const N: usize>(self) -> [u8; N] {
        let src = match self {
            Policy::Rerunnable => RERUNNABLE,
            Policy::SingleShot => SINGLE_SHOT,
        };
        assert!(src.len() == N, "record length does not match the policy");
        let mut out = [0u8; N];
        let mut i = 0;
        while i < N {
            out[i] = src[i];
            i += 1;
        }
        out
    }
}

/// Whether `bytes` is a component whose own export section (section 11;
/// nested components and modules are sections of their own and are skipped
/// whole) names `name`.
fn export_section_names(bytes: &[u8], name: &str) -> bool {
    // A component: magic, version 0x0d, layer 1.
    if bytes.get(..8) != Some(b"\0asm\x0d\0\x01\0") {
        return false;
    }
    let mut pos = 8;
    while pos < bytes.len() {
        let Some(&id) = bytes.get(pos) else {
            return false;
        };
        pos += 1;
        let Some(size) = read_leb(bytes, &mut pos) else {
            return false;
        };
        let Some(body) = pos.checked_add(size).and_then(|end| bytes.get(pos..end)) else {
            return false;
        };
        pos += size;
        if id == 11 && body.windows(name.len()).any(|w| w == name.as_bytes()) {
            return true;
        }
    }
    false
}

/// An unsigned LEB128 `u32` at `*pos`.
fn read_leb(bytes: &[u8], pos: &mut usize) -> Option<usize> {
    let mut value = 0usize;
    for shift in (0..35).step_by(7) {
        let byte = *bytes.get(*pos)?;
        *pos += 1;
        value |= usize::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::Policy;

    #[test]
    fn records_are_component_type_sections_naming_their_export() {
        for policy in [Policy::Rerunnable, Policy::SingleShot] {
            assert!(policy.record_len() > 0);
            let name = policy.export_name().rsplit_once('/').unwrap().1;
            let bare = name.split('@').next().unwrap();
            let bytes = match policy {
                Policy::Rerunnable => super::RERUNNABLE,
                Policy::SingleShot => super::SINGLE_SHOT,
            };
            assert!(bytes.windows(bare.len()).any(|w| w == bare.as_bytes()));
        }
    }

    #[test]
    fn a_component_export_section_is_read_and_anything_else_is_not() {
        // magic + one export section holding the single-shot name
        let name = Policy::SingleShot.export_name().as_bytes();
        let mut c = b"\0asm\x0d\0\x01\0".to_vec();
        c.push(11);
        c.push(name.len() as u8 + 2);
        c.push(0);
        c.push(name.len() as u8);
        c.extend_from_slice(name);
        assert_eq!(Policy::of_component(&c), Some(Policy::SingleShot));
        // The same name in another section does not count.
        c[8] = 7;
        assert_eq!(Policy::of_component(&c), None);
        // A core module is not a component.
        assert_eq!(Policy::of_component(b"\0asm\x01\0\0\0"), None);
    }
}
