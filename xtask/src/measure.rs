//! Measuring one component's size and initial memory.

use crate::{Result, wasm};
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
        gzip: wasm::gzip_len(&bytes)?,
        pages: wasm::facts(&bytes)?.initial_pages,
    })
}
