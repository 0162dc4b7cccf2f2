//! Differential suite: our `netstat` against net-tools 2.10
//! (`/usr/bin/netstat`), byte for byte. A private network namespace gets
//! a fixture process holding sockets on fixed ports
//! (`tests/differential/fixture.py`); each line of
//! `tests/differential/invocations.txt` then runs both binaries back to
//! back inside it and compares stdout, stderr and exit status after the
//! few normalisations of `compare.rs`. Differences must be listed, with a
//! reason, in `compat/known-differences.txt`; listed invocations that no
//! longer differ fail as "stale". Needs root, `ip`, `python3`, `setpriv`,
//! `timeout` and net-tools; without them it prints why and passes, except
//! under `CI=true`, where it must run.
//!
//! Most ids excuse an invocation as a whole, but `wide-addresses`,
//! `whole-unix-paths` and `escaped-names` are verified line by line
//! (`verify.rs`): with `wide-addresses` ours is run again with `--trim`
//! and that run is what net-tools is compared with; every line that still
//! differs must then be explained by one of the invocation's ids, or it
//! fails with the lines shown. An id that explains no line is stale too.
//!
//! The suite runs twice: once with our default source (sock_diag netlink
//! on the live system) and once with `--source=proc` (the `/proc/net` text
//! tables), since both sources must print the same bytes.
//!
//! `NETSTAT_RS_OURS=/usr/bin/netstat cargo test --test differential`
//! compares net-tools with itself: a self-check of the harness, in which
//! every invocation is identical and every listed one shows as stale.
//! `NETSTAT_RS_OURS` may name any program that behaves as netstat, such
//! as a wrapper script that alters our output to prove a regression is
//! caught.

mod common;
#[path = "../../../tests/differential/compare.rs"]
mod compare;
#[path = "../../../tests/differential/env.rs"]
mod env;
#[path = "../../../tests/differential/known.rs"]
mod known;
#[path = "../../../tests/differential/run.rs"]
mod run;
#[path = "../../../tests/differential/verify.rs"]
mod verify;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::report;
use env::Env;
use known::{Check, Entry, Known};
use run::{Invocation, Outcome};
use verify::Rules;

/// The reference implementation.
const REFERENCE: &str = "/usr/bin/netstat";

/// After this long, the remaining invocations are not run (and fail).
const SUITE_DEADLINE: Duration = Duration::from_secs(8 * 60);

/// How often an invocation is retried when the reference output itself
/// changed between the runs (a timer or retransmit count moved).
const ATTEMPTS: usize = 3;

#[test]
fn differential_against_net_tools() {
    if let Some(reason) = skip_reason() {
        assert!(!in_ci(), "differential: cannot run in CI: {reason}");
        report!("differential: skipped: {reason}");
        return;
    }
    let mut total = Tally::default();
    for &source in SOURCES {
        let tally = run_suite(source);
        report!("{} (source {})", tally.summary(), source.unwrap_or("auto"));
        total.add(&tally);
    }
    report!("{}", total.summary());
    assert_eq!(total.failing, 0, "{}", total.summary());
}

/// The passes: our default source, then the `/proc` text source forced
/// with `--source=proc` (not for the self-check, which runs net-tools).
const SOURCES: &[Option<&str>] = &[None, Some("proc")];

fn run_suite(source: Option<&str>) -> Tally {
    let root = common::repo_root();
    let invocations = load_invocations(&root);
    let known = load_known();
    let script = root.join("tests/differential/fixture.py");
    let mut env = Env::start(&script)
        .unwrap_or_else(|e| panic!("differential: setup failed: {e}"));
    check_fixture(&env);
    let bins = Binaries::new(&env, source);
    let mut tally = Tally::default();
    let started = Instant::now();
    for inv in &invocations {
        if let Some(note) = env.keep_time_wait() {
            report!("differential: note: TIME_WAIT renewal: {note}");
        }
        let entries = known.entries(&inv.line);
        let verdict = if started.elapsed() > SUITE_DEADLINE {
            Verdict::Failing("not run: suite deadline passed".into(), None)
        } else {
            judge(&env, &bins, inv, entries)
        };
        tally.record(&inv.line, verdict);
    }
    check_listed_invocations(&known, &invocations, &mut tally);
    tally
}

// ------------------------------------------------------------ preflight

/// Why the suite cannot run here, if it cannot.
fn skip_reason() -> Option<String> {
    if !common::is_root() {
        return Some("not running as root".into());
    }
    if !Path::new(REFERENCE).exists() {
        return Some(format!("{REFERENCE} (net-tools) is missing"));
    }
    let tools = ["ip", "python3", "setpriv", "timeout"];
    let missing: Vec<&str> =
        tools.into_iter().filter(|tool| !on_path(tool)).collect();
    (!missing.is_empty()).then(|| format!("missing {}", missing.join(", ")))
}

fn on_path(tool: &str) -> bool {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let extra = ["/usr/sbin", "/sbin"].map(PathBuf::from);
    std::env::split_paths(&path)
        .chain(extra)
        .any(|dir| dir.join(tool).is_file())
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

// -------------------------------------------------------------- inputs

fn load_invocations(root: &Path) -> Vec<Invocation> {
    let path = root.join("tests/differential/invocations.txt");
    let text = read(&path);
    run::load_invocations(&text)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn load_known() -> Known {
    let path = common::known_differences_path();
    Known::parse(&read(&path))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Where the two netstats are found. Both are run as plain `netstat`
/// through `PATH`; ours from a copy that any user may execute.
struct Binaries {
    reference: PathBuf,
    ours: PathBuf,
}

impl Binaries {
    fn new(env: &Env, source: Option<&str>) -> Binaries {
        let self_check = std::env::var_os("NETSTAT_RS_OURS");
        let source = source.filter(|_| self_check.is_none());
        let ours = self_check.map_or_else(
            || env!("CARGO_BIN_EXE_netstat").into(),
            PathBuf::from,
        );
        report!(
            "differential: ours is {} (source {})",
            ours.display(),
            source.unwrap_or("default")
        );
        let ours = env
            .public_copy(&ours, source)
            .unwrap_or_else(|e| panic!("differential: setup failed: {e}"));
        let reference = Path::new(REFERENCE).parent().expect("a directory");
        Binaries { reference: reference.into(), ours }
    }
}

/// Text the reference must print for the fixture: without it the
/// comparisons below would prove little.
const FIXTURE_MARKS: &[&str] = &[
    "LISTEN",
    "ESTABLISHED",
    "SYN_SENT",
    "TIME_WAIT",
    "FIN_WAIT2",
    "CLOSE_WAIT",
    "keepalive (",
    "1234      0 127.0.0.1:8080",
    "tcp6       0      0 127.0.0.1:443",
    "127.0.0.1:5000          127.0.0.1:53",
    "udpl ",
    "udpl6 ",
    "raw        0      0 127.0.0.1:253",
    "raw6 ",
    "2001:db8:aaaa:bbbb:cccc:dddd:eeee:1:253",
    "@nsrs-abstract",
    "SEQPACKET",
    "/nsrs worker:",
    "/nsrs\x1b[1m\tctl",
];

/// Checks that the fixture's sockets are there, as net-tools sees them.
fn check_fixture(env: &Env) {
    let inv = Invocation::parse("netstat -anpoW").expect("valid line");
    let reference = Path::new(REFERENCE).parent().expect("a directory");
    let out = run::run(&env.ns.name, reference, &inv);
    let text = String::from_utf8_lossy(&out.stdout);
    let missing: Vec<&str> =
        FIXTURE_MARKS.iter().copied().filter(|m| !text.contains(m)).collect();
    let big_send_q = text
        .lines()
        .any(|l| l.split_whitespace().nth(2).is_some_and(|q| q.len() > 6));
    assert!(
        missing.is_empty() && big_send_q,
        "differential: fixture incomplete (missing {missing:?}, Send-Q > \
         999999: {big_send_q}); net-tools ({}) printed:\n{text}{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}

// ------------------------------------------------------------ judging

/// The outcome of one invocation.
enum Verdict {
    Identical,
    /// Differs as listed; what the ids explained, and the diff.
    Known(String, String),
    /// Why it fails, and the diff if there is one.
    Failing(String, Option<String>),
}

/// Both normalised outcomes of the last attempt, and ours run with
/// `--trim` when the invocation lists `wide-addresses`.
struct Comparison {
    reference: Outcome,
    ours: Outcome,
    trimmed: Option<Outcome>,
    unstable: bool,
}

impl Comparison {
    fn same(&self) -> bool {
        self.reference == self.ours
    }
}

fn judge(
    env: &Env,
    bins: &Binaries,
    inv: &Invocation,
    entries: &[Entry],
) -> Verdict {
    // Ours is also run with `--trim` when `wide-addresses` is listed.
    let checks: Vec<Check> = entries.iter().map(Entry::check).collect();
    let cmp = compare_runs(env, bins, inv, checks.contains(&Check::Trim));
    let ids: Vec<String> = entries.iter().map(|e| e.id.clone()).collect();

    // Identical outputs leave any entry stale.
    if cmp.same() {
        return if ids.is_empty() {
            Verdict::Identical
        } else {
            let why = format!("stale known difference ({})", ids.join(", "));
            Verdict::Failing(why, None)
        };
    }

    // A difference needs entries, and most entries keep the exit status.
    let diff = compare::diff(&cmp.reference, &cmp.ours);
    let status_differs = cmp.reference.status != cmp.ours.status;
    if ids.is_empty() {
        let why = if cmp.unstable {
            "different (and the reference output kept changing)"
        } else {
            "different"
        };
        Verdict::Failing(why.into(), Some(diff))
    } else if status_differs && !known::allows_exit_difference(entries) {
        let why = format!(
            "known difference ({}), but the exit status differs",
            ids.join(", ")
        );
        Verdict::Failing(why, Some(diff))
    } else if checks.contains(&Check::Whole) {
        Verdict::Known(format!("{}: whole invocation", ids.join(", ")), diff)
    } else {
        verify_lines(&cmp, &checks, diff)
    }
}

/// Judges an invocation whose entries are all verified line by line: ours
/// must be its `--trim` run widened (with `wide-addresses`), every line
/// that differs from net-tools must be explained by a listed id, and each
/// listed id must explain something.
fn verify_lines(cmp: &Comparison, checks: &[Check], diff: String) -> Verdict {
    let mut account = Account::default();

    // With `wide-addresses`, net-tools is compared with the `--trim` run.
    let compared = match &cmp.trimmed {
        Some(trimmed) => {
            account.widening(verify::widening(trimmed, &cmp.ours));
            trimmed
        }
        None => &cmp.ours,
    };

    // Every line that still differs needs a listed id to explain it.
    let rules = Rules {
        unix_paths: checks.contains(&Check::UnixPath),
        escaped_names: checks.contains(&Check::EscapedName),
    };
    let found = verify::explain(&cmp.reference, compared, rules);
    account.lines(rules, found);

    // Unexplained lines fail first, then ids that explained nothing.
    account.verdict(diff)
}

/// What the line-verified ids of one invocation explained.
#[derive(Default)]
struct Account {
    /// `id: N rows` for each id that explained something.
    explained: Vec<String>,
    /// Ids that explained nothing.
    stale: Vec<&'static str>,
    /// Differences that no listed id explains.
    problems: Vec<String>,
}

impl Account {
    fn widening(&mut self, result: Result<usize, Vec<String>>) {
        match result {
            Ok(0) => self.stale.push("wide-addresses"),
            Ok(n) => self.credit("wide-addresses", n),
            Err(found) => self.problems.extend(found),
        }
    }

    fn lines(&mut self, rules: Rules, found: verify::Findings) {
        let counts = [
            (rules.unix_paths, "whole-unix-paths", found.unix_paths),
            (rules.escaped_names, "escaped-names", found.escaped_names),
        ];
        for (_, id, count) in counts.into_iter().filter(|c| c.0) {
            if count == 0 {
                self.stale.push(id);
            } else {
                self.credit(id, count);
            }
        }
        self.problems.extend(found.unexplained);
    }

    fn credit(&mut self, id: &str, rows: usize) {
        let rows =
            if rows == 1 { "1 row".into() } else { format!("{rows} rows") };
        self.explained.push(format!("{id}: {rows}"));
    }

    fn verdict(self, diff: String) -> Verdict {
        if !self.problems.is_empty() {
            let why = "differences that no listed id explains";
            let shown = self.problems.join("\n") + "\n    full diff:\n" + &diff;
            Verdict::Failing(why.into(), Some(indent(&shown)))
        } else if !self.stale.is_empty() {
            let stale = self.stale.join(", ");
            let why = format!("stale known difference ({stale})");
            Verdict::Failing(why, Some(diff))
        } else {
            Verdict::Known(self.explained.join(", "), diff)
        }
    }
}

/// Indents each line that is not indented yet, to set a report apart.
fn indent(text: &str) -> String {
    let lines = text.lines().map(|line| {
        if line.starts_with(' ') {
            line.to_string()
        } else {
            format!("    {line}")
        }
    });
    lines.collect::<Vec<_>>().join("\n")
}

/// Runs reference, ours (also with `--trim` if `trim`) and, when they
/// differ, the reference again. A difference counts only when the
/// reference repeated itself; otherwise the system moved between runs and
/// the attempt is repeated.
fn compare_runs(
    env: &Env,
    bins: &Binaries,
    inv: &Invocation,
    trim: bool,
) -> Comparison {
    let trimmed_inv = trim.then(|| with_trim(inv));
    let mut last = None;
    for _ in 0..ATTEMPTS {
        // Reference and ours, back to back; equal outputs end the attempts.
        let reference = normalised(env, &bins.reference, inv);
        let ours = normalised(env, &bins.ours, inv);
        if reference == ours {
            let trimmed = None;
            return Comparison { reference, ours, trimmed, unstable: false };
        }

        // Ours with `--trim`, then the reference again to see it was stable.
        let trimmed =
            trimmed_inv.as_ref().map(|t| normalised(env, &bins.ours, t));
        let again = normalised(env, &bins.reference, inv);
        if again == ours || again == reference {
            let reference = again;
            return Comparison { reference, ours, trimmed, unstable: false };
        }
        last = Some(Comparison {
            reference: again,
            ours,
            trimmed,
            unstable: true,
        });
    }
    last.expect("at least one attempt")
}

/// The invocation with `--trim` put before its arguments.
fn with_trim(inv: &Invocation) -> Invocation {
    let mut trimmed = inv.clone();
    trimmed.args.insert(0, "--trim".into());
    trimmed
}

fn normalised(env: &Env, bin_dir: &Path, inv: &Invocation) -> Outcome {
    compare::normalise(inv, &run::run(&env.ns.name, bin_dir, inv))
}

/// Entries naming invocations that are not in the list fail too.
fn check_listed_invocations(
    known: &Known,
    invocations: &[Invocation],
    tally: &mut Tally,
) {
    for listed in known.invocations() {
        if !invocations.iter().any(|inv| inv.line == listed) {
            let why = "known difference for an invocation not in the list";
            tally.record(listed, Verdict::Failing(why.into(), None));
        }
    }
}

// ------------------------------------------------------------ reporting

#[derive(Default)]
struct Tally {
    identical: usize,
    known: usize,
    failing: usize,
}

impl Tally {
    fn record(&mut self, line: &str, verdict: Verdict) {
        match verdict {
            Verdict::Identical => {
                self.identical += 1;
                report!("differential: identical: {line}");
            }
            Verdict::Known(explained, diff) => {
                self.known += 1;
                let known = format!("known difference ({explained})");
                report!("differential: {known}: {line}");
                report!("{}", diff.trim_end());
            }
            Verdict::Failing(why, diff) => {
                self.failing += 1;
                report!("differential: FAILING, {why}: {line}");
                if let Some(diff) = diff {
                    report!("{}", diff.trim_end());
                }
            }
        }
    }

    /// Adds another pass's counts.
    fn add(&mut self, other: &Tally) {
        self.identical += other.identical;
        self.known += other.known;
        self.failing += other.failing;
    }

    fn summary(&self) -> String {
        format!(
            "differential: {} identical, {} known differences, {} failing",
            self.identical, self.known, self.failing
        )
    }
}
