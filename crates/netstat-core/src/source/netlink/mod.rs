//! The `NETLINK_SOCK_DIAG` source: Internet sockets dumped by the
//! kernel's `inet_diag` (TCP, UDP, UDP-Lite; raw where the `raw_diag`
//! module exists), hand-rolled over libc, and normalised so that every
//! row equals what the `/proc/net` text source ([`super::proc_net`])
//! reads for the same socket.
//!
//! Why: `/proc/net/tcp` makes the kernel print text that the reader then
//! parses again, and it always walks every table. A dump skips both, and
//! a state mask lets the kernel skip whole tables: a LISTEN-only TCP dump
//! never walks the established hash. See [`inet`] for the normalisation
//! rules (listener Send-Q, timers in clock ticks, request-socket uids).
//!
//! **Row order** is `/proc`'s, so output built from either source is
//! byte-identical. Both walk the same kernel tables in the same order and
//! filter them the same way (by namespace, then family): TCP walks the
//! listening hash `lhash2` bucket by bucket, then the established hash
//! bucket by bucket, which also holds request and TIME_WAIT sockets; UDP
//! and UDP-Lite walk the port hash `udptable->hash`; raw walks
//! `raw_v4_hashinfo` or its v6 twin. A state mask only removes rows, it
//! never reorders the rest. Checked on Linux 6.18 row by row (see
//! `tests/netlink_vs_proc.rs`) and on 10,008 TCP plus 1,000 UDP sockets;
//! raw is unchecked (that kernel has no `raw_diag`). Neither source is a
//! snapshot: sockets that come, go or change state while a table is read
//! can be missed or seen twice by either, and the two reads of one
//! comparison can catch a socket in different states.
//!
//! **Fallback**: [`NetlinkError::is_unsupported`] is true when the kernel
//! lacks sock_diag or the handler for a protocol (`EPROTONOSUPPORT` on
//! the socket, `ENOENT` in the reply, as for raw sockets without
//! `raw_diag`); the caller then reads `/proc/net` instead.
//!
//! **UNIX sockets** are not listed from here: `unix_diag` has no
//! reference count, so `/proc/net/unix` stays the source of `netstat -x`.
//! Their dump ([`unix`]) only checks that table's rows and restores the
//! names it prints raw (see [`crate::source::unix_check`]).

pub mod dump;
pub mod inet;
pub mod socket;
pub mod unix;
pub mod wire;

#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod tests;

use std::fmt;
use std::io;

use self::dump::Dump;
use self::inet::{Decoded, Decoder, Plan};
use super::Table;
use crate::model::{Family, InetSocket, Protocol, TcpState};

pub use self::inet::state_bit;

/// Every state `/proc/net/tcp` can show, bits 0 to 11 (`0xFFF`, as `ss`
/// asks). It leaves out `TCP_NEW_SYN_RECV` (12; the kernel adds it for
/// SYN_RECV) and `TCP_BOUND_INACTIVE` (13), which would make the kernel
/// walk the bind hash as well, a quarter slower.
pub const ALL_STATES: u32 = 0xFFF;

/// TCP listeners only (`netstat -l`): the kernel then walks only the
/// listening hash, not the established one. Leave CLOSE out: a closed TCP
/// socket is in neither table, but asking for it forces the walk.
pub const LISTEN_STATES: u32 = state_bit(TcpState::LISTEN);

/// The states a UDP, UDP-Lite or raw socket can be in: ESTABLISHED
/// (connected) and CLOSE (unconnected).
///
/// netstat's "servers" among datagram sockets are those whose remote
/// address is all zeros, which is not a state, so `-l` cannot be pushed
/// down to the kernel as a mask for them: ask for both bits and filter
/// the rows with [`InetSocket::is_server`]. Nothing is lost by that: the
/// UDP dump walks its whole hash table whatever the mask, which only
/// decides which sockets are sent.
pub const DATAGRAM_STATES: u32 =
    state_bit(TcpState::ESTABLISHED) | state_bit(TcpState::CLOSE);

/// A failed dump.
#[derive(Debug)]
pub enum NetlinkError {
    /// The kernel lacks sock_diag or the diag handler for this protocol
    /// or family (the errno says which way it refused): read `/proc/net`
    /// instead.
    Unsupported {
        /// `EPROTONOSUPPORT`, `EAFNOSUPPORT`, `EOPNOTSUPP` or `ENOENT`.
        errno: i32,
    },
    /// The kernel answered the dump with an error.
    Kernel {
        /// The positive errno.
        errno: i32,
    },
    /// A system call on the netlink socket failed.
    Io(io::Error),
    /// `sendto` took only part of the request.
    ShortSend,
    /// A datagram did not fit the receive buffer.
    Truncated {
        /// The buffer's size in bytes.
        buffer: usize,
    },
    /// The kernel reported lost messages (`NLMSG_OVERRUN`).
    Overrun,
    /// A reply's framing was inconsistent.
    Malformed(&'static str),
    /// The dump was interrupted (`NLM_F_DUMP_INTR`) twice before any row
    /// could be handed out.
    Interrupted,
}

impl NetlinkError {
    /// The error for a negative errno found in a reply.
    pub fn from_errno(errno: i32) -> NetlinkError {
        match errno {
            libc::ENOENT
            | libc::EPROTONOSUPPORT
            | libc::EAFNOSUPPORT
            | libc::EOPNOTSUPP => NetlinkError::Unsupported { errno },
            _ => NetlinkError::Kernel { errno },
        }
    }

    /// The error for a failed `socket(AF_NETLINK, ...)`.
    pub fn open(error: io::Error) -> NetlinkError {
        match error.raw_os_error() {
            Some(errno @ (libc::EPROTONOSUPPORT | libc::EAFNOSUPPORT)) => {
                NetlinkError::Unsupported { errno }
            }
            _ => NetlinkError::Io(error),
        }
    }

    /// True if the kernel cannot serve this dump at all, so the caller
    /// should read `/proc/net` instead.
    pub fn is_unsupported(&self) -> bool {
        matches!(self, NetlinkError::Unsupported { .. })
    }
}

impl fmt::Display for NetlinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NetlinkError::Unsupported { errno } => write!(
                f,
                "sock_diag cannot dump these sockets: {}",
                io::Error::from_raw_os_error(*errno)
            ),
            NetlinkError::Kernel { errno } => write!(
                f,
                "sock_diag dump failed: {}",
                io::Error::from_raw_os_error(*errno)
            ),
            NetlinkError::Io(error) => write!(f, "netlink socket: {error}"),
            NetlinkError::ShortSend => f.write_str("netlink request cut short"),
            NetlinkError::Truncated { buffer } => {
                write!(f, "netlink reply larger than {buffer} bytes")
            }
            NetlinkError::Overrun => f.write_str("netlink replies were lost"),
            NetlinkError::Malformed(why) => {
                write!(f, "malformed netlink reply: {why}")
            }
            NetlinkError::Interrupted => {
                f.write_str("sock_diag dump interrupted twice")
            }
        }
    }
}

impl std::error::Error for NetlinkError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            NetlinkError::Io(error) => Some(error),
            _ => None,
        }
    }
}

/// What one dump did besides handing out rows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Rows handed to the caller.
    pub rows: u64,
    /// Reply messages that could not be decoded and were skipped.
    pub skipped: u64,
    /// Reply messages received (rows, skipped and hidden ones).
    pub messages: u64,
    /// The first dump was interrupted before its first row and was
    /// started again.
    pub retried: bool,
    /// The dump was interrupted after rows had been handed out: like a
    /// `/proc` read racing with changes, it may have missed or repeated
    /// sockets that moved meanwhile.
    pub interrupted: bool,
}

/// The sock_diag source. Each dump opens its own netlink socket in the
/// calling thread's network namespace.
#[derive(Clone, Debug)]
pub struct SockDiag {
    user_hz: u64,
}

impl Default for SockDiag {
    fn default() -> SockDiag {
        SockDiag::new()
    }
}

impl SockDiag {
    /// A source converting timers to the system's `USER_HZ` ticks.
    pub fn new() -> SockDiag {
        SockDiag { user_hz: inet::user_hz() }
    }

    /// A source converting timers to `user_hz` ticks per second.
    pub fn with_user_hz(user_hz: u64) -> SockDiag {
        SockDiag { user_hz }
    }

    /// Dumps the `protocol` sockets of `family` whose state bit is set in
    /// `states` (see [`ALL_STATES`], [`LISTEN_STATES`],
    /// [`DATAGRAM_STATES`], [`state_bit`]) and hands each to `f`, in
    /// `/proc` order and with `/proc` values.
    ///
    /// `timers` asks for `tcp_info` so that both timer counters
    /// (`retrnsmt` and `timeout`) are exact; without it only the one the
    /// pending timer uses is filled in, the other reads 0. It makes a TCP
    /// dump about a fifth slower (6.3 against 5.3 ms for 10,008 sockets
    /// on Linux 6.18), so ask for it only when the counters are shown.
    ///
    /// A dump interrupted before its first row is retried once; one
    /// interrupted later is finished and flagged in [`Stats`].
    pub fn for_each_inet(
        &self,
        protocol: Protocol,
        family: Family,
        states: u32,
        timers: bool,
        mut f: impl FnMut(InetSocket),
    ) -> Result<Stats, NetlinkError> {
        // First attempt; a clean or already-streamed dump is final.
        let plan = Plan::new(protocol, family, states, timers);
        let stats = self.run(protocol, family, plan, &mut f)?;
        if !stats.interrupted || stats.rows > 0 {
            return Ok(stats);
        }

        // Interrupted before any row: start over once.
        let stats = self.run(protocol, family, plan, &mut f)?;
        if stats.interrupted && stats.rows == 0 {
            return Err(NetlinkError::Interrupted);
        }
        Ok(Stats { retried: true, ..stats })
    }

    /// Dumps like [`SockDiag::for_each_inet`] into a table. An
    /// interrupted dump is retried once from scratch, and fails with
    /// [`NetlinkError::Interrupted`] if the retry is interrupted too.
    pub fn inet_sockets(
        &self,
        protocol: Protocol,
        family: Family,
        states: u32,
        timers: bool,
    ) -> Result<Table<InetSocket>, NetlinkError> {
        let plan = Plan::new(protocol, family, states, timers);
        for _ in 0..2 {
            // Collect one whole dump; keep it unless it was interrupted.
            let mut rows = Vec::new();
            let stats = self.run(protocol, family, plan, &mut |row| {
                rows.push(row);
            })?;
            if !stats.interrupted {
                let skipped =
                    usize::try_from(stats.skipped).unwrap_or(usize::MAX);
                return Ok(Table { rows, skipped });
            }
        }
        Err(NetlinkError::Interrupted)
    }

    /// Decodes a captured reply (its datagrams laid end to end) exactly
    /// as [`SockDiag::for_each_inet`] decodes a live one, for tests and
    /// fuzzing. `states` and `timers` must be those of the captured
    /// request, which only matters for request-socket uids.
    pub fn replay_inet(
        &self,
        captured: &[u8],
        protocol: Protocol,
        family: Family,
        states: u32,
        timers: bool,
        mut f: impl FnMut(InetSocket),
    ) -> Result<Stats, NetlinkError> {
        let plan = Plan::new(protocol, family, states, timers);
        let dump = Dump::replay(captured);
        self.drain(dump, protocol, family, plan, &mut f)
    }

    /// Runs one live dump.
    fn run(
        &self,
        protocol: Protocol,
        family: Family,
        plan: Plan,
        f: &mut dyn FnMut(InetSocket),
    ) -> Result<Stats, NetlinkError> {
        let request = plan.request.encode(dump::next_seq());
        let dump = Dump::start(libc::NETLINK_SOCK_DIAG, &request)?;
        self.drain(dump, protocol, family, plan, f)
    }

    /// Decodes every reply of a dump, stopping early if it is
    /// interrupted before its first row.
    fn drain(
        &self,
        mut dump: Dump,
        protocol: Protocol,
        family: Family,
        plan: Plan,
        f: &mut dyn FnMut(InetSocket),
    ) -> Result<Stats, NetlinkError> {
        // The decoder carries the dump's context (listener uids).
        let mut decoder = Decoder::new(protocol, family, plan, self.user_hz);
        let mut stats = Stats::default();

        // Decode every reply; give up early on an interrupted empty dump.
        while let Some(frame) = dump.next_message()? {
            stats.messages += 1;
            let intr = frame.header.flags & wire::NLM_F_DUMP_INTR != 0;
            if intr && stats.rows == 0 {
                break;
            }
            if frame.header.kind != wire::SOCK_DIAG_BY_FAMILY {
                stats.skipped += 1;
                continue;
            }
            match decoder.decode(frame.payload) {
                Decoded::Row(socket) => {
                    stats.rows += 1;
                    f(socket);
                }
                Decoded::Hidden => {}
                Decoded::Malformed => stats.skipped += 1,
            }
        }
        stats.interrupted = dump.interrupted();
        Ok(stats)
    }
}
