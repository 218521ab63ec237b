//! What happens to bad input and failures, on a real component.

use crate::support::{Call, Runner};

#[test]
fn a_panic_flushes_stdout_writes_the_message_to_stderr_and_traps() {
    let mut r = Runner::example("faults");
    let fine = r.call(&Call::args(&["faults"]));
    assert!(fine.ok(), "{fine:?}");
    let o = r.call(&Call::args(&["faults", "panic"]));
    let trap = o.result.expect_err("a panic ends in a trap");
    assert!(trap.contains("unreachable"), "{trap}");
    assert_eq!(
        o.stdout, "printed before the panic\n",
        "buffered output is not lost"
    );
    assert!(
        o.stderr
            .starts_with("wasi-guest: panicked at examples/faults/src/lib.rs:"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.ends_with(":\nasked to panic\n"), "{}", o.stderr);
    // Wasmtime refuses to enter a trapped instance again; it must not hang.
    assert!(r.call(&Call::args(&["faults"])).result.is_err());
}

#[test]
fn an_allocation_failure_is_reported_on_stderr() {
    let mut r = Runner::example("faults");
    let o = r.call(&Call::args(&["faults", "oom"]));
    let trap = o.result.expect_err("allocation failure ends in a trap");
    assert!(trap.contains("unreachable"), "{trap}");
    assert!(
        o.stdout.starts_with("round 1: 536870912 bytes\n"),
        "{}",
        o.stdout
    );
    assert!(
        o.stderr
            .contains("memory allocation of 536870912 bytes failed"),
        "{}",
        o.stderr
    );
}

#[test]
fn output_larger_than_the_buffer_and_the_write_limit_arrives_in_order() {
    let mut r = Runner::example("faults");
    for _ in 0..2 {
        let o = r.call(&Call::args(&["faults", "big-output"]));
        assert!(o.ok(), "{:?}", o.result);
        let expected: String = (0..100 * 1024 / 16)
            .map(|i| format!("line {i:>9}.\n"))
            .collect();
        assert_eq!(o.stdout.len(), 100 * 1024);
        assert!(o.stdout == expected);
    }
}

#[test]
fn a_panic_inside_a_println_keeps_earlier_output_reports_on_stderr_and_traps() {
    let mut r = Runner::example("faults");
    let o = r.call(&Call::args(&["faults", "panic-in-print"]));
    let trap = o.result.expect_err("a panic ends in a trap");
    assert!(trap.contains("unreachable"), "{trap}");
    // The line being formatted was never written (it was still in the stack
    // buffer); everything printed before it was.
    assert_eq!(o.stdout, "a whole line first\n");
    assert!(
        o.stderr
            .starts_with("wasi-guest: panicked at examples/faults/src/lib.rs:")
            && o.stderr.ends_with(":\npanicked while printing\n"),
        "{}",
        o.stderr
    );
}

#[test]
fn stdout_and_stderr_both_closed_give_the_error_result_and_the_next_run_is_clean() {
    let mut r = Runner::example("wc");
    let closed = r.call(&Call {
        closed_stdout: true,
        closed_stderr: true,
        ..Call::args(&["wc", "-x"])
    });
    assert_eq!(closed.result, Ok(Err(())), "{closed:?}");
    assert!(closed.table_empty);
    let closed_ok = r.call(&Call {
        closed_stdout: true,
        closed_stderr: true,
        stdin: b"a b\n".to_vec(),
        ..Call::args(&["wc", "-w"])
    });
    assert_eq!(
        closed_ok.result,
        Ok(Err(())),
        "output lost: the error result"
    );
    let next = r.call(&Call {
        stdin: b"one two three\n".to_vec(),
        ..Call::args(&["wc", "-w"])
    });
    assert!(next.ok(), "{next:?}");
    // The `-x` call stopped before reading, so this is the second input.
    assert_eq!(next.stdout, "       3 - (input 2)\n");
}

#[test]
fn empty_stdin_is_end_of_input_not_an_error() {
    for name in ["wc", "wc-arena"] {
        let mut r = Runner::example(name);
        let o = r.call(&Call::args(&["wc"]));
        assert!(o.ok(), "{name}: {o:?}");
        assert_eq!(o.stdout, "       0       0       0       0 - (input 1)\n");
    }
}

#[test]
fn stdin_larger_than_memory_can_hold_is_an_error_result_and_the_instance_lives_on() {
    for name in ["wc", "wc-arena"] {
        let mut r = Runner::example(name);
        r.limit_memory(4 << 20);
        let big = r.call(&Call {
            stdin: vec![b'x'; 16 << 20],
            ..Call::args(&["wc", "-c"])
        });
        assert_eq!(big.result, Ok(Err(())), "{name}: {big:?}");
        assert_eq!(big.stderr, "wc: cannot read stdin\n", "{name}");
        assert!(r.memory_peak() <= 4 << 20);
        let small = r.call(&Call {
            stdin: b"fits\n".to_vec(),
            ..Call::args(&["wc", "-c"])
        });
        assert!(small.ok(), "{name}: {small:?}");
        assert_eq!(small.stdout, "       5 - (input 1)\n", "{name}");
    }
}

#[test]
fn a_hundred_thousand_arguments_and_a_one_mebibyte_environment_value_arrive_whole() {
    let mut args = vec!["echo".to_string()];
    args.extend((0..100_000).map(|i| format!("a{i}")));
    let value: String = (0..(1 << 20))
        .map(|i| (b'a' + (i % 26) as u8) as char)
        .collect();
    let mut r = Runner::example("echo");
    for _ in 0..2 {
        let o = r.call(&Call {
            args: args.clone(),
            env: vec![("BIG".into(), value.clone())],
            ..Call::default()
        });
        assert!(o.ok(), "{:?}", o.result);
        let want = format!("args: {}\nenv: BIG={value}\n", args[1..].join(" "));
        assert_eq!(o.stdout.len(), want.len());
        assert!(o.stdout == want);
        assert!(o.table_empty);
    }
    let small = r.call(&Call::args(&["echo", "small"]));
    assert_eq!(small.stdout, "args: small\n");
}

/// A `RunLocal` destructor that makes its own value again would keep the
/// teardown going forever; it gives up with a message and a trap instead.
/// The same program without that use runs as often as it is called.
#[test]
fn a_run_local_destructor_that_recreates_itself_ends_in_a_trap_with_a_message_not_a_hang() {
    let wasm = crate::support::program("teardown-loop");
    let mut r = Runner::new(&wasm);
    for _ in 0..3 {
        let o = r.call(&Call::args(&["teardown-loop"]));
        assert!(o.ok(), "{o:?}");
        assert_eq!(o.stdout, "ran\n");
    }
    let o = r.call(&Call::args(&["teardown-loop", "loop"]));
    let trap = o.result.expect_err("an endless teardown ends in a trap");
    assert!(trap.contains("unreachable"), "{trap}");
    assert_eq!(o.stdout, "ran\n");
    assert!(
        o.stderr.contains(
            "wasi-guest: teardown did not end: a RunLocal destructor keeps creating RunLocal values"
        ),
        "{}",
        o.stderr
    );
}
