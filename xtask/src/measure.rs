//! Measuring one component's size and initial memory.

use crate::Result;
use cargo_wasi_guest::wasm;
use std::path::Path;

/// Size facts of one component file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Size {
    /// Bytes of the file.
    pub bytes: usize,
    /// Bytes after gzip -9.
    pub gzip: usize,
    /// Initial linear memory, in 64 KiB pages.
    pub pages: u64,
}

/// Reads the [`Size`] of a component.
pub fn size(path: &Path) -> Result<Size> {
    let bytes = std::fs::read(path)?;
    Ok(Size {
        bytes: bytes.len(),
        gzip: gzip_len(&bytes)?,
        pages: wasm::facts(&bytes)?.initial_pages,
    })
}

/// gzip -9 size of `bytes`.
pub fn gzip_len(bytes: &[u8]) -> Result<usize> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes)?;
    Ok(enc.finish()?.len())
}
