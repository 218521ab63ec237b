//! Measuring one component: sizes, memory, and Wasmtime compile time.

use crate::{Result, wasm};
use std::path::Path;
use std::time::{Duration, Instant};

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

/// Median Wasmtime compile time of each component, measured side by side:
/// every round compiles each component once, in turn, so load on the machine
/// affects all of them alike.
pub fn compile_medians(paths: &[&Path], rounds: usize) -> Result<Vec<Duration>> {
    let engine = wasmtime::Engine::default();
    let bytes: Vec<Vec<u8>> = paths.iter().map(std::fs::read).collect::<Result<_, _>>()?;
    let mut samples = vec![Vec::with_capacity(rounds); paths.len()];
    for _ in 0..rounds {
        for (b, s) in bytes.iter().zip(&mut samples) {
            let start = Instant::now();
            let component = wasmtime::component::Component::new(&engine, b)
                .map_err(|e| format!("compiling: {e:?}"))?;
            s.push(start.elapsed());
            drop(component);
        }
    }
    Ok(samples
        .into_iter()
        .map(|mut s| {
            s.sort();
            s[s.len() / 2]
        })
        .collect())
}
