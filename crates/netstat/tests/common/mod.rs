//! What the differential suites (`frozen`, `views_routes`, `views_stats`,
//! `views_interfaces`, `differential`) share: where the repository and its
//! `compat/known-differences.txt` are and which entries of that list are
//! a suite's (those tagged `frozen:`, `views:`, `stats:` or `ifaces:`), a
//! `report!` line that passes the test harness's capture, the check for
//! root and the reference tools, and [`Netns`], a network namespace of
//! our own with its `/etc/netns` files, removed on drop.
//!
//! Each suite includes it with `mod common;` and uses only part of it,
//! hence the allowances for unused items.

#![allow(dead_code, unused_macros)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Writes a line straight to standard error, past the test harness's
/// capture, so that CI logs show every verdict.
macro_rules! report {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

// Not every suite reports through it (two print with `println!`).
#[allow(unused_imports)]
pub(crate) use report;

/// A resolver that stays on the machine and, in a namespace where
/// nothing listens on port 53, fails at once.
pub const LOCAL_RESOLV_CONF: &str =
    "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n";

/// The workspace root (where `compat/` and `tests/fixtures/` are).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

// ------------------------------------------------- known differences

/// `compat/known-differences.txt`.
pub fn known_differences_path() -> PathBuf {
    repo_root().join("compat/known-differences.txt")
}

/// One entry of the known-differences list that belongs to a suite.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnownEntry {
    /// Short name of the difference, e.g. `wide-addresses`.
    pub id: String,
    /// The invocation column with the suite tag taken off.
    pub invocation: String,
}

/// The suite tag of an invocation column, and the rest: `views: -g4`
/// gives `Some(("views", "-g4"))`. A column whose first word does not
/// end in a colon (`netstat -a`) is the differential suite's: `None`.
pub fn split_tag(invocation: &str) -> Option<(&str, &str)> {
    let invocation = invocation.trim_start();
    let end = invocation.find(char::is_whitespace).unwrap_or(invocation.len());
    let tag = invocation[..end].strip_suffix(':')?;
    Some((tag, invocation[end..].trim_start()))
}

/// The entries tagged `tag` (`frozen`, `views`, `stats`, `ifaces`), in
/// file order. Comment lines are skipped; a missing file lists nothing.
pub fn known_entries(tag: &str) -> Vec<KnownEntry> {
    let text =
        std::fs::read_to_string(known_differences_path()).unwrap_or_default();
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| tagged_entry(line, tag))
        .collect()
}

/// The invocations of the entries tagged `tag`, collected as the caller
/// likes (a `Vec`, a `BTreeSet`).
pub fn known_invocations<C: FromIterator<String>>(tag: &str) -> C {
    known_entries(tag).into_iter().map(|entry| entry.invocation).collect()
}

/// One line as an entry, if its invocation column carries `tag`.
fn tagged_entry(line: &str, tag: &str) -> Option<KnownEntry> {
    let mut columns = line.split('\t');
    let (id, invocation) = (columns.next()?, columns.next()?);

    let (found, rest) = split_tag(invocation.trim())?;
    (found == tag).then(|| KnownEntry {
        id: id.trim().to_string(),
        invocation: rest.to_string(),
    })
}

// ------------------------------------------------------ prerequisites

/// Whether this process runs as root.
pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// What a suite needs, each with the reason it prints when skipping.
pub struct Prerequisites {
    /// The reason when not root, such as `needs root (…)`.
    pub root: &'static str,
    /// Programs that must exist, by absolute path.
    pub tools: &'static [&'static str],
    /// The reason when one of `tools` is missing.
    pub tools_missing: &'static str,
    /// Commands that must run and exit 0 (`python3 -c pass`), checked in
    /// order after the tools, each with its reason.
    pub commands: &'static [(&'static [&'static str], &'static str)],
}

impl Prerequisites {
    /// Why the suite cannot run here, if it cannot: the first need that
    /// is not met.
    pub fn missing(&self) -> Option<&'static str> {
        if !is_root() {
            return Some(self.root);
        }
        if !self.tools.iter().all(|tool| Path::new(tool).exists()) {
            return Some(self.tools_missing);
        }
        let failing = self.commands.iter().find(|(argv, _)| !succeeds(argv));
        failing.map(|&(_, reason)| reason)
    }
}

/// Whether `argv` runs and exits 0.
fn succeeds(argv: &[&str]) -> bool {
    let output = Command::new(argv[0]).args(&argv[1..]).output();
    output.is_ok_and(|output| output.status.success())
}

// ---------------------------------------------------------- namespace

/// Where `ip netns exec` finds a namespace's own `/etc` files.
const ETC_NETNS: &str = "/etc/netns";

/// A network namespace made with `ip netns add NAME`, optionally with
/// files in `/etc/netns/NAME` (which `ip netns exec` bind-mounts over
/// `/etc`: a resolver that stays local, names for the suite's addresses).
/// Dropping it deletes the namespace and the files, and `/etc/netns`
/// itself if this guard made it, also after a failure or panic; it only
/// deletes what it made.
pub struct Netns {
    /// The name, for `ip netns exec` and `ip -n`.
    pub name: String,
    /// `/etc/netns/NAME`, once this guard wrote there.
    etc: Option<PathBuf>,
    /// Whether `/etc/netns` was missing before.
    made_etc_netns: bool,
    /// Whether `ip netns add` succeeded.
    added: bool,
}

impl Netns {
    /// `ip netns add NAME`, with no `/etc/netns` files.
    pub fn add(name: &str) -> Result<Netns, String> {
        let mut netns = Netns::named(name);
        netns.add_namespace()?;
        Ok(netns)
    }

    /// Writes `/etc/netns/NAME/FILE` for each `(FILE, TEXT)`, then runs
    /// `ip netns add NAME`.
    pub fn with_files(
        name: &str,
        files: &[(&str, &str)],
    ) -> Result<Netns, String> {
        let mut netns = Netns::named(name);
        netns.write_files(files)?;
        netns.add_namespace()?;
        Ok(netns)
    }

    /// `ip netns exec NAME`, for the caller to add a program to.
    pub fn exec(&self) -> Command {
        let mut command = Command::new("ip");
        command.args(["netns", "exec", &self.name]);
        command
    }

    fn named(name: &str) -> Netns {
        Netns {
            name: name.to_string(),
            etc: None,
            made_etc_netns: false,
            added: false,
        }
    }

    fn write_files(&mut self, files: &[(&str, &str)]) -> Result<(), String> {
        self.made_etc_netns = !Path::new(ETC_NETNS).exists();
        let etc = Path::new(ETC_NETNS).join(&self.name);
        self.etc = Some(etc.clone());
        std::fs::create_dir_all(&etc).map_err(|e| io_error(&etc, e))?;

        for (file, text) in files {
            let path = etc.join(file);
            std::fs::write(&path, text).map_err(|e| io_error(&path, e))?;
        }
        Ok(())
    }

    fn add_namespace(&mut self) -> Result<(), String> {
        let what = format!("ip netns add {}", self.name);
        let output = Command::new("ip")
            .args(["netns", "add", &self.name])
            .output()
            .map_err(|e| format!("{what}: {e}"))?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            return Err(format!("{what}: {}", stderr.trim_end()));
        }
        self.added = true;
        Ok(())
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        if self.added {
            let _ =
                Command::new("ip").args(["netns", "del", &self.name]).status();
        }
        if let Some(etc) = &self.etc {
            let _ = std::fs::remove_dir_all(etc);
        }
        if self.made_etc_netns {
            let _ = std::fs::remove_dir(ETC_NETNS);
        }
    }
}

fn io_error(path: &Path, error: std::io::Error) -> String {
    format!("{}: {error}", path.display())
}
