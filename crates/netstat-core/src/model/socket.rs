//! Sockets as the kernel reports them: Internet sockets (TCP, UDP,
//! UDP-Lite, raw) and UNIX domain sockets.
//!
//! Queues are the values of `/proc/net/*` (for a TCP listener the Send-Q
//! is 0 there, whereas `inet_diag` reports the backlog; any netlink source
//! must normalise to the `/proc` meaning before filling these types).

use std::net::IpAddr;

/// The transport protocol of an Internet socket.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Protocol {
    /// `IPPROTO_TCP`.
    Tcp,
    /// `IPPROTO_UDP`.
    Udp,
    /// `IPPROTO_UDPLITE`.
    UdpLite,
    /// `SOCK_RAW`; the local port holds the IP protocol number.
    Raw,
}

/// The address family of an Internet socket table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Family {
    /// `AF_INET`, the `tcp`, `udp`, ... tables.
    Inet,
    /// `AF_INET6`, the `tcp6`, `udp6`, ... tables.
    Inet6,
}

/// One end of an Internet socket: an address and a port.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Endpoint {
    /// The address as the kernel stores it (IPv4-mapped IPv6 addresses
    /// stay IPv6 here; renderers decide how to show them).
    pub addr: IpAddr,
    /// The port in host order; for raw sockets the IP protocol number.
    pub port: u16,
}

/// The kernel's TCP state numbers (`TCP_ESTABLISHED` = 1 ... `TCP_CLOSING`
/// = 11), also used by UDP and raw sockets (1 connected, 7 unconnected).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TcpState(pub u8);

impl TcpState {
    /// `TCP_ESTABLISHED`.
    pub const ESTABLISHED: TcpState = TcpState(1);
    /// `TCP_CLOSE`, also "unconnected" for datagram sockets.
    pub const CLOSE: TcpState = TcpState(7);
    /// `TCP_LISTEN`.
    pub const LISTEN: TcpState = TcpState(10);
}

/// The socket timer columns of `/proc/net/tcp` and friends.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Timer {
    /// Which timer is pending: 0 none, 1 retransmit, 2 keepalive,
    /// 3 TIME_WAIT, 4 zero-window probe.
    pub code: u8,
    /// Time to expiry in clock ticks (`USER_HZ`).
    pub ticks: u64,
    /// Retransmissions so far (`retrnsmt`).
    pub retransmits: u64,
    /// Unanswered keepalive or zero-window probes (`timeout`).
    pub probes: i64,
}

/// An Internet socket (TCP, UDP, UDP-Lite or raw) of one table row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InetSocket {
    /// Transport protocol of the table the row came from.
    pub protocol: Protocol,
    /// Address family of the table the row came from.
    pub family: Family,
    /// Local address and port.
    pub local: Endpoint,
    /// Remote address and port.
    pub remote: Endpoint,
    /// Kernel state number.
    pub state: TcpState,
    /// Bytes queued for reading (TCP: unread bytes or, for a listener, the
    /// accept queue length; datagram sockets: receive buffer memory).
    pub recv_queue: u64,
    /// Bytes queued for sending (0 for a TCP listener).
    pub send_queue: u64,
    /// Pending timer.
    pub timer: Timer,
    /// Owner's user id.
    pub uid: u32,
    /// Socket inode (0 for TIME_WAIT and request sockets).
    pub inode: u64,
}

impl InetSocket {
    /// True for what netstat calls a server: a TCP socket whose remote port
    /// is 0, or a datagram or raw socket whose remote address is all zeros.
    pub fn is_server(&self) -> bool {
        match self.protocol {
            Protocol::Tcp => self.remote.port == 0,
            _ => self.remote.addr.is_unspecified(),
        }
    }
}

/// The type of a UNIX domain socket (`SOCK_STREAM`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct UnixType(pub u16);

/// The state of a UNIX domain socket (`SS_UNCONNECTED` = 1 ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct UnixState(pub u8);

impl UnixState {
    /// `SS_UNCONNECTED`.
    pub const UNCONNECTED: UnixState = UnixState(1);
}

/// A UNIX domain socket of one `/proc/net/unix` row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnixSocket {
    /// Kernel reference count.
    pub refcount: u64,
    /// Protocol (always 0 on Linux).
    pub protocol: u64,
    /// Socket flags; `__SO_ACCEPTCON` (0x10000) marks a listener.
    pub flags: u64,
    /// Socket type.
    pub kind: UnixType,
    /// Connection state.
    pub state: UnixState,
    /// Socket inode.
    pub inode: u64,
    /// Bound name as the kernel prints it: a path, or `@` and an abstract
    /// name whose NUL bytes the kernel turned into `@`. `None` if unbound.
    pub path: Option<Vec<u8>>,
}

impl UnixSocket {
    /// The `__SO_ACCEPTCON` flag bit.
    pub const ACCEPT_CONNECTIONS: u64 = 1 << 16;

    /// True if the socket accepts connections (a listener).
    pub fn accepts(&self) -> bool {
        self.flags & Self::ACCEPT_CONNECTIONS != 0
    }

    /// True for what netstat calls a server: unconnected and accepting.
    pub fn is_server(&self) -> bool {
        self.accepts() && self.state == UnixState::UNCONNECTED
    }
}
