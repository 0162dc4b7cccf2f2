//! Renderer tests: the grammar rules one at a time, on sections built by
//! hand. (Whole fixture trees are compared with recorded net-tools output
//! in `crates/netstat/tests/views_stats.rs`.)

use super::super::stats_texts::{INET, INET6};
use super::*;

/// A section from names and values.
fn section(name: &str, counters: &[(&str, u64)]) -> StatsSection {
    StatsSection {
        name: name.into(),
        counters: counters.iter().map(|(n, v)| Counter::new(*n, *v)).collect(),
    }
}

/// What a fresh printer prints for `sections`.
fn render(
    family: StatsFamily,
    selected: Protocols,
    sections: &[StatsSection],
) -> String {
    let mut out = Vec::new();
    let mut printer = StatsPrinter::new(family, selected);
    let result = printer.sections(&mut out, sections);
    assert!(result.is_ok());
    String::from_utf8_lossy(&out).into_owned()
}

/// Lines joined, each ended by a newline.
fn text(lines: &[&str]) -> String {
    lines.iter().map(|line| format!("{line}\n")).collect()
}

/// `-s`.
fn inet(sections: &[StatsSection]) -> String {
    render(StatsFamily::Inet, Protocols::ALL, sections)
}

#[test]
fn always_nonzero_silent_and_generic_entries() {
    let ip = section(
        "Ip",
        &[
            ("Forwarding", 2),
            ("DefaultTTL", 64),
            ("InReceives", 0),
            ("InHdrErrors", 0),
            ("OutDiscards", 3),
            ("OutTransmits", 0),
            ("FutureCounter", 9),
        ],
    );
    assert_eq!(
        inet(&[ip]),
        text(&[
            "Ip:",
            "    Forwarding: 2",
            "    0 total packets received",
            "    3 outgoing packets dropped",
            "    FutureCounter: 9",
        ])
    );
}

#[test]
fn values_print_as_unsigned_64_bit() {
    let tcp = section("Tcp", &[("MaxConn", u64::MAX), ("InSegs", u64::MAX)]);
    let out = inet(&[tcp]);
    assert_eq!(out, "Tcp:\n    18446744073709551615 segments received\n");
}

#[test]
fn a_text_may_hold_its_value_in_the_middle() {
    let tcpext = section("TcpExt", &[("DelayedACKLost", 5)]);
    let out = inet(&[tcpext]);
    assert_eq!(out, "TcpExt:\n    Quick ack mode was activated 5 times\n");
}

#[test]
fn histogram_titles_print_even_for_zero_entries() {
    let icmp = section(
        "Icmp",
        &[
            ("InMsgs", 1),
            ("InDestUnreachs", 0),
            ("InEchos", 4),
            ("OutMsgs", 1),
            ("OutDestUnreachs", 1),
        ],
    );
    assert_eq!(
        inet(&[icmp]),
        text(&[
            "Icmp:",
            "    1 ICMP messages received",
            "    ICMP input histogram:",
            "        echo requests: 4",
            "    1 ICMP messages sent",
            "    ICMP output histogram:",
            "        destination unreachable: 1",
        ])
    );
}

#[test]
fn a_title_right_after_the_other_histogram_is_indented_8() {
    let icmp6 = section(
        "Icmp6",
        &[
            ("Icmp6OutMsgs", 21),
            ("Icmp6InDestUnreachs", 0),
            ("Icmp6OutDestUnreachs", 0),
            ("Icmp6OutRouterSolicits", 4),
            ("Icmp6OutMLDv2Reports", 14),
        ],
    );
    let out = render(StatsFamily::Inet6, Protocols::ALL, &[icmp6]);
    assert_eq!(
        out,
        text(&[
            "Icmp6:",
            "    21 ICMP messages sent",
            "    ICMP input histogram:",
            "        ICMP output histogram:",
            "        router solicits: 4",
            "        Icmp6OutMLDv2Reports: 14",
        ])
    );
}

#[test]
fn unknown_sections_keep_the_indentation_and_always_print() {
    let icmp = section("Icmp", &[("OutDestUnreachs", 1)]);
    let msg = section("IcmpMsg", &[("InType3", 1), ("OutType3", 0)]);
    let empty = section("UdpLite", &[("InDatagrams", 0)]);
    let tcp = section("Tcp", &[("ActiveOpens", 2)]);
    let ext = section("IpExt", &[("InOctets", 7)]);
    let sections = [icmp, msg, empty, tcp, ext];

    // Under -s, IcmpMsg inherits the histogram's 8; Tcp resets to 4.
    assert_eq!(
        inet(&sections),
        text(&[
            "Icmp:",
            "    ICMP output histogram:",
            "        destination unreachable: 1",
            "IcmpMsg:",
            "        InType3: 1",
            "UdpLite:",
            "Tcp:",
            "    2 active connection openings",
            "IpExt:",
            "    InOctets: 7",
        ])
    );

    // Under -st the unknown sections still print, at 4.
    let tcp_only = Protocols { tcp: true, ..Protocols::NONE };
    assert_eq!(
        render(StatsFamily::Inet, tcp_only, &sections),
        text(&[
            "IcmpMsg:",
            "    InType3: 1",
            "UdpLite:",
            "Tcp:",
            "    2 active connection openings",
            "IpExt:",
            "    InOctets: 7",
        ])
    );
}

#[test]
fn an_unselected_known_section_still_resets_the_indentation() {
    let icmp = section("Icmp", &[("InDestUnreachs", 0)]);
    let tcp = section("Tcp", &[("ActiveOpens", 2)]);
    let other = section("Zzz", &[("A", 1)]);
    let raw = Protocols { raw: true, ..Protocols::NONE };
    assert_eq!(
        render(StatsFamily::Inet, raw, &[icmp, tcp, other]),
        "Icmp:\n    ICMP input histogram:\nZzz:\n    A: 1\n"
    );
}

#[test]
fn the_state_carries_across_calls() {
    let mut out = Vec::new();
    let mut printer = StatsPrinter::new(StatsFamily::Inet, Protocols::ALL);
    let icmp = section("Icmp", &[("InDestUnreachs", 0)]);
    let ext = section("IpExt", &[("InOctets", 7)]);
    assert!(printer.section(&mut out, &icmp).is_ok());
    assert!(printer.section(&mut out, &ext).is_ok());
    assert_eq!(
        String::from_utf8_lossy(&out),
        "Icmp:\n    ICMP input histogram:\nIpExt:\n        InOctets: 7\n"
    );
}

#[test]
fn sections_are_known_per_family() {
    // Ip6 is unknown to -s, Ip unknown to -s -6.
    let ip6 = section("Ip6", &[("Ip6InReceives", 3)]);
    assert_eq!(
        inet(std::slice::from_ref(&ip6)),
        "Ip6:\n    Ip6InReceives: 3\n"
    );
    let udp = Protocols { udp: true, ..Protocols::NONE };
    assert_eq!(render(StatsFamily::Inet6, udp, &[ip6]), "");
    let ip = section("Ip", &[("InReceives", 3)]);
    let out = render(StatsFamily::Inet6, udp, &[ip]);
    assert_eq!(out, "Ip:\n    InReceives: 3\n");
}

#[test]
fn lookup_misses_print_generically() {
    // Names SPEC.md 2.9 item 5 lists as never found by net-tools.
    let tcpext = section("TcpExt", &[("TCPTimeouts", 33), ("TWKilled", 0)]);
    assert_eq!(inet(&[tcpext]), "TcpExt:\n    TCPTimeouts: 33\n");
}

#[test]
fn tables_are_sorted_for_binary_search() {
    for known in INET.iter().chain(INET6) {
        let sorted = known.entries.windows(2).all(|w| w[0].0 < w[1].0);
        assert!(sorted, "{} is not sorted", known.name);
        for (name, _) in known.entries {
            assert!(known.text(name).is_some(), "{name} not found");
        }
    }
}

#[test]
fn protocols_overlap() {
    let tcp = Protocols { tcp: true, ..Protocols::NONE };
    assert!(tcp.overlaps(Protocols::ALL));
    assert!(!tcp.overlaps(Protocols { udp: true, ..Protocols::NONE }));
    assert!(!Protocols::NONE.overlaps(Protocols::ALL));
}
