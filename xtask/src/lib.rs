//! Shared by `cargo xtask` and the host tests: building the examples and their
//! twins, stripping components, and reading facts out of them.
//!
//! The tests use exactly this code, so the sizes they assert are the sizes the
//! table reports.

pub mod build;
pub mod compat;
#[cfg(feature = "host")]
pub mod host;
pub mod measure;
pub mod report;
#[cfg(feature = "host")]
pub mod reuse;
pub mod tools;
pub mod wasm;

/// Errors are reported, not handled: a message for a person.
pub type Error = Box<dyn std::error::Error + Send + Sync>;
/// Result with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The repository root (the parent of `xtask/`).
pub fn project_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in a subdirectory of the project")
        .to_path_buf()
}
