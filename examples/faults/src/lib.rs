//! Does something bad, chosen by the first argument, so the docs' promises
//! about failures can be checked on a real component:
//! `panic` panics after printing, `panic-in-print` panics in the middle of
//! a `println!` (inside a `Display` impl), `oom` allocates until memory runs
//! out, `big-output` prints 100 KiB, `spin` loops until the host stops it
//! (fuel, epoch deadline), anything else prints `fine`.
#![no_std]
#![deny(unsafe_code)]
extern crate alloc;
use alloc::vec::Vec;
use wasi_guest::{Context, ExitCode, PerInstance, Program, println};

struct Faults;

/// A value whose `Display` writes half of itself, then panics.
struct Bomb;

impl core::fmt::Display for Bomb {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("half of a line")?;
        panic!("panicked while printing");
    }
}

impl PerInstance for Faults {
    fn init(_: &mut Context) -> Self {
        Faults
    }
}

impl Program for Faults {
    fn run(&mut self, cx: &mut Context) -> ExitCode {
        match cx.args().get(1) {
            Some("panic") => {
                println!("printed before the panic");
                panic!("asked to panic");
            }
            Some("panic-in-print") => {
                println!("a whole line first");
                println!("then {}", Bomb);
            }
            Some("oom") => {
                // 32-bit linear memory holds at most 4 GiB: this fails by the
                // eighth round.
                for round in 1.. {
                    // `black_box`: an allocation nobody looks at may be
                    // optimised away, and then nothing ever fails.
                    let v: Vec<u8> = core::hint::black_box(Vec::with_capacity(512 << 20));
                    println!("round {round}: {} bytes", v.capacity());
                    core::mem::forget(v);
                }
            }
            Some("big-output") => {
                for i in 0..100 * 1024 / 16 {
                    println!("line {i:>9}.");
                }
            }
            Some("spin") => {
                println!("spinning");
                let mut n = 0u64;
                loop {
                    // `black_box`: a loop without effects may be removed.
                    n = core::hint::black_box(n.wrapping_add(1));
                }
            }
            _ => println!("fine"),
        }
        ExitCode::SUCCESS
    }
}

wasi_guest::export!(Faults);
