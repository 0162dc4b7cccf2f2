//! Which process owns which socket: the inode-to-owner map behind `-p`.
//!
//! The map is built by one walk over `/proc/PID/fd` (see [`OwnerMap::scan`]),
//! following net-tools 2.10: links `socket:[N]` and `[0000]:N` name socket
//! inode N; a socket held by several processes belongs to the first
//! process in `/proc` directory order; the name is `argv[0]` from
//! `/proc/PID/cmdline`, cut after its last `/` only when it starts with
//! `/`. An empty cmdline gives an empty name, shown as `PID/`.
//!
//! Unprivileged runs cannot list other users' descriptors. net-tools then
//! prints one of two notes on stderr, chosen only by what the walk met
//! (measured with 2.10, also for euid 0 inside a user namespace); see
//! [`permission_note`].

use std::path::Path;

mod live;
mod source;
mod walk;

/// The note net-tools prints (on stderr, before the first title) when some
/// processes could not be read but at least one socket owner was found.
/// The text ends with its newline.
pub const NOT_ALL_NOTE: &str = "(Not all processes could be identified, \
non-owned process info\n will not be shown, you would have to be root to \
see it all.)\n";

/// The process netstat names for a socket: the first one found holding it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Owner {
    /// Process id.
    pub pid: u32,
    /// `argv[0]` from `/proc/PID/cmdline`, cut after its last `/` when it
    /// starts with `/`; raw bytes (renderers escape them).
    pub name: Vec<u8>,
}

/// Socket inode to owner, built by one walk over `/proc/PID/fd`.
#[derive(Clone, Debug, Default)]
pub struct OwnerMap {
    owners: Vec<Owner>,
    /// (inode, index into `owners`), sorted by inode.
    by_inode: Vec<(u64, u32)>,
    /// True if some `/proc/PID/fd` directory could not be read for lack of
    /// permission (or `/proc` itself could not be listed).
    pub denied: bool,
}

impl OwnerMap {
    /// Walks `proc_root` (normally `/proc`); never fails: processes that
    /// vanish or deny access are skipped and noted in `denied`.
    ///
    /// Only `EACCES` counts as denied, as in net-tools; a `proc_root` that
    /// does not exist gives an empty map that is not denied.
    pub fn scan(proc_root: &Path) -> OwnerMap {
        OwnerMap::walk(proc_root, None)
    }

    /// Like [`OwnerMap::scan`], but for the given socket inodes only: the
    /// walk stops as soon as each has been seen, so a listing of a few
    /// sockets does not read every descriptor of every process.
    ///
    /// The walk may then end before it meets a process that denies
    /// access, so [`permission_note`] can miss a note net-tools prints;
    /// use this where no process can deny access (as root).
    pub fn scan_for(proc_root: &Path, inodes: Vec<u64>) -> OwnerMap {
        OwnerMap::walk(proc_root, Some(&walk::Wanted::new(inodes)))
    }

    /// The walk behind both scans.
    fn walk(proc_root: &Path, wanted: Option<&walk::Wanted>) -> OwnerMap {
        match live::LiveProc::open(proc_root) {
            Ok(proc) => OwnerMap::from_walk(walk::walk(&proc, wanted)),
            Err(error) => OwnerMap {
                denied: walk::is_denied(&error),
                ..OwnerMap::default()
            },
        }
    }

    /// The owner of a socket inode, if any was found.
    pub fn get(&self, inode: u64) -> Option<&Owner> {
        let found = self.by_inode.binary_search_by_key(&inode, |&(i, _)| i);
        let (_, slot) = self.by_inode[found.ok()?];
        self.owners.get(usize::try_from(slot).ok()?)
    }

    /// True if no socket owner at all was found (in any network namespace,
    /// displayed or not).
    pub fn is_empty(&self) -> bool {
        self.by_inode.is_empty()
    }

    /// The number of socket inodes with a known owner.
    pub fn len(&self) -> usize {
        self.by_inode.len()
    }

    /// Wraps a finished walk.
    fn from_walk(walk: walk::Walk) -> OwnerMap {
        OwnerMap {
            owners: walk.owners,
            by_inode: walk.by_inode,
            denied: walk.denied,
        }
    }
}

/// The note net-tools prints when access was denied and no socket owner
/// at all was found; `euid` is the effective uid. Ends with its newline.
pub fn no_info_note(euid: u32) -> String {
    format!(
        "(No info could be read for \"-p\": geteuid()={euid} but you should \
         be root.)\n"
    )
}

/// The stderr note for a `-p` listing built from `map`, or `None`.
///
/// Measured with net-tools 2.10: nothing when no process denied access
/// (root normally); [`NOT_ALL_NOTE`] when some did but an owner was found;
/// [`no_info_note`] when some did and none was found. The effective uid
/// only fills in the text: a root without the right to read other
/// processes (in a user namespace) gets the notes too.
pub fn permission_note(map: &OwnerMap, euid: u32) -> Option<String> {
    if !map.denied {
        return None;
    }
    if map.is_empty() {
        return Some(no_info_note(euid));
    }
    Some(String::from(NOT_ALL_NOTE))
}

#[cfg(test)]
mod tests;
