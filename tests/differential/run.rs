//! Invocations and how to run them: one line of `invocations.txt` becomes
//! an [`Invocation`] (optional modifiers, then `netstat` and its
//! arguments), and [`run`] executes one program inside the test namespace
//! with a deadline, collecting stdout, stderr and the exit status. Both
//! netstats get the same clean environment (`LC_ALL=C`, a fixed `PATH`).

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// How long one command may run before it is killed.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(20);

/// How a `first-listing` run is cut short (coreutils `timeout` arguments).
const CONTINUOUS_LIMIT: [&str; 3] = ["-k", "1", "2.5"];

/// One line of the invocation list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invocation {
    /// The line as written; known differences name invocations by it.
    pub line: String,
    /// Arguments after `netstat`.
    pub args: Vec<String>,
    /// `uid=N`: run unprivileged as uid and gid N, no groups.
    pub uid: Option<u32>,
    /// `first-listing`: run under a 2.5 s timeout (for `-c`), compare the
    /// first listing only.
    pub first_listing: bool,
    /// `help`: compare only which streams carry text, and the status.
    pub help: bool,
}

impl Invocation {
    /// Parses `[modifier ...] netstat [arg ...]`.
    pub fn parse(line: &str) -> Result<Invocation, String> {
        let mut inv = Invocation {
            line: line.to_string(),
            args: Vec::new(),
            uid: None,
            first_listing: false,
            help: false,
        };
        let mut words = line.split_whitespace();
        loop {
            match words.next() {
                Some("netstat") => break,
                Some(word) => inv.modifier(word)?,
                None => return Err(format!("no `netstat` in {line:?}")),
            }
        }
        inv.args = words.map(str::to_string).collect();
        Ok(inv)
    }

    fn modifier(&mut self, word: &str) -> Result<(), String> {
        match word {
            "first-listing" => self.first_listing = true,
            "help" => self.help = true,
            _ => match word.strip_prefix("uid=").map(str::parse) {
                Some(Ok(uid)) => self.uid = Some(uid),
                _ => return Err(format!("unknown modifier {word:?}")),
            },
        }
        Ok(())
    }
}

/// Reads the invocation list: one invocation a line, `#` comments.
pub fn load_invocations(text: &str) -> Result<Vec<Invocation>, String> {
    let lines = text.lines().map(str::trim);
    let wanted = lines.filter(|l| !l.is_empty() && !l.starts_with('#'));
    wanted.map(Invocation::parse).collect()
}

/// What one run produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// Standard output bytes.
    pub stdout: Vec<u8>,
    /// Standard error bytes.
    pub stderr: Vec<u8>,
    /// `exit N`, `signal N` or `timed out`.
    pub status: String,
}

/// Directories searched after the one holding the netstat under test.
const BASE_PATH: &str = "/usr/sbin:/usr/bin:/sbin:/bin";

/// Runs `netstat` from directory `bin_dir` with the invocation's
/// arguments inside namespace `ns`. The program is found through `PATH`,
/// so both netstats get the same `argv[0]` (glibc's getopt messages start
/// with it).
pub fn run(ns: &str, bin_dir: &Path, inv: &Invocation) -> Outcome {
    let mut cmd = Command::new("ip");
    cmd.args(["netns", "exec", ns]);
    if let Some(uid) = inv.uid {
        let id = uid.to_string();
        cmd.arg("setpriv");
        cmd.args([format!("--reuid={id}"), format!("--regid={id}")]);
        cmd.arg("--clear-groups");
    }
    if inv.first_listing {
        cmd.arg("timeout").args(CONTINUOUS_LIMIT);
    }
    cmd.arg("netstat").args(&inv.args);
    run_command(cmd, &format!("{}:{BASE_PATH}", bin_dir.display()))
}

/// Runs a prepared command with a clean environment (`PATH` as given,
/// `LC_ALL=C`) and the deadline.
pub fn run_command(mut cmd: Command, path: &str) -> Outcome {
    cmd.env_clear()
        .env("PATH", path)
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    match cmd.spawn() {
        Ok(child) => collect(child),
        Err(error) => Outcome {
            stdout: Vec::new(),
            stderr: format!("cannot start {cmd:?}: {error}\n").into_bytes(),
            status: "not started".to_string(),
        },
    }
}

fn collect(mut child: Child) -> Outcome {
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let status = wait_with_deadline(&mut child);
    Outcome {
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
        status,
    }
}

fn drain<R: Read + Send + 'static>(pipe: Option<R>) -> JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        bytes
    })
}

fn wait_with_deadline(child: &mut Child) -> String {
    let deadline = Instant::now() + COMMAND_TIMEOUT;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return describe(status),
            Ok(None) if Instant::now() < deadline => {
                thread::sleep(Duration::from_millis(5));
            }
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return "timed out".to_string();
            }
            Err(error) => return format!("wait failed: {error}"),
        }
    }
}

fn describe(status: ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exit {code}"),
        (None, Some(signal)) => format!("signal {signal}"),
        (None, None) => format!("{status}"),
    }
}
