//! HTTP handlers (WASI 0.2) and grep over a file tree.

use super::*;

/// Stripped size of a workspace package built as the examples are.
fn stripped(package: &str, flags: Flags) -> Result<usize> {
    let path = build::cargo_build(package, P2, flags)?;
    Ok(cargo_wasi_guest::wasm::strip(&std::fs::read(path)?)?.len())
}

/// HTTP handlers: sizes against the raw floor, the `wasi` crate and wstd;
/// latency and throughput on one reused instance against a fresh instance
/// per request.
pub fn http(md: &mut String) -> Result<()> {
    use cargo_wasi_guest::host::http::{self as h, ProxyPre, Request};
    let sdk = stripped("http-hello", Flags::Workspace)?;
    let raw = stripped("raw-http-hello", Flags::Workspace)?;
    let as_built = |p: &str| -> Result<usize> {
        Ok(std::fs::metadata(build::cargo_build(p, P2, Flags::Default)?)?.len() as usize)
    };
    let wasi = as_built("wasi-http-hello")?;
    let wstd = as_built("wstd-http-hello")?;
    let _ = writeln!(
        md,
        "## HTTP handlers\n\n\
         Sizes in bytes; the two SDK-style builds after the strip step, the others as their \
         toolchains build them.\n\n\
         | handler | bytes | over the raw floor | / http-hello |\n|---|---|---|---|\n\
         | `http-hello` (wasi-guest) | {sdk} | {:+} | 1.0x |\n\
         | `raw-http-hello` (wit-bindgen only, no guard: the floor) | {raw} | 0 | {:.2}x |\n\
         | `wasi-http-hello` (the `wasi` crate, std) | {wasi} | {:+} | {:.1}x |\n\
         | `wstd-http-hello` (`#[wstd::http_server]`) | {wstd} | {:+} | {:.1}x |\n",
        sdk as i64 - raw as i64,
        raw as f64 / sdk as f64,
        wasi as i64 - raw as i64,
        wasi as f64 / sdk as f64,
        wstd as i64 - raw as i64,
        wstd as f64 / sdk as f64,
    );
    let (engine, _) = cargo_wasi_guest::host::engine(cargo_wasi_guest::host::Memory::Wasmtime);
    let linker = h::linker(&engine).map_err(err)?;
    md.push_str(
        "\nRequests in the Wasmtime embedding (`wasmtime-wasi-http`, pre-instantiated once as a \
         server does), a fresh `WasiCtx` per request; `GET /items/7` with one header, 300 rounds \
         side by side. Throughput is one request after another on one thread (1 / mean).\n\n\
         | handler | fresh instance per request | reused instance | fresh / reused | reused requests/s |\n|---|---|---|---|---|\n",
    );
    for name in ["http-hello", "http-echo"] {
        let path = builds(name)?.sdk;
        let component = Component::from_file(&engine, &path).map_err(err)?;
        let pre = ProxyPre::new(linker.instantiate_pre(&component).map_err(err)?).map_err(err)?;
        let mut req = Request::get("/items/7");
        req.headers.push(("x-secret".into(), "s".into()));
        let mut reused = h::Instance::from_pre(&pre, None).map_err(err)?;
        let ok = |r: std::result::Result<h::Response, String>| -> Result<()> {
            match r {
                Ok(r) if r.status == 200 => Ok(()),
                other => Err(format!("{other:?}").into()),
            }
        };
        let s = side_by_side(
            ROUNDS,
            &mut [
                &mut || {
                    ok(h::Instance::from_pre(&pre, None)
                        .map_err(err)?
                        .request(&req))
                },
                &mut || ok(reused.request(&req)),
            ],
        )?;
        let batch = Instant::now();
        for _ in 0..2000 {
            ok(reused.request(&req))?;
        }
        let per_second = 2000.0 / batch.elapsed().as_secs_f64();
        let _ = writeln!(
            md,
            "| {name} | {} | {} | {} | {per_second:.0} |",
            s[0].cell(),
            s[1].cell(),
            ratio(s[0].median, s[1].median)
        );
    }
    md.push('\n');
    Ok(())
}

/// `grep` over a tree of 2,000 files (20 MB) against `grep-std`.
pub fn grep(md: &mut String) -> Result<()> {
    let b = builds("grep")?;
    let tree = std::env::temp_dir().join(format!("wasi-guest-bench-grep-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tree);
    let line = "the quick brown fox jumps over the lazy dog, again and again\n";
    for i in 0..2000 {
        let dir = tree.join(format!("d{:02}", i % 40));
        std::fs::create_dir_all(&dir)?;
        let mut text = line.repeat(10_000 / line.len());
        if i % 100 == 0 {
            text.push_str("a rare needle here\n");
        }
        std::fs::write(dir.join(format!("f{i:04}.txt")), text)?;
    }
    let h = Host::new(None)?;
    let sdk = h.load(&b.sdk)?;
    let std = h.load(b.std_p2.as_ref().ok_or("grep-std")?)?;
    let call = Call {
        dirs: vec![cargo_wasi_guest::host::Dir {
            host: tree.clone(),
            guest: "/".into(),
            read_only: true,
        }],
        ..Call::args(&["grep", "needle"])
    };
    let mut reused = h.instance(&sdk)?;
    let grep_ok = |o: &cargo_wasi_guest::host::Outcome| -> Result<()> {
        if o.ok() && o.stdout.lines().count() == 20 {
            Ok(())
        } else {
            Err(format!("grep: {:?} {}", o.result, o.stderr).into())
        }
    };
    let s = side_by_side(
        10,
        &mut [
            &mut || grep_ok(&h.instance(&sdk)?.call(&call)),
            &mut || grep_ok(&h.instance(&std)?.call(&call)),
            &mut || grep_ok(&reused.call(&call)),
        ],
    )?;
    let _ = std::fs::remove_dir_all(&tree);
    let _ = writeln!(
        md,
        "## grep over 2,000 files (20 MB)\n\n\
         `grep needle` over a tree of 2,000 files of 10 KB in 40 directories (20 matches), \
         preopened read-only; 10 rounds side by side.\n\n\
         | build | time | / grep-std, fresh |\n|---|---|---|\n\
         | grep (SDK), fresh instance | {} | {} |\n\
         | grep-std, fresh instance | {} | 1.00x |\n\
         | grep (SDK), reused instance | {} | {} |\n",
        s[0].cell(),
        ratio(s[0].median, s[1].median),
        s[1].cell(),
        s[2].cell(),
        ratio(s[2].median, s[1].median),
    );
    Ok(())
}
