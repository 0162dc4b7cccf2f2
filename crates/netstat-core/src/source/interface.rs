//! The interface view's sources: `/proc/net/dev` (the device list and its
//! counters), `/proc/net/if_inet6` (IPv6 addresses), and the link facts
//! and IPv4 addresses that `/proc/net` does not hold.
//!
//! net-tools asks the kernel for those facts with `SIOCGIF*` ioctls,
//! which only describe the live system. So there are two kinds of
//! [`Session`]: on the live system (root `/proc`) the same ioctls, on an
//! AF_INET socket of the reading process's network namespace
//! (`live`); for a saved tree, files saved beside it
//! (`saved`): `ROOT/../sys/class/net/NAME/*` from sysfs and
//! `ROOT/../ip-address`, the output of `ip -o address show`.
//!
//! `dev` (`dev_seq_printf_stats`) has two header lines, then per device
//! the name right-justified in six columns, a colon (long names are not
//! padded, and a counter of eight digits or more follows the colon with
//! no blank), and sixteen counters. `if_inet6` (`if6_seq_show`) has no
//! header: 32 hex digits of address, then index, prefix length, scope and
//! flags in hex, then the name. A line that does not parse is skipped and
//! counted, never fatal.

mod live;
mod saved;

use std::fmt;
use std::io;
use std::net::Ipv6Addr;
use std::path::{Path, PathBuf};

use super::{SourceError, Table};
use crate::model::{DeviceStats, Ipv4Config, Ipv6Config, LinkFacts};

pub use saved::{IP_ADDRESS, SYS_CLASS_NET, parse_ip_address};

/// Where the interface view reads from: the live system or a saved tree.
#[derive(Clone, Debug)]
pub struct InterfaceSource {
    root: PathBuf,
    live: bool,
}

/// One line of `/proc/net/dev`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceLine {
    /// The device name.
    pub name: Vec<u8>,
    /// Its counters.
    pub stats: DeviceStats,
}

/// What a [`Session`] reports about one name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    /// Link facts of the device (of the label's device for an alias).
    pub link: LinkFacts,
    /// The IPv4 address labelled with exactly this name.
    pub ipv4: Option<Ipv4Config>,
}

/// The facts of a name could not be fetched.
#[derive(Debug)]
pub enum FetchError {
    /// No such device (it vanished, or a saved tree lacks its files).
    NotFound,
    /// Another failure of the ioctl or file read.
    Io(io::Error),
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::NotFound => f.write_str("no such device"),
            FetchError::Io(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for FetchError {}

impl InterfaceSource {
    /// A source for the tree at `root`: the live system when `root` is
    /// `/proc`, a saved tree otherwise.
    pub fn new(root: impl Into<PathBuf>) -> InterfaceSource {
        let root = root.into();
        let live = root == Path::new("/proc");
        InterfaceSource { root, live }
    }

    /// A source for a saved tree, even at `/proc` (for tests).
    pub fn saved(root: impl Into<PathBuf>) -> InterfaceSource {
        InterfaceSource { root: root.into(), live: false }
    }

    /// True when link facts come from ioctls on the live system.
    pub fn is_live(&self) -> bool {
        self.live
    }

    /// `ROOT/net/dev`.
    pub fn dev_path(&self) -> PathBuf {
        self.root.join("net/dev")
    }

    /// Reads the device list and counters.
    pub fn devices(&self) -> Result<Table<DeviceLine>, SourceError> {
        let text = read(&self.dev_path())?;
        Ok(parse_dev(&text))
    }

    /// Reads `ROOT/net/if_inet6`.
    pub fn ipv6_addresses(&self) -> Result<Table<Ipv6Config>, SourceError> {
        let text = read(&self.root.join("net/if_inet6"))?;
        Ok(parse_if_inet6(&text))
    }

    /// Opens a session for link facts and IPv4 addresses: an ioctl socket
    /// on the live system, the saved files otherwise. For an ioctl
    /// failure the error's path names the call (`socket`), as `perror`
    /// would.
    pub fn open(&self) -> Result<Session, SourceError> {
        if self.live {
            let session = live::Live::open().map_err(|error| {
                SourceError::Io { path: PathBuf::from("socket"), error }
            })?;
            return Ok(Session(Inner::Live(session)));
        }
        Ok(Session(Inner::Saved(saved::Saved::open(&self.root)?)))
    }
}

/// Fetches link facts and IPv4 addresses for names.
#[derive(Debug)]
pub struct Session(Inner);

#[derive(Debug)]
enum Inner {
    Live(live::Live),
    Saved(saved::Saved),
}

impl Session {
    /// The names that carry IPv4 addresses, one per address, in kernel
    /// order (`SIOCGIFCONF`): device names and alias labels such as
    /// `v0:1`. For a failed ioctl the error's path is `SIOCGIFCONF`.
    pub fn labels(&self) -> Result<Vec<Vec<u8>>, SourceError> {
        match &self.0 {
            Inner::Live(live) => live.labels().map_err(|error| {
                SourceError::Io { path: PathBuf::from("SIOCGIFCONF"), error }
            }),
            Inner::Saved(saved) => Ok(saved.labels()),
        }
    }

    /// The facts of one name; an alias label gets its device's link
    /// facts and its own IPv4 address.
    pub fn facts(&self, name: &[u8]) -> Result<Facts, FetchError> {
        match &self.0 {
            Inner::Live(live) => live.facts(name),
            Inner::Saved(saved) => saved.facts(name),
        }
    }
}

/// Reads a whole file (at most [`super::proc_net::MAX_FILE_BYTES`]),
/// telling a missing file from other failures.
fn read(path: &Path) -> Result<Vec<u8>, SourceError> {
    super::proc_net::read_bounded(path).map_err(|error| match error.kind() {
        io::ErrorKind::NotFound => SourceError::Missing(path.to_path_buf()),
        _ => SourceError::Io { path: path.to_path_buf(), error },
    })
}

/// Parses `/proc/net/dev`: two header lines, then one device a line.
pub fn parse_dev(text: &[u8]) -> Table<DeviceLine> {
    parse_lines(text.split(|&b| b == b'\n').skip(2), parse_dev_line)
}

/// Parses one device line, `NAME: C1 C2 ... C16`. Missing trailing
/// counters read as 0; a line without a name and colon does not parse.
pub fn parse_dev_line(line: &[u8]) -> Option<DeviceLine> {
    let colon = line.iter().position(|&b| b == b':')?;
    let name = line[..colon].trim_ascii();
    if name.is_empty() || name.iter().any(u8::is_ascii_whitespace) {
        return None;
    }

    // The counters in file order; parsing stops at the first non-number.
    let mut values = [0u64; 16];
    let fields = line[colon + 1..]
        .split(u8::is_ascii_whitespace)
        .filter(|f| !f.is_empty());
    for (slot, field) in values.iter_mut().zip(fields) {
        match decimal(field) {
            Some(value) => *slot = value,
            None => break,
        }
    }
    Some(DeviceLine { name: name.to_vec(), stats: stats_from(values) })
}

/// The counters of a `dev` line in file order.
fn stats_from(v: [u64; 16]) -> DeviceStats {
    DeviceStats {
        rx_bytes: v[0],
        rx_packets: v[1],
        rx_errors: v[2],
        rx_dropped: v[3],
        rx_fifo: v[4],
        rx_frame: v[5],
        rx_compressed: v[6],
        rx_multicast: v[7],
        tx_bytes: v[8],
        tx_packets: v[9],
        tx_errors: v[10],
        tx_dropped: v[11],
        tx_fifo: v[12],
        tx_collisions: v[13],
        tx_carrier: v[14],
        tx_compressed: v[15],
    }
}

/// Parses `/proc/net/if_inet6` (no header).
pub fn parse_if_inet6(text: &[u8]) -> Table<Ipv6Config> {
    parse_lines(text.split(|&b| b == b'\n'), parse_if_inet6_line)
}

/// Parses `ADDR IFINDEX PLEN SCOPE FLAGS NAME`.
pub fn parse_if_inet6_line(line: &[u8]) -> Option<Ipv6Config> {
    let mut fields =
        line.split(u8::is_ascii_whitespace).filter(|f| !f.is_empty());
    let address = ipv6_hex(fields.next()?)?;
    let ifindex = hex(fields.next()?)?;
    let prefix_len = hex(fields.next()?)?;
    let scope = hex(fields.next()?)?;
    let flags = hex(fields.next()?)?;
    let device = fields.next()?.to_vec();
    if fields.next().is_some() {
        return None;
    }
    Some(Ipv6Config { address, ifindex, prefix_len, scope, flags, device })
}

/// Applies a line parser to every non-blank line.
fn parse_lines<'a, T>(
    lines: impl Iterator<Item = &'a [u8]>,
    parse: impl Fn(&[u8]) -> Option<T>,
) -> Table<T> {
    let mut table = Table { rows: Vec::new(), skipped: 0 };
    for line in lines {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match parse(line) {
            Some(row) => table.rows.push(row),
            None => table.skipped += 1,
        }
    }
    table
}

/// An IPv6 address written as 32 hex digits in wire order.
fn ipv6_hex(digits: &[u8]) -> Option<Ipv6Addr> {
    if digits.len() != 32 {
        return None;
    }
    let mut bytes = [0u8; 16];
    for (pair, byte) in digits.chunks(2).zip(bytes.iter_mut()) {
        *byte = u8::try_from(hex(pair)?).ok()?;
    }
    Some(Ipv6Addr::from(bytes))
}

/// Unsigned hexadecimal, 1 to 8 digits.
fn hex(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || digits.len() > 8 {
        return None;
    }
    u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
}

/// Unsigned decimal that fits 64 bits.
fn decimal(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    //! Fixtures were captured on Linux 6.18 (x86_64) in a private network
    //! namespace holding lo, a veth `v0` with addresses, a tun device, an
    //! ifb device named `abcdefghijklmno` (15 characters) and an ifb with
    //! MTU 16000; the 64-bit values were written into a copy of `dev` by
    //! hand, in the kernel's layout.

    use super::*;

    const DEV: &[u8] = b"\
Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    \
packets errs drop fifo colls carrier compressed
    lo:       0       0    0    0    0     0          0         0        \
0       0    0    0    0     0       0          0
    v0:     866      11    0    0    0     0          0         0      440 \
      4    0    0    0     0       0          0
abcdefghijklmno:       0       0    0    0    0     0          0         0 \
       0       0    0    0    0     0       0          0
   v1p:18446744073709551615 18446744073709551615 4294967295 4294967296 \
18446744073709551615 0 0 0 9223372036854775807 99999999999 0 0 0 0 0 0
  tun0:1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16
";

    const IF_INET6: &[u8] = b"\
fe80000000000000b8216ffffe7f6d9a 07 40 20 80 abcdefghijklmno
20010db8000000000000000000000001 04 40 00 80     tun0
fd000000000000000000000000000002 03 40 00 80       v0
00000000000000000000000000000001 01 80 10 80       lo
";

    #[test]
    fn dev_lines_parse_in_file_order() {
        let table = parse_dev(DEV);
        assert_eq!(table.skipped, 0);
        let names: Vec<&[u8]> =
            table.rows.iter().map(|r| r.name.as_slice()).collect();
        let expected: [&[u8]; 5] =
            [b"lo", b"v0", b"abcdefghijklmno", b"v1p", b"tun0"];
        assert_eq!(names, expected);
        assert_eq!(table.rows[1].stats.rx_bytes, 866);
        assert_eq!(table.rows[1].stats.tx_packets, 4);
    }

    #[test]
    fn dev_counters_are_64_bit_and_follow_the_colon() {
        let table = parse_dev(DEV);
        let big = &table.rows[3].stats;
        assert_eq!(big.rx_bytes, u64::MAX);
        assert_eq!(big.rx_packets, u64::MAX);
        assert_eq!(big.rx_errors, 4_294_967_295);
        assert_eq!(big.rx_dropped, 4_294_967_296);
        assert_eq!(big.rx_fifo, u64::MAX);
        assert_eq!(big.tx_bytes, 9_223_372_036_854_775_807);
        assert_eq!(big.tx_packets, 99_999_999_999);
    }

    #[test]
    fn dev_counters_map_to_their_fields() {
        let s = parse_dev(DEV).rows[4].stats;
        let got = [
            s.rx_bytes,
            s.rx_packets,
            s.rx_errors,
            s.rx_dropped,
            s.rx_fifo,
            s.rx_frame,
            s.rx_compressed,
            s.rx_multicast,
            s.tx_bytes,
            s.tx_packets,
            s.tx_errors,
            s.tx_dropped,
            s.tx_fifo,
            s.tx_collisions,
            s.tx_carrier,
            s.tx_compressed,
        ];
        assert_eq!(got, std::array::from_fn(|i| i as u64 + 1));
    }

    #[test]
    fn malformed_dev_lines_are_skipped_or_cut_short() {
        let text = b"h1\nh2\nno colon here\n  : 1 2\n  x: 5 oops 7\n\n";
        let table = parse_dev(text);
        assert_eq!(table.skipped, 2);
        assert_eq!(table.rows.len(), 1);
        assert_eq!(table.rows[0].stats.rx_bytes, 5);
        assert_eq!(table.rows[0].stats.rx_packets, 0);
        assert_eq!(table.rows[0].stats.rx_errors, 0);
    }

    #[test]
    fn if_inet6_lines_parse() {
        let table = parse_if_inet6(IF_INET6);
        assert_eq!(table.skipped, 0);
        let long = &table.rows[0];
        assert_eq!(long.device, b"abcdefghijklmno");
        assert_eq!(long.address.to_string(), "fe80::b821:6fff:fe7f:6d9a");
        assert_eq!((long.ifindex, long.prefix_len), (7, 64));
        assert_eq!((long.scope, long.flags), (0x20, 0x80));
        let lo = &table.rows[3];
        assert_eq!(lo.address, Ipv6Addr::LOCALHOST);
        assert_eq!((lo.prefix_len, lo.scope), (128, 0x10));
    }

    #[test]
    fn malformed_if_inet6_lines_are_skipped() {
        let text = b"fe80 01 40 20 80 lo\n\
00000000000000000000000000000001 01 80 10 80\n\
0000000000000000000000000000000g 01 80 10 80 lo\n";
        let table = parse_if_inet6(text);
        assert_eq!((table.rows.len(), table.skipped), (0, 3));
    }

    #[test]
    fn a_saved_tree_is_not_live() {
        assert!(InterfaceSource::new("/proc").is_live());
        assert!(!InterfaceSource::new("/tmp/bundle/proc").is_live());
        assert!(!InterfaceSource::saved("/proc").is_live());
    }
}
