//! A `getopt_long` work-alike over raw OS strings, table-driven and free of
//! netstat knowledge: it turns argv into a stream of [`Event`]s.
//!
//! It follows glibc (2.36) where scripts can see the difference:
//!
//! * GNU permutation: options may follow operands; `--` ends options; a
//!   lone `-` is an operand; with `POSIXLY_CORRECT` the first operand ends
//!   options instead.
//! * Short clusters (`-tulpn`); a required argument is the rest of the
//!   cluster or else the next word, whatever it looks like (`-A -t`).
//! * Long options by exact name first, then by unique prefix. A prefix is
//!   ambiguous only if a later match differs from the *first* match in
//!   `(has_arg, flag)`; the message lists the first match and each such
//!   later one, in table order.
//! * An optional argument must be attached (`--continuous=5`).
//! * Diagnostics are glibc's, word for word (see [`Error::message`]).
//!
//! Long options come in tiers: a prefix is looked up in a later tier only
//! when no option of an earlier tier matches it at all.

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;

use super::defs::{Flag, HasArg, LongOpt, ShortOpt};

/// The options a parser recognises.
#[derive(Clone, Copy, Debug)]
pub struct Spec {
    /// Short options.
    pub short: &'static [ShortOpt],
    /// Long options, by tier (see the module notes).
    pub long_tiers: &'static [&'static [LongOpt]],
}

/// One recognised option and its argument, if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Opt<'a> {
    /// What the option does.
    pub flag: Flag,
    /// The full long name, when it was given as a long option.
    pub long: Option<&'static str>,
    /// The argument, if the option took one.
    pub value: Option<&'a [u8]>,
}

/// What the parser found next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event<'a> {
    /// An option.
    Opt(Opt<'a>),
    /// A word that is not an option.
    Operand(&'a OsStr),
    /// A usage error; glibc would print it and return `'?'`.
    Error(Error),
}

/// A usage error, as glibc reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// `-Q`: not a known short option.
    InvalidShort(u8),
    /// `-A` at the end of argv.
    MissingShortArg(u8),
    /// `--bogus`: no long option has this name or prefix. Holds the text
    /// after `--`, `=value` included.
    Unrecognized(Vec<u8>),
    /// `--num`: a prefix of options that differ. Holds the text after
    /// `--` (with any `=value`) and the candidates to list.
    Ambiguous(Vec<u8>, Vec<&'static str>),
    /// `--tcp=5`: the option takes no argument.
    NoArgAllowed(&'static str),
    /// `--protocol` at the end of argv.
    MissingLongArg(&'static str),
}

impl Error {
    /// The diagnostic line glibc prints, newline included, with `prog`
    /// standing for `argv[0]`. Bytes from argv are copied raw, as glibc
    /// prints them, so the line need not be UTF-8.
    pub fn message(&self, prog: &[u8]) -> Vec<u8> {
        let mut line = prog.to_vec();
        match self {
            Error::InvalidShort(byte) => {
                line.extend_from_slice(b": invalid option -- '");
                line.push(*byte);
                line.extend_from_slice(b"'\n");
            }
            Error::MissingShortArg(byte) => {
                line.extend_from_slice(b": option requires an argument -- '");
                line.push(*byte);
                line.extend_from_slice(b"'\n");
            }
            Error::Unrecognized(text) => {
                line.extend_from_slice(b": unrecognized option '--");
                line.extend_from_slice(text);
                line.extend_from_slice(b"'\n");
            }
            Error::Ambiguous(text, names) => ambiguous(&mut line, text, names),
            Error::NoArgAllowed(name) => line.extend_from_slice(
                format!(": option '--{name}' doesn't allow an argument\n")
                    .as_bytes(),
            ),
            Error::MissingLongArg(name) => line.extend_from_slice(
                format!(": option '--{name}' requires an argument\n")
                    .as_bytes(),
            ),
        }
        line
    }
}

/// The ambiguity diagnostic with its list of possibilities, after `prog`.
fn ambiguous(line: &mut Vec<u8>, text: &[u8], names: &[&str]) {
    line.extend_from_slice(b": option '--");
    line.extend_from_slice(text);
    line.extend_from_slice(b"' is ambiguous; possibilities:");
    for name in names {
        line.extend_from_slice(b" '--");
        line.extend_from_slice(name.as_bytes());
        line.push(b'\'');
    }
    line.push(b'\n');
}

/// The parser: an iterator of [`Event`]s over argv (without `argv[0]`).
#[derive(Debug)]
pub struct Getopt<'a> {
    spec: Spec,
    args: &'a [OsString],
    /// The next word of argv to look at.
    next: usize,
    /// Within a short cluster: the word and the byte to read next.
    cluster: Option<(usize, usize)>,
    /// After `--` (or, under POSIX rules, the first operand).
    operands_only: bool,
    /// `POSIXLY_CORRECT` rules: stop at the first operand.
    posix: bool,
}

impl<'a> Getopt<'a> {
    /// A parser over `args`; `posix` selects `POSIXLY_CORRECT` rules.
    pub fn new(spec: Spec, args: &'a [OsString], posix: bool) -> Self {
        Getopt {
            spec,
            args,
            next: 0,
            cluster: None,
            operands_only: false,
            posix,
        }
    }

    /// Takes the next word of argv as an option's argument.
    fn take_word(&mut self) -> Option<&'a [u8]> {
        let word = self.args.get(self.next)?;
        self.next += 1;
        Some(word.as_bytes())
    }

    /// Reads the short option at byte `pos` of word `index`.
    fn short(&mut self, index: usize, pos: usize) -> Option<Event<'a>> {
        let word = self.args.get(index)?.as_bytes();
        let byte = *word.get(pos)?;
        let rest = &word[pos + 1..];
        self.cluster = (!rest.is_empty()).then_some((index, pos + 1));

        let Some(opt) = self.spec.short.iter().find(|opt| opt.byte == byte)
        else {
            return Some(Event::Error(Error::InvalidShort(byte)));
        };
        let value = match opt.has_arg {
            HasArg::No => None,
            HasArg::Optional => {
                self.cluster = None;
                (!rest.is_empty()).then_some(rest)
            }
            HasArg::Required => {
                self.cluster = None;
                let value =
                    if rest.is_empty() { self.take_word() } else { Some(rest) };
                if value.is_none() {
                    return Some(Event::Error(Error::MissingShortArg(byte)));
                }
                value
            }
        };
        Some(Event::Opt(Opt { flag: opt.flag, long: None, value }))
    }

    /// Reads a long option; `body` is the word after `--`.
    fn long(&mut self, body: &'a [u8]) -> Event<'a> {
        let (name, attached) = match body.iter().position(|&b| b == b'=') {
            Some(eq) => (&body[..eq], Some(&body[eq + 1..])),
            None => (body, None),
        };
        let opt = match lookup(self.spec.long_tiers, name) {
            Lookup::Found(opt) => opt,
            Lookup::Ambiguous(names) => {
                return Event::Error(Error::Ambiguous(body.to_vec(), names));
            }
            Lookup::Missing => {
                return Event::Error(Error::Unrecognized(body.to_vec()));
            }
        };

        let value = match (opt.has_arg, attached) {
            (HasArg::No, Some(_)) => {
                return Event::Error(Error::NoArgAllowed(opt.name));
            }
            (HasArg::Required, None) => match self.take_word() {
                Some(word) => Some(word),
                None => return Event::Error(Error::MissingLongArg(opt.name)),
            },
            (_, attached) => attached,
        };
        Event::Opt(Opt { flag: opt.flag, long: Some(opt.name), value })
    }
}

impl<'a> Iterator for Getopt<'a> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        if let Some((index, pos)) = self.cluster.take() {
            return self.short(index, pos);
        }
        loop {
            let index = self.next;
            let word = self.args.get(index)?;
            self.next += 1;
            let bytes = word.as_bytes();
            if self.operands_only {
                return Some(Event::Operand(word));
            }
            if bytes == b"--" {
                self.operands_only = true;
                continue;
            }
            if let Some(body) = bytes.strip_prefix(b"--") {
                return Some(self.long(body));
            }
            if bytes.len() > 1 && bytes[0] == b'-' {
                return self.short(index, 1);
            }
            self.operands_only = self.posix;
            return Some(Event::Operand(word));
        }
    }
}

/// The outcome of looking up a long option name.
#[derive(Debug, PartialEq, Eq)]
enum Lookup {
    Found(&'static LongOpt),
    Ambiguous(Vec<&'static str>),
    Missing,
}

/// Finds `name` exactly in any tier, else as a prefix in the first tier
/// where anything matches.
fn lookup(tiers: &[&'static [LongOpt]], name: &[u8]) -> Lookup {
    let exact = tiers
        .iter()
        .flat_map(|tier| tier.iter())
        .find(|opt| opt.name.as_bytes() == name);
    if let Some(opt) = exact {
        return Lookup::Found(opt);
    }
    tiers
        .iter()
        .map(|tier| by_prefix(tier, name))
        .find(|found| *found != Lookup::Missing)
        .unwrap_or(Lookup::Missing)
}

/// glibc's abbreviation rule within one tier.
fn by_prefix(tier: &'static [LongOpt], prefix: &[u8]) -> Lookup {
    let mut matches =
        tier.iter().filter(|opt| opt.name.as_bytes().starts_with(prefix));
    let Some(first) = matches.next() else {
        return Lookup::Missing;
    };
    let others: Vec<&'static str> = matches
        .filter(|opt| opt.has_arg != first.has_arg || opt.flag != first.flag)
        .map(|opt| opt.name)
        .collect();
    if others.is_empty() {
        return Lookup::Found(first);
    }
    Lookup::Ambiguous([first.name].into_iter().chain(others).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flags::defs::{LONG_TIERS, SHORT};

    const SPEC: Spec = Spec { short: SHORT, long_tiers: LONG_TIERS };

    fn words(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    /// Events rendered compactly: `t`, `A=inet`, `--ip`, `op:foo`,
    /// `err:<message>`.
    fn events(args: &[&str]) -> Vec<String> {
        events_with(args, false)
    }

    fn events_with(args: &[&str], posix: bool) -> Vec<String> {
        let argv = words(args);
        Getopt::new(SPEC, &argv, posix).map(|event| render(&event)).collect()
    }

    fn render(event: &Event) -> String {
        match event {
            Event::Opt(opt) => {
                let name = match opt.long {
                    Some(name) => format!("--{name}"),
                    None => format!("{:?}", opt.flag),
                };
                match opt.value {
                    Some(value) => {
                        format!("{name}={}", String::from_utf8_lossy(value))
                    }
                    None => name,
                }
            }
            Event::Operand(word) => format!("op:{}", word.to_string_lossy()),
            Event::Error(error) => format!(
                "err:{}",
                String::from_utf8_lossy(&error.message(b"netstat"))
            ),
        }
    }

    #[test]
    fn clusters() {
        assert_eq!(
            events(&["-tulpn"]),
            ["Tcp", "Udp", "Listening", "Programs", "Numeric"]
        );
        assert_eq!(
            events(&["-ee", "-vv"]),
            ["Extend", "Extend", "Verbose", "Verbose"]
        );
    }

    #[test]
    fn required_argument_forms() {
        assert_eq!(events(&["-Ainet"]), ["Protocol=inet"]);
        assert_eq!(events(&["-A", "inet"]), ["Protocol=inet"]);
        assert_eq!(events(&["-tAinet,unix"]), ["Tcp", "Protocol=inet,unix"]);
        assert_eq!(events(&["-tA", "inet"]), ["Tcp", "Protocol=inet"]);
        assert_eq!(events(&["--protocol=inet"]), ["--protocol=inet"]);
        assert_eq!(events(&["--protocol", "inet"]), ["--protocol=inet"]);
        assert_eq!(events(&["--prot=inet"]), ["--protocol=inet"]);
        assert_eq!(events(&["--protocol="]), ["--protocol="]);
        // The next word is taken whatever it looks like.
        assert_eq!(events(&["-A", "-t"]), ["Protocol=-t"]);
        assert_eq!(events(&["--protocol", "--"]), ["--protocol=--"]);
        assert_eq!(events(&["--proc-root", "/x"]), ["--proc-root=/x"]);
    }

    #[test]
    fn missing_arguments() {
        assert_eq!(
            events(&["-A"]),
            ["err:netstat: option requires an argument -- 'A'\n"]
        );
        assert_eq!(
            events(&["-tA"]),
            ["Tcp", "err:netstat: option requires an argument -- 'A'\n"]
        );
        assert_eq!(
            events(&["--protocol"]),
            ["err:netstat: option '--protocol' requires an argument\n"]
        );
        assert_eq!(
            events(&["--prot"]),
            ["err:netstat: option '--protocol' requires an argument\n"]
        );
    }

    #[test]
    fn invalid_short_options() {
        assert_eq!(events(&["-Q"]), ["err:netstat: invalid option -- 'Q'\n"]);
        assert_eq!(
            events(&["-tQn"]),
            ["Tcp", "err:netstat: invalid option -- 'Q'\n", "Numeric"]
        );
        assert_eq!(events(&["-:"]), ["err:netstat: invalid option -- ':'\n"]);
        assert_eq!(
            events(&["-t-"]),
            ["Tcp", "err:netstat: invalid option -- '-'\n"]
        );
        assert_eq!(events(&["-?"]), ["Usage"]);
    }

    #[test]
    fn long_errors() {
        assert_eq!(
            events(&["--bogus=3"]),
            ["err:netstat: unrecognized option '--bogus=3'\n"]
        );
        assert_eq!(
            events(&["---tcp"]),
            ["err:netstat: unrecognized option '---tcp'\n"]
        );
        assert_eq!(
            events(&["--tcp=5"]),
            ["err:netstat: option '--tcp' doesn't allow an argument\n"]
        );
        assert_eq!(
            events(&["--tc="]),
            ["err:netstat: option '--tc=' is ambiguous; possibilities: \
              '--tcpip' '--tcp'\n"]
        );
    }

    #[test]
    fn ambiguity_lists_follow_glibc() {
        let cases = [
            (
                "--num",
                "'--numeric' '--numeric-hosts' '--numeric-ports' \
                       '--numeric-users'",
            ),
            ("--in", "'--inet' '--interfaces'"),
            ("--i", "'--ip' '--interfaces'"),
            ("--u", "'--unix' '--udp' '--udplite' '--unix'"),
            ("--un", "'--unix' '--unix'"),
            (
                "--n",
                "'--netrom' '--numeric' '--numeric-hosts' \
                     '--numeric-ports' '--numeric-users'",
            ),
            ("--r", "'--rose' '--route' '--raw' '--rfcomm'"),
            ("--t", "'--tcpip' '--tcp' '--timers'"),
            ("--p", "'--protocol' '--programs'"),
            ("--pro", "'--protocol' '--programs'"),
            ("--c", "'--continuous' '--cache' '--context'"),
            ("--cont", "'--continuous' '--context'"),
        ];
        for (typed, list) in cases {
            let expected = format!(
                "err:netstat: option '{typed}' is ambiguous; \
                 possibilities: {list}\n"
            );
            assert_eq!(events(&[typed]), [expected], "{typed}");
        }
    }

    #[test]
    fn empty_long_name_matches_everything() {
        let got = events(&["--=x"]);
        assert!(got[0].starts_with(
            "err:netstat: option '--=x' is ambiguous; possibilities: \
             '--ax25' '--version' '--interfaces'"
        ));
        assert!(got[0].ends_with(" '--groups' '--context'\n"));
        assert!(!got[0].contains("trim"));
    }

    #[test]
    fn unique_prefixes() {
        assert_eq!(events(&["--rout"]), ["--route"]);
        assert_eq!(events(&["--numeric-h"]), ["--numeric-hosts"]);
        assert_eq!(events(&["--program"]), ["--programs"]);
        assert_eq!(events(&["--li"]), ["--listening"]);
        assert_eq!(
            events(&["--in6"]),
            ["err:netstat: unrecognized option '--in6'\n"]
        );
        assert_eq!(events(&["--ine"]), ["--inet"]);
        assert_eq!(events(&["--d"]), ["--ddp"]);
        assert_eq!(events(&["--e"]), ["--extend"]);
    }

    #[test]
    fn exact_name_wins_over_longer_names() {
        assert_eq!(events(&["--ip"]), ["--ip"]);
        assert_eq!(events(&["--tcp"]), ["--tcp"]);
        assert_eq!(events(&["--numeric"]), ["--numeric"]);
        // Two options are called `unix`; the first, a family switch, wins.
        let argv = words(&["--unix"]);
        let first = Getopt::new(SPEC, &argv, false).next();
        let Some(Event::Opt(opt)) = first else { panic!("{first:?}") };
        assert_eq!(opt.flag, Flag::FamilySwitch);
    }

    #[test]
    fn extensions_never_take_a_net_tools_prefix() {
        assert_eq!(events(&["--tr"]), ["--trim"]);
        assert_eq!(events(&["--no"]), ["--notrim"]);
        assert_eq!(events(&["--proc=/p"]), ["--proc-root=/p"]);
        assert!(events(&["--t"])[0].contains("'--tcpip' '--tcp' '--timers'\n"));
        assert!(events(&["--n"])[0].contains("'--netrom' '--numeric'"));
        assert!(events(&["--pr"])[0].ends_with("'--protocol' '--programs'\n"));
    }

    #[test]
    fn optional_argument_is_attached_only() {
        assert_eq!(events(&["--continuous=5"]), ["--continuous=5"]);
        assert_eq!(events(&["--conti=5"]), ["--continuous=5"]);
        assert_eq!(events(&["--continuous", "5"]), ["--continuous", "op:5"]);
        assert_eq!(
            events(&["-c5"]),
            ["Continuous", "err:netstat: invalid option -- '5'\n"]
        );
    }

    #[test]
    fn permutation_and_double_dash() {
        assert_eq!(events(&["foo", "-t", "bar"]), ["op:foo", "Tcp", "op:bar"]);
        assert_eq!(events(&["-n", "--", "-t"]), ["Numeric", "op:-t"]);
        assert_eq!(events(&["-", "-t"]), ["op:-", "Tcp"]);
        assert_eq!(events(&["--", "--"]), ["op:--"]);
    }

    #[test]
    fn posixly_correct_stops_at_the_first_operand() {
        assert_eq!(
            events_with(&["-t", "foo", "-Q"], true),
            ["Tcp", "op:foo", "op:-Q"]
        );
    }

    #[test]
    fn non_utf8_bytes_are_echoed_raw() {
        use std::os::unix::ffi::OsStringExt;
        let argv = vec![
            OsString::from_vec(b"-\xc3\xa9".to_vec()),
            OsString::from_vec(b"--\xff".to_vec()),
            OsString::from_vec(b"-A\xff".to_vec()),
        ];
        let got: Vec<Vec<u8>> = Getopt::new(SPEC, &argv, false)
            .map(|event| match event {
                Event::Error(error) => error.message(b"net\xffstat"),
                Event::Opt(opt) => opt.value.unwrap_or_default().to_vec(),
                Event::Operand(_) => panic!("no operand"),
            })
            .collect();
        assert_eq!(
            got,
            [
                b"net\xffstat: invalid option -- '\xc3'\n".to_vec(),
                b"net\xffstat: invalid option -- '\xa9'\n".to_vec(),
                b"net\xffstat: unrecognized option '--\xff'\n".to_vec(),
                b"\xff".to_vec(),
            ]
        );
    }
}
