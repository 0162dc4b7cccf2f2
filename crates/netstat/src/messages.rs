//! Diagnostics on standard error, in net-tools' words where scripts or
//! eyes depend on them. Standard output is flushed first so that a
//! terminal shows messages where net-tools shows them.

use std::io::{self, Write};

/// Prints `netstat: no support for `WHAT' on this system.`.
pub fn no_support(out: &mut impl Write, what: &str) {
    let _ = out.flush();
    eprintln!("netstat: no support for `{what}' on this system.");
}

/// net-tools' words for a family Debian builds it without (Bluetooth);
/// scripts may match them.
pub const NO_BLUETOOTH: &str = "netstat: feature `AF BLUETOOTH' not \
supported.\nPlease recompile `net-tools' with newer kernel source or full \
configuration.\n";

/// Prints `PATH: REASON` as C's `perror` would.
pub fn read_failure(
    out: &mut impl Write,
    path: &std::path::Path,
    error: &io::Error,
) {
    let _ = out.flush();
    eprintln!("{}: {}", path.display(), strerror(error));
}

/// The C library's text for an I/O error, without Rust's "(os error N)".
pub fn strerror(error: &io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error") {
        Some(cut) => text[..cut].to_string(),
        None => text,
    }
}

/// Prints a free-form note.
pub fn note(out: &mut impl Write, text: &str) {
    let _ = out.flush();
    eprint!("{text}");
}
