//! The command line: a `getopt_long`-compatible parser over net-tools'
//! options and our extensions, and the rules that turn what was typed into
//! [`Settings`].
//!
//! The pieces, in the order they run: `defs` (the option table),
//! `getopt` (argv to events, glibc's rules and diagnostics), `lowargs`
//! (events to net-tools' literal counters; `-V`, `-h`, `-?`, errors,
//! unknown families and `-Z` act at once, in command-line order),
//! `hiargs` (net-tools' implied defaults and conflicts), `stop` (every
//! early end as streams and an exit status) and `usage` (our help text).

mod defs;
mod getopt;
mod hiargs;
mod interval;
mod lowargs;
mod stop;
mod usage;

use std::ffi::OsString;
use std::io::Write;
use std::os::unix::ffi::OsStringExt;

use crate::settings::Settings;
use lowargs::LowArgs;

/// What the command line asks for: run with settings, or stop at once
/// with fixed output (help, version, usage errors, unknown families).
#[derive(Debug, PartialEq, Eq)]
pub enum Parsed {
    /// Run the selected mode.
    Run(Settings),
    /// Print `stdout` and `stderr` and exit with `code`.
    Exit(Exit),
}

/// A finished run decided by the command line alone.
#[derive(Debug, PartialEq, Eq)]
pub struct Exit {
    /// Bytes for standard output (raw command-line bytes may be echoed,
    /// so not necessarily UTF-8).
    pub stdout: Vec<u8>,
    /// Bytes for standard error.
    pub stderr: Vec<u8>,
    /// Exit status.
    pub code: u8,
}

/// Parses the arguments after the program name.
///
/// Diagnostics name the program as `argv[0]` does, as glibc's do, and
/// `POSIXLY_CORRECT` in the environment stops option parsing at the first
/// operand. A warning that does not stop the run ("Too much address family
/// arguments.") is printed on standard error here, or put before the
/// message of an [`Exit`].
pub fn parse(args: &[OsString]) -> Parsed {
    let prog = std::env::args_os()
        .next()
        .map_or_else(|| b"netstat".to_vec(), OsStringExt::into_vec);
    let posix = std::env::var_os("POSIXLY_CORRECT").is_some();
    let (parsed, warnings) = parse_with(&prog, posix, args);
    match parsed {
        Parsed::Exit(mut exit) => {
            exit.stderr.splice(0..0, warnings.bytes());
            Parsed::Exit(exit)
        }
        Parsed::Run(settings) => {
            // A failed write to standard error must not stop the run.
            let _ = std::io::stderr().write_all(warnings.as_bytes());
            Parsed::Run(settings)
        }
    }
}

/// [`parse`] without the environment: returns the outcome and the
/// warnings printed on the way.
fn parse_with(prog: &[u8], posix: bool, args: &[OsString]) -> (Parsed, String) {
    let (low, stop) = LowArgs::read(args, posix);
    let result = match stop {
        Some(stop) => Err(stop),
        None => hiargs::derive(&low),
    };
    let parsed = match result {
        Ok(settings) => Parsed::Run(settings),
        Err(stop) => Parsed::Exit(stop.into_exit(prog)),
    };
    (parsed, low.warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8]) -> &str {
        std::str::from_utf8(bytes).expect("UTF-8")
    }

    fn outcome(args: &[&str]) -> (Parsed, String) {
        let argv: Vec<OsString> = args.iter().map(OsString::from).collect();
        parse_with(b"netstat", false, &argv)
    }

    fn exit(args: &[&str]) -> Exit {
        match outcome(args).0 {
            Parsed::Exit(exit) => exit,
            Parsed::Run(settings) => panic!("{args:?} ran: {settings:?}"),
        }
    }

    #[test]
    fn plain_netstat_runs() {
        assert_eq!(outcome(&[]).0, Parsed::Run(hiargs_default()));
    }

    fn hiargs_default() -> Settings {
        let mut settings =
            Settings { inet: true, inet6: true, ..Settings::default() };
        settings.tables = crate::settings::Tables {
            tcp: true,
            sctp: true,
            udp: true,
            udplite: true,
            raw: true,
            unix: true,
            ipx: true,
            ax25: true,
            x25: true,
            netrom: true,
            rose: true,
            ..Default::default()
        };
        settings
    }

    #[test]
    fn getopt_errors_then_usage() {
        let error = exit(&["-Q", "-V"]);
        assert_eq!(error.code, 3);
        assert!(error.stderr.starts_with(b"netstat: invalid option -- 'Q'\n"));
        assert!(text(&error.stderr).contains("\nusage: netstat"));
    }

    #[test]
    fn version_before_an_error_wins() {
        let version = exit(&["-V", "-Q"]);
        assert_eq!(version.code, 0);
        assert!(version.stdout.starts_with(b"netstat-rs "));
    }

    #[test]
    fn warnings_come_before_the_exit_message() {
        let unix51 = vec!["unix"; 51].join(",");
        let (parsed, warnings) = outcome(&["-s", "-A", &unix51, "-A", "inet6"]);
        assert_eq!(warnings, "Too much address family arguments.\n");
        let Parsed::Exit(exit) = parsed else { panic!("ran") };
        assert_eq!(exit.code, 1);
        assert!(text(&exit.stdout).ends_with(&format!(": {unix51}\n")));
    }

    #[test]
    fn bad_interval_is_a_usage_error() {
        let error = exit(&["--continuous=x"]);
        assert_eq!(error.code, 3);
        assert!(error.stderr.starts_with(
            b"netstat: option '--continuous' wants a positive number of \
             seconds, not 'x'\n"
        ));
    }

    #[test]
    fn posixly_correct_ignores_options_after_an_operand() {
        let argv: Vec<OsString> = ["-s", "-A", "unix", "foo", "-Q"]
            .iter()
            .map(OsString::from)
            .collect();
        let (parsed, _) = parse_with(b"netstat", true, &argv);
        let Parsed::Exit(exit) = parsed else { panic!("ran") };
        assert_eq!(exit.code, 1, "-s -A unix, not -Q");
        let (parsed, _) = parse_with(b"netstat", false, &argv);
        let Parsed::Exit(exit) = parsed else { panic!("ran") };
        assert_eq!(exit.code, 3);
    }

    #[test]
    fn program_name_is_argv0() {
        let argv = [OsString::from("-Q")];
        let (parsed, _) = parse_with(b"/usr/bin/netstat", false, &argv);
        let Parsed::Exit(exit) = parsed else { panic!("ran") };
        assert!(exit.stderr.starts_with(b"/usr/bin/netstat: invalid option"));
    }
}
