//! `cargo xtask compat`: every example run by hosts other than this
//! repository's own Wasmtime embedding: the Wasmtime CLI of the current
//! release and of the WASI 0.2.6 era, and jco on Node.js (`jco run` /
//! `jco serve`, and a jco transpile whose `run` is called three times on one
//! instance). The tools are installed on first use ([`crate::tools`]).
//!
//! WASI 0.3 examples (`*-p3`) run in the same columns: Wasmtime 49 runs and
//! serves them with no flags; Wasmtime 36 predates the component-model async
//! ABI and refuses to load them (recognised, not applicable); jco's 0.3
//! bindings need the preview3 shim and JSPI, so they run on
//! [`tools::node_jspi`], with an `await` per call.
//!
//! Each example has one case ([`case`]): what it is given and a piece of
//! output that proves it ran. A cell passes when the host ran it, it
//! succeeded and the output is there; anything else is a failure with the
//! host's words.

use crate::build::{self, P2};
use crate::tools;
use crate::{Result, project_root};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

mod jco;
use jco::{jco, jco_p3, node};

/// The columns of the table, in order.
pub const COLUMNS: [&str; 4] = [
    "Wasmtime CLI 49.0.4",
    "Wasmtime CLI 36.0.9 (WASI 0.2.6)",
    "jco 1.35.0 `run` / `serve` (Node)",
    "jco 1.35.0 transpile, 3 calls on one instance",
];

/// One cell of the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    /// Ran as expected.
    Pass,
    /// Did not: what went wrong.
    Fail(String),
    /// The column does not apply to this example: why.
    NotApplicable(&'static str),
    /// Fails because of a known defect of the host, recognised by its
    /// symptom: which.
    HostDefect(&'static str),
}

impl Cell {
    fn markdown(&self) -> String {
        match self {
            Cell::Pass => "pass".to_string(),
            Cell::Fail(why) => format!("**FAIL**: {}", why.replace('|', "\\|").replace('\n', " ")),
            Cell::NotApplicable(why) => format!("n/a ({why})"),
            Cell::HostDefect(which) => format!("host defect: {which}"),
        }
    }
}

/// One example's row.
#[derive(Clone, Debug)]
pub struct Row {
    /// The example.
    pub name: String,
    /// One cell per column of [`COLUMNS`].
    pub cells: Vec<Cell>,
}

/// A `wasi:cli/run` command's run.
#[derive(Clone, Copy)]
struct Cmd {
    args: &'static [&'static str],
    stdin: &'static str,
    /// Whether the run gets the fixture directory (holding `needle.txt`),
    /// preopened as `.`.
    dir: bool,
    /// A piece of the run's stdout.
    expect: &'static str,
    /// A file the run must have written in the fixture directory, and its
    /// contents.
    writes: Option<(&'static str, &'static str)>,
    /// What the 2nd and 3rd call on one instance return (`true`: ok).
    rerun_ok: bool,
}

/// How an example is exercised.
enum Case {
    /// A `wasi:cli/run` command.
    Command(Cmd),
    /// A `wasi:http/incoming-handler`: one GET, `expect` in the response.
    Http { expect: &'static str },
    /// Exports of its own world (examples/plugin).
    Plugin,
}

/// The case of each example; a new example needs one here.
fn case(name: &str) -> Option<Case> {
    let cmd = |args, stdin, expect| Cmd {
        args,
        stdin,
        dir: false,
        expect,
        writes: None,
        rerun_ok: true,
    };
    let command = |args, stdin, expect| Case::Command(cmd(args, stdin, expect));
    Some(match name {
        "cat" => command(&[], "meow\n", "meow\n"),
        "counter" => command(&[], "", "instance runs: 1\n"),
        "echo" => command(&["x", "y"], "", "args: x y\n"),
        "faults" => command(&[], "", "fine\n"),
        "guestbook" => command(&["ann"], "", "1. ann\n"),
        "hello" => command(&[], "", "hello\n"),
        "once" => Case::Command(Cmd {
            rerun_ok: false,
            ..cmd(&[], "", "ran once\n")
        }),
        "stamp" => command(&[], "", "token: "),
        "wc" | "wc-arena" => command(&[], "a b\nc\n", "       2       3       6       3"),
        "grep" => Case::Command(Cmd {
            dir: true,
            ..cmd(&["needle"], "", "needle.txt:1:needle in a haystack\n")
        }),
        "tee" => Case::Command(Cmd {
            dir: true,
            writes: Some(("out.txt", "tee me\n")),
            ..cmd(&["out.txt"], "tee me\n", "tee me\n")
        }),
        "kv" => Case::Command(Cmd {
            dir: true,
            writes: Some(("kv.txt", "k=v\n")),
            ..cmd(&["set", "k", "v"], "", "")
        }),
        "pretty" => command(&[], "{\"a\":[1]}", "{\n  \"a\": [\n    1\n  ]\n}\n"),
        "summary" => command(&[], "x\ny\nx\n", "2 distinct of 3 lines\n"),
        "http-hello" => Case::Http { expect: "hello\n" },
        "http-echo" => Case::Http {
            expect: "method=GET\n",
        },
        "plugin" => Case::Plugin,
        "hello-p3" => command(&[], "", "hello\n"),
        "echo-p3" => command(&["x", "y"], "", "args: x y\n"),
        "cat-p3" => command(&[], "meow\n", "meow\n"),
        "http-hello-p3" => Case::Http { expect: "hello\n" },
        "http-echo-p3" | "http-sleep-p3" => Case::Http {
            expect: "path=/compat\n",
        },
        _ => return None,
    })
}

/// Runs `cmd` with `stdin`, killing it after `limit`.
fn run(cmd: &mut Command, stdin: &[u8], limit: Duration) -> Result<Output> {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut input = child.stdin.take().ok_or("no stdin pipe")?;
    let bytes = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&bytes);
    });
    let start = Instant::now();
    while child.try_wait()?.is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("no answer within {limit:?}").into());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = writer.join();
    Ok(child.wait_with_output()?)
}

const LIMIT: Duration = Duration::from_secs(120);

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Pass if the process succeeded and printed `expect`.
fn judge(out: Result<Output>, expect: &str) -> Cell {
    match out {
        Err(e) => Cell::Fail(e.to_string()),
        Ok(o) if !o.status.success() => {
            Cell::Fail(format!("{}: {}", o.status, last_line(&text(&o.stderr))))
        }
        Ok(o) if !text(&o.stdout).contains(expect) => {
            Cell::Fail(format!("expected {expect:?} in {:?}", text(&o.stdout)))
        }
        Ok(_) => Cell::Pass,
    }
}

fn last_line(s: &str) -> &str {
    s.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("")
}

/// A scratch directory for one run, holding `needle.txt`.
fn fixture(scratch: &Path, tag: &str) -> Result<PathBuf> {
    let dir = scratch.join(tag);
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("needle.txt"), "needle in a haystack\n")?;
    Ok(dir)
}

fn check_written(cell: Cell, dir: &Path, writes: Option<(&str, &str)>) -> Cell {
    match (cell, writes) {
        (Cell::Pass, Some((file, contents))) => match std::fs::read_to_string(dir.join(file)) {
            Ok(c) if c == contents => Cell::Pass,
            Ok(c) => Cell::Fail(format!("{file} holds {c:?}")),
            Err(e) => Cell::Fail(format!("{file}: {e}")),
        },
        (cell, _) => cell,
    }
}

/// A free loopback port.
fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Starts `cmd` (a server on `port`), sends one GET, stops it; the whole
/// response as text.
fn serve_once(cmd: &mut Command, port: u16) -> Result<String> {
    let mut child = cmd.stdout(Stdio::null()).stderr(Stdio::piped()).spawn()?;
    let start = Instant::now();
    let result = loop {
        if let Some(status) = child.try_wait()? {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = e.read_to_string(&mut err);
            }
            // The first line that names an error says most (Node prints
            // its version last).
            let why = err
                .lines()
                .find(|l| l.contains("Error"))
                .unwrap_or_else(|| last_line(&err));
            break Err(format!("server exited ({status}): {why}").into());
        }
        if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
            s.set_read_timeout(Some(Duration::from_secs(30)))?;
            write!(
                s,
                "GET /compat HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
            )?;
            let mut raw = Vec::new();
            let read = s.read_to_end(&mut raw);
            break read.map(|_| text(&raw)).map_err(Into::into);
        }
        if start.elapsed() > LIMIT {
            break Err("the server did not start".into());
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let _ = child.kill();
    let _ = child.wait();
    result
}

fn judge_http(response: Result<String>, expect: &str) -> Cell {
    match response {
        Err(e) => Cell::Fail(e.to_string()),
        Ok(r) if !r.starts_with("HTTP/1.1 200") => {
            Cell::Fail(format!("{:?}", r.lines().next().unwrap_or("")))
        }
        Ok(r) if !r.contains(expect) => Cell::Fail(format!("expected {expect:?} in {r:?}")),
        Ok(_) => Cell::Pass,
    }
}

/// Whether example `name` is a WASI 0.3 component.
fn is_p3(name: &str) -> bool {
    name.ends_with("-p3")
}

/// What Wasmtime 36 says of a WASI 0.3 component: it has no component-model
/// async (the 0.3 ABI), so it cannot load one.
const NO_ASYNC_ABI: &str = "requires the component model async feature";

/// Wasmtime 36 on a WASI 0.3 component: not applicable when it refuses the
/// component for the reason above, a failure otherwise (including a pass,
/// which would mean this table is out of date).
fn wasmtime_0_2_6_on_p3(wasm: &Path) -> Result<Cell> {
    let cli = tools::wasmtime(tools::WASMTIME_0_2_6)?;
    let out = run(Command::new(&cli).arg("run").arg(wasm), b"", LIMIT)?;
    let err = text(&out.stderr);
    Ok(if !out.status.success() && err.contains(NO_ASYNC_ABI) {
        Cell::NotApplicable(
            "WASI 0.3: Wasmtime 36 has no component-model async and refuses to load it",
        )
    } else {
        Cell::Fail(format!("{}: {}", out.status, last_line(&err)))
    })
}

/// The Wasmtime CLI at `version` on one example.
fn wasmtime(version: &str, wasm: &Path, case: &Case, scratch: &Path) -> Result<Cell> {
    let cli = tools::wasmtime(version)?;
    Ok(match case {
        Case::Command(c) => {
            let dir = fixture(scratch, &format!("wasmtime-{version}"))?;
            let mut cmd = Command::new(&cli);
            cmd.arg("run");
            if c.dir {
                cmd.arg("--dir").arg(format!("{}::.", dir.display()));
            }
            cmd.arg(wasm).args(c.args);
            let cell = judge(run(&mut cmd, c.stdin.as_bytes(), LIMIT), c.expect);
            check_written(cell, &dir, c.writes)
        }
        Case::Http { expect } => {
            let port = free_port()?;
            let mut cmd = Command::new(&cli);
            cmd.arg("serve")
                .arg("--addr")
                .arg(format!("127.0.0.1:{port}"))
                .arg(wasm);
            judge_http(serve_once(&mut cmd, port), expect)
        }
        Case::Plugin => {
            let mut cmd = Command::new(&cli);
            cmd.args(["run", "--invoke", "transform(\"abc\")"])
                .arg(wasm);
            judge(run(&mut cmd, b"", LIMIT), "ok(\"ABC\")")
        }
    })
}

/// Runs every example in every column.
pub fn matrix() -> Result<Vec<Row>> {
    build::ensure_targets(&[P2])?;
    let scratch = std::env::temp_dir().join(format!("wasi-guest-compat-{}", std::process::id()));
    let mut rows = Vec::new();
    for example in build::examples()? {
        let case = case(&example.name).ok_or_else(|| {
            format!(
                "xtask/src/compat.rs has no case for example {}",
                example.name
            )
        })?;
        eprintln!("compat: {}", example.name);
        let (_, stripped) = build::build_sdk(&example.name)?;
        let scratch = scratch.join(&example.name);
        let current = wasmtime(tools::WASMTIME_CURRENT, &stripped, &case, &scratch)?;
        let (older, (jco_run, jco_rerun)) = if is_p3(&example.name) {
            (
                wasmtime_0_2_6_on_p3(&stripped)?,
                jco_p3(&stripped, &example.name, &case)?,
            )
        } else {
            (
                wasmtime(tools::WASMTIME_0_2_6, &stripped, &case, &scratch)?,
                jco(&stripped, &example.name, &case, &scratch)?,
            )
        };
        rows.push(Row {
            name: example.name.clone(),
            cells: vec![current, older, jco_run, jco_rerun],
        });
    }
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(rows)
}

/// The table as Markdown.
pub fn table(rows: &[Row]) -> String {
    let mut s = format!("| example | {} |\n|---|", COLUMNS.join(" | "));
    s.push_str(&"---|".repeat(COLUMNS.len()));
    s.push('\n');
    for row in rows {
        let cells: Vec<String> = row.cells.iter().map(Cell::markdown).collect();
        s.push_str(&format!("| {} | {} |\n", row.name, cells.join(" | ")));
    }
    s
}

/// The Node.js version, for the record.
pub fn node_version() -> String {
    node()
        .arg("--version")
        .output()
        .map(|o| text(&o.stdout).trim().to_string())
        .unwrap_or_else(|e| format!("unknown ({e})"))
}

/// Writes docs/compat.md.
pub fn write_doc(rows: &[Row]) -> Result<()> {
    let doc = format!(
        "# Compatibility\n\n\
Generated by `cargo xtask compat`; do not edit. `tests/host/compat.rs` runs the \
same matrix and fails on any failing cell.\n\n\
Every example's stripped component (what `cargo xtask build-examples` \
measures) under hosts other than this repository's own Wasmtime embedding. \
Node.js {node}. What each cell checks (`xtask/src/compat.rs`):\n\n\
- **Wasmtime CLI**: `wasmtime run` with the example's arguments and stdin \
(`--dir FIXTURE::.` for `grep` and `tee`), success and the expected output \
(and, for `tee`, the file it wrote); HTTP handlers: `wasmtime serve` and one \
GET; `plugin`: `wasmtime run --invoke 'transform(\"abc\")'`.\n\
- **jco `run` / `serve`**: the same through jco on Node.js with the \
preview2 shim (the fixture directory preopened as `.` through \
`--jco-import`, since the shim preopens nothing by default).\n\
- **jco transpile, 3 calls on one instance**: the component transpiled to an \
ES module, its `run` export called three times in one Node process: every \
call must return `ok` (`once`: the first `ok`, then the error result), none \
may trap. `plugin`: `transform` three times, then `calls` must say 4. jco's \
shim gives every call the same process-wide stdio, environment and \
directories, so this checks reuse, not per-call isolation \
(which `tests/` check in Wasmtime with a fresh `WasiCtx` per call).\n\n\
{table}\n\
**Host defect** means the host fails, recognised by its exact symptom: \
preview2-shim's `get-stdin` returns one cached stream object; a wasi-guest \
component drops its stdin handle at the end of every call (as it must: a \
host that gives each call a fresh context gives it a fresh stdin), the shim \
disposes the stream, and the next call's `get-stdin` returns the disposed \
stream, whose first read fails inside the shim (`TypeError: Cannot \
destructure property 'pollState'`). Components that never read stdin are \
unaffected; under Wasmtime every call gets its own stdin.\n",
        node = node_version(),
        table = table(rows)
    );
    std::fs::write(project_root().join("docs/compat.md"), doc)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_column_headings_name_the_installed_versions() {
        assert!(COLUMNS[0].contains(tools::WASMTIME_CURRENT));
        assert!(COLUMNS[1].contains(tools::WASMTIME_0_2_6));
        assert!(COLUMNS[2].contains(tools::JCO) && COLUMNS[3].contains(tools::JCO));
        assert!(jco::STDIN_DEFECT.contains(tools::PREVIEW2_SHIM));
    }

    #[test]
    fn every_example_has_a_case() {
        for example in build::examples().unwrap() {
            assert!(case(&example.name).is_some(), "{}", example.name);
        }
    }
}
