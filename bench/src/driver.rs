//! The driver role (the default): for every size and holder count it
//! creates a private namespace, starts the shard processes that hold the
//! load, runs the timer inside the namespace, and then tears everything
//! down, by pid and in order, even after an error or Ctrl-C. At the end
//! it prints the Markdown report and writes it to bench/RESULTS.md.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

use crate::config::{self, Options};
use crate::load::Plan;
use crate::machine;
use crate::report;
use crate::results::{self, Scenario};
use crate::signals;
use crate::sys::{self, Context, Fallible};
use crate::timer;

/// The first lines of a new report file.
const TITLE: &str = "# netstat-rs benchmark results\n\n\
    Written by `bench/run`; bench/README.md explains the load, the method\n\
    and how to read the ratios against the targets of issue 4.\n\n";

/// Most descriptors one shard may hold: under the usual 20,000 hard limit.
const SHARD_FDS: u64 = 18_000;
/// TCP listeners per shard (the connections' destinations).
const LISTENERS: u64 = 8;
/// First listening port.
const PORT_BASE: u64 = 10_000;
/// IPv6 connections per scenario.
const IPV6: u64 = 16;

pub fn main(args: &[String]) -> Fallible<()> {
    let Some(opts) = config::parse(args)? else { return Ok(()) };
    if !sys::is_root() {
        return Err("run as root: it creates a network namespace".into());
    }
    check_tools(&opts)?;
    signals::install()?;
    let fd_limit = sys::raise_nofile().min(SHARD_FDS);
    let machine = machine::gather(
        &config::workspace(),
        &opts.netstat,
        opts.ss.as_deref(),
    );
    let run_dir =
        TempDir::create(format!("/tmp/nsrs-bench-{}", std::process::id()))?;
    let ours = snapshot(&opts.ours, &run_dir.path)?;
    let mut scenarios = Vec::new();
    for (index, &(connections, procs)) in opts.scenarios.iter().enumerate() {
        let dir = run_dir.path.join(format!("s{index}"));
        let load = Load { connections, procs, fd_limit, dir, ours: &ours };
        scenarios.push(run_scenario(&opts, &load)?);
    }
    let text = report::render(&machine, &opts, &scenarios);
    print!("{text}");
    write_report(&opts, &text)
}

/// Copies our binary aside, so that a rebuild by someone else sharing
/// the target directory cannot change it halfway through the run.
fn snapshot(ours: &Path, dir: &Path) -> Fallible<PathBuf> {
    let copy = dir.join("netstat");
    std::fs::copy(ours, &copy).ctx(format!("copying {}", ours.display()))?;
    Ok(copy)
}

fn check_tools(opts: &Options) -> Fallible<()> {
    if !opts.ours.is_file() {
        return Err(format!(
            "{} not found: build it with cargo build --release -p netstat",
            opts.ours.display()
        ));
    }
    if !opts.netstat.is_file() {
        return Err(format!("{} not found", opts.netstat.display()));
    }
    if opts.ss.is_none() {
        eprintln!("netstat-bench: ss not found; comparing with net-tools only");
    }
    Ok(())
}

fn write_report(opts: &Options, text: &str) -> Fallible<()> {
    let Some(path) = &opts.out else { return Ok(()) };
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .append(opts.append)
        .truncate(!opts.append)
        .open(path)
        .ctx(path.display())?;
    let fresh = file.metadata().map_or(true, |meta| meta.len() == 0);
    let title = if fresh { TITLE } else { "\n" };
    file.write_all(title.as_bytes()).ctx(path.display())?;
    file.write_all(text.as_bytes()).ctx(path.display())?;
    eprintln!("netstat-bench: wrote {}", path.display());
    Ok(())
}

/// What one scenario asks for, and where it runs.
struct Load<'a> {
    connections: u64,
    procs: u64,
    fd_limit: u64,
    dir: PathBuf,
    ours: &'a Path,
}

fn run_scenario(opts: &Options, load: &Load) -> Fallible<Scenario> {
    let (n, p) = (load.connections, load.procs);
    eprintln!("== {n} connections, {p} extra processes");
    let pid = std::process::id();
    let netns = Netns::create(format!("nsrs-bench-{pid}"))?;
    let dir = TempDir::create(load.dir.clone())?;
    let plans = plan_shards(load);
    let started = Instant::now();
    let shards = Shards::start(&netns.name, &dir.path, &plans)?;
    let setup = started.elapsed();
    eprintln!(
        "   {} shard processes ready in {:.1} s",
        plans.len(),
        setup.as_secs_f64()
    );
    let load_average = machine::load_average();
    let output = run_timer(opts, load, &netns.name)?;
    let (checks, results) = results::parse(&output)?;
    drop(shards);
    signals::forget_all();
    Ok(Scenario {
        connections: n,
        procs: p,
        shards: plans.len(),
        unix: plans.iter().map(|plan| plan.unix / 2 * 2).sum(),
        udp: plans.iter().map(|plan| plan.udp).sum(),
        listeners: plans.len() as u64 * LISTENERS,
        ipv6: IPV6,
        setup,
        load_average,
        checks,
        results,
    })
}

/// Splits the load into shards that each stay under the fd limit. Every
/// connection costs 2 TCP fds, 1 unix fd and a tenth of a UDP fd.
fn plan_shards(load: &Load) -> Vec<Plan> {
    let per_shard = (load.fd_limit.saturating_sub(200) * 10 / 31).max(100);
    let count = load.connections.div_ceil(per_shard).max(1);
    let share = |total: u64, index: u64| {
        (index + 1) * total / count - index * total / count
    };
    let (mut first, mut udp_first) = (0, 0);
    (0..count)
        .map(|shard| {
            let conns = share(load.connections, shard);
            let plan = Plan {
                shard,
                conns,
                first,
                unix: conns,
                udp: conns / 10,
                udp_first,
                procs: share(load.procs, shard),
                listeners: LISTENERS,
                port_base: PORT_BASE,
                ipv6: if shard == 0 { IPV6 } else { 0 },
            };
            first += conns;
            udp_first += plan.udp;
            plan
        })
        .collect()
}

/// Starts a child that dies with us and can be killed on Ctrl-C.
fn spawn_child(command: &mut Command) -> Fallible<(Child, OwnedFd)> {
    let parent = std::process::id() as libc::pid_t;
    // SAFETY: die_with_parent only makes async-signal-safe calls.
    unsafe { command.pre_exec(move || sys::die_with_parent(parent)) };
    let child = command.spawn().ctx(format!("{command:?}"))?;
    let pidfd = sys::pidfd_open(child.id() as libc::pid_t).ctx("pidfd_open")?;
    signals::register(pidfd.try_clone().ctx("dup")?);
    Ok((child, pidfd))
}

fn run_timer(opts: &Options, load: &Load, netns: &str) -> Fallible<String> {
    let exe = std::env::current_exe().ctx("current_exe")?;
    let config = timer::Config {
        ours: load.ours.into(),
        netstat: opts.netstat.clone().into(),
        ss: opts.ss.clone().map(Into::into),
        reps: opts.reps,
        budget: opts.budget,
        timeout: opts.timeout,
        dir: load.dir.clone(),
        connections: load.connections,
        check_p_max: opts.check_p_max,
        commands: opts.commands.clone(),
    };
    let mut command = Command::new("ip");
    command.args(["netns", "exec", netns]).arg(exe).args(config.to_args());
    command.stdin(Stdio::null()).stdout(Stdio::piped());
    let (mut child, _pidfd) = spawn_child(&mut command)?;
    let mut output = String::new();
    let stdout = child.stdout.take().expect("piped");
    BufReader::new(stdout).read_to_string(&mut output).ctx("timer output")?;
    let status = child.wait().ctx("timer")?;
    if signals::interrupted() {
        return Err("interrupted".into());
    }
    if !status.success() {
        return Err(format!("the timer failed: {status}"));
    }
    Ok(output)
}

/// The shard processes of one scenario. Dropping closes their stdin (they
/// then kill their holders and exit), waits, and SIGKILLs stragglers.
struct Shards {
    running: Vec<Shard>,
}

struct Shard {
    child: Child,
    stdin: Option<ChildStdin>,
    pidfd: OwnedFd,
}

impl Shards {
    fn start(netns: &str, dir: &Path, plans: &[Plan]) -> Fallible<Shards> {
        let exe = std::env::current_exe().ctx("current_exe")?;
        let mut shards = Shards { running: Vec::new() };
        for plan in plans {
            let mut command = Command::new(&exe);
            command.arg("load").args(plan.to_args());
            command.arg(format!("--netns={netns}"));
            command.arg(format!("--dir={}", dir.display()));
            command.stdin(Stdio::piped()).stdout(Stdio::piped());
            let (mut child, pidfd) = spawn_child(&mut command)?;
            let stdin = child.stdin.take();
            shards.running.push(Shard { child, stdin, pidfd });
        }
        for (index, shard) in shards.running.iter_mut().enumerate() {
            shard.wait_ready(index)?;
        }
        Ok(shards)
    }
}

impl Shard {
    fn wait_ready(&mut self, index: usize) -> Fallible<()> {
        let stdout = self.child.stdout.take().expect("piped");
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).ctx("shard output")?;
        if signals::interrupted() {
            return Err("interrupted".into());
        }
        if !line.starts_with("ready") {
            return Err(format!("shard {index} failed to build its sockets"));
        }
        Ok(())
    }
}

impl Drop for Shards {
    fn drop(&mut self) {
        for shard in &mut self.running {
            shard.stdin.take();
        }
        for shard in &mut self.running {
            let grace = Duration::from_secs(30);
            let exited = sys::wait_exit(shard.pidfd.as_fd(), grace);
            if !matches!(exited, Ok(true)) {
                let _ = sys::pidfd_kill(shard.pidfd.as_fd(), libc::SIGKILL);
            }
            let _ = shard.child.wait();
        }
    }
}

/// A network namespace with lo up, deleted on drop.
struct Netns {
    name: String,
}

impl Netns {
    fn create(name: String) -> Fallible<Netns> {
        ip(&["netns", "add", &name])?;
        let netns = Netns { name };
        ip(&["-n", &netns.name, "link", "set", "lo", "up"])?;
        Ok(netns)
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        if let Err(error) = ip(&["netns", "del", &self.name]) {
            eprintln!(
                "netstat-bench: {error}; run: ip netns del {}",
                self.name
            );
        }
    }
}

/// Runs `ip` in its own process group, so a Ctrl-C on the terminal does
/// not interrupt the clean-up.
fn ip(args: &[&str]) -> Fallible<()> {
    let status = Command::new("ip")
        .args(args)
        .process_group(0)
        .status()
        .ctx("cannot run ip")?;
    if !status.success() {
        return Err(format!("ip {} failed: {status}", args.join(" ")));
    }
    Ok(())
}

/// A scratch directory for unix socket paths and check outputs.
struct TempDir {
    path: PathBuf,
}

impl TempDir {
    fn create(path: impl Into<PathBuf>) -> Fallible<TempDir> {
        let path = path.into();
        std::fs::create_dir(&path).ctx(path.display())?;
        Ok(TempDir { path })
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}
