//! Rows of the "Active Internet connections" block: TCP, UDP, UDP-Lite
//! and raw sockets in net-tools' fixed-width layout, with the optional
//! `-e` (User, Inode), `-p` (PID/Program name) and `-o` (Timer) columns.
//!
//! Every column keeps its padding, so rows end in blanks as net-tools'
//! do; an address too long for its 23 columns widens the row.

use std::io::{self, Write};

use super::Selection;
use super::address::{Naming, host_field, port_field, write_address};
use super::field;
use crate::model::{Endpoint, Family, InetSocket, Protocol};
use crate::resolve::ServiceKind;

/// Optional columns and layout switches of the Internet rows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Columns {
    /// `-e`: User and Inode.
    pub extend: bool,
    /// `-p`: PID/Program name.
    pub programs: bool,
    /// `-o`: Timer.
    pub timers: bool,
    /// `--trim`: cut addresses to 23 columns as net-tools 2.10 does.
    pub trim: bool,
    /// Clock ticks per second (`sysconf(_SC_CLK_TCK)`), for TCP timers.
    pub clock_ticks: u64,
}

/// Writes the block title.
pub fn inet_title(
    out: &mut impl Write,
    selection: Selection,
) -> io::Result<()> {
    writeln!(out, "Active Internet connections {}", selection.title())
}

/// Writes the column header line.
pub fn inet_header(out: &mut impl Write, columns: &Columns) -> io::Result<()> {
    out.write_all(
        b"Proto Recv-Q Send-Q Local Address           Foreign Address         \
          State      ",
    )?;
    if columns.extend {
        out.write_all(b" User       Inode     ")?;
    }
    if columns.programs {
        out.write_all(b" PID/Program name    ")?;
    }
    if columns.timers {
        out.write_all(b" Timer")?;
    }
    out.write_all(b"\n")
}

/// Writes one socket row. `user` and `program` are the texts of the `-e`
/// and `-p` columns, used only when those columns are on.
pub fn inet_row(
    out: &mut impl Write,
    socket: &InetSocket,
    naming: &Naming<'_>,
    columns: &Columns,
    user: &str,
    program: &str,
) -> io::Result<()> {
    // Protocol and queues: `%-4s  %6ld %6ld` (`%-5s %6ld %6ld` for UDP),
    // which for names of at most five letters is six columns in all.
    let proto = protocol_name(socket.protocol, socket.family);
    field::left(out, proto.as_bytes(), 6)?;
    field::right_u64(out, socket.recv_queue, 6)?;
    out.write_all(b" ")?;
    field::right_u64(out, socket.send_queue, 6)?;
    out.write_all(b" ")?;

    // Both ends, then the state in 11 columns.
    let kind = service_kind(socket.protocol);
    write_endpoint(out, socket.local, kind, naming, columns.trim)?;
    out.write_all(b" ")?;
    write_endpoint(out, socket.remote, kind, naming, columns.trim)?;
    out.write_all(b" ")?;
    write_state(out, socket)?;

    // The optional columns, in net-tools' order.
    if columns.extend {
        out.write_all(b" ")?;
        field::left(out, user.as_bytes(), 10)?;
        out.write_all(b" ")?;
        field::left_u64(out, socket.inode, 10)?;
    }
    if columns.programs {
        out.write_all(b" ")?;
        field::left(out, program.as_bytes(), 20)?;
    }
    if columns.timers {
        write!(out, " {}", timer_text(socket, columns.clock_ticks))?;
    }
    out.write_all(b"\n")
}

/// Writes one end as `host:port` in at least 23 columns.
fn write_endpoint(
    out: &mut impl Write,
    endpoint: Endpoint,
    kind: ServiceKind,
    naming: &Naming<'_>,
    trim: bool,
) -> io::Result<()> {
    let host = host_field(endpoint.addr, naming);
    let port = port_field(endpoint.port, kind, naming);
    write_address(out, host.as_str(), port.as_str(), trim)
}

/// Writes the State column in 11 columns: TCP names, UDP's
/// `ESTABLISHED`/blank/`UNKNOWN`, raw sockets' bare state number.
fn write_state(out: &mut impl Write, socket: &InetSocket) -> io::Result<()> {
    let state = socket.state.0;
    let name = match socket.protocol {
        Protocol::Tcp => tcp_state_name(state),
        Protocol::Udp | Protocol::UdpLite => match state {
            1 => "ESTABLISHED",
            7 => "",
            _ => "UNKNOWN",
        },
        Protocol::Raw => return field::left_u64(out, u64::from(state), 11),
    };
    field::left(out, name.as_bytes(), 11)
}

/// The service list ports of a protocol are looked up in.
fn service_kind(protocol: Protocol) -> ServiceKind {
    match protocol {
        Protocol::Tcp => ServiceKind::Tcp,
        Protocol::Udp | Protocol::UdpLite => ServiceKind::Udp,
        Protocol::Raw => ServiceKind::Raw,
    }
}

/// net-tools' protocol column: `tcp`, `udp6`, `udpl`, `raw6`, ...
pub fn protocol_name(protocol: Protocol, family: Family) -> &'static str {
    match (protocol, family) {
        (Protocol::Tcp, Family::Inet) => "tcp",
        (Protocol::Tcp, Family::Inet6) => "tcp6",
        (Protocol::Udp, Family::Inet) => "udp",
        (Protocol::Udp, Family::Inet6) => "udp6",
        (Protocol::UdpLite, Family::Inet) => "udpl",
        (Protocol::UdpLite, Family::Inet6) => "udpl6",
        (Protocol::Raw, Family::Inet) => "raw",
        (Protocol::Raw, Family::Inet6) => "raw6",
    }
}

/// net-tools' spelling of a TCP state.
pub fn tcp_state_name(state: u8) -> &'static str {
    match state {
        1 => "ESTABLISHED",
        2 => "SYN_SENT",
        3 => "SYN_RECV",
        4 => "FIN_WAIT1",
        5 => "FIN_WAIT2",
        6 => "TIME_WAIT",
        7 => "CLOSE",
        8 => "CLOSE_WAIT",
        9 => "LAST_ACK",
        10 => "LISTEN",
        11 => "CLOSING",
        _ => "UNKNOWN",
    }
}

/// The Timer column: `NAME (SECONDS/RETRANSMITS/PROBES)`.
fn timer_text(socket: &InetSocket, clock_ticks: u64) -> String {
    let timer = &socket.timer;
    let tcp = socket.protocol == Protocol::Tcp;
    let name = match (tcp, timer.code) {
        (_, 0) => "off".to_string(),
        (true, 1) => "on".to_string(),
        (true, 2) => "keepalive".to_string(),
        (true, 3) => "timewait".to_string(),
        (true, 4) => "probe".to_string(),
        (false, code @ 1..=2) => format!("on{code}"),
        (_, code) => format!("unkn-{code}"),
    };

    // TCP counts clock ticks; the others divide by a fixed 100.
    let divisor = if tcp { clock_ticks.max(1) } else { 100 };
    let seconds =
        if timer.code == 0 { 0.0 } else { timer.ticks as f64 / divisor as f64 };
    let retransmits = match socket.protocol {
        Protocol::Udp | Protocol::UdpLite => 0,
        _ => timer.retransmits,
    };
    format!("{name} ({seconds:.2}/{retransmits}/{})", timer.probes)
}
