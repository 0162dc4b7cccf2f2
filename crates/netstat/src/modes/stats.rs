//! `-s`: protocol statistics. The flags layer has already refused every
//! family list other than none, `inet` or `inet6` (net-tools' "No
//! statistics support for specified address family"); `-c` is ignored.
//!
//! Files are read in net-tools' order and its messages kept:
//!
//! * `-s`: `snmp` (if it cannot be opened, `cannot open PATH: REASON` and
//!   nothing more), then `netstat` and `sctp/snmp` when they open;
//! * `-s -6`: `snmp6` (same rule), then the sections of `snmp` whose name
//!   starts with `Tcp` (Linux keeps TCP's counters for both families in
//!   its `Tcp:` line);
//! * a read that fails after the open prints `PATH: REASON` and the file
//!   counts as ended; a pair file that stops parsing prints `Problem while
//!   parsing PATH` under `-s` (under `-s -6` it stops silently).
//!
//! PATH is the path actually tried, so with `--proc-root` it names the
//! saved tree. Every outcome exits 0, as net-tools does.

use std::io::{self, Write};

use netstat_core::render::classic::stats::{
    Protocols, StatsFamily, StatsPrinter,
};
use netstat_core::source::stats::{Reading, StatsFile, StatsSource};

use super::Status;
use crate::messages;
use crate::settings::Settings;

/// Whether a pair file that stops parsing is reported.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Parsing {
    /// Say "Problem while parsing PATH".
    Report,
    /// Stop silently.
    Quiet,
}

/// Prints the statistics view.
pub fn run(settings: &Settings, out: &mut impl Write) -> io::Result<Status> {
    let source = StatsSource::new(&settings.proc_root);
    let family = family(settings);
    let mut printer = StatsPrinter::new(family, protocols(settings));
    match family {
        StatsFamily::Inet => inet(&source, &mut printer, out)?,
        StatsFamily::Inet6 => inet6(&source, &mut printer, out)?,
    }
    Ok(0)
}

/// `-s -6` and `-s -A inet6` read the IPv6 files; anything else the IPv4
/// ones.
fn family(settings: &Settings) -> StatsFamily {
    match settings.families.as_slice() {
        ["inet6"] => StatsFamily::Inet6,
        _ => StatsFamily::Inet,
    }
}

/// The selection flags (plain `-s` has them all switched on by then).
fn protocols(settings: &Settings) -> Protocols {
    let tables = &settings.tables;
    Protocols {
        tcp: tables.tcp,
        udp: tables.udp,
        udplite: tables.udplite,
        raw: tables.raw,
        sctp: tables.sctp,
    }
}

/// `snmp`, `netstat`, `sctp/snmp`.
fn inet(
    source: &StatsSource,
    printer: &mut StatsPrinter,
    out: &mut impl Write,
) -> io::Result<()> {
    // Without snmp nothing else is read.
    let Some(snmp) = open(source, StatsFile::Snmp, out) else {
        return Ok(());
    };
    print(source, StatsFile::Snmp, &snmp, printer, Parsing::Report, out)?;

    // The optional files are silent when they do not open.
    for file in [StatsFile::Netstat, StatsFile::Sctp] {
        if let Ok(reading) = source.read(file) {
            print(source, file, &reading, printer, Parsing::Report, out)?;
        }
    }
    Ok(())
}

/// `snmp6`, then the `Tcp` sections of `snmp`.
fn inet6(
    source: &StatsSource,
    printer: &mut StatsPrinter,
    out: &mut impl Write,
) -> io::Result<()> {
    // Without snmp6 nothing else is read.
    let Some(snmp6) = open(source, StatsFile::Snmp6, out) else {
        return Ok(());
    };
    print(source, StatsFile::Snmp6, &snmp6, printer, Parsing::Quiet, out)?;

    // Only the TCP sections of the IPv4 file.
    let Some(mut snmp) = open(source, StatsFile::Snmp, out) else {
        return Ok(());
    };
    snmp.sections.retain(|section| section.name.starts_with("Tcp"));
    print(source, StatsFile::Snmp, &snmp, printer, Parsing::Quiet, out)
}

/// Reads a file that must open, or says why it did not.
fn open(
    source: &StatsSource,
    file: StatsFile,
    out: &mut impl Write,
) -> Option<Reading> {
    match source.read(file) {
        Ok(reading) => Some(reading),
        Err(error) => {
            let reason = messages::strerror(&error.error);
            let path = error.path.display();
            messages::note(out, &format!("cannot open {path}: {reason}\n"));
            None
        }
    }
}

/// Prints a file's sections, then what went wrong while reading it.
fn print(
    source: &StatsSource,
    file: StatsFile,
    reading: &Reading,
    printer: &mut StatsPrinter,
    parsing: Parsing,
    out: &mut impl Write,
) -> io::Result<()> {
    printer.sections(out, &reading.sections)?;
    let path = source.path(file);
    if let Some(error) = &reading.read_error {
        messages::read_failure(out, &path, error);
    }
    if reading.stopped_at.is_some() && parsing == Parsing::Report {
        let text = format!("Problem while parsing {}\n", path.display());
        messages::note(out, &text);
    }
    Ok(())
}
