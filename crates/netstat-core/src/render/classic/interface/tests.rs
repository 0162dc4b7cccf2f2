//! Expected text was observed from net-tools 2.10 on Linux 6.18: live
//! namespaces for names, flags and the common layouts; a copy of
//! `/proc/net/dev` on a private `/proc` for byte counts up to 2^64 - 1;
//! an `LD_PRELOAD` shim on `ioctl` for flags, device maps and media
//! ports no real device here has.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::*;
use crate::model::{HardwareAddress, InterfaceFlags, Ipv4Config, LinkFacts};

fn interface(name: &str, flags: u32) -> Interface {
    Interface {
        name: name.as_bytes().to_vec(),
        stats: Some(DeviceStats::default()),
        link: LinkFacts {
            flags: InterfaceFlags(flags),
            mtu: 1500,
            hardware: HardwareAddress {
                kind: 1,
                bytes: vec![0xf2, 0x8f, 0x28, 0x44, 0xe1, 0xff],
            },
            tx_queue_len: Some(1000),
            map: DeviceMap::default(),
        },
        ipv4: None,
        ipv6: Vec::new(),
    }
}

fn row(iface: &Interface) -> String {
    let mut out = Vec::new();
    interface_row(&mut out, iface).unwrap();
    String::from_utf8(out).unwrap()
}

fn block(iface: &Interface) -> String {
    let mut out = Vec::new();
    interface_block(&mut out, iface).unwrap();
    String::from_utf8(out).unwrap()
}

fn loopback() -> Interface {
    let mut lo = interface("lo", 0x49);
    lo.link.mtu = 65536;
    lo.link.hardware = HardwareAddress { kind: 772, bytes: vec![0; 6] };
    lo.stats = Some(DeviceStats {
        rx_packets: 149,
        rx_bytes: 370_885,
        tx_packets: 149,
        tx_bytes: 370_885,
        ..DeviceStats::default()
    });
    lo.ipv4 = Some(Ipv4Config {
        address: Ipv4Addr::new(127, 0, 0, 1),
        netmask: Ipv4Addr::new(255, 0, 0, 0),
        broadcast: Ipv4Addr::UNSPECIFIED,
        destination: Ipv4Addr::new(127, 0, 0, 1),
    });
    lo.ipv6 = vec![Ipv6Config {
        address: Ipv6Addr::LOCALHOST,
        ifindex: 1,
        prefix_len: 128,
        scope: 0x10,
        flags: 0x80,
        device: b"lo".to_vec(),
    }];
    lo
}

#[test]
fn byte_units_switch_strictly_above_each_power() {
    let cases: [(u64, &str); 16] = [
        (0, "0.0 B"),
        (1, "1.0 B"),
        (1023, "1023.0 B"),
        (1024, "1024.0 B"),
        (1025, "1.0 KiB"),
        (1153, "1.1 KiB"),
        (10239, "9.9 KiB"),
        (1 << 20, "1024.0 KiB"),
        ((1 << 20) + 1, "1.0 MiB"),
        (5_000_000, "4.7 MiB"),
        (1 << 30, "1024.0 MiB"),
        ((1 << 30) + 1, "1.0 GiB"),
        (1 << 40, "1024.0 GiB"),
        ((1 << 40) + 1, "1.0 TiB"),
        (17_179_869_184_000, "15.6 TiB"),
        (1 << 50, "1024.0 TiB"),
    ];
    for (bytes, text) in cases {
        assert_eq!(byte_size(bytes), text, "{bytes}");
    }
}

#[test]
fn byte_units_at_the_top_follow_net_tools() {
    let cases: [(u64, &str); 12] = [
        ((1 << 50) + 1, "1.0 PiB"),
        (922_337_203_685_477_580, "819.1 PiB"),
        (922_337_203_685_477_581, "819.2 PiB"),
        (1_000_000_000_000_000_000, "888.1 PiB"),
        ((1 << 60) - 1, "1023.9 PiB"),
        (1 << 60, "1024.0 PiB"),
        ((1 << 60) + 1, "1.0 EiB"),
        (1_268_213_655_067_531_666, "1.0 EiB"),
        (1_268_213_655_067_531_667, "1.1 EiB"),
        ((1 << 61) - 1, "2.0 EiB"),
        (i64::MAX as u64, "8.0 EiB"),
        (u64::MAX, "16.0 EiB"),
    ];
    for (bytes, text) in cases {
        assert_eq!(byte_size(bytes), text, "{bytes}");
    }
}

#[test]
fn table_rows() {
    assert_eq!(
        row(&loopback()),
        concat!(
            "lo              65536      149      0      0 0           149",
            "      0      0      0 LRU\n"
        )
    );
    let mut alias = interface("v0:1", 0x1043);
    alias.stats = None;
    assert_eq!(
        row(&alias),
        concat!(
            "v0:1             1500      - no statistics available -",
            "                        BMRU\n"
        )
    );
    let mut big = interface("abcdefghijklmno", 0xc3);
    big.link.mtu = 16000;
    big.stats = Some(DeviceStats {
        rx_packets: u64::MAX,
        rx_errors: 4_294_967_295,
        rx_dropped: 4_294_967_296,
        rx_fifo: u64::MAX,
        tx_packets: 99_999_999_999,
        ..DeviceStats::default()
    });
    assert_eq!(
        row(&big),
        "abcdefghijklmno 16000 18446744073709551615 4294967295 4294967296 \
18446744073709551615 99999999999      0      0      0 BORU\n"
    );
}

#[test]
fn every_flag_letter() {
    assert_eq!(flag_letters(0xffff), "ABDLMdPNOPsmRU");
    assert_eq!(flag_letters(0xc00), "sm");
    assert_eq!(flag_letters(0x1091), "MOPU");
    assert_eq!(flag_letters(0), "[NO FLAGS]");
    assert_eq!(flag_letters(0x2000), "");
    assert!(row(&interface("x", 0x2000)).ends_with("     0 \n"));
}

#[test]
fn loopback_block() {
    assert_eq!(
        block(&loopback()),
        "lo: flags=73<UP,LOOPBACK,RUNNING>  mtu 65536
        inet 127.0.0.1  netmask 255.0.0.0
        inet6 ::1  prefixlen 128  scopeid 0x10<host>
        loop  txqueuelen 1000  (Local Loopback)
        RX packets 149  bytes 370885 (362.1 KiB)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 149  bytes 370885 (362.1 KiB)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

"
    );
}

#[test]
fn point_to_point_block() {
    let mut tun = interface("tun0", 0x1091);
    tun.link.hardware = HardwareAddress { kind: 65534, bytes: Vec::new() };
    tun.link.tx_queue_len = Some(500);
    tun.ipv4 = Some(Ipv4Config {
        address: Ipv4Addr::new(10, 9, 9, 1),
        netmask: Ipv4Addr::BROADCAST,
        broadcast: Ipv4Addr::UNSPECIFIED,
        destination: Ipv4Addr::new(10, 9, 9, 2),
    });
    let text = block(&tun);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "tun0: flags=4241<UP,POINTOPOINT,NOARP,MULTICAST>  mtu 1500"
    );
    assert_eq!(
        lines[1],
        "        inet 10.9.9.1  netmask 255.255.255.255  destination 10.9.9.2"
    );
    assert_eq!(
        lines[2],
        "        unspec 00-00-00-00-00-00-00-00-00-00-00-00-00-00-00-00  \
txqueuelen 500  (UNSPEC)"
    );
}

#[test]
fn alias_block_has_no_counters() {
    let mut alias = interface("v0:1", 0x1043);
    alias.stats = None;
    alias.ipv4 = Some(Ipv4Config {
        address: Ipv4Addr::new(192, 0, 2, 3),
        netmask: Ipv4Addr::new(255, 255, 255, 0),
        broadcast: Ipv4Addr::UNSPECIFIED,
        destination: Ipv4Addr::new(192, 0, 2, 3),
    });
    assert_eq!(
        block(&alias),
        "v0:1: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500
        inet 192.0.2.3  netmask 255.255.255.0  broadcast 0.0.0.0
        ether f2:8f:28:44:e1:ff  txqueuelen 1000  (Ethernet)

"
    );
}

#[test]
fn flags_lines_for_odd_values() {
    let first = |flags| {
        block(&interface("downif", flags)).lines().next().map(str::to_string)
    };
    assert_eq!(first(0).unwrap(), "downif: flags=0<  mtu 1500");
    assert_eq!(first(0x2000).unwrap(), "downif: flags=8192  mtu 1500");
    assert_eq!(
        first(0xc00).unwrap(),
        "downif: flags=3072<SLAVE,MASTER>  mtu 1500"
    );
    assert_eq!(
        first(0xf3e7).unwrap(),
        "downif: flags=-3097<UP,BROADCAST,DEBUG,NOTRAILERS,RUNNING,NOARP,\
PROMISC,ALLMULTI,MULTICAST,DYNAMIC>  mtu 1500"
    );
    assert_eq!(
        first(0x1_ffff).unwrap(),
        "downif: flags=-1<UP,BROADCAST,DEBUG,LOOPBACK,POINTOPOINT,NOTRAILERS,\
RUNNING,NOARP,PROMISC,ALLMULTI,SLAVE,MASTER,MULTICAST,DYNAMIC>  mtu 1500"
    );
}

#[test]
fn media_and_device_lines() {
    let mut iface = interface("downif", 0x6000);
    iface.stats = None;
    iface.link.map.port = 6;
    assert!(block(&iface).contains("\n        media 100baseFXautoselect\n"));
    iface.link.flags = InterfaceFlags(0x2000);
    iface.link.map.port = 7;
    assert!(block(&iface).contains("\n        media (null)\n"));

    iface.link.flags = InterfaceFlags(0x82);
    iface.link.map = DeviceMap {
        irq: 11,
        base_addr: 0x300,
        mem_start: 0xd0000,
        mem_end: 0xd0fff,
        dma: 3,
        port: 0,
    };
    assert!(block(&iface).ends_with(
        "        device interrupt 11  base 0x300  memory 0xd0000-d0fff    \
dma 0x3\n\n"
    ));
    iface.link.map = DeviceMap { base_addr: 0xff, ..DeviceMap::default() };
    assert!(!block(&iface).contains("device"));
    iface.link.map = DeviceMap { dma: 1, ..DeviceMap::default() };
    assert!(block(&iface).contains("\n        device   dma 0x1\n"));
}

#[test]
fn unknown_queue_length_is_left_out() {
    let mut iface = interface("x", 0x82);
    iface.link.tx_queue_len = None;
    assert!(
        block(&iface).contains("        ether f2:8f:28:44:e1:ff  (Ethernet)\n")
    );
}

#[test]
fn compressed_serial_lines() {
    let mut iface = interface("sl0", 0x11);
    iface.link.hardware.kind = 257;
    let text = block(&iface);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[1], "        cslip  txqueuelen 1000  (VJ Serial Line IP)");
    assert_eq!(lines[3], "        RX compressed:0");
    assert_eq!(lines[6], "        TX compressed 0");
}

#[test]
fn counters_in_the_long_form() {
    let mut iface = interface("tun0", 0x1091);
    iface.stats = Some(DeviceStats {
        rx_bytes: 1_048_576,
        rx_packets: 101,
        rx_errors: 102,
        rx_dropped: 103,
        rx_fifo: 104,
        rx_frame: 105,
        tx_bytes: 1_048_577,
        tx_packets: 108,
        tx_errors: 109,
        tx_dropped: 110,
        tx_fifo: 111,
        tx_collisions: 112,
        tx_carrier: 113,
        ..DeviceStats::default()
    });
    let text = block(&iface);
    assert!(text.contains(
        "        RX packets 101  bytes 1048576 (1024.0 KiB)
        RX errors 102  dropped 103  overruns 104  frame 105
        TX packets 108  bytes 1048577 (1.0 MiB)
        TX errors 109  dropped 110 overruns 111  carrier 113  collisions 112
"
    ));
}

#[test]
fn ipv6_scopes() {
    assert_eq!(scope_names(0), "<global>");
    assert_eq!(scope_names(0x10), "<host>");
    assert_eq!(scope_names(0x20), "<link>");
    assert_eq!(scope_names(0x40), "<site>");
    assert_eq!(scope_names(0x80), "<compat,global>");
    assert_eq!(scope_names(0x90), "<compat,host>");
    assert_eq!(scope_names(0x1), "");
}

#[test]
fn names_are_padded_by_bytes_and_escaped() {
    let wide = row(&interface("wlan-\u{fc}", 0x1));
    assert!(wide.starts_with(&format!("wlan-\u{fc}{}  1500 ", " ".repeat(8))));
    let escaped = row(&interface("a\u{1b}b", 0x1));
    assert!(escaped.starts_with(&format!("a\\x1bb{}  1500 ", " ".repeat(9))));
}

fn sorted(names: &[&str]) -> Vec<String> {
    let bytes: Vec<&[u8]> = names.iter().map(|n| n.as_bytes()).collect();
    listing_order(&bytes).into_iter().map(|i| names[i].to_string()).collect()
}

#[test]
fn the_order_of_net_tools() {
    // /proc/net/dev order, then SIOCGIFCONF labels; printed order from
    // `netstat -ia` in that namespace.
    let dev = [
        "lo",
        "a10",
        "a9",
        "a09",
        "a1b",
        "a1",
        "a01",
        "a001",
        "eth0.100",
        "eth0.20",
        "B",
        "ab1",
        "a-1",
        "x1y10",
        "x1y9",
        "x10y1",
        "x9y2",
        "z99999999999",
        "z100000000000",
        "v0",
        "v0a",
        "a1:3",
        "a01:5",
        "a001:4",
        "v0:10",
        "v0:9",
        "v0:x",
        "v0:",
        "v0:01",
        "v0:1:2",
        "v0:1",
        "v0a:1",
    ];
    let expected = [
        "B",
        "a001",
        "a001:4",
        "a01",
        "a01:5",
        "a1",
        "a1:3",
        "a09",
        "a9",
        "a10",
        "a-1",
        "a1b",
        "ab1",
        "eth0.20",
        "eth0.100",
        "lo",
        "v0",
        "v0:01",
        "v0:1",
        "v0:9",
        "v0:10",
        "v0:",
        "v0:1:2",
        "v0:x",
        "v0a",
        "v0a:1",
        "x10y1",
        "x1y9",
        "x1y10",
        "x9y2",
        "z99999999999",
        "z100000000000",
    ];
    assert_eq!(sorted(&dev), expected);
}

#[test]
fn later_aliases_sort_by_number_then_text() {
    let names = ["w0", "w0:1", "w0:01", "w0:001", "c01", "c1"];
    assert_eq!(sorted(&names), ["c01", "c1", "w0", "w0:001", "w0:01", "w0:1"]);
}

#[test]
fn repeated_names_are_listed_once() {
    let names = ["lo", "v0", "lo", "v0", "v0:1"];
    assert_eq!(listing_order(&names.map(str::as_bytes)), [0, 1, 4]);
}

#[test]
fn atoi_keeps_the_low_32_bits() {
    assert_eq!(atoi(b"99999999999"), 1_215_752_191);
    assert_eq!(atoi(b"100000000000"), 1_215_752_192);
    assert_eq!(atoi(b""), 0);
    assert_eq!(atoi(b"99999999999999999999"), -1);
}
