//! `counter` as a plain std command: every process is a single run, so the
//! per-instance count is always 1.
use std::cell::Cell;

thread_local! {
    static NOTES: Cell<u32> = const { Cell::new(0) };
}

fn note(what: &str) {
    let n = NOTES.with(|n| {
        n.set(n.get() + 1);
        n.get()
    });
    println!("note {n}: {what}");
}

fn main() {
    let runs = 1;
    note("started");
    note("counted");
    println!("instance runs: {runs}");
}
