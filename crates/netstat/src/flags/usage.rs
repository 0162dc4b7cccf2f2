//! Help, usage and version texts, in our own words (net-tools' wording is
//! not an interface; its streams and exit codes are, see `stop`).
//!
//! The help starts with a line beginning `usage: netstat` so that the
//! differential tests can find and mask the whole block. As in net-tools,
//! `-h` prints the help on standard output and the family list after it
//! on standard error; a usage error prints both on standard error.

/// The help text (`-h`, and after every usage error).
const HELP: &str = "\
usage: netstat [OPTION]... [INTERVAL]      sockets (the default view)
       netstat -r|-i|-s|-M [OPTION]...     routes, interfaces, counters
       netstat -V|--version, netstat -h|--help

Shows this machine's network sockets, routes, interfaces and protocol
counters, as net-tools netstat 2.10 does.

Views; give at most one of -r, -i, -s, -M:
  -r, --route            kernel routing table
  -F, --fib              with -r: the forwarding table (the default)
  -C, --cache            with -r: the route cache
  -i, --interfaces       one line of traffic counters per interface
  -I, --interfaces=IFACE the same for one interface or alias label only
  -s, --statistics       protocol counters (-t, -u, -w, -S narrow them)
  -M, --masquerade       masqueraded connections (absent on new kernels)
  -g, --groups           multicast group memberships, with the sockets

Sockets to list (default: all kinds, connected ones only):
  -t, --tcp   -u, --udp   -U, --udplite   -S, --sctp   -w, --raw
  -x, --unix             UNIX domain sockets
  --ipx --ax25 --netrom --x25 --rose   old families, if the kernel has them
  -2, --l2cap  -f, --rfcomm  --bluetooth   Bluetooth (not supported)
  -4, -6                 IPv4 only, IPv6 only (no UNIX sockets then)
  -A, --protocol=LIST    families, separated by commas (list below)
  -l, --listening        only sockets that wait for connections
  -a, --all              waiting and connected ones (-i: down ones too)

Columns and names:
  -n, --numeric          show numbers, look no names up
      --numeric-hosts    numeric addresses only
      --numeric-ports    numeric ports only
      --numeric-users    numeric user IDs only
  -N, --symbolic         with -r: numeric routes
  -e, --extend           more columns; -ee even more with -r
  -p, --programs         PID and name of the program owning each socket
  -o, --timers           each socket's pending timer
  -v, --verbose          also name the families this kernel lacks
  -W, -T, --wide, --notrim
                         keep addresses whole (this is the default)
      --trim             cut addresses to 23 columns as netstat 2.10 did
  -Z, --context          SELinux contexts (not supported; exit status 1)

Repeating and sources:
  -c, --continuous       print again every second until interrupted
      --continuous=SECS  print again every SECS seconds; a number given
                         as the last operand does the same after -c, as
                         in 'netstat -tn -c 5'
      --proc-root=DIR    read the kernel tables under DIR, not /proc
      --source=KIND      socket rows from netlink, proc or auto (default:
                         netlink on the live system, else /proc text)

Exit status: 0 success, 1 a family that cannot be shown, 3 usage error.
";

/// The family list printed after the help, always on standard error.
const FAMILIES: &str = "\
Families for -A and --protocol, and the switches that name them:
  inet: -4 --inet --ip --tcpip ip tcpip   inet6: -6 --inet6 ip6
  unix: -x --unix   ipx   ax25   netrom   x25   rose   bluetooth
  ddp: --ddp --appletalk appletalk   econet, ash: accepted, no effect
Families with routing tables (-r): inet inet6 ipx ax25 netrom x25 rose ddp
";

/// The help text.
pub fn help() -> String {
    HELP.to_string()
}

/// The family list that follows the help.
pub fn families() -> String {
    FAMILIES.to_string()
}

/// The `-V` text. It is ours, not net-tools' five lines; scripts that
/// need the compatibility level find it in parentheses.
pub fn version() -> String {
    format!(
        "netstat-rs {} (compatible with net-tools 2.10)\n",
        env!("CARGO_PKG_VERSION")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_starts_with_the_usage_marker() {
        assert!(help().starts_with("usage: netstat "));
        assert_eq!(help().matches("usage: netstat").count(), 1);
        assert!(!families().contains("usage: netstat"));
    }

    #[test]
    fn texts_fit_80_columns() {
        for line in help().lines().chain(families().lines()) {
            assert!(line.chars().count() <= 79, "too long: {line}");
        }
    }

    #[test]
    fn help_documents_every_long_option() {
        let text = help() + &families();
        let tables = [
            super::super::defs::NET_TOOLS_LONG,
            super::super::defs::EXTENSION_LONG,
        ];
        for opt in tables.iter().flat_map(|table| table.iter()) {
            let name = format!("--{}", opt.name);
            assert!(text.contains(&name), "{name} is not documented");
        }
    }

    #[test]
    fn help_documents_every_short_option() {
        let text = help();
        for opt in super::super::defs::SHORT {
            if matches!(opt.byte, b'd' | b'?' | b'h' | b'V') {
                continue;
            }
            let name = format!("-{}", char::from(opt.byte));
            assert!(text.contains(&name), "{name} is not documented");
        }
    }

    #[test]
    fn version_names_both_tools() {
        let text = version();
        assert!(text.starts_with("netstat-rs "));
        assert!(text.ends_with("(compatible with net-tools 2.10)\n"));
    }
}
