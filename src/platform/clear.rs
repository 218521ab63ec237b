//! Clearing: zeroing memory a call used, so that no later call (and no host
//! that scans the instance's memory) finds it.
//!
//! Clearing is `write_bytes` followed by [`core::hint::black_box`], so the
//! optimiser cannot drop it as a dead store.

/// Zeroes `len` bytes at `ptr` so that nothing a run wrote there survives it.
///
/// # Safety
/// `ptr..ptr + len` is memory the caller owns and may write.
#[inline]
pub(crate) unsafe fn scrub(ptr: *mut u8, len: usize) {
    #[cfg(not(wasi_guest_no_scrub))]
    {
        // SAFETY: the caller's promise.
        unsafe { ptr.write_bytes(0, len) };
        // The zeroes must reach memory even though nothing reads them again.
        core::hint::black_box(ptr);
    }
    #[cfg(wasi_guest_no_scrub)]
    let _ = (ptr, len);
}

/// Zeroes a buffer of the crate's own on the stack, when it is done with it.
#[inline]
pub(crate) fn scrub_slice(buf: &mut [u8]) {
    // SAFETY: `buf` is borrowed mutably for the duration of the call.
    unsafe { scrub(buf.as_mut_ptr(), buf.len()) }
}
