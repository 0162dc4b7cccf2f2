//! Runs one command and measures it: wall time on the monotonic clock from
//! just before the fork to just after `wait4`, and the child's peak RSS
//! from the kernel's rusage. A pidfd gives an exact timeout without
//! polling, and the child is killed if this process dies first.
//!
//! This is a plain fork and execve rather than `std::process::Command`:
//! std passes a pidfd back over a unix socketpair, and that socket would
//! show up in the very `netstat -xa` output being checked.

use std::ffi::{CString, OsStr, OsString};
use std::fs::File;
use std::io;
use std::os::fd::{AsFd, AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::time::{Duration, Instant};

use crate::sys::{self, Context, Fallible};

/// How a measured run ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    Ok,
    Exit(i32),
    Signal(i32),
    Timeout,
}

impl Status {
    /// Short text used in the timer protocol and the report.
    pub fn text(&self) -> String {
        match self {
            Status::Ok => "ok".into(),
            Status::Exit(code) => format!("exit {code}"),
            Status::Signal(signal) => format!("signal {signal}"),
            Status::Timeout => "timeout".into(),
        }
    }

    fn from_wait(status: i32) -> Status {
        if libc::WIFSIGNALED(status) {
            return Status::Signal(libc::WTERMSIG(status));
        }
        match libc::WEXITSTATUS(status) {
            0 => Status::Ok,
            code => Status::Exit(code),
        }
    }
}

/// One measured run.
pub struct Run {
    pub wall: Duration,
    pub maxrss_kib: u64,
    pub status: Status,
}

/// Runs `argv` (an absolute program path first) with stdin and stderr on
/// /dev/null, stdout on `stdout` (or /dev/null), in the C locale, killing
/// it after `timeout`.
pub fn measure(
    argv: &[OsString],
    stdout: Option<&File>,
    timeout: Duration,
) -> Fallible<Run> {
    let null = File::options().read(true).write(true).open("/dev/null");
    let null = null.ctx("/dev/null")?;
    let out = stdout.unwrap_or(&null);
    let image = Image::new(argv)?;
    let started = Instant::now();
    let pid = start(&image, null.as_raw_fd(), out.as_raw_fd())
        .ctx(format!("cannot run {:?}", argv[0]))?;
    let pidfd = sys::pidfd_open(pid).ctx("pidfd_open")?;
    let exited = sys::wait_exit(pidfd.as_fd(), timeout).ctx("poll")?;
    if !exited {
        sys::pidfd_kill(pidfd.as_fd(), libc::SIGKILL).ctx("kill")?;
    }
    let reaped = sys::wait4(pid).ctx("wait4")?;
    let wall = started.elapsed();
    let status =
        if exited { Status::from_wait(reaped.status) } else { Status::Timeout };
    Ok(Run { wall, maxrss_kib: reaped.maxrss_kib, status })
}

/// Everything execve needs, built before the fork (no allocation after).
struct Image {
    _strings: Vec<CString>,
    argv: Vec<*const libc::c_char>,
    envp: Vec<*const libc::c_char>,
}

impl Image {
    fn new(argv: &[OsString]) -> Fallible<Image> {
        let mut strings = Vec::new();
        for arg in argv {
            strings.push(c_string(arg)?);
        }
        let argc = strings.len();
        for (key, value) in std::env::vars_os().filter(|(k, _)| k != "LC_ALL") {
            let mut pair = key;
            pair.push("=");
            pair.push(value);
            strings.push(c_string(&pair)?);
        }
        strings.push(c_string(OsStr::new("LC_ALL=C"))?);
        let pointers = |part: &[CString]| {
            let mut list: Vec<_> = part.iter().map(|s| s.as_ptr()).collect();
            list.push(std::ptr::null());
            list
        };
        let (argv, envp) =
            (pointers(&strings[..argc]), pointers(&strings[argc..]));
        Ok(Image { _strings: strings, argv, envp })
    }
}

fn c_string(text: &OsStr) -> Fallible<CString> {
    CString::new(text.as_bytes()).ctx(format!("{text:?}"))
}

/// Forks and execs `image`; an exec failure comes back through a pipe.
fn start(image: &Image, null: RawFd, out: RawFd) -> io::Result<libc::pid_t> {
    let mut ends = [0; 2];
    // SAFETY: `ends` has room for two descriptors.
    sys::cvt(unsafe { libc::pipe2(ends.as_mut_ptr(), libc::O_CLOEXEC) })?;
    // SAFETY: the kernel just gave us these descriptors.
    let (reader, writer) = unsafe {
        (OwnedFd::from_raw_fd(ends[0]), OwnedFd::from_raw_fd(ends[1]))
    };
    // SAFETY: getpid has no preconditions.
    let parent = unsafe { libc::getpid() };
    // SAFETY: the child only makes async-signal-safe calls, then execs or
    // exits; the timer is single-threaded.
    let pid = match unsafe { libc::fork() } {
        -1 => return Err(io::Error::last_os_error()),
        0 => exec_child(image, null, out, writer.as_raw_fd(), parent),
        pid => pid,
    };
    drop(writer);
    match read_errno(&reader) {
        None => Ok(pid),
        Some(errno) => {
            let _ = sys::wait4(pid);
            Err(io::Error::from_raw_os_error(errno))
        }
    }
}

/// The child side: set up stdio, die with the parent, exec. Never returns.
fn exec_child(
    image: &Image,
    null: RawFd,
    out: RawFd,
    report: RawFd,
    parent: libc::pid_t,
) -> ! {
    // SAFETY: async-signal-safe calls on descriptors we own; the argv and
    // envp arrays are null-terminated and outlive the exec.
    unsafe {
        let ready = libc::dup2(null, 0) >= 0
            && libc::dup2(out, 1) >= 0
            && libc::dup2(null, 2) >= 0
            && sys::die_with_parent(parent).is_ok();
        if ready {
            libc::execve(
                image.argv[0],
                image.argv.as_ptr(),
                image.envp.as_ptr(),
            );
        }
        let errno = *libc::__errno_location();
        let bytes = errno.to_ne_bytes();
        libc::write(report, bytes.as_ptr().cast(), bytes.len());
        libc::_exit(127)
    }
}

/// The errno the child sent, or None when the exec closed the pipe.
fn read_errno(reader: &OwnedFd) -> Option<i32> {
    let mut bytes = [0u8; 4];
    loop {
        // SAFETY: reading into a local buffer of the given size.
        let got = unsafe {
            libc::read(reader.as_raw_fd(), bytes.as_mut_ptr().cast(), 4)
        };
        match got {
            4 => return Some(i32::from_ne_bytes(bytes)),
            -1 if io::Error::last_os_error().kind()
                == io::ErrorKind::Interrupted => {}
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(words: &[&str]) -> Vec<OsString> {
        words.iter().map(OsString::from).collect()
    }

    #[test]
    fn reports_exit_codes_and_timeouts() {
        let long = Duration::from_secs(10);
        let ok = measure(&argv(&["/bin/true"]), None, long).unwrap();
        assert_eq!(ok.status, Status::Ok);
        assert!(ok.maxrss_kib > 0);
        let failed = measure(&argv(&["/bin/false"]), None, long).unwrap();
        assert_eq!(failed.status, Status::Exit(1));
        let short = Duration::from_millis(50);
        let slow = measure(&argv(&["/bin/sleep", "5"]), None, short);
        assert_eq!(slow.unwrap().status, Status::Timeout);
        assert!(measure(&argv(&["/nonexistent"]), None, long).is_err());
    }

    #[test]
    fn sets_the_c_locale() {
        let path = std::env::temp_dir()
            .join(format!("netstat-bench-env-{}", std::process::id()));
        let file = File::create(&path).unwrap();
        let env = argv(&["/usr/bin/env"]);
        measure(&env, Some(&file), Duration::from_secs(10)).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert!(text.lines().any(|line| line == "LC_ALL=C"));
    }
}
