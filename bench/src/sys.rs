//! Thin, checked wrappers around the few Linux calls the benchmark needs
//! beyond std: the open-files limit, pidfds, `wait4` with its resource
//! usage, `setns`, the parent-death signal, closing fd ranges and blocking
//! signals. Also the `Fallible` result type and its `ctx` helper.

use std::fmt::Display;
use std::fs::File;
use std::io;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::time::{Duration, Instant};

use libc::{c_int, c_long, pid_t};

/// Errors are plain messages: every one ends the run with a line on stderr.
pub type Fallible<T> = Result<T, String>;

/// Adds what was being attempted to an error.
pub trait Context<T> {
    fn ctx(self, what: impl Display) -> Fallible<T>;
}

impl<T, E: Display> Context<T> for Result<T, E> {
    fn ctx(self, what: impl Display) -> Fallible<T> {
        self.map_err(|error| format!("{what}: {error}"))
    }
}

pub fn cvt(ret: c_int) -> io::Result<c_int> {
    if ret < 0 { Err(io::Error::last_os_error()) } else { Ok(ret) }
}

fn check_long(ret: c_long) -> io::Result<c_long> {
    if ret < 0 { Err(io::Error::last_os_error()) } else { Ok(ret) }
}

pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// Raises RLIMIT_NOFILE as far as this process may and returns the new
/// soft limit. Without CAP_SYS_RESOURCE only soft = hard is possible.
pub fn raise_nofile() -> u64 {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: `limit` is a valid rlimit to fill in.
    unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) };
    let wide = libc::rlimit { rlim_cur: 1 << 20, rlim_max: 1 << 20 };
    // SAFETY: `wide` is a valid rlimit.
    if limit.rlim_max < wide.rlim_max
        && unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &wide) } == 0
    {
        return wide.rlim_cur;
    }
    limit.rlim_cur = limit.rlim_max;
    // SAFETY: as above; failure leaves the old limit, which we then report.
    if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) } != 0 {
        // SAFETY: as above.
        unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) };
    }
    limit.rlim_cur
}

/// A pidfd for a child we have not reaped yet, so it names that child only.
pub fn pidfd_open(pid: pid_t) -> io::Result<OwnedFd> {
    // SAFETY: plain syscall with integer arguments.
    let fd =
        check_long(unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) })?;
    // SAFETY: the kernel just gave us this descriptor.
    Ok(unsafe { OwnedFd::from_raw_fd(fd as RawFd) })
}

/// Sends `signal` through a pidfd; never hits a recycled pid.
pub fn pidfd_kill(pidfd: BorrowedFd, signal: c_int) -> io::Result<()> {
    let null = std::ptr::null::<libc::siginfo_t>();
    let fd = pidfd.as_raw_fd();
    // SAFETY: a null siginfo is allowed and means "as kill(2) would".
    let ret = unsafe {
        libc::syscall(libc::SYS_pidfd_send_signal, fd, signal, null, 0)
    };
    check_long(ret).map(drop)
}

/// Waits until the process behind `pidfd` has exited or `limit` has
/// passed. Returns true if it exited.
pub fn wait_exit(pidfd: BorrowedFd, limit: Duration) -> io::Result<bool> {
    let deadline = Instant::now() + limit;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let ms = left.as_micros().div_ceil(1000).min(i32::MAX as u128);
        let mut poll = libc::pollfd {
            fd: pidfd.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd.
        match unsafe { libc::poll(&mut poll, 1, ms as c_int) } {
            1.. => return Ok(true),
            0 if left.is_zero() => return Ok(false),
            0 => {}
            _ => retry_if_interrupted(io::Error::last_os_error())?,
        }
    }
}

fn retry_if_interrupted(error: io::Error) -> io::Result<()> {
    if error.kind() == io::ErrorKind::Interrupted { Ok(()) } else { Err(error) }
}

/// How a reaped child ended, with its peak resident set size.
pub struct Reaped {
    pub status: c_int,
    pub maxrss_kib: u64,
}

/// Reaps `pid` (blocking) and returns its status and rusage peak RSS.
pub fn wait4(pid: pid_t) -> io::Result<Reaped> {
    let mut status = 0;
    // SAFETY: rusage is plain data; all-zero is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: valid pointers to our locals.
        let ret = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if ret >= 0 {
            let maxrss_kib = u64::try_from(usage.ru_maxrss).unwrap_or(0);
            return Ok(Reaped { status, maxrss_kib });
        }
        retry_if_interrupted(io::Error::last_os_error())?;
    }
}

/// Moves this process into the named network namespace.
pub fn enter_netns(name: &str) -> io::Result<()> {
    let file = File::open(format!("/run/netns/{name}"))?;
    // SAFETY: a valid namespace fd and a namespace type.
    cvt(unsafe { libc::setns(file.as_raw_fd(), libc::CLONE_NEWNET) }).map(drop)
}

/// Asks for SIGKILL when the parent dies, and fails if it already has.
/// Async-signal-safe: used between fork and exec.
pub fn die_with_parent(parent: pid_t) -> io::Result<()> {
    let signal = libc::SIGKILL as libc::c_ulong;
    // SAFETY: PR_SET_PDEATHSIG takes one integer argument.
    cvt(unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, signal) })?;
    // SAFETY: getppid has no preconditions.
    if unsafe { libc::getppid() } != parent {
        return Err(io::Error::from_raw_os_error(libc::ESRCH));
    }
    Ok(())
}

/// Closes every descriptor from `first` to `last` inclusive.
/// Async-signal-safe: used in forked children.
pub fn close_range(first: u32, last: u32) {
    // SAFETY: closing descriptors is always memory-safe here; the callers
    // own every descriptor in the range (a freshly forked child).
    unsafe { libc::syscall(libc::SYS_close_range, first, last, 0) };
}

/// The signals that end a run early: Ctrl-C, kill and a closed terminal.
pub fn termination_signals() -> libc::sigset_t {
    // SAFETY: sigset_t is plain data, initialised by sigemptyset.
    let mut set: libc::sigset_t = unsafe { std::mem::zeroed() };
    // SAFETY: valid set pointer and signal numbers.
    unsafe {
        libc::sigemptyset(&mut set);
        for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
            libc::sigaddset(&mut set, signal);
        }
    }
    set
}

/// Blocks `set` in the calling thread (and threads it starts later).
pub fn block(set: &libc::sigset_t) -> io::Result<()> {
    // SAFETY: valid set pointer; old mask not wanted.
    let ret = unsafe {
        libc::pthread_sigmask(libc::SIG_BLOCK, set, std::ptr::null_mut())
    };
    if ret == 0 { Ok(()) } else { Err(io::Error::from_raw_os_error(ret)) }
}

/// Waits for one of the blocked signals in `set` and returns it.
pub fn wait_signal(set: &libc::sigset_t) -> c_int {
    let mut signal = 0;
    // SAFETY: valid pointers.
    unsafe { libc::sigwait(set, &mut signal) };
    signal
}
