//! The routing tables in net-tools 2.10's layouts: the IPv4 FIB in its
//! three `-e` styles, the IPv4 route cache, and the IPv6 FIB and cache.
//!
//! Facts these layouts encode (observed on net-tools 2.10):
//! * IPv4 destination, gateway and genmask are cut to 15 characters; the
//!   `-ee` interface column to 6; nothing is cut in IPv6 rows.
//! * Numbers print as C `int`s, so a metric of `0xffffffff` is `-1`.
//! * In IPv4 flags, `RTF_REJECT` *replaces* the letters gathered so far
//!   (`U` and `G`) with `!`; reject rows show `-` for the gateway and the
//!   columns a reject route has no use for.
//! * Names: `0.0.0.0/0` is `default`; a host route (or a destination with
//!   host bits set) is looked up as a host, any other destination in the
//!   networks database, a gateway as a host; the genmask stays numeric.
//!   There is no fallback from one database to the other.
//! * Unlike 2.10, which prints only the title for three or more `-e`,
//!   every count from two up selects the long style.
//! * Interface names are the kernel's raw bytes; they are escaped (see
//!   [`crate::render::escape`]) and, where a column has a width, padded
//!   and cut by bytes as net-tools' `printf` does.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, Write};
use std::net::{IpAddr, Ipv4Addr};

use super::address::{Naming, host_text};
use super::field::left;
use crate::model::{CachedRoute, Ipv6Route, Route, RouteFlags};
use crate::render::escape::{escape, escape_cut};

/// The IPv4 column sets chosen by the number of `-e`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteStyle {
    /// No `-e`: MSS, Window, irtt.
    Plain,
    /// `-e`: Metric, Ref, Use.
    Metrics,
    /// `-ee` and more: both, with the interface cut to 6 columns.
    Long,
}

impl RouteStyle {
    /// The style for `count` times `-e`.
    pub fn from_extend(count: u8) -> RouteStyle {
        match count {
            0 => RouteStyle::Plain,
            1 => RouteStyle::Metrics,
            _ => RouteStyle::Long,
        }
    }
}

/// The names an IPv4 route listing may use; `None` everywhere means
/// numeric output (`-n`, `--numeric-hosts`, `-N`).
#[derive(Clone, Copy, Debug, Default)]
pub struct RouteNames<'a> {
    /// Host names by address.
    pub hosts: Option<&'a HashMap<IpAddr, String>>,
    /// Network names (`/etc/networks`) by network address.
    pub networks: Option<&'a HashMap<Ipv4Addr, String>>,
}

/// A name an IPv4 route row would print if it were found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lookup {
    /// A host name (`/etc/hosts`, DNS).
    Host(IpAddr),
    /// A network name (`/etc/networks`).
    Network(Ipv4Addr),
}

/// The lookups a FIB row needs in named mode.
pub fn ipv4_lookups(route: &Route) -> Vec<Lookup> {
    let mut wanted = Vec::with_capacity(2);
    wanted.extend(destination_lookup(route));
    wanted.extend(host_lookup(route.gateway));
    wanted
}

/// The lookups a route cache row needs in named mode.
pub fn ipv4_cache_lookups(route: &CachedRoute) -> Vec<Lookup> {
    [route.source, route.destination, route.gateway, route.spec_dst]
        .into_iter()
        .filter_map(host_lookup)
        .collect()
}

/// The lookups an IPv6 row needs in named mode.
pub fn ipv6_lookups(route: &Ipv6Route) -> Vec<IpAddr> {
    [route.destination, route.next_hop]
        .into_iter()
        .filter(|addr| !addr.is_unspecified())
        .map(IpAddr::V6)
        .collect()
}

/// How a destination is named: as a host when it is a host route or has
/// host bits set, else as a network; `0.0.0.0` never.
fn destination_lookup(route: &Route) -> Option<Lookup> {
    let destination = u32::from(route.destination);
    if destination == 0 {
        return None;
    }
    let host_bits = destination & !u32::from(route.mask) != 0;
    if route.flags.has(RouteFlags::HOST) || host_bits {
        return host_lookup(route.destination);
    }
    Some(Lookup::Network(route.destination))
}

/// A host lookup, except for `0.0.0.0` and the `0.x.x.x` block.
///
/// The resolver answers `0.x.x.x` from the networks database, as the
/// socket listing needs; net-tools looks route hosts up in the hosts
/// database only, so those print numerically here.
fn host_lookup(addr: Ipv4Addr) -> Option<Lookup> {
    (addr.octets()[0] != 0).then_some(Lookup::Host(IpAddr::V4(addr)))
}

/// Writes `Kernel IP routing table`.
pub fn ipv4_title(out: &mut impl Write) -> io::Result<()> {
    out.write_all(b"Kernel IP routing table\n")
}

/// Writes the IPv4 FIB column header.
pub fn ipv4_header(out: &mut impl Write, style: RouteStyle) -> io::Result<()> {
    out.write_all(b"Destination     Gateway         Genmask         ")?;
    out.write_all(match style {
        RouteStyle::Plain => b"Flags   MSS Window  irtt Iface\n".as_slice(),
        RouteStyle::Metrics => b"Flags Metric Ref    Use Iface\n",
        RouteStyle::Long => {
            b"Flags Metric Ref    Use Iface    MSS   Window irtt\n"
        }
    })
}

/// Writes one IPv4 FIB row; routes that are not up print nothing.
pub fn ipv4_row(
    out: &mut impl Write,
    route: &Route,
    names: &RouteNames<'_>,
    style: RouteStyle,
) -> io::Result<()> {
    if !route.flags.has(RouteFlags::UP) {
        return Ok(());
    }

    // Destination, gateway, genmask and flags, common to all styles.
    let reject = route.flags.has(RouteFlags::REJECT);
    let destination = destination_text(route, names);
    let gateway = match reject {
        true => Cow::Borrowed("-"),
        false => gateway_text(route.gateway, names),
    };
    write!(
        out,
        "{:<15.15} {:<15.15} {:<15.15} {:<5} ",
        destination,
        gateway,
        route.mask,
        ipv4_route_flags(route.flags.0),
    )?;

    // The style's own columns.
    let tail = Tail {
        metric: route.metric,
        refcnt: route.refcnt,
        use_count: route.use_count,
        iface: &route.iface,
        mtu: route.mtu,
        window: route.window,
        irtt: route.irtt,
        irtt_width: 0,
    };
    tail.write(out, style, reject)?;
    out.write_all(b"\n")
}

/// The columns after the flags, shared by FIB and cache rows.
struct Tail<'a> {
    metric: u32,
    refcnt: u32,
    use_count: u32,
    /// The device's raw bytes, escaped when written.
    iface: &'a [u8],
    mtu: u32,
    window: u32,
    irtt: u32,
    /// Width of the last (irtt) column in the long style: 0 in the FIB,
    /// where it ends the row, 5 in the cache, where more columns follow.
    irtt_width: usize,
}

impl Tail<'_> {
    /// Writes the columns of `style`, dashed where a reject route has
    /// nothing to show.
    fn write(
        &self,
        out: &mut impl Write,
        style: RouteStyle,
        reject: bool,
    ) -> io::Result<()> {
        let int = |value: u32| (value as i32).to_string();
        let dash = |value: u32| if reject { "-".into() } else { int(value) };
        let iface = match reject {
            true => Cow::Borrowed("-"),
            false => escape(self.iface),
        };
        match style {
            RouteStyle::Plain => write!(
                out,
                "{:>5} {:<5} {:>6} {}",
                dash(self.mtu),
                dash(self.window),
                dash(self.irtt),
                iface,
            ),
            RouteStyle::Metrics => write!(
                out,
                "{:<6} {:<2} {:>7} {}",
                int(self.metric),
                dash(self.refcnt),
                int(self.use_count),
                iface,
            ),
            RouteStyle::Long => {
                write!(
                    out,
                    "{:<6} {:<3} {:>6} ",
                    int(self.metric),
                    dash(self.refcnt),
                    int(self.use_count),
                )?;
                let cut = match reject {
                    true => Cow::Borrowed("-"),
                    false => escape_cut(self.iface, 6),
                };
                left(out, cut.as_bytes(), 6)?;
                write!(
                    out,
                    "   {:<5} {:<6} {:<width$}",
                    dash(self.mtu),
                    dash(self.window),
                    dash(self.irtt),
                    width = self.irtt_width,
                )
            }
        }
    }
}

/// The destination text: `default` for 0/0, then the name, then digits.
fn destination_text<'a>(route: &Route, names: &RouteNames<'a>) -> Cow<'a, str> {
    if names.hosts.is_some() && route.destination.is_unspecified() {
        let default = route.mask.is_unspecified();
        return Cow::Borrowed(if default { "default" } else { "0.0.0.0" });
    }
    match destination_lookup(route) {
        Some(lookup) => name_or_number(lookup, route.destination, names),
        None => Cow::Owned(route.destination.to_string()),
    }
}

/// A gateway (or any host column): its host name, else digits.
fn gateway_text<'a>(addr: Ipv4Addr, names: &RouteNames<'a>) -> Cow<'a, str> {
    match host_lookup(addr) {
        Some(lookup) => name_or_number(lookup, addr, names),
        None => Cow::Owned(addr.to_string()),
    }
}

/// The name found for `lookup`, or the dotted address.
fn name_or_number<'a>(
    lookup: Lookup,
    addr: Ipv4Addr,
    names: &RouteNames<'a>,
) -> Cow<'a, str> {
    let name = match lookup {
        Lookup::Host(host) => names.hosts.and_then(|map| map.get(&host)),
        Lookup::Network(net) => names.networks.and_then(|map| map.get(&net)),
    };
    match name {
        Some(name) => Cow::Borrowed(name.as_str()),
        None => Cow::Owned(addr.to_string()),
    }
}

/// IPv4 FIB flag letters in net-tools' order; `RTF_REJECT` replaces the
/// letters before it with `!`.
pub fn ipv4_route_flags(flags: u32) -> String {
    flag_letters(flags, IPV4_FLAGS)
}

/// The letters of the set bits of `table`, in its order; a set
/// `RTF_REJECT` replaces the letters gathered so far with `!`.
fn flag_letters(flags: u32, table: &[(u32, &str)]) -> String {
    let mut text = String::new();
    for &(bit, letters) in table {
        if bit == RouteFlags::REJECT {
            if flags & bit != 0 {
                text = String::from("!");
            }
        } else if flags & bit != 0 {
            text.push_str(letters);
        }
    }
    text
}

/// IPv4 FIB flag bits and letters, in print order; the reject entry marks
/// where `!` takes over.
const IPV4_FLAGS: &[(u32, &str)] = &[
    (0x0000_0001, "U"),
    (0x0000_0002, "G"),
    (RouteFlags::REJECT, "!"),
    (0x0000_0004, "H"),
    (0x0000_0008, "R"),
    (0x0000_0010, "D"),
    (0x0000_0020, "M"),
    (0x0001_0000, "d"),
    (0x0002_0000, "a"),
    (0x0004_0000, "c"),
    (0x0020_0000, "o"),
    (0x0040_0000, "e"),
    (0x0100_0000, "c"),
    (0x0200_0000, "f"),
    (0x0400_0000, "p"),
    (0x8000_0000, "l"),
    (0x0000_0040, "u"),
    (0x0000_0080, "w"),
    (0x0000_0100, "i"),
    (0x0000_0400, "n"),
];

/// Writes `Kernel IP routing cache`.
pub fn ipv4_cache_title(out: &mut impl Write) -> io::Result<()> {
    out.write_all(b"Kernel IP routing cache\n")
}

/// Writes the IPv4 route cache column header.
pub fn ipv4_cache_header(
    out: &mut impl Write,
    style: RouteStyle,
) -> io::Result<()> {
    out.write_all(b"Source          Destination     Gateway         ")?;
    out.write_all(match style {
        RouteStyle::Plain => b"Flags   MSS Window  irtt Iface\n".as_slice(),
        RouteStyle::Metrics => b"Flags Metric Ref    Use Iface\n",
        RouteStyle::Long => {
            b"Flags Metric Ref    Use Iface    MSS   Window irtt  TOS HHRef \
              HHUptod     SpecDst\n"
        }
    })
}

/// Writes one route cache row.
pub fn ipv4_cache_row(
    out: &mut impl Write,
    route: &CachedRoute,
    names: &RouteNames<'_>,
    style: RouteStyle,
) -> io::Result<()> {
    // Source, destination, gateway and the cache's flag letters.
    write!(
        out,
        "{:<15.15} {:<15.15} {:<15.15} {:<5} ",
        gateway_text(route.source, names),
        gateway_text(route.destination, names),
        gateway_text(route.gateway, names),
        cache_route_flags(route.flags.0),
    )?;

    // The style's columns, then the cache-only ones of the long style.
    let tail = Tail {
        metric: route.metric,
        refcnt: route.refcnt,
        use_count: route.use_count,
        iface: &route.iface,
        mtu: route.mtu,
        window: route.window,
        irtt: route.irtt,
        irtt_width: 5,
    };
    tail.write(out, style, false)?;
    if style == RouteStyle::Long {
        write!(
            out,
            " {:<3} {:<3}   {:<3} {:>15}",
            format!("{:X}", route.tos),
            route.hh_ref as i32,
            route.hh_uptodate as i32,
            gateway_text(route.spec_dst, names),
        )?;
    }
    out.write_all(b"\n")
}

/// Route cache flag letters (`RTCF_*` with the low `RTF_*` bits) in
/// net-tools' order; reject replaces what precedes it with `!`.
pub fn cache_route_flags(flags: u32) -> String {
    flag_letters(flags, CACHE_FLAGS)
}

/// Route cache flag bits and letters, in print order.
const CACHE_FLAGS: &[(u32, &str)] = &[
    (0x0000_0002, "G"),
    (RouteFlags::REJECT, "!"),
    (0x0000_0008, "R"),
    (0x0000_0010, "D"),
    (0x0000_0020, "M"),
    (0x0000_0001, "-"),
    (0x0000_0004, "o"),
    (0x0001_0000, "n"),
    (0x0002_0000, "d"),
    (0x0008_0000, "t"),
    (0x0020_0000, "f"),
    (0x0040_0000, "q"),
    (0x0080_0000, "Ns"),
    (0x0100_0000, "r"),
    (0x0400_0000, "i"),
    (0x0800_0000, "Nd"),
    (0x1000_0000, "b"),
    (0x2000_0000, "m"),
    (0x4000_0000, "#"),
    (0x8000_0000, "l"),
];

/// Writes `Kernel IPv6 routing table`.
pub fn ipv6_title(out: &mut impl Write) -> io::Result<()> {
    out.write_all(b"Kernel IPv6 routing table\n")
}

/// Writes `Kernel IPv6 routing cache`.
pub fn ipv6_cache_title(out: &mut impl Write) -> io::Result<()> {
    out.write_all(b"Kernel IPv6 routing cache\n")
}

/// Writes the IPv6 column header (the same for FIB and cache, and for
/// any number of `-e`).
pub fn ipv6_header(out: &mut impl Write) -> io::Result<()> {
    out.write_all(
        b"Destination                    Next Hop                   \
          Flag Met Ref  Use If\n",
    )
}

/// True if an IPv6 route belongs in the cache view rather than the FIB.
pub fn ipv6_is_cached(route: &Ipv6Route) -> bool {
    route.flags.has(RouteFlags::CACHE)
}

/// Writes one IPv6 row; `naming.hosts` is `None` for numeric output.
pub fn ipv6_row(
    out: &mut impl Write,
    route: &Ipv6Route,
    naming: &Naming<'_>,
) -> io::Result<()> {
    let destination = format!(
        "{}/{}",
        host_text(IpAddr::V6(route.destination), naming),
        route.destination_len
    );
    writeln!(
        out,
        "{:<30} {:<26} {:<4} {:<3} {:<1} {:>6} {}",
        destination,
        host_text(IpAddr::V6(route.next_hop), naming),
        ipv6_route_flags(route.flags.0),
        route.metric as i32,
        route.refcnt as i32,
        route.use_count as i32,
        escape(&route.iface),
    )
}

/// IPv6 flag letters in net-tools' order (no replacement by `!` here).
pub fn ipv6_route_flags(flags: u32) -> String {
    IPV6_FLAGS
        .iter()
        .filter(|&&(bit, _)| flags & bit != 0)
        .map(|&(_, letter)| letter)
        .collect()
}

/// IPv6 flag bits and letters, in print order.
const IPV6_FLAGS: &[(u32, char)] = &[
    (0x0000_0001, 'U'),
    (RouteFlags::REJECT, '!'),
    (0x0000_0002, 'G'),
    (0x0000_0004, 'H'),
    (0x0001_0000, 'D'),
    (0x0004_0000, 'A'),
    (RouteFlags::CACHE, 'C'),
    (0x0002_0000, 'a'),
    (0x0040_0000, 'e'),
    (0x0000_0020, 'm'),
    (0x0020_0000, 'n'),
    (0x0200_0000, 'f'),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn route(destination: [u8; 4], mask: [u8; 4], flags: u32) -> Route {
        Route {
            iface: b"averylongifnam0".to_vec(),
            destination: Ipv4Addr::from(destination),
            gateway: Ipv4Addr::new(192, 0, 2, 1),
            flags: RouteFlags(flags),
            refcnt: 0,
            use_count: 0,
            metric: 5,
            mask: Ipv4Addr::from(mask),
            mtu: 1440,
            window: 65535,
            irtt: 300,
        }
    }

    fn row(route: &Route, names: &RouteNames<'_>, style: RouteStyle) -> String {
        let mut out = Vec::new();
        ipv4_row(&mut out, route, names, style).expect("write to a Vec");
        String::from_utf8(out).expect("ASCII row")
    }

    #[test]
    fn ipv4_flags_follow_net_tools_order_and_reject_rule() {
        assert_eq!(ipv4_route_flags(0x0003), "UG");
        assert_eq!(ipv4_route_flags(0x0205), "!H");
        assert_eq!(ipv4_route_flags(0x0207), "!H");
        assert_eq!(ipv4_route_flags(0xffff_fdff), "UGHRDMdacoecfpluwin");
        assert_eq!(ipv4_route_flags(0xffff_ffff), "!HRDMdacoecfpluwin");
        assert_eq!(ipv4_route_flags(0x0800), "");
    }

    #[test]
    fn ipv6_and_cache_flags_have_their_own_orders() {
        assert_eq!(ipv6_route_flags(0x0020_0200), "!n");
        assert_eq!(ipv6_route_flags(0x8020_0001), "Un");
        assert_eq!(ipv6_route_flags(0xffff_ffff), "U!GHDACaemnf");
        assert_eq!(cache_route_flags(0x8000_0005), "-ol");
        assert_eq!(cache_route_flags(0xffff_ffff), "!RDM-ondtfqNsriNdbm#l");
    }

    #[test]
    fn three_styles_of_one_route() {
        let numeric = RouteNames::default();
        let r = route([10, 50, 0, 0], [255, 255, 0, 0], 0x0003);
        assert_eq!(
            row(&r, &numeric, RouteStyle::Plain),
            "10.50.0.0       192.0.2.1       255.255.0.0     UG     1440 \
             65535    300 averylongifnam0\n"
        );
        assert_eq!(
            row(&r, &numeric, RouteStyle::Metrics),
            concat!(
                "10.50.0.0       192.0.2.1       255.255.0.0     ",
                "UG    5      0        0 averylongifnam0\n",
            )
        );
        assert_eq!(
            row(&r, &numeric, RouteStyle::Long),
            concat!(
                "10.50.0.0       192.0.2.1       255.255.0.0     ",
                "UG    5      0        0 averyl   1440  65535  300\n",
            )
        );
    }

    #[test]
    fn interface_names_are_escaped_from_raw_bytes() {
        let numeric = RouteNames::default();
        let mut r = route([10, 50, 0, 0], [255, 255, 0, 0], 0x0003);
        r.iface = b"e\x1b[7m".to_vec();
        assert!(row(&r, &numeric, RouteStyle::Plain).ends_with(" e\\x1b[7m\n"));
        assert!(
            row(&r, &numeric, RouteStyle::Long).contains(" e\\x1b[   1440 ")
        );
        r.iface = b"x\xffy".to_vec();
        assert!(row(&r, &numeric, RouteStyle::Metrics).ends_with(" x\\xffy\n"));
        assert!(
            row(&r, &numeric, RouteStyle::Long).contains(" x\\xffy   1440 ")
        );
    }

    #[test]
    fn reject_routes_are_dashed() {
        let numeric = RouteNames::default();
        let r = route([10, 96, 0, 1], [255; 4], 0x0205);
        assert_eq!(
            row(&r, &numeric, RouteStyle::Plain),
            concat!(
                "10.96.0.1       -               255.255.255.255 ",
                "!H        - -          - -\n",
            )
        );
        assert_eq!(
            row(&r, &numeric, RouteStyle::Long),
            concat!(
                "10.96.0.1       -               255.255.255.255 ",
                "!H    5      -        0 -        -     -      -\n",
            )
        );
    }

    #[test]
    fn routes_that_are_not_up_are_not_shown() {
        let r = route([10, 0, 0, 0], [255, 0, 0, 0], 0x0200);
        assert_eq!(row(&r, &RouteNames::default(), RouteStyle::Plain), "");
    }

    #[test]
    fn names_come_from_the_right_database_and_are_cut() {
        let hosts = HashMap::from([(
            IpAddr::from([192, 0, 2, 1]),
            String::from("gateway-with-a-very-long-name"),
        )]);
        let networks = HashMap::from([(
            Ipv4Addr::new(10, 50, 0, 0),
            String::from("fifty"),
        )]);
        let names =
            RouteNames { hosts: Some(&hosts), networks: Some(&networks) };
        let r = route([10, 50, 0, 0], [255, 255, 0, 0], 0x0003);
        assert!(
            row(&r, &names, RouteStyle::Plain)
                .starts_with("fifty           gateway-with-a- 255.255.0.0 ")
        );
        let default = route([0; 4], [0; 4], 0x0003);
        assert!(
            row(&default, &names, RouteStyle::Plain).starts_with("default ")
        );
        let zero_net = route([0; 4], [255, 0, 0, 0], 0x0001);
        assert!(
            row(&zero_net, &names, RouteStyle::Plain).starts_with("0.0.0.0 ")
        );
        let numeric = row(&default, &RouteNames::default(), RouteStyle::Plain);
        assert!(numeric.starts_with("0.0.0.0         192.0.2.1 "));
    }

    #[test]
    fn lookups_pick_hosts_for_host_routes_and_networks_otherwise() {
        let host = route([10, 30, 0, 5], [255, 255, 255, 0], 0x0005);
        let net = route([10, 30, 0, 0], [255, 255, 255, 0], 0x0001);
        let gateway = Lookup::Host(IpAddr::from([192, 0, 2, 1]));
        assert_eq!(
            ipv4_lookups(&host),
            [Lookup::Host(IpAddr::from([10, 30, 0, 5])), gateway]
        );
        assert_eq!(
            ipv4_lookups(&net),
            [Lookup::Network(Ipv4Addr::new(10, 30, 0, 0)), gateway]
        );
    }

    #[test]
    fn ipv6_rows_print_signed_numbers_and_never_cut() {
        let r = Ipv6Route {
            destination: "2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff"
                .parse()
                .expect("address"),
            destination_len: 128,
            source: "::".parse().expect("address"),
            source_len: 0,
            next_hop: "::".parse().expect("address"),
            metric: u32::MAX,
            refcnt: 1,
            use_count: 0,
            flags: RouteFlags(0x0020_0200),
            iface: b"lo".to_vec(),
        };
        let mut out = Vec::new();
        ipv6_row(&mut out, &r, &Naming::default()).expect("write to a Vec");
        assert_eq!(
            String::from_utf8(out).expect("ASCII row"),
            concat!(
                "2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff/128 ",
                "::                         !n   -1  1      0 lo\n",
            )
        );
    }
}
