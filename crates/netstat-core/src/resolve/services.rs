//! Service names by port, read once from the services and protocols
//! databases through the C library (so `nsswitch.conf` applies).
//!
//! net-tools keeps separate lists per protocol (`tcp`, `udp`, `sctp`,
//! `raw`; other protocols are dropped), fills them in database order, and
//! looks up the entry added *last*: when two entries share a port and
//! protocol, the later line wins (measured with 2.10: `firstsvc 7070/tcp`
//! then `secondsvc 7070/tcp` prints `secondsvc`; `getservbyport` would
//! say `firstsvc`). Names are the official names, never aliases. The raw
//! list is the `raw` services followed by every protocols entry keyed by
//! protocol number, so a protocol name beats a `raw` service of the same
//! number.

use std::collections::HashMap;
use std::ffi::CStr;

use crate::render::escape::escape;

/// Service names by port for the lists net-tools keeps.
#[derive(Clone, Debug, Default)]
pub struct Services {
    tcp: HashMap<u16, String>,
    udp: HashMap<u16, String>,
    sctp: HashMap<u16, String>,
    raw: HashMap<u16, String>,
}

/// Which service list a port is looked up in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServiceKind {
    /// `tcp` entries of the services database.
    Tcp,
    /// `udp` entries (also used for UDP-Lite).
    Udp,
    /// `raw` services plus every entry of the protocols database.
    Raw,
    /// `sctp` entries (SCTP endpoints and associations).
    Sctp,
}

impl Services {
    /// Reads the services and protocols databases once.
    ///
    /// Uses the C library's non-reentrant `getservent`/`getprotoent`, so
    /// call it before other threads use those databases.
    pub fn load() -> Services {
        let mut services = Services::default();
        read_services(&mut services);
        read_protocols(&mut services);
        services
    }

    /// The name of a port, if the database has one.
    pub fn name(&self, kind: ServiceKind, port: u16) -> Option<&str> {
        let list = match kind {
            ServiceKind::Tcp => &self.tcp,
            ServiceKind::Udp => &self.udp,
            ServiceKind::Raw => &self.raw,
            ServiceKind::Sctp => &self.sctp,
        };
        list.get(&port).map(String::as_str)
    }

    /// Files one services entry; a later entry replaces an earlier one.
    fn add(&mut self, proto: &[u8], port: u16, name: &[u8]) {
        let list = match proto {
            b"tcp" => &mut self.tcp,
            b"udp" => &mut self.udp,
            b"sctp" => &mut self.sctp,
            b"raw" => &mut self.raw,
            _ => return,
        };
        list.insert(port, escape(name).into_owned());
    }

    /// Files one protocols entry in the raw list, replacing any `raw`
    /// service or earlier protocol of the same number.
    fn add_protocol(&mut self, number: u16, name: &[u8]) {
        self.raw.insert(number, escape(name).into_owned());
    }
}

unsafe extern "C" {
    // glibc has these, but the libc crate does not bind them.
    fn setprotoent(stay_open: libc::c_int);
    fn getprotoent() -> *mut libc::protoent;
    fn endprotoent();
}

/// Files every services entry, in database order.
fn read_services(services: &mut Services) {
    // SAFETY: the entries returned by getservent stay valid until the next
    // call; every pointer is checked for null and read before that.
    unsafe {
        libc::setservent(1);
        loop {
            let entry = libc::getservent();
            let Some(entry) = entry.as_ref() else { break };
            if entry.s_name.is_null() || entry.s_proto.is_null() {
                continue;
            }
            // s_port holds the port in network order in its low 16 bits.
            let port = u16::from_be(entry.s_port as u16);
            let name = CStr::from_ptr(entry.s_name).to_bytes();
            let proto = CStr::from_ptr(entry.s_proto).to_bytes();
            services.add(proto, port, name);
        }
        libc::endservent();
    }
}

/// Files every protocols entry in the raw list, in database order.
fn read_protocols(services: &mut Services) {
    // SAFETY: as for getservent above.
    unsafe {
        setprotoent(1);
        loop {
            let entry = getprotoent();
            let Some(entry) = entry.as_ref() else { break };
            let Ok(number) = u16::try_from(entry.p_proto) else { continue };
            if entry.p_name.is_null() {
                continue;
            }
            services
                .add_protocol(number, CStr::from_ptr(entry.p_name).to_bytes());
        }
        endprotoent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_entries_win() {
        let mut services = Services::default();
        services.add(b"tcp", 7070, b"firstsvc");
        services.add(b"tcp", 7070, b"secondsvc");
        services.add(b"udp", 7071, b"udponly");
        services.add(b"ddp", 4, b"echo");
        assert_eq!(services.name(ServiceKind::Tcp, 7070), Some("secondsvc"));
        assert_eq!(services.name(ServiceKind::Udp, 7071), Some("udponly"));
        assert_eq!(services.name(ServiceKind::Tcp, 7071), None);
        assert_eq!(services.name(ServiceKind::Raw, 4), None);
    }

    #[test]
    fn protocols_follow_raw_services() {
        let mut services = Services::default();
        services.add(b"raw", 1, b"rawone");
        services.add(b"raw", 253, b"myraw");
        services.add_protocol(1, b"icmp");
        services.add_protocol(254, b"protoA");
        services.add_protocol(254, b"protoB");
        assert_eq!(services.name(ServiceKind::Raw, 1), Some("icmp"));
        assert_eq!(services.name(ServiceKind::Raw, 253), Some("myraw"));
        assert_eq!(services.name(ServiceKind::Raw, 254), Some("protoB"));
    }

    /// True if `file` has a line `name port/proto`.
    fn database_has(file: &str, name: &str, port: &str) -> bool {
        let Ok(text) = std::fs::read_to_string(file) else { return false };
        text.lines().any(|line| {
            let mut words = line.split_whitespace();
            words.next() == Some(name) && words.next() == Some(port)
        })
    }

    #[test]
    fn live_database_names_ssh_and_icmp() {
        let services = Services::load();
        if database_has("/etc/services", "ssh", "22/tcp") {
            assert_eq!(services.name(ServiceKind::Tcp, 22), Some("ssh"));
        } else {
            eprintln!("skipped: /etc/services has no `ssh 22/tcp` line");
        }
        if database_has("/etc/protocols", "icmp", "1") {
            assert_eq!(services.name(ServiceKind::Raw, 1), Some("icmp"));
        } else {
            eprintln!("skipped: /etc/protocols has no `icmp 1` line");
        }
    }
}
