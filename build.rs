//! Chooses the platform once, and generates from `wit/` everything the crate
//! would otherwise write by hand about WASI.
//!
//! **The platform** is one `cfg`, `wasi_guest_sys`, which only
//! `src/platform/mod.rs` reads (it picks the one module that implements it):
//!
//! | `wasi_guest_sys` | when | who is the component's runtime |
//! |---|---|---|
//! | `"wasip2"` | wasm32, WASI 0.2, no feature `std` | this crate: `cabi_realloc`, allocator, panic handler |
//! | `"wasip2_std"` | wasm32, WASI 0.2, feature `std` | std and wasi-libc |
//! | `"wasip3"` | wasm32, feature `p3` | this crate, on WASI 0.3 (async exports) |
//! | `"host"` | any other target (docs, unit tests) | nobody: there is no host to call |
//!
//! **The import declarations** the crate makes by hand (to read lists in
//! place, to send an HTTP response without lowering a whole `error-code`, and
//! every WASI 0.3 call) come from the tables below: for each, the module and
//! field names and the core signature are computed from `wit/` (WASI 0.2) or
//! `wit/p3/` (WASI 0.3), so no version string or signature is typed twice.
//! Every return area gets its size and alignment as a constant, which the
//! code that reads it asserts against its own layout.
//!
//! **The records** `export!` embeds: the component-type records of the policy
//! worlds of `wit/world.wit` (see `src/lifecycle/policy.rs`) and, for WASI
//! 0.3, of the worlds the crate's own export glue implements.
//!
//! It also declares `wasi_guest_no_scrub`, which `cargo xtask bench` passes
//! in RUSTFLAGS (`--cfg wasi_guest_no_scrub`) to measure what clearing memory
//! costs. It is not a supported configuration.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use wit_parser::abi::{AbiVariant, WasmType};
use wit_parser::{Function, Resolve, SizeAlign, TypeDefKind, WorldKey};

/// What is declared: an import call, or one of the canonical built-ins tied
/// to a stream or future of a function's signature (WASI 0.3).
#[derive(Clone, Copy)]
enum Decl {
    /// `func` of `interface`, lowered synchronously.
    Call,
    /// `func` of `interface`, lowered with `async` (returns a subtask status).
    AsyncCall,
    /// `[resource-drop]NAME` of a resource of `interface` (`func` is its name).
    Drop,
    /// `[task-return]func` of the exported `interface`.
    TaskReturn,
    /// A stream or future built-in: the operation (`stream-new`,
    /// `stream-write`, `future-read`, ...), the index of the stream or future
    /// among those in `func`'s signature, and whether it is `async`-lowered.
    Payload(&'static str, usize, bool),
}

/// One declaration: (interface, function, Rust name, what).
type Item = (&'static str, &'static str, &'static str, Decl);

/// WASI 0.2 imports the crate declares by hand (`src/platform/wasip2/`).
const P2: &[Item] = &[
    (
        "wasi:cli/environment",
        "get-arguments",
        "get_arguments",
        Decl::Call,
    ),
    (
        "wasi:cli/environment",
        "get-environment",
        "get_environment",
        Decl::Call,
    ),
    (
        "wasi:io/streams",
        "[method]input-stream.blocking-read",
        "blocking_read",
        Decl::Call,
    ),
    (
        "wasi:random/random",
        "get-random-bytes",
        "get_random_bytes",
        Decl::Call,
    ),
    (
        "wasi:http/types",
        "[constructor]fields",
        "fields_new",
        Decl::Call,
    ),
    (
        "wasi:http/types",
        "[method]fields.append",
        "fields_append",
        Decl::Call,
    ),
    (
        "wasi:http/types",
        "[constructor]outgoing-response",
        "outgoing_response_new",
        Decl::Call,
    ),
    (
        "wasi:http/types",
        "[method]outgoing-response.set-status-code",
        "set_status_code",
        Decl::Call,
    ),
    (
        "wasi:http/types",
        "[method]outgoing-response.body",
        "outgoing_response_body",
        Decl::Call,
    ),
    (
        "wasi:http/types",
        "[static]response-outparam.set",
        "response_outparam_set",
        Decl::Call,
    ),
    (
        "wasi:http/types",
        "[method]outgoing-body.write",
        "outgoing_body_write",
        Decl::Call,
    ),
    (
        "wasi:http/types",
        "[static]outgoing-body.finish",
        "outgoing_body_finish",
        Decl::Call,
    ),
];

/// Shorthands for the WASI 0.3 table.
const fn payload(op: &'static str, index: usize) -> Decl {
    Decl::Payload(op, index, false)
}
const fn payload_async(op: &'static str, index: usize) -> Decl {
    Decl::Payload(op, index, true)
}

/// WASI 0.3 imports (`src/platform/wasip3/`). Streams and futures of one
/// payload type are the same type wherever they appear, so each is declared
/// once, through the first function that carries it.
const P3: &[Item] = &[
    (
        "wasi:cli/environment",
        "get-arguments",
        "get_arguments",
        Decl::Call,
    ),
    (
        "wasi:cli/environment",
        "get-environment",
        "get_environment",
        Decl::Call,
    ),
    (
        "wasi:random/random",
        "get-random-bytes",
        "get_random_bytes",
        Decl::Call,
    ),
    (
        "wasi:random/random",
        "get-random-u64",
        "get_random_u64",
        Decl::Call,
    ),
    (
        "wasi:random/insecure-seed",
        "get-insecure-seed",
        "get_insecure_seed",
        Decl::Call,
    ),
    (
        "wasi:clocks/monotonic-clock",
        "now",
        "monotonic_now",
        Decl::Call,
    ),
    (
        "wasi:clocks/monotonic-clock",
        "wait-for",
        "wait_for",
        Decl::AsyncCall,
    ),
    ("wasi:clocks/system-clock", "now", "system_now", Decl::Call),
    (
        "wasi:cli/stdout",
        "write-via-stream",
        "stdout_write_via_stream",
        Decl::Call,
    ),
    (
        "wasi:cli/stderr",
        "write-via-stream",
        "stderr_write_via_stream",
        Decl::Call,
    ),
    (
        "wasi:cli/stdin",
        "read-via-stream",
        "stdin_read_via_stream",
        Decl::Call,
    ),
    // stream<u8>: new, read, write, cancel, drop.
    (
        "wasi:cli/stdout",
        "write-via-stream",
        "bytes_new",
        payload("stream-new", 0),
    ),
    (
        "wasi:cli/stdout",
        "write-via-stream",
        "bytes_write",
        payload_async("stream-write", 0),
    ),
    (
        "wasi:cli/stdout",
        "write-via-stream",
        "bytes_read",
        payload_async("stream-read", 0),
    ),
    (
        "wasi:cli/stdout",
        "write-via-stream",
        "bytes_cancel_write",
        payload("stream-cancel-write", 0),
    ),
    (
        "wasi:cli/stdout",
        "write-via-stream",
        "bytes_cancel_read",
        payload("stream-cancel-read", 0),
    ),
    (
        "wasi:cli/stdout",
        "write-via-stream",
        "bytes_drop_writable",
        payload("stream-drop-writable", 0),
    ),
    (
        "wasi:cli/stdout",
        "write-via-stream",
        "bytes_drop_readable",
        payload("stream-drop-readable", 0),
    ),
    // future<result<_, wasi:cli/types.error-code>>: read, cancel, drop.
    (
        "wasi:cli/stdout",
        "write-via-stream",
        "cli_result_read",
        payload_async("future-read", 1),
    ),
    (
        "wasi:cli/stdout",
        "write-via-stream",
        "cli_result_cancel_read",
        payload("future-cancel-read", 1),
    ),
    (
        "wasi:cli/stdout",
        "write-via-stream",
        "cli_result_drop_readable",
        payload("future-drop-readable", 1),
    ),
    (
        "[export]wasi:cli/run",
        "run",
        "run_task_return",
        Decl::TaskReturn,
    ),
    // wasi:http (feature `http`).
    (
        "wasi:http/types",
        "[constructor]fields",
        "fields_new",
        Decl::Call,
    ),
    (
        "wasi:http/types",
        "[method]fields.append",
        "fields_append",
        Decl::Call,
    ),
    (
        "wasi:http/types",
        "[method]fields.copy-all",
        "fields_copy_all",
        Decl::Call,
    ),
    ("wasi:http/types", "fields", "fields_drop", Decl::Drop),
    (
        "wasi:http/types",
        "[method]request.get-method",
        "request_method",
        Decl::Call,
    ),
    (
        "wasi:http/types",
        "[method]request.get-path-with-query",
        "request_path",
        Decl::Call,
    ),
    (
        "wasi:http/types",
        "[method]request.get-headers",
        "request_headers",
        Decl::Call,
    ),
    (
        "wasi:http/types",
        "[static]request.consume-body",
        "request_consume_body",
        Decl::Call,
    ),
    ("wasi:http/types", "request", "request_drop", Decl::Drop),
    (
        "wasi:http/types",
        "[static]response.new",
        "response_new",
        Decl::Call,
    ),
    (
        "wasi:http/types",
        "[method]response.set-status-code",
        "response_set_status",
        Decl::Call,
    ),
    ("wasi:http/types", "response", "response_drop", Decl::Drop),
    // stream<u8> as wasi:http has it (index 0 of request.new): bodies.
    (
        "wasi:http/types",
        "[static]request.new",
        "body_new",
        payload("stream-new", 0),
    ),
    (
        "wasi:http/types",
        "[static]request.new",
        "body_write",
        payload_async("stream-write", 0),
    ),
    (
        "wasi:http/types",
        "[static]request.new",
        "body_read",
        payload_async("stream-read", 0),
    ),
    (
        "wasi:http/types",
        "[static]request.new",
        "body_cancel_write",
        payload("stream-cancel-write", 0),
    ),
    (
        "wasi:http/types",
        "[static]request.new",
        "body_cancel_read",
        payload("stream-cancel-read", 0),
    ),
    (
        "wasi:http/types",
        "[static]request.new",
        "body_drop_writable",
        payload("stream-drop-writable", 0),
    ),
    (
        "wasi:http/types",
        "[static]request.new",
        "body_drop_readable",
        payload("stream-drop-readable", 0),
    ),
    (
        "wasi:http/types",
        "[static]request.new",
        "trailers_read",
        payload_async("future-read", 1),
    ),
    (
        "wasi:http/types",
        "[static]request.new",
        "trailers_cancel_read",
        payload("future-cancel-read", 1),
    ),
    (
        "wasi:http/types",
        "[static]request.new",
        "http_result_read",
        payload_async("future-read", 2),
    ),
    (
        "wasi:http/types",
        "[static]request.new",
        "http_result_cancel_read",
        payload("future-cancel-read", 2),
    ),
    // future<result<option<trailers>, error-code>> (index 1 of request.new):
    // written by the handler for its response, read for the request's.
    (
        "wasi:http/types",
        "[static]request.new",
        "trailers_new",
        payload("future-new", 1),
    ),
    (
        "wasi:http/types",
        "[static]request.new",
        "trailers_write",
        payload_async("future-write", 1),
    ),
    (
        "wasi:http/types",
        "[static]request.new",
        "trailers_cancel_write",
        payload("future-cancel-write", 1),
    ),
    (
        "wasi:http/types",
        "[static]request.new",
        "trailers_drop_writable",
        payload("future-drop-writable", 1),
    ),
    (
        "wasi:http/types",
        "[static]request.new",
        "trailers_drop_readable",
        payload("future-drop-readable", 1),
    ),
    // future<result<_, error-code>> (index 2 of request.new): the one
    // `response.new` returns and the one `consume-body` takes.
    (
        "wasi:http/types",
        "[static]request.new",
        "http_result_new",
        payload("future-new", 2),
    ),
    (
        "wasi:http/types",
        "[static]request.new",
        "http_result_write",
        payload_async("future-write", 2),
    ),
    (
        "wasi:http/types",
        "[static]request.new",
        "http_result_drop_writable",
        payload("future-drop-writable", 2),
    ),
    (
        "wasi:http/types",
        "[static]request.new",
        "http_result_drop_readable",
        payload("future-drop-readable", 2),
    ),
    (
        "[export]wasi:http/handler",
        "handle",
        "handle_task_return",
        Decl::TaskReturn,
    ),
];

/// The WASI packages' versions as `wit/` has them, e.g. `wasi:cli` -> `0.2.12`.
fn qualified(resolve: &Resolve, interface: &str) -> String {
    let (package, name) = interface.split_once('/').expect("interface is ns:pkg/name");
    let (ns, pkg) = package.split_once(':').expect("package is ns:pkg");
    let found = resolve
        .packages
        .iter()
        .find(|(_, p)| p.name.namespace == ns && p.name.name == pkg)
        .unwrap_or_else(|| panic!("no package {package} under wit/"));
    let version = found
        .1
        .name
        .version
        .as_ref()
        .expect("WASI packages are versioned");
    format!("{package}/{name}@{version}")
}

/// The function `func` of `interface` (`ns:pkg/name`).
fn function<'r>(resolve: &'r Resolve, interface: &str, func: &str) -> &'r Function {
    let (package, name) = interface.split_once('/').unwrap();
    let (ns, pkg) = package.split_once(':').unwrap();
    let iface = resolve
        .interfaces
        .iter()
        .find(|(_, i)| {
            i.name.as_deref() == Some(name)
                && i.package.is_some_and(|p| {
                    let p = &resolve.packages[p].name;
                    p.namespace == ns && p.name == pkg
                })
        })
        .unwrap_or_else(|| panic!("no interface {interface} under wit/"))
        .1;
    iface
        .functions
        .get(func)
        .unwrap_or_else(|| panic!("no function {func} in {interface}"))
}

fn rust_type(t: WasmType) -> &'static str {
    match t {
        WasmType::I32 => "u32",
        WasmType::I64 | WasmType::PointerOrI64 => "u64",
        WasmType::F32 => "f32",
        WasmType::F64 => "f64",
        WasmType::Pointer => "*mut u8",
        WasmType::Length => "usize",
    }
}

/// `fn NAME(p0: T, ...) -> R;` for a core signature.
fn signature(ident: &str, params: &[WasmType], results: &[WasmType]) -> String {
    let mut s = format!("fn {ident}(");
    for (i, p) in params.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        let _ = write!(s, "p{i}: {}", rust_type(*p));
    }
    s.push(')');
    if let [r] = results {
        let _ = write!(s, " -> {}", rust_type(*r));
    }
    s.push(';');
    s
}

/// The declarations of `items` against `resolve`, as Rust source.
fn declarations(resolve: &Resolve, items: &[Item], what: &str) -> String {
    let mut sizes = SizeAlign::default();
    sizes.fill(resolve);
    let mut out = format!("// Generated by build.rs from {what}; do not edit.\n");
    for &(interface, func, ident, decl) in items {
        let (export, iface) = match interface.strip_prefix("[export]") {
            Some(rest) => (true, rest),
            None => (false, interface),
        };
        let module = qualified(resolve, iface);
        let module = if export {
            format!("[export]{module}")
        } else {
            module
        };
        let (field, sig, ret_area) = match decl {
            Decl::Call | Decl::AsyncCall => {
                let f = function(resolve, iface, func);
                let variant = if matches!(decl, Decl::AsyncCall) {
                    AbiVariant::GuestImportAsync
                } else {
                    AbiVariant::GuestImport
                };
                let sig = resolve.wasm_signature(variant, f);
                let ret_area = (sig.retptr && !matches!(decl, Decl::AsyncCall))
                    .then(|| {
                        f.result
                            .map(|r| (sizes.size(&r).size_wasm32(), sizes.align(&r).align_wasm32()))
                    })
                    .flatten();
                let field = if matches!(decl, Decl::AsyncCall) {
                    format!("[async-lower]{func}")
                } else {
                    func.to_string()
                };
                (field, signature(ident, &sig.params, &sig.results), ret_area)
            }
            Decl::Drop => (
                format!("[resource-drop]{func}"),
                signature(ident, &[WasmType::I32], &[]),
                None,
            ),
            Decl::TaskReturn => {
                let f = function(resolve, iface, func);
                let mut storage = [WasmType::I32; Resolve::MAX_FLAT_PARAMS + 1];
                let mut flat = wit_parser::abi::FlatTypes::new(&mut storage);
                let fits = f.result.iter().all(|r| resolve.push_flat(r, &mut flat));
                let params = if fits {
                    flat.to_vec()
                } else {
                    vec![WasmType::Pointer]
                };
                (
                    format!("[task-return]{func}"),
                    signature(ident, &params, &[]),
                    None,
                )
            }
            Decl::Payload(op, index, async_) => {
                let f = function(resolve, iface, func);
                let found = f.find_futures_and_streams(resolve);
                let id = *found
                    .get(index)
                    .unwrap_or_else(|| panic!("{func} has no stream or future {index}"));
                let is_stream = matches!(resolve.types[id].kind, TypeDefKind::Stream(_));
                assert_eq!(
                    is_stream,
                    op.starts_with("stream"),
                    "{op}: payload {index} of {func} is the other kind"
                );
                let (params, results): (&[WasmType], &[WasmType]) = match op {
                    "stream-new" | "future-new" => (&[], &[WasmType::I64]),
                    "stream-read" | "stream-write" => (
                        &[WasmType::I32, WasmType::Pointer, WasmType::Length],
                        &[WasmType::I32],
                    ),
                    "future-read" | "future-write" => {
                        (&[WasmType::I32, WasmType::Pointer], &[WasmType::I32])
                    }
                    op if op.contains("cancel") => (&[WasmType::I32], &[WasmType::I32]),
                    op if op.contains("drop") => (&[WasmType::I32], &[]),
                    op => panic!("unknown built-in {op}"),
                };
                let prefix = if async_ { "[async-lower]" } else { "" };
                // The payload's layout, for the buffers of future copies.
                let element = match resolve.types[id].kind {
                    TypeDefKind::Future(t) | TypeDefKind::Stream(t) => t,
                    _ => None,
                };
                let payload = element
                    .filter(|_| op.ends_with("read") || op.ends_with("write"))
                    .map(|t| (sizes.size(&t).size_wasm32(), sizes.align(&t).align_wasm32()));
                (
                    format!("{prefix}[{op}-{index}]{func}"),
                    signature(ident, params, results),
                    payload,
                )
            }
        };
        let _ = writeln!(
            out,
            "#[link(wasm_import_module = \"{module}\")]\nunsafe extern \"C\" {{\n    /// `{module}` `{field}`.\n    #[link_name = \"{field}\"]\n    pub(crate) {sig}\n}}"
        );
        if let Some((size, align)) = ret_area {
            let what = if matches!(decl, Decl::Payload(..)) {
                ("payload", "PAYLOAD")
            } else {
                ("return area", "RET")
            };
            let _ = writeln!(
                out,
                "/// Size and alignment of `{field}`'s {}.\npub(crate) const {}_{}: (usize, usize) = ({size}, {align});",
                what.0,
                ident.to_uppercase(),
                what.1
            );
        }
    }
    out
}

/// The `wit_bindgen::generate!` call for the WASI 0.2 HTTP export glue: its
/// `with` keys must name the interfaces with their version.
fn http_export_bindings(resolve: &Resolve) -> String {
    let mut with = String::new();
    let world = resolve
        .select_world(
            &[resolve
                .packages
                .iter()
                .find(|(_, p)| p.name.name == "sdk")
                .unwrap()
                .0],
            Some("guest"),
        )
        .expect("world guest");
    for (key, _) in &resolve.worlds[world].imports {
        if let WorldKey::Interface(id) = key {
            let name = resolve.name_world_key(key);
            let path = resolve.interfaces[*id]
                .name
                .as_deref()
                .unwrap()
                .replace('-', "_");
            let pkg = &resolve.packages[resolve.interfaces[*id].package.unwrap()].name;
            let _ = writeln!(
                with,
                "        \"{name}\": crate::platform::bindings::{}::{}::{path},",
                pkg.namespace, pkg.name
            );
        }
    }
    format!(
        "// Generated by build.rs; do not edit.\nwit_bindgen::generate!({{\n    path: \"wit\",\n    world: \"wasi-guest:sdk/http-handler\",\n    with: {{\n{with}    }},\n    generate_all,\n    disable_custom_section_link_helpers: true,\n    pub_export_macro: true,\n    export_macro_name: \"__export_http\",\n    default_bindings_module: \"$crate::__internal::http\",\n}});\n"
    )
}

/// The export glue names of the WASI 0.3 exports this crate implements, as
/// macros the export macros expand (an export's name must be a literal).
fn p3_exports(resolve: &Resolve) -> String {
    let run = qualified(resolve, "wasi:cli/run");
    let http = qualified(resolve, "wasi:http/handler");
    format!(
        "// Generated by build.rs from wit/p3/; do not edit.
/// The `[async-lift]` export of `{run}` and its callback.
#[doc(hidden)]
#[macro_export]
macro_rules! __p3_export_run {{
    ($start:expr) => {{
        #[unsafe(export_name = \"[async-lift]{run}#run\")]
        extern \"C\" fn __wasi_guest_run() -> u32 {{
            $start
        }}
        #[unsafe(export_name = \"[callback][async-lift]{run}#run\")]
        extern \"C\" fn __wasi_guest_run_callback(event: u32, waitable: u32, payload: u32) -> u32 {{
            $crate::__internal::p3::callback(event, waitable, payload)
        }}
    }};
}}

/// The `[async-lift]` export of `{http}` and its callback.
#[doc(hidden)]
#[macro_export]
macro_rules! __p3_export_http {{
    ($start:expr) => {{
        #[unsafe(export_name = \"[async-lift]{http}#handle\")]
        extern \"C\" fn __wasi_guest_handle(request: u32) -> u32 {{
            $start(request)
        }}
        #[unsafe(export_name = \"[callback][async-lift]{http}#handle\")]
        extern \"C\" fn __wasi_guest_handle_callback(event: u32, waitable: u32, payload: u32) -> u32 {{
            $crate::__internal::p3::callback(event, waitable, payload)
        }}
    }};
}}
"
    )
}

/// Encodes `world` of `package` into the component-type record wit-component
/// consumes, as `OUT_DIR/NAME.bin`.
fn record(resolve: &Resolve, package: wit_parser::PackageId, world: &str, out: &Path, name: &str) {
    let world = resolve
        .select_world(&[package], Some(world))
        .expect("world");
    let bytes =
        wit_component::metadata::encode(resolve, world, wit_component::StringEncoding::UTF8, None)
            .expect("encoding a world");
    std::fs::write(out.join(format!("{name}.bin")), bytes).expect("writing OUT_DIR");
}

fn main() {
    println!(
        "cargo::rustc-check-cfg=cfg(wasi_guest_sys, values(\"wasip2\", \"wasip2_std\", \"wasip3\", \"host\"))"
    );
    println!("cargo::rustc-check-cfg=cfg(wasi_guest_no_scrub)");
    println!("cargo::rerun-if-changed=wit");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    let env = |k: &str| std::env::var(k).unwrap_or_default();
    let feature = |f: &str| std::env::var_os(format!("CARGO_FEATURE_{f}")).is_some();

    let sys = match (
        env("CARGO_CFG_TARGET_ARCH") == "wasm32",
        feature("P3"),
        feature("STD"),
    ) {
        (true, true, _) => "wasip3",
        (true, false, false) => "wasip2",
        (true, false, true) => "wasip2_std",
        (false, _, _) => "host",
    };
    println!("cargo::rustc-cfg=wasi_guest_sys=\"{sys}\"");

    let mut p2 = Resolve::default();
    let (sdk, _) = p2.push_dir("wit").expect("parsing wit/");
    for (world, name) in [
        ("policy-rerunnable", "policy-rerunnable"),
        ("policy-single-shot", "policy-single-shot"),
        ("policy-concurrent", "policy-concurrent"),
    ] {
        record(&p2, sdk, world, &out, name);
    }
    let write = |name: &str, text: String| {
        std::fs::write(out.join(name), text).expect("writing OUT_DIR");
    };
    write("imports_p2.rs", declarations(&p2, P2, "wit/"));
    write("http_export_p2.rs", http_export_bindings(&p2));

    let mut p3 = Resolve::default();
    let (sdk3, _) = p3.push_dir("wit/p3").expect("parsing wit/p3/");
    write("imports_p3.rs", declarations(&p3, P3, "wit/p3/"));
    write("exports_p3.rs", p3_exports(&p3));
    record(&p3, sdk3, "run", &out, "world-p3-run");
    record(&p3, sdk3, "http", &out, "world-p3-http");

    if sys == "wasip2" || sys == "wasip3" {
        // no_std code that compares byte strings calls `memcmp`/`bcmp`, which
        // compiler-builtins does not provide on wasm32-wasip2; left undefined
        // they become an import from module `env` that no component can
        // satisfy. Link wasi-libc (shipped with the target) so the linker can
        // take just those functions from it; nothing else is pulled in unless
        // referenced. With `std`, std links it already.
        println!("cargo::rustc-link-lib=c");
    }
}
