//! The sock_diag source against the `/proc/net` text source, on live
//! sockets: both must yield the same rows, in the same order, with the
//! same values (timer ticks may move by a few between the two reads).
//!
//! Needs root. The test thread moves into a private network namespace of
//! its own (`unshare(CLONE_NEWNET)` affects only that thread), starts a
//! python3 fixture there that opens many kinds of sockets, reads
//! `/proc/thread-self/net/*` and the netlink dumps from inside, and kills
//! the fixture (by its pid) when done. The namespace disappears with the
//! thread and the fixture. Without root or python3 the test prints
//! `netlink_vs_proc: skipped: <reason>` and passes.

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::thread;
use std::time::Instant;

use netstat_core::model::{Family, InetSocket, Protocol, TcpState};
use netstat_core::source::netlink::{
    ALL_STATES, LISTEN_STATES, NetlinkError, SockDiag, state_bit,
};
use netstat_core::source::proc_net::ProcNet;

/// Sockets of every kind the renderers must show identically. Sockets
/// made while the fs uid is 65534 belong to that user.
const FIXTURE: &str = r#"
import ctypes, fcntl, os, socket, struct, sys, time
from socket import AF_INET, AF_INET6, SOCK_STREAM, SOCK_DGRAM, SOL_SOCKET
TCP_KEEPIDLE, TCP_DEFER_ACCEPT, UDPLITE = 4, 9, 136
libc = ctypes.CDLL(None, use_errno=True)
keep = []

def lo_up():
    s = socket.socket(AF_INET, SOCK_DGRAM)
    req = struct.pack('16sH14x', b'lo', 0)
    flags = struct.unpack('16sH14x', fcntl.ioctl(s, 0x8913, req))[1]
    fcntl.ioctl(s, 0x8914, struct.pack('16sH14x', b'lo', flags | 1))
    s.close()

def sock(fam, kind, proto=0):
    s = socket.socket(fam, kind, proto)
    keep.append(s)
    return s

def listener(fam, addr, port, backlog=16):
    s = sock(fam, SOCK_STREAM)
    s.setsockopt(SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(backlog)
    return s

def connect(fam, addr, port):
    c = sock(fam, SOCK_STREAM)
    c.connect((addr, port))
    return c

def accept(l):
    a = l.accept()[0]
    keep.append(a)
    return a

def drop(*socks):
    for s in socks:
        keep.remove(s)
        s.close()

lo_up()

# Listener with two connections waiting in its accept queue.
l = listener(AF_INET, '127.0.0.1', 8001)
connect(AF_INET, '127.0.0.1', 8001)
connect(AF_INET, '127.0.0.1', 8001)

# Established pair with unread data both ways; a high listening port.
l = listener(AF_INET, '0.0.0.0', 50000)
c = connect(AF_INET, '127.0.0.1', 50000)
a = accept(l)
c.send(b'x' * 1234)
a.send(b'y' * 100)

# Unsent data against a full receive window: zero-window probe timer.
l = listener(AF_INET, '127.0.0.1', 8003)
l.setsockopt(SOL_SOCKET, socket.SO_RCVBUF, 4096)
c = sock(AF_INET, SOCK_STREAM)
c.setsockopt(SOL_SOCKET, socket.SO_SNDBUF, 65536)
c.connect(('127.0.0.1', 8003))
a = accept(l)
c.setblocking(False)
try:
    while True:
        c.send(b'z' * 65536)
except BlockingIOError:
    pass

# FIN_WAIT2 / CLOSE_WAIT, then an orphaned FIN_WAIT2 (a timewait socket
# in sub-state FIN_WAIT2) and a real TIME_WAIT.
l = listener(AF_INET, '127.0.0.1', 8004)
c = connect(AF_INET, '127.0.0.1', 8004)
a = accept(l)
c.shutdown(socket.SHUT_WR)
c = connect(AF_INET, '127.0.0.1', 8004)
a = accept(l)
drop(c)
c = connect(AF_INET, '127.0.0.1', 8004)
a = accept(l)
drop(c, a)

# SYN_SENT: a listener whose accept queue (backlog 0) is full.
l = listener(AF_INET, '127.0.0.1', 8007, backlog=0)
connect(AF_INET, '127.0.0.1', 8007)
c = sock(AF_INET, SOCK_STREAM)
c.setblocking(False)
c.connect_ex(('127.0.0.1', 8007))

# Keepalive timer.
l = listener(AF_INET, '127.0.0.1', 8009)
c = connect(AF_INET, '127.0.0.1', 8009)
c.setsockopt(SOL_SOCKET, socket.SO_KEEPALIVE, 1)
c.setsockopt(socket.IPPROTO_TCP, TCP_KEEPIDLE, 7200)
accept(l)

# Sockets of uid 65534: deferred-accept listeners whose pending
# connections stay request sockets (SYN_RECV), and a UDP socket.
libc.setfsuid(65534)
d4 = listener(AF_INET, '127.0.0.1', 8008)
d6 = listener(AF_INET6, '::', 8012)
u = sock(AF_INET, SOCK_DGRAM)
u.bind(('127.0.0.1', 7001))
libc.setfsuid(0)
for d in (d4, d6):
    d.setsockopt(socket.IPPROTO_TCP, TCP_DEFER_ACCEPT, 30)
connect(AF_INET, '127.0.0.1', 8008)
connect(AF_INET, '127.0.0.1', 8012)
connect(AF_INET6, '::1', 8012)

# IPv6: loopback pair with data, dual-stack listener with a v4 client
# (v4-mapped rows), and a v4-mapped TIME_WAIT.
l = listener(AF_INET6, '::1', 8443)
c = connect(AF_INET6, '::1', 8443)
accept(l)
c.send(b'v' * 10)
l = listener(AF_INET6, '::', 8080)
connect(AF_INET, '127.0.0.1', 8080)
accept(l)
c = connect(AF_INET, '127.0.0.1', 8080)
a = accept(l)
drop(a, c)

# UDP: unconnected with queued datagrams, connected, v6 and v4-mapped.
u = sock(AF_INET, SOCK_DGRAM)
u.bind(('127.0.0.1', 5353))
s = sock(AF_INET, SOCK_DGRAM)
s.connect(('127.0.0.1', 5353))
for _ in range(3):
    s.send(b'q' * 100)
sock(AF_INET, SOCK_DGRAM).bind(('0.0.0.0', 40000))
u6 = sock(AF_INET6, SOCK_DGRAM)
u6.bind(('::', 5354))
sock(AF_INET6, SOCK_DGRAM).connect(('::1', 5354))
m = sock(AF_INET6, SOCK_DGRAM)
m.connect(('::ffff:127.0.0.1', 5353))
m.send(b'm' * 7)
s.sendto(b'w', ('127.0.0.1', 5354))

# UDP-Lite, v4 and v6, with a queued datagram.
ul = sock(AF_INET, SOCK_DGRAM, UDPLITE)
ul.bind(('127.0.0.1', 6000))
sock(AF_INET, SOCK_DGRAM, UDPLITE).connect(('127.0.0.1', 6000))
keep[-1].send(b'l' * 50)
sock(AF_INET6, SOCK_DGRAM, UDPLITE).bind(('::1', 6001))

# A raw socket, for kernels with raw_diag.
sock(AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
sock(AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)

# Let timers fire: SYN retransmits, zero-window probes, request timeouts.
time.sleep(1.5)
print('ready', flush=True)
sys.stdin.read()
"#;

/// Ticks a running timer may differ by beyond the time that passed
/// between the `/proc` read and the dump (each source rounds down).
const TICK_SLACK: u64 = 2;

/// Comparison rounds before a difference counts (a timer may fire or a
/// probe go out between two reads).
const ATTEMPTS: usize = 4;

/// The running fixture; dropping it kills the process by its pid.
struct Fixture {
    child: Child,
    _stdin: ChildStdin,
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Why the test cannot run here.
fn skip_reason() -> Option<String> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Some("not root".into());
    }
    let python = Command::new("python3").arg("-c").arg("pass").status();
    match python {
        Ok(status) if status.success() => None,
        _ => Some("python3 not available".into()),
    }
}

/// Moves the calling thread into a new, empty network namespace.
fn enter_private_netns() -> Result<(), String> {
    // SAFETY: unshare takes no pointers; it affects only this thread.
    if unsafe { libc::unshare(libc::CLONE_NEWNET) } != 0 {
        let error = std::io::Error::last_os_error();
        return Err(format!("unshare(CLONE_NEWNET): {error}"));
    }
    Ok(())
}

/// Starts the fixture in this thread's namespace and waits until its
/// sockets exist.
fn start_fixture() -> Fixture {
    // The child inherits the calling thread's network namespace.
    let mut child = Command::new("python3")
        .arg("-c")
        .arg(FIXTURE)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 fixture starts");
    let stdin = child.stdin.take().expect("fixture stdin");
    let stdout: ChildStdout = child.stdout.take().expect("fixture stdout");
    let fixture = Fixture { child, _stdin: stdin };

    // It prints one line once everything is set up.
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("fixture output");
    assert_eq!(line.trim(), "ready", "fixture failed to set up");
    fixture
}

/// Every table the comparison covers.
const TABLES: [(Protocol, Family); 8] = [
    (Protocol::Tcp, Family::Inet),
    (Protocol::Tcp, Family::Inet6),
    (Protocol::Udp, Family::Inet),
    (Protocol::Udp, Family::Inet6),
    (Protocol::UdpLite, Family::Inet),
    (Protocol::UdpLite, Family::Inet6),
    (Protocol::Raw, Family::Inet),
    (Protocol::Raw, Family::Inet6),
];

/// The `/proc` rows of one table, as seen from this thread.
fn proc_rows(protocol: Protocol, family: Family) -> Vec<InetSocket> {
    let source = ProcNet::new("/proc/thread-self");
    let table = source.inet_sockets(protocol, family).expect("/proc table");
    assert_eq!(table.skipped, 0, "unparsed /proc lines");
    table.rows
}

/// The netlink rows of one table, or `None` if the kernel cannot dump
/// it (raw without raw_diag).
fn netlink_rows(
    protocol: Protocol,
    family: Family,
    states: u32,
    timers: bool,
) -> Option<Vec<InetSocket>> {
    let diag = SockDiag::new();
    match diag.inet_sockets(protocol, family, states, timers) {
        Ok(table) => {
            assert_eq!(table.skipped, 0, "undecodable netlink replies");
            Some(table.rows)
        }
        Err(error) if protocol == Protocol::Raw => {
            assert!(error.is_unsupported(), "raw dump: {error}");
            None
        }
        Err(error) => panic!("{protocol:?} {family:?} dump: {error}"),
    }
}

/// Every way `got` (netlink) differs from `want` (/proc) beyond what the
/// documented rules allow.
fn row_differences(
    want: &InetSocket,
    got: &InetSocket,
    exact: bool,
    slack: u64,
) -> String {
    // Everything but the timer must be equal.
    let mut out = String::new();
    let mut strip = got.clone();
    strip.timer = want.timer;
    if strip != *want {
        out += &format!("\n  fields: proc {want:?}\n       netlink {got:?}");
    }

    // The timer code is equal; the ticks are close where a timer runs.
    let (w, g) = (want.timer, got.timer);
    let tolerance = if w.code == 0 { 0 } else { slack };
    if w.code != g.code || w.ticks.abs_diff(g.ticks) > tolerance {
        out += &format!("\n  timer: proc {w:?} netlink {g:?}");
    }

    // Counters: exact with tcp_info; a request socket's may lag.
    let request = want.state == TcpState(3) && want.inode == 0;
    let retransmits_ok = match request {
        true => g.retransmits <= w.retransmits,
        false => g.retransmits == w.retransmits,
    };
    if exact && (!retransmits_ok || g.probes != w.probes) {
        out += &format!("\n  counters: proc {w:?} netlink {g:?}");
    }
    out
}

/// All differences between two row lists, compared position by
/// position, or an empty string.
fn differences(
    want: &[InetSocket],
    got: &[InetSocket],
    exact: bool,
    slack: u64,
) -> String {
    let mut out = String::new();
    if want.len() != got.len() {
        out += &format!(
            "\n  {} rows in /proc, {} by netlink",
            want.len(),
            got.len()
        );
    }
    for (index, (w, g)) in want.iter().zip(got).enumerate() {
        let row = row_differences(w, g, exact, slack);
        if !row.is_empty() {
            out += &format!("\n row {index}:{row}");
        }
    }
    out
}

/// Compares one table with a state filter applied to the `/proc` side,
/// retrying a few rounds while timers move; returns the rows compared.
fn compare(
    protocol: Protocol,
    family: Family,
    states: u32,
    timers: bool,
) -> Vec<InetSocket> {
    let mut last = String::new();
    for _ in 0..ATTEMPTS {
        // Read /proc, then dump; timers run down meanwhile.
        let start = Instant::now();
        let mut want = proc_rows(protocol, family);
        let Some(got) = netlink_rows(protocol, family, states, timers) else {
            return Vec::new();
        };
        let elapsed = start.elapsed().as_millis() / 10; // USER_HZ is 100
        let slack = u64::try_from(elapsed).unwrap_or(u64::MAX) + TICK_SLACK;

        // Filter /proc by the mask and compare.
        want.retain(|row| states & state_bit(row.state) != 0);
        last = differences(&want, &got, timers, slack);
        if last.is_empty() {
            return want;
        }
    }
    panic!("{protocol:?} {family:?} states {states:#x} timers {timers}:{last}");
}

/// Asserts that the rows cover every case the fixture was written for,
/// so that a fixture gone wrong cannot pass by comparing little.
fn assert_coverage(rows: &[InetSocket]) {
    let has = |what: &str, test: &dyn Fn(&InetSocket) -> bool| {
        assert!(rows.iter().any(test), "no {what} row to compare");
    };
    let tcp = |row: &InetSocket| row.protocol == Protocol::Tcp;
    for state in [1, 2, 3, 5, 6, 8, 10] {
        let name = format!("TCP state {state}");
        has(&name, &|r| tcp(r) && r.state.0 == state);
    }
    for code in 1..=4 {
        has(&format!("timer {code}"), &|r| r.timer.code == code);
    }
    has("timewait FIN_WAIT2", &|r| r.state.0 == 5 && r.timer.code == 3);
    has("accept queue", &|r| r.state == TcpState::LISTEN && r.recv_queue > 0);
    has("unsent data", &|r| tcp(r) && r.send_queue > 0);
    has("retransmit", &|r| r.timer.retransmits > 0);
    has("request uid", &|r| r.state.0 == 3 && r.uid == 65534);
    has("high port", &|r| r.local.port > 32767 || r.remote.port > 32767);
    has("v4-mapped", &|r| match r.local.addr {
        std::net::IpAddr::V6(v6) => v6.to_ipv4_mapped().is_some(),
        std::net::IpAddr::V4(_) => false,
    });
    has("queued datagram", &|r| {
        r.protocol == Protocol::Udp && r.recv_queue > 0
    });
    has("UDP-Lite", &|r| r.protocol == Protocol::UdpLite);
    has("IPv6 UDP", &|r| {
        r.protocol == Protocol::Udp && r.family == Family::Inet6
    });
}

/// The body of the test, run on a thread inside the namespace.
fn run_in_namespace() {
    let _fixture = start_fixture();

    // Every table, every state, exact counters and approximate ones.
    let mut compared = Vec::new();
    for (protocol, family) in TABLES {
        compared.extend(compare(protocol, family, ALL_STATES, true));
        compared.extend(compare(protocol, family, ALL_STATES, false));
    }
    assert_coverage(&compared);

    // State masks: listeners only, request sockets only (their uids
    // come from listeners the caller did not ask for).
    let syn_recv = state_bit(TcpState(3));
    for family in [Family::Inet, Family::Inet6] {
        let listeners = compare(Protocol::Tcp, family, LISTEN_STATES, true);
        assert!(listeners.len() >= 3, "{family:?} listeners");
        let requests = compare(Protocol::Tcp, family, syn_recv, true);
        assert!(!requests.is_empty(), "{family:?} request sockets");
    }
    println!("netlink_vs_proc: {} rows identical", compared.len());
}

#[test]
fn netlink_rows_equal_proc_rows() {
    // Only as root, and only where a namespace can be made.
    if let Some(reason) = skip_reason() {
        println!("netlink_vs_proc: skipped: {reason}");
        return;
    }
    let outcome = thread::spawn(|| {
        enter_private_netns()?;
        run_in_namespace();
        Ok::<(), String>(())
    })
    .join();

    // Report a skip, or re-raise a failure from the thread.
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(reason)) => println!("netlink_vs_proc: skipped: {reason}"),
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

#[test]
fn unsupported_errors_ask_for_the_proc_fallback() {
    let error = NetlinkError::from_errno(libc::ENOENT);
    assert!(error.is_unsupported());
    assert!(!NetlinkError::from_errno(libc::EINVAL).is_unsupported());
}
