//! The driver's options (`netstat-bench --help`), with their defaults.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::commands::{self, Bench};
use crate::options;
use crate::sys::Fallible;
use crate::timer;

pub const USAGE: &str = "\
usage: bench/run [options]        (as root; builds, then runs the benchmark)

  --sizes LIST      connection counts, e.g. 1k,10k,100k (default)
  --quick           same as --sizes 1k,10k
  --procs LIST      extra holder processes per scenario, e.g. 0,1000
                    (default 0); every size is run with every count
  --extra LIST|none more N:P scenarios (default 10k:1000, the -tanp
                    target with 1,000 extra processes)
  --reps R          timed runs per tool and command (default 7)
  --budget SECS     stop timing a tool on a command once its runs add up
                    to this much (default 15); slow -p runs get 1 run
  --timeout SECS    kill a run after this long and report timeout
                    (default 120)
  --commands LIST   subset of -tan,-tln,-an,-xa,-tanp,-tlnp,-s,-i,-rn
  --check-p-max N   compare -tanp/-tlnp output only up to N connections
                    (default 10k; net-tools -p is quadratic)
  --ours PATH       our binary (default $CARGO_TARGET_DIR/release/netstat
                    or target/release/netstat)
  --ours-commit REV what --ours was built from, for the report (default:
                    this checkout's HEAD and whether crates/ differ)
  --netstat PATH    net-tools netstat (default /usr/bin/netstat)
  --ss PATH|none    ss (default: found in /usr/bin, /usr/sbin, /bin, /sbin)
  --out FILE|-      Markdown report file (default bench/RESULTS.md;
                    - writes stdout only)
  --append          append to --out instead of replacing it
  --label TEXT      heading of this run's section in the report
";

pub struct Options {
    /// Every (connections, extra processes) scenario, in run order.
    pub scenarios: Vec<(u64, u64)>,
    pub reps: usize,
    pub budget: Duration,
    pub timeout: Duration,
    pub commands: Vec<&'static Bench>,
    pub check_p_max: u64,
    pub ours: PathBuf,
    pub ours_commit: Option<String>,
    pub netstat: PathBuf,
    pub ss: Option<PathBuf>,
    pub out: Option<PathBuf>,
    pub append: bool,
    pub label: String,
    pub command_line: String,
}

const VALUED: &[&str] = &[
    "sizes",
    "procs",
    "extra",
    "reps",
    "budget",
    "timeout",
    "commands",
    "check-p-max",
    "ours",
    "ours-commit",
    "netstat",
    "ss",
    "out",
    "label",
];

/// The workspace root, known at build time.
pub fn workspace() -> PathBuf {
    let bench = Path::new(env!("CARGO_MANIFEST_DIR"));
    bench.parent().unwrap_or(bench).to_path_buf()
}

/// Parses the driver's arguments; `None` means help was printed.
pub fn parse(args: &[String]) -> Fallible<Option<Options>> {
    if args.iter().any(|arg| arg == "-h" || arg == "--help") {
        print!("{USAGE}");
        return Ok(None);
    }
    let args = options::parse(args, VALUED, &["quick", "append"])?;
    let default_sizes =
        if args.has("quick") { "1k,10k" } else { "1k,10k,100k" };
    let all: Vec<_> = commands::ALL.iter().map(|bench| bench.flags).collect();
    let seconds =
        |name, default| args.number(name, default).map(Duration::from_secs_f64);
    Ok(Some(Options {
        scenarios: scenarios(
            &options::counts(args.value("sizes").unwrap_or(default_sizes))?,
            &options::counts(args.value("procs").unwrap_or("0"))?,
            args.value("extra").unwrap_or("10k:1000"),
        )?,
        reps: args.number("reps", 7)?.max(1),
        budget: seconds("budget", 15.0)?,
        timeout: seconds("timeout", 120.0)?,
        commands: timer::parse_commands(
            args.value("commands").unwrap_or(&all.join(",")),
        )?,
        check_p_max: options::count(
            args.value("check-p-max").unwrap_or("10k"),
        )?,
        ours: path_or(args.value("ours"), default_ours()),
        ours_commit: args.value("ours-commit").map(str::to_string),
        netstat: program(args.value("netstat").unwrap_or("/usr/bin/netstat")),
        ss: find_ss(args.value("ss")),
        out: output(args.value("out")),
        append: args.has("append"),
        label: args.value("label").unwrap_or("Run").to_string(),
        command_line: command_line(),
    }))
}

fn path_or(value: Option<&str>, default: PathBuf) -> PathBuf {
    value.map_or(default, PathBuf::from)
}

/// Every size with every holder count, plus the extra `N:P` pairs,
/// ordered by holder count, then size, so scaling compares like with like.
fn scenarios(
    sizes: &[u64],
    procs: &[u64],
    extra: &str,
) -> Fallible<Vec<(u64, u64)>> {
    let mut all: Vec<(u64, u64)> = sizes
        .iter()
        .flat_map(|&n| procs.iter().map(move |&p| (n, p)))
        .collect();
    for pair in extra.split(',').filter(|pair| !pair.is_empty()) {
        if pair == "none" {
            continue;
        }
        let (n, p) = pair
            .split_once(':')
            .ok_or_else(|| format!("--extra: expected N:P, got {pair:?}"))?;
        all.push((options::count(n)?, options::count(p)?));
    }
    all.sort_by_key(|&(n, p)| (p, n));
    all.dedup();
    Ok(all)
}

fn default_ours() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| workspace().join("target"), PathBuf::from);
    target.join("release/netstat")
}

/// A program named on the command line, looked up in PATH if it has no
/// slash: the timer execs it without a PATH search.
fn program(name: &str) -> PathBuf {
    if name.contains('/') {
        return name.into();
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| name.into())
}

fn find_ss(value: Option<&str>) -> Option<PathBuf> {
    match value {
        Some("none") => None,
        Some(path) => Some(program(path)),
        None => ["/usr/bin/ss", "/usr/sbin/ss", "/bin/ss", "/sbin/ss"]
            .into_iter()
            .map(PathBuf::from)
            .find(|path| path.exists()),
    }
}

fn output(value: Option<&str>) -> Option<PathBuf> {
    match value {
        Some("-") => None,
        Some(path) => Some(path.into()),
        None => Some(workspace().join("bench/RESULTS.md")),
    }
}

/// How this run was started: the wrapper script's name (from
/// `BENCH_PROGRAM`) or ours, then the arguments, quoted for a shell.
fn command_line() -> String {
    let mut args = std::env::args();
    let program = args.next().unwrap_or_default();
    let mut words = vec![std::env::var("BENCH_PROGRAM").unwrap_or(program)];
    words.extend(args.map(|arg| shell_quote(&arg)));
    words.join(" ")
}

/// `arg` as a shell would need it typed.
fn shell_quote(arg: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_.,:/=+@%".contains(c);
    if !arg.is_empty() && arg.chars().all(plain) {
        return arg.to_string();
    }
    format!("'{}'", arg.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_when_needed() {
        assert_eq!(shell_quote("--sizes=1k,10k"), "--sizes=1k,10k");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }

    #[test]
    fn scenarios_group_by_holder_count() {
        let all = scenarios(&[1_000, 10_000], &[0], "10k:1000").unwrap();
        assert_eq!(all, [(1_000, 0), (10_000, 0), (10_000, 1_000)]);
        let none = scenarios(&[1_000], &[0, 5], "none").unwrap();
        assert_eq!(none, [(1_000, 0), (1_000, 5)]);
    }
}
