//! The option table: every short and long option net-tools 2.10 accepts,
//! in the order its `getopt_long` table lists them, plus our extensions.
//!
//! The order of [`NET_TOOLS_LONG`] is an interface: glibc reports an
//! ambiguous abbreviation by listing, in table order, the first candidate
//! and every later candidate that differs from it in `(has_arg, flag,
//! val)`. All address-family switches share one value in net-tools, so
//! `--in` names only `'--inet' '--interfaces'`, and `--un` names `--unix`
//! twice (the family switch, then `-x`). The order below was read from
//! 2.10's diagnostics (`netstat --=x` lists the whole table).
//!
//! Our long options live in a second tier, [`EXTENSION_LONG`], that is
//! consulted for abbreviations only when no net-tools option matches, so
//! that no prefix net-tools resolves changes meaning.

/// Whether an option takes an argument (getopt's `has_arg`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HasArg {
    /// A plain switch.
    No,
    /// An argument, attached or in the next word.
    Required,
    /// An argument only when attached (`--continuous=5`).
    Optional,
}

/// What an option does; the value getopt returns for it.
///
/// Long options that share a `Flag` (and `HasArg`) are the same option to
/// the ambiguity rule, as net-tools' family switches are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flag {
    /// `--inet`, `--ipx`, ...: a family switch named by the option itself.
    FamilySwitch,
    /// `-A`, `--protocol`: a comma-separated family list.
    Protocol,
    /// `-4`.
    Inet,
    /// `-6`.
    Inet6,
    /// `-V`.
    Version,
    /// `-h`.
    Help,
    /// `-?`: the usage text as an error.
    Usage,
    /// `-r`.
    Route,
    /// `-i`.
    Interfaces,
    /// `-M`.
    Masquerade,
    /// `-s`.
    Statistics,
    /// `-g`.
    Groups,
    /// `-t`.
    Tcp,
    /// `-S`.
    Sctp,
    /// `-u`.
    Udp,
    /// `-U`.
    UdpLite,
    /// `-w`.
    Raw,
    /// `-x`: the `unix` family.
    Unix,
    /// `-2`: Bluetooth L2CAP.
    L2cap,
    /// `-f`: Bluetooth RFCOMM.
    Rfcomm,
    /// `-l`.
    Listening,
    /// `-a`.
    All,
    /// `-o`.
    Timers,
    /// `-c`; `--continuous=N` also sets the interval.
    Continuous,
    /// `-e`.
    Extend,
    /// `-p`.
    Programs,
    /// `-v`.
    Verbose,
    /// `-W`, `-T`, `--notrim`.
    Wide,
    /// `--trim` (ours).
    Trim,
    /// `-n`.
    Numeric,
    /// `--numeric-hosts`.
    NumericHosts,
    /// `--numeric-ports`.
    NumericPorts,
    /// `--numeric-users`.
    NumericUsers,
    /// `-N`.
    Symbolic,
    /// `-C`.
    Cache,
    /// `-F`.
    Fib,
    /// `-Z`.
    Context,
    /// `-d`: accepted and ignored, as in net-tools.
    Debug,
    /// `--proc-root DIR` (ours).
    ProcRoot,
    /// `--source=auto|proc|netlink` (ours).
    Source,
}

/// A short option: one byte of a `-xyz` cluster.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShortOpt {
    /// The option character.
    pub byte: u8,
    /// Whether it takes an argument.
    pub has_arg: HasArg,
    /// What it does.
    pub flag: Flag,
}

/// A long option: `--name`, `--name=value`, or an unambiguous prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LongOpt {
    /// The name after `--`.
    pub name: &'static str,
    /// Whether it takes an argument.
    pub has_arg: HasArg,
    /// What it does.
    pub flag: Flag,
}

const fn short(byte: u8, flag: Flag) -> ShortOpt {
    ShortOpt { byte, has_arg: HasArg::No, flag }
}

const fn long(name: &'static str, flag: Flag) -> LongOpt {
    LongOpt { name, has_arg: HasArg::No, flag }
}

/// net-tools' short options (`A:CFMacdeghilnNoprsStuUvVWw2fx64?Z`) and
/// our `-T`, an alias of `-W` that later net-tools releases also have,
/// and `-I IFACE`, one interface's row, as distribution builds offer.
pub const SHORT: &[ShortOpt] = &[
    ShortOpt { byte: b'A', has_arg: HasArg::Required, flag: Flag::Protocol },
    short(b'C', Flag::Cache),
    short(b'F', Flag::Fib),
    short(b'M', Flag::Masquerade),
    short(b'a', Flag::All),
    short(b'c', Flag::Continuous),
    short(b'd', Flag::Debug),
    short(b'e', Flag::Extend),
    short(b'g', Flag::Groups),
    short(b'h', Flag::Help),
    short(b'i', Flag::Interfaces),
    short(b'l', Flag::Listening),
    short(b'n', Flag::Numeric),
    short(b'N', Flag::Symbolic),
    short(b'o', Flag::Timers),
    short(b'p', Flag::Programs),
    short(b'r', Flag::Route),
    short(b's', Flag::Statistics),
    short(b'S', Flag::Sctp),
    short(b't', Flag::Tcp),
    short(b'u', Flag::Udp),
    short(b'U', Flag::UdpLite),
    short(b'v', Flag::Verbose),
    short(b'V', Flag::Version),
    short(b'W', Flag::Wide),
    short(b'w', Flag::Raw),
    short(b'2', Flag::L2cap),
    short(b'f', Flag::Rfcomm),
    short(b'x', Flag::Unix),
    short(b'6', Flag::Inet6),
    short(b'4', Flag::Inet),
    short(b'?', Flag::Usage),
    short(b'Z', Flag::Context),
    short(b'T', Flag::Wide),
    ShortOpt { byte: b'I', has_arg: HasArg::Required, flag: Flag::Interfaces },
];

/// net-tools' long options, in its table order (see the module notes).
pub const NET_TOOLS_LONG: &[LongOpt] = &[
    long("ax25", Flag::FamilySwitch),
    long("ip", Flag::FamilySwitch),
    long("ipx", Flag::FamilySwitch),
    long("appletalk", Flag::FamilySwitch),
    long("netrom", Flag::FamilySwitch),
    long("inet", Flag::FamilySwitch),
    long("inet6", Flag::FamilySwitch),
    long("ddp", Flag::FamilySwitch),
    long("unix", Flag::FamilySwitch),
    long("x25", Flag::FamilySwitch),
    long("rose", Flag::FamilySwitch),
    long("bluetooth", Flag::FamilySwitch),
    long("tcpip", Flag::FamilySwitch),
    long("version", Flag::Version),
    LongOpt {
        name: "interfaces",
        has_arg: HasArg::Optional,
        flag: Flag::Interfaces,
    },
    long("help", Flag::Help),
    long("route", Flag::Route),
    long("masquerade", Flag::Masquerade),
    LongOpt {
        name: "protocol",
        has_arg: HasArg::Required,
        flag: Flag::Protocol,
    },
    long("tcp", Flag::Tcp),
    long("sctp", Flag::Sctp),
    long("udp", Flag::Udp),
    long("udplite", Flag::UdpLite),
    long("raw", Flag::Raw),
    long("unix", Flag::Unix),
    long("l2cap", Flag::L2cap),
    long("rfcomm", Flag::Rfcomm),
    long("listening", Flag::Listening),
    long("all", Flag::All),
    long("timers", Flag::Timers),
    // Ours: net-tools' `--continuous` takes no value; `=N` is the interval.
    LongOpt {
        name: "continuous",
        has_arg: HasArg::Optional,
        flag: Flag::Continuous,
    },
    long("extend", Flag::Extend),
    long("programs", Flag::Programs),
    long("verbose", Flag::Verbose),
    long("statistics", Flag::Statistics),
    long("wide", Flag::Wide),
    long("numeric", Flag::Numeric),
    long("numeric-hosts", Flag::NumericHosts),
    long("numeric-ports", Flag::NumericPorts),
    long("numeric-users", Flag::NumericUsers),
    long("symbolic", Flag::Symbolic),
    long("cache", Flag::Cache),
    long("fib", Flag::Fib),
    long("groups", Flag::Groups),
    long("context", Flag::Context),
];

/// Our long-only options; abbreviations reach them only when no
/// net-tools option matches (`--tr` is `--trim`, `--t` stays ambiguous).
pub const EXTENSION_LONG: &[LongOpt] = &[
    long("trim", Flag::Trim),
    long("notrim", Flag::Wide),
    LongOpt {
        name: "proc-root",
        has_arg: HasArg::Required,
        flag: Flag::ProcRoot,
    },
    LongOpt { name: "source", has_arg: HasArg::Required, flag: Flag::Source },
];

/// The long-option tiers, searched in this order.
pub const LONG_TIERS: &[&[LongOpt]] = &[NET_TOOLS_LONG, EXTENSION_LONG];

/// An address family as net-tools' `-A` list knows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Family {
    /// What the user may type.
    pub alias: &'static str,
    /// The canonical name net-tools records and prints.
    pub name: &'static str,
}

const fn family(alias: &'static str, name: &'static str) -> Family {
    Family { alias, name }
}

/// The names `-A` and the family switches accept. `econet` is recorded
/// as `ec`, as net-tools prints it (`No routing for address family
/// `ec'.`); `ec` itself is not accepted.
pub const FAMILIES: &[Family] = &[
    family("ax25", "ax25"),
    family("ip", "inet"),
    family("ip6", "inet6"),
    family("ipx", "ipx"),
    family("appletalk", "ddp"),
    family("netrom", "netrom"),
    family("inet", "inet"),
    family("inet6", "inet6"),
    family("ddp", "ddp"),
    family("unix", "unix"),
    family("tcpip", "inet"),
    family("econet", "ec"),
    family("x25", "x25"),
    family("ash", "ash"),
    family("rose", "rose"),
    family("bluetooth", "bluetooth"),
];

/// Looks up a family by what the user typed (exact, case-sensitive).
pub fn find_family(alias: &[u8]) -> Option<&'static Family> {
    FAMILIES.iter().find(|family| family.alias.as_bytes() == alias)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// net-tools 2.10's getopt string, without the `:` markers.
    const NET_TOOLS_SHORT: &str = "ACFMacdeghilnNoprsStuUvVWw2fx64?Z";

    #[test]
    fn every_net_tools_short_option_is_defined_once() {
        for byte in NET_TOOLS_SHORT.bytes() {
            let count = SHORT.iter().filter(|opt| opt.byte == byte).count();
            assert_eq!(count, 1, "short option {}", byte as char);
        }
    }

    #[test]
    fn only_a_and_i_take_an_argument_among_short_options() {
        for opt in SHORT {
            let expected = if matches!(opt.byte, b'A' | b'I') {
                HasArg::Required
            } else {
                HasArg::No
            };
            assert_eq!(opt.has_arg, expected, "-{}", opt.byte as char);
        }
    }

    #[test]
    fn t_and_i_are_our_only_short_additions() {
        let extra: Vec<u8> = SHORT
            .iter()
            .map(|opt| opt.byte)
            .filter(|byte| !NET_TOOLS_SHORT.as_bytes().contains(byte))
            .collect();
        assert_eq!(extra, b"TI");
    }

    #[test]
    fn long_table_order_matches_net_tools_diagnostics() {
        // `netstat --=x` lists every option that differs from the first.
        let listed: Vec<&str> = NET_TOOLS_LONG
            .iter()
            .filter(|opt| opt.flag != Flag::FamilySwitch)
            .map(|opt| opt.name)
            .collect();
        assert_eq!(listed[..4], ["version", "interfaces", "help", "route"]);
        assert_eq!(listed.last(), Some(&"context"));
        assert_eq!(NET_TOOLS_LONG[0].name, "ax25");
    }

    #[test]
    fn extension_names_are_no_net_tools_prefix() {
        for ext in EXTENSION_LONG {
            for opt in NET_TOOLS_LONG {
                assert!(!opt.name.starts_with(ext.name), "{}", ext.name);
                assert!(!ext.name.starts_with(opt.name), "{}", ext.name);
            }
        }
    }

    #[test]
    fn family_aliases() {
        let name = |alias: &str| find_family(alias.as_bytes()).map(|f| f.name);
        assert_eq!(name("ip"), Some("inet"));
        assert_eq!(name("tcpip"), Some("inet"));
        assert_eq!(name("ip6"), Some("inet6"));
        assert_eq!(name("appletalk"), Some("ddp"));
        assert_eq!(name("econet"), Some("ec"));
        assert_eq!(name("ash"), Some("ash"));
        assert_eq!(name("ec"), None);
        assert_eq!(name("INET"), None);
        assert_eq!(name(""), None);
    }

    #[test]
    fn every_family_switch_names_a_family() {
        for opt in NET_TOOLS_LONG {
            if opt.flag == Flag::FamilySwitch {
                assert!(find_family(opt.name.as_bytes()).is_some());
            }
        }
    }
}
