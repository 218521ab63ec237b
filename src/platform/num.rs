//! [`Decimal`]: integers as text without `core::fmt`.

use core::fmt;

/// An unsigned integer rendered in decimal, without `core::fmt`.
///
/// `print!("{n}")` links `core::fmt`'s driver and padding code (about 1.3 KB,
/// see docs/size.md); a program that prints a few numbers can write them with
/// this instead. It also implements `Display`, so it mixes with `print!`.
///
/// ```
/// use wasi_guest::Decimal;
///
/// let d = Decimal::new(1234);
/// assert_eq!(d.as_str(), "1234");
/// assert_eq!(d.padded(7), b"   1234");
/// assert_eq!(Decimal::new(0).as_str(), "0");
/// assert_eq!(Decimal::new(u64::MAX).as_str(), "18446744073709551615");
/// ```
#[derive(Clone, Copy)]
pub struct Decimal {
    buf: [u8; Decimal::MAX_WIDTH],
    start: usize,
}

impl Decimal {
    /// The widest result [`Decimal::padded`] can give (20 digits fit `u64`).
    pub const MAX_WIDTH: usize = 24;

    /// Renders `n`.
    pub fn new(mut n: u64) -> Self {
        let mut buf = [b' '; Self::MAX_WIDTH];
        let mut start = buf.len();
        for slot in buf.iter_mut().rev() {
            start -= 1;
            *slot = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        Self { buf, start }
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        let digits = self.buf.get(self.start..).unwrap_or(&[]);
        // SAFETY: `new` wrote only ASCII digits from `start` on (checking
        // would link the whole UTF-8 validator for nothing).
        unsafe { core::str::from_utf8_unchecked(digits) }
    }

    /// The digits right-aligned in `width` columns with spaces (at most
    /// [`Decimal::MAX_WIDTH`]; never truncated).
    pub fn padded(&self, width: usize) -> &[u8] {
        let from = self.start.min(Self::MAX_WIDTH.saturating_sub(width));
        self.buf.get(from..).unwrap_or(&[])
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad_integral(true, "", self.as_str())
    }
}
