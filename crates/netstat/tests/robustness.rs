//! Kernel text is untrusted input and standard output may go away: these
//! tests feed netstat-rs malformed tables through `--proc-root` and close
//! its output early, and check that it neither panics nor stops the
//! listing, nor lets a name drive the terminal. No root needed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name)
}

fn netstat(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_netstat"))
        .arg("--proc-root")
        .arg(root)
        .args(args)
        .output()
        .expect("run netstat")
}

#[test]
fn malformed_lines_are_skipped_and_the_listing_goes_on() {
    let output = netstat(&fixture("proc-malformed"), &["-an"]);
    let stdout = String::from_utf8_lossy(&output.stdout);

    // The one good TCP row and the good UNIX rows survive the junk.
    assert!(output.status.success(), "{output:?}");
    assert!(output.stderr.is_empty(), "{output:?}");
    assert!(stdout.contains("127.0.0.1:8080          127.0.0.1:40001"));
    assert!(stdout.contains("6003     /run/ok.sock\n"), "{stdout}");
    let tcp_rows = stdout.lines().filter(|l| l.starts_with("tcp")).count();
    assert_eq!(tcp_rows, 1, "{stdout}");
}

#[test]
fn control_characters_in_paths_are_escaped() {
    let output = netstat(&fixture("proc-malformed"), &["-xa"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("/run/evil\\x1b[31mred\\x07.sock\n"), "{stdout}");
    assert!(!output.stdout.contains(&0x1b), "raw ESC reached the output");
}

#[test]
fn a_missing_table_is_reported_not_fatal() {
    let output = netstat(&fixture("proc-malformed"), &["-w"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr,
        "netstat: no support for `AF INET (raw)' on this system.\n"
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.starts_with("Active Internet connections (w/o servers)\n"));
}

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_netstat"))
        .arg("--proc-root")
        .arg(fixture("proc-sockets"))
        .args(["-an"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run netstat");

    // Close the reading end before netstat writes anything.
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("wait for netstat");
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(output.stderr.is_empty(), "{output:?}");
}

#[test]
fn a_proc_root_that_is_no_directory_is_refused() {
    let output = netstat(Path::new("/nonexistent-proc-root"), &["-t"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr,
        "netstat: --proc-root /nonexistent-proc-root: no such directory\n"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn netlink_cannot_read_a_saved_tree() {
    let root = fixture("proc-sockets");
    let output = netstat(&root, &["--source=netlink", "-tn"]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(output.stdout.is_empty());
}

#[test]
fn continuous_listing_stops_when_a_named_table_is_missing() {
    // net-tools prints once and exits 1 rather than repeating the warning.
    let output = netstat(&fixture("proc-sockets"), &["-Sc"]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr,
        "netstat: no support for `AF INET (sctp)' on this system.\n"
    );
}

/// Runs netstat on `root` and kills it after `limit`; the status, or
/// `None` when it had to be killed.
fn netstat_within(
    root: &Path,
    args: &[&str],
    limit: std::time::Duration,
) -> Option<std::process::ExitStatus> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_netstat"))
        .arg("--proc-root")
        .arg(root)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run netstat");
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return Some(status);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

#[test]
fn endless_tables_are_read_with_bounded_time_and_memory() {
    // A saved tree whose tables are endless lines of NUL bytes.
    let root = std::env::temp_dir()
        .join(format!("netstat-rs-endless-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("net")).expect("temp dir");
    for table in ["tcp", "tcp6", "dev", "route", "snmp"] {
        std::os::unix::fs::symlink("/dev/zero", root.join("net").join(table))
            .expect("symlink");
    }

    // Each view finishes on its own, without a panic.
    let limit = std::time::Duration::from_secs(20);
    let runs: &[&[&str]] = &[&["-tn"], &["-i"], &["-rn"], &["-s"]];
    let statuses: Vec<_> = runs
        .iter()
        .map(|args| (args, netstat_within(&root, args, limit)))
        .collect();
    std::fs::remove_dir_all(&root).expect("clean up");
    for (args, status) in statuses {
        let status = status.unwrap_or_else(|| panic!("{args:?} hung"));
        assert!(status.code().is_some_and(|c| c != 101), "{args:?}: {status}");
    }

    // The largest child (any test's) stayed far below a runaway read.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes into the rusage we own.
    assert_eq!(
        unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) },
        0
    );
    assert!(usage.ru_maxrss < 512 * 1024, "max RSS {} KiB", usage.ru_maxrss);
}
