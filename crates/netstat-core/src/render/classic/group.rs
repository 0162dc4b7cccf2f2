//! The multicast group table of `-g`, as net-tools 2.10 prints it: a
//! fixed three-line header (a build with IPv6 always says `IPv6/IPv4`,
//! whichever families are shown), then one row per membership with the
//! interface left-aligned in 15 columns, the user count in 6, and the
//! group, named unless numeric hosts were asked for. Nothing is cut: a
//! long interface name or group name widens its row. Interface names are
//! escaped (see [`crate::render::escape`]) and padded by bytes, as
//! net-tools pads them.

use std::io::{self, Write};

use super::address::{Naming, host_text};
use super::field::left;
use crate::model::Membership;
use crate::render::escape::escape;

/// Writes the title and the two header lines.
pub fn group_header(out: &mut impl Write) -> io::Result<()> {
    out.write_all(
        b"IPv6/IPv4 Group Memberships\n\
          Interface       RefCnt Group\n\
          --------------- ------ ---------------------\n",
    )
}

/// Writes one membership; `naming.hosts` is `None` for numeric output.
pub fn group_row(
    out: &mut impl Write,
    membership: &Membership,
    naming: &Naming<'_>,
) -> io::Result<()> {
    left(out, escape(&membership.iface).as_bytes(), 15)?;
    writeln!(
        out,
        " {:<6} {}",
        membership.users,
        host_text(membership.group, naming),
    )
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::net::IpAddr;

    use super::*;

    fn row(membership: &Membership, naming: &Naming<'_>) -> String {
        let mut out = Vec::new();
        group_row(&mut out, membership, naming).expect("write to a Vec");
        String::from_utf8(out).expect("ASCII row")
    }

    #[test]
    fn rows_pad_and_widen() {
        let membership = Membership {
            index: 5,
            iface: b"averylongifnam0".to_vec(),
            group: "ff02::1:ff00:2".parse().expect("address"),
            users: 1,
        };
        assert_eq!(
            row(&membership, &Naming::default()),
            "averylongifnam0 1      ff02::1:ff00:2\n"
        );
        let long = Membership {
            iface: b"sixteen-chars-xx".to_vec(),
            users: 1234567,
            ..membership
        };
        assert_eq!(
            row(&long, &Naming::default()),
            "sixteen-chars-xx 1234567 ff02::1:ff00:2\n"
        );
    }

    #[test]
    fn groups_are_named_when_a_name_is_known() {
        let group: IpAddr = "239.1.2.3".parse().expect("address");
        let hosts = HashMap::from([(group, String::from("group-one"))]);
        let naming = Naming { hosts: Some(&hosts), services: None };
        let membership =
            Membership { index: 1, iface: b"lo".to_vec(), group, users: 2 };
        assert_eq!(
            row(&membership, &naming),
            "lo              2      group-one\n"
        );
        assert_eq!(
            row(&membership, &Naming::default()),
            "lo              2      239.1.2.3\n"
        );
    }

    #[test]
    fn interface_names_are_escaped_from_raw_bytes() {
        let group: IpAddr = "ff02::1".parse().expect("address");
        let membership = Membership {
            index: 7,
            iface: b"e\x1b[7m".to_vec(),
            group,
            users: 1,
        };
        assert_eq!(
            row(&membership, &Naming::default()),
            "e\\x1b[7m        1      ff02::1\n"
        );
        let invalid = Membership { iface: b"x\xffy".to_vec(), ..membership };
        assert_eq!(
            row(&invalid, &Naming::default()),
            "x\\xffy          1      ff02::1\n"
        );
    }
}
