//! Randomness, over `wasi:random`.
//!
//! * [`random_bytes`] and [`random_u64`] come from `wasi:random/random`: the
//!   host's cryptographically secure generator. Use them for keys, tokens,
//!   nonces.
//! * [`insecure_seed`] comes from `wasi:random/insecure-seed`: a value meant
//!   to seed hash maps against collision attacks. It is **not**
//!   cryptographically secure and may be the same on every call.
//!
//! Nothing is cached: each call asks the host. Bytes the host returns pass
//! through the import arena, which is zeroed right after they are copied.

/// Fills `buf` with cryptographically secure random bytes
/// (`wasi:random/random.get-random-bytes`).
///
/// A host that returns fewer bytes than asked (WASI 0.3 allows it, 0.2 does
/// not) is asked again for the rest, so every byte of `buf` comes from the
/// host; bytes beyond what was asked are ignored. A host that returns none
/// at all ends the instance (`wasi-guest: wasi:random returned no bytes` on
/// stderr, then a trap, as after a panic) rather than leave `buf` partly
/// unfilled or ask forever.
pub fn random_bytes(buf: &mut [u8]) {
    let mut rest = buf;
    while !rest.is_empty() {
        // Hosts may cap one request; ask in pieces.
        let want = rest.len().min(64 * 1024);
        let mark = crate::platform::sys::mark();
        let n = {
            // With `std` the list is freed (and cleared) when `bytes` goes
            // out of scope; in no_std builds `release` clears it.
            let bytes = crate::platform::sys::get_random_bytes(want as u64);
            let got = bytes.items();
            let n = got.len().min(want);
            if let (Some(dst), Some(src)) = (rest.get_mut(..n), got.get(..n)) {
                dst.copy_from_slice(src);
            }
            n
        };
        crate::platform::sys::release(mark);
        if n == 0 {
            crate::platform::fail("wasi:random returned no bytes");
        }
        rest = core::mem::take(&mut rest).get_mut(n..).unwrap_or_default();
    }
}

/// A cryptographically secure random `u64`
/// (`wasi:random/random.get-random-u64`).
pub fn random_u64() -> u64 {
    crate::platform::sys::note_received();
    #[cfg(not(feature = "p3"))]
    return crate::platform::bindings::wasi::random::random::get_random_u64();
    #[cfg(feature = "p3")]
    return crate::platform::sys::random_u64();
}

/// **Not cryptographically secure.** A 128-bit value for seeding hash maps
/// (`wasi:random/insecure-seed.insecure-seed`); the host may return the same
/// value every time. Never use it for anything secret.
pub fn insecure_seed() -> (u64, u64) {
    #[cfg(not(feature = "p3"))]
    return crate::platform::bindings::wasi::random::insecure_seed::insecure_seed();
    #[cfg(feature = "p3")]
    return crate::platform::sys::insecure_seed();
}
