//! Byte layouts of the netlink and `inet_diag` structures, encoded and
//! decoded by hand from `<linux/netlink.h>` and `<linux/inet_diag.h>`.
//!
//! Netlink headers and diag fields are in the host's byte order; ports
//! and addresses inside `inet_diag_sockid` are in network order. Every
//! reader goes through bounds-checked slices and returns `None` on short
//! input: these bytes come from the kernel and are parsed defensively.

/// Length of `struct nlmsghdr`.
pub const NLMSG_HDRLEN: usize = 16;
/// Length of `struct inet_diag_req_v2`.
pub const INET_DIAG_REQ_LEN: usize = 56;
/// Length of `struct inet_diag_msg`.
pub const INET_DIAG_MSG_LEN: usize = 72;
/// Length of `struct nlattr`.
const NLA_HDRLEN: usize = 4;

/// `NLMSG_NOOP`: nothing, skip.
pub const NLMSG_NOOP: u16 = 1;
/// `NLMSG_ERROR`: an errno (0 is an acknowledgement).
pub const NLMSG_ERROR: u16 = 2;
/// `NLMSG_DONE`: end of a dump, possibly carrying an errno.
pub const NLMSG_DONE: u16 = 3;
/// `NLMSG_OVERRUN`: data lost.
pub const NLMSG_OVERRUN: u16 = 4;
/// `SOCK_DIAG_BY_FAMILY`: the sock_diag request and reply type.
pub const SOCK_DIAG_BY_FAMILY: u16 = 20;

/// `NLM_F_REQUEST`.
pub const NLM_F_REQUEST: u16 = 0x1;
/// `NLM_F_DUMP` (`NLM_F_ROOT | NLM_F_MATCH`).
pub const NLM_F_DUMP: u16 = 0x300;
/// `NLM_F_DUMP_INTR`: the dump was inconsistent, the kernel's tables
/// changed while it was being produced.
pub const NLM_F_DUMP_INTR: u16 = 0x10;

/// `INET_DIAG_INFO`: the attribute holding `struct tcp_info`.
pub const INET_DIAG_INFO: u16 = 2;
/// `NLA_F_NESTED | NLA_F_NET_BYTEORDER`, masked off attribute types.
const NLA_TYPE_FLAGS: u16 = 0xC000;

/// Rounds a length up to the 4-byte netlink alignment.
pub fn align4(len: usize) -> usize {
    len.saturating_add(3) & !3
}

/// Reads a native-endian `u16` at `offset`.
pub fn u16_at(bytes: &[u8], offset: usize) -> Option<u16> {
    let raw = bytes.get(offset..offset.checked_add(2)?)?;
    Some(u16::from_ne_bytes(raw.try_into().ok()?))
}

/// Reads a network-order `u16` at `offset`.
pub fn be16_at(bytes: &[u8], offset: usize) -> Option<u16> {
    let raw = bytes.get(offset..offset.checked_add(2)?)?;
    Some(u16::from_be_bytes(raw.try_into().ok()?))
}

/// Reads a native-endian `u32` at `offset`.
pub fn u32_at(bytes: &[u8], offset: usize) -> Option<u32> {
    let raw = bytes.get(offset..offset.checked_add(4)?)?;
    Some(u32::from_ne_bytes(raw.try_into().ok()?))
}

/// Reads a native-endian `i32` at `offset`.
pub fn i32_at(bytes: &[u8], offset: usize) -> Option<i32> {
    u32_at(bytes, offset).map(|value| value as i32)
}

/// The fixed part of one netlink message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    /// `nlmsg_len`: header plus payload, unaligned.
    pub len: u32,
    /// `nlmsg_type`.
    pub kind: u16,
    /// `nlmsg_flags`.
    pub flags: u16,
    /// `nlmsg_seq`.
    pub seq: u32,
    /// `nlmsg_pid`.
    pub pid: u32,
}

impl Header {
    /// Decodes a header from the start of `bytes`.
    pub fn parse(bytes: &[u8]) -> Option<Header> {
        Some(Header {
            len: u32_at(bytes, 0)?,
            kind: u16_at(bytes, 4)?,
            flags: u16_at(bytes, 6)?,
            seq: u32_at(bytes, 8)?,
            pid: u32_at(bytes, 12)?,
        })
    }

    /// Appends the encoded header to `out`.
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.len.to_ne_bytes());
        out.extend_from_slice(&self.kind.to_ne_bytes());
        out.extend_from_slice(&self.flags.to_ne_bytes());
        out.extend_from_slice(&self.seq.to_ne_bytes());
        out.extend_from_slice(&self.pid.to_ne_bytes());
    }
}

/// One message framed out of a receive buffer: its header and payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Frame<'a> {
    /// The decoded header.
    pub header: Header,
    /// The bytes after the header, up to `nlmsg_len`.
    pub payload: &'a [u8],
}

/// Why a buffer could not be split into messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameError {
    /// Fewer bytes remain than a header needs.
    ShortHeader,
    /// `nlmsg_len` is below the header size or past the buffer's end.
    BadLength,
}

/// Splits the message at the start of `bytes` from the rest.
///
/// Returns the frame and the offset of the next message (aligned, but
/// never past the end of `bytes`).
pub fn next_frame(bytes: &[u8]) -> Result<(Frame<'_>, usize), FrameError> {
    // The header must be complete and its length must fit the buffer.
    let header = Header::parse(bytes).ok_or(FrameError::ShortHeader)?;
    let len = usize::try_from(header.len).map_err(|_| FrameError::BadLength)?;
    if len < NLMSG_HDRLEN || len > bytes.len() {
        return Err(FrameError::BadLength);
    }

    // The payload ends at the stated length; the next frame is aligned.
    let payload = &bytes[NLMSG_HDRLEN..len];
    let next = align4(len).min(bytes.len());
    Ok((Frame { header, payload }, next))
}

/// The fields of an `inet_diag_req_v2` dump request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InetRequest {
    /// `sdiag_family`: `AF_INET` or `AF_INET6`.
    pub family: u8,
    /// `sdiag_protocol`: `IPPROTO_TCP`, `IPPROTO_UDP`, ...
    pub protocol: u8,
    /// `idiag_ext`: bit `N - 1` asks for attribute `N`.
    pub extensions: u8,
    /// `sdiag_raw_protocol` (the old `pad` byte), used by raw_diag.
    pub raw_protocol: u8,
    /// `idiag_states`: bit `N` asks for sockets in state `N`.
    pub states: u32,
}

impl InetRequest {
    /// Encodes the request as a full netlink dump message.
    pub fn encode(&self, seq: u32) -> Vec<u8> {
        let len = NLMSG_HDRLEN + INET_DIAG_REQ_LEN;
        let mut out = dump_request(len, seq);

        // The request proper; the socket id (48 bytes) stays all zero,
        // which matches every socket.
        out.extend_from_slice(&[
            self.family,
            self.protocol,
            self.extensions,
            self.raw_protocol,
        ]);
        out.extend_from_slice(&self.states.to_ne_bytes());
        out.resize(len, 0);
        out
    }
}

/// Starts a SOCK_DIAG_BY_FAMILY dump request of `len` bytes in all: the
/// netlink header, to which the caller appends its request and then pads
/// to `len`.
pub fn dump_request(len: usize, seq: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(len);
    Header {
        len: u32::try_from(len).unwrap_or(u32::MAX),
        kind: SOCK_DIAG_BY_FAMILY,
        flags: NLM_F_REQUEST | NLM_F_DUMP,
        seq,
        pid: 0,
    }
    .encode(&mut out);
    out
}

/// The fields of one `inet_diag_msg`, decoded but not yet interpreted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InetDiagMsg {
    /// `idiag_family`.
    pub family: u8,
    /// `idiag_state` (for TIME_WAIT sockets, the timewait sub-state).
    pub state: u8,
    /// `idiag_timer`: the pending timer code.
    pub timer: u8,
    /// `idiag_retrans`: retransmits or probes, depending on the timer.
    pub retrans: u8,
    /// `idiag_sport`, host order.
    pub sport: u16,
    /// `idiag_dport`, host order.
    pub dport: u16,
    /// `idiag_src`, network-order bytes (IPv4 in the first four).
    pub src: [u8; 16],
    /// `idiag_dst`, network-order bytes (IPv4 in the first four).
    pub dst: [u8; 16],
    /// `idiag_expires`: time to the timer's expiry in milliseconds.
    pub expires_ms: u32,
    /// `idiag_rqueue`.
    pub rqueue: u32,
    /// `idiag_wqueue`.
    pub wqueue: u32,
    /// `idiag_uid`.
    pub uid: u32,
    /// `idiag_inode`.
    pub inode: u32,
}

impl InetDiagMsg {
    /// Decodes the fixed part of a reply payload and returns it with the
    /// attribute bytes that follow it.
    pub fn parse(payload: &[u8]) -> Option<(InetDiagMsg, &[u8])> {
        // The four leading bytes, then the socket id's ports and addresses.
        let head = payload.get(..INET_DIAG_MSG_LEN)?;
        let msg = InetDiagMsg {
            family: head[0],
            state: head[1],
            timer: head[2],
            retrans: head[3],
            sport: be16_at(head, 4)?,
            dport: be16_at(head, 6)?,
            src: head.get(8..24)?.try_into().ok()?,
            dst: head.get(24..40)?.try_into().ok()?,
            expires_ms: u32_at(head, 52)?,
            rqueue: u32_at(head, 56)?,
            wqueue: u32_at(head, 60)?,
            uid: u32_at(head, 64)?,
            inode: u32_at(head, 68)?,
        };

        // Attributes start at the aligned end of the fixed part.
        let attrs = payload.get(align4(INET_DIAG_MSG_LEN)..).unwrap_or(&[]);
        Some((msg, attrs))
    }
}

/// Iterates over the `nlattr` records of an attribute area. It stops at
/// the first record whose length is inconsistent, so a damaged tail
/// costs only the attributes in it.
#[derive(Clone, Debug)]
pub struct Attrs<'a> {
    rest: &'a [u8],
}

impl<'a> Attrs<'a> {
    /// Attributes in `bytes`.
    pub fn new(bytes: &'a [u8]) -> Attrs<'a> {
        Attrs { rest: bytes }
    }
}

impl<'a> Iterator for Attrs<'a> {
    type Item = (u16, &'a [u8]);

    fn next(&mut self) -> Option<(u16, &'a [u8])> {
        // A record needs a whole header and a length that fits.
        let len = usize::from(u16_at(self.rest, 0)?);
        let kind = u16_at(self.rest, 2)? & !NLA_TYPE_FLAGS;
        let Some(value) = self.rest.get(NLA_HDRLEN..len) else {
            self.rest = &[];
            return None;
        };

        // Step over the record and its padding.
        let next = align4(len).min(self.rest.len());
        self.rest = &self.rest[next..];
        Some((kind, value))
    }
}

/// The two `struct tcp_info` fields that `/proc/net/tcp` prints.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TcpInfoCounters {
    /// `tcpi_retransmits` (the socket's `icsk_retransmits`).
    pub retransmits: u8,
    /// `tcpi_probes` (the socket's `icsk_probes_out`).
    pub probes: u8,
}

impl TcpInfoCounters {
    /// Reads the counters from an `INET_DIAG_INFO` payload, which may be
    /// shorter than today's `struct tcp_info` on older kernels; only its
    /// first four bytes are needed.
    pub fn parse(value: &[u8]) -> Option<TcpInfoCounters> {
        Some(TcpInfoCounters {
            retransmits: *value.get(2)?,
            probes: *value.get(3)?,
        })
    }
}

/// Finds the `INET_DIAG_INFO` counters among a message's attributes.
pub fn tcp_info(attrs: &[u8]) -> Option<TcpInfoCounters> {
    Attrs::new(attrs)
        .find(|&(kind, _)| kind == INET_DIAG_INFO)
        .and_then(|(_, value)| TcpInfoCounters::parse(value))
}
