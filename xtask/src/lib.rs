//! The project's automation, as a library the verbs and the host tests
//! share: building the examples and their twins ([`build`]), measuring and
//! tabulating them ([`measure`], [`report`]), the prebuilt tools the checks
//! install ([`tools`]) and the host matrix ([`compat`]). What runs
//! components is the host library, `cargo_wasi_guest::host`.
//!
//! The tests use exactly this code, so the sizes they assert are the sizes the
//! table reports.

pub mod build;
pub mod compat;
pub mod measure;
pub mod report;
pub mod tools;

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
