//! Option parsing and counting, shared by `wc` and its std twin `wc-std` so
//! that both read options and count exactly the same way.

/// What `wc` counts; words are runs of bytes that are not ASCII whitespace.
#[derive(Default)]
pub struct Counts {
    pub lines: usize,
    pub words: usize,
    pub bytes: usize,
    pub longest: usize,
}

pub fn count(input: &[u8]) -> Counts {
    let mut c = Counts {
        bytes: input.len(),
        ..Counts::default()
    };
    let (mut line, mut in_word) = (0, false);
    for &b in input {
        if b == b'\n' {
            c.lines += 1;
            c.longest = c.longest.max(line);
            line = 0;
        } else {
            line += 1;
        }
        let space = b.is_ascii_whitespace();
        if !space && !in_word {
            c.words += 1;
        }
        in_word = !space;
    }
    c.longest = c.longest.max(line);
    c
}

/// The column bit an option selects: bit i is column i of the output (lines,
/// words, bytes, longest line; printed in that fixed order, like wc).
pub fn column(option: &[u8]) -> Option<u8> {
    match option {
        [b'-', b'l'] => Some(1),
        [b'-', b'w'] => Some(2),
        [b'-', b'c'] => Some(4),
        [b'-', b'L'] => Some(8),
        _ => None,
    }
}
