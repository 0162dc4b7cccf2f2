//! Checks the rows of `/proc/net/unix` against a `unix_diag` dump, so a
//! socket name cannot forge rows.
//!
//! `unix_seq_show` prints names raw: a name holding "\n0: 00000002 ..."
//! ends its row early and makes the rest read as a row of its own, which
//! may even claim a real socket's inode (and so its owner under `-p`).
//! The dump gives each socket's type, state and exact name by inode. The
//! socket table streams past a compact index of the dump: each row is
//! kept only if its inode is in the dump with the same type, a matching
//! state and the same name as `/proc` renders it, and only once per
//! inode; a name holding a newline (which `/proc` cut) is restored whole.
//! Rows whose socket closed or appeared in between are dropped too, as a
//! listing taken a moment earlier or later would. Without a dump the rows
//! stay as read.

use super::SourceError;
use super::netlink::SockDiag;
use super::netlink::unix::{UnixDiagEntry, UnixDiagMap};
use super::proc_net::ProcNet;
use crate::model::{UnixSocket, UnixState, UnixType};
use std::collections::HashMap;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

/// `TCP_ESTABLISHED`, the `sk_state` of a connected UNIX socket.
const TCP_ESTABLISHED: u8 = 1;
/// `TCP_LISTEN`, the `sk_state` of a listening UNIX socket.
const TCP_LISTEN: u8 = 10;
/// `SS_CONNECTING`, shown for a connected socket with no `struct socket`.
const SS_CONNECTING: UnixState = UnixState(2);
/// `SS_CONNECTED`.
const SS_CONNECTED: UnixState = UnixState(3);

/// Keeps the rows that the dump confirms, in their order, each with the
/// dump's name; `None` (no dump) keeps every row as read.
pub fn verify_unix(
    rows: Vec<UnixSocket>,
    diag: Option<UnixDiagMap>,
) -> Vec<UnixSocket> {
    let Some(diag) = diag else {
        return rows;
    };
    let mut index = UnixIndex::default();
    diag.into_iter().for_each(|(inode, entry)| index.add(inode, entry));
    index.seal();
    rows.into_iter().filter_map(|row| index.confirm(row)).collect()
}

/// A dump in 24 bytes a socket: type, state, a hash of the name as
/// `/proc` prints it, and whether a row has claimed the inode. Whole
/// names are kept only where they hold a newline, the one byte that
/// breaks `/proc`'s framing, so at 100,000 sockets the check stays a
/// couple of MiB and the table can stream past it.
#[derive(Default)]
struct UnixIndex {
    entries: Vec<Compact>,
    broken_names: HashMap<u64, Vec<u8>>,
}

/// One socket of the dump.
#[derive(Clone, Copy)]
struct Compact {
    inode: u64,
    name_hash: u64,
    kind: UnixType,
    state: u8,
    claimed: bool,
}

impl UnixIndex {
    /// Takes one dumped socket (the first of repeated inodes wins).
    fn add(&mut self, inode: u64, entry: UnixDiagEntry) {
        let name = entry.proc_name();
        if let Some(name) = name.as_ref().filter(|n| n.contains(&b'\n')) {
            self.broken_names.entry(inode).or_insert_with(|| name.clone());
        }
        self.entries.push(Compact {
            inode,
            name_hash: name_hash(name.as_deref()),
            kind: entry.kind,
            state: entry.state,
            claimed: false,
        });
    }

    /// Sorts by inode, keeping the first entry of each.
    fn seal(&mut self) {
        self.entries.sort_by_key(|entry| entry.inode);
        self.entries.dedup_by_key(|entry| entry.inode);
        self.entries.shrink_to_fit();
    }

    /// Confirms one row: its inode must be in the dump, not yet claimed by
    /// an earlier row, with the row's type, state and name (a name with a
    /// newline, which `/proc` cut, is restored whole instead).
    fn confirm(&mut self, mut row: UnixSocket) -> Option<UnixSocket> {
        let found = self.entries.binary_search_by_key(&row.inode, |e| e.inode);
        let entry = self.entries.get_mut(found.ok()?)?;
        if entry.claimed || !agrees(&row, entry.kind, entry.state) {
            return None;
        }
        match self.broken_names.remove(&row.inode) {
            Some(name) => row.path = Some(name),
            None if name_hash(row.path.as_deref()) != entry.name_hash => {
                return None;
            }
            None => {}
        }
        entry.claimed = true;
        Some(row)
    }
}

/// A hash of a shown name (the unbound `None` has its own value).
fn name_hash(name: Option<&[u8]>) -> u64 {
    let mut hasher = DefaultHasher::new();
    name.hash(&mut hasher);
    hasher.finish()
}

/// True if the row's type, state and listening flag are what
/// `unix_seq_show` prints for the dump's socket: `SS_CONNECTED` or
/// `SS_CONNECTING` exactly when it is established, `__SO_ACCEPTCON`
/// exactly when it listens.
fn agrees(row: &UnixSocket, kind: UnixType, state: u8) -> bool {
    let connected = matches!(row.state, SS_CONNECTED | SS_CONNECTING);
    row.kind == kind
        && connected == (state == TCP_ESTABLISHED)
        && row.accepts() == (state == TCP_LISTEN)
}

/// Streams `/proc/net/unix` under `proc_net` to `each`, checked when
/// `live`: the table is read whole, the calling thread's namespace is
/// dumped, and only confirmed rows are handed out. A failed dump hands
/// out the rows as read, silently. Without `live` (a saved tree, whose
/// sockets are not this kernel's) the rows stream as read. Returns the
/// number of malformed lines skipped.
pub fn for_each_checked_unix(
    proc_net: &ProcNet,
    live: bool,
    mut each: impl FnMut(UnixSocket),
) -> Result<usize, SourceError> {
    // A saved tree streams unchecked.
    if !live {
        return proc_net.for_each_unix(each);
    }

    // The dump first, into the compact index; a failed dump means rows
    // as read.
    // TODO: overlap the dump with reading the table on a second thread;
    // at 100,000 sockets the dump adds about 50 ms, which keeps -xa from
    // issue 4's 0.55x-of-ss target (bench/RESULTS.md).
    let mut index = UnixIndex::default();
    let dumped = SockDiag::new()
        .for_each_unix_socket(&mut |inode, entry| index.add(inode, entry));
    if dumped.is_err() {
        return proc_net.for_each_unix(each);
    }
    index.seal();

    // Then the table, streamed past the check. A socket made after the
    // dump is left out, as if the listing had been taken a moment
    // earlier; a forged row must copy a real socket's inode, type, state
    // and exact name, and then shows only what that socket's row shows.
    proc_net.for_each_unix(|row| {
        if let Some(row) = index.confirm(row) {
            each(row);
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::UnixType;

    /// The attacker's row as `/proc` splits it: its own row cut at the
    /// newline, then the forged one claiming dbus's inode 7063401.
    const FORGING: &[u8] = b"\0z\n0: 00000002 00000000 00010000 0001 01 \
7063401 /run/dbus/system_bus_socket";

    fn row(
        inode: u64,
        kind: u16,
        state: u8,
        flags: u64,
        path: &[u8],
    ) -> UnixSocket {
        UnixSocket {
            refcount: 2,
            protocol: 0,
            flags,
            kind: UnixType(kind),
            state: UnixState(state),
            inode,
            path: (!path.is_empty()).then(|| path.to_vec()),
        }
    }

    fn entry(kind: u16, state: u8, name: &[u8]) -> UnixDiagEntry {
        UnixDiagEntry {
            kind: UnixType(kind),
            state,
            name: (!name.is_empty()).then(|| name.to_vec()),
        }
    }

    /// The attacker's row, the forged row, then dbus's own row.
    fn forged_table() -> Vec<UnixSocket> {
        vec![
            row(500, 1, 1, 0x10000, b"@z"),
            row(7063401, 1, 1, 0x10000, b"/run/dbus/system_bus_socket"),
            row(7063401, 1, 1, 0x10000, b"/run/dbus/system_bus_socket"),
        ]
    }

    #[test]
    fn forged_row_with_an_existing_inode_is_dropped() {
        // dbus's socket is a datagram socket here: the forged stream
        // listener disagrees with it and is dropped.
        let mut rows = forged_table();
        rows[2] = row(7063401, 2, 1, 0, b"/run/dbus/system_bus_socket");
        let diag = UnixDiagMap::from([
            (500, entry(1, 10, FORGING)),
            (7063401, entry(2, 7, b"/run/dbus/system_bus_socket\0")),
        ]);
        let kept = verify_unix(rows, Some(diag));
        assert_eq!(kept.len(), 2);
        assert_eq!(kept[0].inode, 500);
        assert_eq!(kept[1].kind, UnixType(2));
    }

    #[test]
    fn forged_row_with_an_unknown_inode_is_dropped() {
        let diag = UnixDiagMap::from([(500, entry(1, 10, FORGING))]);
        let kept = verify_unix(forged_table(), Some(diag));
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].inode, 500);
    }

    #[test]
    fn newline_name_is_restored_whole() {
        let diag = UnixDiagMap::from([(500, entry(1, 10, FORGING))]);
        let kept = verify_unix(forged_table(), Some(diag));
        let mut whole = b"@".to_vec();
        whole.extend_from_slice(&FORGING[1..]);
        assert_eq!(kept[0].path.as_deref(), Some(&whole[..]));

        // A path name loses its terminating NUL, as in /proc.
        let rows = vec![row(9, 5, 1, 0, b"/tmp/a")];
        let diag = UnixDiagMap::from([(9, entry(5, 7, b"/tmp/a\nb\0"))]);
        let kept = verify_unix(rows, Some(diag));
        assert_eq!(kept[0].path.as_deref(), Some(&b"/tmp/a\nb"[..]));
    }

    #[test]
    fn abstract_nuls_become_at_signs() {
        let rows = vec![row(3, 2, 1, 0, b"@ab with space@nul")];
        let name = b"\0ab with space\0nul";
        let diag = UnixDiagMap::from([(3, entry(2, 7, name))]);
        let kept = verify_unix(rows.clone(), Some(diag));
        assert_eq!(kept, rows);
    }

    #[test]
    fn duplicate_inode_keeps_the_first_matching_row() {
        // The forged row comes first but is a listener; the socket is
        // connected, so only the genuine row after it is kept, once.
        let rows = vec![
            row(77, 1, 1, 0x10000, b"/run/x"),
            row(77, 1, 3, 0, b""),
            row(77, 1, 3, 0, b""),
        ];
        let diag = UnixDiagMap::from([(77, entry(1, 1, b""))]);
        let kept = verify_unix(rows.clone(), Some(diag));
        assert_eq!(kept, vec![rows[1].clone()]);
    }

    #[test]
    fn states_map_to_sk_state() {
        let diag = UnixDiagMap::from([
            (1, entry(1, 1, b"")),
            (2, entry(2, 7, b"")),
            (3, entry(1, 10, b"")),
            (4, entry(1, 7, b"")),
        ]);
        let rows = vec![
            row(1, 1, 2, 0, b""),
            row(2, 2, 1, 0, b""),
            row(3, 1, 1, 0x10000, b""),
            row(4, 1, 4, 0, b""),
        ];
        assert_eq!(verify_unix(rows.clone(), Some(diag)), rows);
    }

    #[test]
    fn no_dump_keeps_rows_unchanged() {
        let rows = forged_table();
        assert_eq!(verify_unix(rows.clone(), None), rows);
    }

    #[test]
    fn saved_trees_are_not_checked() {
        let dir = std::env::temp_dir()
            .join(format!("netstat-unix-check-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("net")).unwrap();
        let text = "Num       RefCount Protocol Flags    Type St Inode Path\n\
                    0: 00000002 00000000 00010000 0001 01 1 /no/such\n";
        std::fs::write(dir.join("net/unix"), text).unwrap();
        let mut rows = Vec::new();
        let source = ProcNet::new(&dir);
        let skipped = for_each_checked_unix(&source, false, |s| rows.push(s));
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!((skipped.unwrap(), rows.len()), (0, 1));
    }
}
