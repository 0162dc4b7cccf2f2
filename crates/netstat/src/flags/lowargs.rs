//! The command line as net-tools records it while `getopt_long` runs:
//! literal counters named after its `flag_*` variables, the `afname` list
//! of families, and the few options that act at once, in command-line
//! order (`-V`, `-h`, `-?`, an unknown family, `-Z`): those stop the
//! reading with a [`Stop`]. Nothing here applies net-tools' rules
//! (implied protocols, mode conflicts); that is `hiargs`' work.
//!
//! Family lists follow net-tools' `aftrans_opt`: an `-A` argument is cut
//! to 255 bytes; each comma-separated name must be known (else "Unknown
//! address family" and exit 1, even for an empty name); the recorded list
//! may not reach 256 bytes, and a name that would make it do so drops the
//! rest of that argument with "Too much address family arguments." on
//! standard error while parsing goes on.

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;
use std::time::Duration;

use super::defs::{self, Flag};
use super::getopt::{self, Event, Getopt, Opt, Spec};
use super::interval;
use super::stop::Stop;
use crate::settings::SocketSource;

/// Bytes of net-tools' buffers for an `-A` argument and for the list.
const AFNAME_SIZE: usize = 256;

/// The last of `-W`/`-T`/`--notrim` and `--trim`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cut {
    /// Never cut addresses.
    Wide,
    /// Cut addresses to 23 columns, as net-tools 2.10 did.
    Trim,
}

/// What was typed, counted the way net-tools counts it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LowArgs {
    /// `-r` (net-tools `flag_rou`).
    pub route: u32,
    /// `-i` (`flag_int`).
    pub interfaces: u32,
    /// `-M` (`flag_mas`).
    pub masquerade: u32,
    /// `-s` (`flag_sta`).
    pub statistics: u32,
    /// `-t` (`flag_tcp`).
    pub tcp: u32,
    /// `-S` (`flag_sctp`).
    pub sctp: u32,
    /// `-u` (`flag_udp`).
    pub udp: u32,
    /// `-U` (`flag_udplite`).
    pub udplite: u32,
    /// `-w` (`flag_raw`).
    pub raw: u32,
    /// `-g` (`flag_igmp`).
    pub groups: u32,
    /// `-2` (`flag_l2cap`).
    pub l2cap: u32,
    /// `-f` (`flag_rfcomm`).
    pub rfcomm: u32,
    /// `-a` (`flag_all`).
    pub all: u32,
    /// `-l` (`flag_lst`).
    pub listening: u32,
    /// `-o` (`flag_opt`).
    pub timers: u32,
    /// `-c` (`flag_cnt`).
    pub continuous: u32,
    /// `-e` (`flag_exp`).
    pub extend: u32,
    /// `-p` (`flag_prg`).
    pub programs: u32,
    /// `-v` (`flag_ver`).
    pub verbose: u32,
    /// `-N` (`FLAG_SYM` in `flag_not`).
    pub symbolic: u32,
    /// `-C` (`flag_cf`).
    pub cache: u32,
    /// `-F` (`flag_fib`).
    pub fib: u32,
    /// `-d` (`flag_deb`), which nothing reads.
    pub debug: u32,
    /// `-n` or `--numeric-hosts`.
    pub numeric_hosts: bool,
    /// `-n` or `--numeric-ports`.
    pub numeric_ports: bool,
    /// `-n` or `--numeric-users`.
    pub numeric_users: bool,
    /// Families in the order named, as net-tools' `afname` list. The
    /// per-family `flag_*` counters are the counts of each name here.
    pub families: Vec<&'static str>,
    /// The last of `-W`/`-T`/`--notrim` and `--trim`, if any.
    pub cut: Option<Cut>,
    /// The last `--continuous=N`.
    pub interval: Option<Duration>,
    /// `--proc-root`.
    pub proc_root: Option<PathBuf>,
    /// The last `-I IFACE` / `--interfaces=IFACE`, raw bytes.
    pub interface: Option<Vec<u8>>,
    /// The last `--source=KIND`.
    pub source: Option<SocketSource>,
    /// Words that are not options, in order.
    pub operands: Vec<OsString>,
    /// Lines for standard error that do not stop the run.
    pub warnings: String,
}

impl LowArgs {
    /// Reads argv (without `argv[0]`) until its end or the first option
    /// that stops the run; `posix` selects `POSIXLY_CORRECT` rules.
    /// Returns what was read either way, so warnings are never lost.
    pub fn read(args: &[OsString], posix: bool) -> (LowArgs, Option<Stop>) {
        let spec = Spec { short: defs::SHORT, long_tiers: defs::LONG_TIERS };
        let mut low = LowArgs::default();
        for event in Getopt::new(spec, args, posix) {
            let step = match event {
                Event::Opt(opt) => low.apply(&opt),
                Event::Operand(word) => {
                    low.operands.push(word.to_owned());
                    Ok(())
                }
                Event::Error(error) => Err(Stop::Getopt(error)),
            };
            if let Err(stop) = step {
                return (low, Some(stop));
            }
        }
        (low, None)
    }

    /// How many times family `name` (canonical, e.g. `inet`) was named.
    pub fn family(&self, name: &str) -> u32 {
        let count = self.families.iter().filter(|f| **f == name).count();
        u32::try_from(count).unwrap_or(u32::MAX)
    }

    /// Records one option, or says why the run stops here.
    fn apply(&mut self, opt: &Opt) -> Result<(), Stop> {
        match opt.flag {
            Flag::FamilySwitch => {
                return self.add_families(opt.long.unwrap_or("").as_bytes());
            }
            Flag::Protocol => {
                let list = opt.value.unwrap_or_default();
                return self.add_families(&list[..list.len().min(255)]);
            }
            Flag::Inet => return self.add_families(b"inet"),
            Flag::Inet6 => return self.add_families(b"inet6"),
            Flag::Unix => return self.add_families(b"unix"),
            Flag::Version => return Err(Stop::Version),
            Flag::Help => return Err(Stop::Help),
            Flag::Usage => return Err(Stop::Usage),
            Flag::Context => return Err(Stop::Selinux),
            Flag::Continuous => return self.set_continuous(opt.value),
            Flag::ProcRoot => return self.set_proc_root(opt.value),
            Flag::Source => return self.set_source(opt.value),
            Flag::Interfaces if opt.value.is_some() => {
                self.set_interface(opt.value)?;
            }
            _ => {}
        }
        self.set(opt.flag);
        Ok(())
    }

    /// Records an option that only sets or counts something.
    fn set(&mut self, flag: Flag) {
        if let Some(counter) = self.counter(flag) {
            *counter = counter.saturating_add(1);
            return;
        }
        match flag {
            Flag::Wide => self.cut = Some(Cut::Wide),
            Flag::Trim => self.cut = Some(Cut::Trim),
            Flag::Numeric => {
                self.numeric_hosts = true;
                self.numeric_ports = true;
                self.numeric_users = true;
            }
            Flag::NumericHosts => self.numeric_hosts = true,
            Flag::NumericPorts => self.numeric_ports = true,
            Flag::NumericUsers => self.numeric_users = true,
            _ => {}
        }
    }

    /// The counter an option increments, if it is a counting option.
    fn counter(&mut self, flag: Flag) -> Option<&mut u32> {
        let counter = match flag {
            Flag::Route => &mut self.route,
            Flag::Interfaces => &mut self.interfaces,
            Flag::Masquerade => &mut self.masquerade,
            Flag::Statistics => &mut self.statistics,
            Flag::Groups => &mut self.groups,
            Flag::Tcp => &mut self.tcp,
            Flag::Sctp => &mut self.sctp,
            Flag::Udp => &mut self.udp,
            Flag::UdpLite => &mut self.udplite,
            Flag::Raw => &mut self.raw,
            Flag::L2cap => &mut self.l2cap,
            Flag::Rfcomm => &mut self.rfcomm,
            Flag::Listening => &mut self.listening,
            Flag::All => &mut self.all,
            Flag::Timers => &mut self.timers,
            Flag::Extend => &mut self.extend,
            Flag::Programs => &mut self.programs,
            Flag::Verbose => &mut self.verbose,
            Flag::Symbolic => &mut self.symbolic,
            Flag::Cache => &mut self.cache,
            Flag::Fib => &mut self.fib,
            Flag::Debug => &mut self.debug,
            _ => return None,
        };
        Some(counter)
    }

    /// `-c`, `--continuous`, `--continuous=N`.
    fn set_continuous(&mut self, value: Option<&[u8]>) -> Result<(), Stop> {
        self.continuous = self.continuous.saturating_add(1);
        if let Some(text) = value {
            let interval = interval::parse(text)
                .ok_or_else(|| Stop::BadInterval(text.to_vec()))?;
            self.interval = Some(interval);
        }
        Ok(())
    }

    /// `--proc-root DIR`; an empty DIR counts as a missing one.
    fn set_proc_root(&mut self, value: Option<&[u8]>) -> Result<(), Stop> {
        match value {
            Some(dir) if !dir.is_empty() => {
                self.proc_root = Some(PathBuf::from(OsStr::from_bytes(dir)));
                Ok(())
            }
            _ => Err(Stop::Getopt(getopt::Error::MissingLongArg("proc-root"))),
        }
    }

    /// `-I IFACE` / `--interfaces=IFACE`; an empty name is a missing one.
    fn set_interface(&mut self, value: Option<&[u8]>) -> Result<(), Stop> {
        match value {
            Some(name) if !name.is_empty() => {
                self.interface = Some(name.to_vec());
                Ok(())
            }
            _ => Err(Stop::Getopt(getopt::Error::MissingLongArg("interfaces"))),
        }
    }

    /// `--source=auto|proc|netlink`.
    fn set_source(&mut self, value: Option<&[u8]>) -> Result<(), Stop> {
        let source = match value.unwrap_or_default() {
            b"auto" => SocketSource::Auto,
            b"proc" => SocketSource::Proc,
            b"netlink" => SocketSource::Netlink,
            other => return Err(Stop::BadSource(other.to_vec())),
        };
        self.source = Some(source);
        Ok(())
    }

    /// Appends a comma-separated family list as net-tools' `aftrans_opt`.
    fn add_families(&mut self, list: &[u8]) -> Result<(), Stop> {
        for alias in list.split(|&byte| byte == b',') {
            let Some(family) = defs::find_family(alias) else {
                return Err(Stop::UnknownFamily(alias.to_vec()));
            };
            if self.families_len() + 1 + family.name.len() >= AFNAME_SIZE {
                self.warnings.push_str("Too much address family arguments.\n");
                return Ok(());
            }
            self.families.push(family.name);
        }
        Ok(())
    }

    /// The length of the family list written out with commas.
    fn families_len(&self) -> usize {
        let names: usize = self.families.iter().map(|name| name.len()).sum();
        names + self.families.len().saturating_sub(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(args: &[&str]) -> (LowArgs, Option<Stop>) {
        let argv: Vec<OsString> = args.iter().map(OsString::from).collect();
        LowArgs::read(&argv, false)
    }

    fn low(args: &[&str]) -> LowArgs {
        let (low, stop) = read(args);
        assert_eq!(stop, None, "{args:?}");
        low
    }

    #[test]
    fn counts_repeated_options() {
        let low = low(&["-eev", "--extend", "-v", "-rr"]);
        assert_eq!((low.extend, low.verbose, low.route), (3, 2, 2));
    }

    #[test]
    fn family_lists_keep_order_and_duplicates() {
        let low = low(&["-6", "-A", "ip,unix", "-4", "--appletalk", "-x"]);
        assert_eq!(
            low.families,
            ["inet6", "inet", "unix", "inet", "ddp", "unix"]
        );
        assert_eq!(low.family("inet"), 2);
        assert_eq!(low.family("ipx"), 0);
    }

    #[test]
    fn every_family_switch_records_its_family() {
        let cases = [
            ("--ip", "inet"),
            ("--tcpip", "inet"),
            ("--inet6", "inet6"),
            ("--unix", "unix"),
            ("--ddp", "ddp"),
            ("--bluetooth", "bluetooth"),
            ("--x25", "x25"),
        ];
        for (switch, name) in cases {
            assert_eq!(low(&[switch]).families, [name], "{switch}");
        }
        assert_eq!(low(&["-A", "econet,ash"]).families, ["ec", "ash"]);
    }

    #[test]
    fn unknown_family_stops_in_order() {
        let stop = |args: &[&str]| read(args).1;
        let unknown = |name: &str| Some(Stop::UnknownFamily(name.into()));
        assert_eq!(stop(&["-A", "foo"]), unknown("foo"));
        assert_eq!(stop(&["-A", "inet,foo", "-V"]), unknown("foo"));
        assert_eq!(stop(&["-A", ""]), unknown(""));
        assert_eq!(stop(&["-A", "inet,"]), unknown(""));
        assert_eq!(stop(&["-A", "ec"]), unknown("ec"));
        assert_eq!(stop(&["--protocol", "-V"]), unknown("-V"));
        assert_eq!(stop(&["-V", "-A", "foo"]), Some(Stop::Version));
    }

    #[test]
    fn long_family_argument_is_cut_to_255_bytes() {
        let list = "inet,".repeat(60) + "ip6";
        let (low, stop) = read(&["-A", &list]);
        assert_eq!(stop, Some(Stop::UnknownFamily(Vec::new())));
        assert_eq!(low.families.len(), 51);
    }

    #[test]
    fn family_list_overflow_warns_and_goes_on() {
        let unix49 = vec!["unix"; 49].join(",");
        let low = low(&["-A", &unix49, "-A", "inet6,inet"]);
        assert_eq!(low.families.len(), 51, "255 bytes fit");
        assert_eq!(low.warnings, "");

        let low = self::low(&["-A", &unix49, "-A", "inet6,inet6,foo", "-t"]);
        assert_eq!(low.families.len(), 50);
        assert_eq!(low.warnings, "Too much address family arguments.\n");
        assert_eq!(low.tcp, 1, "parsing went on");
    }

    #[test]
    fn in_order_stops() {
        assert_eq!(read(&["-V", "-Q"]).1, Some(Stop::Version));
        assert!(matches!(read(&["-Q", "-V"]).1, Some(Stop::Getopt(_))));
        assert_eq!(read(&["-h", "-Q"]).1, Some(Stop::Help));
        assert_eq!(read(&["-?", "-V"]).1, Some(Stop::Usage));
        assert_eq!(read(&["-Z", "-Q"]).1, Some(Stop::Selinux));
        assert_eq!(read(&["-2", "-f", "--bluetooth"]).1, None);
    }

    #[test]
    fn numeric_switches() {
        let all = low(&["-n"]);
        assert!(all.numeric_hosts && all.numeric_ports && all.numeric_users);
        let ports = low(&["--numeric-p"]);
        assert!(!ports.numeric_hosts && ports.numeric_ports);
    }

    #[test]
    fn cut_is_the_last_one_given() {
        assert_eq!(low(&["-W"]).cut, Some(Cut::Wide));
        assert_eq!(low(&["-T", "--trim"]).cut, Some(Cut::Trim));
        assert_eq!(low(&["--trim", "--notrim"]).cut, Some(Cut::Wide));
        assert_eq!(low(&[]).cut, None);
    }

    #[test]
    fn continuous_forms() {
        assert_eq!(low(&["-ctn"]).continuous, 1);
        let five = low(&["--continuous=5"]);
        assert_eq!(five.interval, Some(Duration::from_secs(5)));
        let spaced = low(&["--continuous", "2"]);
        assert_eq!((spaced.interval, spaced.operands.len()), (None, 1));
        let bad = read(&["--continuous=0"]).1;
        assert_eq!(bad, Some(Stop::BadInterval(b"0".to_vec())));
    }

    #[test]
    fn proc_root_forms() {
        let dir = Some(PathBuf::from("/tmp/p"));
        assert_eq!(low(&["--proc-root", "/tmp/p"]).proc_root, dir);
        assert_eq!(low(&["--proc-root=/tmp/p"]).proc_root, dir);
        assert!(matches!(read(&["--proc-root="]).1, Some(Stop::Getopt(_))));
        assert!(matches!(read(&["--proc-root"]).1, Some(Stop::Getopt(_))));
    }

    #[test]
    fn debug_is_accepted() {
        assert_eq!(low(&["-d"]).debug, 1);
    }
}
