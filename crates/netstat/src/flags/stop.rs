//! Every way the command line alone can end a run, and the one place that
//! turns each into net-tools' streams, texts and exit status.
//!
//! net-tools' exit codes: 0 for help and version; 3 for usage errors,
//! conflicting modes and routing requests for a family without routes; 1
//! for families it cannot show (unknown names, `-Z` without SELinux,
//! statistics for anything but inet or inet6, Bluetooth).

use super::Exit;
use super::getopt;
use super::usage;

/// Why the command line ends the run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stop {
    /// A getopt diagnostic (then the usage text).
    Getopt(getopt::Error),
    /// `-?`, or more than one of `-r`, `-i`, `-s`, `-M`.
    Usage,
    /// `-V`.
    Version,
    /// `-h`.
    Help,
    /// A name in `-A` that is no family (may be empty).
    UnknownFamily(Vec<u8>),
    /// `-Z`: we have no SELinux support, as a net-tools without SELinux.
    Selinux,
    /// `--continuous=N` with N not a positive number (ours).
    BadInterval(Vec<u8>),
    /// `--source=` with a kind other than auto, proc or netlink.
    BadSource(Vec<u8>),
    /// `-s` with families other than exactly `inet` or `inet6`; holds the
    /// list as net-tools writes it (`unix`, `inet,inet6`).
    NoStatistics(String),
    /// `-r` whose first family has no routing table (`unix`, `ec`,
    /// `ash`).
    NoRouting(&'static str),
    /// `-r` whose first family net-tools was built without (`bluetooth`).
    UnsupportedFamily(&'static str),
    /// Bluetooth sockets asked for, and nothing else to list.
    Bluetooth,
}

impl Stop {
    /// What to print and the exit status; `prog` stands for `argv[0]` in
    /// getopt's diagnostics. Bytes from the command line are echoed raw,
    /// as net-tools and glibc echo them.
    pub fn into_exit(self, prog: &[u8]) -> Exit {
        match self {
            Stop::Getopt(error) => usage_error(&error.message(prog)),
            Stop::Usage => usage_error(b""),
            Stop::Version => Exit {
                stdout: usage::version().into_bytes(),
                stderr: Vec::new(),
                code: 0,
            },
            Stop::Help => Exit {
                stdout: usage::help().into_bytes(),
                stderr: usage::families().into_bytes(),
                code: 0,
            },
            Stop::UnknownFamily(name) => failure(
                [b"Unknown address family `", &name[..], b"'.\n"].concat(),
                1,
            ),
            Stop::Selinux => failure(
                b"SELinux is not enabled on this machine.\n".to_vec(),
                1,
            ),
            Stop::BadInterval(text) => usage_error(&bad_interval(prog, &text)),
            Stop::BadSource(text) => usage_error(&bad_source(prog, &text)),
            Stop::NoStatistics(list) => Exit {
                stdout: format!(
                    "netstat: No statistics support for specified address \
                     family: {list}\n"
                )
                .into_bytes(),
                stderr: Vec::new(),
                code: 1,
            },
            Stop::NoRouting(name) => failure(
                format!("No routing for address family `{name}'.\n").into(),
                3,
            ),
            Stop::UnsupportedFamily(name) => failure(
                format!("Address family `{name}' not supported.\n").into(),
                3,
            ),
            Stop::Bluetooth => failure(bluetooth().into(), 1),
        }
    }
}

/// A message on standard error and a status.
fn failure(stderr: Vec<u8>, code: u8) -> Exit {
    Exit { stdout: Vec::new(), stderr, code }
}

/// A message (possibly none) and the usage text on standard error,
/// status 3.
fn usage_error(message: &[u8]) -> Exit {
    let mut stderr = message.to_vec();
    stderr.extend_from_slice(usage::help().as_bytes());
    stderr.extend_from_slice(usage::families().as_bytes());
    failure(stderr, 3)
}

/// Our diagnostic for `--continuous=N` with a bad N.
fn bad_interval(prog: &[u8], text: &[u8]) -> Vec<u8> {
    let what = b": option '--continuous' wants a positive number of seconds, \
                 not '";
    [prog, what, text, b"'\n"].concat()
}

/// Our diagnostic for `--source=KIND` with an unknown KIND.
fn bad_source(prog: &[u8], text: &[u8]) -> Vec<u8> {
    let what = b": option '--source' wants auto, proc or netlink, not '";
    [prog, what, text, b"'\n"].concat()
}

/// net-tools' words for a family compiled out (Debian builds it without
/// Bluetooth); scripts may match them.
fn bluetooth() -> String {
    "netstat: feature `AF BLUETOOTH' not supported.\n\
     Please recompile `net-tools' with newer kernel source or full \
     configuration.\n"
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8]) -> &str {
        std::str::from_utf8(bytes).expect("UTF-8")
    }

    fn exit(stop: Stop) -> Exit {
        stop.into_exit(b"netstat")
    }

    #[test]
    fn usage_errors_go_to_stderr_with_status_3() {
        let error = exit(Stop::Getopt(getopt::Error::InvalidShort(b'Q')));
        assert_eq!(error.code, 3);
        assert!(error.stdout.is_empty());
        assert!(
            error
                .stderr
                .starts_with(b"netstat: invalid option -- 'Q'\nusage: netstat")
        );
        let conflict = exit(Stop::Usage);
        assert_eq!(conflict.code, 3);
        assert!(conflict.stderr.starts_with(b"usage: netstat"));
    }

    #[test]
    fn help_and_version_succeed_on_stdout() {
        let help = exit(Stop::Help);
        assert_eq!(help.code, 0);
        assert!(help.stdout.starts_with(b"usage: netstat"));
        assert!(!help.stderr.is_empty(), "the family list is on stderr");
        let version = exit(Stop::Version);
        assert_eq!((version.code, version.stderr.as_slice()), (0, &b""[..]));
        assert!(text(&version.stdout).contains("net-tools 2.10"));
    }

    #[test]
    fn family_failures() {
        let unknown = exit(Stop::UnknownFamily(b"foo".to_vec()));
        assert_eq!(unknown.stderr, b"Unknown address family `foo'.\n");
        assert_eq!(unknown.code, 1);
        let stats = exit(Stop::NoStatistics("unix".into()));
        assert_eq!(
            text(&stats.stdout),
            "netstat: No statistics support for specified address family: \
             unix\n"
        );
        assert_eq!((stats.code, stats.stderr.as_slice()), (1, &b""[..]));
        let route = exit(Stop::NoRouting("unix"));
        assert_eq!(route.stderr, b"No routing for address family `unix'.\n");
        assert_eq!(route.code, 3);
        let bluetooth = exit(Stop::Bluetooth);
        assert_eq!(bluetooth.code, 1);
        assert!(bluetooth.stderr.ends_with(b"or full configuration.\n"));
    }

    #[test]
    fn command_line_bytes_are_echoed_raw() {
        let unknown = exit(Stop::UnknownFamily(b"\xff".to_vec()));
        assert_eq!(unknown.stderr, b"Unknown address family `\xff'.\n");
        let error = Stop::Getopt(getopt::Error::Unrecognized(b"\xff".to_vec()));
        let error = error.into_exit(b"net\xff");
        assert!(
            error
                .stderr
                .starts_with(b"net\xff: unrecognized option '--\xff'\n")
        );
        let interval = exit(Stop::BadInterval(b"x\xff".to_vec()));
        assert!(interval.stderr.ends_with(&usage::families().into_bytes()));
        assert!(interval.stderr.starts_with(
            b"netstat: option '--continuous' wants a positive number of \
              seconds, not 'x\xff'\n"
        ));
    }
}
