//! From what was typed ([`LowArgs`]) to what to do ([`Settings`]), by
//! net-tools 2.10's rules, applied after the whole command line is read:
//!
//! 1. More than one of `-r`, `-i`, `-s`, `-M` (counted: `-rr` is two) is a
//!    usage error. Otherwise `-M`, then `-s`, then `-r`, then `-i` wins;
//!    with none the sockets are listed.
//! 2. An inet family (`-4`, `-6`, `-A inet`...) or `-s` without any of
//!    `-t -S -u -U -w` selects all five and marks them implied. Our one
//!    change (product decision 7): `-g` with an inet family and no
//!    protocol lists the groups only.
//! 3. A protocol or `-g` without an inet family selects inet and inet6.
//! 4. Nothing explicit (no protocol, `-x`, `-g`, legacy family or
//!    Bluetooth) lists every table, of both inet families.
//!
//! Then the checks that need the whole line: `-s` takes no family but
//! `inet` or `inet6` (one of them, once), `-r` refuses a first family
//! without routes, and a listing of Bluetooth sockets alone fails.

use std::os::unix::ffi::OsStrExt;
use std::time::Duration;

use super::interval;
use super::lowargs::{Cut, LowArgs};
use super::stop::Stop;
use crate::settings::{Mode, Names, Settings, Show, Tables};

/// net-tools' protocol and family flags once its rules have run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Selection {
    tcp: bool,
    sctp: bool,
    udp: bool,
    udplite: bool,
    raw: bool,
    groups: bool,
    unix: bool,
    ipx: bool,
    ax25: bool,
    netrom: bool,
    x25: bool,
    rose: bool,
    bluetooth: bool,
    inet: bool,
    inet6: bool,
    /// Protocols switched on by rule 2 (net-tools' `flag_noprot`).
    implied: bool,
}

impl Selection {
    /// Applies rules 2 and 3 to the flags as typed.
    fn new(low: &LowArgs) -> Self {
        let mut sel = Selection {
            tcp: low.tcp > 0,
            sctp: low.sctp > 0,
            udp: low.udp > 0,
            udplite: low.udplite > 0,
            raw: low.raw > 0,
            groups: low.groups > 0,
            unix: low.family("unix") > 0,
            ipx: low.family("ipx") > 0,
            ax25: low.family("ax25") > 0,
            netrom: low.family("netrom") > 0,
            x25: low.family("x25") > 0,
            rose: low.family("rose") > 0,
            bluetooth: low.l2cap + low.rfcomm + low.family("bluetooth") > 0,
            inet: low.family("inet") > 0,
            inet6: low.family("inet6") > 0,
            implied: false,
        };
        let statistics = low.statistics > 0;
        let groups_only = sel.groups && !statistics;
        if (sel.inet || sel.inet6 || statistics)
            && !sel.any_protocol()
            && !groups_only
        {
            sel.set_all_protocols();
        }
        if (sel.any_protocol() || sel.groups) && !(sel.inet || sel.inet6) {
            sel.inet = true;
            sel.inet6 = true;
        }
        sel
    }

    /// Whether any of `-t -S -u -U -w` is on.
    fn any_protocol(&self) -> bool {
        self.tcp || self.sctp || self.udp || self.udplite || self.raw
    }

    /// Rule 2: every Internet protocol, marked as implied.
    fn set_all_protocols(&mut self) {
        self.tcp = true;
        self.sctp = true;
        self.udp = true;
        self.udplite = true;
        self.raw = true;
        self.implied = true;
    }

    /// Whether a table other than Bluetooth was asked for.
    fn other_than_bluetooth(&self) -> bool {
        let legacy = self.ipx || self.ax25 || self.netrom || self.x25;
        self.any_protocol() || self.groups || self.unix || legacy || self.rose
    }

    /// net-tools' `flag_arg`: whether the user named what to list.
    fn explicit(&self) -> bool {
        self.other_than_bluetooth() || self.bluetooth
    }

    /// The tables to print (rule 4 for an empty selection).
    fn tables(&self) -> Tables {
        if !self.explicit() {
            return every_table();
        }
        Tables {
            tcp: self.tcp,
            sctp: self.sctp,
            udp: self.udp,
            udplite: self.udplite,
            raw: self.raw,
            unix: self.unix,
            groups: self.groups,
            ipx: self.ipx,
            ax25: self.ax25,
            x25: self.x25,
            netrom: self.netrom,
            rose: self.rose,
            bluetooth: self.bluetooth,
        }
    }
}

/// Rule 4: what a plain `netstat` lists (groups and Bluetooth only when
/// asked for).
fn every_table() -> Tables {
    Tables {
        tcp: true,
        sctp: true,
        udp: true,
        udplite: true,
        raw: true,
        unix: true,
        groups: false,
        ipx: true,
        ax25: true,
        x25: true,
        netrom: true,
        rose: true,
        bluetooth: false,
    }
}

/// Resolves the command line, or says why the run ends here.
pub fn derive(low: &LowArgs) -> Result<Settings, Stop> {
    let mode = mode(low)?;
    let sel = Selection::new(low);
    check(mode, low, &sel)?;

    let explicit = sel.explicit();
    let mut settings = Settings {
        mode,
        show: show(low),
        tables: sel.tables(),
        inet: sel.inet || !explicit,
        inet6: sel.inet6 || !explicit,
        implied_protocols: sel.implied,
        explicit,
        names: names(low),
        continuous: continuous(low),
        families: low.families.clone(),
        ..Settings::default()
    };
    set_columns(&mut settings, low);
    Ok(settings)
}

/// Rule 1: the view, or a usage error for conflicting views.
fn mode(low: &LowArgs) -> Result<Mode, Stop> {
    let views = [low.route, low.interfaces, low.masquerade, low.statistics];
    let count = views.iter().fold(0u32, |sum, n| sum.saturating_add(*n));
    if count > 1 {
        return Err(Stop::Usage);
    }
    let mode = if low.masquerade > 0 {
        Mode::Masquerade
    } else if low.statistics > 0 {
        Mode::Statistics
    } else if low.route > 0 {
        Mode::Routes
    } else if low.interfaces > 0 {
        Mode::Interfaces
    } else {
        Mode::Sockets
    };
    Ok(mode)
}

/// The checks of each view that need the whole command line.
fn check(mode: Mode, low: &LowArgs, sel: &Selection) -> Result<(), Stop> {
    match mode {
        Mode::Statistics => check_statistics(&low.families),
        Mode::Routes => check_route(&low.families),
        Mode::Sockets if sel.bluetooth && !sel.other_than_bluetooth() => {
            Err(Stop::Bluetooth)
        }
        _ => Ok(()),
    }
}

/// `-s` compares net-tools' whole family list with `inet` and `inet6`.
fn check_statistics(families: &[&'static str]) -> Result<(), Stop> {
    match families {
        [] | ["inet"] | ["inet6"] => Ok(()),
        _ => Err(Stop::NoStatistics(families.join(","))),
    }
}

/// `-r` fails at its first family without routes; when that is the
/// first of all, nothing has been printed yet and the run ends here.
fn check_route(families: &[&'static str]) -> Result<(), Stop> {
    match families.first().copied() {
        Some(name @ ("unix" | "ec" | "ash")) => Err(Stop::NoRouting(name)),
        Some(name @ "bluetooth") => Err(Stop::UnsupportedFamily(name)),
        _ => Ok(()),
    }
}

/// `-a` wins over `-l`.
fn show(low: &LowArgs) -> Show {
    if low.all > 0 {
        Show::All
    } else if low.listening > 0 {
        Show::Servers
    } else {
        Show::Connected
    }
}

/// Name lookups left on by `-n` and `--numeric-*`.
fn names(low: &LowArgs) -> Names {
    Names {
        hosts: !low.numeric_hosts,
        ports: !low.numeric_ports,
        users: !low.numeric_users,
    }
}

/// `-c`: the last `--continuous=N`, else a last operand that is a number,
/// else one second.
fn continuous(low: &LowArgs) -> Option<Duration> {
    if low.continuous == 0 {
        return None;
    }
    let operand = || {
        let last = low.operands.last()?;
        interval::parse(last.as_os_str().as_bytes())
    };
    Some(low.interval.or_else(operand).unwrap_or(Duration::from_secs(1)))
}

/// Counts and switches that shape the output.
fn set_columns(settings: &mut Settings, low: &LowArgs) {
    settings.symbolic = low.symbolic > 0;
    settings.extend = extend(low.extend);
    settings.verbose = saturate(low.verbose);
    settings.programs = low.programs > 0;
    settings.timers = low.timers > 0;
    settings.wide = low.cut == Some(Cut::Wide);
    settings.trim = low.cut == Some(Cut::Trim);
    settings.source = low.source.unwrap_or_default();
    settings.interface = low.interface.clone();
    settings.fib = low.fib > 0;
    settings.cache = low.cache > 0;
    if let Some(dir) = &low.proc_root {
        settings.proc_root = dir.clone();
    }
}

/// A count as a `u8`, 255 at most.
fn saturate(count: u32) -> u8 {
    u8::try_from(count).unwrap_or(u8::MAX)
}

/// The `-e` count as a `u8`. net-tools' route view cycles with period 4
/// from three `-e` on (`-reee` prints no table, `-reeee` is `-re`), so a
/// count past 255 keeps its remainder modulo 4.
fn extend(count: u32) -> u8 {
    u8::try_from(count).unwrap_or_else(|_| 252 + (count % 4) as u8)
}

#[cfg(test)]
mod tests {
    use std::ffi::OsString;
    use std::path::PathBuf;

    use super::*;

    fn derived(args: &[&str]) -> Result<Settings, Stop> {
        let argv: Vec<OsString> = args.iter().map(OsString::from).collect();
        let (low, stop) = LowArgs::read(&argv, false);
        assert_eq!(stop, None, "{args:?}");
        derive(&low)
    }

    fn settings(args: &[&str]) -> Settings {
        derived(args).unwrap_or_else(|stop| panic!("{args:?}: {stop:?}"))
    }

    fn stop(args: &[&str]) -> Stop {
        derived(args).err().unwrap_or_else(|| panic!("{args:?} ran"))
    }

    /// The tables as a string of their letters, for compact asserts:
    /// t S u U w x g i(px) a(x25) X(25) n(etrom) r(ose) b(luetooth).
    fn letters(tables: Tables) -> String {
        let all = [
            (tables.tcp, 't'),
            (tables.sctp, 'S'),
            (tables.udp, 'u'),
            (tables.udplite, 'U'),
            (tables.raw, 'w'),
            (tables.unix, 'x'),
            (tables.groups, 'g'),
            (tables.ipx, 'i'),
            (tables.ax25, 'a'),
            (tables.x25, 'X'),
            (tables.netrom, 'n'),
            (tables.rose, 'r'),
            (tables.bluetooth, 'b'),
        ];
        all.iter().filter(|(on, _)| *on).map(|(_, c)| c).collect()
    }

    /// Tables, inet, inet6, implied, explicit.
    fn selection(args: &[&str]) -> (String, bool, bool, bool, bool) {
        let s = settings(args);
        let tables = letters(s.tables);
        (tables, s.inet, s.inet6, s.implied_protocols, s.explicit)
    }

    fn sel(
        tables: &str,
        inet: bool,
        inet6: bool,
        implied: bool,
        explicit: bool,
    ) -> (String, bool, bool, bool, bool) {
        (tables.to_string(), inet, inet6, implied, explicit)
    }

    #[test]
    fn nothing_named_lists_everything() {
        let everything = sel("tSuUwxiaXnr", true, true, false, false);
        assert_eq!(selection(&[]), everything);
        assert_eq!(selection(&["-A", "ddp"]), everything);
        assert_eq!(selection(&["-A", "econet,ash"]), everything);
        assert_eq!(selection(&["-n", "-a", "-e"]), everything);
    }

    #[test]
    fn an_inet_family_implies_every_protocol_and_drops_unix() {
        assert_eq!(selection(&["-4"]), sel("tSuUw", true, false, true, true));
        assert_eq!(selection(&["-6"]), sel("tSuUw", false, true, true, true));
        assert_eq!(
            selection(&["--inet6", "--ip"]),
            sel("tSuUw", true, true, true, true)
        );
        assert_eq!(
            selection(&["-A", "inet,unix"]),
            sel("tSuUwx", true, false, true, true)
        );
    }

    #[test]
    fn a_protocol_implies_both_inet_families() {
        assert_eq!(selection(&["-t"]), sel("t", true, true, false, true));
        assert_eq!(selection(&["-tu6"]), sel("tu", false, true, false, true));
        assert_eq!(
            selection(&["-x", "-t"]),
            sel("tx", true, true, false, true)
        );
        assert_eq!(selection(&["-x"]), sel("x", false, false, false, true));
        assert_eq!(selection(&["--ipx"]), sel("i", false, false, false, true));
    }

    #[test]
    fn groups_with_a_family_list_only_groups() {
        assert_eq!(selection(&["-g"]), sel("g", true, true, false, true));
        assert_eq!(selection(&["-gn4"]), sel("g", true, false, false, true));
        assert_eq!(selection(&["-g6"]), sel("g", false, true, false, true));
        assert_eq!(selection(&["-gt"]), sel("tg", true, true, false, true));
    }

    #[test]
    fn statistics_imply_every_protocol() {
        let s = settings(&["-s"]);
        assert_eq!(s.mode, Mode::Statistics);
        assert_eq!(letters(s.tables), "tSuUw");
        assert!(s.implied_protocols && s.inet && s.inet6);
        let six = settings(&["-s6"]);
        assert!(!six.inet && six.inet6);
        assert_eq!(six.families, ["inet6"]);
        let tcp = settings(&["-st"]);
        assert_eq!(
            (letters(tcp.tables).as_str(), tcp.implied_protocols),
            ("t", false)
        );
        assert_eq!(settings(&["-s", "-g"]).mode, Mode::Statistics);
    }

    #[test]
    fn statistics_need_inet_or_inet6_alone() {
        let no = |list: &str| Stop::NoStatistics(list.into());
        assert_eq!(stop(&["-s", "-A", "unix"]), no("unix"));
        assert_eq!(stop(&["-s", "-x"]), no("unix"));
        assert_eq!(stop(&["-s", "-4", "-6"]), no("inet,inet6"));
        assert_eq!(stop(&["-s", "-A", "inet,inet"]), no("inet,inet"));
        assert_eq!(stop(&["-s", "-A", "econet"]), no("ec"));
        assert_eq!(stop(&["-s", "--appletalk"]), no("ddp"));
        assert_eq!(stop(&["-sc", "-t", "-x"]), no("unix"));
        assert!(derived(&["-s", "-A", "ip"]).is_ok());
        assert!(derived(&["-s", "-A", "tcpip"]).is_ok());
        assert!(derived(&["-s", "-A", "ip6"]).is_ok());
    }

    #[test]
    fn views_conflict_when_counted_twice() {
        for args in [
            ["-ri"],
            ["-rs"],
            ["-rr"],
            ["-ii"],
            ["-ss"],
            ["-MM"],
            ["-sM"],
            ["-iM"],
        ] {
            assert_eq!(stop(&args), Stop::Usage, "{args:?}");
        }
        assert_eq!(stop(&["--route", "--rou"]), Stop::Usage);
    }

    #[test]
    fn view_selection() {
        assert_eq!(settings(&["-r"]).mode, Mode::Routes);
        assert_eq!(settings(&["-i"]).mode, Mode::Interfaces);
        assert_eq!(settings(&["-M"]).mode, Mode::Masquerade);
        assert_eq!(settings(&["-g"]).mode, Mode::Sockets);
    }

    #[test]
    fn routes_keep_the_family_order() {
        assert_eq!(
            settings(&["-r", "-6", "-4", "-4"]).families,
            ["inet6", "inet", "inet"]
        );
        assert!(settings(&["-rt"]).families.is_empty());
        assert_eq!(
            settings(&["-r", "-A", "inet,unix"]).families,
            ["inet", "unix"]
        );
        assert_eq!(settings(&["-r", "--ipx"]).families, ["ipx"]);
    }

    #[test]
    fn routes_refuse_a_first_family_without_routes() {
        assert_eq!(stop(&["-r", "-A", "unix"]), Stop::NoRouting("unix"));
        assert_eq!(stop(&["-r", "-x", "-4"]), Stop::NoRouting("unix"));
        assert_eq!(stop(&["-r", "--unix"]), Stop::NoRouting("unix"));
        assert_eq!(stop(&["-r", "-A", "econet"]), Stop::NoRouting("ec"));
        assert_eq!(stop(&["-r", "-A", "ash"]), Stop::NoRouting("ash"));
        assert_eq!(
            stop(&["-r", "--bluetooth"]),
            Stop::UnsupportedFamily("bluetooth")
        );
        assert_eq!(stop(&["-ri", "-A", "unix"]), Stop::Usage);
    }

    #[test]
    fn bluetooth_alone_fails_and_otherwise_is_a_table() {
        for args in [["-2"], ["-f"], ["--bluetooth"], ["--l2cap"], ["--rfcomm"]]
        {
            assert_eq!(stop(&args), Stop::Bluetooth, "{args:?}");
        }
        assert_eq!(stop(&["-A", "bluetooth", "-c", "-v"]), Stop::Bluetooth);
        assert_eq!(letters(settings(&["-2", "-t"]).tables), "tb");
        assert_eq!(letters(settings(&["-f", "-g"]).tables), "gb");
        assert_eq!(settings(&["-2", "-r"]).mode, Mode::Routes);
        assert_eq!(settings(&["-2", "-s"]).mode, Mode::Statistics);
    }

    #[test]
    fn listing_switches() {
        assert_eq!(settings(&[]).show, Show::Connected);
        assert_eq!(settings(&["-l"]).show, Show::Servers);
        assert_eq!(settings(&["-la"]).show, Show::All);
        assert_eq!(settings(&["-al"]).show, Show::All);
    }

    #[test]
    fn numeric_switches() {
        let all = Names { hosts: false, ports: false, users: false };
        assert_eq!(settings(&["-n"]).names, all);
        let ports = settings(&["--numeric-ports"]).names;
        assert_eq!(ports, Names { hosts: true, ports: false, users: true });
        assert!(settings(&["-N"]).symbolic);
    }

    #[test]
    fn counts_and_columns() {
        let s = settings(&["-eeevvpoFC"]);
        assert_eq!((s.extend, s.verbose), (3, 2));
        assert!(s.programs && s.timers && s.fib && s.cache);
        let extend =
            |n: usize| settings(&[&("-".to_string() + &"e".repeat(n))]).extend;
        assert_eq!(extend(255), 255);
        assert_eq!(extend(256), 252);
        assert_eq!(extend(301), 253);
        let verbose = "-".to_string() + &"v".repeat(300);
        assert_eq!(settings(&[&verbose]).verbose, 255);
    }

    #[test]
    fn trimming() {
        let pair = |args: &[&str]| {
            let s = settings(args);
            (s.wide, s.trim)
        };
        assert_eq!(pair(&[]), (false, false));
        assert_eq!(pair(&["-W"]), (true, false));
        assert_eq!(pair(&["-T"]), (true, false));
        assert_eq!(pair(&["--notrim"]), (true, false));
        assert_eq!(pair(&["--wide"]), (true, false));
        assert_eq!(pair(&["--trim"]), (false, true));
        assert_eq!(pair(&["-W", "--trim"]), (false, true));
        assert_eq!(pair(&["--trim", "-T"]), (true, false));
    }

    #[test]
    fn continuous_interval() {
        let every = |args: &[&str]| settings(args).continuous;
        let secs = |n| Some(Duration::from_secs(n));
        assert_eq!(every(&[]), None);
        assert_eq!(every(&["-ctn"]), secs(1));
        assert_eq!(every(&["-tn", "-c", "5"]), secs(5));
        assert_eq!(every(&["-c", "5", "-t"]), secs(5));
        assert_eq!(every(&["--continuous", "2"]), secs(2));
        assert_eq!(every(&["--continuous=3"]), secs(3));
        assert_eq!(every(&["--continuous=3", "5"]), secs(3));
        assert_eq!(every(&["-c", "0.5"]), Some(Duration::from_millis(500)));
        assert_eq!(every(&["-c", "foo"]), secs(1));
        assert_eq!(every(&["-c", "5", "foo"]), secs(1));
        assert_eq!(every(&["-c", "0"]), secs(1));
        assert_eq!(every(&["-c", "--", "-5"]), secs(1));
        assert_eq!(every(&["5"]), None, "a number without -c is ignored");
    }

    #[test]
    fn proc_root() {
        assert_eq!(settings(&[]).proc_root, PathBuf::from("/proc"));
        let s = settings(&["--proc-root", "/tmp/fake"]);
        assert_eq!(s.proc_root, PathBuf::from("/tmp/fake"));
    }
}
