//! The test environment: a private network namespace `nsrs-<pid>` with
//! its own `/etc/netns/<name>/{hosts,resolv.conf}` (which `ip netns exec`
//! bind-mounts over `/etc`), a temp dir for UNIX socket paths and a copy
//! of our binary that an unprivileged user may run, and the fixture
//! process holding the sockets. [`Env`] removes all of it when dropped,
//! also after a failure or panic; it only ever stops the fixture process
//! it started itself. The namespace and its files are a
//! [`Netns`](crate::common::Netns) of the suites' shared `common` module,
//! which the including test file declares.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};

use crate::common::Netns;

/// The 52-character name of 127.0.0.5 (wider than any address column).
pub const LONG_NAME: &str =
    "nsrs-a-fifty-two-character-long-hostname.example.org";

/// How long the fixture may take to say "ready" or answer a command.
const FIXTURE_TIMEOUT: Duration = Duration::from_secs(60);

/// The fixture's TIME_WAIT socket lives 60 s; renew it after this long.
const TIME_WAIT_RENEWAL: Duration = Duration::from_secs(40);

/// Namespace, files and fixture of one suite run.
pub struct Env {
    /// The namespace (its name is for `ip netns exec`) and its files.
    pub ns: Netns,
    /// Temp dir (UNIX socket paths, binary copy).
    pub tmp: PathBuf,
    fixture: Option<Fixture>,
}

struct Fixture {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    time_wait_at: Instant,
}

impl Env {
    /// Creates the namespace and its files, then the temp dir, then
    /// starts the fixture.
    pub fn start(fixture_script: &Path) -> Result<Env, String> {
        let name = format!("nsrs-{}", std::process::id());
        let hosts = hosts();
        let files = [("hosts", hosts.as_str()), ("resolv.conf", RESOLV_CONF)];
        let ns = Netns::with_files(&name, &files)?;

        // The guard exists before the temp dir, so it removes a partial one.
        let tmp = std::env::temp_dir().join(&name);
        let mut env = Env { ns, tmp, fixture: None };
        env.make_tmp()?;
        let fixture = Fixture::start(&env.ns.name, fixture_script, &env.tmp)?;
        env.fixture = Some(fixture);
        Ok(env)
    }

    fn make_tmp(&self) -> Result<(), String> {
        // A leftover of an earlier run that had our pid and was killed.
        let _ = fs::remove_dir_all(&self.tmp);
        fs::create_dir(&self.tmp).map_err(|e| io_error(&self.tmp, e))?;
        let open = fs::Permissions::from_mode(0o755);
        fs::set_permissions(&self.tmp, open).map_err(|e| io_error(&self.tmp, e))
    }

    /// Copies `binary` as `<tmp>/bin/netstat`, readable and runnable by
    /// all, so that runs under `setpriv` can execute it wherever the
    /// checkout lives; returns the directory. With a `source`, the copy
    /// is `netstat-real` and `netstat` a script that runs it with
    /// `--source=SOURCE` first, keeping `netstat` as its argv[0].
    pub fn public_copy(
        &self,
        binary: &Path,
        source: Option<&str>,
    ) -> Result<PathBuf, String> {
        let dir = self.tmp.join("bin");
        fs::create_dir_all(&dir).map_err(|e| io_error(&dir, e))?;
        let copy =
            dir.join(if source.is_some() { "netstat-real" } else { "netstat" });
        fs::copy(binary, &copy).map_err(|e| io_error(binary, e))?;
        let mut public = vec![dir.clone(), copy.clone()];

        // The wrapper that selects the source.
        if let Some(source) = source {
            let wrapper = dir.join("netstat");
            let script = format!(
                "#!/bin/bash\nexec -a netstat '{}' --source={source} \"$@\"\n",
                copy.display()
            );
            fs::write(&wrapper, script).map_err(|e| io_error(&wrapper, e))?;
            public.push(wrapper);
        }
        let mode = fs::Permissions::from_mode(0o755);
        for path in &public {
            fs::set_permissions(path, mode.clone())
                .map_err(|e| io_error(path, e))?;
        }
        Ok(dir)
    }

    /// Renews the fixture's TIME_WAIT socket when it is about to expire.
    /// Returns a note when that failed (the suite goes on).
    pub fn keep_time_wait(&mut self) -> Option<String> {
        let fixture = self.fixture.as_mut()?;
        if fixture.time_wait_at.elapsed() < TIME_WAIT_RENEWAL {
            return None;
        }
        let answer = fixture.command("refresh");
        fixture.time_wait_at = Instant::now();
        match answer {
            Ok(line) if line == "refreshed" => None,
            Ok(line) => Some(line),
            Err(error) => Some(error),
        }
    }
}

impl Drop for Env {
    /// Stops the fixture and removes the temp dir; the namespace and its
    /// files go after this, when `ns` drops.
    fn drop(&mut self) {
        if let Some(fixture) = self.fixture.take() {
            fixture.stop();
        }
        let _ = fs::remove_dir_all(&self.tmp);
    }
}

impl Fixture {
    fn start(ns: &str, script: &Path, tmp: &Path) -> Result<Fixture, String> {
        let mut child = Command::new("ip")
            .args(["netns", "exec", ns, "python3"])
            .arg(script)
            .arg(tmp)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start the fixture: {e}"))?;
        let stdin = child.stdin.take();
        let lines = forward_lines(child.stdout.take());
        let mut fixture =
            Fixture { child, stdin, lines, time_wait_at: Instant::now() };
        match fixture.answer() {
            Ok(line) if line == "ready" => Ok(fixture),
            Ok(line) => Err(format!("fixture said {line:?}, not ready")),
            Err(error) => Err(error),
        }
    }

    /// Sends one command line and waits for the answer line.
    fn command(&mut self, command: &str) -> Result<String, String> {
        let stdin = self.stdin.as_mut().ok_or("fixture stdin closed")?;
        writeln!(stdin, "{command}").map_err(|e| e.to_string())?;
        stdin.flush().map_err(|e| e.to_string())?;
        self.answer()
    }

    fn answer(&mut self) -> Result<String, String> {
        self.lines.recv_timeout(FIXTURE_TIMEOUT).map_err(|_| {
            "the fixture exited or did not answer (see its stderr)".to_string()
        })
    }

    /// Closes stdin (the fixture's signal to exit), waits a little, then
    /// kills the fixture process if it is still there.
    fn stop(mut self) {
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn forward_lines(
    stdout: Option<std::process::ChildStdout>,
) -> Receiver<String> {
    let (send, receive) = mpsc::channel();
    if let Some(stdout) = stdout {
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
    }
    receive
}

/// The namespace's hosts file: the names the listings resolve to.
fn hosts() -> String {
    assert_eq!(LONG_NAME.len(), 52);
    format!(
        "127.0.0.1\tlocalhost\n127.0.0.5\t{LONG_NAME}\n\
         127.0.0.6\tshort6\n::1\tip6-localhost\n"
    )
}

/// DNS goes to [::1]:53, where nothing listens: every query fails at once
/// with "connection refused". (127.0.0.1 would reach the fixture's UDP
/// socket on 0.0.0.0:53, which never answers, so each lookup would wait
/// the full timeout and grow that socket's Recv-Q between the two runs.)
const RESOLV_CONF: &str = "nameserver ::1\noptions timeout:1 attempts:1\n";

fn io_error(path: &Path, error: std::io::Error) -> String {
    format!("{}: {error}", path.display())
}
