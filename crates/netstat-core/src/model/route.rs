//! Routing table entries as the kernel reports them: the IPv4 FIB
//! (`/proc/net/route`, main table only), the IPv6 FIB (`/proc/net/ipv6_route`,
//! every table) and the IPv4 route cache (`/proc/net/rt_cache`, which holds
//! only its header since Linux 3.6).
//!
//! Numbers keep the kernel's 32 bits whether it printed them signed or
//! unsigned; a renderer that wants C's `int` (as net-tools does, so metric
//! `0xffffffff` shows as `-1`) reinterprets them. Flags are the raw
//! `RTF_*` (or, in the cache, `RTCF_*`) bits; [`RouteFlags`] names them.

use std::net::{Ipv4Addr, Ipv6Addr};

/// The `RTF_*` bits of a routing entry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct RouteFlags(pub u32);

impl RouteFlags {
    /// `RTF_UP`: the route is usable.
    pub const UP: u32 = 0x0001;
    /// `RTF_GATEWAY`: the destination is behind a gateway.
    pub const GATEWAY: u32 = 0x0002;
    /// `RTF_HOST`: a host route (a /32 or /128).
    pub const HOST: u32 = 0x0004;
    /// `RTF_REJECT`: unreachable, prohibit (and, in IPv6, blackhole).
    pub const REJECT: u32 = 0x0200;
    /// `RTF_CACHE` (IPv6): a cloned cache entry rather than a FIB route.
    pub const CACHE: u32 = 0x0100_0000;

    /// True if every bit of `mask` is set.
    pub fn has(self, mask: u32) -> bool {
        self.0 & mask == mask
    }
}

/// One IPv4 route of the main table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    /// Output device as the kernel's raw bytes, or `*` for routes without
    /// one (reject routes).
    pub iface: Vec<u8>,
    /// Destination network or host.
    pub destination: Ipv4Addr,
    /// Next hop; `0.0.0.0` for directly connected routes.
    pub gateway: Ipv4Addr,
    /// `RTF_*` bits.
    pub flags: RouteFlags,
    /// Reference count (always 0 on modern kernels).
    pub refcnt: u32,
    /// Use count (always 0 on modern kernels).
    pub use_count: u32,
    /// The route's priority ("metric").
    pub metric: u32,
    /// Destination mask.
    pub mask: Ipv4Addr,
    /// The `MTU` column: advertised MSS + 40 when the route sets one.
    pub mtu: u32,
    /// The `Window` column: the window clamp metric.
    pub window: u32,
    /// The `IRTT` column: the initial round trip time metric.
    pub irtt: u32,
}

/// One IPv6 route, from any routing table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ipv6Route {
    /// Destination prefix.
    pub destination: Ipv6Addr,
    /// Destination prefix length.
    pub destination_len: u8,
    /// Source prefix (source-specific routing), usually `::`.
    pub source: Ipv6Addr,
    /// Source prefix length.
    pub source_len: u8,
    /// Next hop; `::` for directly connected routes.
    pub next_hop: Ipv6Addr,
    /// Metric (`0xffffffff` on the null route).
    pub metric: u32,
    /// Reference count.
    pub refcnt: u32,
    /// Use count.
    pub use_count: u32,
    /// `RTF_*` bits, IPv6 ones included (`RTF_CACHE`, `RTF_NONEXTHOP`, ...).
    pub flags: RouteFlags,
    /// Output device, raw bytes (escaped only when printed).
    pub iface: Vec<u8>,
}

/// One entry of the IPv4 route cache of kernels before 3.6.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CachedRoute {
    /// Output device, raw bytes (escaped only when printed).
    pub iface: Vec<u8>,
    /// Destination host.
    pub destination: Ipv4Addr,
    /// Next hop.
    pub gateway: Ipv4Addr,
    /// `RTCF_*` bits (the cache's own flag set, which shares the low
    /// `RTF_*` bits).
    pub flags: RouteFlags,
    /// Reference count.
    pub refcnt: u32,
    /// Use count.
    pub use_count: u32,
    /// Metric.
    pub metric: u32,
    /// Source address.
    pub source: Ipv4Addr,
    /// Advertised MSS + 40, or 0.
    pub mtu: u32,
    /// Window clamp.
    pub window: u32,
    /// Initial round trip time.
    pub irtt: u32,
    /// Type of service.
    pub tos: u8,
    /// Hardware header cache references (-1 without one).
    pub hh_ref: u32,
    /// Whether the hardware header is up to date.
    pub hh_uptodate: u32,
    /// Preferred source address (`rt_spec_dst`).
    pub spec_dst: Ipv4Addr,
}
