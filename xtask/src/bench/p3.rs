//! The WASI 0.3 sections: per call against the raw wit-bindgen floor in the
//! embedding, and the density of a concurrent handler against the same
//! handler built serial under `wasmtime serve`'s 0.3 defaults.

use super::{err, human, ratio, side_by_side};
use cargo_wasi_guest::host::{self, Call, Outcome};
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use wasmtime::component::Component;
use xtask::build::{self, Flags, P2};
use xtask::{Result, tools};

fn ok(o: &Outcome) -> Result<()> {
    match &o.result {
        Ok(Ok(())) if o.stdout == "hello\n" => Ok(()),
        other => Err(format!("unexpected outcome {other:?}, stdout {:?}", o.stdout).into()),
    }
}

/// `hello-p3` against `raw-hello-p3`, each on one reused instance with a
/// fresh `WasiCtx` per call (`Store::run_concurrent` per call, as
/// `wasmtime run` does).
pub fn against_raw(md: &mut String) -> Result<()> {
    let (_, sdk) = build::build_sdk("hello-p3")?;
    let raw = build::build_raw("raw-hello-p3")?;
    let (engine, _) = host::engine(host::Memory::Wasmtime);
    let linker = host::p3::linker(&engine).map_err(err)?;
    let load = |p: &Path| Component::from_file(&engine, p).map_err(err);
    let (cs, cr) = (load(&sdk)?, load(&raw)?);
    let mut s = host::p3::Run::new(&cs, &linker, None).map_err(err)?;
    let mut r = host::p3::Run::new(&cr, &linker, None).map_err(err)?;
    let call = Call::args(&["hello"]);
    ok(&s.call(&call))?;
    ok(&r.call(&call))?;
    let mut blocks = Vec::new();
    for block in 0..4 {
        let mut sdk_case = || ok(&s.call(&call));
        let mut raw_case = || ok(&r.call(&call));
        let stats = if block % 2 == 0 {
            side_by_side(1000, &mut [&mut sdk_case, &mut raw_case])?
        } else {
            let mut v = side_by_side(1000, &mut [&mut raw_case, &mut sdk_case])?;
            v.swap(0, 1);
            v
        };
        blocks.push((stats[0].median, stats[1].median));
    }
    let med = |f: fn(&(Duration, Duration)) -> Duration| {
        let mut m: Vec<Duration> = blocks.iter().map(f).collect();
        m.sort();
        (m[1] + m[2]) / 2
    };
    let (ms, mr) = (med(|b| b.0), med(|b| b.1));
    let bytes = |p: &Path| std::fs::metadata(p).map(|m| m.len());
    let _ = writeln!(
        md,
        "## WASI 0.3: the SDK against raw wit-bindgen\n\n\
         `hello-p3` (the SDK on its own executor: guard, backpressure, per-call context, \
         teardown) against `xtask/bench/raw-hello-p3` (wit-bindgen's generated async glue and \
         runtime, dlmalloc, no guard). One instance each, a fresh `WasiCtx` and one \
         `Store::run_concurrent` per call; four blocks of 1,000 rounds, the order alternating; \
         the mean of the two middle block medians.\n\n\
         | measure | SDK | raw | SDK / raw |\n|---|---|---|---|\n\
         | reused, fresh ctx | {} | {} | {} |\n\
         | bytes after the strip step | {} | {} | {:.2}x |\n\n\
         Block medians (SDK / raw): {}.\n",
        human(ms),
        human(mr),
        ratio(ms, mr),
        bytes(&sdk)?,
        bytes(&raw)?,
        bytes(&sdk)? as f64 / bytes(&raw)? as f64,
        blocks
            .iter()
            .map(|(a, b)| format!("{} / {}", human(*a), human(*b)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(())
}

/// Clients, the time each request awaits, and requests per client.
const CLIENTS: usize = 32;
const SLEEP_MS: u64 = 10;
const PER_CLIENT: usize = 100;

/// One `wasmtime serve` (CLI, its defaults) on a free port.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    fn start(cli: &Path, wasm: &Path) -> Result<Server> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        let child = Command::new(cli)
            .arg("serve")
            .arg("--addr")
            .arg(addr.to_string())
            .arg(wasm)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let start = Instant::now();
        while TcpStream::connect(addr).is_err() {
            if start.elapsed() > Duration::from_secs(60) {
                return Err("wasmtime serve did not start".into());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(Server { child, addr })
    }

    /// The server's peak resident memory (`VmHWM`), in KiB.
    fn peak_rss_kib(&self) -> Result<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .ok_or_else(|| "no VmHWM in /proc/PID/status".into())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One `GET /?ms=N` on a fresh connection; the response's `in-flight`.
fn get(addr: SocketAddr) -> Result<u64> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        s,
        "GET /?ms={SLEEP_MS} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )?;
    let mut raw = String::new();
    s.read_to_string(&mut raw)?;
    if !raw.starts_with("HTTP/1.1 200") {
        return Err(format!("unexpected response {:?}", raw.lines().next()).into());
    }
    raw.lines()
        .find_map(|l| l.strip_prefix("in-flight="))
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| "no in-flight= line".into())
}

/// What one load run measured.
struct Load {
    rps: f64,
    peak_kib: u64,
    max_in_flight: u64,
}

/// [`CLIENTS`] clients, each sending [`PER_CLIENT`] requests one after
/// another, against a fresh server for `wasm`.
fn load(cli: &Path, wasm: &Path) -> Result<Load> {
    let server = Server::start(cli, wasm)?;
    let addr = server.addr;
    // Warm-up: the first request compiles nothing (the CLI compiled at
    // start) but instantiates once.
    get(addr)?;
    let start = Instant::now();
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            std::thread::spawn(move || -> std::result::Result<u64, String> {
                let mut max = 0;
                for _ in 0..PER_CLIENT {
                    max = max.max(get(addr).map_err(|e| e.to_string())?);
                }
                Ok(max)
            })
        })
        .collect();
    let mut max_in_flight = 0;
    for c in clients {
        let m = c.join().map_err(|_| "a client panicked")??;
        max_in_flight = max_in_flight.max(m);
    }
    let elapsed = start.elapsed();
    Ok(Load {
        rps: (CLIENTS * PER_CLIENT) as f64 / elapsed.as_secs_f64(),
        peak_kib: server.peak_rss_kib()?,
        max_in_flight,
    })
}

/// `http-sleep-p3` built concurrent and serial, under `wasmtime serve` with
/// its WASI 0.3 defaults, [`CLIENTS`] clients each awaiting [`SLEEP_MS`].
pub fn density(md: &mut String) -> Result<()> {
    let concurrent = build::cargo_build("http-sleep-p3", P2, Flags::Workspace)?;
    let concurrent_copy = concurrent.with_extension("concurrent.wasm");
    std::fs::copy(&concurrent, &concurrent_copy)?;
    let serial = build::cargo_build_with(
        "http-sleep-p3",
        P2,
        Flags::Workspace,
        &["--features", "serial"],
        Some("serial"),
    )?;
    let cli = tools::wasmtime(tools::WASMTIME_CURRENT)?;
    let (mut c, mut s) = (Vec::new(), Vec::new());
    for round in 0..4 {
        if round % 2 == 0 {
            c.push(load(&cli, &concurrent_copy)?);
            s.push(load(&cli, &serial)?);
        } else {
            s.push(load(&cli, &serial)?);
            c.push(load(&cli, &concurrent_copy)?);
        }
    }
    let median = |v: &[Load], f: fn(&Load) -> f64| {
        let mut m: Vec<f64> = v.iter().map(f).collect();
        m.sort_by(f64::total_cmp);
        (m[1] + m[2]) / 2.0
    };
    let (c_rps, s_rps) = (median(&c, |l| l.rps), median(&s, |l| l.rps));
    let (c_rss, s_rss) = (
        median(&c, |l| l.peak_kib as f64),
        median(&s, |l| l.peak_kib as f64),
    );
    let max = |v: &[Load]| v.iter().map(|l| l.max_in_flight).max().unwrap_or(0);
    let _ = writeln!(
        md,
        "## WASI 0.3: density of a concurrent handler\n\n\
         `http-sleep-p3` (`export_http!(concurrent Sleep)`) against the same handler built \
         serial (feature `serial`: `export_http!(Sleep)`), each under `wasmtime serve` \
         {ver} with its WASI 0.3 defaults (no flags: up to 128 requests per instance, 16 at \
         once). {CLIENTS} clients each send {PER_CLIENT} `GET /?ms={SLEEP_MS}` one after \
         another (a fresh connection each); every request awaits a {SLEEP_MS} ms timer. A \
         fresh server per run, four runs of each, alternating; the mean of the two middle \
         runs. Peak RSS is the server's `VmHWM`.\n\n\
         | build | req/s | server peak RSS | most requests in flight on one instance |\n\
         |---|---|---|---|\n\
         | concurrent | {c_rps:.0} | {:.1} MiB | {} |\n\
         | serial | {s_rps:.0} | {:.1} MiB | {} |\n\
         | concurrent / serial | {:.2}x | {:.2}x | |\n\n\
         Runs, req/s (concurrent / serial): {}.\n",
        c_rss / 1024.0,
        max(&c),
        s_rss / 1024.0,
        max(&s),
        c_rps / s_rps,
        c_rss / s_rss,
        c.iter()
            .zip(&s)
            .map(|(a, b)| format!("{:.0} / {:.0}", a.rps, b.rps))
            .collect::<Vec<_>>()
            .join(", "),
        ver = tools::WASMTIME_CURRENT,
    );
    Ok(())
}
