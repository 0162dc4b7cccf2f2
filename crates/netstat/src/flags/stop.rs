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
    /// getopt's diagnostics.
    pub fn into_exit(self, prog: &str) -> Exit {
        match self {
            Stop::Getopt(error) => usage_error(&error.message(prog)),
            Stop::Usage => usage_error(""),
            Stop::Version => Exit {
                stdout: usage::version(),
                stderr: String::new(),
                code: 0,
            },
            Stop::Help => Exit {
                stdout: usage::help(),
                stderr: usage::families(),
                code: 0,
            },
            Stop::UnknownFamily(name) => failure(
                format!(
                    "Unknown address family `{}'.\n",
                    String::from_utf8_lossy(&name)
                ),
                1,
            ),
            Stop::Selinux => {
                failure("SELinux is not enabled on this machine.\n".into(), 1)
            }
            Stop::BadInterval(text) => usage_error(&bad_interval(prog, &text)),
            Stop::BadSource(text) => usage_error(&bad_source(prog, &text)),
            Stop::NoStatistics(list) => Exit {
                stdout: format!(
                    "netstat: No statistics support for specified address \
                     family: {list}\n"
                ),
                stderr: String::new(),
                code: 1,
            },
            Stop::NoRouting(name) => {
                failure(format!("No routing for address family `{name}'.\n"), 3)
            }
            Stop::UnsupportedFamily(name) => {
                failure(format!("Address family `{name}' not supported.\n"), 3)
            }
            Stop::Bluetooth => failure(bluetooth(), 1),
        }
    }
}

/// A message on standard error and a status.
fn failure(stderr: String, code: u8) -> Exit {
    Exit { stdout: String::new(), stderr, code }
}

/// A message (possibly none) and the usage text on standard error,
/// status 3.
fn usage_error(message: &str) -> Exit {
    let stderr = format!("{message}{}{}", usage::help(), usage::families());
    failure(stderr, 3)
}

/// Our diagnostic for `--continuous=N` with a bad N.
fn bad_interval(prog: &str, text: &[u8]) -> String {
    format!(
        "{prog}: option '--continuous' wants a positive number of seconds, \
         not '{}'\n",
        String::from_utf8_lossy(text)
    )
}

fn bad_source(prog: &str, text: &[u8]) -> String {
    format!(
        "{prog}: option '--source' wants auto, proc or netlink, not '{}'\n",
        String::from_utf8_lossy(text)
    )
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

    fn exit(stop: Stop) -> Exit {
        stop.into_exit("netstat")
    }

    #[test]
    fn usage_errors_go_to_stderr_with_status_3() {
        let error = exit(Stop::Getopt(getopt::Error::InvalidShort(b'Q')));
        assert_eq!(error.code, 3);
        assert!(error.stdout.is_empty());
        assert!(
            error
                .stderr
                .starts_with("netstat: invalid option -- 'Q'\nusage: netstat")
        );
        let conflict = exit(Stop::Usage);
        assert_eq!(conflict.code, 3);
        assert!(conflict.stderr.starts_with("usage: netstat"));
    }

    #[test]
    fn help_and_version_succeed_on_stdout() {
        let help = exit(Stop::Help);
        assert_eq!(help.code, 0);
        assert!(help.stdout.starts_with("usage: netstat"));
        assert!(!help.stderr.is_empty(), "the family list is on stderr");
        let version = exit(Stop::Version);
        assert_eq!((version.code, version.stderr.as_str()), (0, ""));
        assert!(version.stdout.contains("net-tools 2.10"));
    }

    #[test]
    fn family_failures() {
        let unknown = exit(Stop::UnknownFamily(b"foo".to_vec()));
        assert_eq!(unknown.stderr, "Unknown address family `foo'.\n");
        assert_eq!(unknown.code, 1);
        let stats = exit(Stop::NoStatistics("unix".into()));
        assert_eq!(
            stats.stdout,
            "netstat: No statistics support for specified address family: \
             unix\n"
        );
        assert_eq!((stats.code, stats.stderr.as_str()), (1, ""));
        let route = exit(Stop::NoRouting("unix"));
        assert_eq!(route.stderr, "No routing for address family `unix'.\n");
        assert_eq!(route.code, 3);
        let bluetooth = exit(Stop::Bluetooth);
        assert_eq!(bluetooth.code, 1);
        assert!(bluetooth.stderr.ends_with("or full configuration.\n"));
    }
}
