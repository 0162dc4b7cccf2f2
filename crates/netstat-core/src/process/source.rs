//! What the owner walk needs from `/proc`, as a trait, so that the walk
//! can be tested with processes that deny access (which a test running as
//! root cannot set up in a real tree), and the text of descriptor links.

use std::io;

/// The three reads the owner walk makes. [`super::live::LiveProc`] reads
/// a real tree; tests use in-memory fakes.
pub(crate) trait ProcSource: Sync {
    /// The process ids, in the order the directory lists them.
    fn pids(&self) -> io::Result<Vec<u32>>;

    /// Calls `found` with the inode of every socket among the open
    /// descriptors of `pid`; fails if `/proc/PID/fd` cannot be listed.
    fn socket_inodes(
        &self,
        pid: u32,
        found: &mut dyn FnMut(u64),
    ) -> io::Result<()>;

    /// `argv[0]` of `pid`: `/proc/PID/cmdline` up to its first NUL (empty
    /// for kernel threads, zombies and processes that cleared it).
    fn argv0(&self, pid: u32) -> io::Result<Vec<u8>>;
}

/// The socket inode named by a descriptor link: `socket:[N]`, or
/// `[0000]:N` as very old kernels wrote it.
pub(crate) fn socket_inode(target: &[u8]) -> Option<u64> {
    if let Some(rest) = target.strip_prefix(b"socket:[") {
        return parse_inode(rest.strip_suffix(b"]")?);
    }
    parse_inode(target.strip_prefix(b"[0000]:")?)
}

/// A decimal inode number, digits only.
fn parse_inode(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn socket_links_give_their_inode() {
        assert_eq!(socket_inode(b"socket:[10961]"), Some(10961));
        assert_eq!(socket_inode(b"[0000]:4242"), Some(4242));
    }

    #[test]
    fn other_links_give_nothing() {
        for target in [
            &b"/dev/null"[..],
            b"pipe:[5078]",
            b"anon_inode:[eventfd]",
            b"socket:[]",
            b"socket:[12",
            b"socket:[1x]",
            b"[0000]:",
            b"socket:[99999999999999999999999]",
        ] {
            assert_eq!(socket_inode(target), None, "{target:?}");
        }
    }
}
