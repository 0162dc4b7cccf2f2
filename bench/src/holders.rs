//! The optional "P extra processes": forked children that each become the
//! only owner of a slice of the shard's client sockets, so that `-p` has
//! many processes to scan and many owners to name. A holder closes every
//! other descriptor, then sleeps until the shard kills it by pid (or dies,
//! which kills it through the parent-death signal).

use std::os::fd::{AsRawFd, OwnedFd, RawFd};

use crate::sys::{self, Context, Fallible};

/// The holders one shard started, killed and reaped by pid on drop.
pub struct Holders {
    pids: Vec<libc::pid_t>,
}

/// Forks `count` holders sharing `sockets` evenly; the shard keeps none
/// of them. With `count == 0` nothing is forked and the sockets are
/// returned to be kept by the shard.
pub fn start(
    mut sockets: Vec<OwnedFd>,
    count: usize,
) -> Fallible<(Holders, Vec<OwnedFd>)> {
    let mut holders = Holders { pids: Vec::with_capacity(count) };
    let total = sockets.len();
    for index in 0..count {
        let take = (index + 1) * total / count - index * total / count;
        let slice: Vec<OwnedFd> = sockets.drain(..take).collect();
        let mut keep: Vec<RawFd> =
            slice.iter().map(|fd| fd.as_raw_fd()).collect();
        keep.sort_unstable();
        holders.pids.push(fork_holder(&keep).ctx("fork")?);
        // `slice` drops here: the holder is now the sockets' only owner.
    }
    Ok((holders, sockets))
}

fn fork_holder(keep: &[RawFd]) -> std::io::Result<libc::pid_t> {
    // SAFETY: getpid has no preconditions.
    let parent = unsafe { libc::getpid() };
    // SAFETY: the shard is single-threaded, and the child only makes
    // async-signal-safe calls before it sleeps for good.
    match unsafe { libc::fork() } {
        -1 => Err(std::io::Error::last_os_error()),
        0 => hold(keep, parent),
        pid => Ok(pid),
    }
}

/// The holder's whole life: keep `keep`, close the rest, sleep.
fn hold(keep: &[RawFd], parent: libc::pid_t) -> ! {
    if sys::die_with_parent(parent).is_err() {
        // SAFETY: leaving a forked child without running destructors.
        unsafe { libc::_exit(0) };
    }
    let mut next = 0u32;
    for &fd in keep {
        let fd = fd as u32;
        if fd > next {
            sys::close_range(next, fd - 1);
        }
        next = fd + 1;
    }
    sys::close_range(next, u32::MAX);
    loop {
        // SAFETY: pause has no preconditions.
        unsafe { libc::pause() };
    }
}

impl Holders {
    pub fn len(&self) -> usize {
        self.pids.len()
    }
}

impl Drop for Holders {
    fn drop(&mut self) {
        for &pid in &self.pids {
            // SAFETY: `pid` is our own unreaped child, so it cannot have
            // been recycled for another process.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
        for &pid in &self.pids {
            let _ = sys::wait4(pid);
        }
    }
}
