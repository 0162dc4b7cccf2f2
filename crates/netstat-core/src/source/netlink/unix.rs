//! `unix_diag` dumps: the type, state and exact bound name of every UNIX
//! domain socket of the namespace, keyed by inode, to check the rows of
//! `/proc/net/unix` against (see [`crate::source::unix_check`]).
//!
//! `/proc/net/unix` prints names raw (`unix_seq_show`), so a name holding
//! a newline can forge whole rows; the diag name (`UNIX_DIAG_NAME`, from
//! `sk_diag_dump_name`) is the address's bytes in a length-delimited
//! attribute and cannot. Layouts from `<linux/unix_diag.h>`: the request
//! is `unix_diag_req` (24 bytes), each reply `unix_diag_msg` (16 bytes:
//! family, type, state, pad, inode, cookie) and attributes. A path name
//! carries its terminating NUL there; an abstract one starts with a NUL.

use std::collections::HashMap;

use super::dump::{self, Dump};
use super::wire::{self, Attrs, NLMSG_HDRLEN, SOCK_DIAG_BY_FAMILY};
use super::{NetlinkError, SockDiag};
use crate::model::UnixType;

/// Length of `struct unix_diag_req`.
pub const UNIX_DIAG_REQ_LEN: usize = 24;
/// Length of `struct unix_diag_msg`.
pub const UNIX_DIAG_MSG_LEN: usize = 16;
/// `UDIAG_SHOW_NAME`: ask for the `UNIX_DIAG_NAME` attribute.
pub const UDIAG_SHOW_NAME: u32 = 0x1;
/// `UNIX_DIAG_NAME`: the attribute holding the bound name's bytes.
pub const UNIX_DIAG_NAME: u16 = 0;

/// What the kernel's diag dump says about one UNIX socket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnixDiagEntry {
    /// `udiag_type`: `SOCK_STREAM`, `SOCK_DGRAM`, `SOCK_SEQPACKET`.
    pub kind: UnixType,
    /// `udiag_state`: the socket's `sk_state` (`TCP_ESTABLISHED` 1,
    /// `TCP_CLOSE` 7, `TCP_LISTEN` 10), not `/proc`'s `SS_*` state.
    pub state: u8,
    /// The exact `UNIX_DIAG_NAME` bytes; `None` if the socket is unbound.
    pub name: Option<Vec<u8>>,
}

impl UnixDiagEntry {
    /// The name as `/proc/net/unix` prints it: a path without its
    /// terminating NUL, or `@` and an abstract name, with every NUL
    /// turned into `@` (what `unix_seq_show` does).
    pub fn proc_name(&self) -> Option<Vec<u8>> {
        let name = self.name.as_deref()?;
        let name = match name.split_last() {
            Some((0, path)) if name.first() != Some(&0) => path,
            _ => name,
        };
        let shown = name.iter().map(|&b| if b == 0 { b'@' } else { b });
        Some(shown.collect())
    }
}

/// Every UNIX socket of one dump, by inode.
pub type UnixDiagMap = HashMap<u64, UnixDiagEntry>;

/// Encodes a dump request for every UNIX socket, in every state, with
/// its name.
pub fn encode_request(seq: u32) -> Vec<u8> {
    let len = NLMSG_HDRLEN + UNIX_DIAG_REQ_LEN;
    let mut out = wire::dump_request(len, seq);

    // Family, protocol and pad, then every state bit, no inode filter,
    // the name; the cookie stays zero.
    out.extend_from_slice(&[libc::AF_UNIX as u8, 0, 0, 0]);
    out.extend_from_slice(&u32::MAX.to_ne_bytes());
    out.extend_from_slice(&0_u32.to_ne_bytes());
    out.extend_from_slice(&UDIAG_SHOW_NAME.to_ne_bytes());
    out.resize(len, 0);
    out
}

/// Decodes one reply payload into its inode and entry; `None` if it is
/// too short or not about a UNIX socket.
pub fn decode(payload: &[u8]) -> Option<(u64, UnixDiagEntry)> {
    // The fixed part: family, type, state, pad, inode, cookie.
    let head = payload.get(..UNIX_DIAG_MSG_LEN)?;
    if i32::from(head[0]) != libc::AF_UNIX {
        return None;
    }
    let kind = UnixType(u16::from(head[1]));
    let state = head[2];
    let inode = u64::from(wire::u32_at(head, 4)?);

    // The name attribute, if any, follows at the aligned end.
    let attrs = payload.get(wire::align4(UNIX_DIAG_MSG_LEN)..).unwrap_or(&[]);
    let name = Attrs::new(attrs)
        .find(|&(kind, _)| kind == UNIX_DIAG_NAME)
        .map(|(_, value)| value.to_vec());
    Some((inode, UnixDiagEntry { kind, state, name }))
}

impl SockDiag {
    /// Dumps every UNIX socket of the calling thread's namespace with its
    /// name. A dump flagged as interrupted is retried once; the retry is
    /// kept even if flagged too (a socket it missed is only a row the
    /// caller drops, as if it had closed).
    pub fn unix_sockets(&self) -> Result<UnixDiagMap, NetlinkError> {
        let mut map = UnixDiagMap::new();
        self.for_each_unix_socket(&mut |inode, entry| {
            map.entry(inode).or_insert(entry);
        })?;
        Ok(map)
    }

    /// Streams the same dump as [`SockDiag::unix_sockets`] to `each`,
    /// holding nothing; after an interrupted first run the retry streams
    /// too, so an inode may come twice (the first is the one to keep).
    pub fn for_each_unix_socket(
        &self,
        each: &mut dyn FnMut(u64, UnixDiagEntry),
    ) -> Result<(), NetlinkError> {
        if !run_unix(each)? {
            return Ok(());
        }
        run_unix(each).map(|_| ())
    }

    /// Decodes a captured reply (datagrams laid end to end) exactly as
    /// [`SockDiag::unix_sockets`] decodes a live one, for tests.
    pub fn replay_unix(
        &self,
        captured: &[u8],
    ) -> Result<UnixDiagMap, NetlinkError> {
        let mut map = UnixDiagMap::new();
        drain_unix(Dump::replay(captured), &mut |inode, entry| {
            map.entry(inode).or_insert(entry);
        })?;
        Ok(map)
    }
}

/// Runs one live dump; says whether it was interrupted.
fn run_unix(
    each: &mut dyn FnMut(u64, UnixDiagEntry),
) -> Result<bool, NetlinkError> {
    let request = encode_request(dump::next_seq());
    let dump = Dump::start(libc::NETLINK_SOCK_DIAG, &request)?;
    drain_unix(dump, each)
}

/// Collects every decodable reply of a dump; undecodable ones are
/// skipped (their sockets' rows are then dropped by the check).
fn drain_unix(
    mut dump: Dump,
    each: &mut dyn FnMut(u64, UnixDiagEntry),
) -> Result<bool, NetlinkError> {
    while let Some(frame) = dump.next_message()? {
        if frame.header.kind != SOCK_DIAG_BY_FAMILY {
            continue;
        }
        if let Some((inode, entry)) = decode(frame.payload) {
            each(inode, entry);
        }
    }
    Ok(dump.interrupted())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::netlink::wire::Header;

    /// A reply payload: the fixed part, then `attrs` as given.
    fn payload(kind: u8, state: u8, inode: u32, attrs: &[u8]) -> Vec<u8> {
        let mut out = vec![libc::AF_UNIX as u8, kind, state, 0];
        out.extend_from_slice(&inode.to_ne_bytes());
        out.extend_from_slice(&[0xAA; 8]);
        out.extend_from_slice(attrs);
        out
    }

    /// One attribute record, padded.
    fn attr(kind: u16, value: &[u8]) -> Vec<u8> {
        let len = 4 + value.len();
        let mut out = (len as u16).to_ne_bytes().to_vec();
        out.extend_from_slice(&kind.to_ne_bytes());
        out.extend_from_slice(value);
        out.resize(wire::align4(len), 0);
        out
    }

    /// A message framed for a reply with sequence number 7.
    fn message(kind: u16, payload: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let len = (NLMSG_HDRLEN + payload.len()) as u32;
        Header { len, kind, flags: 0, seq: 7, pid: 0 }.encode(&mut out);
        out.extend_from_slice(payload);
        out.resize(wire::align4(out.len()), 0);
        out
    }

    #[test]
    fn request_asks_for_every_state_and_the_name() {
        let request = encode_request(9);
        assert_eq!(request.len(), 40);
        let header = Header::parse(&request).unwrap();
        assert_eq!(header.kind, SOCK_DIAG_BY_FAMILY);
        assert_eq!(header.seq, 9);
        assert_eq!(request[16], libc::AF_UNIX as u8);
        assert_eq!(wire::u32_at(&request, 20), Some(u32::MAX));
        assert_eq!(wire::u32_at(&request, 24), Some(0));
        assert_eq!(wire::u32_at(&request, 28), Some(UDIAG_SHOW_NAME));
    }

    #[test]
    fn decodes_a_named_socket() {
        let name = attr(UNIX_DIAG_NAME, b"\0z\n0: forged");
        let (inode, entry) = decode(&payload(1, 10, 4242, &name)).unwrap();
        assert_eq!(inode, 4242);
        assert_eq!(entry.kind, UnixType(1));
        assert_eq!(entry.state, 10);
        assert_eq!(entry.name.as_deref(), Some(&b"\0z\n0: forged"[..]));
        assert_eq!(entry.proc_name().unwrap(), b"@z\n0: forged");
    }

    #[test]
    fn proc_name_follows_unix_seq_show() {
        let entry = |name: &[u8]| UnixDiagEntry {
            kind: UnixType(1),
            state: 7,
            name: Some(name.to_vec()),
        };
        assert_eq!(entry(b"/run/a b\0").proc_name().unwrap(), b"/run/a b");
        assert_eq!(entry(b"\0ab\0nul").proc_name().unwrap(), b"@ab@nul");
        assert_eq!(entry(b"\0x\0").proc_name().unwrap(), b"@x@");
        assert_eq!(entry(b"/no-nul").proc_name().unwrap(), b"/no-nul");
        let unbound = UnixDiagEntry { name: None, ..entry(b"") };
        assert_eq!(unbound.proc_name(), None);
    }

    #[test]
    fn malformed_messages_never_panic() {
        // Too short, wrong family, broken or cut attributes.
        assert_eq!(decode(&[]), None);
        assert_eq!(decode(&payload(1, 7, 1, &[])[..15]), None);
        let mut inet = payload(1, 7, 1, &[]);
        inet[0] = libc::AF_INET as u8;
        assert_eq!(decode(&inet), None);
        for attrs in [
            &[0xFF, 0xFF, 0, 0, b'a'][..],
            &[2, 0, 0, 0][..],
            &[8, 0][..],
            &[9, 0, 0, 0, b'/', b'x'][..],
        ] {
            let (inode, entry) = decode(&payload(2, 7, 5, attrs)).unwrap();
            assert_eq!((inode, entry.name), (5, None));
        }

        // A zero-length name attribute is an empty name, not a panic.
        let empty = attr(UNIX_DIAG_NAME, b"");
        let (_, entry) = decode(&payload(2, 7, 5, &empty)).unwrap();
        assert_eq!(entry.proc_name(), Some(Vec::new()));
    }

    #[test]
    fn replays_a_dump_and_skips_bad_messages() {
        // Two sockets, an undecodable message, then NLMSG_DONE.
        let named = attr(UNIX_DIAG_NAME, b"/tmp/s\0");
        let mut captured =
            message(SOCK_DIAG_BY_FAMILY, &payload(1, 10, 1, &named));
        captured.extend(message(SOCK_DIAG_BY_FAMILY, &payload(2, 7, 2, &[])));
        captured.extend(message(SOCK_DIAG_BY_FAMILY, &[1, 2, 3]));
        captured.extend(message(wire::NLMSG_DONE, &0_i32.to_ne_bytes()));
        let map = SockDiag::with_user_hz(100).replay_unix(&captured).unwrap();
        assert_eq!(map.len(), 2);
        assert_eq!(map[&1].proc_name().unwrap(), b"/tmp/s");
        assert_eq!(map[&2].name, None);

        // A cut reply and a kernel error are errors, not panics.
        let cut = &captured[..captured.len() - 20];
        assert!(SockDiag::with_user_hz(100).replay_unix(cut).is_err());
        let refused = message(wire::NLMSG_ERROR, &(-95_i32).to_ne_bytes());
        let error = SockDiag::with_user_hz(100).replay_unix(&refused);
        assert!(error.unwrap_err().is_unsupported());
    }
}
