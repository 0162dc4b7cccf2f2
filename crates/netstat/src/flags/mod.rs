//! The command line: a getopt_long-compatible parser over net-tools'
//! options and our extensions, and the rules that turn what was typed into
//! [`Settings`].
//!
//! TODO: helper A implements this module (see the API below).

use std::ffi::OsString;

use crate::settings::Settings;

/// What the command line asks for: run with settings, or stop at once
/// with fixed output (help, version, usage errors, unknown families).
#[derive(Debug, PartialEq, Eq)]
pub enum Parsed {
    /// Run the selected mode.
    Run(Settings),
    /// Print `stdout` and `stderr` and exit with `code`.
    Exit(Exit),
}

/// A finished run decided by the command line alone.
#[derive(Debug, PartialEq, Eq)]
pub struct Exit {
    /// Text for standard output.
    pub stdout: String,
    /// Text for standard error.
    pub stderr: String,
    /// Exit status.
    pub code: u8,
}

/// Parses the arguments after the program name.
pub fn parse(_args: &[OsString]) -> Parsed {
    Parsed::Run(Settings::default())
}
