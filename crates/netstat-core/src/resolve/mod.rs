//! Names for numbers: host names, service names and user names through
//! the C library's NSS, as net-tools does, but cached and bounded in time.
//!
//! TODO: helper C implements this module (see the API below).

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::Duration;

/// Service names by port for the three lists net-tools keeps.
#[derive(Clone, Debug, Default)]
pub struct Services {
    tcp: HashMap<u16, String>,
    udp: HashMap<u16, String>,
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
}

impl Services {
    /// Reads the services and protocols databases once.
    pub fn load() -> Services {
        Services::default()
    }

    /// The name of a port, if the database has one.
    pub fn name(&self, kind: ServiceKind, port: u16) -> Option<&str> {
        let list = match kind {
            ServiceKind::Tcp => &self.tcp,
            ServiceKind::Udp => &self.udp,
            ServiceKind::Raw => &self.raw,
        };
        list.get(&port).map(String::as_str)
    }
}

/// Looks up host names for all `addrs` in parallel and returns those that
/// resolved before `deadline`; the rest print numerically.
pub fn host_names(
    _addrs: &[IpAddr],
    _deadline: Duration,
) -> HashMap<IpAddr, String> {
    HashMap::new()
}

/// User names by uid, looked up once each.
#[derive(Clone, Debug, Default)]
pub struct Users {
    names: HashMap<u32, Option<String>>,
}

impl Users {
    /// The user name of `uid`, or `None` if the database has none.
    pub fn name(&mut self, uid: u32) -> Option<&str> {
        self.names.entry(uid).or_insert(None).as_deref()
    }
}
