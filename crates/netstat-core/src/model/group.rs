//! Multicast group memberships per interface, IPv4 (`/proc/net/igmp`) and
//! IPv6 (`/proc/net/igmp6`), in kernel order.

use std::net::IpAddr;

/// One group joined on one interface.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Membership {
    /// Interface index.
    pub index: u32,
    /// Interface name, raw bytes (escaped only when printed).
    pub iface: Vec<u8>,
    /// The group address.
    pub group: IpAddr,
    /// How many sockets (or kernel users) hold the membership.
    pub users: u32,
}
