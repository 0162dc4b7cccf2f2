//! Parsers for the kernel's routing tables as Linux 6.x prints them.
//!
//! * `route` (`fib_route_seq_show`): a header line naming tab-separated
//!   columns, then one line per main-table route. Columns are found by
//!   their header names, as net-tools does, so a reordered or extended
//!   header still reads. Addresses are network-order words printed as
//!   native integers (`%08X`; 192.0.2.1 is `010200C0` on x86), flags are
//!   hex, the rest decimal, some printed signed (`%d`) and some unsigned.
//! * `ipv6_route` (`ipv6_route_native_seq_show`): no header; addresses are
//!   32 hex digits in wire order, prefix lengths, metric, counters and
//!   flags hex, then the device name (blank when the route has none).
//! * `rt_cache`: the header-named layout of `route` with cache columns;
//!   only its header is left on kernels since 3.6.
//!
//! A line that does not parse is skipped and counted, never fatal: kernel
//! text is untrusted input, and a saved tree may be damaged.

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::path::{Path, PathBuf};

use super::{SourceError, Table};
use crate::model::{CachedRoute, Ipv6Route, Route, RouteFlags};

/// The routing tables under a root directory (normally `/proc`).
#[derive(Clone, Debug)]
pub struct RouteSource {
    root: PathBuf,
}

impl RouteSource {
    /// A source reading `ROOT/net/route`, `ROOT/net/ipv6_route` and
    /// `ROOT/net/rt_cache`.
    pub fn new(root: impl Into<PathBuf>) -> RouteSource {
        RouteSource { root: root.into() }
    }

    /// The path of a table, e.g. `route` → `ROOT/net/route`.
    pub fn path(&self, table: &str) -> PathBuf {
        self.root.join("net").join(table)
    }

    /// Reads the IPv4 main routing table.
    pub fn ipv4(&self) -> Result<Table<Route>, SourceError> {
        Ok(parse_ipv4_routes(&read(&self.path("route"))?))
    }

    /// Reads the IPv6 routing tables.
    pub fn ipv6(&self) -> Result<Table<Ipv6Route>, SourceError> {
        Ok(parse_ipv6_routes(&read(&self.path("ipv6_route"))?))
    }

    /// Reads the IPv4 route cache.
    pub fn ipv4_cache(&self) -> Result<Table<CachedRoute>, SourceError> {
        Ok(parse_ipv4_cache(&read(&self.path("rt_cache"))?))
    }
}

/// Reads a whole file (at most [`super::proc_net::MAX_FILE_BYTES`]),
/// telling a missing file from other failures.
pub(crate) fn read(path: &Path) -> Result<Vec<u8>, SourceError> {
    super::proc_net::read_bounded(path).map_err(|error| match error.kind() {
        io::ErrorKind::NotFound => SourceError::Missing(path.to_path_buf()),
        _ => SourceError::Io { path: path.to_path_buf(), error },
    })
}

/// Parses `/proc/net/route`.
pub fn parse_ipv4_routes(text: &[u8]) -> Table<Route> {
    parse_named_columns(text, |row| {
        Some(Route {
            iface: row.text("Iface")?,
            destination: row.address("Destination")?,
            gateway: row.address("Gateway")?,
            flags: RouteFlags(row.hex("Flags")?),
            refcnt: row.number("RefCnt")?,
            use_count: row.number("Use")?,
            metric: row.number("Metric")?,
            mask: row.address("Mask")?,
            mtu: row.number("MTU")?,
            window: row.number("Window")?,
            irtt: row.number("IRTT")?,
        })
    })
}

/// Parses `/proc/net/rt_cache`.
pub fn parse_ipv4_cache(text: &[u8]) -> Table<CachedRoute> {
    parse_named_columns(text, |row| {
        Some(CachedRoute {
            iface: row.text("Iface")?,
            destination: row.address("Destination")?,
            gateway: row.address("Gateway")?,
            flags: RouteFlags(row.hex("Flags")?),
            refcnt: row.number("RefCnt")?,
            use_count: row.number("Use")?,
            metric: row.number("Metric")?,
            source: row.address("Source")?,
            mtu: row.number("MTU")?,
            window: row.number("Window")?,
            irtt: row.number("IRTT")?,
            tos: u8::try_from(row.hex("TOS")?).ok()?,
            hh_ref: row.number("HHRef")?,
            hh_uptodate: row.number("HHUptod")?,
            spec_dst: row.address("SpecDst")?,
        })
    })
}

/// One data line of a table with a naming header.
struct Row<'a> {
    names: &'a [&'a [u8]],
    fields: Vec<&'a [u8]>,
}

impl Row<'_> {
    /// The field under the header column `name`.
    fn field(&self, name: &str) -> Option<&[u8]> {
        let index = self.names.iter().position(|n| *n == name.as_bytes())?;
        self.fields.get(index).copied()
    }

    /// A text field, such as a device name, as raw bytes.
    fn text(&self, name: &str) -> Option<Vec<u8>> {
        Some(self.field(name)?.to_vec())
    }

    /// An address word.
    fn address(&self, name: &str) -> Option<Ipv4Addr> {
        let digits = self.field(name)?;
        if digits.len() != 8 {
            return None;
        }
        let value = u32::try_from(hex(digits)?).ok()?;
        Some(Ipv4Addr::from(value.to_ne_bytes()))
    }

    /// A hexadecimal field of at most 32 bits.
    fn hex(&self, name: &str) -> Option<u32> {
        u32::try_from(hex(self.field(name)?)?).ok()
    }

    /// A decimal field, signed or not, kept as its low 32 bits.
    fn number(&self, name: &str) -> Option<u32> {
        number(self.field(name)?)
    }
}

/// Applies `parse` to every data line of a table whose first line names
/// its columns.
fn parse_named_columns<T>(
    text: &[u8],
    mut parse: impl FnMut(&Row<'_>) -> Option<T>,
) -> Table<T> {
    let mut lines = text.split(|&b| b == b'\n');
    let header = lines.next().unwrap_or_default();
    let names: Vec<&[u8]> = words(header).collect();
    let mut table = Table { rows: Vec::new(), skipped: 0 };
    for line in lines {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let row = Row { names: &names, fields: words(line).collect() };
        match parse(&row) {
            Some(value) => table.rows.push(value),
            None => table.skipped += 1,
        }
    }
    table
}

/// Parses `/proc/net/ipv6_route`, which has no header line.
pub fn parse_ipv6_routes(text: &[u8]) -> Table<Ipv6Route> {
    let mut table = Table { rows: Vec::new(), skipped: 0 };
    for line in text.split(|&b| b == b'\n') {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match parse_ipv6_line(line) {
            Some(route) => table.rows.push(route),
            None => table.skipped += 1,
        }
    }
    table
}

/// Parses one `ipv6_route` line: destination and its length, source and
/// its length, next hop, metric, refcnt, use, flags, device.
pub fn parse_ipv6_line(line: &[u8]) -> Option<Ipv6Route> {
    let fields: Vec<&[u8]> = words(line).collect();
    if fields.len() != 9 && fields.len() != 10 {
        return None;
    }

    // The three addresses and two prefix lengths.
    let destination = wire_ipv6(fields[0])?;
    let destination_len = prefix_length(fields[1])?;
    let source = wire_ipv6(fields[2])?;
    let source_len = prefix_length(fields[3])?;
    let next_hop = wire_ipv6(fields[4])?;

    // Counters and flags; the device is blank for routes without one.
    let word = |field: &[u8]| u32::try_from(hex(field)?).ok();
    let iface = fields.get(9).map(|name| name.to_vec());
    Some(Ipv6Route {
        destination,
        destination_len,
        source,
        source_len,
        next_hop,
        metric: word(fields[5])?,
        refcnt: word(fields[6])?,
        use_count: word(fields[7])?,
        flags: RouteFlags(word(fields[8])?),
        iface: iface.unwrap_or_default(),
    })
}

/// A prefix length: two hex digits, at most 128.
fn prefix_length(field: &[u8]) -> Option<u8> {
    u8::try_from(hex(field)?).ok().filter(|&len| len <= 128)
}

/// An IPv6 address written as 32 hex digits in wire (network) order.
pub(crate) fn wire_ipv6(digits: &[u8]) -> Option<Ipv6Addr> {
    if digits.len() != 32 {
        return None;
    }
    let mut bytes = [0u8; 16];
    for (pair, byte) in digits.chunks(2).zip(bytes.iter_mut()) {
        *byte = u8::try_from(hex(pair)?).ok()?;
    }
    Some(Ipv6Addr::from(bytes))
}

/// The blank-separated words of a line.
pub(crate) fn words(line: &[u8]) -> impl Iterator<Item = &[u8]> {
    line.split(u8::is_ascii_whitespace).filter(|word| !word.is_empty())
}

/// Unsigned hexadecimal, 1 to 16 digits.
pub(crate) fn hex(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() || digits.len() > 16 {
        return None;
    }
    u64::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
}

/// Unsigned decimal.
pub(crate) fn decimal(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// Decimal, optionally negative, reduced to its low 32 bits (C's `int`
/// and `unsigned` share them; net-tools reads both into an `int`).
pub(crate) fn number(digits: &[u8]) -> Option<u32> {
    let (negative, magnitude) = match digits.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, digits),
    };
    let value = decimal(magnitude)?;
    let low = value as u32;
    Some(if negative { low.wrapping_neg() } else { low })
}

#[cfg(test)]
mod tests {
    //! `proc-routes` was captured on Linux 6.18 (x86_64) in a private
    //! network namespace: veth pairs `v0`/`v1`, `averylongifnam0`/
    //! `alongpeer1` and `d0`/`d1`; `ip route add` of a default route via
    //! 192.0.2.1, 10.20.0.0/16 with metric 5, a host route to 10.30.0.5,
    //! unreachable, prohibit and blackhole routes, 10.50.0.0/16 with
    //! `advmss 1400 window 65535 rtt 300ms`, and IPv6 default, /64 via
    //! fd00::1 with metric 300, unreachable /48 and a /128 host route.
    //! `proc-routes-crafted` holds hand-written rows (every flag bit,
    //! numbers past 32 bits, route cache rows).

    use super::*;

    const ROUTE: &[u8] =
        include_bytes!("../../../../tests/fixtures/proc-routes/net/route");
    const IPV6_ROUTE: &[u8] =
        include_bytes!("../../../../tests/fixtures/proc-routes/net/ipv6_route");
    const RT_CACHE: &[u8] =
        include_bytes!("../../../../tests/fixtures/proc-routes/net/rt_cache");
    const CRAFTED_ROUTE: &[u8] = include_bytes!(
        "../../../../tests/fixtures/proc-routes-crafted/net/route"
    );
    const CRAFTED_CACHE: &[u8] = include_bytes!(
        "../../../../tests/fixtures/proc-routes-crafted/net/rt_cache"
    );

    fn v4(a: u8, b: u8, c: u8, d: u8) -> Ipv4Addr {
        Ipv4Addr::new(a, b, c, d)
    }

    #[test]
    fn ipv4_routes_decode_addresses_flags_and_metrics() {
        let table = parse_ipv4_routes(ROUTE);
        assert_eq!(table.skipped, 0);
        assert_eq!(table.rows.len(), 17);
        let default = table.rows.iter().find(|r| r.mask.is_unspecified());
        let default = default.expect("a default route");
        assert_eq!(default.gateway, v4(192, 0, 2, 1));
        assert_eq!(
            (default.flags.0, default.iface.as_slice()),
            (0x3, b"v0".as_slice())
        );
        let metric = table.rows.iter().find(|r| r.metric == 5);
        assert_eq!(metric.expect("metric 5").destination, v4(10, 20, 0, 0));
        let host = table.rows.iter().find(|r| r.flags.has(RouteFlags::HOST));
        let host = host.expect("a host route");
        assert_eq!(
            (host.destination, host.mask),
            (v4(10, 30, 0, 5), v4(255, 255, 255, 255))
        );
        let tuned = table.rows.iter().find(|r| r.mtu != 0).expect("advmss");
        assert_eq!((tuned.mtu, tuned.window, tuned.irtt), (1440, 65535, 300));
        let rejects: Vec<_> = table
            .rows
            .iter()
            .filter(|r| r.flags.has(RouteFlags::REJECT))
            .map(|r| r.iface.as_slice())
            .collect();
        assert_eq!(rejects, [b"*"; 3]);
        assert!(table.rows.iter().any(|r| r.iface == b"averylongifnam0"));
    }

    #[test]
    fn ipv4_numbers_keep_their_low_32_bits() {
        let table = parse_ipv4_routes(CRAFTED_ROUTE);
        assert_eq!(table.skipped, 2, "a garbage line and a short one");
        let wrapped: Vec<_> = table
            .rows
            .iter()
            .filter(|r| r.iface == b"averylongifnam0")
            .collect();
        assert_eq!(wrapped[0].metric, u32::MAX);
        assert_eq!(wrapped[0].mtu as i32, -5);
        assert_eq!(wrapped[0].irtt, u32::MAX);
        let big = table.rows.iter().find(|r| r.use_count == 123456);
        assert_eq!(big.expect("use 123456").mtu, 1215752191);
    }

    #[test]
    fn ipv4_columns_are_found_by_name() {
        let text = b"Mask\tIface\tGateway\tDestination\tFlags\tMetric\t\
RefCnt\tUse\tIRTT\tWindow\tMTU\n\
00FFFFFF\teth0\t00000000\t0000000A\t0001\t3\t0\t0\t7\t8\t9\n";
        let table = parse_ipv4_routes(text);
        assert_eq!(table.skipped, 0);
        let route = &table.rows[0];
        assert_eq!(
            (route.destination, route.mask),
            (v4(10, 0, 0, 0), v4(255, 255, 255, 0))
        );
        assert_eq!(
            (route.metric, route.irtt, route.window, route.mtu),
            (3, 7, 8, 9)
        );
    }

    #[test]
    fn a_header_without_the_needed_columns_skips_every_row() {
        let table = parse_ipv4_routes(b"Iface\tDestination\neth0\t0000000A\n");
        assert_eq!((table.rows.len(), table.skipped), (0, 1));
        assert_eq!(parse_ipv4_routes(b"").skipped, 0);
    }

    #[test]
    fn ipv6_routes_decode_every_table() {
        let table = parse_ipv6_routes(IPV6_ROUTE);
        assert_eq!(table.skipped, 0);
        assert_eq!(table.rows.len(), 26);
        let via =
            table.rows.iter().find(|r| r.metric == 300).expect("metric 300");
        assert_eq!(
            via.destination,
            "2001:db8:aaaa:bbbb::".parse::<Ipv6Addr>().unwrap()
        );
        assert_eq!(via.destination_len, 64);
        assert_eq!(via.next_hop, "fd00::1".parse::<Ipv6Addr>().unwrap());
        assert_eq!(via.flags.0, 0x3);
        let null = table.rows.last().expect("the null route");
        assert_eq!(
            (null.metric, null.flags.0, null.iface.as_slice()),
            (u32::MAX, 0x0020_0200, b"lo".as_slice())
        );
        assert!(table.rows.iter().any(|r| r.iface == b"averylongifnam0"));
    }

    #[test]
    fn broken_ipv6_lines_are_counted_not_fatal() {
        let text = b"garbage\n\
0000000000000000000000000000000 00 00000000000000000000000000000000 00 \
00000000000000000000000000000000 ffffffff 00000001 00000000 00200200 lo\n\
00000000000000000000000000000000 81 00000000000000000000000000000000 00 \
00000000000000000000000000000000 ffffffff 00000001 00000000 00200200 lo\n\
00000000000000000000000000000000 00 00000000000000000000000000000000 00 \
00000000000000000000000000000000 ffffffff 00000001 00000000 00200200\n";
        let table = parse_ipv6_routes(text);
        assert_eq!((table.rows.len(), table.skipped), (1, 3));
        assert_eq!(table.rows[0].iface, b"", "a route without a device");
    }

    #[test]
    fn route_cache_is_header_only_on_modern_kernels() {
        let table = parse_ipv4_cache(RT_CACHE);
        assert_eq!((table.rows.len(), table.skipped), (0, 0));
    }

    #[test]
    fn route_cache_rows_of_old_kernels_decode() {
        let table = parse_ipv4_cache(CRAFTED_CACHE);
        assert_eq!(table.skipped, 0);
        assert_eq!(table.rows.len(), 37);
        let row = table.rows.iter().find(|r| r.iface == b"eth0").expect("eth0");
        assert_eq!(
            (row.source, row.spec_dst),
            (v4(10, 0, 0, 2), v4(10, 0, 0, 2))
        );
        assert_eq!(
            (row.refcnt, row.use_count, row.mtu, row.irtt),
            (2, 17, 1500, 300)
        );
        assert_eq!((row.tos, row.hh_ref, row.hh_uptodate), (0x10, 1, 1));
        let local = table.rows.iter().find(|r| r.flags.0 == 0x8000_0005);
        assert_eq!(local.expect("RTCF_LOCAL").hh_ref as i32, -1);
    }

    #[test]
    fn numbers_wrap_like_c_ints() {
        assert_eq!(number(b"-1"), Some(u32::MAX));
        assert_eq!(number(b"4294967295"), Some(u32::MAX));
        assert_eq!(number(b"99999999999"), Some(1215752191));
        assert_eq!(number(b"-"), None);
        assert_eq!(number(b"1x"), None);
    }

    #[test]
    fn missing_tables_are_reported_as_missing() {
        let source = RouteSource::new("/nonexistent-proc-root");
        assert!(matches!(source.ipv4(), Err(SourceError::Missing(_))));
        assert!(matches!(source.ipv6(), Err(SourceError::Missing(_))));
        assert!(matches!(source.ipv4_cache(), Err(SourceError::Missing(_))));
    }
}
