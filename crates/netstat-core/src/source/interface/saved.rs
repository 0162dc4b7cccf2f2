//! Link facts and IPv4 addresses of a saved tree, from files saved beside
//! it: `ROOT/../sys/class/net/DEVICE/{flags,operstate,mtu,type,address,
//! tx_queue_len}` (a copy of those sysfs files) and `ROOT/../ip-address`
//! (the output of `ip -o address show`; the multi-line form of
//! `ip address show` reads too). With `ROOT` = `bundle/proc` that is the
//! layout of `bundle/sys` and `bundle/ip-address`.
//!
//! sysfs `flags` holds the device flags without `IFF_RUNNING`, which the
//! kernel computes for `SIOCGIFFLAGS`: up and operationally "up" or
//! "unknown". It holds `IFF_PROMISC` / `IFF_ALLMULTI` whenever the device
//! is in that mode (for a bridge port, a packet capture), where the ioctl
//! shows only what a user asked for with `ip link set ... promisc on`.
//! The device map (`SIOCGIFMAP`) is not in sysfs and reads as zeros.
//!
//! For an IPv4 address `ip` prints the address (with `peer` for a
//! point-to-point peer), `brd`, `scope`, flag words and, last, the label.

use std::ffi::OsStr;
use std::io;
use std::net::Ipv4Addr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use super::{Facts, FetchError, SourceError};
use crate::model::{HardwareAddress, InterfaceFlags, Ipv4Config, LinkFacts};
use crate::source::proc_net::read_bounded;

/// Where a saved tree keeps its sysfs interface files, relative to ROOT.
pub const SYS_CLASS_NET: &str = "../sys/class/net";

/// Where a saved tree keeps `ip -o address show` output, relative to
/// ROOT.
pub const IP_ADDRESS: &str = "../ip-address";

/// `ARPHRD_VOID`: the hardware type when the files do not say.
const UNKNOWN_TYPE: u16 = 0xFFFF;

/// `ip` keywords that take a value in an address line.
const KEYS: [&[u8]; 6] =
    [b"peer", b"brd", b"any", b"scope", b"metric", b"proto"];

/// The saved files of one tree.
#[derive(Debug)]
pub struct Saved {
    sys: PathBuf,
    addresses: Vec<(Vec<u8>, Ipv4Config)>,
}

impl Saved {
    /// Reads `ROOT/../ip-address` (absent means no IPv4 addresses).
    pub fn open(root: &Path) -> Result<Saved, SourceError> {
        let path = root.join(IP_ADDRESS);
        let addresses = match read_bounded(&path) {
            Ok(text) => parse_ip_address(&text),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Vec::new(),
            Err(error) => return Err(SourceError::Io { path, error }),
        };
        Ok(Saved { sys: root.join(SYS_CLASS_NET), addresses })
    }

    /// Every address's label, in file order.
    pub fn labels(&self) -> Vec<Vec<u8>> {
        self.addresses.iter().map(|(label, _)| label.clone()).collect()
    }

    /// Facts of the device before the first colon of `name`, and the
    /// first address labelled `name`.
    pub fn facts(&self, name: &[u8]) -> Result<Facts, FetchError> {
        let device = name.split(|&b| b == b':').next().unwrap_or_default();
        if device.is_empty()
            || device.contains(&b'/')
            || device.contains(&0)
            || device == b"."
            || device == b".."
        {
            return Err(FetchError::NotFound);
        }
        let dir = self.sys.join(OsStr::from_bytes(device));
        let link = read_link(&dir)?;
        let ipv4 = self
            .addresses
            .iter()
            .find(|(label, _)| label == name)
            .map(|(_, config)| *config);
        Ok(Facts { link, ipv4 })
    }
}

/// The link facts in one sysfs device directory.
fn read_link(dir: &Path) -> Result<LinkFacts, FetchError> {
    // Without its flags the device counts as absent.
    let flags = attribute(dir, "flags")?
        .as_deref()
        .and_then(hex_value)
        .ok_or(FetchError::NotFound)?;
    let operstate = attribute(dir, "operstate")?;
    let running = flags & InterfaceFlags::UP != 0
        && matches!(operstate.as_deref(), Some("up" | "unknown"));
    let flags = match running {
        true => flags | InterfaceFlags::RUNNING,
        false => flags & !InterfaceFlags::RUNNING,
    };

    // The rest; a missing or unreadable value keeps its default.
    let number = |name| -> Result<Option<i64>, FetchError> {
        Ok(attribute(dir, name)?.and_then(|t| t.parse().ok()))
    };
    let mtu = number("mtu")?.and_then(|v| i32::try_from(v).ok());
    let kind = number("type")?.and_then(|v| u16::try_from(v).ok());
    let queue = number("tx_queue_len")?.and_then(|v| u32::try_from(v).ok());
    let address = attribute(dir, "address")?;
    Ok(LinkFacts {
        flags: InterfaceFlags(flags),
        mtu: mtu.unwrap_or(0),
        hardware: HardwareAddress {
            kind: kind.unwrap_or(UNKNOWN_TYPE),
            bytes: address.as_deref().and_then(colon_hex).unwrap_or_default(),
        },
        tx_queue_len: queue,
        map: Default::default(),
    })
}

/// One sysfs attribute, trimmed; `None` when the file is absent.
fn attribute(dir: &Path, name: &str) -> Result<Option<String>, FetchError> {
    match read_bounded(&dir.join(name)) {
        Ok(bytes) => {
            Ok(Some(String::from_utf8_lossy(&bytes).trim().to_string()))
        }
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(FetchError::Io(error)),
    }
}

/// `0x1003` → 0x1003.
fn hex_value(text: &str) -> Option<u32> {
    let digits = text.strip_prefix("0x").unwrap_or(text);
    u32::from_str_radix(digits, 16).ok()
}

/// `aa:bb:cc` → bytes; empty text → no bytes.
fn colon_hex(text: &str) -> Option<Vec<u8>> {
    if text.is_empty() {
        return Some(Vec::new());
    }
    text.split(':').map(|pair| u8::from_str_radix(pair, 16).ok()).collect()
}

/// The IPv4 addresses in `ip -o address show` (or `ip address show`)
/// output, as (label, address) in file order.
pub fn parse_ip_address(text: &[u8]) -> Vec<(Vec<u8>, Ipv4Config)> {
    let mut addresses = Vec::new();
    let mut device: Vec<u8> = Vec::new();
    for line in text.split(|&b| b == b'\n') {
        let words: Vec<&[u8]> = line
            .split(u8::is_ascii_whitespace)
            .filter(|w| !w.is_empty())
            .collect();

        // `N: NAME ...` starts a device (and is the whole `-o` prefix).
        if let Some(name) = device_of(&words) {
            device = name.to_vec();
        }
        let Some(at) = words.iter().position(|&w| w == b"inet") else {
            continue;
        };
        if let Some(entry) = parse_inet(&words[at + 1..], &device) {
            addresses.push(entry);
        }
    }
    addresses
}

/// The device name of a line that starts with `INDEX: NAME`.
fn device_of<'a>(words: &[&'a [u8]]) -> Option<&'a [u8]> {
    let index = words.first()?.strip_suffix(b":")?;
    if index.is_empty() || !index.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let name = words.get(1)?;
    let name = name.strip_suffix(b":").unwrap_or(name);
    name.split(|&b| b == b'@').next()
}

/// `ADDR[/PLEN] [peer PEER/PLEN] [brd B] [scope S] [flags...] [LABEL]`.
fn parse_inet(words: &[&[u8]], device: &[u8]) -> Option<(Vec<u8>, Ipv4Config)> {
    let (address, mut prefix) = address_and_prefix(words.first()?)?;
    let (mut peer, mut broadcast, mut label) = (None, None, None);

    // Keyword values, then free words; the last free word is the label.
    let mut rest = words[1..].iter();
    while let Some(&word) = rest.next() {
        // `ip -o` ends the address with a backslash, often glued on.
        if word.starts_with(b"valid_lft") {
            break;
        }
        if let Some(last) = word.strip_suffix(b"\\") {
            if !last.is_empty() {
                label = Some(last);
            }
            break;
        }
        if !KEYS.contains(&word) {
            label = Some(word);
            continue;
        }
        let value = rest.next()?;
        match word {
            b"peer" => {
                let (addr, len) = address_and_prefix(value)?;
                (peer, prefix) = (Some(addr), len.or(prefix));
            }
            b"brd" => broadcast = Some(address_and_prefix(value)?.0),
            _ => {}
        }
    }

    // Fill in what `ip` leaves out.
    let label = label.unwrap_or(device);
    if label.is_empty() {
        return None;
    }
    let config = Ipv4Config {
        address,
        netmask: netmask(prefix.unwrap_or(32))?,
        broadcast: broadcast.unwrap_or(Ipv4Addr::UNSPECIFIED),
        destination: peer.unwrap_or(address),
    };
    Some((label.to_vec(), config))
}

/// `A.B.C.D[/LEN]`.
fn address_and_prefix(word: &[u8]) -> Option<(Ipv4Addr, Option<u32>)> {
    let text = std::str::from_utf8(word).ok()?;
    let (addr, prefix) = match text.split_once('/') {
        Some((addr, len)) => (addr, Some(len.parse().ok()?)),
        None => (text, None),
    };
    Some((addr.parse().ok()?, prefix))
}

/// The mask of a prefix length (at most 32).
fn netmask(prefix: u32) -> Option<Ipv4Addr> {
    let bits = match prefix {
        0 => 0,
        1..=32 => u32::MAX << (32 - prefix),
        _ => return None,
    };
    Some(Ipv4Addr::from(bits))
}

#[cfg(test)]
mod tests {
    //! `ip -o address show` (iproute2 6.1) output captured in a private
    //! namespace with lo, a veth `v0` holding 192.0.2.2/24 and the alias
    //! 192.0.2.3/24 labelled `v0:1`, and a tun device with a peer.

    use super::*;

    // `ip -o` ends each address with a backslash and its lifetimes.
    const IP_O: &[u8] = concat!(
        "1: lo    inet 127.0.0.1/8 scope host lo",
        "\\       valid_lft forever preferred_lft forever\n",
        "1: lo    inet6 ::1/128 scope host ",
        "\\       valid_lft forever preferred_lft forever\n",
        "3: v0    inet 192.0.2.2/24 brd 192.0.2.255 scope global v0",
        "\\       valid_lft forever preferred_lft forever\n",
        "3: v0    inet 192.0.2.3/24 scope global secondary v0:1",
        "\\       valid_lft forever preferred_lft forever\n",
        "4: tun0    inet 10.9.9.1 peer 10.9.9.2/32 scope global tun0",
        "\\       valid_lft forever preferred_lft forever\n",
    )
    .as_bytes();

    const IP_MULTI: &[u8] = b"\
3: v0@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP
    link/ether f2:8f:28:44:e1:ff brd ff:ff:ff:ff:ff:ff link-netnsid 0
    inet 192.0.2.2/24 scope global dynamic noprefixroute v0
       valid_lft 86000sec preferred_lft 86000sec
    inet6 fd00::2/64 scope global
";

    fn ip(text: &str) -> Ipv4Addr {
        text.parse().unwrap()
    }

    #[test]
    fn one_line_output_gives_labels_and_addresses() {
        let found = parse_ip_address(IP_O);
        let labels: Vec<&[u8]> = found.iter().map(|(l, _)| &l[..]).collect();
        let expected: [&[u8]; 4] = [b"lo", b"v0", b"v0:1", b"tun0"];
        assert_eq!(labels, expected);
        assert_eq!(found[0].1.netmask, ip("255.0.0.0"));
        assert_eq!(found[1].1.broadcast, ip("192.0.2.255"));
        assert_eq!(found[2].1.broadcast, Ipv4Addr::UNSPECIFIED);
        assert_eq!(found[2].1.destination, ip("192.0.2.3"));
        let tun = found[3].1;
        assert_eq!(
            (tun.address, tun.destination),
            (ip("10.9.9.1"), ip("10.9.9.2"))
        );
        assert_eq!(tun.netmask, ip("255.255.255.255"));
    }

    #[test]
    fn multi_line_output_reads_too() {
        let found = parse_ip_address(IP_MULTI);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, b"v0");
        assert_eq!(found[0].1.netmask, ip("255.255.255.0"));
    }

    #[test]
    fn a_label_defaults_to_the_device() {
        let found =
            parse_ip_address(b"7: eth0    inet 10.0.0.1/16 scope global\n");
        assert_eq!(found[0].0, b"eth0");
        assert_eq!(found[0].1.netmask, ip("255.255.0.0"));
    }

    #[test]
    fn bad_lines_are_skipped() {
        let text = b"inet 300.1.1.1/24 lo\ninet 10.0.0.1/40 lo\ninet\n";
        assert!(parse_ip_address(text).is_empty());
    }

    #[test]
    fn sysfs_values_parse() {
        assert_eq!(hex_value("0x1003"), Some(0x1003));
        assert_eq!(colon_hex("f2:8f:28:44:e1:ff").unwrap().len(), 6);
        assert_eq!(colon_hex(""), Some(Vec::new()));
        assert_eq!(colon_hex("zz"), None);
        assert_eq!(netmask(0), Some(Ipv4Addr::UNSPECIFIED));
        assert_eq!(netmask(33), None);
    }

    #[test]
    fn a_saved_device_directory_reads_like_the_ioctls() {
        let root = std::env::temp_dir()
            .join(format!("nsrs-saved-{}", std::process::id()));
        let dir = root.join("sys/class/net/v0");
        std::fs::create_dir_all(&dir).unwrap();
        for (name, value) in [
            ("flags", "0x1003\n"),
            ("operstate", "up\n"),
            ("mtu", "1500\n"),
            ("type", "1\n"),
            ("address", "f2:8f:28:44:e1:ff\n"),
            ("tx_queue_len", "1000\n"),
        ] {
            std::fs::write(dir.join(name), value).unwrap();
        }
        std::fs::create_dir_all(root.join("proc")).unwrap();
        std::fs::write(root.join("ip-address"), IP_O).unwrap();

        let saved = Saved::open(&root.join("proc")).unwrap();
        let alias = saved.facts(b"v0:1").unwrap();
        assert_eq!(alias.link.flags.0, 0x1043);
        assert_eq!(alias.link.tx_queue_len, Some(1000));
        assert_eq!(alias.ipv4.unwrap().address, ip("192.0.2.3"));
        assert!(matches!(saved.facts(b"v9"), Err(FetchError::NotFound)));
        assert!(matches!(saved.facts(b".."), Err(FetchError::NotFound)));
        let _ = std::fs::remove_dir_all(&root);
    }
}
