//! The `PID/Program name` column of `-p`.
//!
//! net-tools 2.10 writes `PID/name` into a 20-byte buffer, so the text is
//! cut to 19 bytes, then padded to 20 columns by the row format; `-` marks
//! a socket without a known owner (TIME_WAIT, kernel sockets, processes
//! that could not be read). Here the name is escaped first and cut at the
//! largest whole unit within 19 bytes, never splitting a UTF-8 character
//! or an escape; the row pads by bytes, as 2.10 does. For ASCII names,
//! and UTF-8 names whose 19-byte cut falls between characters, that is
//! the same text as 2.10's.

use crate::process::Owner;
use crate::render::escape::escape_cut;

/// The most bytes of `PID/name` that the column shows.
pub const PROGRAM_WIDTH: usize = 19;

/// The column text for a socket's owner: `PID/name` cut to
/// [`PROGRAM_WIDTH`] bytes, or `-` when the owner is unknown.
/// Padding is the row's business.
pub fn program_column(owner: Option<&Owner>) -> String {
    let Some(owner) = owner else {
        return String::from("-");
    };
    let mut text = format!("{}/", owner.pid);
    let room = PROGRAM_WIDTH.saturating_sub(text.len());
    text.push_str(&escape_cut(&owner.name, room));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owner(pid: u32, name: &[u8]) -> Owner {
        Owner { pid, name: name.to_vec() }
    }

    #[test]
    fn unknown_owner_is_a_dash() {
        assert_eq!(program_column(None), "-");
    }

    #[test]
    fn short_names_are_whole() {
        assert_eq!(
            program_column(Some(&owner(5826, b"python3"))),
            "5826/python3"
        );
        assert_eq!(program_column(Some(&owner(3444, b""))), "3444/");
    }

    #[test]
    fn long_names_are_cut_at_19() {
        let long = owner(13524, b"averyveryverylongprogramname");
        assert_eq!(program_column(Some(&long)), "13524/averyveryvery");
        let titled = owner(13526, b"nginx: master process /usr/sbin/nginx");
        assert_eq!(program_column(Some(&titled)), "13526/nginx: master");
    }

    #[test]
    fn names_are_escaped_before_the_cut() {
        let hostile = owner(13684, b"x\x1b[1m\ty");
        assert_eq!(program_column(Some(&hostile)), "13684/x\\x1b[1m\\x09y");
        let cut_before_escape = owner(1, b"abcdefghijklmn\x1bzz");
        assert_eq!(
            program_column(Some(&cut_before_escape)),
            "1/abcdefghijklmn"
        );
        let unicode = owner(3448, "héllo wörld ünïcode".as_bytes());
        assert_eq!(program_column(Some(&unicode)), "3448/héllo wörld ");
    }

    #[test]
    fn cut_is_by_bytes_on_character_boundaries() {
        // 2.10 keeps 19 bytes: "1234/" and 14 bytes, 7 characters.
        let accents = owner(1234, "ééééééééééééééé".as_bytes());
        let text = program_column(Some(&accents));
        assert_eq!(text, "1234/ééééééé");
        assert_eq!(text.len(), 19);
        // A cut that would split a character stops before it.
        let odd = owner(12345, "ééééééééééééééé".as_bytes());
        assert_eq!(program_column(Some(&odd)), "12345/éééééé");
        // Never inside an escape.
        let escaped = owner(1, b"abcdefghijklmn\xffzz");
        assert_eq!(program_column(Some(&escaped)), "1/abcdefghijklmn");
    }
}
