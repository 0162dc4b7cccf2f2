//! Allocation-free building blocks for the hot row writers: short texts
//! built on the stack, numbers written without `fmt`, and blank padding.
//! A listing of 100,000 sockets formats 200,000 addresses; these keep
//! that to copies into the output buffer.

use std::fmt;
use std::io::{self, Write};

/// Blanks to pad from.
const BLANKS: [u8; 64] = [b' '; 64];

/// A short text (at most 64 bytes) built on the stack; longer input is
/// cut, which no numeric address or port reaches.
#[derive(Clone, Copy)]
pub struct Field {
    bytes: [u8; 64],
    len: usize,
}

impl Field {
    /// An empty field.
    pub fn new() -> Field {
        Field { bytes: [0; 64], len: 0 }
    }

    /// The text so far.
    pub fn as_str(&self) -> &str {
        // Only whole `str`s and ASCII digits are ever pushed, and a cut
        // ends on a character boundary.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }

    /// Appends text, cutting at a character boundary when full.
    pub fn push_str(&mut self, text: &str) {
        let mut take = text.len().min(self.bytes.len() - self.len);
        while !text.is_char_boundary(take) {
            take -= 1;
        }
        self.bytes[self.len..self.len + take]
            .copy_from_slice(&text.as_bytes()[..take]);
        self.len += take;
    }

    /// Appends a number in decimal.
    pub fn push_u64(&mut self, value: u64) {
        let mut digits = [0u8; 20];
        let text = decimal(value, &mut digits);
        // Digits are ASCII.
        self.push_str(std::str::from_utf8(text).unwrap_or_default());
    }
}

impl Default for Field {
    fn default() -> Self {
        Field::new()
    }
}

impl fmt::Write for Field {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        self.push_str(text);
        Ok(())
    }
}

/// Writes `value` in decimal into the end of `digits`, returning them.
pub fn decimal(mut value: u64, digits: &mut [u8; 20]) -> &[u8] {
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            return &digits[start..];
        }
    }
}

/// Writes `count` blanks.
pub fn pad(out: &mut impl Write, mut count: usize) -> io::Result<()> {
    while count > 0 {
        let chunk = count.min(BLANKS.len());
        out.write_all(&BLANKS[..chunk])?;
        count -= chunk;
    }
    Ok(())
}

/// Writes `text` left-justified in at least `width` columns (`%-*s`).
pub fn left(out: &mut impl Write, text: &[u8], width: usize) -> io::Result<()> {
    out.write_all(text)?;
    pad(out, width.saturating_sub(text.len()))
}

/// Writes `value` right-justified in at least `width` columns (`%*lu`).
pub fn right_u64(
    out: &mut impl Write,
    value: u64,
    width: usize,
) -> io::Result<()> {
    let mut digits = [0u8; 20];
    let text = decimal(value, &mut digits);
    pad(out, width.saturating_sub(text.len()))?;
    out.write_all(text)
}

/// Writes `value` left-justified in at least `width` columns (`%-*lu`).
pub fn left_u64(
    out: &mut impl Write,
    value: u64,
    width: usize,
) -> io::Result<()> {
    let mut digits = [0u8; 20];
    left(out, decimal(value, &mut digits), width)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_pad_like_printf() {
        let mut out = Vec::new();
        right_u64(&mut out, 1234, 6).unwrap();
        right_u64(&mut out, 3863438, 6).unwrap();
        left_u64(&mut out, 0, 3).unwrap();
        left_u64(&mut out, u64::MAX, 3).unwrap();
        assert_eq!(out, b"  123438634380  18446744073709551615");
    }

    #[test]
    fn fields_cut_on_character_boundaries() {
        let mut field = Field::new();
        field.push_str(&"x".repeat(63));
        field.push_str("é");
        assert_eq!(field.as_str().len(), 63);
        field.push_u64(7);
        assert_eq!(field.as_str().len(), 64);
    }

    #[test]
    fn long_padding_is_written_in_chunks() {
        let mut out = Vec::new();
        left(&mut out, b"a", 150).unwrap();
        assert_eq!(out.len(), 150);
    }
}
