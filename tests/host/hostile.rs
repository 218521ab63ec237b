//! A host that breaks the WASI 0.2 stream contract: stdin that returns more
//! bytes than a read asked for, reads that return nothing forever, an error
//! in the middle of the input, a stream closed from the start. Each gets the
//! outcome README's fault table documents, and the instance lives on (the
//! next, well-behaved call works). `cat` reads through std's `io::Read`,
//! `tee` through `Stdin::read` with an 8 KiB buffer, `wc` through
//! `read_to_end`. And `wasi:random` that returns fewer bytes than asked,
//! more, or none (`stamp` prints a 16-byte token as hex).

use crate::support::{Call, Dir, Runner};
use cargo_wasi_guest::host::StdinFault;
use std::path::PathBuf;

/// 100 KiB of numbered lines: enough for many reads of every buffer size.
fn input() -> Vec<u8> {
    (0..7000)
        .flat_map(|i| format!("line {i:05} of the input\n").into_bytes())
        .take(100 * 1024)
        .collect()
}

fn scratch(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wasi-guest-hostile-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn tee_call(dir: &std::path::Path, stdin: Vec<u8>, fault: Option<StdinFault>) -> Call {
    Call {
        stdin,
        stdin_fault: fault,
        dirs: vec![Dir {
            host: dir.to_path_buf(),
            guest: "/".into(),
            read_only: false,
        }],
        ..Call::args(&["tee", "copy.txt"])
    }
}

/// After a fault, the same instance serves a well-behaved call as if
/// nothing had happened: `tee` (into a file of `dir`) and `cat` copy the
/// new input, `wc` counts it.
fn lives_on(r: &mut Runner, name: &str, dir: &std::path::Path) {
    let call = match name {
        "tee" => tee_call(dir, b"after\n".to_vec(), None),
        "wc" => Call {
            stdin: b"after\n".to_vec(),
            ..Call::args(&["wc", "-l", "-w"])
        },
        _ => Call {
            stdin: b"after\n".to_vec(),
            ..Call::args(&[name])
        },
    };
    let o = r.call(&call);
    assert!(o.ok(), "{name} after the fault: {o:?}");
    if name == "wc" {
        // Lines and words of `after\n`, then wc's run counter.
        assert!(
            o.stdout.starts_with("       1       1 - (input "),
            "{}",
            o.stdout
        );
    } else {
        assert_eq!(o.stdout, "after\n", "{name} after the fault");
    }
}

#[test]
fn bytes_a_host_sends_beyond_a_read_are_kept_for_the_next_read_not_lost() {
    let data = input();
    for extra in [1, 100, 9000, 200_000] {
        let fault = Some(StdinFault::OverDelivers(extra));
        let dir = scratch(&format!("over{extra}"));
        let mut tee = Runner::example("tee");
        let o = tee.call(&tee_call(&dir, data.clone(), fault));
        assert!(o.ok(), "tee, {extra} extra: {o:?}");
        assert!(o.stdout.as_bytes() == data, "tee's stdout, {extra} extra");
        assert!(
            std::fs::read(dir.join("copy.txt")).unwrap() == data,
            "tee's file, {extra} extra"
        );
        assert!(o.table_empty);

        let mut cat = Runner::example("cat");
        let o = cat.call(&Call {
            stdin: data.clone(),
            stdin_fault: fault,
            ..Call::args(&["cat"])
        });
        assert!(o.ok(), "cat, {extra} extra: {o:?}");
        assert!(o.stdout.as_bytes() == data, "cat's stdout, {extra} extra");
        lives_on(&mut cat, "cat", &dir);

        let plain = Runner::example("wc").call(&Call {
            stdin: data.clone(),
            ..Call::args(&["wc"])
        });
        let mut wc = Runner::example("wc");
        let o = wc.call(&Call {
            stdin: data.clone(),
            stdin_fault: fault,
            ..Call::args(&["wc"])
        });
        assert!(o.ok(), "wc, {extra} extra: {o:?}");
        assert_eq!(o.stdout, plain.stdout, "wc, {extra} extra");
        lives_on(&mut wc, "wc", &dir);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn reads_that_return_nothing_forever_end_the_input_instead_of_hanging() {
    let fault = Some(StdinFault::EmptyForever);
    let dir = scratch("empty");
    let mut tee = Runner::example("tee");
    let o = tee.call(&tee_call(&dir, input(), fault));
    assert!(o.ok(), "{o:?}");
    assert_eq!(o.stdout, "");
    assert_eq!(std::fs::read(dir.join("copy.txt")).unwrap(), b"");
    lives_on(&mut tee, "tee", &dir);
    let mut wc = Runner::example("wc");
    let o = wc.call(&Call {
        stdin: input(),
        stdin_fault: fault,
        ..Call::args(&["wc"])
    });
    assert!(o.ok(), "{o:?}");
    assert!(
        o.stdout.starts_with("       0       0       0"),
        "{}",
        o.stdout
    );
    lives_on(&mut wc, "wc", &dir);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_error_in_the_middle_of_stdin_is_reported_and_what_came_before_is_kept() {
    let data = input();
    let cut = 20_000;
    let fault = Some(StdinFault::FailsAfter(cut));
    let dir = scratch("fails");
    let mut tee = Runner::example("tee");
    let o = tee.call(&tee_call(&dir, data.clone(), fault));
    assert_eq!(o.result, Ok(Err(())), "{o:?}");
    assert_eq!(o.stderr, "tee: stdin: stream operation failed\n");
    assert!(
        o.stdout.as_bytes() == &data[..cut],
        "tee's stdout is the input up to the error"
    );
    assert!(std::fs::read(dir.join("copy.txt")).unwrap() == data[..cut]);
    assert!(o.table_empty);
    lives_on(&mut tee, "tee", &dir);
    let mut wc = Runner::example("wc");
    let o = wc.call(&Call {
        stdin: data,
        stdin_fault: fault,
        ..Call::args(&["wc"])
    });
    assert_eq!(o.result, Ok(Err(())), "{o:?}");
    assert_eq!(o.stderr, "wc: cannot read stdin\n");
    lives_on(&mut wc, "wc", &dir);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_stdin_closed_from_the_start_is_an_empty_input() {
    let dir = scratch("closed");
    let mut tee = Runner::example("tee");
    let o = tee.call(&tee_call(&dir, Vec::new(), None));
    assert!(o.ok(), "{o:?}");
    assert_eq!(o.stdout, "");
    assert_eq!(std::fs::read(dir.join("copy.txt")).unwrap(), b"");
    lives_on(&mut tee, "tee", &dir);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `stamp`'s token line from a run with `reply` as the host's
/// `get-random-bytes`.
fn stamp_with_random(reply: fn(u64) -> Vec<u8>) -> crate::support::Outcome {
    let mut r = Runner::with_random(&crate::support::sdk("stamp"), reply);
    r.call(&Call::args(&["stamp"]))
}

fn token(o: &crate::support::Outcome) -> &str {
    o.stdout
        .lines()
        .find_map(|l| l.strip_prefix("token: "))
        .unwrap_or_else(|| panic!("no token line: {o:?}"))
}

#[test]
fn random_bytes_asks_again_when_the_host_returns_fewer_and_ignores_extra_bytes() {
    // One byte per call, 0x01, 0x02, ...: the token is filled from 16 calls.
    let short = stamp_with_random(|_| {
        static N: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);
        vec![N.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1]
    });
    assert!(short.ok(), "{short:?}");
    assert_eq!(token(&short), "0102030405060708090a0b0c0d0e0f10");
    // Twice as many as asked: the first `len` are used.
    let long = stamp_with_random(|len| (0..2 * len).map(|i| i as u8).collect());
    assert!(long.ok(), "{long:?}");
    assert_eq!(token(&long), "000102030405060708090a0b0c0d0e0f");
}

#[test]
fn a_host_that_returns_no_random_bytes_ends_the_instance_with_a_message() {
    let o = stamp_with_random(|_| Vec::new());
    let trap = o
        .result
        .clone()
        .expect_err("no random bytes end the instance");
    assert!(trap.contains("unreachable"), "{trap}");
    assert_eq!(o.stderr, "wasi-guest: wasi:random returned no bytes\n");
}
