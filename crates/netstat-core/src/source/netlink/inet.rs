//! `inet_diag` requests for TCP, UDP, UDP-Lite and raw sockets, and the
//! decoding of each reply into an [`InetSocket`] with the values that
//! `/proc/net/{tcp,udp,udplite,raw}{,6}` would print for the same socket.
//!
//! Normalisation rules (kernel 6.x; `/proc` side from `tcp4_seq_show`,
//! `udp4_format_sock` and `raw_sock_seq_show`, diag side from
//! `inet_sk_diag_fill`, `inet_twsk_diag_fill` and `inet_req_diag_fill`):
//!
//! * **TCP listener Send-Q** is 0: `inet_diag` reports the maximum
//!   backlog in `idiag_wqueue`, `/proc` prints `write_seq - snd_una`,
//!   which is 0 for a listener. Recv-Q (the accept queue) is the same.
//! * **Other TCP queues** are the same expressions in both
//!   (`write_seq - snd_una`, `rcv_nxt - copied_seq` floored at 0).
//! * **UDP, UDP-Lite and raw queues** are buffer memory in both
//!   (`sk_wmem_alloc`, and `sk_rmem_alloc` less UDP's forward deficit).
//!   Their timer columns are constant zeros in `/proc`, so the timer is
//!   forced to zero here. A raw socket's remote "port" is always 0 in
//!   `/proc`, whatever `connect` was given.
//! * **Timer expiry** comes in milliseconds and becomes clock ticks as
//!   `ms * USER_HZ / 1000`. For kernels with `HZ` 100, 250 or 1000 that
//!   equals `/proc`'s `jiffies_to_clock_t` exactly; with `HZ` 300 it can
//!   be one tick higher.
//! * **`retrnsmt` and `timeout`** are `icsk_retransmits` and
//!   `icsk_probes_out` in `/proc`. `inet_diag` puts only one of them in
//!   `idiag_retrans`, depending on the timer (retransmits for timer 1,
//!   probes for 2 and 4, nothing for 0). Both are exact only from
//!   `INET_DIAG_INFO` (`tcpi_retransmits`, `tcpi_probes`), requested when
//!   timers are wanted; without it the other counter reads 0.
//! * **TIME_WAIT rows** (also the FIN_WAIT2 sub-state of a timewait
//!   socket): uid 0, inode 0, queues 0, timer 3 in both.
//! * **Request sockets** (SYN_RECV rows with inode 0): `/proc` shows the
//!   listener's uid, `inet_diag` shows 0. The uid is taken from the
//!   listener with the same port and the same or a wildcard address, seen
//!   earlier in the same dump (listeners always come first; the kernel
//!   is asked for listeners too when the caller's mask lacks them, and
//!   those rows are then dropped). Their `retrnsmt` differs in meaning:
//!   `/proc` prints `num_timeout` (timer expiries), `inet_diag`
//!   `num_retrans` (SYN-ACKs actually resent). They agree unless a
//!   SYN-ACK was not resent at a timeout, as with `TCP_DEFER_ACCEPT`
//!   after the final ACK; the diag value is then lower.
//! * **State masks** are applied to the rows too: raw_diag ignores the
//!   mask, and listeners fetched only for request sockets' uids are not
//!   handed out.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::wire::{self, InetDiagMsg, InetRequest, TcpInfoCounters};
use crate::model::{Endpoint, Family, InetSocket, Protocol, TcpState, Timer};

/// `IPPROTO_TCP`.
const IPPROTO_TCP: u8 = 6;
/// `IPPROTO_UDP`.
const IPPROTO_UDP: u8 = 17;
/// `IPPROTO_UDPLITE`.
const IPPROTO_UDPLITE: u8 = 136;
/// `IPPROTO_RAW`: selects raw_diag. Sent as `sdiag_raw_protocol` too,
/// although raw_diag reads that only to look up one socket: its dumps
/// return raw sockets of every protocol, and of every state, so the
/// state mask is applied here as well.
const IPPROTO_RAW: u8 = 255;
/// `TCP_SYN_RECV`.
const SYN_RECV: TcpState = TcpState(3);

/// The state bit of one state.
pub const fn state_bit(state: TcpState) -> u32 {
    if state.0 < 32 { 1 << state.0 } else { 0 }
}

/// What to ask the kernel for, and what to drop from its answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Plan {
    /// The request to send.
    pub request: InetRequest,
    /// The caller's state mask: rows in other states are fetched only
    /// for bookkeeping (listeners, for request sockets' uids) or because
    /// the kernel ignores the mask (raw), and are not handed out.
    pub states: u32,
    /// Remember listener uids while decoding.
    pub track_listeners: bool,
}

impl Plan {
    /// The request for `protocol` over `family` with the caller's state
    /// mask; `timers` adds `INET_DIAG_INFO` for TCP.
    pub fn new(
        protocol: Protocol,
        family: Family,
        states: u32,
        timers: bool,
    ) -> Plan {
        // Request sockets need their listener's uid: ask for listeners.
        let is_tcp = protocol == Protocol::Tcp;
        let wants_requests = is_tcp && states & state_bit(SYN_RECV) != 0;
        let mut kernel_states = states;
        if wants_requests {
            kernel_states |= state_bit(TcpState::LISTEN);
        }

        // tcp_info is the only exact source of both timer counters.
        let info = 1 << (wire::INET_DIAG_INFO - 1);
        let raw_protocol = match protocol {
            Protocol::Raw => IPPROTO_RAW,
            _ => 0,
        };
        let request = InetRequest {
            family: family_number(family),
            protocol: protocol_number(protocol),
            extensions: if is_tcp && timers { info } else { 0 },
            raw_protocol,
            states: kernel_states,
        };
        Plan { request, states, track_listeners: wants_requests }
    }
}

/// The `sdiag_family` of a family.
fn family_number(family: Family) -> u8 {
    match family {
        Family::Inet => libc::AF_INET as u8,
        Family::Inet6 => libc::AF_INET6 as u8,
    }
}

/// The `sdiag_protocol` of a protocol.
fn protocol_number(protocol: Protocol) -> u8 {
    match protocol {
        Protocol::Tcp => IPPROTO_TCP,
        Protocol::Udp => IPPROTO_UDP,
        Protocol::UdpLite => IPPROTO_UDPLITE,
        Protocol::Raw => IPPROTO_RAW,
    }
}

/// The outcome of decoding one reply message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decoded {
    /// A row for the caller.
    Row(InetSocket),
    /// A row in a state the caller did not ask for.
    Hidden,
    /// The message was too short or of the wrong family.
    Malformed,
}

/// Turns reply payloads of one dump into normalised sockets.
#[derive(Debug)]
pub struct Decoder {
    protocol: Protocol,
    family: Family,
    plan: Plan,
    user_hz: u64,
    listener_uids: HashMap<(IpAddr, u16), u32>,
}

impl Decoder {
    /// A decoder for the replies to `plan`; `user_hz` is the clock tick
    /// rate `/proc` uses for timers (`sysconf(_SC_CLK_TCK)`).
    pub fn new(
        protocol: Protocol,
        family: Family,
        plan: Plan,
        user_hz: u64,
    ) -> Decoder {
        Decoder {
            protocol,
            family,
            plan,
            user_hz,
            listener_uids: HashMap::new(),
        }
    }

    /// Decodes one `SOCK_DIAG_BY_FAMILY` payload.
    pub fn decode(&mut self, payload: &[u8]) -> Decoded {
        // The fixed part, of the family we asked for.
        let Some((msg, attrs)) = InetDiagMsg::parse(payload) else {
            return Decoded::Malformed;
        };
        if msg.family != self.plan.request.family {
            return Decoded::Malformed;
        }

        // Build the row, then fix what only the dump's context knows.
        let mut socket = self.socket(&msg, wire::tcp_info(attrs));
        if self.plan.track_listeners {
            self.track(&mut socket);
        }

        // Hand out only the states asked for.
        match self.plan.states & state_bit(socket.state) {
            0 => Decoded::Hidden,
            _ => Decoded::Row(socket),
        }
    }

    /// The row as `/proc` would print it, before request-socket uids.
    fn socket(
        &self,
        msg: &InetDiagMsg,
        info: Option<TcpInfoCounters>,
    ) -> InetSocket {
        // Addresses and ports; raw sockets have no remote port in /proc.
        let local = Endpoint { addr: self.address(&msg.src), port: msg.sport };
        let remote_port = match self.protocol {
            Protocol::Raw => 0,
            _ => msg.dport,
        };
        let remote =
            Endpoint { addr: self.address(&msg.dst), port: remote_port };

        // Queues: a listener's wqueue is its backlog, 0 in /proc.
        let state = TcpState(msg.state);
        let listener =
            self.protocol == Protocol::Tcp && state == TcpState::LISTEN;
        let send_queue = if listener { 0 } else { msg.wqueue };
        InetSocket {
            protocol: self.protocol,
            family: self.family,
            local,
            remote,
            state,
            recv_queue: u64::from(msg.rqueue),
            send_queue: u64::from(send_queue),
            timer: self.timer(msg, info),
            uid: msg.uid,
            inode: u64::from(msg.inode),
        }
    }

    /// An address from the 16 address bytes of a socket id.
    fn address(&self, bytes: &[u8; 16]) -> IpAddr {
        match self.family {
            Family::Inet => IpAddr::V4(Ipv4Addr::new(
                bytes[0], bytes[1], bytes[2], bytes[3],
            )),
            Family::Inet6 => IpAddr::V6(Ipv6Addr::from(*bytes)),
        }
    }

    /// The timer columns as `/proc` prints them.
    fn timer(&self, msg: &InetDiagMsg, info: Option<TcpInfoCounters>) -> Timer {
        // Datagram and raw tables print constant zeros.
        if self.protocol != Protocol::Tcp {
            return Timer::default();
        }

        // Exact counters from tcp_info, else the one idiag_retrans holds.
        let (retransmits, probes) = match (info, msg.timer) {
            (Some(info), _) => (info.retransmits, info.probes),
            (None, 1) => (msg.retrans, 0),
            (None, 2 | 4) => (0, msg.retrans),
            (None, _) => (0, 0),
        };
        Timer {
            code: msg.timer,
            ticks: ms_to_ticks(msg.expires_ms, self.user_hz),
            retransmits: u64::from(retransmits),
            probes: i64::from(probes),
        }
    }

    /// Remembers listener uids and gives request sockets theirs.
    fn track(&mut self, socket: &mut InetSocket) {
        // Listeners come first in every TCP dump.
        let key = (socket.local.addr, socket.local.port);
        if socket.state == TcpState::LISTEN {
            self.listener_uids.insert(key, socket.uid);
            return;
        }

        // A request socket: the exact listener, else the wildcard one.
        if socket.state != SYN_RECV || socket.inode != 0 {
            return;
        }
        let wildcard = (self.unspecified(), socket.local.port);
        let uid = self
            .listener_uids
            .get(&key)
            .or_else(|| self.listener_uids.get(&wildcard));
        if let Some(&uid) = uid {
            socket.uid = uid;
        }
    }

    /// The wildcard address of the dump's family.
    fn unspecified(&self) -> IpAddr {
        match self.family {
            Family::Inet => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            Family::Inet6 => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
        }
    }
}

/// Milliseconds to `/proc`'s clock ticks, rounding down as the kernel's
/// `jiffies_to_clock_t` does.
pub fn ms_to_ticks(ms: u32, user_hz: u64) -> u64 {
    u64::from(ms).saturating_mul(user_hz) / 1000
}

/// The clock tick rate of `/proc` timers (`USER_HZ`, 100 on Linux).
pub fn user_hz() -> u64 {
    // SAFETY: sysconf takes no pointers and has no preconditions.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    u64::try_from(hz).ok().filter(|&hz| hz > 0).unwrap_or(100)
}
