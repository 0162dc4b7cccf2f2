//! Differential tests of the routing (`-r`) and multicast group (`-g`)
//! views: net-tools 2.10 (`/usr/bin/netstat`) and ours run back to back
//! and must agree byte for byte on stdout, stderr and exit status, unless
//! `compat/known-differences.txt` lists the invocation (as
//! `views: [SETTING] ARGS`, e.g. `views: -g4`) with a reason.
//!
//! Three settings are compared, all inside a private network namespace
//! made here (`nsrs-routes-<pid>`), whose resolver fails at once and whose
//! hosts and networks files name a few of its addresses:
//! * live: veth pairs (one with a 15-character name), addresses, a
//!   default route, a gateway route with a metric, a host route,
//!   unreachable, prohibit and blackhole routes, a route with MSS, window
//!   and RTT metrics, IPv6 routes of each kind, and multicast joins held
//!   by a python3 process (`IP_ADD_MEMBERSHIP`, `IPV6_JOIN_GROUP`);
//! * `crafted-proc`: hand-written tables (every flag bit, numbers past 32
//!   bits, route cache rows of old kernels, long names) that net-tools
//!   reads from a tmpfs mounted on `/proc` in a private mount namespace
//!   and we read through `--proc-root`;
//! * `empty-proc`: a `/proc` whose `net` directory is empty, for both.
//!
//! `-c` runs under a 2.5 s timeout; the first two listings are compared.
//! Needs root; otherwise it says why and passes. Everything it creates
//! (namespace, `/etc/netns` files, the python3 process) is removed when
//! the guard drops, also on panic.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};

use common::{Netns, Prerequisites, report};

/// Invocations on the live namespace.
const LIVE: &[&str] = &[
    "-r",
    "-rn",
    "-re",
    "-ree",
    "-reee",
    "-rN",
    "-rNe",
    "-r6",
    "-r -A inet6",
    "-rn6",
    "-rN6",
    "-rC",
    "-rF",
    "-rnCF",
    "-rnC6",
    "-rCF6",
    "-rv",
    "-r -A inet,inet6",
    "-rn -A inet6,inet",
    "-rn --inet6 --inet",
    "-rn -A inet,inet",
    "-r -A inet,unix",
    "-rn -A inet6,rose",
    "--route --numeric-hosts",
    "-g",
    "-gn",
    "-g4",
    "-g6",
    "-gn4",
    "-gn6",
    "-g -A inet",
    "-g --numeric-hosts",
    "-gN",
    "-gt",
];

/// Invocations on the hand-written tables.
const CRAFTED: &[&str] = &[
    "-r", "-rn", "-ren", "-rnee", "-r6", "-rn6", "-rnC", "-rnCe", "-rnCee",
    "-rC", "-rCee", "-rnC6", "-rnCF6", "-g", "-gn", "-g6",
];

/// Invocations on a `/proc` without network tables.
const EMPTY: &[&str] =
    &["-r", "-r6", "-rC", "-rC6", "-rnCF", "-r -A inet6,inet", "-g", "-gn"];

/// Invocations that repeat (`-c`), on the live namespace.
const CONTINUOUS: &[&str] = &["-rnc", "-gnc"];

/// What this suite needs.
const PREREQUISITES: Prerequisites = Prerequisites {
    root: "needs root (network and mount namespaces)",
    tools: &["/usr/bin/netstat", "/usr/bin/unshare", "/usr/bin/timeout"],
    tools_missing: "needs /usr/bin/netstat, unshare and timeout",
    commands: &[(
        &["python3", "-c", "pass"],
        "needs python3 for the multicast joins",
    )],
};

/// Names for some of the namespace's (and the crafted tables') addresses.
const HOSTS: &str = "127.0.0.1 localhost
::1 ip6-localhost
192.0.2.1 gw-one
10.30.0.5 hostfive
fd00::1 gw6
10.96.0.1 unreach-host-with-long-name
198.51.100.7 gateway-with-a-very-long-name.example
fd00:: fdnet
2001:db8:aaaa:bbbb:: anet6-with-a-very-very-long-name-here.example
239.1.2.3 group-one-with-a-long-name.example
ff15::1234 group6
224.0.0.1 all-systems.mcast.net
";

/// Network names, some longer than the 15-column destination field and
/// some written with fewer than four parts.
const NETWORKS: &str = "loopback 127.0.0.0
link-local 169.254.0.0
twenty 10.20.0.0
net40 10.40.0.0
netwithaverylongname 10.50
shorty 10.60.0
";

/// The namespace's links, addresses and routes, as `ip` arguments.
const SETUP: &[&str] = &[
    "link set lo up",
    "link add v0 type veth peer name v1",
    "link add averylongifnam0 type veth peer name alongpeer1",
    "link add d0 type veth peer name d1",
    "link set v0 up",
    "link set v1 up",
    "link set averylongifnam0 up",
    "link set alongpeer1 up",
    "link set d0 up",
    "link set d1 up",
    "addr add 192.0.2.2/24 dev v0",
    "addr add 10.40.0.1/16 dev averylongifnam0",
    "addr add 198.51.100.1/24 dev d0",
    "-6 addr add fd00::2/64 dev v0 nodad",
    "route add default via 192.0.2.1",
    "route add 10.20.0.0/16 via 192.0.2.1 metric 5",
    "route add 10.30.0.5 dev v0",
    "route add unreachable 10.99.0.0/16",
    "route add prohibit 10.98.0.0/16",
    "route add blackhole 10.97.0.0/16",
    "route add unreachable 10.96.0.1",
    "route add 10.50.0.0/16 dev d0 advmss 1400 window 65535 rtt 300ms",
    "route add 10.60.0.0/16 via 198.51.100.7",
    "route add 127.0.0.0/8 dev lo",
    "route add 169.254.0.0/16 dev d0",
    "-6 route add default via fd00::1",
    "-6 route add 2001:db8:aaaa:bbbb::/64 via fd00::1 metric 300",
    "-6 route add unreachable 2001:db8:dead::/48",
    "-6 route add 2001:db8:1::5/128 dev v0",
];

/// Kernel settings applied first, so that no IPv6 link-local address,
/// duplicate address detection or router solicitation changes the tables
/// while the two tools run.
const SYSCTLS: &[&str] = &[
    "net.ipv6.conf.default.addr_gen_mode=1",
    "net.ipv6.conf.default.accept_dad=0",
    "net.ipv6.conf.default.router_solicitations=0",
];

/// Joins multicast groups, says "ready", and holds them until stdin
/// closes.
const JOINER: &str = "
import socket, struct, sys
held = []
def v4(group, local):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    request = socket.inet_aton(group) + socket.inet_aton(local)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, request)
    held.append(s)
def v6(group, link):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    index = struct.pack('@I', socket.if_nametoindex(link))
    request = socket.inet_pton(socket.AF_INET6, group) + index
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, request)
    held.append(s)
v4('239.1.2.3', '127.0.0.1')
v4('224.0.0.251', '192.0.2.2')
v4('224.0.0.251', '192.0.2.2')
v4('239.255.255.250', '10.40.0.1')
v6('ff15::1234', 'v0')
v6('ff02::fb', 'averylongifnam0')
print('ready', flush=True)
sys.stdin.read()
";

/// Where an invocation runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Setting {
    /// The live namespace.
    Live,
    /// The crafted tables.
    Crafted,
    /// A `/proc` with an empty `net` directory.
    Empty,
    /// The live namespace under `timeout`, two listings compared.
    Continuous,
}

impl Setting {
    /// The modifier word of the invocation line, if any.
    fn modifier(self) -> &'static str {
        match self {
            Setting::Live | Setting::Continuous => "",
            Setting::Crafted => "crafted-proc ",
            Setting::Empty => "empty-proc ",
        }
    }
}

/// The network namespace, its `/etc/netns` files and the joiner process;
/// all removed on drop, the joiner first.
struct Namespace {
    netns: Netns,
    joiner: Option<Joiner>,
}

/// The python3 process holding the memberships.
struct Joiner {
    child: Child,
    stdin: Option<ChildStdin>,
}

impl Namespace {
    /// Creates and populates the namespace.
    fn create() -> Result<Namespace, String> {
        let name = format!("nsrs-routes-{}", std::process::id());
        let files = [
            ("resolv.conf", common::LOCAL_RESOLV_CONF),
            ("hosts", HOSTS),
            ("networks", NETWORKS),
        ];
        let netns = Netns::with_files(&name, &files)?;
        let mut namespace = Namespace { netns, joiner: None };

        // Its kernel settings, links and routes.
        for sysctl in SYSCTLS {
            namespace.exec(&["sysctl", "-qw", sysctl])?;
        }
        for line in SETUP {
            let mut args = vec!["-n", namespace.netns.name.as_str()];
            args.extend(line.split(' '));
            namespace.ip(&args)?;
        }
        namespace.joiner = Some(Joiner::start(&namespace.netns)?);

        // Let the IGMP and MLD reports of the joins go out.
        std::thread::sleep(std::time::Duration::from_millis(1500));
        Ok(namespace)
    }

    /// Runs `ip ARGS`, failing on a non-zero status.
    fn ip(&self, args: &[&str]) -> Result<(), String> {
        checked(Command::new("ip").args(args), &args.join(" "))
    }

    /// Runs a command inside the namespace, failing on a non-zero status.
    fn exec(&self, args: &[&str]) -> Result<(), String> {
        checked(self.netns.exec().args(args), &args.join(" "))
    }
}

impl Drop for Namespace {
    fn drop(&mut self) {
        // The joiner runs inside the namespace: end it before `netns`
        // drops and deletes the namespace and its files.
        drop(self.joiner.take());
    }
}

impl Joiner {
    /// Starts the joiner in the namespace and waits for "ready".
    fn start(namespace: &Netns) -> Result<Joiner, String> {
        let child = namespace
            .exec()
            .args(["python3", "-c", JOINER])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("python3: {e}"))?;
        let mut joiner = Joiner { child, stdin: None };
        joiner.stdin = joiner.child.stdin.take();
        let stdout = joiner.child.stdout.take().ok_or("no joiner stdout")?;
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
        if line.trim() != "ready" {
            return Err(format!("joiner said {line:?}"));
        }
        Ok(joiner)
    }
}

impl Drop for Joiner {
    fn drop(&mut self) {
        // Closing stdin ends the joiner; kill it (by its pid) if not.
        drop(self.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs a command, turning failure into a message.
fn checked(command: &mut Command, what: &str) -> Result<(), String> {
    let output = command.output().map_err(|e| format!("{what}: {e}"))?;
    if output.status.success() {
        return Ok(());
    }
    Err(format!("{what}: {}", String::from_utf8_lossy(&output.stderr)))
}

/// The crafted tables.
fn crafted() -> PathBuf {
    common::repo_root().join("tests/fixtures/proc-routes-crafted")
}

/// Runs `program ARGS` the way `setting` says, inside the namespace.
fn run(
    namespace: &Namespace,
    setting: Setting,
    ours: bool,
    args: &[&str],
) -> Output {
    let program =
        if ours { env!("CARGO_BIN_EXE_netstat") } else { "/usr/bin/netstat" };
    let mut command = namespace.netns.exec();
    command.env("LC_ALL", "C");
    match setting {
        Setting::Live => command.arg(program),
        Setting::Continuous => command.args(["timeout", "2.5", program]),
        Setting::Crafted if ours => {
            command.arg(program).arg("--proc-root").arg(crafted())
        }
        Setting::Crafted => {
            private_proc(&mut command, Some(&crafted()), program)
        }
        Setting::Empty => private_proc(&mut command, None, program),
    };
    command.args(args).output().expect("run netstat")
}

/// Runs `program` with a tmpfs on `/proc` holding `tables/net` (or an
/// empty `net`), in a private mount namespace.
fn private_proc<'a>(
    command: &'a mut Command,
    tables: Option<&Path>,
    program: &str,
) -> &'a mut Command {
    let fill = match tables {
        Some(dir) => format!("cp -r '{}/net' /proc/", dir.display()),
        None => String::from("mkdir /proc/net"),
    };
    let script = format!("mount -t tmpfs none /proc && {fill} && exec \"$@\"");
    command.args(["unshare", "-m", "sh", "-c", &script, "sh", program])
}

/// The first two listings of a `-c` run: everything before the third
/// occurrence of its first line.
fn two_listings(stdout: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(stdout);
    let Some(title) = text.lines().next() else { return Vec::new() };
    let mut seen = 0;
    let mut end = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_end_matches('\n') == title {
            seen += 1;
            if seen == 3 {
                break;
            }
        }
        end += line.len();
    }
    text.as_bytes()[..end].to_vec()
}

/// The invocation lines `compat/known-differences.txt` lists for this
/// suite (`views: ` prefix; a `netstat` word after it is allowed).
fn known_differences() -> Vec<String> {
    let entries = common::known_entries("views").into_iter();
    entries.map(|entry| entry.invocation.replacen("netstat ", "", 1)).collect()
}

/// One invocation's outcome.
#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    Identical,
    Known,
    Failing(&'static str),
}

/// Compares one invocation, retrying once: live kernel counters (route
/// reference counts) may move between the two runs.
fn compare(
    namespace: &Namespace,
    setting: Setting,
    args: &str,
    listed: bool,
) -> Verdict {
    let words: Vec<&str> = args.split(' ').collect();
    let mut verdict = Verdict::Failing("not run");
    for _ in 0..2 {
        let mut theirs = run(namespace, setting, false, &words);
        let mut ours = run(namespace, setting, true, &words);
        if setting == Setting::Continuous {
            theirs.stdout = two_listings(&theirs.stdout);
            ours.stdout = two_listings(&ours.stdout);
        }
        let same_out = theirs.stdout == ours.stdout;
        let same_rest =
            theirs.stderr == ours.stderr && theirs.status == ours.status;
        verdict = match (same_out && same_rest, listed) {
            (true, false) => Verdict::Identical,
            (true, true) => Verdict::Failing("stale known difference"),
            (false, true) if theirs.status == ours.status => Verdict::Known,
            _ => Verdict::Failing("differs"),
        };
        if verdict != Verdict::Failing("differs") {
            return verdict;
        }
        show_difference(args, &theirs, &ours);
    }
    verdict
}

/// Prints the lines that differ.
fn show_difference(args: &str, theirs: &Output, ours: &Output) {
    report!("--- net-tools / +++ netstat-rs, {args}");
    for (name, a, b) in [
        ("stdout", &theirs.stdout, &ours.stdout),
        ("stderr", &theirs.stderr, &ours.stderr),
    ] {
        let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
        let (a, b): (Vec<&str>, Vec<&str>) =
            (a.lines().collect(), b.lines().collect());
        for index in 0..a.len().max(b.len()) {
            let (x, y) = (a.get(index), b.get(index));
            if x != y {
                report!("{name} {index}: -{x:?}\n{name} {index}: +{y:?}");
            }
        }
    }
    if theirs.status != ours.status {
        report!("status: {} vs {}", theirs.status, ours.status);
    }
}

#[test]
fn routes_and_groups_match_net_tools() {
    if let Some(reason) = PREREQUISITES.missing() {
        report!("views-routes: skipped: {reason}");
        return;
    }
    let namespace =
        Namespace::create().unwrap_or_else(|e| panic!("setup: {e}"));
    let known = known_differences();
    let suites = [
        (Setting::Live, LIVE),
        (Setting::Crafted, CRAFTED),
        (Setting::Empty, EMPTY),
        (Setting::Continuous, CONTINUOUS),
    ];

    // Compare every invocation of every setting.
    let (mut identical, mut expected, mut failing) = (0, 0, Vec::new());
    let mut ran = Vec::new();
    for (setting, invocations) in suites {
        for &args in invocations {
            let line = format!("{}{args}", setting.modifier());
            let listed = known.contains(&line);
            let verdict = compare(&namespace, setting, args, listed);
            report!("views-routes {line}: {verdict:?}");
            match verdict {
                Verdict::Identical => identical += 1,
                Verdict::Known => expected += 1,
                Verdict::Failing(_) => failing.push(line.clone()),
            }
            ran.push(line);
        }
    }

    // Entries for invocations this suite does not run are mistakes.
    for line in known.iter().filter(|line| !ran.contains(line)) {
        report!("views-routes {line}: listed but not an invocation");
        failing.push(line.clone());
    }
    report!(
        "views-routes: {identical} identical, {expected} known differences, \
         {} failing",
        failing.len()
    );
    assert!(failing.is_empty(), "failing: {failing:?}");
}
