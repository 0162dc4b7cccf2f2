//! Differential tests of the statistics view (`-s` and its selections):
//! net-tools 2.10 and netstat-rs read the same frozen statistics files,
//! so no counter moves between the two runs, and must agree byte for byte
//! on stdout, stderr and exit status, unless `compat/known-differences.txt`
//! lists the run (as `stats: TREE ARGS`) with a reason.
//!
//! The trees are under `tests/fixtures/stats/` (made by its
//! `generate.py`): every counter non-zero, every counter zero, this
//! project's build host as captured, counters and sections no net-tools
//! table knows (with 64-bit values and counters of older kernels), two
//! shuffled layouts, malformed files, missing files and directories where
//! files belong. net-tools always reads `/proc/net`, so it runs inside
//! `unshare -m` with a private tmpfs on `/proc` holding the tree; ours
//! reads the tree through `--proc-root`, and the tree's path in our
//! messages is written back as `/proc` before comparing.
//!
//! A second test needs no root and no net-tools: it compares ours with
//! the net-tools output `generate.py` recorded in `observed/`.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Prerequisites, report};

/// The fixture trees compared.
const TREES: &[&str] = &[
    "nonzero",
    "zero",
    "live-6.18",
    "extra",
    "shuffled-1",
    "shuffled-2",
    "malformed",
    "missing-snmp",
    "missing-snmp6",
    "directories",
];

/// The invocations compared on every tree (also recorded by
/// `generate.py`).
const INVOCATIONS: &[&str] = &[
    "-s",
    "-st",
    "-su",
    "-sw",
    "-sU",
    "-sS",
    "-s6",
    "-s6t",
    "-s6u",
    "-s -A inet6",
    "-s -A unix",
];

/// Further invocations compared live only: -c is ignored, selections
/// combine, the spellings of the IPv4 and IPv6 families.
const MORE: &[&str] = &[
    "-sc",
    "-stu",
    "-s -t -w",
    "-s6w",
    "-s --inet",
    "-s --inet6",
    "-s -A inet",
    "-s -4",
    "-s -4 -6",
    "-s -A inet,inet6",
    "-s -x",
    "--statistics --tcp",
];

/// What the live comparison needs.
const PREREQUISITES: Prerequisites = Prerequisites {
    root: "needs root (a mount namespace with a tmpfs on /proc)",
    tools: &["/usr/bin/netstat", "/usr/bin/unshare"],
    tools_missing: "needs /usr/bin/netstat and /usr/bin/unshare",
    commands: &[],
};

/// How long one run may take.
const DEADLINE: Duration = Duration::from_secs(20);

/// What one run produced.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Outcome {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    status: i32,
}

/// `tests/fixtures/stats`, absolute.
fn fixtures() -> PathBuf {
    let path = common::repo_root().join("tests/fixtures/stats");
    path.canonicalize().unwrap_or(path)
}

/// Runs a command with a deadline, killing it (by its own pid) if late.
fn run(command: &mut Command) -> Outcome {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env_clear()
        .env("LC_ALL", "C")
        .env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
        .spawn()
        .expect("start a netstat");

    // Poll until it ends or the deadline passes.
    let start = Instant::now();
    while child.try_wait().ok().flatten().is_none() {
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let output = child.wait_with_output().expect("collect a netstat");
    Outcome {
        stdout: output.stdout,
        stderr: output.stderr,
        status: output.status.code().unwrap_or(-1),
    }
}

/// net-tools on a private `/proc` holding the tree.
fn run_reference(tree: &Path, args: &str) -> Outcome {
    let script = "mount -t tmpfs none /proc && cp -r \"$0\"/. /proc/ && \
                  exec /usr/bin/netstat \"$@\"";
    let mut command = Command::new("unshare");
    command.args(["-m", "sh", "-c", script]).arg(tree);
    run(command.args(args.split_whitespace()))
}

/// Ours on the tree, with the tree's path in messages shown as `/proc`.
fn run_ours(tree: &Path, args: &str) -> Outcome {
    let mut command = Command::new(env!("CARGO_BIN_EXE_netstat"));
    command.arg("--proc-root").arg(tree);
    let mut outcome = run(command.args(args.split_whitespace()));
    let text = String::from_utf8_lossy(&outcome.stderr);
    let prefix = format!("{}/", tree.display());
    outcome.stderr = text.replace(&prefix, "/proc/").into_bytes();
    outcome
}

/// The runs `compat/known-differences.txt` lists for this suite, as
/// `TREE ARGS`.
fn known_differences() -> BTreeSet<String> {
    common::known_invocations("stats")
}

/// The name a run has in the known-differences list.
fn run_name(tree: &str, args: &str) -> String {
    format!("{tree} {args}")
}

/// Counts of a suite, and the runs that failed.
#[derive(Default)]
struct Tally {
    identical: usize,
    known: usize,
    failing: Vec<String>,
}

impl Tally {
    /// Records one comparison against the known list.
    fn record(
        &mut self,
        name: String,
        known: &BTreeSet<String>,
        theirs: &Outcome,
        ours: &Outcome,
    ) {
        let same = theirs == ours;
        let listed = known.contains(&name);
        let verdict = match (same, listed) {
            (true, false) => {
                self.identical += 1;
                "identical"
            }
            (false, true) if theirs.status == ours.status => {
                self.known += 1;
                show_difference(theirs, ours);
                "known difference"
            }
            (true, true) => "FAILING (stale known difference)",
            (false, _) => {
                show_difference(theirs, ours);
                "FAILING"
            }
        };
        if verdict.starts_with("FAILING") {
            self.failing.push(name.clone());
        }
        report!("{name}: {verdict}");
    }

    /// Listed runs this suite never made are failures too.
    fn check_listed(&mut self, known: &BTreeSet<String>, made: &[String]) {
        for name in known.iter().filter(|name| !made.contains(name)) {
            report!("{name}: FAILING (listed but not a run of this suite)");
            self.failing.push(name.clone());
        }
    }

    /// The summary line, then the verdict.
    fn finish(&self, suite: &str) {
        report!(
            "{suite}: {} identical, {} known differences, {} failing",
            self.identical,
            self.known,
            self.failing.len()
        );
        assert!(self.failing.is_empty(), "failing: {:?}", self.failing);
    }
}

/// Prints the lines that differ.
fn show_difference(theirs: &Outcome, ours: &Outcome) {
    for (stream, a, b) in [
        ("stdout", &theirs.stdout, &ours.stdout),
        ("stderr", &theirs.stderr, &ours.stderr),
    ] {
        let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
        if a == b {
            continue;
        }
        report!("--- net-tools / +++ netstat-rs ({stream})");
        let (a, b): (Vec<_>, Vec<_>) =
            (a.lines().collect(), b.lines().collect());
        let first = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
        for line in a.iter().skip(first).take(6) {
            report!("-{line}");
        }
        for line in b.iter().skip(first).take(6) {
            report!("+{line}");
        }
    }
    if theirs.status != ours.status {
        report!("status {} vs {}", theirs.status, ours.status);
    }
}

#[test]
fn statistics_match_net_tools() {
    if let Some(reason) = PREREQUISITES.missing() {
        report!("views-stats: skipped: {reason}");
        return;
    }
    let known = known_differences();
    let mut tally = Tally::default();
    let mut made = Vec::new();

    // Every tree under every invocation, and the extra spellings on the
    // all-non-zero tree.
    let mut runs: Vec<(&str, &str)> = Vec::new();
    for &tree in TREES {
        runs.extend(INVOCATIONS.iter().map(|&args| (tree, args)));
    }
    runs.extend(MORE.iter().map(|&args| ("nonzero", args)));
    for (tree, args) in runs {
        let path = fixtures().join(tree);
        let theirs = run_reference(&path, args);
        let ours = run_ours(&path, args);
        made.push(run_name(tree, args));
        tally.record(run_name(tree, args), &known, &theirs, &ours);
    }
    tally.check_listed(&known, &made);
    tally.finish("views-stats");
}

/// One recorded run of `observed/TREE.txt`.
struct Recorded {
    args: String,
    outcome: Outcome,
}

/// Parses `observed/TREE.txt` (see `record` in `generate.py`).
fn recorded(tree: &str) -> Vec<Recorded> {
    let path = fixtures().join("observed").join(format!("{tree}.txt"));
    let text = std::fs::read(&path).expect("read an observation file");
    let mut rest = &text[..];
    let mut runs = Vec::new();
    while !rest.is_empty() {
        let args = header(&mut rest, "### netstat ");
        let status = header(&mut rest, "### exit ").parse().unwrap_or(-1);
        let stdout = block(&mut rest, "### stdout ");
        let stderr = block(&mut rest, "### stderr ");
        runs.push(Recorded {
            args,
            outcome: Outcome { stdout, stderr, status },
        });
    }
    runs
}

/// Takes a `PREFIX value` line off the front of `rest`.
fn header(rest: &mut &[u8], prefix: &str) -> String {
    let end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
    let line = String::from_utf8_lossy(&rest[..end]).into_owned();
    *rest = &rest[(end + 1).min(rest.len())..];
    let value = line.strip_prefix(prefix);
    value.unwrap_or_else(|| panic!("expected {prefix:?}, got {line:?}")).into()
}

/// Takes a `PREFIX LENGTH` line and that many bytes off `rest`.
fn block(rest: &mut &[u8], prefix: &str) -> Vec<u8> {
    let length: usize = header(rest, prefix).parse().unwrap_or(0);
    let length = length.min(rest.len());
    let bytes = rest[..length].to_vec();
    *rest = &rest[length..];
    bytes
}

#[test]
fn statistics_match_recorded_net_tools_output() {
    let known = known_differences();
    let mut tally = Tally::default();
    let mut made = Vec::new();
    for &tree in TREES {
        let path = fixtures().join(tree);
        for run in recorded(tree) {
            let ours = run_ours(&path, &run.args);
            made.push(run_name(tree, &run.args));
            tally.record(
                run_name(tree, &run.args),
                &known,
                &run.outcome,
                &ours,
            );
        }
    }

    // Runs listed only for the live comparison are not this test's.
    let recorded_only: BTreeSet<String> =
        known.into_iter().filter(|name| made.contains(name)).collect();
    tally.check_listed(&recorded_only, &made);
    tally.finish("views-stats-recorded");
}
