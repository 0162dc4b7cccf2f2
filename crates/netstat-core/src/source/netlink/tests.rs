//! Unit tests of the netlink source on replies captured from a live
//! kernel (see [`super::fixtures`], which also holds the `/proc` text read
//! at the same moment) and on synthetic and damaged ones: nothing the
//! kernel, or a corrupted buffer, sends may panic.

use super::dump::{done_status, error_status};
use super::fixtures::{PROC_TCP, PROC_UDP6, RAW4_DUMP, TCP4_DUMP, UDP6_DUMP};
use super::inet::{Plan, ms_to_ticks};
use super::wire::{
    Attrs, FrameError, InetDiagMsg, InetRequest, NLM_F_DUMP_INTR, NLMSG_DONE,
    NLMSG_ERROR, SOCK_DIAG_BY_FAMILY, TcpInfoCounters, next_frame, tcp_info,
};
use super::*;
use crate::model::Timer;
use crate::source::proc_net::{parse_inet_line, parse_table};

/// `TCP_SYN_RECV`'s bit.
const SYN_RECV: u32 = 1 << 3;

/// Decodes a captured reply into rows and stats.
fn replay(
    bytes: &[u8],
    protocol: Protocol,
    family: Family,
    states: u32,
) -> Result<(Vec<InetSocket>, Stats), NetlinkError> {
    let mut rows = Vec::new();
    let diag = SockDiag::with_user_hz(100);
    let stats =
        diag.replay_inet(bytes, protocol, family, states, true, |row| {
            rows.push(row);
        })?;
    Ok((rows, stats))
}

/// Parses captured `/proc` text with the text source's parser.
fn proc_rows(
    text: &str,
    protocol: Protocol,
    family: Family,
) -> Vec<InetSocket> {
    let table = parse_table(text.as_bytes(), |line| {
        parse_inet_line(line, protocol, family)
    });
    assert_eq!(table.skipped, 0);
    table.rows
}

/// Asserts two row lists equal, timer ticks within `tolerance`.
fn assert_same_rows(want: &[InetSocket], got: &[InetSocket], tolerance: u64) {
    assert_eq!(want.len(), got.len());
    for (want, got) in want.iter().zip(got) {
        let mut same_ticks = got.clone();
        same_ticks.timer.ticks = want.timer.ticks;
        assert_eq!(*want, same_ticks);
        assert!(want.timer.ticks.abs_diff(got.timer.ticks) <= tolerance);
    }
}

/// One netlink message with a padded payload.
fn message(kind: u16, flags: u16, seq: u32, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let len = (wire::NLMSG_HDRLEN + payload.len()) as u32;
    wire::Header { len, kind, flags, seq, pid: 0 }.encode(&mut out);
    out.extend_from_slice(payload);
    out.resize(wire::align4(out.len()), 0);
    out
}

/// A successful `NLMSG_DONE` with sequence number 1.
fn done() -> Vec<u8> {
    message(NLMSG_DONE, 2, 1, &0i32.to_ne_bytes())
}

/// An `inet_diag_msg` payload of an IPv4 socket with the given state and
/// timer fields and no attributes.
fn diag_payload(state: u8, timer: u8, retrans: u8, expires_ms: u32) -> Vec<u8> {
    let mut out = vec![libc::AF_INET as u8, state, timer, retrans];
    out.extend_from_slice(&8080u16.to_be_bytes());
    out.extend_from_slice(&40000u16.to_be_bytes());
    out.resize(52, 0);
    out.extend_from_slice(&expires_ms.to_ne_bytes());
    out.resize(wire::INET_DIAG_MSG_LEN, 0);
    out
}

/// A reply holding the given socket payloads, then `NLMSG_DONE`.
fn reply(payloads: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for payload in payloads {
        out.extend(message(SOCK_DIAG_BY_FAMILY, 2, 1, payload));
    }
    out.extend(done());
    out
}

#[test]
fn captured_tcp_dump_equals_proc_text() {
    let (rows, stats) =
        replay(TCP4_DUMP, Protocol::Tcp, Family::Inet, ALL_STATES).unwrap();
    let want = proc_rows(PROC_TCP, Protocol::Tcp, Family::Inet);
    assert_eq!((stats.rows, stats.skipped, stats.interrupted), (7, 0, false));
    assert_same_rows(&want, &rows, 1);
}

#[test]
fn listener_send_queue_is_the_backlog_in_diag_and_zero_here() {
    let (frame, _) = next_frame(TCP4_DUMP).unwrap();
    let (msg, _) = InetDiagMsg::parse(frame.payload).unwrap();
    assert_eq!((msg.state, msg.wqueue), (10, 16));
    let (rows, _) =
        replay(TCP4_DUMP, Protocol::Tcp, Family::Inet, ALL_STATES).unwrap();
    assert_eq!(rows[0].send_queue, 0);
    assert_eq!(rows[1].recv_queue, 1, "accept queue");
}

#[test]
fn request_sockets_take_their_listeners_uid() {
    // In the capture, the request socket is the fourth row.
    let (rows, _) =
        replay(TCP4_DUMP, Protocol::Tcp, Family::Inet, ALL_STATES).unwrap();
    let request = &rows[3];
    assert_eq!((request.state, request.inode), (TcpState(3), 0));
    assert_eq!(request.uid, 65534);

    // Asked for SYN_RECV alone, listeners are still used, not shown.
    let (rows, stats) =
        replay(TCP4_DUMP, Protocol::Tcp, Family::Inet, SYN_RECV).unwrap();
    assert_eq!((rows.len(), stats.messages), (1, 7));
    assert_eq!((rows[0].state, rows[0].uid), (TcpState(3), 65534));
}

#[test]
fn time_wait_rows_match_proc() {
    let (rows, _) =
        replay(TCP4_DUMP, Protocol::Tcp, Family::Inet, ALL_STATES).unwrap();
    let time_wait = &rows[4];
    assert_eq!(time_wait.state, TcpState(6));
    assert_eq!((time_wait.uid, time_wait.inode), (0, 0));
    assert_eq!(time_wait.timer.code, 3);
    assert_eq!(time_wait.timer.ticks, 0x175B);
}

#[test]
fn captured_udp6_dump_keeps_mapped_addresses_and_memory_queues() {
    let (rows, stats) =
        replay(UDP6_DUMP, Protocol::Udp, Family::Inet6, ALL_STATES).unwrap();
    let want = proc_rows(PROC_UDP6, Protocol::Udp, Family::Inet6);
    assert_eq!(stats.rows, 2);
    assert_same_rows(&want, &rows, 0);
    assert_eq!(rows[0].recv_queue, 0x340);
    let mapped: std::net::IpAddr = "::ffff:127.0.0.1".parse().unwrap();
    assert_eq!(rows[1].remote.addr, mapped);
    assert!(rows[0].is_server() && !rows[1].is_server());
}

#[test]
fn missing_raw_diag_reads_as_unsupported() {
    let error =
        replay(RAW4_DUMP, Protocol::Raw, Family::Inet, ALL_STATES).unwrap_err();
    assert!(error.is_unsupported(), "{error}");
    assert!(matches!(error, NetlinkError::Unsupported { errno: libc::ENOENT }));
}

#[test]
fn done_and_error_payloads_carry_errnos() {
    assert!(done_status(&[]).is_ok());
    assert!(done_status(&0i32.to_ne_bytes()).is_ok());
    let error = done_status(&(-libc::EACCES).to_ne_bytes()).unwrap_err();
    assert!(matches!(error, NetlinkError::Kernel { errno: libc::EACCES }));
    assert!(error_status(&0i32.to_ne_bytes()).is_ok());
    let error = error_status(&(-libc::EPROTONOSUPPORT).to_ne_bytes());
    assert!(error.unwrap_err().is_unsupported());
    let error = error_status(&[1, 2]).unwrap_err();
    assert!(matches!(error, NetlinkError::Malformed(_)));
    assert!(!error.to_string().is_empty());
}

#[test]
fn nlmsg_error_ends_a_replayed_dump_with_its_errno() {
    let mut bytes =
        message(SOCK_DIAG_BY_FAMILY, 2, 1, &diag_payload(1, 0, 0, 0));
    bytes.extend(message(NLMSG_ERROR, 0, 1, &(-libc::EPERM).to_ne_bytes()));
    let error = replay(&bytes, Protocol::Tcp, Family::Inet, ALL_STATES);
    assert!(matches!(error, Err(NetlinkError::Kernel { errno: libc::EPERM })));
}

#[test]
fn requests_encode_as_the_kernel_expects() {
    let request = InetRequest {
        family: libc::AF_INET6 as u8,
        protocol: 6,
        extensions: 2,
        raw_protocol: 0,
        states: 0xFFF,
    };
    let bytes = request.encode(7);
    assert_eq!(bytes.len(), 72);
    let (frame, next) = next_frame(&bytes).unwrap();
    assert_eq!(next, 72);
    assert_eq!(frame.header.kind, SOCK_DIAG_BY_FAMILY);
    assert_eq!(frame.header.flags, 0x301);
    assert_eq!(frame.header.seq, 7);
    assert_eq!(&frame.payload[..4], &[10, 6, 2, 0]);
    assert_eq!(wire::u32_at(frame.payload, 4), Some(0xFFF));
    assert!(frame.payload[8..].iter().all(|&b| b == 0));
}

#[test]
fn plans_ask_for_exact_states_and_info_only_when_needed() {
    // -l: listeners only, no tcp_info without timers.
    let plan = Plan::new(Protocol::Tcp, Family::Inet, LISTEN_STATES, false);
    assert_eq!((plan.request.states, plan.request.extensions), (1 << 10, 0));
    assert!(!plan.track_listeners);

    // Request sockets need listeners, which are then hidden.
    let plan = Plan::new(Protocol::Tcp, Family::Inet6, SYN_RECV, true);
    assert_eq!(plan.request.states, SYN_RECV | LISTEN_STATES);
    assert_eq!((plan.request.family, plan.request.extensions), (10, 2));
    assert!(plan.track_listeners);

    // Datagram protocols never get tcp_info; raw names its protocol.
    let plan = Plan::new(Protocol::UdpLite, Family::Inet, ALL_STATES, true);
    assert_eq!((plan.request.protocol, plan.request.extensions), (136, 0));
    let plan = Plan::new(Protocol::Raw, Family::Inet, DATAGRAM_STATES, false);
    assert_eq!((plan.request.protocol, plan.request.raw_protocol), (255, 255));
    assert_eq!(plan.request.states, 0x82);
}

#[test]
fn milliseconds_become_user_hz_ticks_rounded_down() {
    assert_eq!(ms_to_ticks(0, 100), 0);
    assert_eq!(ms_to_ticks(9, 100), 0);
    assert_eq!(ms_to_ticks(1000, 100), 100);
    assert_eq!(ms_to_ticks(59_996, 100), 5999);
    assert_eq!(ms_to_ticks(u32::MAX, 100), 429_496_729);
}

#[test]
fn without_tcp_info_idiag_retrans_fills_one_counter() {
    let bytes = reply(&[
        diag_payload(1, 1, 3, 200),
        diag_payload(1, 4, 2, 500),
        diag_payload(1, 2, 1, 7_200_000),
        diag_payload(1, 0, 9, 0),
    ]);
    let (rows, _) =
        replay(&bytes, Protocol::Tcp, Family::Inet, ALL_STATES).unwrap();
    let timers: Vec<_> = rows
        .iter()
        .map(|r| {
            (r.timer.code, r.timer.ticks, r.timer.retransmits, r.timer.probes)
        })
        .collect();
    assert_eq!(
        timers,
        [(1, 20, 3, 0), (4, 50, 0, 2), (2, 720_000, 0, 1), (0, 0, 0, 0)]
    );
    assert_eq!(rows[0].local.port, 8080);
    assert_eq!(rows[0].remote.port, 40000, "ports above 32767");
}

#[test]
fn datagram_rows_have_no_timer_and_raw_rows_no_remote_port() {
    let bytes = reply(&[diag_payload(1, 1, 3, 200)]);
    let (rows, _) =
        replay(&bytes, Protocol::Udp, Family::Inet, ALL_STATES).unwrap();
    assert_eq!(rows[0].timer, Timer::default());
    assert_eq!(rows[0].remote.port, 40000);
    let (rows, _) =
        replay(&bytes, Protocol::Raw, Family::Inet, ALL_STATES).unwrap();
    assert_eq!(rows[0].remote.port, 0);

    // raw_diag ignores the state mask; the decoder applies it.
    let close = state_bit(TcpState::CLOSE);
    let (rows, stats) =
        replay(&bytes, Protocol::Raw, Family::Inet, close).unwrap();
    assert_eq!((rows.len(), stats.messages), (0, 1));
}

#[test]
fn short_and_foreign_payloads_are_skipped_and_counted() {
    let mut other_family = diag_payload(1, 0, 0, 0);
    other_family[0] = libc::AF_INET6 as u8;
    let bytes = reply(&[vec![2; 40], other_family, diag_payload(1, 0, 0, 0)]);
    let (rows, stats) =
        replay(&bytes, Protocol::Tcp, Family::Inet, ALL_STATES).unwrap();
    assert_eq!((rows.len(), stats.skipped, stats.messages), (1, 2, 3));
}

#[test]
fn foreign_sequence_numbers_and_noops_are_ignored() {
    let payload = diag_payload(1, 0, 0, 0);
    let mut bytes = message(SOCK_DIAG_BY_FAMILY, 2, 1, &payload);
    bytes.extend(message(SOCK_DIAG_BY_FAMILY, 2, 99, &payload));
    bytes.extend(message(wire::NLMSG_NOOP, 0, 1, &[]));
    bytes.extend(done());
    let (rows, _) =
        replay(&bytes, Protocol::Tcp, Family::Inet, ALL_STATES).unwrap();
    assert_eq!(rows.len(), 1);
}

#[test]
fn overrun_is_an_error() {
    let bytes = message(wire::NLMSG_OVERRUN, 0, 1, &[]);
    let error = replay(&bytes, Protocol::Tcp, Family::Inet, ALL_STATES);
    assert!(matches!(error, Err(NetlinkError::Overrun)));
}

#[test]
fn interrupted_dumps_are_flagged_and_stop_before_their_first_row() {
    // Flag on the first message: nothing is handed out.
    let payload = diag_payload(1, 0, 0, 0);
    let mut bytes =
        message(SOCK_DIAG_BY_FAMILY, 2 | NLM_F_DUMP_INTR, 1, &payload);
    bytes.extend(done());
    let (rows, stats) =
        replay(&bytes, Protocol::Tcp, Family::Inet, ALL_STATES).unwrap();
    assert!(rows.is_empty() && stats.interrupted);

    // Flag after a row: the dump is finished and flagged.
    let mut bytes = message(SOCK_DIAG_BY_FAMILY, 2, 1, &payload);
    bytes.extend(message(
        SOCK_DIAG_BY_FAMILY,
        2 | NLM_F_DUMP_INTR,
        1,
        &payload,
    ));
    bytes.extend(done());
    let (rows, stats) =
        replay(&bytes, Protocol::Tcp, Family::Inet, ALL_STATES).unwrap();
    assert_eq!(rows.len(), 2);
    assert!(stats.interrupted);
}

#[test]
fn frames_with_short_headers_or_bad_lengths_are_rejected() {
    // Fewer than 16 bytes, and lengths below the header or past the end.
    assert_eq!(next_frame(&[0; 15]).unwrap_err(), FrameError::ShortHeader);
    for len in [0u32, 8, 15, 33, u32::MAX] {
        let mut bytes = vec![0; 32];
        bytes[..4].copy_from_slice(&len.to_ne_bytes());
        assert_eq!(next_frame(&bytes).unwrap_err(), FrameError::BadLength);
    }

    // An unaligned last message ends at the buffer, not past it.
    let mut bytes = vec![0; 17];
    bytes[..4].copy_from_slice(&17u32.to_ne_bytes());
    let (frame, next) = next_frame(&bytes).unwrap();
    assert_eq!((frame.payload.len(), next), (1, 17));
}

#[test]
fn attributes_are_read_leniently() {
    // A record, then one whose length is below its header.
    let mut bytes = vec![8, 0, 0x02, 0x80, 1, 2, 3, 4];
    bytes.extend_from_slice(&[3, 0, 5, 0]);
    let attrs: Vec<_> = Attrs::new(&bytes).collect();
    assert_eq!(attrs, [(2, &[1, 2, 3, 4][..])]);

    // A length past the end, and a header cut short.
    assert_eq!(Attrs::new(&[200, 0, 2, 0, 1, 2]).count(), 0);
    assert_eq!(Attrs::new(&[8, 0, 2]).count(), 0);

    // tcp_info needs four bytes; older kernels' shorter structs do.
    assert_eq!(TcpInfoCounters::parse(&[1, 2]), None);
    let info = TcpInfoCounters::parse(&[1, 0, 5, 6]).unwrap();
    assert_eq!((info.retransmits, info.probes), (5, 6));
    assert!(tcp_info(&[8, 0, 2, 0, 1, 0, 5]).is_none());
}

#[test]
fn every_proper_prefix_of_a_capture_fails_cleanly() {
    for len in 0..TCP4_DUMP.len() {
        let cut = &TCP4_DUMP[..len];
        let result = replay(cut, Protocol::Tcp, Family::Inet, ALL_STATES);
        assert!(result.is_err(), "prefix of {len} bytes");
    }
}

#[test]
fn corrupted_captures_never_panic() {
    // A fixed xorshift sequence picks the bytes to damage.
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };

    // Flip a few bytes at a time, headers included, and decode.
    for round in 0..3000 {
        let mut bytes = TCP4_DUMP.to_vec();
        for _ in 0..1 + round % 4 {
            let at = (next() % bytes.len() as u64) as usize;
            bytes[at] ^= (next() % 255 + 1) as u8;
        }
        let _ = replay(&bytes, Protocol::Tcp, Family::Inet, ALL_STATES);
        let _ = replay(&bytes, Protocol::Tcp, Family::Inet, SYN_RECV);
    }
}
