//! Builders for the load's sockets, all on loopback inside the
//! benchmark's namespace: TCP listeners and established connections
//! (clients bound to a chosen 127.1.x.y source, port left to connect
//! time), unix stream pairs behind a path listener, bound UDP sockets and
//! a few IPv6 connections.

use std::io;
use std::mem::size_of;
use std::net::{Ipv4Addr, SocketAddrV4, TcpListener, TcpStream, UdpSocket};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::Path;

use crate::sys::cvt;

/// Connections sharing one client source address.
const PER_SOURCE: u64 = 256;

/// The address of listener `index` of a shard: four 127.0.0.x addresses.
pub fn listen_addr(port: u16, index: usize) -> SocketAddrV4 {
    SocketAddrV4::new(Ipv4Addr::new(127, 0, 0, 1 + (index % 4) as u8), port)
}

/// The client source address of global connection number `global`:
/// 256 connections per address, from 127.1.0.1 upwards.
pub fn source_addr(global: u64) -> Ipv4Addr {
    let group = global / PER_SOURCE;
    Ipv4Addr::new(127, 1, (group / 254) as u8, (group % 254 + 1) as u8)
}

/// The address of bound UDP socket number `global`: one per address.
pub fn udp_addr(global: u64) -> SocketAddrV4 {
    let (high, low) = ((global / 254) as u8, (global % 254 + 1) as u8);
    SocketAddrV4::new(Ipv4Addr::new(127, 2, high, low), 9999)
}

fn sockaddr(addr: SocketAddrV4) -> libc::sockaddr_in {
    libc::sockaddr_in {
        sin_family: libc::AF_INET as libc::sa_family_t,
        sin_port: addr.port().to_be(),
        sin_addr: libc::in_addr { s_addr: u32::from(*addr.ip()).to_be() },
        sin_zero: [0; 8],
    }
}

/// A TCP client bound to `source` (port chosen at connect time, so ports
/// are only unique per 4-tuple) and connected to `target`.
pub fn connect_from(
    source: Ipv4Addr,
    target: SocketAddrV4,
) -> io::Result<OwnedFd> {
    let kind = libc::SOCK_STREAM | libc::SOCK_CLOEXEC;
    // SAFETY: plain socket(2) call.
    let raw = cvt(unsafe { libc::socket(libc::AF_INET, kind, 0) })?;
    // SAFETY: the kernel just gave us this descriptor.
    let socket = unsafe { OwnedFd::from_raw_fd(raw) };
    let one: libc::c_int = 1;
    let length = size_of::<libc::sockaddr_in>() as libc::socklen_t;
    let (local, remote) =
        (sockaddr(SocketAddrV4::new(source, 0)), sockaddr(target));
    // SAFETY: valid option pointer/length and sockaddr_in pointers/lengths.
    unsafe {
        cvt(libc::setsockopt(
            socket.as_raw_fd(),
            libc::IPPROTO_IP,
            libc::IP_BIND_ADDRESS_NO_PORT,
            (&raw const one).cast(),
            size_of::<libc::c_int>() as libc::socklen_t,
        ))?;
        cvt(libc::bind(socket.as_raw_fd(), (&raw const local).cast(), length))?;
        cvt(libc::connect(
            socket.as_raw_fd(),
            (&raw const remote).cast(),
            length,
        ))?;
    }
    Ok(socket)
}

/// Both ends of established TCP connections.
#[derive(Default)]
pub struct Pairs {
    pub clients: Vec<OwnedFd>,
    pub servers: Vec<TcpStream>,
}

/// Opens `count` connections numbered from `first`, spread round-robin
/// over `listeners`; each is accepted right after its connect.
pub fn tcp_pairs(
    listeners: &[TcpListener],
    first: u64,
    count: u64,
) -> io::Result<Pairs> {
    let mut pairs = Pairs::default();
    for number in 0..count {
        let listener = &listeners[(number % listeners.len() as u64) as usize];
        let target = match listener.local_addr()? {
            std::net::SocketAddr::V4(addr) => addr,
            std::net::SocketAddr::V6(_) => unreachable!("IPv4 listeners"),
        };
        let client = connect_from(source_addr(first + number), target)?;
        pairs.clients.push(client);
        pairs.servers.push(listener.accept()?.0);
    }
    Ok(pairs)
}

/// A unix stream listener at `path` and `count / 2` accepted connections
/// (both ends kept, so about `count` sockets).
pub fn unix_pairs(
    path: &Path,
    count: u64,
) -> io::Result<(UnixListener, Vec<UnixStream>)> {
    let listener = UnixListener::bind(path)?;
    let mut ends = Vec::new();
    for _ in 0..count / 2 {
        ends.push(UnixStream::connect(path)?);
        ends.push(listener.accept()?.0);
    }
    Ok((listener, ends))
}

/// `count` UDP sockets bound to distinct 127.2.x.y addresses.
pub fn udp_sockets(first: u64, count: u64) -> io::Result<Vec<UdpSocket>> {
    (first..first + count)
        .map(|number| UdpSocket::bind(udp_addr(number)))
        .collect()
}

/// Two IPv6 listeners on ::1 and `count` connections to them, so the tcp6
/// table is not empty.
pub fn ipv6(count: u64) -> io::Result<(Vec<TcpListener>, Vec<TcpStream>)> {
    let listeners = vec![
        TcpListener::bind("[::1]:9000")?,
        TcpListener::bind("[::1]:9001")?,
    ];
    let mut ends = Vec::new();
    for number in 0..count as usize {
        let listener = &listeners[number % 2];
        ends.push(TcpStream::connect(listener.local_addr()?)?);
        ends.push(listener.accept()?.0);
    }
    Ok((listeners, ends))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_stay_in_their_ranges() {
        assert_eq!(source_addr(0), Ipv4Addr::new(127, 1, 0, 1));
        assert_eq!(source_addr(255), Ipv4Addr::new(127, 1, 0, 1));
        assert_eq!(source_addr(256), Ipv4Addr::new(127, 1, 0, 2));
        assert_eq!(source_addr(254 * 256), Ipv4Addr::new(127, 1, 1, 1));
        assert_eq!(udp_addr(253).ip(), &Ipv4Addr::new(127, 2, 0, 254));
        assert_eq!(listen_addr(10, 5).ip(), &Ipv4Addr::new(127, 0, 0, 2));
    }
}
