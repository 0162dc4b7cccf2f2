//! Protocol statistics: the named counters of `/proc/net/snmp`,
//! `/proc/net/netstat`, `/proc/net/snmp6` and `/proc/net/sctp/snmp`,
//! grouped into sections (`Ip`, `TcpExt`, `Icmp6`, `Sctp`, ...) and kept
//! in file order, because that order is the order `netstat -s` prints.
//!
//! Names are the kernel's, unchanged; values are unsigned 64-bit (a
//! kernel `-1`, such as `Tcp: MaxConn`, arrives as 18446744073709551615,
//! as C's `strtoull` reads it). Which counters a renderer shows, and in
//! which words, is not decided here.

/// One named counter, e.g. `InReceives` = 421.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counter {
    /// The kernel's name, e.g. `InReceives` or `Ip6InReceives`.
    pub name: String,
    /// The value.
    pub value: u64,
}

impl Counter {
    /// A counter from a name and a value.
    pub fn new(name: impl Into<String>, value: u64) -> Counter {
        Counter { name: name.into(), value }
    }
}

/// A section of counters, e.g. `Ip` of `/proc/net/snmp` or `Icmp6` of
/// `/proc/net/snmp6`, with its counters in file order. A section may be
/// empty: the kernel writes `UdpLite:` header lines with all counters,
/// but a saved file may hold a section with none.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatsSection {
    /// The section name without its colon, e.g. `TcpExt`.
    pub name: String,
    /// The counters in file order.
    pub counters: Vec<Counter>,
}

impl StatsSection {
    /// An empty section called `name`.
    pub fn new(name: impl Into<String>) -> StatsSection {
        StatsSection { name: name.into(), counters: Vec::new() }
    }

    /// The value of the counter called `name`, if the section has it.
    pub fn get(&self, name: &str) -> Option<u64> {
        self.counters.iter().find(|c| c.name == name).map(|c| c.value)
    }
}
