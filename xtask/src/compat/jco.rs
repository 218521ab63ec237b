//! The jco columns: `jco run` / `jco serve` on Node.js, and a transpiled
//! instance whose `run` is called three times (awaited, on the JSPI Node,
//! for WASI 0.3 components).

use super::*;

/// `node` with the environment cleared (jco passes the whole environment
/// to the component).
pub(super) fn node() -> Command {
    let mut cmd = Command::new("node");
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("NODE_NO_WARNINGS", "1");
    cmd
}

/// The directory jco's transpiled components and scripts live in, inside
/// jco's install so that Node finds the preview2 shim from there; made on
/// first use with a `package.json` (ES modules) and [`PREOPEN`].
fn compat_root(jco: &Path) -> Result<PathBuf> {
    let root = jco
        .ancestors()
        .nth(5)
        .ok_or("unexpected jco install layout")?
        .join("compat");
    std::fs::create_dir_all(&root)?;
    std::fs::write(root.join("package.json"), "{\"type\":\"module\"}\n")?;
    std::fs::write(root.join("preopen.mjs"), PREOPEN)?;
    Ok(root)
}

/// Loaded before the component (`jco run --jco-import`, or first by the
/// scripts below): the shim preopens nothing by default, so this preopens
/// `$COMPAT_DIR` as `.`, as `wasmtime run --dir DIR::.` does.
const PREOPEN: &str = r#"import { _addPreopen } from '@bytecodealliance/preview2-shim/filesystem';
if (process.env.COMPAT_DIR) _addPreopen('.', process.env.COMPAT_DIR);
"#;

/// jco transpiles `wasm` into `ROOT/NAME/` (`root` from [`compat_root`]);
/// the module's path.
fn transpile(
    jco: &Path,
    root: &Path,
    wasm: &Path,
    name: &str,
) -> Result<std::result::Result<PathBuf, String>> {
    let dir = root.join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let mut cmd = node();
    cmd.arg(jco)
        .arg("transpile")
        .arg(wasm)
        .arg("--name")
        .arg("component")
        .arg("-o")
        .arg(&dir)
        .arg("-q");
    let out = run(&mut cmd, b"", LIMIT)?;
    if !out.status.success() {
        return Ok(Err(format!("transpile: {}", last_line(&text(&out.stderr)))));
    }
    Ok(Ok(dir.join("component.js")))
}

/// The script that calls a transpiled command's `run` three times.
const RERUN: &str = r#"
await import('./preopen.mjs');
const m = await import(process.argv[1]);
for (let i = 1; i <= 3; i++) {
  try {
    m.run.run();
    console.error(`compat: call ${i}: ok`);
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) {
      console.error(`compat: call ${i}: trap: ${e.message}`);
      process.exit(3);
    }
    console.error(`compat: call ${i}: error`);
  }
}
"#;

/// The script that calls the plugin's `transform` three times, then `calls`.
const PLUGIN: &str = r#"
const m = await import(process.argv[1]);
const api = m.api;
for (let i = 0; i < 3; i++) console.log(api.transform("abc"));
console.log(`calls=${api.calls()}`);
"#;

/// The preview2 shim's stdin defect, as it shows in Node's output: `get-stdin`
/// returns one cached stream object, which the guest's drop of its handle at
/// the end of a call disposes; the next call's `get-stdin` returns the
/// disposed stream and its first read fails inside the shim.
pub(super) const STDIN_DEFECT: &str =
    "preview2-shim 0.26.1: `get-stdin` hands the 2nd call the stream the 1st call dropped";

/// Judges three calls of `run` on one transpiled instance.
fn judge_rerun(o: &Output, c: &Cmd) -> Cell {
    let log = text(&o.stderr);
    let later = if c.rerun_ok { "ok" } else { "error" };
    let want = [
        "compat: call 1: ok".to_string(),
        format!("compat: call 2: {later}"),
        format!("compat: call 3: {later}"),
    ];
    let got: Vec<&str> = log.lines().filter(|l| l.starts_with("compat:")).collect();
    if o.status.success() && got == want {
        if text(&o.stdout).contains(c.expect) {
            Cell::Pass
        } else {
            Cell::Fail(format!("expected {:?} in {:?}", c.expect, text(&o.stdout)))
        }
    } else if got == want[..1]
        && log.contains("Cannot destructure property 'pollState'")
        && log.contains("InputStream.blockingRead")
    {
        Cell::HostDefect(STDIN_DEFECT)
    } else {
        Cell::Fail(format!("{}: {}", o.status, got.join("; ")))
    }
}

/// The script that awaits a transpiled WASI 0.3 command's `run` three
/// times (the module from `$COMPAT_MODULE`, so that `process.argv` holds
/// only the program's arguments after the script).
const RERUN_P3: &str = r#"
const m = await import(process.env.COMPAT_MODULE);
for (let i = 1; i <= 3; i++) {
  try {
    await m.run.run();
    console.error(`compat: call ${i}: ok`);
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) {
      console.error(`compat: call ${i}: trap: ${e.message}`);
      process.exit(3);
    }
    console.error(`compat: call ${i}: error`);
  }
}
"#;

/// jco 1.35.0's `run` and `serve` on a WASI 0.3 component, as they show in
/// Node's output: they transpile into a fresh directory under the system's
/// temporary directory and import the preview3 shim from there, where Node
/// cannot resolve it (the shim is installed beside jco).
const P3_RUN_DEFECT: &str = "jco 1.35.0 `run`/`serve`: the WASI 0.3 bindings, written to a temporary directory, cannot import the preview3 shim";

/// Judges `jco run` / `jco serve` on a WASI 0.3 component: the defect above
/// by its symptom, or whatever the plain judgement says.
fn judge_p3_run(out: Result<Output>, expect: &str) -> Cell {
    match out {
        Ok(o)
            if !o.status.success()
                && text(&o.stderr)
                    .contains("Cannot find package '@bytecodealliance/preview3-shim'") =>
        {
            Cell::HostDefect(P3_RUN_DEFECT)
        }
        out => judge(out, expect),
    }
}

/// jco on a WASI 0.3 example, on the JSPI Node: (`run`/`serve`, transpile
/// + 3 awaited calls).
pub(super) fn jco_p3(wasm: &Path, name: &str, case: &Case) -> Result<(Cell, Cell)> {
    let jco = tools::jco()?;
    let node_bin = tools::node_jspi()?;
    let root = compat_root(&jco)?;
    // The JSPI Node, with the environment cleared as for `node()`.
    let jspi = || {
        let mut c = Command::new(&node_bin);
        c.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("NODE_NO_WARNINGS", "1");
        c
    };
    Ok(match case {
        Case::Command(c) => {
            let mut cmd = jspi();
            cmd.arg(&jco).arg("run").arg(wasm).args(c.args);
            let once = judge_p3_run(run(&mut cmd, c.stdin.as_bytes(), LIMIT), c.expect);
            let script = root.join("rerun-p3.mjs");
            std::fs::write(&script, RERUN_P3)?;
            let mut transpile_cmd = jspi();
            let dir = root.join(name);
            let _ = std::fs::remove_dir_all(&dir);
            transpile_cmd
                .arg(&jco)
                .arg("transpile")
                .arg(wasm)
                .args(["--name", "component", "-q", "-o"])
                .arg(&dir);
            let out = run(&mut transpile_cmd, b"", LIMIT)?;
            let rerun = if !out.status.success() {
                Cell::Fail(format!("transpile: {}", last_line(&text(&out.stderr))))
            } else {
                let mut cmd = jspi();
                cmd.current_dir(&root)
                    .env("COMPAT_MODULE", dir.join("component.js"))
                    .arg(&script)
                    .args(c.args);
                match run(&mut cmd, c.stdin.as_bytes(), LIMIT) {
                    Err(e) => Cell::Fail(e.to_string()),
                    Ok(o) => judge_rerun(&o, c),
                }
            };
            (once, rerun)
        }
        Case::Http { expect } => {
            let port = free_port()?;
            let mut cmd = jspi();
            cmd.arg(&jco)
                .arg("serve")
                .args(["--host", "127.0.0.1", "--port"])
                .arg(port.to_string())
                .arg(wasm);
            let served = match serve_once(&mut cmd, port) {
                Err(e)
                    if e.to_string()
                        .contains("Cannot find package '@bytecodealliance/preview3-shim'") =>
                {
                    Cell::HostDefect(P3_RUN_DEFECT)
                }
                r => judge_http(r, expect),
            };
            (
                served,
                Cell::NotApplicable("HTTP: reuse under `wasmtime serve` is tests/host/serve.rs"),
            )
        }
        Case::Plugin => return Err("no WASI 0.3 plugin example".into()),
    })
}

/// jco on one example: (`run`/`serve`, transpile + 3 calls).
pub(super) fn jco(wasm: &Path, name: &str, case: &Case, scratch: &Path) -> Result<(Cell, Cell)> {
    let jco = tools::jco()?;
    let root = compat_root(&jco)?;
    Ok(match case {
        Case::Command(c) => {
            let dir = fixture(scratch, "jco-run")?;
            let mut cmd = node();
            if c.dir {
                cmd.env("COMPAT_DIR", &dir);
            }
            cmd.arg(&jco)
                .arg("run")
                .arg("--jco-import")
                .arg(root.join("preopen.mjs"))
                .arg(wasm)
                .args(c.args);
            let once = judge(run(&mut cmd, c.stdin.as_bytes(), LIMIT), c.expect);
            let once = check_written(once, &dir, c.writes);
            let rerun = match transpile(&jco, &root, wasm, name)? {
                Err(why) => Cell::Fail(why),
                Ok(module) => {
                    let dir = fixture(scratch, "jco-transpile")?;
                    let mut cmd = node();
                    if c.dir {
                        cmd.env("COMPAT_DIR", &dir);
                    }
                    cmd.current_dir(&root)
                        .args(["--input-type=module", "-e", RERUN])
                        .arg(&module)
                        .args(c.args);
                    match run(&mut cmd, c.stdin.as_bytes(), LIMIT) {
                        Err(e) => Cell::Fail(e.to_string()),
                        Ok(o) => judge_rerun(&o, c),
                    }
                }
            };
            (once, rerun)
        }
        Case::Http { expect } => {
            let port = free_port()?;
            let mut cmd = node();
            cmd.arg(&jco)
                .arg("serve")
                .args(["--host", "127.0.0.1", "--port"])
                .arg(port.to_string())
                .arg(wasm);
            (
                judge_http(serve_once(&mut cmd, port), expect),
                Cell::NotApplicable("HTTP: reuse under `wasmtime serve` is tests/host/serve.rs"),
            )
        }
        Case::Plugin => {
            let cell = match transpile(&jco, &root, wasm, name)? {
                Err(why) => Cell::Fail(why),
                Ok(module) => {
                    let mut cmd = node();
                    cmd.args(["--input-type=module", "-e", PLUGIN]).arg(&module);
                    judge(run(&mut cmd, b"", LIMIT), "ABC\nABC\nABC\ncalls=4\n")
                }
            };
            (
                Cell::NotApplicable("no `wasi:cli/run`; see the transpile column"),
                cell,
            )
        }
    })
}
