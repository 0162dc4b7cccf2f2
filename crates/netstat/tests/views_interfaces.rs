//! Differential tests of the interface view: net-tools 2.10 and
//! netstat-rs run in the same private network namespace and their
//! stdout, stderr and exit status are compared byte for byte.
//!
//! The namespace holds lo, a veth `v0` (its peer in a second namespace
//! with IPv6 off) with an address, an alias label `v0:1` and IPv6
//! addresses, a tun device with a point-to-point peer, an interface with
//! MTU 16000, a down interface with an address, one with a 15-character
//! name and one with the promiscuous, all-multicast, dynamic and no-ARP
//! flags. IPv6 duplicate detection, router solicitations and router
//! advertisements are off before any link comes up, and the test waits
//! until `/proc/net/dev` stops changing, so counters hold still between
//! the two runs; nothing is normalised.
//!
//! Four kinds of comparison, named by the first word of a case:
//! * plain arguments: both read the live namespace;
//! * `frozen`, `frozen-long`, `frozen-ghost`: both read a hand-written
//!   `/proc/net/dev` on a private `/proc` (mount namespace, tmpfs), with
//!   64-bit counters around every unit boundary, then nonzero counters
//!   for the 15-character name (net-tools 2.10 shows zeros), then a
//!   device that does not exist (net-tools stops the table there);
//! * `saved`: ours reads a tree saved from the namespace through
//!   `--proc-root` (the layout README.md describes), net-tools the live
//!   namespace;
//! * `-I NAME` (a distribution extension 2.10 lacks): ours must print the
//!   title, the header and the name's row of net-tools' `-ia`.
//!
//! Cases listed in `compat/known-differences.txt` (second column
//! `ifaces: CASE`) may differ in their streams; a listed case that no
//! longer differs fails as stale. Needs root; otherwise it says why and
//! passes.

mod common;

use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use common::{Netns, Prerequisites, report};

/// net-tools.
const REFERENCE: &str = "/usr/bin/netstat";

/// What this suite needs.
const PREREQUISITES: Prerequisites = Prerequisites {
    root: "needs root (network and mount namespaces)",
    tools: &[REFERENCE, "/usr/bin/unshare", "/usr/bin/timeout"],
    tools_missing: "needs /usr/bin/netstat, unshare and timeout",
    commands: &[(&["ip", "-V"], "needs ip (iproute2)")],
};

/// The cases compared.
const CASES: &[&str] = &[
    "-i",
    "-ia",
    "-ie",
    "-iae",
    "-iee",
    "-in",
    "-ic",
    "-iac",
    "frozen -i",
    "frozen -ia",
    "frozen -iae",
    "frozen-long -ia",
    "frozen-long -iae",
    "frozen-ghost -ia",
    "frozen-ghost -iae",
    "saved -i",
    "saved -ia",
    "saved -ie",
    "saved -iae",
];

/// The 15-character name.
const LONG_NAME: &str = "ifaces-15-chars";

/// A device `frozen-ghost` lists that does not exist.
const GHOST: &str = "nsrs-ghost0";

/// The namespaces (no `/etc/netns` files) and scratch directory of one
/// run, removed on drop (also when a check panics).
struct Setup {
    ns: Netns,
    peer: Netns,
    dir: PathBuf,
}

impl Drop for Setup {
    fn drop(&mut self) {
        // The namespaces go when their fields drop, after this.
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Setup {
    /// Creates both namespaces, then the scratch directory.
    fn create() -> Setup {
        let pid = std::process::id();
        let add = |name: String| {
            Netns::add(&name).unwrap_or_else(|e| {
                panic!("views-interfaces: setup: {e}");
            })
        };
        let setup = Setup {
            ns: add(format!("nsrs-ifaces-{pid}")),
            peer: add(format!("nsrs-ifaces-{pid}-peer")),
            dir: std::env::temp_dir().join(format!("nsrs-ifaces-{pid}")),
        };
        std::fs::create_dir_all(&setup.dir).expect("scratch directory");
        setup
    }

    /// `ip netns exec NS` + `args`, which must succeed.
    fn exec(&self, args: &[&str]) {
        run_ok(self.ns.exec().args(args), args);
    }

    /// `ip netns exec PEER` + `args`, which must succeed.
    fn exec_peer(&self, args: &[&str]) {
        run_ok(self.peer.exec().args(args), args);
    }

    /// Builds the interfaces and waits for the counters to settle.
    fn populate(&self) {
        // Quiet IPv6 first: no DAD, no solicitations, no advertisements;
        // the peer has no IPv6 at all.
        for scope in ["all", "default"] {
            for (key, value) in [
                ("accept_ra", "0"),
                ("dad_transmits", "0"),
                ("router_solicitations", "0"),
            ] {
                let setting = format!("net.ipv6.conf.{scope}.{key}={value}");
                self.exec(&["sysctl", "-qw", &setting]);
            }
            let off = format!("net.ipv6.conf.{scope}.disable_ipv6=1");
            self.exec_peer(&["sysctl", "-qw", &off]);
        }
        self.links();
        self.addresses();
        self.wait_for_quiet();
    }

    /// The devices and their state.
    fn links(&self) {
        self.exec(&["ip", "link", "set", "lo", "up"]);
        self.exec(&["ip", "link", "add", "v0", "type", "veth", "peer", "v0p"]);
        self.exec(&["ip", "link", "set", "v0p", "netns", &self.peer.name]);
        self.exec_peer(&["ip", "link", "set", "v0p", "up"]);
        self.exec(&["ip", "tuntap", "add", "mode", "tun", "name", "tun0"]);
        for name in ["bigmtu", "downif", LONG_NAME, "flagged0"] {
            self.add_virtual(name);
        }
        self.exec(&["ip", "link", "set", "bigmtu", "mtu", "16000"]);
        self.exec(&[
            "ip",
            "link",
            "set",
            "flagged0",
            "promisc",
            "on",
            "allmulticast",
            "on",
            "dynamic",
            "on",
            "arp",
            "off",
        ]);
        for name in ["v0", "tun0", "bigmtu", LONG_NAME, "flagged0"] {
            self.exec(&["ip", "link", "set", name, "up"]);
        }
    }

    /// A device with no traffic of its own: ifb, or dummy without ifb.
    fn add_virtual(&self, name: &str) {
        for kind in ["ifb", "dummy"] {
            let status = self
                .ns
                .exec()
                .args(["ip", "link", "add", name, "type", kind])
                .status();
            if status.is_ok_and(|s| s.success()) {
                return;
            }
        }
        panic!("views-interfaces: setup: cannot add {name} (ifb or dummy)");
    }

    /// IPv4 addresses, the alias label and IPv6 addresses.
    fn addresses(&self) {
        let add = |args: &[&str]| {
            let mut all = vec!["ip", "addr", "add"];
            all.extend_from_slice(args);
            self.exec(&all);
        };
        add(&["192.0.2.2/24", "brd", "192.0.2.255", "dev", "v0"]);
        add(&["192.0.2.3/24", "dev", "v0", "label", "v0:1"]);
        add(&["10.9.9.1", "peer", "10.9.9.2", "dev", "tun0"]);
        add(&["198.51.100.1/24", "dev", "downif"]);
        add(&["fd00::2/64", "dev", "v0"]);
        add(&["2001:db8::1/64", "dev", "tun0"]);
        add(&["fec0::5/64", "dev", "bigmtu"]);
        add(&["::192.0.2.9/128", "dev", "lo"]);
    }

    /// Waits until `/proc/net/dev` reads the same twice, 1.5 s apart.
    fn wait_for_quiet(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut last = self.dev();
        while Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1500));
            let now = self.dev();
            if now == last {
                return;
            }
            last = now;
        }
        panic!("views-interfaces: setup: counters keep moving");
    }

    /// The namespace's `/proc/net/dev`.
    fn dev(&self) -> Vec<u8> {
        let cat = self.ns.exec().args(["cat", "/proc/net/dev"]).output();
        cat.expect("cat").stdout
    }
}

/// Runs a command that must succeed; `args` names it in a failure.
fn run_ok(command: &mut Command, args: &[&str]) {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("views-interfaces: {args:?}: {e}"));
    assert!(
        output.status.success(),
        "views-interfaces: setup: {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

// ------------------------------------------------------------- fixtures

/// A `/proc/net/dev` line in the kernel's layout.
fn dev_line(name: &str, counters: [u64; 16]) -> String {
    let values: Vec<String> = counters.iter().map(u64::to_string).collect();
    format!("{name:>6}:{}\n", values.join(" "))
}

/// The hand-written `/proc/net/dev` of a `frozen` scenario.
fn frozen_dev(scenario: &str) -> String {
    let mut text = String::from(
        "Inter-|   Receive                                                \
|  Transmit\n face |bytes    packets errs drop fifo frame compressed \
multicast|bytes    packets errs drop fifo colls carrier compressed\n",
    );
    let mut distinct: [u64; 16] = std::array::from_fn(|i| i as u64 + 1);
    distinct[0] = 1024;
    distinct[8] = 1025;
    text += &dev_line("lo", distinct);
    let units = [
        ("v0", (1 << 20) + 1, 1 << 30),
        ("tun0", (1 << 40) + 1, 1 << 50),
        ("bigmtu", (1 << 60) - 1, (1 << 60) + 1),
        ("downif", 1_268_213_655_067_531_667, u64::MAX),
        ("flagged0", 922_337_203_685_477_581, i64::MAX as u64),
    ];
    for (name, rx, tx) in units {
        let mut counters = [0; 16];
        (counters[0], counters[1], counters[8], counters[9]) =
            (rx, u64::MAX, tx, 4_294_967_296);
        text += &dev_line(name, counters);
    }
    let long = if scenario == "frozen-long" { 7 } else { 0 };
    text += &dev_line(LONG_NAME, [long; 16]);
    if scenario == "frozen-ghost" {
        text += &dev_line(GHOST, [1; 16]);
    }
    text
}

/// Writes the `frozen` scenarios' files; returns their directory.
fn write_frozen(setup: &Setup) -> PathBuf {
    let dir = setup.dir.join("frozen");
    std::fs::create_dir_all(&dir).expect("frozen directory");
    for scenario in ["frozen", "frozen-long", "frozen-ghost"] {
        std::fs::write(dir.join(scenario), frozen_dev(scenario)).expect("dev");
    }
    let cat = setup.ns.exec().args(["cat", "/proc/net/if_inet6"]).output();
    let if_inet6 = cat.expect("cat");
    std::fs::write(dir.join("if_inet6"), if_inet6.stdout).expect("if_inet6");
    dir
}

/// Saves the namespace as README.md's "Reading a saved /proc tree"
/// describes; returns the saved `proc` directory.
fn write_saved(setup: &Setup) -> PathBuf {
    let bundle = setup.dir.join("bundle");
    let script = format!(
        "set -e; b='{}'; mkdir -p \"$b/proc/net\"; \
         cp /proc/net/dev /proc/net/if_inet6 \"$b/proc/net/\"; \
         for d in /sys/class/net/*/; do n=$(basename \"$d\"); \
         mkdir -p \"$b/sys/class/net/$n\"; \
         for f in flags operstate mtu type address tx_queue_len; do \
         cp \"$d$f\" \"$b/sys/class/net/$n/\"; done; done; \
         ip -o address show > \"$b/ip-address\"",
        bundle.display()
    );
    setup.exec(&["sh", "-c", &script]);
    bundle.join("proc")
}

// ---------------------------------------------------------------- runs

/// Where the two programs read from in one case.
struct Sources {
    frozen: PathBuf,
    saved: PathBuf,
}

/// Runs one program for a case.
fn run_case(
    setup: &Setup,
    sources: &Sources,
    case: &str,
    ours: bool,
) -> Output {
    let words: Vec<&str> = case.split(' ').collect();
    let (scenario, args) = match words[0].starts_with('-') {
        true => ("live", &words[..]),
        false => (words[0], &words[1..]),
    };
    let program = match ours {
        true => env!("CARGO_BIN_EXE_netstat"),
        false => REFERENCE,
    };
    let mut command = setup.ns.exec();
    command.env("LC_ALL", "C");
    if args.iter().any(|a| a.contains('c')) {
        command.args(["timeout", "2.5"]);
    }
    if scenario.starts_with("frozen") {
        let script = format!(
            "mount -t tmpfs none /proc && mkdir /proc/net && \
             cp '{dir}/{scenario}' /proc/net/dev && \
             cp '{dir}/if_inet6' /proc/net/if_inet6 && exec \"$@\"",
            dir = sources.frozen.display()
        );
        command.args(["unshare", "-m", "sh", "-c", &script, "sh"]);
    }
    command.arg(program);
    if scenario == "saved" && ours {
        command.arg("--proc-root").arg(&sources.saved);
    }
    command.args(args).output().expect("run a netstat")
}

/// The first two rounds of a `-c` run: everything before the third
/// table header (or, for the long form, the third `lo:` block).
fn two_rounds(stdout: &[u8]) -> Option<Vec<u8>> {
    let text = String::from_utf8_lossy(stdout);
    let marker = if text.contains("\nIface ") { "\nIface " } else { "\nlo: " };
    let third = text.match_indices(marker).nth(2)?.0;
    Some(stdout[..=third].to_vec())
}

/// The outcome of one comparison.
enum Verdict {
    Identical,
    Known,
    Failing(String),
}

/// Compares the two programs on one case.
fn compare(
    setup: &Setup,
    sources: &Sources,
    case: &str,
    known: &[String],
) -> Verdict {
    let theirs = run_case(setup, sources, case, false);
    let ours = run_case(setup, sources, case, true);
    let continuous =
        case.split(' ').any(|w| w.starts_with('-') && w.contains('c'));

    // Streams; for -c only two complete rounds.
    let (a, b) = match continuous {
        true => match (two_rounds(&theirs.stdout), two_rounds(&ours.stdout)) {
            (Some(a), Some(b)) => (a, b),
            _ => return Verdict::Failing("fewer than three rounds".into()),
        },
        false => (theirs.stdout.clone(), ours.stdout.clone()),
    };
    let same_streams = a == b && theirs.stderr == ours.stderr;
    let same_status = theirs.status.code() == ours.status.code();
    let listed = known.iter().any(|k| k == case);
    if !same_streams || !same_status {
        show_difference(case, &theirs, &ours, (&a, &b));
    }
    match (same_streams && same_status, listed) {
        (true, false) => Verdict::Identical,
        (true, true) => Verdict::Failing("stale known difference".into()),
        (false, true) if same_status => Verdict::Known,
        (false, _) => Verdict::Failing("differs".into()),
    }
}

/// Prints the lines only one side has, per stream.
fn show_difference(
    case: &str,
    theirs: &Output,
    ours: &Output,
    out: (&[u8], &[u8]),
) {
    report!("--- net-tools / +++ netstat-rs: {case}");
    let pairs = [
        ("stdout", out.0, out.1),
        ("stderr", &theirs.stderr[..], &ours.stderr[..]),
    ];
    for (stream, a, b) in pairs {
        let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
        let (a, b): (Vec<&str>, Vec<&str>) =
            (a.lines().collect(), b.lines().collect());
        for line in a.iter().filter(|line| !b.contains(line)) {
            report!("{stream} -{line}");
        }
        for line in b.iter().filter(|line| !a.contains(line)) {
            report!("{stream} +{line}");
        }
    }
    report!("status {:?} vs {:?}", theirs.status.code(), ours.status.code());
}

/// The cases `compat/known-differences.txt` lists for this suite.
fn known_differences() -> Vec<String> {
    common::known_invocations("ifaces")
}

// --------------------------------------------------------------- -I

/// `-I NAME` prints the title, the header and the name's row of `-ia`;
/// an unknown name is an error. Returns the failures.
fn interface_option(setup: &Setup, sources: &Sources) -> Vec<String> {
    let ours = |args: &[&str]| {
        setup
            .ns
            .exec()
            .arg(env!("CARGO_BIN_EXE_netstat"))
            .args(args)
            .output()
            .expect("run netstat-rs")
    };

    // A name's output is its row of net-tools' -ia, up or down.
    let table = run_case(setup, sources, "-ia", false).stdout;
    let table = String::from_utf8_lossy(&table);
    let mut failures = Vec::new();
    for name in ["v0:1", "downif", LONG_NAME] {
        let row = table.lines().find(|l| l.split(' ').next() == Some(name));
        let expected = format!(
            "Kernel Interface table\n{}\n{}\n",
            table.lines().nth(1).unwrap_or_default(),
            row.unwrap_or("(missing)")
        );
        let got = ours(&["-I", name]);
        if got.stdout != expected.as_bytes() || !got.status.success() {
            failures.push(format!("-I {name}"));
        }
    }

    // A name that does not exist is an error.
    let missing = ours(&["--interfaces=nsrs-none0"]);
    let message = "nsrs-none0: error fetching interface information: \
                   Device not found\n";
    if missing.stderr != message.as_bytes() || missing.status.code() != Some(1)
    {
        failures.push("--interfaces=nsrs-none0".to_string());
    }
    failures
}

#[test]
fn interface_views_match_net_tools() {
    if let Some(reason) = PREREQUISITES.missing() {
        report!("views-interfaces: skipped: {reason}");
        return;
    }
    let setup = Setup::create();
    setup.populate();
    let sources =
        Sources { frozen: write_frozen(&setup), saved: write_saved(&setup) };
    let known = known_differences();

    // Every case, then the -I checks.
    let (mut identical, mut expected, mut failing) = (0, 0, Vec::new());
    for &case in CASES {
        match compare(&setup, &sources, case, &known) {
            Verdict::Identical => identical += 1,
            Verdict::Known => expected += 1,
            Verdict::Failing(why) => failing.push(format!("{case}: {why}")),
        }
    }
    let failures = interface_option(&setup, &sources);
    identical += 4 - failures.len();
    failing.extend(failures);
    for listed in &known {
        if !CASES.contains(&listed.as_str()) {
            failing.push(format!("{listed}: listed but not a case"));
        }
    }
    report!(
        "views-interfaces: {identical} identical, {expected} known \
         differences, {} failing",
        failing.len()
    );
    assert!(failing.is_empty(), "failing: {failing:#?}");
}
