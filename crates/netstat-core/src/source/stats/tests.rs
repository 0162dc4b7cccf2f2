//! Parser tests on captured files: `live-6.18` is this project's build
//! host (Linux 6.18, `cp /proc/net/{snmp,netstat,snmp6}`); `extra` is
//! that layout with counters net-tools does not know, sections it has
//! never seen, counters older kernels printed and 64-bit values;
//! `malformed` holds the edge cases of each format. All three are made
//! by `tests/fixtures/stats/generate.py`.

use super::*;

const LIVE_SNMP: &[u8] =
    include_bytes!("../../../../../tests/fixtures/stats/live-6.18/net/snmp");
const LIVE_NETSTAT: &[u8] =
    include_bytes!("../../../../../tests/fixtures/stats/live-6.18/net/netstat");
const LIVE_SNMP6: &[u8] =
    include_bytes!("../../../../../tests/fixtures/stats/live-6.18/net/snmp6");
const EXTRA_SNMP: &[u8] =
    include_bytes!("../../../../../tests/fixtures/stats/extra/net/snmp");
const EXTRA_NETSTAT: &[u8] =
    include_bytes!("../../../../../tests/fixtures/stats/extra/net/netstat");
const EXTRA_SNMP6: &[u8] =
    include_bytes!("../../../../../tests/fixtures/stats/extra/net/snmp6");
const EXTRA_SCTP: &[u8] =
    include_bytes!("../../../../../tests/fixtures/stats/extra/net/sctp/snmp");
const MALFORMED_SNMP: &[u8] =
    include_bytes!("../../../../../tests/fixtures/stats/malformed/net/snmp");
const MALFORMED_SNMP6: &[u8] =
    include_bytes!("../../../../../tests/fixtures/stats/malformed/net/snmp6");
const MALFORMED_SCTP: &[u8] = include_bytes!(
    "../../../../../tests/fixtures/stats/malformed/net/sctp/snmp"
);

/// Section names in order.
fn names(reading: &Reading) -> Vec<&str> {
    reading.sections.iter().map(|s| s.name.as_str()).collect()
}

/// The section called `name`.
fn section<'a>(reading: &'a Reading, name: &str) -> &'a StatsSection {
    let found = reading.sections.iter().find(|s| s.name == name);
    found.unwrap_or_else(|| panic!("no section {name}"))
}

#[test]
fn live_snmp_keeps_sections_and_counters_in_file_order() {
    let reading = parse_pairs(LIVE_SNMP);
    assert_eq!(
        names(&reading),
        ["Ip", "Icmp", "IcmpMsg", "Tcp", "Udp", "UdpLite"]
    );
    assert_eq!(reading.stopped_at, None);

    // Every header name has its value, including the newer ones.
    let ip = section(&reading, "Ip");
    assert_eq!(ip.counters.len(), 20);
    assert_eq!(ip.counters[0], Counter::new("Forwarding", 2));
    assert_eq!(ip.get("DefaultTTL"), Some(64));
    assert_eq!(ip.counters[19].name, "OutTransmits");

    // Tcp MaxConn is -1 in the file: strtoull makes it the largest u64.
    assert_eq!(section(&reading, "Tcp").get("MaxConn"), Some(u64::MAX));
    assert_eq!(section(&reading, "Tcp").get("RtoMax"), Some(120000));
}

#[test]
fn live_netstat_has_every_extension_section() {
    let reading = parse_pairs(LIVE_NETSTAT);
    assert_eq!(names(&reading), ["TcpExt", "IpExt", "MPTcpExt"]);

    // As many counters as the header names.
    let header_names = |prefix: &str| {
        let text = String::from_utf8_lossy(LIVE_NETSTAT);
        let line = text.lines().find(|l| l.starts_with(prefix)).unwrap_or("");
        line.split_whitespace().count() - 1
    };
    for section in &reading.sections {
        let prefix = format!("{}:", section.name);
        assert_eq!(section.counters.len(), header_names(&prefix));
    }
    let ipext = section(&reading, "IpExt");
    assert_eq!(ipext.get("InOctets"), Some(10127598));
}

#[test]
fn live_snmp6_sections_split_at_the_first_six() {
    let reading = parse_snmp6(LIVE_SNMP6);
    assert_eq!(names(&reading), ["Ip6", "Icmp6", "Udp6", "UdpLite6"]);
    assert_eq!(reading.skipped, 0);
    let icmp6 = section(&reading, "Icmp6");
    assert_eq!(icmp6.get("Icmp6OutType143"), Some(4));
    let total: usize = reading.sections.iter().map(|s| s.counters.len()).sum();
    assert_eq!(total, LIVE_SNMP6.split(|&b| b == b'\n').count() - 1);
}

#[test]
fn unknown_counters_and_sections_are_kept() {
    let snmp = parse_pairs(EXTRA_SNMP);
    assert_eq!(section(&snmp, "Ip").get("FutureIpCounter"), Some(5));
    assert_eq!(section(&snmp, "Ip").get("FutureIpZero"), Some(0));
    assert_eq!(names(&snmp).last(), Some(&"FutureMib"));

    // netstat: a section with no counters is still a section.
    let netstat = parse_pairs(EXTRA_NETSTAT);
    assert_eq!(section(&netstat, "EmptyExt").counters, []);
    assert_eq!(section(&netstat, "FutureExt").get("FutureX"), Some(3));

    // Counters only older kernels print.
    let tcpext = section(&netstat, "TcpExt");
    assert_eq!(tcpext.get("TCPPrequeued"), Some(1001));
    assert_eq!(tcpext.get("TCPFutureCounter"), Some(11));

    // snmp6 sections net-tools has no table for.
    let snmp6 = parse_snmp6(EXTRA_SNMP6);
    let last: Vec<_> = names(&snmp6).into_iter().rev().take(2).collect();
    assert_eq!(last, ["Sctp6", "Tcp6"]);
    assert_eq!(section(&snmp6, "Ip6").get("Ip6FutureCounter"), Some(4));

    // SCTP.
    let sctp = parse_sctp(EXTRA_SCTP);
    assert_eq!(names(&sctp), ["Sctp"]);
    assert_eq!(sctp.sections[0].get("SctpFutureCounter"), Some(6));
}

#[test]
fn sixty_four_bit_values_survive() {
    let snmp = parse_pairs(EXTRA_SNMP);
    let tcp = section(&snmp, "Tcp");
    assert_eq!(tcp.get("InSegs"), Some((1 << 40) + 3));
    assert_eq!(tcp.get("OutSegs"), Some(u64::MAX));
    assert_eq!(tcp.get("MaxConn"), Some(u64::MAX));
    let netstat = parse_pairs(EXTRA_NETSTAT);
    assert_eq!(section(&netstat, "IpExt").get("InOctets"), Some((1 << 63) + 1));
    assert_eq!(
        section(&netstat, "TcpExt").get("TCPHPHits"),
        Some((1 << 32) + 7)
    );
    let snmp6 = parse_snmp6(EXTRA_SNMP6);
    assert_eq!(section(&snmp6, "Ip6").get("Ip6InOctets"), Some(1 << 50));
}

#[test]
fn malformed_pairs_read_as_net_tools_reads_them() {
    let reading = parse_pairs(MALFORMED_SNMP);

    // The blank line between pairs is passed over; the line without a
    // colon (line 11, where UdpLite's values belong) ends the file.
    assert_eq!(names(&reading), ["Ip", "Icmp", "Tcp", "Udp"]);
    assert_eq!(reading.stopped_at, Some(11));

    // More names than numbers: the rest are 0.
    let ip = section(&reading, "Ip");
    let values: Vec<_> = ip.counters.iter().map(|c| c.value).collect();
    assert_eq!(values, [1, 64, 10, 0, 0]);

    // More numbers than names: ignored.
    assert_eq!(section(&reading, "Icmp").counters.len(), 2);

    // "4x": 4, then the numbers stop parsing and the rest are 0.
    let tcp = section(&reading, "Tcp");
    let values: Vec<_> = tcp.counters.iter().map(|c| c.value).collect();
    assert_eq!(values, [3, 4, 0]);

    // Tabs separate names; signs and overflow as strtoull.
    let udp = section(&reading, "Udp");
    assert_eq!(udp.get("NoPorts"), Some(2));
    assert_eq!(udp.get("InDatagrams"), Some(u64::MAX));
    assert_eq!(udp.get("OutDatagrams"), Some(u64::MAX));
}

#[test]
fn header_checks_come_before_value_checks() {
    let reading = parse_pairs(b"Ip: A\nIp: 1\nno colon\nUdp: B\n");
    assert_eq!(reading.stopped_at, Some(3));
    let reading = parse_pairs(b"Ip: A\nIp: 1\nUdp: B\nno colon\n");
    assert_eq!(reading.stopped_at, Some(4));

    // A last header without values ends quietly.
    let reading = parse_pairs(b"Ip: A\nIp: 1\nno colon\n");
    assert_eq!((names(&reading), reading.stopped_at), (vec!["Ip"], None));
}

#[test]
fn pair_names_split_at_blanks_and_tabs_only() {
    let reading = parse_pairs(b"Ip:\tA  B\rC\x0bD\nIp: 1 2 3\n");
    let names: Vec<_> =
        reading.sections[0].counters.iter().map(|c| c.name.clone()).collect();
    assert_eq!(names, ["A", "B\rC\x0bD"]);

    // The value line's own section name does not matter.
    let reading = parse_pairs(b"Ip: A\nTcp: 7\n");
    assert_eq!(reading.sections[0], section_of("Ip", &[("A", 7)]));
}

#[test]
fn a_nul_byte_ends_a_line() {
    let reading = parse_pairs(b"Ip: A\0B C\nIp: 1 2\0 3\n");
    assert_eq!(reading.sections[0], section_of("Ip", &[("A", 1)]));
    let reading = parse_snmp6(b"Ip6A 5\0 6\nIp6B\0 7\n");
    assert_eq!((reading.sections[0].counters.len(), reading.skipped), (1, 1));
}

#[test]
fn snmp6_skips_lines_without_a_name_and_a_number() {
    let reading = parse_snmp6(MALFORMED_SNMP6);
    assert_eq!(names(&reading), ["Ip6", "Icmp6", "Udp6"]);
    assert_eq!(reading.skipped, 1);
    let ip6 = section(&reading, "Ip6");
    assert_eq!(ip6.get("Ip6InDelivers"), Some(7));
    assert_eq!(
        section(&reading, "Icmp6").get("Icmp6InMsgs"),
        Some(u64::MAX - 2)
    );
    assert_eq!(section(&reading, "Udp6").get("Udp6InDatagrams"), Some(3));
}

#[test]
fn snmp6_sections_change_when_a_name_leaves_the_current_one() {
    let text = b"Udp6A 1\nUdpLite6B 2\nUdp6C 3\nFoo 4\nXFooY6 5\n";
    let reading = parse_snmp6(text);
    assert_eq!(names(&reading), ["Udp6", "UdpLite6", "Udp6", "Foo"]);
    assert_eq!(reading.sections[3].counters.len(), 2);
}

#[test]
fn sctp_lines_split_at_the_first_blank_or_tab() {
    let reading = parse_sctp(MALFORMED_SCTP);
    let sctp = &reading.sections[0];
    assert_eq!(sctp.get("SctpCurrEstab"), Some(5));

    // A value that is not a number is 0; trailing words are ignored.
    assert_eq!(sctp.get("SctpActiveEstabs"), Some(0));
    assert_eq!(sctp.get("SctpPassiveEstabs"), Some(2));

    // Leading blanks make an empty name, as in net-tools.
    assert_eq!(sctp.get(""), Some(0));
    assert_eq!(sctp.get("SctpAborteds"), None);

    // A tab alone separates too; a line with neither is skipped.
    let reading = parse_sctp(b"SctpA\t5\nSctpB\n\n");
    assert_eq!(reading.sections[0], section_of("Sctp", &[("SctpA", 5)]));
    assert_eq!(reading.skipped, 1);
}

#[test]
fn an_empty_sctp_file_is_an_empty_section() {
    assert_eq!(parse_sctp(b"").sections, [StatsSection::new("Sctp")]);
    assert_eq!(parse_pairs(b"").sections, []);
    assert_eq!(parse_snmp6(b"\n").sections, []);
}

#[test]
fn numbers_read_as_strtoull() {
    assert_eq!(c_number(b"  42 7"), Some((42, &b" 7"[..])));
    assert_eq!(c_number(b"-1"), Some((u64::MAX, &b""[..])));
    assert_eq!(c_number(b"-5"), Some((u64::MAX - 4, &b""[..])));
    assert_eq!(c_number(b"+7x"), Some((7, &b"x"[..])));
    assert_eq!(c_number(b"18446744073709551615"), Some((u64::MAX, &b""[..])));
    assert_eq!(c_number(b"18446744073709551616"), Some((u64::MAX, &b""[..])));
    assert_eq!(c_number(b"-99999999999999999999"), Some((u64::MAX, &b""[..])));
    assert_eq!(c_number(b"1-2"), Some((1, &b"-2"[..])));
    assert_eq!(c_number(b"\x0b\r\n9"), Some((9, &b""[..])));
    for none in [&b""[..], b"  ", b"-", b"+ 1", b"x1"] {
        assert_eq!(c_number(none), None, "{none:?}");
    }
    assert_eq!(c_number(b"0x10"), Some((0, &b"x10"[..])));
}

#[test]
fn no_input_makes_a_parser_panic() {
    // A small deterministic generator over the bytes that matter.
    let alphabet = b"Ip6: \t\n\r\0-+x0123456789Tcp";
    let mut state: u32 = 0x1234_5678;
    for length in 0..400 {
        let text: Vec<u8> = (0..length % 97)
            .map(|_| {
                state =
                    state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                alphabet[(state >> 24) as usize % alphabet.len()]
            })
            .collect();
        let _ = parse_pairs(&text);
        let _ = parse_snmp6(&text);
        let _ = parse_sctp(&text);
    }
}

#[test]
fn a_missing_file_is_an_open_error_naming_the_path() {
    let source = StatsSource::new("/nonexistent-root");
    let error = source.read(StatsFile::Snmp).err();
    let error = error.map(|e| (e.path, e.error.kind()));
    assert_eq!(
        error,
        Some((
            PathBuf::from("/nonexistent-root/net/snmp"),
            io::ErrorKind::NotFound
        ))
    );
}

#[test]
fn a_directory_is_a_read_error_after_an_open() {
    let root = std::env::temp_dir()
        .join(format!("netstat-rs-stats-{}", std::process::id()));
    let _ = std::fs::create_dir_all(root.join("net/snmp"));
    let reading = StatsSource::new(&root).read(StatsFile::Snmp);
    let _ = std::fs::remove_dir_all(&root);
    let reading =
        reading.ok().map(|r| (r.sections.len(), r.read_error.is_some()));
    assert_eq!(reading, Some((0, true)));
}

/// A section from names and values.
fn section_of(name: &str, counters: &[(&str, u64)]) -> StatsSection {
    StatsSection {
        name: name.into(),
        counters: counters.iter().map(|(n, v)| Counter::new(*n, *v)).collect(),
    }
}
