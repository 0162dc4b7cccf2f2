//! Escaping of untrusted bytes (program names, socket paths, looked-up
//! names) so that no name can forge a row or drive the terminal.
//!
//! net-tools 2.10 prints such bytes raw (CVE-2024-58251: a process could
//! put escape sequences into its `argv[0]`). Here printable ASCII and valid
//! UTF-8 pass unchanged, blanks included, so sane names stay
//! byte-identical with 2.10; every control character (C0 `0x00`-`0x1F`,
//! DEL `0x7F` and the C1 range U+0080-U+009F), every invisible format
//! character that can reorder or hide text (the bidi controls U+061C,
//! U+200E, U+200F, U+202A-U+202E and U+2066-U+2069, the zero-width
//! U+200B-U+200D, the separators U+2028 and U+2029, and U+FEFF) and every
//! byte that is not part of valid UTF-8 is written as `\xhh`, two
//! lower-case hex digits per byte of its UTF-8 form (so U+202E gives
//! `\xe2\x80\xae`, and one escape format covers every case).
//!
//! A literal backslash is *not* doubled, so that names such as
//! `C:\tmp` print as they are. The price is an ambiguity: the four
//! characters `\x1b` in a name look the same as an escaped ESC byte. The
//! output is for eyes; tools that need exact bytes should use the JSON
//! output.

use std::borrow::Cow;

/// Returns `bytes` as text with every control character and every byte of
/// invalid UTF-8 escaped as `\xhh` (see the module documentation).
///
/// Borrows the input when nothing needs escaping.
pub fn escape(bytes: &[u8]) -> Cow<'_, str> {
    escape_cut(bytes, usize::MAX)
}

/// Like [`escape`], but keeps at most `max_len` bytes of the result, as
/// net-tools' `printf("%.*s")` and fixed buffers cut by bytes. The cut
/// falls between whole units: it never splits a UTF-8 character or a
/// `\xhh` escape, so the result may be up to three bytes shorter than
/// `max_len`. For ASCII, and for UTF-8 whose byte cut falls on a
/// character boundary, this is net-tools' text.
pub fn escape_cut(bytes: &[u8], max_len: usize) -> Cow<'_, str> {
    match clean_prefix(bytes, max_len) {
        Some(clean) => Cow::Borrowed(clean),
        None => Cow::Owned(escape_slow(bytes, max_len)),
    }
}

/// True for the characters that are escaped even in valid UTF-8: the
/// Unicode `Cc` category (C0 controls, DEL, C1 controls) and the
/// invisible format characters that reorder or hide text.
fn needs_escape(ch: char) -> bool {
    ch.is_control() || is_invisible_format(ch)
}

/// Bidi controls, zero-width characters, line and paragraph separators
/// and the byte order mark.
fn is_invisible_format(ch: char) -> bool {
    matches!(
        ch,
        '\u{061c}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{feff}'
    )
}

/// The text to show, borrowed, when the part of `bytes` that fits in
/// `max_len` bytes is valid UTF-8 with nothing to escape.
fn clean_prefix(bytes: &[u8], max_len: usize) -> Option<&str> {
    let Some(chunk) = bytes.utf8_chunks().next() else {
        return Some("");
    };
    let text = chunk.valid();

    // Stop at the cut or at the first character that needs escaping.
    for (at, ch) in text.char_indices() {
        if at + ch.len_utf8() > max_len {
            return Some(&text[..at]);
        }
        if needs_escape(ch) {
            return None;
        }
    }

    // The whole valid part fits: clean only if no invalid byte follows.
    (text.len() == bytes.len()).then_some(text)
}

/// Builds the escaped text unit by unit until the input or the room ends.
fn escape_slow(bytes: &[u8], max_len: usize) -> String {
    let mut out = Escaped { text: String::new(), room: max_len };
    out.text.reserve(bytes.len().min(max_len).saturating_add(16));
    for chunk in bytes.utf8_chunks() {
        for ch in chunk.valid().chars() {
            if !out.push_char(ch) {
                return out.text;
            }
        }
        for &byte in chunk.invalid() {
            if !out.push_escape(byte) {
                return out.text;
            }
        }
    }
    out.text
}

/// Escaped text under construction, with the bytes still allowed.
struct Escaped {
    text: String,
    room: usize,
}

impl Escaped {
    /// Appends one character, escaped if needed; false if it did not fit.
    fn push_char(&mut self, ch: char) -> bool {
        if !needs_escape(ch) {
            return self.push_plain(ch);
        }
        let mut utf8 = [0; 4];
        ch.encode_utf8(&mut utf8).bytes().all(|byte| self.push_escape(byte))
    }

    /// Appends a character as it is; false if it did not fit.
    fn push_plain(&mut self, ch: char) -> bool {
        if self.room < ch.len_utf8() {
            return false;
        }
        self.text.push(ch);
        self.room -= ch.len_utf8();
        true
    }

    /// Appends `\xhh` for one byte; false if the four bytes did not fit.
    fn push_escape(&mut self, byte: u8) -> bool {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        if self.room < 4 {
            return false;
        }
        self.text.push_str("\\x");
        self.text.push(char::from(HEX[usize::from(byte >> 4)]));
        self.text.push(char::from(HEX[usize::from(byte & 0x0f)]));
        self.room -= 4;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stays_borrowed(bytes: &[u8], max_chars: usize) -> bool {
        matches!(escape_cut(bytes, max_chars), Cow::Borrowed(_))
    }

    #[test]
    fn printable_text_is_borrowed_unchanged() {
        for sane in ["python3", "nginx: master process", "C:\\tmp", ""] {
            let text = escape(sane.as_bytes());
            assert_eq!(text, sane);
            assert!(stays_borrowed(sane.as_bytes(), 99), "{sane:?}");
        }
    }

    #[test]
    fn multibyte_utf8_is_kept() {
        let name = "héllo wörld ünïcode €𝄞";
        let text = escape(name.as_bytes());
        assert_eq!(text, name);
        assert!(stays_borrowed(name.as_bytes(), usize::MAX));
    }

    #[test]
    fn control_bytes_are_escaped() {
        assert_eq!(escape(b"x\x1b[1m\ty"), "x\\x1b[1m\\x09y");
        assert_eq!(escape(b"a\nb"), "a\\x0ab");
        assert_eq!(escape(b"\0@abstract"), "\\x00@abstract");
        assert_eq!(escape(b"del\x7f"), "del\\x7f");
    }

    #[test]
    fn c1_controls_are_escaped_per_byte() {
        // U+0085 NEXT LINE and U+009B CSI, both as UTF-8.
        assert_eq!(
            escape("a\u{85}b\u{9b}".as_bytes()),
            "a\\xc2\\x85b\\xc2\\x9b"
        );
        // U+00A0 (no-break space) is not a control character.
        assert_eq!(escape("a\u{a0}b".as_bytes()), "a\u{a0}b");
    }

    #[test]
    fn invalid_utf8_is_escaped() {
        assert_eq!(escape(b"ab\xffcd"), "ab\\xffcd");
        assert_eq!(escape(b"\xc3"), "\\xc3");
        assert_eq!(escape(b"\xe2\x82"), "\\xe2\\x82");
        assert_eq!(escape(b"ok\xc3\xa9\xc3"), "ok\u{e9}\\xc3");
    }

    #[test]
    fn invisible_format_characters_are_escaped_per_byte() {
        assert_eq!(escape("a\u{202e}b".as_bytes()), "a\\xe2\\x80\\xaeb");
        assert_eq!(escape("\u{feff}x".as_bytes()), "\\xef\\xbb\\xbfx");
        assert_eq!(escape("\u{61c}".as_bytes()), "\\xd8\\x9c");
        for ch in [
            '\u{200b}', '\u{200f}', '\u{2028}', '\u{2029}', '\u{202a}',
            '\u{2066}', '\u{2069}',
        ] {
            let text = ch.to_string();
            assert!(escape(text.as_bytes()).starts_with("\\xe2\\x8"), "{ch:?}");
        }
        // Neighbours that are visible stay as they are.
        for sane in ["\u{2010}", "\u{2030}", "\u{2065}", "\u{206a}", "\u{fefe}"]
        {
            assert_eq!(escape(sane.as_bytes()), sane);
        }
    }

    #[test]
    fn cut_counts_bytes_and_keeps_units_whole() {
        assert_eq!(escape_cut(b"abcdef", 4), "abcd");
        assert!(stays_borrowed(b"abcd\x1b", 4));
        assert!(!stays_borrowed(b"abcd\x1b", 5));
        assert_eq!(escape_cut("ééééé".as_bytes(), 6), "ééé");
        assert_eq!(escape_cut("ééééé".as_bytes(), 7), "ééé");
        assert_eq!(escape_cut("aé\x1b".as_bytes(), 6), "aé");
        assert_eq!(escape_cut("aé\x1bé".as_bytes(), 8), "aé\\x1b");
        assert_eq!(escape_cut(b"ab\x1bcd", 5), "ab");
        assert_eq!(escape_cut(b"ab\x1bcd", 6), "ab\\x1b");
        assert_eq!(escape_cut(b"ab\x1bcd", 7), "ab\\x1bc");
        assert_eq!(escape_cut(b"abc\xff", 3), "abc");
        assert_eq!(escape_cut(b"abc\xff", 0), "");
    }
}
