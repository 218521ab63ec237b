//! Reading and rewriting component binaries: the strip step authors ship
//! with, and the facts tests and tables read out of a component.

use crate::Result;
use wasmparser::{Encoding, Parser, Payload};

const CUSTOM: u8 = 0;
const COMPONENT_CORE_MODULE: u8 = 1;
const COMPONENT_COMPONENT: u8 = 4;

fn read_leb(bytes: &[u8], pos: &mut usize) -> Result<usize> {
    let mut value: u64 = 0;
    let mut shift = 0;
    loop {
        let byte = *bytes.get(*pos).ok_or("truncated LEB128")?;
        *pos += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok(usize::try_from(value)?);
        }
        shift += 7;
        if shift > 35 {
            return Err("LEB128 too long for a u32".into());
        }
    }
}

fn write_leb(out: &mut Vec<u8>, mut value: usize) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Sections of a module or component: (id, body).
fn sections(bytes: &[u8]) -> Result<Vec<(u8, &[u8])>> {
    if bytes.len() < 8 || &bytes[..4] != b"\0asm" {
        return Err("not a wasm binary".into());
    }
    let mut pos = 8;
    let mut out = Vec::new();
    while pos < bytes.len() {
        let id = bytes[pos];
        pos += 1;
        let size = read_leb(bytes, &mut pos)?;
        let body = bytes
            .get(pos..pos + size)
            .ok_or("section runs past the end")?;
        out.push((id, body));
        pos += size;
    }
    Ok(out)
}

fn is_component(bytes: &[u8]) -> bool {
    bytes.get(6..8) == Some(&[1, 0])
}

fn custom_name(body: &[u8]) -> Result<&str> {
    let mut pos = 0;
    let len = read_leb(body, &mut pos)?;
    let name = body.get(pos..pos + len).ok_or("bad custom section name")?;
    Ok(std::str::from_utf8(name)?)
}

/// Removes every custom section (names, producers, component-name, ...) from
/// a component and the modules and components nested in it. Code, types,
/// imports and exports (the policy record among them) are copied byte for
/// byte.
///
/// This is the post-link step `cargo xtask build-examples` applies; it gives
/// the same bytes as `wasm-tools strip --all`.
pub fn strip(bytes: &[u8]) -> Result<Vec<u8>> {
    let component = is_component(bytes);
    resection(bytes, &mut |id, body| match id {
        CUSTOM => Ok(None),
        COMPONENT_CORE_MODULE | COMPONENT_COMPONENT if component => Ok(Some(strip(body)?)),
        _ => Ok(Some(body.to_vec())),
    })
}

/// Rewrites every core module of a component (at the top level, where a
/// guest's linker puts them) with `optimise`, or a core module itself;
/// everything else is copied byte for byte. For a size lever such as
/// `wasm-opt -Oz`, which keeps a module's imports and exports, so the
/// component around it stays valid.
pub fn rewrite_modules(
    bytes: &[u8],
    optimise: &mut dyn FnMut(&[u8]) -> Result<Vec<u8>>,
) -> Result<Vec<u8>> {
    if !is_component(bytes) {
        return optimise(bytes);
    }
    resection(bytes, &mut |id, body| match id {
        COMPONENT_CORE_MODULE => Ok(Some(optimise(body)?)),
        _ => Ok(Some(body.to_vec())),
    })
}

/// What [`resection`] does with one section: its new body, or `None`.
type Resection<'a> = dyn FnMut(u8, &[u8]) -> Result<Option<Vec<u8>>> + 'a;

/// The binary again, each section `(id, body)` replaced by what `each`
/// returns for it (`None`: left out).
fn resection(bytes: &[u8], each: &mut Resection<'_>) -> Result<Vec<u8>> {
    let mut out = bytes[..8].to_vec();
    for (id, body) in sections(bytes)? {
        if let Some(body) = each(id, body)? {
            out.push(id);
            write_leb(&mut out, body.len());
            out.extend_from_slice(&body);
        }
    }
    Ok(out)
}

/// Every custom section, at any depth: (name, content).
pub fn custom_sections(bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>> {
    let component = is_component(bytes);
    let mut out = Vec::new();
    for (id, body) in sections(bytes)? {
        match id {
            CUSTOM => {
                let mut pos = 0;
                let len = read_leb(body, &mut pos)?;
                let name = custom_name(body)?.to_string();
                out.push((name, body[pos + len..].to_vec()));
            }
            COMPONENT_CORE_MODULE | COMPONENT_COMPONENT if component => {
                out.extend(custom_sections(body)?)
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Facts about a component, for tests and the size table.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    /// Number of core modules (main module, shims, adapters).
    pub core_modules: usize,
    /// `(module, name)` of every core import, across all core modules.
    pub core_imports: Vec<(String, String)>,
    /// Names of every core export, across all core modules.
    pub core_exports: Vec<String>,
    /// Names of the component's own imports (e.g. `wasi:cli/stdout@0.2.12`).
    pub component_imports: Vec<String>,
    /// Names of the component's own exports (e.g. `wasi:cli/run@0.2.12`).
    pub component_exports: Vec<String>,
    /// Largest initial size, in 64 KiB pages, of any memory a core module
    /// defines (the component's linear memory).
    pub initial_pages: u64,
}

/// Validates `bytes` and reads [`Facts`] out of it.
pub fn facts(bytes: &[u8]) -> Result<Facts> {
    wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
        .validate_all(bytes)?;
    let mut f = Facts::default();
    let mut depth = 0usize;
    for payload in Parser::new(0).parse_all(bytes) {
        match payload? {
            Payload::Version { encoding, .. } => {
                depth += 1;
                if encoding == Encoding::Module {
                    f.core_modules += 1;
                }
            }
            Payload::End(_) => depth = depth.saturating_sub(1),
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    let import = import?;
                    f.core_imports
                        .push((import.module.to_string(), import.name.to_string()));
                }
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    f.core_exports.push(export?.name.to_string());
                }
            }
            Payload::MemorySection(reader) => {
                for memory in reader {
                    f.initial_pages = f.initial_pages.max(memory?.initial);
                }
            }
            Payload::ComponentImportSection(reader) if depth == 1 => {
                for import in reader {
                    f.component_imports.push(import?.name.name.to_string());
                }
            }
            Payload::ComponentExportSection(reader) if depth == 1 => {
                for export in reader {
                    f.component_exports.push(export?.name.name.to_string());
                }
            }
            _ => {}
        }
    }
    Ok(f)
}

impl Facts {
    /// Whether the component is a command: it exports `wasi:cli/run`.
    pub fn exports_run(&self) -> bool {
        self.component_exports
            .iter()
            .any(|e| e.starts_with("wasi:cli/run@"))
    }

    /// Whether anything in the component speaks preview1: an import from
    /// `wasi_snapshot_preview1` or a module exporting preview1 functions (the
    /// adapter).
    pub fn uses_preview1(&self) -> bool {
        self.core_imports
            .iter()
            .any(|(m, _)| m == "wasi_snapshot_preview1")
            || self
                .core_exports
                .iter()
                .any(|e| matches!(e.as_str(), "fd_write" | "proc_exit" | "environ_get"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leb_round_trips() {
        for v in [0usize, 1, 127, 128, 300, 16384, u32::MAX as usize] {
            let mut buf = Vec::new();
            write_leb(&mut buf, v);
            let mut pos = 0;
            assert_eq!(read_leb(&buf, &mut pos).unwrap(), v);
            assert_eq!(pos, buf.len());
        }
    }

    #[test]
    fn strip_drops_every_custom_section() {
        // (module) with two custom sections.
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        for (name, content) in [("producers", &b"xyz"[..]), ("name", b"\0\x01\0")] {
            let mut body = Vec::new();
            write_leb(&mut body, name.len());
            body.extend_from_slice(name.as_bytes());
            body.extend_from_slice(content);
            m.push(0);
            write_leb(&mut m, body.len());
            m.extend(body);
        }
        assert_eq!(custom_sections(&m).unwrap().len(), 2);
        let stripped = strip(&m).unwrap();
        assert_eq!(custom_sections(&stripped).unwrap(), vec![]);
        assert_eq!(stripped, b"\0asm\x01\0\0\0");
    }
}
