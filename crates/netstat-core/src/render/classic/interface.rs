//! The interface view of net-tools 2.10: the `Kernel Interface table`
//! title, the short table of `netstat -i` and the `ifconfig`-style long
//! form of `netstat -ie`, and the order interfaces are listed in.
//!
//! Facts observed from net-tools 2.10 and encoded here:
//! * Flags are the 16 bits of a C `short`: `flags=-3097<...>` for a value
//!   with `IFF_DYNAMIC` (0x8000); no flags print `[NO FLAGS]` in the
//!   table and `flags=0<` in the long form; flags without a name
//!   (`IFF_PORTSEL` alone) print `flags=8192` with no brackets.
//! * Byte counts carry one decimal of a binary unit chosen by "strictly
//!   greater than 1024^k", truncated, not rounded (1024 bytes is
//!   `1024.0 B`). Up to PiB the tenth is exact; above 2^60 net-tools
//!   divides by 2^60/10 rounded down, so `2^61 - 1` prints `2.0 EiB`.
//! * Alias labels have no counters: the table prints `- no statistics
//!   available -` and the long form only the flags, address and hardware
//!   lines.
//! * The order is net-tools' "natural" one (`eth2` before `eth10`, `v0`
//!   before `v0:1`), built by inserting names one at a time from the end
//!   of the list, `/proc/net/dev` names first.
//!
//! Names are escaped like every name we print (net-tools writes them
//! raw), and padded by bytes as C's `%-15s` pads.

use std::cmp::Ordering;
use std::io::{self, Write};

use super::hardware::{can_compress, hardware_kind};
use super::ipv6_text;
use crate::model::{
    DeviceMap, DeviceStats, Interface, InterfaceFlags as F, Ipv6Config,
};
use crate::render::escape::escape;

/// Letters of the table's `Flg` column, in print order (`P` twice:
/// promiscuous and point-to-point).
const LETTERS: [(u32, char); 14] = [
    (F::ALLMULTI, 'A'),
    (F::BROADCAST, 'B'),
    (F::DEBUG, 'D'),
    (F::LOOPBACK, 'L'),
    (F::MULTICAST, 'M'),
    (F::DYNAMIC, 'd'),
    (F::PROMISC, 'P'),
    (F::NOTRAILERS, 'N'),
    (F::NOARP, 'O'),
    (F::POINTOPOINT, 'P'),
    (F::SLAVE, 's'),
    (F::MASTER, 'm'),
    (F::RUNNING, 'R'),
    (F::UP, 'U'),
];

/// Names of the long form's `flags=` list, in print order.
const NAMES: [(u32, &str); 14] = [
    (F::UP, "UP"),
    (F::BROADCAST, "BROADCAST"),
    (F::DEBUG, "DEBUG"),
    (F::LOOPBACK, "LOOPBACK"),
    (F::POINTOPOINT, "POINTOPOINT"),
    (F::NOTRAILERS, "NOTRAILERS"),
    (F::RUNNING, "RUNNING"),
    (F::NOARP, "NOARP"),
    (F::PROMISC, "PROMISC"),
    (F::ALLMULTI, "ALLMULTI"),
    (F::SLAVE, "SLAVE"),
    (F::MASTER, "MASTER"),
    (F::MULTICAST, "MULTICAST"),
    (F::DYNAMIC, "DYNAMIC"),
];

/// `IF_PORT_*` names for the `media` line.
const PORTS: [&str; 7] = [
    "unknown",
    "10base2",
    "10baseT",
    "AUI",
    "100baseT",
    "100baseTX",
    "100baseFX",
];

/// The table text for a label without counters.
const NO_STATISTICS: &str = "     - no statistics available -";

/// The first line of every view (once, even with `-c`).
pub fn interface_title(out: &mut impl Write) -> io::Result<()> {
    out.write_all(b"Kernel Interface table\n")
}

/// The short table's column header.
pub fn interface_header(out: &mut impl Write) -> io::Result<()> {
    out.write_all(
        b"Iface             MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK \
TX-ERR TX-DRP TX-OVR Flg\n",
    )
}

/// The flags net-tools sees: the low 16 bits (a C `short`).
pub fn short_flags(iface: &Interface) -> u16 {
    (iface.link.flags.0 & 0xFFFF) as u16
}

/// True if the interface is up (`-i` without `-a` lists only these).
pub fn is_up(iface: &Interface) -> bool {
    u32::from(short_flags(iface)) & F::UP != 0
}

/// One row of the short table.
pub fn interface_row(
    out: &mut impl Write,
    iface: &Interface,
) -> io::Result<()> {
    write_padded(out, &escape(&iface.name), 15)?;
    write!(out, " {:>5} ", iface.link.mtu)?;
    match &iface.stats {
        Some(s) => write!(
            out,
            "{:>8} {:>6} {:>6} {:<6} {:>8} {:>6} {:>6} {:>6} ",
            s.rx_packets,
            s.rx_errors,
            s.rx_dropped,
            s.rx_fifo,
            s.tx_packets,
            s.tx_errors,
            s.tx_dropped,
            s.tx_fifo,
        )?,
        None => write!(out, "{NO_STATISTICS:<56}")?,
    }
    writeln!(out, "{}", flag_letters(short_flags(iface)))
}

/// The `Flg` column.
fn flag_letters(flags: u16) -> String {
    if flags == 0 {
        return "[NO FLAGS]".to_string();
    }
    let flags = u32::from(flags);
    LETTERS.iter().filter(|(bit, _)| flags & bit != 0).map(|(_, c)| c).collect()
}

/// One block of the long form, ending with an empty line.
pub fn interface_block(
    out: &mut impl Write,
    iface: &Interface,
) -> io::Result<()> {
    let flags = short_flags(iface);
    write_flags_line(out, iface, flags)?;

    // Addresses: IPv4 of this name, IPv6 of the device with this name.
    if let Some(v4) = &iface.ipv4 {
        write!(out, "        inet {}  netmask {}", v4.address, v4.netmask)?;
        if u32::from(flags) & F::BROADCAST != 0 {
            write!(out, "  broadcast {}", v4.broadcast)?;
        }
        if u32::from(flags) & F::POINTOPOINT != 0 {
            write!(out, "  destination {}", v4.destination)?;
        }
        out.write_all(b"\n")?;
    }
    for v6 in &iface.ipv6 {
        write_ipv6_line(out, v6)?;
    }

    // Hardware, media, counters and device map.
    write_hardware_line(out, iface)?;
    if u32::from(flags) & F::PORTSEL != 0 {
        write_media_line(out, iface.link.map.port, flags)?;
    }
    if let Some(stats) = &iface.stats {
        write_counters(out, stats, can_compress(iface.link.hardware.kind))?;
    }
    write_map_line(out, &iface.link.map)?;
    out.write_all(b"\n")
}

/// `NAME: flags=N<UP,...>  mtu M`.
fn write_flags_line(
    out: &mut impl Write,
    iface: &Interface,
    flags: u16,
) -> io::Result<()> {
    let names: Vec<&str> = NAMES
        .iter()
        .filter(|(bit, _)| u32::from(flags) & bit != 0)
        .map(|(_, name)| *name)
        .collect();
    let list = match (flags, names.is_empty()) {
        (0, _) => "<".to_string(),
        (_, true) => String::new(),
        (_, false) => format!("<{}>", names.join(",")),
    };
    writeln!(
        out,
        "{}: flags={}{list}  mtu {}",
        escape(&iface.name),
        flags as i16,
        iface.link.mtu
    )
}

/// `inet6 ADDR  prefixlen P  scopeid 0xS<scope>`.
fn write_ipv6_line(out: &mut impl Write, v6: &Ipv6Config) -> io::Result<()> {
    writeln!(
        out,
        "        inet6 {}  prefixlen {}  scopeid 0x{:x}{}",
        ipv6_text(v6.address),
        v6.prefix_len,
        v6.scope,
        scope_names(v6.scope)
    )
}

/// `<global>`, `<link>`, `<compat,global>`...; empty when no name fits.
fn scope_names(scope: u32) -> String {
    let mut names = Vec::new();
    let mut rest = scope;
    if rest & 0x80 != 0 {
        names.push("compat");
        rest -= 0x80;
    }
    if rest == 0 {
        names.push("global");
    }
    for (bit, name) in [(0x20, "link"), (0x40, "site"), (0x10, "host")] {
        if rest & bit != 0 {
            names.push(name);
        }
    }
    if names.is_empty() {
        return String::new();
    }
    format!("<{}>", names.join(","))
}

/// `ether ADDR  txqueuelen N  (Ethernet)`.
fn write_hardware_line(
    out: &mut impl Write,
    iface: &Interface,
) -> io::Result<()> {
    let hardware = &iface.link.hardware;
    let kind = hardware_kind(hardware.kind);
    write!(out, "        {}", kind.name)?;
    if let Some(address) = kind.address(&hardware.bytes) {
        write!(out, " {address}")?;
    }
    // net-tools keeps the queue length in an `int`, -1 meaning unknown.
    let queue = iface.link.tx_queue_len.map(|queue| queue as i32);
    if let Some(queue) = queue.filter(|&queue| queue != -1) {
        write!(out, "  txqueuelen {queue}")?;
    }
    writeln!(out, "  ({})", kind.title)
}

/// `media PORT[autoselect]` for devices that can select a port.
fn write_media_line(
    out: &mut impl Write,
    port: u8,
    flags: u16,
) -> io::Result<()> {
    let name = PORTS.get(usize::from(port)).copied().unwrap_or("(null)");
    let auto = u32::from(flags) & F::AUTOMEDIA != 0;
    writeln!(
        out,
        "        media {name}{}",
        if auto { "autoselect" } else { "" }
    )
}

/// The RX and TX lines.
fn write_counters(
    out: &mut impl Write,
    s: &DeviceStats,
    compressed: bool,
) -> io::Result<()> {
    let (rx, tx) = (byte_size(s.rx_bytes), byte_size(s.tx_bytes));
    writeln!(
        out,
        "        RX packets {}  bytes {} ({rx})",
        s.rx_packets, s.rx_bytes
    )?;
    if compressed {
        writeln!(out, "        RX compressed:{}", s.rx_compressed)?;
    }
    writeln!(
        out,
        "        RX errors {}  dropped {}  overruns {}  frame {}",
        s.rx_errors, s.rx_dropped, s.rx_fifo, s.rx_frame
    )?;
    writeln!(
        out,
        "        TX packets {}  bytes {} ({tx})",
        s.tx_packets, s.tx_bytes
    )?;
    if compressed {
        writeln!(out, "        TX compressed {}", s.tx_compressed)?;
    }
    writeln!(
        out,
        "        TX errors {}  dropped {} overruns {}  carrier {}  \
collisions {}",
        s.tx_errors, s.tx_dropped, s.tx_fifo, s.tx_carrier, s.tx_collisions
    )
}

/// `device interrupt N  base 0xN  memory 0xA-B    dma 0xN`, for the
/// devices that report I/O resources.
fn write_map_line(out: &mut impl Write, map: &DeviceMap) -> io::Result<()> {
    let io_port = map.base_addr >= 0x100;
    if map.irq == 0 && map.mem_start == 0 && map.dma == 0 && !io_port {
        return Ok(());
    }
    out.write_all(b"        device ")?;
    if map.irq != 0 {
        write!(out, "interrupt {}  ", map.irq)?;
    }
    if io_port {
        write!(out, "base 0x{:x}  ", map.base_addr)?;
    }
    if map.mem_start != 0 {
        write!(out, "memory 0x{:x}-{:x}  ", map.mem_start, map.mem_end)?;
    }
    if map.dma != 0 {
        write!(out, "  dma 0x{:x}", map.dma)?;
    }
    out.write_all(b"\n")
}

/// A byte count with one truncated decimal of B, KiB, ... EiB.
pub fn byte_size(bytes: u64) -> String {
    const EIB: u64 = 1 << 60;
    const UNITS: [(u32, &str); 5] =
        [(50, "PiB"), (40, "TiB"), (30, "GiB"), (20, "MiB"), (10, "KiB")];

    // Tenths of the largest unit the count strictly exceeds.
    let (tenths, unit) = if bytes > EIB {
        (bytes / (EIB / 10), "EiB")
    } else {
        match UNITS.iter().find(|(shift, _)| bytes > 1u64 << shift) {
            Some(&(shift, unit)) => {
                let tenths = (u128::from(bytes) * 10) >> shift;
                (u64::try_from(tenths).unwrap_or(u64::MAX), unit)
            }
            None => (bytes * 10, "B"),
        }
    };
    format!("{}.{} {unit}", tenths / 10, tenths % 10)
}

/// Writes `text` left-justified in `width` bytes.
fn write_padded(
    out: &mut impl Write,
    text: &str,
    width: usize,
) -> io::Result<()> {
    out.write_all(text.as_bytes())?;
    for _ in text.len()..width {
        out.write_all(b" ")?;
    }
    Ok(())
}

/// The listing order of `names` (device names from `/proc/net/dev`
/// first, then the `SIOCGIFCONF` labels), as indexes; a name seen before
/// is listed once.
pub fn listing_order(names: &[&[u8]]) -> Vec<usize> {
    let mut order: Vec<usize> = Vec::with_capacity(names.len());
    'names: for (index, name) in names.iter().enumerate() {
        // Walk back from the end to the first name that sorts before.
        let mut at = 0;
        for slot in (0..order.len()).rev() {
            match compare_names(names[order[slot]], name) {
                Ordering::Equal => continue 'names,
                Ordering::Less => {
                    at = slot + 1;
                    break;
                }
                Ordering::Greater => {}
            }
        }
        order.insert(at, index);
    }
    order
}

/// net-tools' name order. A trailing `:DIGITS` is an alias number; of the
/// rest, the part before its trailing digits is compared as bytes up to
/// the shorter of the two parts, then the shorter part sorts first, then
/// the trailing numbers (as C's `atoi` reads them), then the bytes of the
/// rest, then the alias numbers (none before any), then the whole names.
pub fn compare_names(a: &[u8], b: &[u8]) -> Ordering {
    let (a_base, a_alias) = split_alias(a);
    let (b_base, b_alias) = split_alias(b);
    let (a_at, b_at) = (digits_start(a_base), digits_start(b_base));
    let common = a_at.min(b_at);
    a_base[..common]
        .cmp(&b_base[..common])
        .then(a_at.cmp(&b_at))
        .then(atoi(&a_base[a_at..]).cmp(&atoi(&b_base[b_at..])))
        .then(a_base.cmp(b_base))
        .then(a_alias.map_or(-1, atoi).cmp(&b_alias.map_or(-1, atoi)))
        .then(a.cmp(b))
}

/// Splits `name:DIGITS` into `name` and `DIGITS`.
fn split_alias(name: &[u8]) -> (&[u8], Option<&[u8]>) {
    let start = digits_start(name);
    match start.checked_sub(1) {
        Some(colon) if name[colon] == b':' && start < name.len() => {
            (&name[..colon], Some(&name[start..]))
        }
        _ => (name, None),
    }
}

/// Where the trailing run of digits starts (the length if none).
fn digits_start(name: &[u8]) -> usize {
    let digits = name.iter().rev().take_while(|b| b.is_ascii_digit()).count();
    name.len() - digits
}

/// C's `atoi` on a run of digits: the value's low 32 bits, signed.
fn atoi(digits: &[u8]) -> i32 {
    let value = digits.iter().fold(0u64, |value, &digit| {
        value.saturating_mul(10).saturating_add(u64::from(digit - b'0'))
    });
    let value = value.min(i64::MAX as u64);
    value as i32
}

#[cfg(test)]
mod tests;
