//! Parsers for the multicast membership tables as Linux 6.x prints them.
//!
//! * `igmp` (`igmp_mc_seq_show`): a header line, then per interface a
//!   line `INDEX<TAB>NAME: COUNT QUERIER` (the name left-aligned in 10,
//!   longer names pushing the colon) followed by one line per group,
//!   indented with tabs: `GROUP USERS TIMER:EXPIRES<TAB><TAB>REPORTER`,
//!   the group a network-order word printed as a native integer.
//! * `igmp6` (`igmp6_mc_seq_show`): no header; one line per group,
//!   `INDEX NAME GROUP USERS FLAGS EXPIRES`, the group 32 hex digits in
//!   wire order.
//!
//! Lines that do not parse are skipped and counted.

use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;

use super::route::{decimal, hex, read, wire_ipv6, words};
use super::{SourceError, Table};
use crate::model::Membership;

/// The membership tables under a root directory (normally `/proc`).
#[derive(Clone, Debug)]
pub struct GroupSource {
    root: PathBuf,
}

impl GroupSource {
    /// A source reading `ROOT/net/igmp` and `ROOT/net/igmp6`.
    pub fn new(root: impl Into<PathBuf>) -> GroupSource {
        GroupSource { root: root.into() }
    }

    /// The path of a table, e.g. `igmp6` → `ROOT/net/igmp6`.
    pub fn path(&self, table: &str) -> PathBuf {
        self.root.join("net").join(table)
    }

    /// Reads the IPv4 memberships.
    pub fn ipv4(&self) -> Result<Table<Membership>, SourceError> {
        Ok(parse_igmp(&read(&self.path("igmp"))?))
    }

    /// Reads the IPv6 memberships.
    pub fn ipv6(&self) -> Result<Table<Membership>, SourceError> {
        Ok(parse_igmp6(&read(&self.path("igmp6"))?))
    }
}

/// The interface an `igmp` group line belongs to.
struct Device {
    index: u32,
    name: Vec<u8>,
}

/// Parses `/proc/net/igmp`. A group line before any interface line, or
/// after one that did not parse, is skipped.
pub fn parse_igmp(text: &[u8]) -> Table<Membership> {
    let mut table = Table { rows: Vec::new(), skipped: 0 };
    let mut device: Option<Device> = None;
    for line in text.split(|&b| b == b'\n').skip(1) {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }

        // Interface lines start in the first column, group lines do not.
        if !line[0].is_ascii_whitespace() {
            device = parse_igmp_device(line);
            table.skipped += usize::from(device.is_none());
            continue;
        }
        let parsed = device.as_ref().and_then(|d| parse_igmp_group(line, d));
        match parsed {
            Some(membership) => table.rows.push(membership),
            None => table.skipped += 1,
        }
    }
    table
}

/// Parses `INDEX<TAB>NAME: COUNT QUERIER`.
fn parse_igmp_device(line: &[u8]) -> Option<Device> {
    let colon = line.iter().position(|&b| b == b':')?;
    let mut head = words(&line[..colon]);
    let index = u32::try_from(decimal(head.next()?)?).ok()?;
    let name = head.next()?;
    if head.next().is_some() {
        return None;
    }
    let mut tail = words(&line[colon + 1..]);
    decimal(tail.next()?)?;
    tail.next()?;
    Some(Device { index, name: name.to_vec() })
}

/// Parses `GROUP USERS TIMER:EXPIRES REPORTER` for `device`.
fn parse_igmp_group(line: &[u8], device: &Device) -> Option<Membership> {
    let fields: Vec<&[u8]> = words(line).collect();
    let [group, users, timer, reporter] = fields[..] else {
        return None;
    };
    if group.len() != 8 || !timer.contains(&b':') {
        return None;
    }
    decimal(reporter)?;
    let word = u32::try_from(hex(group)?).ok()?;
    Some(Membership {
        index: device.index,
        iface: device.name.clone(),
        group: IpAddr::V4(Ipv4Addr::from(word.to_ne_bytes())),
        users: u32::try_from(decimal(users)?).ok()?,
    })
}

/// Parses `/proc/net/igmp6`, which has no header line.
pub fn parse_igmp6(text: &[u8]) -> Table<Membership> {
    let mut table = Table { rows: Vec::new(), skipped: 0 };
    for line in text.split(|&b| b == b'\n') {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match parse_igmp6_line(line) {
            Some(membership) => table.rows.push(membership),
            None => table.skipped += 1,
        }
    }
    table
}

/// Parses `INDEX NAME GROUP USERS FLAGS EXPIRES`.
fn parse_igmp6_line(line: &[u8]) -> Option<Membership> {
    let fields: Vec<&[u8]> = words(line).collect();
    let [index, name, group, users, flags, expires] = fields[..] else {
        return None;
    };
    hex(flags)?;
    decimal(expires)?;
    Some(Membership {
        index: u32::try_from(decimal(index)?).ok()?,
        iface: name.to_vec(),
        group: IpAddr::V6(wire_ipv6(group)?),
        users: u32::try_from(decimal(users)?).ok()?,
    })
}

#[cfg(test)]
mod tests {
    //! `IGMP` and `IGMP6` were captured on Linux 6.18 (x86_64) in a
    //! private network namespace with veth pairs `v0`/`v1` and
    //! `averylongifnam0`/`alongpeer1`, `d0`/`d1`, and a python3 process
    //! holding `IP_ADD_MEMBERSHIP` joins of 239.1.2.3 on lo, 224.0.0.251
    //! (twice) on v0 and 239.255.255.250 on averylongifnam0, and
    //! `IPV6_JOIN_GROUP` joins of ff15::1234 on v0 and ff02::fb on
    //! averylongifnam0.

    use super::*;

    const IGMP: &[u8] =
        include_bytes!("../../../../tests/fixtures/proc-routes/net/igmp");
    const IGMP6: &[u8] =
        include_bytes!("../../../../tests/fixtures/proc-routes/net/igmp6");

    fn v4(text: &str) -> IpAddr {
        text.parse().expect("test address")
    }

    #[test]
    fn igmp_groups_belong_to_the_interface_above_them() {
        let table = parse_igmp(IGMP);
        assert_eq!(table.skipped, 0);
        assert_eq!(table.rows.len(), 10);
        let first = &table.rows[0];
        assert_eq!(
            (first.index, first.iface.as_slice()),
            (1, b"lo".as_slice())
        );
        assert_eq!(first.group, v4("239.1.2.3"));
        let twice = table.rows.iter().find(|m| m.group == v4("224.0.0.251"));
        let twice = twice.expect("the mDNS group");
        assert_eq!(
            (twice.iface.as_slice(), twice.users),
            (b"v0".as_slice(), 2)
        );
        let long = table.rows.iter().find(|m| m.index == 5).expect("index 5");
        assert_eq!(long.iface, b"averylongifnam0");
        assert_eq!(long.group, v4("239.255.255.250"));
    }

    #[test]
    fn igmp6_groups_are_in_wire_order() {
        let table = parse_igmp6(IGMP6);
        assert_eq!(table.skipped, 0);
        assert_eq!(table.rows.len(), 23);
        assert_eq!(table.rows[0].group, v4("ff02::1"));
        let joined = table.rows.iter().find(|m| m.group == v4("ff15::1234"));
        assert_eq!(joined.expect("ff15::1234").iface, b"v0");
        let long = table.rows.iter().find(|m| m.group == v4("ff02::fb"));
        let long = long.expect("ff02::fb");
        assert_eq!(
            (long.index, long.iface.as_slice()),
            (5, b"averylongifnam0".as_slice())
        );
    }

    #[test]
    fn broken_lines_are_counted_not_fatal() {
        let igmp = b"Idx\tDevice    : Count Querier\tGroup    Users Timer\n\
\t\t\t\t010000E0     1 0:00000000\t\t0\n\
x\tlo        :     1      V3\n\
\t\t\t\t010000E0     1 0:00000000\t\t0\n\
1\tlo        :     1      V3\n\
\t\t\t\t010000E0     1\n\
\t\t\t\tZZ0000E0     1 0:00000000\t\t0\n\
\t\t\t\t010000E0     1 0:00000000\t\t0\n";
        let table = parse_igmp(igmp);
        assert_eq!((table.rows.len(), table.skipped), (1, 5));
        let igmp6 = b"1 lo ff02 1 0000000C 0\n\
1 lo ff020000000000000000000000000001 1 0000000C\n\
2 v0 ff020000000000000000000000000001 1 0000000C 0\n";
        let table = parse_igmp6(igmp6);
        assert_eq!((table.rows.len(), table.skipped), (1, 2));
        assert_eq!(table.rows[0].iface, b"v0");
    }

    #[test]
    fn missing_tables_are_reported_as_missing() {
        let source = GroupSource::new("/nonexistent-proc-root");
        assert!(matches!(source.ipv4(), Err(SourceError::Missing(_))));
        assert!(matches!(source.ipv6(), Err(SourceError::Missing(_))));
    }
}
