//! Runs one command and measures it: wall time on the monotonic clock from
//! just before the fork to just after `wait4`, and the child's peak RSS
//! from the kernel's rusage. A pidfd gives an exact timeout without
//! polling, and the child is killed if this process dies first.

use std::ffi::OsString;
use std::os::fd::AsFd;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
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

/// Runs `argv` with stdin and stderr on /dev/null, stdout on `stdout`,
/// in the C locale, killing it after `timeout`.
pub fn measure(
    argv: &[OsString],
    stdout: Stdio,
    timeout: Duration,
) -> Fallible<Run> {
    let mut command = prepare(argv, stdout);
    let started = Instant::now();
    let child = command.spawn().ctx(format!("cannot run {:?}", argv[0]))?;
    let pid = child.id() as libc::pid_t;
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

fn prepare(argv: &[OsString], stdout: Stdio) -> Command {
    let mut command = Command::new(&argv[0]);
    command
        .args(&argv[1..])
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::null());
    let parent = std::process::id() as libc::pid_t;
    // SAFETY: die_with_parent only makes async-signal-safe calls.
    unsafe { command.pre_exec(move || sys::die_with_parent(parent)) };
    command
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
        let ok = measure(&argv(&["true"]), Stdio::null(), long).unwrap();
        assert_eq!(ok.status, Status::Ok);
        assert!(ok.maxrss_kib > 0);
        let failed = measure(&argv(&["false"]), Stdio::null(), long).unwrap();
        assert_eq!(failed.status, Status::Exit(1));
        let short = Duration::from_millis(50);
        let slow = measure(&argv(&["sleep", "5"]), Stdio::null(), short);
        assert_eq!(slow.unwrap().status, Status::Timeout);
    }
}
