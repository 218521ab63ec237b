//! A word counter: reads all of stdin into memory and prints lines, words,
//! bytes and the longest line's length like `wc`. Arguments pick the columns
//! (`-l`, `-w`, `-c`, `-L`; printed in that order; default all four),
//! `WC_LABEL` names the input. Re-runnable: the per-instance state counts the
//! inputs seen so far.
//!
//! Written the way docs/size.md recommends for small components: text is
//! written with `write_all` and numbers with `Decimal`, so no `core::fmt`
//! formatting code is linked (formatting a `&str` with `{}` alone links
//! `Formatter::pad`, about 1 KB).
#![no_std]
#![deny(unsafe_code)]
extern crate alloc;
use alloc::vec::Vec;
use wasi_guest::{Context, Decimal, ExitCode, PerInstance, Program, eprint, stderr, stdout};

struct Wc {
    inputs: usize,
}

mod count;
use count::{column, count};

impl PerInstance for Wc {
    fn init(_: &mut Context) -> Self {
        Wc { inputs: 0 }
    }
}

impl Program for Wc {
    fn run(&mut self, cx: &mut Context) -> ExitCode {
        let mut wanted = 0u8;
        for arg in cx.args().iter().skip(1) {
            match column(arg.as_bytes()) {
                Some(bit) => wanted |= bit,
                None => {
                    eprint!("wc: unknown option ");
                    let _ = stderr().write_all(arg.as_bytes());
                    eprintln_end();
                    return ExitCode::FAILURE;
                }
            }
        }
        if wanted == 0 {
            wanted = 0b1111;
        }
        let mut input = Vec::new();
        if cx.stdin().read_to_end(&mut input).is_err() {
            eprint!("wc: cannot read stdin");
            eprintln_end();
            return ExitCode::FAILURE;
        }
        let counts = count(&input);
        self.inputs += 1;
        let mut out = stdout();
        let values = [counts.lines, counts.words, counts.bytes, counts.longest];
        for (i, n) in values.into_iter().enumerate() {
            if wanted & (1 << i) == 0 {
                continue;
            }
            let _ = out.write_all(Decimal::new(n as u64).padded(8));
        }
        let _ = out.write_all(b" ");
        let _ = out.write_all(cx.var("WC_LABEL").unwrap_or("-").as_bytes());
        let _ = out.write_all(b" (input ");
        let _ = out.write_all(Decimal::new(self.inputs as u64).as_str().as_bytes());
        let _ = out.write_all(b")\n");
        ExitCode::SUCCESS
    }
}

// SAFETY: (for `wc-arena`, built from this source with the per-run arena)
// the only per-instance state is `inputs`, a number: nothing a run allocates
// is reachable after it.
#[allow(unsafe_code)]
unsafe impl wasi_guest::ArenaSafe for Wc {}

fn eprintln_end() {
    let _ = stderr().write_all(b"\n");
}

wasi_guest::export!(Wc);
