//! What is inside the components: no preview1, the policy section, only the
//! imports a program uses, and the size ceilings.

use cargo_wasi_guest::wasm;
use wasi_guest::Policy;
use xtask::build;

fn sdk_examples() -> Vec<String> {
    build::examples()
        .unwrap()
        .into_iter()
        .map(|e| e.name)
        .collect()
}

#[test]
fn no_sdk_component_imports_preview1_or_carries_an_adapter() {
    for name in sdk_examples() {
        let b = crate::support::builds(&name);
        for path in [&b.sdk_raw, &b.sdk] {
            let bytes = std::fs::read(path).unwrap();
            let facts = wasm::facts(&bytes).unwrap();
            assert!(!facts.uses_preview1(), "{}: {facts:?}", path.display());
            assert!(
                !bytes
                    .windows(b"wasi_snapshot_preview1".len())
                    .any(|w| w == b"wasi_snapshot_preview1"),
                "{} mentions wasi_snapshot_preview1",
                path.display()
            );
            // main module + wit-component's shim and fixup modules; an
            // adapter would be a fourth.
            assert_eq!(facts.core_modules, 3, "{}", path.display());
        }
    }
}

#[test]
fn the_preview1_check_can_fail_it_flags_the_adapter_twin() {
    let b = crate::support::builds("hello");
    let twin = std::fs::read(b.std_p1_adapter.unwrap()).unwrap();
    let facts = wasm::facts(&twin).unwrap();
    assert!(facts.uses_preview1(), "{facts:?}");
    assert!(facts.core_modules > 3);
}

#[test]
fn the_policy_is_recorded_as_an_export_that_standard_stripping_keeps() {
    let wasm_tools = xtask::tools::wasm_tools().unwrap();
    for (name, want) in [
        ("hello", Policy::Rerunnable),
        ("counter", Policy::Rerunnable),
        ("once", Policy::SingleShot),
        ("cat", Policy::Rerunnable),
        ("wc-arena", Policy::Rerunnable),
        ("http-hello", Policy::Rerunnable),
    ] {
        let b = crate::support::builds(name);
        // As cargo writes it, after our strip step, and after `wasm-tools
        // strip` with its default flags.
        let standard = b.sdk_raw.with_extension("wasm-tools-stripped.wasm");
        let status = std::process::Command::new(&wasm_tools)
            .arg("strip")
            .arg(&b.sdk_raw)
            .arg("-o")
            .arg(&standard)
            .status()
            .unwrap();
        assert!(status.success());
        for path in [&b.sdk_raw, &b.sdk, &standard] {
            let bytes = std::fs::read(path).unwrap();
            assert_eq!(
                Policy::of_component(&bytes),
                Some(want),
                "{}",
                path.display()
            );
            let exports = wasm::facts(&bytes).unwrap().component_exports;
            assert!(
                exports.contains(&want.export_name().to_string()),
                "{exports:?}"
            );
        }
        // Stripping leaves no custom section at all.
        let stripped = wasm::custom_sections(&std::fs::read(&b.sdk).unwrap()).unwrap();
        assert_eq!(stripped, vec![], "{name}");
    }
    // A component not built with this crate has no record.
    let twin = std::fs::read(crate::support::builds("hello").std_p2.unwrap()).unwrap();
    assert_eq!(Policy::of_component(&twin), None);
}

#[test]
fn a_component_imports_only_what_its_program_uses() {
    let imports = |name: &str| {
        let bytes = std::fs::read(crate::support::builds(name).sdk).unwrap();
        let mut v = wasm::facts(&bytes).unwrap().component_imports;
        v.sort();
        v
    };
    assert_eq!(
        imports("hello"),
        [
            "wasi:cli/stdout@0.2.12",
            "wasi:io/error@0.2.12",
            "wasi:io/streams@0.2.12"
        ]
    );
    let echo = imports("echo");
    assert!(
        echo.contains(&"wasi:cli/environment@0.2.12".to_string()),
        "{echo:?}"
    );
    assert!(!echo.iter().any(|i| i.contains("stdin")), "{echo:?}");
    let once = imports("once");
    assert!(
        once.contains(&"wasi:cli/stderr@0.2.12".to_string()),
        "{once:?}"
    );
    // What each program touches is all it imports: no filesystem, clocks or
    // randomness unless it uses them. (must, may): wasi:filesystem/types uses
    // wall-clock's `datetime`, so a program that reads file times brings the
    // clock interface along (its type only, no function).
    let uses = |name: &str| -> (&[&str], &[&str]) {
        match name {
            "grep" | "tee" | "kv" => (&["filesystem"], &["clocks"]),
            "stamp" => (&["clocks", "random"], &[]),
            // Awaits a `wasi:clocks` timer.
            "http-sleep-p3" => (&["clocks"], &[]),
            _ => (&[], &[]),
        }
    };
    for name in sdk_examples() {
        let imported = imports(&name);
        // std mode links wasi-libc, whose start-up and preopen reset import
        // clocks and the filesystem whatever the program does (semantics.md).
        let std_mode = build::project_manifest(&name).unwrap().contains("\"std\"");
        let families: &[&str] = if std_mode {
            &["random", "sockets"]
        } else {
            &["filesystem", "clocks", "random", "sockets"]
        };
        let (must, may) = uses(&name);
        for family in families {
            let has = imported.iter().any(|i| i.contains(family));
            if must.contains(family) {
                assert!(has, "{name} does not import {family}: {imported:?}");
            } else if !may.contains(family) {
                assert!(!has, "{name} imports {family}: {imported:?}");
            }
        }
    }
}

#[test]
fn hello_fits_in_4096_bytes_as_cargo_builds_it() {
    let b = crate::support::builds("hello");
    let raw = std::fs::metadata(&b.sdk_raw).unwrap().len();
    assert!(raw <= 4096, "hello is {raw} bytes");
}

fn stripped_len(name: &str) -> u64 {
    std::fs::metadata(crate::support::builds(name).sdk)
        .unwrap()
        .len()
}

#[test]
fn hello_wc_and_wc_arena_stay_under_their_ceilings_and_5x_under_wc_std() {
    let hello = stripped_len("hello");
    assert!(hello <= 1938, "hello is {hello} bytes (ceiling 1,938)");
    let wc = stripped_len("wc");
    assert!(wc <= 16 * 1024, "wc (talc) is {wc} bytes (ceiling 16 KiB)");
    let arena = stripped_len("wc-arena");
    assert!(
        arena <= 8 * 1024,
        "wc-arena is {arena} bytes (ceiling 8 KiB)"
    );
    let twin = std::fs::metadata(crate::support::builds("wc").std_p2.unwrap())
        .unwrap()
        .len();
    for (name, len) in [("wc", wc), ("wc-arena", arena)] {
        assert!(
            len * 5 <= twin,
            "{name} ({len} bytes) is not 5x smaller than wc-std ({twin} bytes)"
        );
    }
}

#[test]
fn every_sdk_component_starts_with_at_most_two_pages_of_memory() {
    for name in sdk_examples() {
        let bytes = std::fs::read(crate::support::builds(&name).sdk).unwrap();
        let pages = wasm::facts(&bytes).unwrap().initial_pages;
        assert!(pages <= 2, "{name} starts with {pages} pages");
    }
    // The twins, built the usual way, start with 17 (a 1 MiB stack).
    let std = std::fs::read(crate::support::builds("hello").std_p2.unwrap()).unwrap();
    assert_eq!(wasm::facts(&std).unwrap().initial_pages, 17);
}

/// Stripped size of a workspace crate built the way the examples are.
fn stripped_package(package: &str) -> usize {
    let path = build::cargo_build(package, build::P2, build::Flags::Workspace).unwrap();
    wasm::strip(&std::fs::read(path).unwrap()).unwrap().len()
}

#[test]
fn the_filesystem_layer_adds_at_most_6_kib_to_a_program_that_reads_one_file() {
    let file = stripped_package("read-file");
    let stdin = stripped_package("read-stdin");
    assert!(
        file <= stdin + 6 * 1024,
        "reading a file costs {} bytes over reading stdin ({file} vs {stdin})",
        file as i64 - stdin as i64
    );
}

#[test]
fn http_hello_adds_at_most_1_kib_over_the_raw_floor_and_is_10x_smaller_than_wstd() {
    let sdk = stripped_len("http-hello") as usize;
    let raw = stripped_package("raw-http-hello");
    assert!(
        sdk <= raw + 1024,
        "http-hello is {sdk} bytes, {} over the raw wit-bindgen floor ({raw})",
        sdk as i64 - raw as i64
    );
    // wstd's handler as its toolchain builds it (not stripped), like the
    // twins.
    let wstd = build::cargo_build("wstd-http-hello", build::P2, build::Flags::Default).unwrap();
    let wstd = std::fs::metadata(wstd).unwrap().len() as usize;
    assert!(
        sdk * 10 <= wstd,
        "http-hello ({sdk} bytes) is not 10x smaller than the wstd handler ({wstd} bytes)"
    );
}

/// The size suite (issue 17): ordinary programs written the everyday way,
/// each against its std twin. Per program: the SDK component's ceiling
/// (bytes after the strip step, today's figure, so that it cannot grow
/// unnoticed), how many times smaller than the twin it is as the two
/// toolchains build them, and with `wasm-opt -Oz` on both sides (tenths,
/// rounded down). The goals (grep 4x, the rest 2.5x, both with
/// `wasm-opt`) are not all met: docs/size.md, "The size suite", says where
/// the bytes go.
#[test]
fn the_size_suite_stays_under_its_ceilings_and_as_many_times_smaller_than_std_as_today() {
    let wasm_opt = xtask::tools::wasm_opt().unwrap();
    for (name, ceiling, tenths, tenths_oz) in [
        ("grep", 28773, 38, 34),
        ("tee", 19703, 43, 37),
        ("kv", 44052, 24, 22),
        ("pretty", 45264, 20, 18),
        ("summary", 29200, 25, 22),
    ] {
        let b = crate::support::builds(name);
        let twin = b.std_p2.unwrap();
        let len = |p: &std::path::Path| std::fs::metadata(p).unwrap().len();
        let (sdk, std) = (len(&b.sdk), len(&twin));
        assert!(sdk <= ceiling, "{name} is {sdk} bytes (ceiling {ceiling})");
        assert!(
            sdk * tenths <= std * 10,
            "{name} ({sdk} bytes) is not {tenths}/10 times smaller than its twin ({std} bytes)"
        );
        let sdk_oz = len(&xtask::build::optimised(&b.sdk_raw, &wasm_opt).unwrap());
        let std_oz = len(&xtask::build::optimised(&twin, &wasm_opt).unwrap());
        assert!(
            sdk_oz * tenths_oz <= std_oz * 10,
            "with wasm-opt, {name} ({sdk_oz} bytes) is not {tenths_oz}/10 times smaller than \
             its twin ({std_oz} bytes)"
        );
    }
}

/// The WASI 0.3 examples against their ceilings and against the raw
/// wit-bindgen builds of the same programs (`xtask/bench/raw-*-p3`,
/// stripped alike). The goals were 5,120 and 12,288 bytes; the
/// ceilings are what this crate reaches today (docs/size.md says where the
/// rest goes).
#[test]
fn wasi_0_3_hello_and_http_hello_stay_under_their_ceilings_and_far_under_raw_wit_bindgen() {
    for (name, raw, ceiling, factor) in [
        ("hello-p3", "raw-hello-p3", HELLO_P3_CEILING, 4),
        (
            "http-hello-p3",
            "raw-http-hello-p3",
            HTTP_HELLO_P3_CEILING,
            4,
        ),
    ] {
        let sdk = stripped_len(name);
        assert!(sdk <= ceiling, "{name} is {sdk} bytes (ceiling {ceiling})");
        let raw_path = xtask::build::build_raw(raw).unwrap();
        let raw_len = std::fs::metadata(raw_path).unwrap().len();
        assert!(
            sdk * factor <= raw_len,
            "{name} ({sdk} bytes) is not {factor}x smaller than {raw} ({raw_len} bytes)"
        );
    }
}

/// Bytes of `hello-p3` after the strip step, at most.
const HELLO_P3_CEILING: u64 = 5311;
/// Bytes of `http-hello-p3` after the strip step, at most.
const HTTP_HELLO_P3_CEILING: u64 = 16806;

/// With `wasm-opt -Oz` (binaryen, the size lever `build-examples` reports in
/// its -Oz columns) on the core module, `hello-p3` meets the WASI 0.3 issue's
/// 5,120-byte goal; the optimised components of both WASI versions still
/// validate and run in Wasmtime, with their policy records.
#[test]
fn with_wasm_opt_hello_p3_is_at_most_5120_bytes_and_optimised_components_still_run() {
    let wasm_opt = xtask::tools::wasm_opt().unwrap();
    let p3 =
        xtask::build::optimised(&crate::support::builds("hello-p3").sdk_raw, &wasm_opt).unwrap();
    let p3_len = std::fs::metadata(&p3).unwrap().len();
    assert!(p3_len <= 5120, "hello-p3 after wasm-opt is {p3_len} bytes");
    let o = crate::support::p3_run(&p3, false).call(&crate::support::Call::args(&["hello"]));
    assert!(o.ok(), "{o:?}");
    assert_eq!(o.stdout, "hello\n");

    let p2 = xtask::build::optimised(&crate::support::builds("hello").sdk_raw, &wasm_opt).unwrap();
    assert!(std::fs::metadata(&p2).unwrap().len() < stripped_len("hello"));
    let mut r = crate::support::Runner::new(&p2);
    for _ in 0..3 {
        let o = r.call(&crate::support::Call::args(&["hello"]));
        assert!(o.ok(), "{o:?}");
        assert_eq!(o.stdout, "hello\n");
    }
    for path in [&p2, &p3] {
        assert_eq!(
            wasi_guest::Policy::of_component(&std::fs::read(path).unwrap()),
            Some(wasi_guest::Policy::Rerunnable)
        );
    }
}
