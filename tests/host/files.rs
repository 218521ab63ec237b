//! Files, clocks and randomness: every run on one instance gets its own
//! directory (a different host directory preopened at the same guest path),
//! reads and lists only that one, writes only into it, and leaves the
//! resource table empty; error paths give the documented error and the next
//! run is fine.

use crate::support::{Call, Dir, Runner, dir_with, preopen};
use std::path::{Path, PathBuf};

/// Both greps list each directory sorted by name, whatever order the host's
/// file system gives, so they print the same lines in the same order: paths
/// in `Path` order (`a/b.txt` before `a.txt`, `B` before `a`), which is not
/// the byte order of the whole path strings.
#[test]
fn grep_and_grep_std_print_matches_in_the_same_path_order() {
    let names = [
        "a.txt",
        "a/b.txt",
        "a/a.txt",
        "B.txt",
        "b/z/y.txt",
        "b/z.txt",
        "é.txt",
        "e.txt",
        "a-b.txt",
    ];
    let files: Vec<(&str, &str)> = names.iter().map(|n| (*n, "needle\n")).collect();
    let dir = dir_with("order", &files);
    let want = "B.txt:1:needle\na/a.txt:1:needle\na/b.txt:1:needle\na-b.txt:1:needle\n\
                a.txt:1:needle\nb/z/y.txt:1:needle\nb/z.txt:1:needle\ne.txt:1:needle\n\
                é.txt:1:needle\n";
    let sdk = Runner::example("grep").call(&Call {
        dirs: preopen(&dir, true),
        ..Call::args(&["grep", "needle"])
    });
    assert!(sdk.ok(), "{sdk:?}");
    assert_eq!(sdk.stdout, want);
    let std = Runner::new(&crate::support::builds("grep").std_p2.unwrap()).call(&Call {
        dirs: preopen(&dir, true),
        ..Call::args(&["grep", "needle"])
    });
    assert!(std.ok(), "{std:?}");
    assert_eq!(std.stdout, want);
}

#[test]
fn every_grep_run_on_one_instance_searches_and_lists_only_its_own_directory() {
    let mut r = Runner::example("grep");
    let dirs: Vec<PathBuf> = (1..=4)
        .map(|k| {
            dir_with(
                &format!("grep{k}"),
                &[
                    (&format!("run{k}.txt"), &format!("needle of run {k}\nhay\n")),
                    (
                        &format!("sub/deep{k}.txt"),
                        &format!("hay\nneedle deep in run {k}\n"),
                    ),
                    ("common.txt", "no match here\n"),
                ],
            )
        })
        .collect();
    for (k, dir) in dirs.iter().enumerate() {
        let k = k + 1;
        let o = r.call(&Call {
            dirs: preopen(dir, true),
            ..Call::args(&["grep", "needle"])
        });
        assert!(o.ok(), "run {k}: {o:?}");
        assert_eq!(
            o.stdout,
            format!("run{k}.txt:1:needle of run {k}\nsub/deep{k}.txt:2:needle deep in run {k}\n"),
            "run {k}"
        );
        assert!(o.table_empty, "run {k} left a handle open");
    }
    // Nothing matched: the error result, nothing printed.
    let none = r.call(&Call {
        dirs: preopen(&dirs[0], true),
        ..Call::args(&["grep", "absent"])
    });
    assert_eq!(none.result, Ok(Err(())));
    assert_eq!((none.stdout.as_str(), none.stderr.as_str()), ("", ""));
}

#[test]
fn every_tee_run_writes_only_into_its_own_directory() {
    let mut r = Runner::example("tee");
    let dirs: Vec<PathBuf> = (1..=3).map(|k| dir_with(&format!("tee{k}"), &[])).collect();
    for (k, dir) in dirs.iter().enumerate() {
        let input = format!("written by run {}\n", k + 1);
        let o = r.call(&Call {
            stdin: input.clone().into_bytes(),
            dirs: preopen(dir, false),
            ..Call::args(&["tee", "out.txt"])
        });
        assert!(o.ok(), "{o:?}");
        assert_eq!(o.stdout, input);
        assert!(o.table_empty);
    }
    for (k, dir) in dirs.iter().enumerate() {
        assert_eq!(
            std::fs::read_to_string(dir.join("out.txt")).unwrap(),
            format!("written by run {}\n", k + 1),
            "directory of run {}",
            k + 1
        );
    }
    // Append mode adds to what is there.
    let o = r.call(&Call {
        stdin: b"appended\n".to_vec(),
        dirs: preopen(&dirs[0], false),
        ..Call::args(&["tee", "-a", "out.txt"])
    });
    assert!(o.ok(), "{o:?}");
    assert_eq!(
        std::fs::read_to_string(dirs[0].join("out.txt")).unwrap(),
        "written by run 1\nappended\n"
    );
}

#[test]
fn error_paths_give_the_wasi_error_and_the_next_run_is_fine() {
    let dir = dir_with("errors", &[("file.txt", "a needle\n")]);
    let mut grep = Runner::example("grep");
    let missing = grep.call(&Call {
        dirs: preopen(&dir, true),
        ..Call::args(&["grep", "needle", "missing.txt"])
    });
    assert_eq!(missing.result, Ok(Err(())));
    assert_eq!(
        missing.stderr,
        "grep: missing.txt: filesystem error: no-entry\n"
    );
    assert!(missing.table_empty);
    let not_dir = grep.call(&Call {
        dirs: preopen(&dir, true),
        ..Call::args(&["grep", "needle", "file.txt/inner"])
    });
    assert_eq!(not_dir.result, Ok(Err(())));
    assert_eq!(
        not_dir.stderr,
        "grep: file.txt/inner: filesystem error: not-directory\n"
    );
    let escape = grep.call(&Call {
        dirs: preopen(&dir, true),
        ..Call::args(&["grep", "needle", "../x"])
    });
    assert_eq!(escape.result, Ok(Err(())));
    assert_eq!(
        escape.stderr,
        "grep: ../x: filesystem error: not-permitted\n"
    );
    let ok = grep.call(&Call {
        dirs: preopen(&dir, true),
        ..Call::args(&["grep", "needle"])
    });
    assert!(ok.ok(), "{ok:?}");
    assert_eq!(ok.stdout, "file.txt:1:a needle\n");

    let mut tee = Runner::example("tee");
    let denied = tee.call(&Call {
        stdin: b"x\n".to_vec(),
        dirs: preopen(&dir, true),
        ..Call::args(&["tee", "new.txt"])
    });
    assert_eq!(denied.result, Ok(Err(())));
    assert_eq!(
        denied.stderr,
        "tee: new.txt: filesystem error: not-permitted\n"
    );
    assert!(!dir.join("new.txt").exists());
    assert!(denied.table_empty);
    let allowed = tee.call(&Call {
        stdin: b"x\n".to_vec(),
        dirs: preopen(&dir, false),
        ..Call::args(&["tee", "new.txt"])
    });
    assert!(allowed.ok(), "{allowed:?}");
    assert_eq!(std::fs::read_to_string(dir.join("new.txt")).unwrap(), "x\n");
}

#[test]
fn std_mode_sees_only_its_own_runs_preopened_directory_and_environment() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/programs/std-fs");
    let wasm = xtask::build::build_outside(&src, None).unwrap().1.unwrap();
    let mut r = Runner::new(&wasm);
    for k in 1..=4 {
        let dir = dir_with(
            &format!("stdfs{k}"),
            &[(&format!("only-run-{k}.txt"), &format!("secret {k}"))],
        );
        let mut env = vec![];
        if k != 3 {
            env.push(("SECRET".to_string(), format!("env-{k}")));
        }
        let o = r.call(&Call {
            env,
            dirs: preopen(&dir, true),
            ..Call::args(&["std-fs"])
        });
        assert!(o.ok(), "run {k}: {o:?}");
        let env_line = if k == 3 {
            "-".to_string()
        } else {
            format!("env-{k}")
        };
        assert_eq!(
            o.stdout,
            format!("env: {env_line}\nonly-run-{k}.txt: secret {k}\n"),
            "run {k}"
        );
        assert!(o.table_empty, "run {k} left a handle open");
    }
}

#[test]
fn stamp_prints_a_new_time_and_token_every_run_and_sleeps_as_asked() {
    let mut r = Runner::example("stamp");
    let mut seen = Vec::new();
    for k in 0..3 {
        let o = r.call(&Call::args(&["stamp"]));
        assert!(o.ok(), "{o:?}");
        let lines: Vec<&str> = o.stdout.lines().collect();
        assert_eq!(lines.len(), 3, "{}", o.stdout);
        let time: f64 = lines[0].strip_prefix("time: ").unwrap().parse().unwrap();
        let token = lines[1].strip_prefix("token: ").unwrap().to_string();
        assert_eq!(token.len(), 32);
        assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs_f64();
        assert!((now - time).abs() < 60.0, "run {k}: {time} vs {now}");
        assert!(!seen.contains(&token), "a token came back: {token}");
        seen.push(token);
    }
    let o = r.call(&Call::args(&["stamp", "--sleep-ms", "30"]));
    let took: u64 = o
        .stdout
        .lines()
        .nth(2)
        .and_then(|l| l.strip_prefix("took: "))
        .and_then(|l| l.strip_suffix(" ns"))
        .unwrap()
        .parse()
        .unwrap();
    assert!(took >= 30_000_000, "slept only {took} ns");
}

/// A file, a file in append mode, a subdirectory and a listing that the
/// program forgets (`mem::forget`) or leaks (`Box::leak`) are closed when
/// its run ends: the host's resource table is empty after every call, and
/// the next call on the instance works.
#[test]
fn handles_a_program_forgets_or_leaks_are_closed_when_its_run_ends() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/programs/forgets");
    let wasm = xtask::build::build_outside(&src, None).unwrap().1.unwrap();
    let mut r = Runner::new(&wasm);
    for k in 1..=3 {
        let dir = dir_with(
            &format!("forgets{k}"),
            &[("note.txt", &format!("note {k}")), ("sub/only.txt", "x")],
        );
        let o = r.call(&Call {
            dirs: preopen(&dir, false),
            ..Call::args(&["forgets"])
        });
        assert!(o.ok(), "run {k}: {o:?}");
        assert_eq!(
            o.stdout,
            format!("note: note {k}\nsub: only.txt\n"),
            "run {k}"
        );
        assert_eq!(
            std::fs::read_to_string(dir.join("log.txt")).unwrap(),
            "ran\n"
        );
        assert!(
            o.table_empty,
            "run {k} left a forgotten handle in the host's table"
        );
    }
}

/// `Context::locate` picks the preopen a path lies in the way std::fs does:
/// the longest whole-component prefix (`/data` over `/`, not for
/// `/database`), relative paths from `/`, a preopen named `.` or `data` as
/// `/` or `/data`.
#[test]
fn locate_resolves_paths_by_the_longest_matching_preopen() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/programs/locate");
    let wasm = xtask::build::build_outside(&src, None).unwrap().1.unwrap();
    let root = dir_with(
        "locate-root",
        &[("a.txt", "root a"), ("database", "root database")],
    );
    let data = dir_with(
        "locate-data",
        &[("a.txt", "data a"), ("sub/b.txt", "data b")],
    );
    let cache = dir_with("locate-cache", &[("c.txt", "cache c")]);
    let mount = |host: &Path, guest: &str| Dir {
        host: host.to_path_buf(),
        guest: guest.into(),
        read_only: true,
    };
    let o = Runner::new(&wasm).call(&Call {
        dirs: vec![
            mount(&root, "."),
            mount(&data, "/data"),
            mount(&cache, "cache"),
        ],
        ..Call::args(&[
            "locate",
            "/a.txt",
            "a.txt",
            "/data/a.txt",
            "/data/sub/b.txt",
            "data/a.txt",
            "/database",
            "/cache/c.txt",
            "./cache/c.txt",
        ])
    });
    assert!(o.ok(), "{o:?}");
    assert_eq!(
        o.stdout,
        "/a.txt: a.txt: root a\n\
         a.txt: a.txt: root a\n\
         /data/a.txt: a.txt: data a\n\
         /data/sub/b.txt: sub/b.txt: data b\n\
         data/a.txt: a.txt: data a\n\
         /database: database: root database\n\
         /cache/c.txt: c.txt: cache c\n\
         ./cache/c.txt: c.txt: cache c\n"
    );
}

/// A `TryProgram` (`export!(try T)`) uses `?` in `run`: success prints and
/// returns `ok`; an error is written as `error: ...` to that run's stderr
/// and gives the error result, and the next run on the instance works.
#[test]
fn a_try_program_reports_its_error_on_stderr_and_fails_only_that_run() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/programs/try-run");
    let wasm = xtask::build::build_outside(&src, None).unwrap().1.unwrap();
    let dir = dir_with("try-run", &[("note.txt", "a note")]);
    let mut r = Runner::new(&wasm);
    for (arg, ok, stdout, stderr) in [
        ("/note.txt", true, "a note\n", ""),
        (
            "/missing.txt",
            false,
            "",
            "error: filesystem error: no-entry\n",
        ),
        ("/note.txt", true, "a note\n", ""),
    ] {
        let o = r.call(&Call {
            dirs: preopen(&dir, true),
            ..Call::args(&["show", arg])
        });
        assert_eq!(o.ok(), ok, "{arg}: {o:?}");
        assert_eq!(o.result, if ok { Ok(Ok(())) } else { Ok(Err(())) }, "{arg}");
        assert_eq!(
            (o.stdout.as_str(), o.stderr.as_str()),
            (stdout, stderr),
            "{arg}"
        );
        assert!(o.table_empty);
    }
    let bytes = std::fs::read(&wasm).unwrap();
    assert_eq!(
        wasi_guest::Policy::of_component(&bytes),
        Some(wasi_guest::Policy::Rerunnable)
    );
}
