//! The interface view (`-i`, `-ia`, `-ie`, `-I IFACE`): every name of
//! `/proc/net/dev` and every IPv4 label (`SIOCGIFCONF`, so alias labels
//! such as `v0:1` too), in net-tools' order, as the short table or, with
//! `-e`, the `ifconfig`-style long form. Without `-a` only interfaces that
//! are up are listed; `-I` lists the one name asked for, up or down.
//!
//! With `-c` the title is printed once and the table header every round,
//! as net-tools does. When a listed interface vanishes before its facts
//! are read, net-tools 2.10 prints an error, stops the table there and
//! exits 1; here the error is printed, the rest of the table follows, and
//! the exit status is still 1.

use std::io::{self, Write};

use netstat_core::model::{DeviceStats, Interface, Ipv6Config};
use netstat_core::render::classic::interface::{
    interface_block, interface_header, interface_row, interface_title, is_up,
    listing_order,
};
use netstat_core::render::escape::escape;
use netstat_core::source::SourceError;
use netstat_core::source::interface::{
    DeviceLine, FetchError, InterfaceSource, Session,
};

use super::Status;
use crate::messages;
use crate::settings::{Settings, Show};

/// The interface view, kept across the rounds of `-c`.
pub struct Interfaces {
    source: InterfaceSource,
    titled: bool,
}

/// The names of one round: devices with counters first, then labels.
struct Names {
    devices: Vec<DeviceLine>,
    labels: Vec<Vec<u8>>,
}

impl Interfaces {
    /// Prepares the view for `settings`.
    pub fn new(settings: &Settings) -> Interfaces {
        Interfaces {
            source: InterfaceSource::new(&settings.proc_root),
            titled: false,
        }
    }

    /// Prints one round and returns its exit status.
    pub fn run(
        &mut self,
        settings: &Settings,
        out: &mut impl Write,
    ) -> io::Result<Status> {
        // Without the ioctl socket (or saved files) nothing can be shown.
        let session = match self.source.open() {
            Ok(session) => session,
            Err(error) => {
                messages::note(out, &format!("{error}\n"));
                return Ok(1);
            }
        };

        // The title once, the table header every round.
        if !self.titled {
            interface_title(out)?;
            self.titled = true;
        }
        let long = settings.extend > 0;
        if !long {
            interface_header(out)?;
        }

        // Gather the names, then print them in order.
        let (names, mut status) = self.names(&session, out);
        let ipv6 = match self.source.ipv6_addresses() {
            Ok(table) => table.rows,
            Err(_) => Vec::new(),
        };
        let printer =
            Printer { settings, session: &session, ipv6: &ipv6, long };
        status = status.max(printer.print(&names, out)?);
        Ok(status)
    }

    /// Reads `/proc/net/dev` and the IPv4 labels; the status is 1 when
    /// both failed.
    fn names(
        &self,
        session: &Session,
        out: &mut impl Write,
    ) -> (Names, Status) {
        let devices = self.devices(out);
        let labels = labels(session, out);
        let status = u8::from(devices.is_none() && labels.is_none());
        let names = Names {
            devices: devices.unwrap_or_default(),
            labels: labels.unwrap_or_default(),
        };
        (names, status)
    }

    /// The device list; without it net-tools warns and goes on.
    fn devices(&self, out: &mut impl Write) -> Option<Vec<DeviceLine>> {
        let error = match self.source.devices() {
            Ok(table) => return Some(table.rows),
            Err(error) => error,
        };
        let reason = match &error {
            SourceError::Missing(_) => {
                messages::strerror(&io::Error::from_raw_os_error(libc::ENOENT))
            }
            SourceError::Io { error, .. } => messages::strerror(error),
        };
        let text = format!(
            "Warning: cannot open {} ({reason}). Limited output.\n",
            self.source.dev_path().display()
        );
        messages::note(out, &text);
        None
    }
}

/// The IPv4 labels; a failed `SIOCGIFCONF` is reported as `perror` would.
fn labels(session: &Session, out: &mut impl Write) -> Option<Vec<Vec<u8>>> {
    match session.labels() {
        Ok(labels) => Some(labels),
        Err(error) => {
            messages::note(out, &format!("{error}\n"));
            None
        }
    }
}

/// What one round prints with.
struct Printer<'a> {
    settings: &'a Settings,
    session: &'a Session,
    ipv6: &'a [Ipv6Config],
    long: bool,
}

impl Printer<'_> {
    /// Prints every selected name; returns 1 if a name's facts could not
    /// be fetched.
    fn print(&self, names: &Names, out: &mut impl Write) -> io::Result<Status> {
        let all: Vec<&[u8]> = names
            .devices
            .iter()
            .map(|device| device.name.as_slice())
            .chain(names.labels.iter().map(Vec::as_slice))
            .collect();
        let wanted = self.settings.interface.as_deref();

        // Each name in order, skipping those -I did not ask for.
        let mut status = 0;
        let mut found = false;
        for index in listing_order(&all) {
            let name = all[index];
            if wanted.is_some_and(|wanted| wanted != name) {
                continue;
            }
            found = true;
            let stats = names.devices.get(index).map(|device| device.stats);
            status = status.max(self.one(name, stats, out)?);
        }

        // A name -I asked for that does not exist.
        if let Some(wanted) = wanted
            && !found
        {
            fetch_failure(out, wanted, &FetchError::NotFound);
            status = 1;
        }
        Ok(status)
    }

    /// Fetches and prints one name.
    fn one(
        &self,
        name: &[u8],
        stats: Option<DeviceStats>,
        out: &mut impl Write,
    ) -> io::Result<Status> {
        let facts = match self.session.facts(name) {
            Ok(facts) => facts,
            Err(error) => {
                fetch_failure(out, name, &error);
                return Ok(1);
            }
        };
        let iface = Interface {
            name: name.to_vec(),
            stats,
            link: facts.link,
            ipv4: facts.ipv4,
            ipv6: self
                .ipv6
                .iter()
                .filter(|address| address.device == name)
                .cloned()
                .collect(),
        };

        // Down interfaces only with -a, or when named by -I.
        let shown = is_up(&iface)
            || self.settings.show == Show::All
            || self.settings.interface.is_some();
        if shown {
            if self.long {
                interface_block(out, &iface)?;
            } else {
                interface_row(out, &iface)?;
            }
        }
        Ok(0)
    }
}

/// `NAME: error fetching interface information: REASON`.
fn fetch_failure(out: &mut impl Write, name: &[u8], error: &FetchError) {
    let reason = match error {
        FetchError::NotFound => "Device not found".to_string(),
        FetchError::Io(error) => messages::strerror(error),
    };
    let text = format!(
        "{}: error fetching interface information: {reason}\n",
        escape(name)
    );
    messages::note(out, &text);
}
