//! Link facts and IPv4 addresses of the live system, asked with the same
//! `SIOCGIF*` ioctls as net-tools, on an AF_INET datagram socket. The
//! socket belongs to the reading process's network namespace, as
//! `/proc/net` does, so `ip netns exec` and `nsenter -n` both show the
//! namespace's own interfaces (sysfs would show the namespace that
//! mounted it).
//!
//! The kernel answers a get-ioctl for an alias label (`v0:1`) about the
//! device before the colon, except for the address ioctls, which match
//! the label exactly and return its first address. `struct ifreq` is 40
//! bytes on 64-bit Linux: the name in 16, then a 24-byte union that holds
//! the flags (a `short`), a `sockaddr`, an `int` or a `struct ifmap`.

use std::io;
use std::net::Ipv4Addr;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

use libc::c_ulong;

use super::{Facts, FetchError};
use crate::model::{
    DeviceMap, HardwareAddress, InterfaceFlags, Ipv4Config, LinkFacts,
};

/// Size of `struct ifreq`.
const IFREQ_SIZE: usize = 40;

/// Size of the name field (`IFNAMSIZ`), NUL included.
const NAME_SIZE: usize = 16;

/// Offset of the union in `struct ifreq`.
const DATA: usize = 16;

/// `ARPHRD_VOID`: the hardware type when the kernel does not say.
const UNKNOWN_TYPE: u16 = 0xFFFF;

/// An ioctl socket.
#[derive(Debug)]
pub struct Live {
    socket: OwnedFd,
}

/// `struct ifreq`, as raw bytes with the alignment of the C struct.
#[derive(Clone, Copy)]
#[repr(C, align(8))]
struct IfReq {
    bytes: [u8; IFREQ_SIZE],
}

/// `struct ifconf`.
#[repr(C)]
struct IfConf {
    len: libc::c_int,
    buf: *mut IfReq,
}

impl Live {
    /// Opens the socket.
    pub fn open() -> io::Result<Live> {
        // SAFETY: socket has no memory preconditions; a non-negative
        // result is a new descriptor that we own.
        let fd = unsafe {
            libc::socket(
                libc::AF_INET,
                libc::SOCK_DGRAM | libc::SOCK_CLOEXEC,
                0,
            )
        };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: fd is a fresh descriptor owned by nobody else.
        Ok(Live { socket: unsafe { OwnedFd::from_raw_fd(fd) } })
    }

    /// The names of `SIOCGIFCONF`, one per IPv4 address.
    pub fn labels(&self) -> io::Result<Vec<Vec<u8>>> {
        // Ask for the size first, then retry while the list grows.
        let mut capacity = self.ifconf(&mut [])? / IFREQ_SIZE + 4;
        for _ in 0..8 {
            let mut requests = vec![IfReq::zeroed(); capacity];
            let used = self.ifconf(&mut requests)?;
            if used < capacity * IFREQ_SIZE {
                let count = used / IFREQ_SIZE;
                return Ok(requests[..count].iter().map(IfReq::name).collect());
            }
            capacity *= 2;
        }
        Err(io::Error::other("SIOCGIFCONF: the list keeps growing"))
    }

    /// One `SIOCGIFCONF` call into `requests` (a size query when empty);
    /// returns the bytes used.
    fn ifconf(&self, requests: &mut [IfReq]) -> io::Result<usize> {
        let bytes = requests.len() * IFREQ_SIZE;
        let mut conf = IfConf {
            len: libc::c_int::try_from(bytes).map_err(io::Error::other)?,
            buf: if requests.is_empty() {
                std::ptr::null_mut()
            } else {
                requests.as_mut_ptr()
            },
        };
        // SAFETY: conf describes a writable buffer of `len` bytes (or is a
        // NULL size query), valid for the duration of the call.
        let rc = unsafe {
            libc::ioctl(
                self.socket.as_raw_fd(),
                libc::SIOCGIFCONF,
                &raw mut conf,
            )
        };
        if rc < 0 {
            return Err(io::Error::last_os_error());
        }
        usize::try_from(conf.len).map_err(io::Error::other)
    }

    /// Link facts and IPv4 address of one name.
    pub fn facts(&self, name: &[u8]) -> Result<Facts, FetchError> {
        let request = IfReq::named(name).ok_or(FetchError::NotFound)?;

        // The flags decide whether the name exists at all.
        let flags =
            self.call(libc::SIOCGIFFLAGS, request).map_err(|e| {
                match e.raw_os_error() {
                    Some(libc::ENODEV) => FetchError::NotFound,
                    _ => FetchError::Io(e),
                }
            })?;
        let flags = u32::from(flags.u16_at(DATA));

        // The other link facts; a failed call leaves its default.
        let link = LinkFacts {
            flags: InterfaceFlags(flags),
            mtu: self.int(libc::SIOCGIFMTU, request).unwrap_or(0),
            hardware: self.hardware(request),
            tx_queue_len: self
                .int(libc::SIOCGIFTXQLEN, request)
                .map(|qlen| qlen as u32),
            map: self.map(request),
        };
        Ok(Facts { link, ipv4: self.ipv4(request) })
    }

    /// `SIOCGIFHWADDR`: the hardware type and the 14 address bytes.
    fn hardware(&self, request: IfReq) -> HardwareAddress {
        match self.call(libc::SIOCGIFHWADDR, request) {
            Ok(reply) => HardwareAddress {
                kind: reply.u16_at(DATA),
                bytes: reply.bytes[DATA + 2..DATA + 16].to_vec(),
            },
            Err(_) => HardwareAddress { kind: UNKNOWN_TYPE, bytes: Vec::new() },
        }
    }

    /// `SIOCGIFMAP`: `struct ifmap`.
    fn map(&self, request: IfReq) -> DeviceMap {
        let Ok(reply) = self.call(libc::SIOCGIFMAP, request) else {
            return DeviceMap::default();
        };
        DeviceMap {
            mem_start: reply.u64_at(DATA),
            mem_end: reply.u64_at(DATA + 8),
            base_addr: reply.u16_at(DATA + 16),
            irq: reply.bytes[DATA + 18],
            dma: reply.bytes[DATA + 19],
            port: reply.bytes[DATA + 20],
        }
    }

    /// The address, then netmask, broadcast and peer of the same address.
    fn ipv4(&self, mut request: IfReq) -> Option<Ipv4Config> {
        // Any address with this exact label; the first one wins.
        request.set_inet(Ipv4Addr::UNSPECIFIED);
        let address = self.call(libc::SIOCGIFADDR, request).ok()?.inet();

        // The kernel matches label and address first, so the other
        // ioctls describe the same address.
        request.set_inet(address);
        let other = |call| {
            self.call(call, request).map_or(Ipv4Addr::UNSPECIFIED, |r| r.inet())
        };
        Some(Ipv4Config {
            address,
            netmask: other(libc::SIOCGIFNETMASK),
            broadcast: other(libc::SIOCGIFBRDADDR),
            destination: other(libc::SIOCGIFDSTADDR),
        })
    }

    /// A call whose answer is an `int`.
    fn int(&self, call: c_ulong, request: IfReq) -> Option<i32> {
        Some(self.call(call, request).ok()?.i32_at(DATA))
    }

    /// One ioctl on a copy of `request`; returns the filled copy.
    fn call(&self, call: c_ulong, request: IfReq) -> io::Result<IfReq> {
        let mut reply = request;
        // SAFETY: reply is a full, writable `struct ifreq`, which is what
        // every SIOCGIF* call here reads and writes.
        let rc = unsafe {
            libc::ioctl(self.socket.as_raw_fd(), call, &raw mut reply)
        };
        if rc < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(reply)
    }
}

impl IfReq {
    /// All zeros.
    fn zeroed() -> IfReq {
        IfReq { bytes: [0; IFREQ_SIZE] }
    }

    /// A request for `name`, if it fits and holds no NUL.
    fn named(name: &[u8]) -> Option<IfReq> {
        if name.is_empty() || name.len() >= NAME_SIZE || name.contains(&0) {
            return None;
        }
        let mut request = IfReq::zeroed();
        request.bytes[..name.len()].copy_from_slice(name);
        Some(request)
    }

    /// The name field up to its NUL.
    fn name(&self) -> Vec<u8> {
        let field = &self.bytes[..NAME_SIZE];
        let end = field.iter().position(|&b| b == 0).unwrap_or(NAME_SIZE);
        field[..end].to_vec()
    }

    /// Puts an AF_INET `sockaddr_in` with `addr` in the union.
    fn set_inet(&mut self, addr: Ipv4Addr) {
        self.bytes[DATA..].fill(0);
        let family = libc::AF_INET as u16;
        self.bytes[DATA..DATA + 2].copy_from_slice(&family.to_ne_bytes());
        self.bytes[DATA + 4..DATA + 8].copy_from_slice(&addr.octets());
    }

    /// The address of the `sockaddr_in` in the union.
    fn inet(&self) -> Ipv4Addr {
        let [a, b, c, d] = self.array::<4>(DATA + 4);
        Ipv4Addr::new(a, b, c, d)
    }

    fn u16_at(&self, at: usize) -> u16 {
        u16::from_ne_bytes(self.array(at))
    }

    fn i32_at(&self, at: usize) -> i32 {
        i32::from_ne_bytes(self.array(at))
    }

    fn u64_at(&self, at: usize) -> u64 {
        u64::from_ne_bytes(self.array(at))
    }

    /// `N` bytes at `at`; the offsets used are constants inside the
    /// 40-byte struct.
    fn array<const N: usize>(&self, at: usize) -> [u8; N] {
        let mut out = [0u8; N];
        out.copy_from_slice(&self.bytes[at..at + N]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_must_fit_ifnamsiz() {
        assert!(IfReq::named(b"abcdefghijklmno").is_some());
        assert!(IfReq::named(b"abcdefghijklmnop").is_none());
        assert!(IfReq::named(b"").is_none());
        assert!(IfReq::named(b"a\0b").is_none());
        let request = IfReq::named(b"v0:1").unwrap();
        assert_eq!(request.name(), b"v0:1");
    }

    #[test]
    fn inet_addresses_round_trip() {
        let mut request = IfReq::zeroed();
        request.set_inet(Ipv4Addr::new(192, 0, 2, 3));
        assert_eq!(request.inet(), Ipv4Addr::new(192, 0, 2, 3));
        assert_eq!(request.u16_at(DATA), libc::AF_INET as u16);
    }

    #[test]
    fn loopback_is_found_on_the_live_system() {
        // Every network namespace has lo; its flags include LOOPBACK.
        let Ok(live) = Live::open() else { return };
        let facts = live.facts(b"lo").expect("lo exists");
        assert!(facts.link.flags.has(InterfaceFlags::LOOPBACK));
        assert_eq!(facts.link.hardware.kind, 772);
        assert!(matches!(
            live.facts(b"nsrs-no-such0"),
            Err(FetchError::NotFound)
        ));
    }
}
