//! What happens to bad input and failures, on a real component.

mod common;
use common::{Call, Runner};

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
