//! A UNIX socket name cannot forge rows of `netstat -x`: in a network
//! namespace of its own, a python3 process binds the abstract name
//! "\0z\n0: 00000002 ... 7063401 /run/dbus/system_bus_socket", which
//! `/proc/net/unix` prints raw and so splits into two rows, and a socket
//! whose path holds a newline. Our binary, checking the table against a
//! `unix_diag` dump, must show neither a forged row nor a cut name, and
//! both names whole with the newline escaped. Needs root (for the
//! namespace); otherwise it prints why it is skipped.

mod common;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Stdio};

use common::{Netns, is_root, report};

/// The forging name, as python3 bytes.
const FORGING: &str = "b'\\0z\\n0: 00000002 00000000 00010000 0001 01 \
7063401 /run/dbus/system_bus_socket'";

/// The forged row's text, escaped as our renderer shows the whole name.
const FORGING_SHOWN: &str = "@z\\x0a0: 00000002 00000000 00010000 0001 01 \
7063401 /run/dbus/system_bus_socket";

/// Binds both sockets, says "ready", and holds them until stdin closes.
fn script(dir: &str) -> String {
    format!(
        "import socket, sys\n\
         a = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\n\
         a.bind({FORGING})\n\
         a.listen(1)\n\
         p = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\n\
         p.bind({dir:?} + '/new\\nline.sock')\n\
         print('ready', flush=True)\n\
         sys.stdin.read()\n"
    )
}

/// A directory of our own, removed on drop.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The socket holder, killed (by its own PID) and reaped on drop.
struct Holder(Child);

impl Drop for Holder {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the holder in `netns` and waits for its "ready".
fn start_holder(netns: &Netns, dir: &str) -> Result<Holder, String> {
    let child = netns
        .exec()
        .args(["python3", "-c", &script(dir)])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("python3: {e}"))?;
    let mut holder = Holder(child);
    let stdout = holder.0.stdout.take().ok_or("python3: no stdout")?;
    let mut line = String::new();
    let _ = BufReader::new(stdout).read_line(&mut line);
    if line.trim() != "ready" {
        return Err("python3 could not bind the sockets".into());
    }
    Ok(holder)
}

/// Runs our binary with `args` inside `netns`; its standard output.
fn netstat(netns: &Netns, args: &str) -> String {
    let output = netns
        .exec()
        .args([env!("CARGO_BIN_EXE_netstat"), args])
        .output()
        .expect("ip netns exec netstat");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Asserts that `listing` shows both names whole and nothing forged.
fn check(listing: &str, args: &str) {
    // The forging name is one row, whole; nothing else names dbus.
    let dbus: Vec<&str> = listing
        .lines()
        .filter(|line| line.contains("system_bus_socket"))
        .collect();
    assert_eq!(dbus.len(), 1, "netstat {args}:\n{listing}");
    assert!(dbus[0].ends_with(FORGING_SHOWN), "netstat {args}:\n{listing}");

    // No row claims the forged inode.
    assert!(!listing.contains(" 7063401  "), "netstat {args}:\n{listing}");

    // The newline path (of an unconnected datagram socket, so not a
    // server) is one row, whole, in listings of every socket.
    if !args.contains('a') {
        return;
    }
    let newline = listing.lines().filter(|l| l.contains("line.sock")).count();
    assert_eq!(newline, 1, "netstat {args}:\n{listing}");
    assert!(
        listing.contains("/new\\x0aline.sock\n"),
        "netstat {args}:\n{listing}"
    );
}

/// Asserts that the kernel's table really shows the forged row, so that
/// the test proves something.
fn check_forgery_in_proc(netns: &Netns) {
    let output = netns
        .exec()
        .args(["cat", "/proc/net/unix"])
        .output()
        .expect("ip netns exec cat");
    let table = String::from_utf8_lossy(&output.stdout);
    let forged = "\n0: 00000002 00000000 00010000 0001 01 7063401 ";
    assert!(table.contains(forged), "/proc/net/unix:\n{table}");
}

#[test]
fn forged_unix_rows_are_not_shown() {
    if !is_root() {
        report!("forged_unix: skipped: not running as root");
        return;
    }

    // A namespace, a directory and the socket holder, all our own.
    let name = format!("nsrs-forge-{}", std::process::id());
    let netns = match Netns::add(&name) {
        Ok(netns) => netns,
        Err(reason) => {
            report!("forged_unix: skipped: {reason}");
            return;
        }
    };
    let dir = std::env::temp_dir().join(format!("{name}-dir"));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let dir = TempDir(dir);
    let dir_text = dir.0.to_str().expect("UTF-8 temp dir").to_string();
    let holder = match start_holder(&netns, &dir_text) {
        Ok(holder) => holder,
        Err(reason) => {
            report!("forged_unix: skipped: {reason}");
            return;
        }
    };

    // The kernel's table is forged; our listings, with and without -p
    // and -l, are not.
    check_forgery_in_proc(&netns);
    for args in ["-xa", "-xlp", "-xap"] {
        check(&netstat(&netns, args), args);
    }
    drop(holder);
}
