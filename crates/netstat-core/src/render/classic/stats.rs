//! `netstat -s` in net-tools 2.10's words (SPEC.md 2.9): each section's
//! `Name:` line, then one line per counter, in file order.
//!
//! The grammar, as observed (`tests/fixtures/stats/generate.py` checks
//! each rule against `/usr/bin/netstat`):
//!
//! * A *known* section (listed in `stats_texts.rs`) prints only when one
//!   of its protocols is selected (`-t`, `-u`, `-w`, `-S`; plain `-s`
//!   selects all); selected or not, it returns the indentation to
//!   normal. Its counters print through its table.
//! * Any other section prints under every selection, even with no
//!   counter under it, every counter in the generic `Name: value` form,
//!   and leaves the indentation as it was.
//! * A table entry prints always, only when non-zero, never, or as a
//!   histogram entry; a name not in the table prints `Name: value` when
//!   non-zero.
//! * Ordinary entries print at 4 blanks and return the indentation to
//!   normal; histogram entries print at 8, when non-zero. The first
//!   entry of a histogram prints its title (even when zero) at the
//!   current indentation, after which the indentation is 8 until an
//!   ordinary entry or a known section: so a histogram title straight
//!   after the other histogram, and generic lines after a histogram
//!   (`IcmpMsg:`'s `InType3` lines), are indented 8.
//!
//! The indentation carries from section to section and from file to file,
//! so one [`StatsPrinter`] prints a whole run.

use std::io::{self, Write};

use super::stats_texts::{INET, INET6};
use crate::model::{Counter, StatsSection};

/// Which files a statistics run reads: `-s` or `-s -6`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatsFamily {
    /// IPv4: `snmp`, `netstat`, `sctp/snmp`.
    Inet,
    /// IPv6: `snmp6`, then the `Tcp` sections of `snmp`.
    Inet6,
}

/// Protocols, as the selection flags of `-s` name them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Protocols {
    /// `-t`.
    pub tcp: bool,
    /// `-u`.
    pub udp: bool,
    /// `-U`.
    pub udplite: bool,
    /// `-w`.
    pub raw: bool,
    /// `-S`.
    pub sctp: bool,
}

impl Protocols {
    /// No protocol.
    pub const NONE: Protocols = Protocols {
        tcp: false,
        udp: false,
        udplite: false,
        raw: false,
        sctp: false,
    };

    /// Every protocol, as plain `-s` selects.
    pub const ALL: Protocols = Protocols {
        tcp: true,
        udp: true,
        udplite: true,
        raw: true,
        sctp: true,
    };

    /// True if the two sets share a protocol.
    pub fn overlaps(self, other: Protocols) -> bool {
        (self.tcp && other.tcp)
            || (self.udp && other.udp)
            || (self.udplite && other.udplite)
            || (self.raw && other.raw)
            || (self.sctp && other.sctp)
    }
}

/// How one known counter prints; the two strings around the value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Text {
    /// Printed even when zero.
    Always(&'static str, &'static str),
    /// Printed only when non-zero.
    NonZero(&'static str, &'static str),
    /// An entry of the histogram with this title, printed when non-zero.
    Histogram(&'static str, &'static str, &'static str),
    /// Never printed.
    Silent,
}

/// A section with a table of texts, and the protocols that show it.
#[derive(Debug)]
pub(super) struct Known {
    /// The section name.
    pub(super) name: &'static str,
    /// Selected by any of these.
    pub(super) shown_by: Protocols,
    /// Counter texts, sorted by name.
    pub(super) entries: &'static [(&'static str, Text)],
}

impl Known {
    /// The text of a counter, if the table has one.
    fn text(&self, name: &str) -> Option<Text> {
        let found = self.entries.binary_search_by(|(key, _)| (*key).cmp(name));
        found.ok().map(|index| self.entries[index].1)
    }
}

/// Prints statistics sections, keeping the indentation state of net-tools
/// across sections and files.
#[derive(Debug)]
pub struct StatsPrinter {
    known: &'static [Known],
    selected: Protocols,
    histogram: Option<&'static str>,
}

impl StatsPrinter {
    /// A printer for a run of `family` with `selected` protocols.
    pub fn new(family: StatsFamily, selected: Protocols) -> StatsPrinter {
        let known = match family {
            StatsFamily::Inet => INET,
            StatsFamily::Inet6 => INET6,
        };
        StatsPrinter { known, selected, histogram: None }
    }

    /// Prints sections in order.
    pub fn sections(
        &mut self,
        out: &mut impl Write,
        sections: &[StatsSection],
    ) -> io::Result<()> {
        sections.iter().try_for_each(|section| self.section(out, section))
    }

    /// Prints one section (or, for an unselected known one, nothing).
    pub fn section(
        &mut self,
        out: &mut impl Write,
        section: &StatsSection,
    ) -> io::Result<()> {
        let known = self.known.iter().find(|k| k.name == section.name);
        let Some(known) = known else {
            // Unknown: always shown, generic lines, indentation kept.
            writeln!(out, "{}:", section.name)?;
            return section
                .counters
                .iter()
                .try_for_each(|counter| self.generic(out, counter));
        };

        // Known: back to normal indentation, shown only when selected.
        self.histogram = None;
        if !known.shown_by.overlaps(self.selected) {
            return Ok(());
        }
        writeln!(out, "{}:", section.name)?;
        for counter in &section.counters {
            match known.text(&counter.name) {
                Some(text) => self.entry(out, text, counter.value)?,
                None => self.generic(out, counter)?,
            }
        }
        Ok(())
    }

    /// One counter of a known section's table.
    fn entry(
        &mut self,
        out: &mut impl Write,
        text: Text,
        value: u64,
    ) -> io::Result<()> {
        match text {
            Text::Always(before, after) => {
                self.ordinary(out, before, value, after)
            }
            Text::NonZero(before, after) if value != 0 => {
                self.ordinary(out, before, value, after)
            }
            Text::NonZero(..) | Text::Silent => Ok(()),
            Text::Histogram(title, before, after) => {
                // The title, at the current indentation, opens the
                // histogram; its entries follow at 8.
                if self.histogram != Some(title) {
                    writeln!(out, "{}{title}", self.indent())?;
                    self.histogram = Some(title);
                }
                if value != 0 {
                    writeln!(out, "        {before}{value}{after}")?;
                }
                Ok(())
            }
        }
    }

    /// An ordinary table line: 4 blanks, and the histogram is over.
    fn ordinary(
        &mut self,
        out: &mut impl Write,
        before: &str,
        value: u64,
        after: &str,
    ) -> io::Result<()> {
        self.histogram = None;
        writeln!(out, "    {before}{value}{after}")
    }

    /// `Name: value` at the current indentation, when non-zero.
    fn generic(
        &self,
        out: &mut impl Write,
        counter: &Counter,
    ) -> io::Result<()> {
        if counter.value == 0 {
            return Ok(());
        }
        writeln!(out, "{}{}: {}", self.indent(), counter.name, counter.value)
    }

    /// 8 blanks after a histogram title, else 4.
    fn indent(&self) -> &'static str {
        if self.histogram.is_some() { "        " } else { "    " }
    }
}

#[cfg(test)]
mod tests;
