//! Parsers for the statistics files under `ROOT/net`: `snmp` and
//! `netstat` (pairs of a header line `Sect: Name1 Name2 ...` and a value
//! line `Sect: v1 v2 ...`), `snmp6` (one `Name value` a line, the section
//! being the name up to its first `6`) and `sctp/snmp` (one `Name value`
//! a line, all in section `Sctp`).
//!
//! Kernel text is untrusted input: nothing here panics. Where a file is
//! malformed the parsers read it the way net-tools 2.10 does, because
//! that decides what `netstat -s` prints for a damaged support bundle:
//!
//! * pair files: an empty header line is skipped; a header or value line
//!   without a colon ends the file (net-tools says "Problem while parsing"
//!   for `-s`); the section name is the header's text before its colon;
//!   names are split at blanks and tabs; each name takes the next number
//!   of the value line as C's `strtoull` reads it, or 0 once the numbers
//!   run out or stop parsing, and numbers beyond the names are ignored;
//! * `snmp6`: a new section starts when a name does not contain the
//!   current section's name; a line without a name and a number is
//!   skipped (net-tools would repeat the previous line's number there);
//! * `sctp/snmp`: the name is the text before the first blank or tab (a
//!   line with neither is skipped), the value the number after it, or 0.
//!
//! Everything is cut at a NUL byte, as C strings are.

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::model::{Counter, StatsSection};

/// One of the four statistics files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatsFile {
    /// `net/snmp`: Ip, Icmp, IcmpMsg, Tcp, Udp, UdpLite.
    Snmp,
    /// `net/netstat`: TcpExt, IpExt, MPTcpExt.
    Netstat,
    /// `net/snmp6`: Ip6, Icmp6, Udp6, UdpLite6.
    Snmp6,
    /// `net/sctp/snmp`: Sctp (only with the SCTP module loaded).
    Sctp,
}

impl StatsFile {
    /// The file's path below the root, e.g. `net/sctp/snmp`.
    pub fn relative_path(self) -> &'static str {
        match self {
            StatsFile::Snmp => "net/snmp",
            StatsFile::Netstat => "net/netstat",
            StatsFile::Snmp6 => "net/snmp6",
            StatsFile::Sctp => "net/sctp/snmp",
        }
    }
}

/// What one statistics file gave.
#[derive(Debug, Default)]
pub struct Reading {
    /// The sections read, in file order.
    pub sections: Vec<StatsSection>,
    /// For `snmp` and `netstat`: the 1-based number of the line without a
    /// colon at which parsing stopped, if it did. (A header line is
    /// checked before its value line.)
    pub stopped_at: Option<usize>,
    /// Lines skipped as malformed (`snmp6` and `sctp/snmp`).
    pub skipped: usize,
    /// Reading failed part way (e.g. the path is a directory); `sections`
    /// hold what was read before.
    pub read_error: Option<io::Error>,
}

/// A statistics file could not be opened.
#[derive(Debug)]
pub struct OpenError {
    /// The path tried.
    pub path: PathBuf,
    /// Why it failed.
    pub error: io::Error,
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot open {}: {}", self.path.display(), self.error)
    }
}

impl std::error::Error for OpenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// The statistics files under a root directory (normally `/proc`).
#[derive(Clone, Debug)]
pub struct StatsSource {
    root: PathBuf,
}

impl StatsSource {
    /// A source reading `ROOT/net/...`.
    pub fn new(root: impl Into<PathBuf>) -> StatsSource {
        StatsSource { root: root.into() }
    }

    /// The path of a file, e.g. `ROOT/net/snmp`.
    pub fn path(&self, file: StatsFile) -> PathBuf {
        self.root.join(file.relative_path())
    }

    /// Opens and parses one file. A failure to open is an error; a
    /// failure while reading is reported in the [`Reading`] alongside
    /// what was read before it.
    pub fn read(&self, file: StatsFile) -> Result<Reading, OpenError> {
        let path = self.path(file);
        let (text, read_error) = read_all(&path)?;
        let mut reading = match file {
            StatsFile::Snmp | StatsFile::Netstat => parse_pairs(&text),
            StatsFile::Snmp6 => parse_snmp6(&text),
            StatsFile::Sctp => parse_sctp(&text),
        };
        reading.read_error = read_error;
        Ok(reading)
    }
}

/// Reads a whole file (at most [`super::proc_net::MAX_FILE_BYTES`]),
/// keeping what came before a read error.
fn read_all(path: &Path) -> Result<(Vec<u8>, Option<io::Error>), OpenError> {
    let file = File::open(path)
        .map_err(|error| OpenError { path: path.to_path_buf(), error })?;
    let mut file = file.take(super::proc_net::MAX_FILE_BYTES);
    let mut text = Vec::new();
    let read_error = file.read_to_end(&mut text).err();
    Ok((text, read_error))
}

/// Parses `snmp` or `netstat`: header and value lines in pairs.
pub fn parse_pairs(text: &[u8]) -> Reading {
    let mut reading = Reading::default();
    let mut lines = c_lines(text).enumerate();
    while let Some((index, header)) = lines.next() {
        // An empty line where a header belongs is passed over.
        if header.is_empty() {
            continue;
        }

        // A header without its value line ends the file quietly.
        let Some((_, values)) = lines.next() else { break };

        // Both lines need a colon; without one, parsing stops here.
        let Some(colon) = find(header, b':') else {
            reading.stopped_at = Some(index + 1);
            break;
        };
        let Some(value_colon) = find(values, b':') else {
            reading.stopped_at = Some(index + 2);
            break;
        };

        // Each name takes the next number, or 0.
        let mut section = StatsSection::new(lossy(&header[..colon]));
        let mut numbers = &values[value_colon + 1..];
        let names = header[colon + 1..]
            .split(|&b| matches!(b, b' ' | b'\t' | b'\n'))
            .filter(|name| !name.is_empty());
        for name in names {
            let value = match c_number(numbers) {
                Some((value, rest)) => {
                    numbers = rest;
                    value
                }
                None => 0,
            };
            section.counters.push(Counter::new(lossy(name), value));
        }
        reading.sections.push(section);
    }
    reading
}

/// Parses `snmp6`: `Name value` lines, sections by name prefix.
pub fn parse_snmp6(text: &[u8]) -> Reading {
    let mut reading = Reading::default();
    for line in c_lines(text) {
        // A name and a number, or the line is skipped.
        let Some((name, value)) = name_and_number(line) else {
            reading.skipped += 1;
            continue;
        };

        // A name that does not contain the current section's name starts
        // a new section, named up to and including the name's first `6`.
        let starts_section = match reading.sections.last() {
            Some(section) => !contains(name, section.name.as_bytes()),
            None => true,
        };
        if starts_section {
            let end = find(name, b'6').map_or(name.len(), |six| six + 1);
            reading.sections.push(StatsSection::new(lossy(&name[..end])));
        }
        if let Some(section) = reading.sections.last_mut() {
            section.counters.push(Counter::new(lossy(name), value));
        }
    }
    reading
}

/// Parses `sctp/snmp`: one section `Sctp`, even for an empty file.
pub fn parse_sctp(text: &[u8]) -> Reading {
    let mut reading = Reading::default();
    let mut section = StatsSection::new("Sctp");
    for line in c_lines(text) {
        // The name ends at the first blank or tab; a line without one
        // holds no counter.
        let Some(split) = line.iter().position(|&b| b == b' ' || b == b'\t')
        else {
            reading.skipped += usize::from(!line.is_empty());
            continue;
        };
        let value = c_number(&line[split + 1..]).map_or(0, |(value, _)| value);
        section.counters.push(Counter::new(lossy(&line[..split]), value));
    }
    reading.sections.push(section);
    reading
}

/// The lines of a file without their newlines, each cut at a NUL byte.
/// A final line without a newline counts; the empty rest after a final
/// newline does not.
fn c_lines(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    let text = text.strip_suffix(b"\n").unwrap_or(text);
    let lines = (!text.is_empty()).then(|| text.split(|&b| b == b'\n'));
    lines.into_iter().flatten().map(|line| match find(line, 0) {
        Some(nul) => &line[..nul],
        None => line,
    })
}

/// A first whitespace-separated word and the number after it, as C's
/// `sscanf(line, "%s %llu")` reads them.
fn name_and_number(line: &[u8]) -> Option<(&[u8], u64)> {
    let start = line.iter().position(|&b| !is_c_space(b))?;
    let rest = &line[start..];
    let end = rest.iter().position(|&b| is_c_space(b)).unwrap_or(rest.len());
    let (value, _) = c_number(&rest[end..])?;
    Some((&rest[..end], value))
}

/// Reads a number the way C's `strtoull(text, &end, 10)` does: leading
/// white space, an optional sign, decimal digits; a negative number
/// wraps around, an overflow gives `u64::MAX`. Returns the value and the
/// text after it, or `None` when there are no digits.
pub fn c_number(text: &[u8]) -> Option<(u64, &[u8])> {
    let start = text.iter().position(|&b| !is_c_space(b))?;
    let mut rest = &text[start..];

    // The sign.
    let negative = rest.first() == Some(&b'-');
    if matches!(rest.first(), Some(b'-' | b'+')) {
        rest = &rest[1..];
    }

    // The digits, saturating on overflow.
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        return None;
    }
    let mut value: Option<u64> = Some(0);
    for &digit in &rest[..digits] {
        value = value
            .and_then(|v| v.checked_mul(10))
            .and_then(|v| v.checked_add(u64::from(digit - b'0')));
    }
    let value = match value {
        Some(value) if negative => value.wrapping_neg(),
        Some(value) => value,
        None => u64::MAX,
    };
    Some((value, &rest[digits..]))
}

/// C's `isspace` in the C locale.
fn is_c_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// The position of a byte.
fn find(text: &[u8], byte: u8) -> Option<usize> {
    text.iter().position(|&b| b == byte)
}

/// True if `needle` occurs in `haystack` (always for an empty needle).
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

/// Kernel names are ASCII; anything else is shown, not trusted.
fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[cfg(test)]
mod tests;
