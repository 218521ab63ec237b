//! Doubles the number its first argument gives, with `?` for the parse.
#![no_std]
#![deny(unsafe_code)]
use wasi_guest::{Context, PerInstance, TryProgram, println};

struct Double;

impl PerInstance for Double {
    fn init(_: &mut Context) -> Self {
        Double
    }
}

impl TryProgram for Double {
    type Error = core::num::ParseIntError;

    async fn run(&mut self, cx: &mut Context) -> Result<(), Self::Error> {
        let n: u32 = cx.args().get(1).unwrap_or("").parse()?;
        println!("{}", n * 2);
        Ok(())
    }
}

wasi_guest::export!(try Double);
