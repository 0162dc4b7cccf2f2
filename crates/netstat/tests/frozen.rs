//! Differential tests on a frozen `/proc`: net-tools and netstat-rs read
//! the same crafted socket tables (every TCP state, every timer, queues
//! past six digits, long IPv6 addresses, v4-mapped rows, every UNIX type,
//! state and flag), so rows that live sockets rarely show are compared
//! byte for byte and nothing moves between the two runs.
//!
//! net-tools always reads `/proc/net`, so it runs in a private mount
//! namespace whose `/proc` is a tmpfs holding the fixture; netstat-rs
//! reads the same files through `--proc-root`. Both run inside a network
//! namespace made here, whose resolver fails at once, so no lookup leaves
//! the machine. Needs root; otherwise it says why and does nothing.

mod common;

use std::path::PathBuf;
use std::process::Output;

use common::{Netns, Prerequisites, report};

/// The invocations compared, as argument strings.
const INVOCATIONS: &[&str] = &[
    "-a",
    "-an",
    "-t",
    "-tn",
    "-tan",
    "-taW",
    "-tanW",
    "-tane",
    "-tanee",
    "-tano",
    "-tanoe",
    "-taeo",
    "-u",
    "-ua",
    "-uan",
    "-uano",
    "-w",
    "-wan",
    "-wano",
    "-U",
    "-Uan",
    "-x",
    "-xa",
    "-xl",
    "-l",
    "-ln",
    "-lnW",
    "-6an",
    "-4an",
    "--numeric-ports -ta",
    "--numeric-hosts -ta",
    "--numeric-users -tae",
    "-tanp",
    "-xap",
    "-n",
    "-A inet6 -a",
    "-A unix,inet -l",
];

/// What this suite needs.
const PREREQUISITES: Prerequisites = Prerequisites {
    root: "needs root (network and mount namespaces)",
    tools: &["/usr/bin/netstat", "/usr/bin/unshare"],
    tools_missing: "needs /usr/bin/netstat and unshare",
    commands: &[],
};

/// The namespace's `/etc/hosts`.
const HOSTS: &str = "127.0.0.1 localhost\n::1 ip6-localhost\n";

/// A network namespace with a resolver that fails fast, removed on drop.
fn namespace() -> Result<Netns, String> {
    let name = format!("nsrs-frozen-{}", std::process::id());
    let files = [("resolv.conf", common::LOCAL_RESOLV_CONF), ("hosts", HOSTS)];
    Netns::with_files(&name, &files)
}

fn fixture() -> PathBuf {
    common::repo_root().join("tests/fixtures/proc-sockets")
}

fn run_reference(namespace: &Netns, args: &[&str]) -> Output {
    let script = format!(
        "mount -t tmpfs none /proc && cp -r '{}/net' /proc/ && \
         exec /usr/bin/netstat \"$@\"",
        fixture().display()
    );
    namespace
        .exec()
        .args(["unshare", "-m", "sh", "-c"])
        .arg(script)
        .arg("sh")
        .args(args)
        .output()
        .expect("run /usr/bin/netstat")
}

fn run_ours(namespace: &Netns, args: &[&str]) -> Output {
    namespace
        .exec()
        .arg(env!("CARGO_BIN_EXE_netstat"))
        .arg("--proc-root")
        .arg(fixture())
        .args(args)
        .output()
        .expect("run netstat-rs")
}

/// The invocations `compat/known-differences.txt` lists for this suite
/// (second column `frozen: ARGS`). Every one of them must be a
/// `wide-addresses` entry: the only deliberate difference these tables
/// can show, which the suite verifies by running ours with `--trim`.
fn known_differences() -> Vec<String> {
    let entries = common::known_entries("frozen");
    for entry in &entries {
        assert_eq!(entry.id, "wide-addresses", "unexpected entry: {entry:?}");
    }
    entries.into_iter().map(|entry| entry.invocation).collect()
}

/// Prints the lines that differ, side by side.
fn show_difference(args: &str, theirs: &Output, ours: &Output) {
    let theirs = String::from_utf8_lossy(&theirs.stdout);
    let ours = String::from_utf8_lossy(&ours.stdout);
    report!("--- net-tools / +++ netstat-rs, {args}");
    for (a, b) in theirs.lines().zip(ours.lines()) {
        if a != b {
            report!("-{a}\n+{b}");
        }
    }
    let (a, b) = (theirs.lines().count(), ours.lines().count());
    if a != b {
        report!("line count {a} vs {b}");
    }
}

#[test]
fn frozen_proc_matches_net_tools() {
    if let Some(reason) = PREREQUISITES.missing() {
        report!("frozen: skipped: {reason}");
        return;
    }
    let namespace =
        namespace().unwrap_or_else(|e| panic!("create network namespace: {e}"));
    let known = known_differences();
    let (mut identical, mut expected, mut failing) = (0, 0, Vec::new());
    for &invocation in INVOCATIONS {
        let args: Vec<&str> = invocation.split(' ').collect();
        let theirs = run_reference(&namespace, &args);
        let ours = run_ours(&namespace, &args);
        let same_out = theirs.stdout == ours.stdout;
        let same_rest =
            theirs.stderr == ours.stderr && theirs.status == ours.status;
        let listed = known.iter().any(|k| k == invocation);

        // A listed row must be 2.10's exactly once cut as 2.10 cuts.
        let trimmed = listed.then(|| {
            let mut trim_args = vec!["--trim"];
            trim_args.extend(&args);
            run_ours(&namespace, &trim_args)
        });
        let explained = trimmed.as_ref().is_some_and(|t| {
            t.stdout == theirs.stdout && t.stderr == theirs.stderr
        });
        let verdict = match (same_out && same_rest, listed) {
            (true, false) => {
                identical += 1;
                "identical"
            }
            (false, true) if same_rest && explained => {
                expected += 1;
                show_difference(invocation, &theirs, &ours);
                "known difference"
            }
            (true, true) => {
                failing.push(invocation);
                "stale known difference"
            }
            _ => {
                failing.push(invocation);
                show_difference(invocation, &theirs, &ours);
                if !same_rest {
                    report!(
                        "stderr/status: {:?} {} vs {:?} {}",
                        String::from_utf8_lossy(&theirs.stderr),
                        theirs.status,
                        String::from_utf8_lossy(&ours.stderr),
                        ours.status
                    );
                }
                "FAILING"
            }
        };
        report!("frozen {invocation}: {verdict}");
    }
    report!(
        "frozen: {identical} identical, {expected} known differences, {} \
         failing",
        failing.len()
    );
    assert!(failing.is_empty(), "failing: {failing:?}");
}
