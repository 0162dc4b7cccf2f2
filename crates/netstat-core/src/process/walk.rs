//! The owner walk: every process's descriptors, then names for the
//! processes that won a socket.
//!
//! A socket shared by several processes belongs to the one that comes
//! first in `/proc` directory order (ascending pid), as in net-tools,
//! which keeps the first owner it finds. The descriptor scan is spread
//! over a few threads that claim small batches of pids from a shared
//! counter (the work per pid is very uneven); each thread lists the
//! (inode, pid position) pairs it saw, and the merged list, sorted, keeps
//! the lowest position per inode, so the result does not depend on the
//! thread count. Sorted pairs take 16 bytes a socket, a third of what
//! per-thread hash maps took at 100,000 connections.
//!
//! Names are read afterwards and only for processes that own at least one
//! socket. net-tools skips a socket whose owner's cmdline cannot be read;
//! so does this walk.

use std::collections::HashMap;
use std::io;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;

use super::Owner;
use super::source::ProcSource;

/// The most threads that scan descriptors.
const MAX_WORKERS: usize = 8;

/// Fewer pids than this per thread are not worth a thread.
const PIDS_PER_WORKER: usize = 32;

/// Pids a thread claims at a time.
const BATCH: usize = 8;

/// The outcome of a walk: owners, the inode-to-owner index (sorted by
/// inode, one pair per inode), and whether some process denied access.
#[derive(Debug, Default)]
pub(crate) struct Walk {
    pub(crate) owners: Vec<Owner>,
    pub(crate) by_inode: Vec<(u64, u32)>,
    pub(crate) denied: bool,
}

/// The sockets a listing will show, when it knows them before the walk:
/// only these are recorded, and the walk ends once each has been seen
/// (the batches already claimed still finish, so every socket keeps its
/// first holder in `/proc` order).
pub(crate) struct Wanted {
    inodes: Vec<u64>,
    seen: Vec<AtomicBool>,
    remaining: AtomicUsize,
}

impl Wanted {
    /// The set of `inodes` (any order, repeats allowed).
    pub(crate) fn new(mut inodes: Vec<u64>) -> Wanted {
        inodes.sort_unstable();
        inodes.dedup();
        let seen = inodes.iter().map(|_| AtomicBool::new(false)).collect();
        let remaining = AtomicUsize::new(inodes.len());
        Wanted { inodes, seen, remaining }
    }

    /// True if `inode` is wanted; notes the first sighting.
    fn sight(&self, inode: u64) -> bool {
        let Ok(index) = self.inodes.binary_search(&inode) else {
            return false;
        };
        if !self.seen[index].swap(true, Ordering::Relaxed) {
            self.remaining.fetch_sub(1, Ordering::Relaxed);
        }
        true
    }

    /// True once every wanted socket has been seen.
    fn complete(&self) -> bool {
        self.remaining.load(Ordering::Relaxed) == 0
    }
}

/// Walks `proc` with as many threads as the machine and the process count
/// make worthwhile.
pub(crate) fn walk(proc: &impl ProcSource, wanted: Option<&Wanted>) -> Walk {
    let pids = match proc.pids() {
        Ok(pids) => pids,
        Err(error) => {
            return Walk { denied: is_denied(&error), ..Walk::default() };
        }
    };
    let workers = worker_count(pids.len());
    walk_pids(proc, &pids, workers, wanted)
}

/// Walks the given pids with `workers` threads (the caller's included).
pub(crate) fn walk_pids(
    proc: &impl ProcSource,
    pids: &[u32],
    workers: usize,
    wanted: Option<&Wanted>,
) -> Walk {
    let holders = first_holders(proc, pids, workers, wanted);
    let denied = holders.denied;
    let (owners, by_inode) = name_owners(proc, pids, holders.first());
    Walk { owners, by_inode, denied }
}

/// True for the error net-tools reports as missing privileges.
pub(crate) fn is_denied(error: &io::Error) -> bool {
    error.raw_os_error() == Some(libc::EACCES)
}

/// How many threads scan `pid_count` processes.
fn worker_count(pid_count: usize) -> usize {
    let cores = thread::available_parallelism().map_or(1, NonZeroUsize::get);
    cores.min(MAX_WORKERS).min(pid_count.div_ceil(PIDS_PER_WORKER)).max(1)
}

/// The (socket inode, position in `pids`) pairs seen, in any order.
#[derive(Debug, Default)]
struct Holders {
    seen: Vec<(u64, u32)>,
    denied: bool,
}

impl Holders {
    /// Scans batches of pids claimed from `next` until none are left, or
    /// until every wanted socket has been seen.
    fn scan(
        &mut self,
        proc: &impl ProcSource,
        pids: &[u32],
        next: &AtomicUsize,
        wanted: Option<&Wanted>,
    ) {
        loop {
            if wanted.is_some_and(Wanted::complete) {
                return;
            }
            let start = next.fetch_add(BATCH, Ordering::Relaxed);
            if start >= pids.len() {
                return;
            }
            let end = start.saturating_add(BATCH).min(pids.len());
            for (position, &pid) in (start..end).zip(&pids[start..end]) {
                self.scan_pid(proc, pid, position, wanted);
            }
        }
    }

    /// Records the (wanted) sockets of one process.
    fn scan_pid(
        &mut self,
        proc: &impl ProcSource,
        pid: u32,
        position: usize,
        wanted: Option<&Wanted>,
    ) {
        let position = u32::try_from(position).unwrap_or(u32::MAX);
        let seen = &mut self.seen;
        let result = proc.socket_inodes(pid, &mut |inode| {
            if wanted.is_none_or(|wanted| wanted.sight(inode)) {
                seen.push((inode, position));
            }
        });
        if let Err(error) = result {
            self.denied |= is_denied(&error);
        }
    }

    /// Combines two threads' findings.
    fn merge(mut self, mut other: Holders) -> Holders {
        self.denied |= other.denied;
        if self.seen.len() < other.seen.len() {
            std::mem::swap(&mut self.seen, &mut other.seen);
        }
        self.seen.append(&mut other.seen);
        self
    }

    /// One pair per inode, sorted by inode, with its first holder.
    fn first(mut self) -> Vec<(u64, u32)> {
        self.seen.sort_unstable();
        self.seen.dedup_by_key(|&mut (inode, _)| inode);
        self.seen.shrink_to_fit();
        self.seen
    }
}

/// Runs the descriptor scan on `workers` threads (at least the caller's).
fn first_holders(
    proc: &impl ProcSource,
    pids: &[u32],
    workers: usize,
    wanted: Option<&Wanted>,
) -> Holders {
    let next = AtomicUsize::new(0);
    let scan = || {
        let mut holders = Holders::default();
        holders.scan(proc, pids, &next, wanted);
        holders
    };
    thread::scope(|scope| {
        // Helpers that fail to start leave their share to the caller.
        let helpers: Vec<_> = (1..workers)
            .filter_map(|_| {
                thread::Builder::new().spawn_scoped(scope, scan).ok()
            })
            .collect();
        let mine = scan();
        helpers
            .into_iter()
            .filter_map(|helper| helper.join().ok())
            .fold(mine, Holders::merge)
    })
}

/// Reads the names of the winning processes and turns positions into
/// owner indexes; inodes of processes whose name cannot be read go.
fn name_owners(
    proc: &impl ProcSource,
    pids: &[u32],
    mut by_inode: Vec<(u64, u32)>,
) -> (Vec<Owner>, Vec<(u64, u32)>) {
    let mut owners = Vec::new();
    let mut slots: HashMap<u32, Option<u32>> = HashMap::new();
    by_inode.retain_mut(|(_, position)| {
        let slot = *slots.entry(*position).or_insert_with(|| {
            let pid = *pids.get(usize::try_from(*position).ok()?)?;
            let name = program_name(proc.argv0(pid).ok()?);
            owners.push(Owner { pid, name });
            u32::try_from(owners.len() - 1).ok()
        });
        slot.map(|slot| *position = slot).is_some()
    });
    (owners, by_inode)
}

/// net-tools' program name: `argv[0]` after its last `/` when it starts
/// with `/`, otherwise all of `argv[0]` (blanks included).
pub(crate) fn program_name(mut argv0: Vec<u8>) -> Vec<u8> {
    if argv0.first() == Some(&b'/')
        && let Some(slash) = argv0.iter().rposition(|&byte| byte == b'/')
    {
        argv0.drain(..=slash);
    }
    argv0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_argv0_keeps_its_basename() {
        assert_eq!(program_name(b"/usr/bin/python3".to_vec()), b"python3");
        assert_eq!(program_name(b"/opt/dir/".to_vec()), b"");
        assert_eq!(program_name(b"/".to_vec()), b"");
    }

    #[test]
    fn other_argv0_is_kept_whole() {
        let title = b"nginx: master process /usr/sbin/nginx".to_vec();
        assert_eq!(program_name(title.clone()), title);
        assert_eq!(program_name(b"./run/me".to_vec()), b"./run/me");
        assert_eq!(program_name(Vec::new()), b"");
    }

    #[test]
    fn worker_count_is_bounded() {
        assert_eq!(worker_count(0), 1);
        assert_eq!(worker_count(1), 1);
        assert!(worker_count(100_000) <= MAX_WORKERS);
    }
}
