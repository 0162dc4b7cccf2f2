//! What the user asked for, resolved from the command line: the one record
//! every mode reads. The `flags` module fills it; nothing else parses argv.

use std::path::PathBuf;
use std::time::Duration;

/// The view to print. net-tools allows at most one of `-r`, `-i`, `-s`,
/// `-M`; without any of them the socket listing (with `-g` groups) runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Socket listing, and the group table for `-g`.
    Sockets,
    /// `-r`: routing table.
    Routes,
    /// `-i`: interface table.
    Interfaces,
    /// `-s`: protocol statistics.
    Statistics,
    /// `-M`: masqueraded connections.
    Masquerade,
}

/// Which sockets of a table to show: `-l`, `-a` or neither.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Show {
    /// Default: connected sockets only ("w/o servers").
    Connected,
    /// `-l`: servers only.
    Servers,
    /// `-a`: both ("servers and established"); wins over `-l`.
    All,
}

/// The tables of the socket listing, after net-tools' selection rules
/// (SPEC 2.0: protocol flags, family flags and their implied defaults).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tables {
    /// `-t`.
    pub tcp: bool,
    /// `-S`.
    pub sctp: bool,
    /// `-u`.
    pub udp: bool,
    /// `-U`.
    pub udplite: bool,
    /// `-w`.
    pub raw: bool,
    /// `-x`.
    pub unix: bool,
    /// `-g`: multicast group memberships.
    pub groups: bool,
    /// `--ipx`.
    pub ipx: bool,
    /// `--ax25`.
    pub ax25: bool,
    /// `--x25`.
    pub x25: bool,
    /// `--netrom`.
    pub netrom: bool,
    /// `--rose`.
    pub rose: bool,
    /// `-2`, `-f`, `--bluetooth`, `-A bluetooth`: Bluetooth sockets.
    /// net-tools 2.10 (Debian) is built without them: after the other
    /// tables it prints "feature `AF BLUETOOTH' not supported" and exits
    /// 1. `flags` ends the run itself when nothing else is listed.
    pub bluetooth: bool,
}

/// Which names are looked up (`-n` clears all three).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Names {
    /// Host names (off with `--numeric-hosts`).
    pub hosts: bool,
    /// Service names (off with `--numeric-ports`).
    pub ports: bool,
    /// User names (off with `--numeric-users`).
    pub users: bool,
}

/// Where socket rows come from (`--source`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SocketSource {
    /// sock_diag netlink on the live system, `/proc` text for a saved
    /// tree; any table whose dump is refused falls back to `/proc`.
    #[default]
    Auto,
    /// `--source=proc`: the `/proc/net` text tables, as net-tools reads.
    Proc,
    /// `--source=netlink`: sock_diag dumps (of the reading process's
    /// network namespace) even with `--proc-root`.
    Netlink,
}

/// Everything the modes need to know about the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// The view.
    pub mode: Mode,
    /// Servers, connected sockets or both.
    pub show: Show,
    /// Socket tables selected, after implied defaults.
    pub tables: Tables,
    /// IPv4 selected (`-4`, `-A inet`, or implied).
    pub inet: bool,
    /// IPv6 selected (`-6`, `-A inet6`, or implied).
    pub inet6: bool,
    /// True when no protocol was named and the selection is implied; then
    /// missing kernel tables stay silent (net-tools' "no explicit
    /// protocol" marker).
    pub implied_protocols: bool,
    /// True when the user named tables (`-t`, `-x`, `--ipx`, `-A unix`,
    /// ...): a missing table is then an error (exit 1) rather than
    /// something only `-v` mentions.
    pub explicit: bool,
    /// Name lookups to perform.
    pub names: Names,
    /// `-N`: numeric routes.
    pub symbolic: bool,
    /// Number of `-e`.
    pub extend: u8,
    /// Number of `-v`.
    pub verbose: u8,
    /// `-p`.
    pub programs: bool,
    /// `-o`.
    pub timers: bool,
    /// `-W`, `-T`, `--notrim`: never cut addresses (now the default).
    pub wide: bool,
    /// `--trim`: restore net-tools 2.10's 23-column address cut.
    pub trim: bool,
    /// `-c`, with its interval (1 s unless `--continuous=N` or a trailing
    /// number says otherwise).
    pub continuous: Option<Duration>,
    /// `-F`.
    pub fib: bool,
    /// `-C`.
    pub cache: bool,
    /// `--proc-root DIR`: where `/proc` is (default `/proc`).
    pub proc_root: PathBuf,
    /// Families named by `-A`, `-4`, `-6`, `-x` and the family switches,
    /// in command-line order with repeats, spelt as net-tools records them
    /// (`inet`, `inet6`, `unix`, `ipx`, `ax25`, `netrom`, `ddp`, `x25`,
    /// `rose`, `bluetooth`, `ec` for econet, `ash`). Empty means `inet`.
    /// `-r` prints one table per entry, in order, and stops at the first
    /// without routes: `unix`, `ec`, `ash` ("No routing for address family
    /// `unix'.", exit 3), `bluetooth` ("Address family `bluetooth' not
    /// supported.", exit 3); `flags` ends the run itself when that is the
    /// first entry. `-s` runs only for `[]`, `[inet]` or `[inet6]`.
    pub families: Vec<&'static str>,
    /// `-I IFACE` / `--interfaces=IFACE` (a distribution extension): show
    /// only this interface or alias label in the interface view, whether
    /// up or down.
    pub interface: Option<Vec<u8>>,
    /// `--source=auto|proc|netlink`: where socket rows come from.
    pub source: SocketSource,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            mode: Mode::Sockets,
            show: Show::Connected,
            tables: Tables::default(),
            inet: false,
            inet6: false,
            implied_protocols: false,
            explicit: false,
            names: Names { hosts: true, ports: true, users: true },
            symbolic: false,
            extend: 0,
            verbose: 0,
            programs: false,
            timers: false,
            wide: false,
            trim: false,
            continuous: None,
            fib: false,
            cache: false,
            proc_root: PathBuf::from("/proc"),
            families: Vec::new(),
            interface: None,
            source: SocketSource::Auto,
        }
    }
}
