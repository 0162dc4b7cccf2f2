//! The multicast group table of `-g`, printed inside the socket listing
//! between the Internet and UNIX blocks: IPv4 memberships, then IPv6,
//! each in kernel order, as `-4` / `-6` (or `-A`) select.
//!
//! A missing `igmp` table is reported as net-tools reports it: after the
//! header, with status 1 when `-g` was given without a family, and
//! silently when a family flag made the protocols implicit (`-g4`). A
//! missing `igmp6` is never reported. Unlike net-tools, `-g` with a family
//! and no protocol lists the groups only (product decision 7; the command
//! line layer leaves the socket tables off).

use std::collections::{HashMap, HashSet};
use std::io::{self, Write};
use std::net::IpAddr;
use std::time::Duration;

use netstat_core::model::Membership;
use netstat_core::render::classic::Naming;
use netstat_core::render::classic::group::{group_header, group_row};
use netstat_core::resolve;
use netstat_core::source::SourceError;
use netstat_core::source::group::GroupSource;

use super::Status;
use crate::messages;
use crate::settings::Settings;

/// How long host lookups may take in all before numbers print instead.
const LOOKUP_DEADLINE: Duration = Duration::from_secs(2);

/// Host names already known, shared with the socket listing so that `-c`
/// rounds look each address up once.
pub struct HostCache<'a> {
    /// Names found so far.
    pub names: &'a mut HashMap<IpAddr, String>,
    /// Addresses already looked up, found or not.
    pub looked_up: &'a mut HashSet<IpAddr>,
}

/// Prints the group table and returns its exit status.
pub fn print(
    settings: &Settings,
    cache: HostCache<'_>,
    out: &mut impl Write,
) -> io::Result<Status> {
    let source = GroupSource::new(&settings.proc_root);
    group_header(out)?;

    // Read the selected tables, reporting a missing IPv4 one.
    let mut status = 0;
    let mut rows = Vec::new();
    if settings.inet {
        match source.ipv4() {
            Ok(table) => rows.extend(table.rows),
            Err(error) => status = failed(settings, &error, out),
        }
    }
    if settings.inet6 {
        match source.ipv6() {
            Ok(table) => rows.extend(table.rows),
            Err(SourceError::Missing(_)) => {}
            Err(SourceError::Io { path, error }) => {
                messages::read_failure(out, &path, &error);
                status = 255;
            }
        }
    }

    // Names, then the rows, IPv4 first.
    look_up(settings, cache.looked_up, cache.names, &rows);
    let hosts = settings.names.hosts.then_some(&*cache.names);
    let naming = Naming { hosts, services: None };
    for membership in &rows {
        group_row(out, membership, &naming)?;
    }
    Ok(status)
}

/// Reports an unreadable `igmp` table and returns the status it implies.
fn failed(
    settings: &Settings,
    error: &SourceError,
    out: &mut impl Write,
) -> Status {
    match error {
        SourceError::Missing(_) => missing(settings, out),
        SourceError::Io { path, error } => {
            messages::read_failure(out, path, error);
            255
        }
    }
}

/// net-tools' rule for a missing table: silent when the protocols were
/// implied by a family flag, a warning when asked for (or `-v`), status
/// 1 when asked for.
fn missing(settings: &Settings, out: &mut impl Write) -> Status {
    if implied(settings) {
        return 0;
    }
    if settings.explicit || settings.verbose > 0 {
        messages::no_support(out, "AF INET (igmp)");
    }
    u8::from(settings.explicit)
}

/// True when net-tools would have marked the protocols as implied: a
/// family was named and no protocol was (`-g4`, `-g -A inet6`).
fn implied(settings: &Settings) -> bool {
    let tables = &settings.tables;
    let protocols =
        tables.tcp || tables.sctp || tables.udp || tables.udplite || tables.raw;
    settings.implied_protocols || !settings.families.is_empty() && !protocols
}

/// Looks up the groups' names not yet known, in parallel.
fn look_up(
    settings: &Settings,
    looked_up: &mut HashSet<IpAddr>,
    names: &mut HashMap<IpAddr, String>,
    rows: &[Membership],
) {
    if !settings.names.hosts {
        return;
    }
    let wanted: Vec<IpAddr> = rows
        .iter()
        .map(|membership| membership.group)
        .filter(|addr| !addr.is_unspecified() && looked_up.insert(*addr))
        .collect();
    if !wanted.is_empty() {
        names.extend(resolve::host_names(&wanted, LOOKUP_DEADLINE));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_family_without_protocols_makes_them_implied() {
        let mut settings = Settings::default();
        assert!(!implied(&settings), "plain -g");
        settings.families = vec!["inet"];
        assert!(implied(&settings), "-g4");
        settings.tables.tcp = true;
        assert!(!implied(&settings), "-g4 -t");
        settings.families.clear();
        settings.implied_protocols = true;
        assert!(implied(&settings));
    }

    #[test]
    fn a_missing_igmp_table_warns_only_when_asked_for() {
        let mut settings = Settings { explicit: true, ..Settings::default() };
        assert_eq!(missing(&settings, &mut Vec::new()), 1);
        settings.families = vec!["inet"];
        assert_eq!(missing(&settings, &mut Vec::new()), 0);
    }

    #[test]
    fn the_header_prints_even_without_tables() {
        let settings = Settings {
            proc_root: "/nonexistent-proc-root".into(),
            inet: true,
            inet6: true,
            families: vec!["inet6"],
            ..Settings::default()
        };
        let (mut names, mut looked_up) = (HashMap::new(), HashSet::new());
        let cache = HostCache { names: &mut names, looked_up: &mut looked_up };
        let mut out = Vec::new();
        let status = print(&settings, cache, &mut out).expect("print");
        assert_eq!(status, 0);
        assert_eq!(String::from_utf8_lossy(&out).lines().count(), 3);
    }
}
