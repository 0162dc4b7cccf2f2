//! Which process owns which socket: the inode-to-owner map behind `-p`.
//!
//! TODO: helper C implements this module (see the API below).

use std::collections::HashMap;
use std::path::Path;

/// The process netstat names for a socket: the first one found holding it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Owner {
    /// Process id.
    pub pid: u32,
    /// argv[0] from `/proc/PID/cmdline`, cut after its last `/` when it
    /// starts with `/`; raw bytes (renderers escape them).
    pub name: Vec<u8>,
}

/// Socket inode to owner, built by one walk over `/proc/PID/fd`.
#[derive(Clone, Debug, Default)]
pub struct OwnerMap {
    owners: HashMap<u64, Owner>,
    /// True if some `/proc/PID/fd` directory could not be read for lack of
    /// permission (or `/proc` itself could not be listed).
    pub denied: bool,
}

impl OwnerMap {
    /// Walks `proc_root` (normally `/proc`); never fails: processes that
    /// vanish or deny access are skipped and noted in `denied`.
    pub fn scan(_proc_root: &Path) -> OwnerMap {
        OwnerMap::default()
    }

    /// The owner of a socket inode, if any was found.
    pub fn get(&self, inode: u64) -> Option<&Owner> {
        self.owners.get(&inode)
    }

    /// True if at least one socket owner was found.
    pub fn is_empty(&self) -> bool {
        self.owners.is_empty()
    }
}
