//! Rows of the "Active UNIX domain sockets" block.
//!
//! Unlike net-tools 2.10, which reads the path with a blank-delimited scan
//! and so cuts `/run/with space.sock` to `/run/with`, the path is printed
//! whole; bytes that are not printable are escaped.

use std::io::{self, Write};

use super::Selection;
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
    write!(
        out,
        "{:<5} {:<6} {:<11} {:<10} {:<13} {:<8} ",
        "unix",
        socket.refcount,
        flags_text(socket.flags),
        type_name(socket.kind.0),
        state_name(socket),
        socket.inode,
    )?;
    if let Some(program) = program {
        write!(out, "{program:<20} ")?;
    }
    if let Some(path) = &socket.path {
        out.write_all(escape(path).as_bytes())?;
    }
    out.write_all(b"\n")
}

/// `[ ACC W N ]`-style flags: accepting, waiting for data, no space.
fn flags_text(flags: u64) -> String {
    let mut text = String::from("[ ");
    for (bit, name) in [(1 << 16, "ACC "), (1 << 17, "W "), (1 << 18, "N ")] {
        if flags & bit != 0 {
            text.push_str(name);
        }
    }
    text.push(']');
    text
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
