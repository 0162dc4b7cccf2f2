//! Rows of the "Active UNIX domain sockets" block.
//!
//! Unlike net-tools 2.10, which reads the path with a blank-delimited scan
//! and so cuts `/run/with space.sock` to `/run/with`, the path is printed
//! whole; bytes that are not printable are escaped.

use std::io::{self, Write};

use super::Selection;
use super::field;
use crate::model::UnixSocket;
use crate::render::escape::escape;

/// Writes the block title.
pub fn unix_title(
    out: &mut impl Write,
    selection: Selection,
) -> io::Result<()> {
    writeln!(out, "Active UNIX domain sockets {}", selection.title())
}

/// Writes the column header, with the program column for `-p`.
pub fn unix_header(out: &mut impl Write, programs: bool) -> io::Result<()> {
    out.write_all(
        b"Proto RefCnt Flags       Type       State         I-Node   ",
    )?;
    if programs {
        out.write_all(b"PID/Program name     ")?;
    }
    out.write_all(b"Path\n")
}

/// Writes one row; `program` is the `-p` text when that column is on.
pub fn unix_row(
    out: &mut impl Write,
    socket: &UnixSocket,
    program: Option<&str>,
) -> io::Result<()> {
    // `unix  %-6lu %-11s %-10s %-13s %-8lu `, without formatting machinery.
    out.write_all(b"unix  ")?;
    field::left_u64(out, socket.refcount, 6)?;
    out.write_all(b" ")?;
    field::left(out, flags_text(socket.flags), 11)?;
    out.write_all(b" ")?;
    field::left(out, type_name(socket.kind.0).as_bytes(), 10)?;
    out.write_all(b" ")?;
    field::left(out, state_name(socket).as_bytes(), 13)?;
    out.write_all(b" ")?;
    field::left_u64(out, socket.inode, 8)?;
    out.write_all(b" ")?;

    // The program, then the whole path, escaped.
    if let Some(program) = program {
        field::left(out, program.as_bytes(), 20)?;
        out.write_all(b" ")?;
    }
    if let Some(path) = &socket.path {
        out.write_all(escape(path).as_bytes())?;
    }
    out.write_all(b"\n")
}

/// `[ ACC W N ]`-style flags: accepting, waiting for data, no space.
fn flags_text(flags: u64) -> &'static [u8] {
    const ACC: u64 = 1 << 16;
    const WAIT: u64 = 1 << 17;
    const NOSPACE: u64 = 1 << 18;
    match (flags & ACC != 0, flags & WAIT != 0, flags & NOSPACE != 0) {
        (false, false, false) => b"[ ]",
        (true, false, false) => b"[ ACC ]",
        (false, true, false) => b"[ W ]",
        (false, false, true) => b"[ N ]",
        (true, true, false) => b"[ ACC W ]",
        (true, false, true) => b"[ ACC N ]",
        (false, true, true) => b"[ W N ]",
        (true, true, true) => b"[ ACC W N ]",
    }
}

/// The socket type's name.
fn type_name(kind: u16) -> &'static str {
    match kind {
        1 => "STREAM",
        2 => "DGRAM",
        3 => "RAW",
        4 => "RDM",
        5 => "SEQPACKET",
        _ => "UNKNOWN",
    }
}

/// The state's name; an unconnected socket is `LISTENING` if it accepts
/// connections and blank otherwise.
fn state_name(socket: &UnixSocket) -> &'static str {
    match socket.state.0 {
        0 => "FREE",
        1 if socket.accepts() => "LISTENING",
        1 => "",
        2 => "CONNECTING",
        3 => "CONNECTED",
        4 => "DISCONNECTING",
        _ => "UNKNOWN",
    }
}
