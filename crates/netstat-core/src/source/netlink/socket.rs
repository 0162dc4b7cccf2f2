//! A raw `AF_NETLINK` socket over libc: open, send one request to the
//! kernel, receive one datagram at a time.
//!
//! Every system call on the socket, and so most of the source's
//! `unsafe` code, is here. A datagram that does not fit the caller's
//! buffer is reported as [`NetlinkError::Truncated`] (the kernel sets
//! `MSG_TRUNC`), never silently cut; datagrams from anything but the
//! kernel (port id 0) are dropped.

use std::io;
use std::mem;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

use super::NetlinkError;

/// An open netlink socket of one netlink protocol.
#[derive(Debug)]
pub struct NetlinkSocket {
    fd: OwnedFd,
}

impl NetlinkSocket {
    /// Opens a socket of the netlink protocol `protocol` (for example
    /// `libc::NETLINK_SOCK_DIAG`) in the calling thread's namespace.
    pub fn open(protocol: libc::c_int) -> Result<NetlinkSocket, NetlinkError> {
        // SAFETY: socket(2) takes no pointers; the result is checked.
        let fd = unsafe {
            libc::socket(
                libc::AF_NETLINK,
                libc::SOCK_RAW | libc::SOCK_CLOEXEC,
                protocol,
            )
        };
        if fd < 0 {
            return Err(NetlinkError::open(io::Error::last_os_error()));
        }

        // SAFETY: `fd` is a fresh descriptor that nothing else owns.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        Ok(NetlinkSocket { fd })
    }

    /// Sends one whole message to the kernel.
    pub fn send(&self, message: &[u8]) -> Result<(), NetlinkError> {
        let kernel = kernel_address();
        loop {
            // SAFETY: the buffer and address are valid for the lengths
            // passed, and the kernel only reads them.
            let sent = unsafe {
                libc::sendto(
                    self.fd.as_raw_fd(),
                    message.as_ptr().cast(),
                    message.len(),
                    0,
                    (&raw const kernel).cast(),
                    sockaddr_nl_len(),
                )
            };
            match sent {
                n if n >= 0 && n as usize == message.len() => return Ok(()),
                n if n >= 0 => return Err(NetlinkError::ShortSend),
                _ => retry_on_eintr(io::Error::last_os_error())?,
            }
        }
    }

    /// Receives one datagram from the kernel into `buf` and returns its
    /// length.
    pub fn recv(&self, buf: &mut [u8]) -> Result<usize, NetlinkError> {
        loop {
            // Receive, with the sender's address and the flags.
            let (len, sender, flags) = match self.recv_once(buf) {
                Ok(received) => received,
                Err(error) => {
                    retry_on_eintr(error)?;
                    continue;
                }
            };

            // A cut datagram would lose rows; foreign senders are ignored.
            if flags & libc::MSG_TRUNC != 0 {
                return Err(NetlinkError::Truncated { buffer: buf.len() });
            }
            if sender == 0 {
                return Ok(len);
            }
        }
    }

    /// One `recvmsg` call: the length, the sender's port id and
    /// `msg_flags`.
    fn recv_once(&self, buf: &mut [u8]) -> io::Result<(usize, u32, i32)> {
        // SAFETY: an all-zero sockaddr_nl is a valid value.
        let mut sender: libc::sockaddr_nl = unsafe { mem::zeroed() };
        let mut iov = libc::iovec {
            iov_base: buf.as_mut_ptr().cast(),
            iov_len: buf.len(),
        };
        // SAFETY: an all-zero msghdr is a valid value.
        let mut header: libc::msghdr = unsafe { mem::zeroed() };
        header.msg_name = (&raw mut sender).cast();
        header.msg_namelen = sockaddr_nl_len();
        header.msg_iov = &raw mut iov;
        header.msg_iovlen = 1;

        // SAFETY: `header` points at `sender` and at `iov`, which
        // describes `buf`; all three outlive the call.
        let len =
            unsafe { libc::recvmsg(self.fd.as_raw_fd(), &raw mut header, 0) };
        if len < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok((len as usize, sender.nl_pid, header.msg_flags))
    }
}

/// The kernel's netlink address (port id 0, no groups).
fn kernel_address() -> libc::sockaddr_nl {
    // SAFETY: an all-zero sockaddr_nl is a valid value.
    let mut address: libc::sockaddr_nl = unsafe { mem::zeroed() };
    address.nl_family = libc::AF_NETLINK as libc::sa_family_t;
    address
}

/// The size of `sockaddr_nl` as a `socklen_t`.
fn sockaddr_nl_len() -> libc::socklen_t {
    mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t
}

/// Swallows `EINTR` (the caller retries) and turns anything else into an
/// error.
fn retry_on_eintr(error: io::Error) -> Result<(), NetlinkError> {
    match error.kind() {
        io::ErrorKind::Interrupted => Ok(()),
        _ => Err(NetlinkError::Io(error)),
    }
}
