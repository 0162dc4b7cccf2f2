//! Plain data describing sockets, with no I/O and no formatting.
//!
//! Values keep the kernel's own units and codes (state numbers, timer
//! codes, clock ticks) so that every renderer can make its own choices;
//! the classic renderer maps them to net-tools' spellings.

mod group;
mod interface;
mod route;
mod socket;
mod stats;

pub use group::Membership;
pub use interface::{
    DeviceMap, DeviceStats, HardwareAddress, Interface, InterfaceFlags,
    Ipv4Config, Ipv6Config, LinkFacts,
};
pub use route::{CachedRoute, Ipv6Route, Route, RouteFlags};
pub use socket::{
    Endpoint, Family, InetSocket, Protocol, TcpState, Timer, UnixSocket,
    UnixState, UnixType,
};
pub use stats::{Counter, StatsSection};
