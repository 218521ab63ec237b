//! [`ExitCode`]: how a run ends, mapped onto `wasi:cli/run`'s `result`.

/// The outcome of one run.
///
/// `wasi:cli/run` returns `result` with no payload, so only success and
/// failure reach the host: [`ExitCode::SUCCESS`] becomes `ok`, anything else
/// becomes `err` (Wasmtime's CLI reports exit status 1). The numeric code is
/// kept for the program's own use and for a future `run` that carries one.
///
/// Do not call `wasi:cli/exit` to end a run: it ends the whole *instance*
/// (the host sees a trap-like exit and can never call `run` again), which
/// defeats [`Policy::Rerunnable`](crate::Policy::Rerunnable). Return an
/// `ExitCode` from [`Program::run`](crate::Program::run) instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ExitCode(u8);

impl ExitCode {
    /// The run succeeded (`ok`).
    pub const SUCCESS: ExitCode = ExitCode(0);
    /// The run failed (`err`).
    pub const FAILURE: ExitCode = ExitCode(1);

    /// An exit code with a specific value; every non-zero value is a failure.
    pub const fn new(code: u8) -> ExitCode {
        ExitCode(code)
    }

    /// The numeric value.
    pub const fn code(self) -> u8 {
        self.0
    }

    /// Whether this is [`ExitCode::SUCCESS`].
    pub const fn is_success(self) -> bool {
        self.0 == 0
    }
}

impl From<bool> for ExitCode {
    /// `true` is success.
    fn from(ok: bool) -> Self {
        if ok {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        }
    }
}

impl<E> From<Result<(), E>> for ExitCode {
    fn from(r: Result<(), E>) -> Self {
        r.is_ok().into()
    }
}

#[cfg(test)]
mod tests {
    use super::ExitCode;

    #[test]
    fn only_zero_is_success() {
        assert!(ExitCode::SUCCESS.is_success());
        assert!(!ExitCode::FAILURE.is_success());
        assert!(!ExitCode::new(42).is_success());
        assert_eq!(ExitCode::from(Err::<(), _>("x")), ExitCode::FAILURE);
        assert_eq!(ExitCode::from(Ok::<(), ()>(())), ExitCode::SUCCESS);
    }
}
