//! The timer role. The driver starts it once per scenario with
//! `ip netns exec`, so every command it runs sees the benchmark's
//! namespace exactly as under `ip netns exec NS cmd`, without paying ip's
//! setup on each run. It first checks our output against net-tools', then
//! times every tool on every command, interleaved (A B C A B C ...), then
//! the exec floor, and prints one tab-separated line per check and per
//! result for the driver. Progress goes to stderr.

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::PathBuf;
use std::time::Duration;

use crate::check::{self, Verdict};
use crate::commands::{self, Bench, Check, Tool};
use crate::options;
use crate::spawn::{self, Run, Status};
use crate::sys::{Context, Fallible};

/// A warm-up run this slow is kept as a sample rather than thrown away.
const SLOW_WARMUP: Duration = Duration::from_secs(1);

pub struct Config {
    pub ours: OsString,
    pub netstat: OsString,
    pub ss: Option<OsString>,
    pub reps: usize,
    pub budget: Duration,
    pub timeout: Duration,
    pub dir: PathBuf,
    pub connections: u64,
    pub check_p_max: u64,
    pub commands: Vec<&'static Bench>,
}

const VALUED: &[&str] = &[
    "ours",
    "netstat",
    "ss",
    "reps",
    "budget-ms",
    "timeout-ms",
    "dir",
    "n",
    "check-p-max",
    "commands",
];

impl Config {
    /// The arguments the driver passes to `timer` (inverse of `parse`).
    pub fn to_args(&self) -> Vec<OsString> {
        let mut args = vec![OsString::from("timer")];
        let mut push = |name: &str, value: &std::ffi::OsStr| {
            let mut arg = OsString::from(format!("--{name}="));
            arg.push(value);
            args.push(arg);
        };
        push("ours", &self.ours);
        push("netstat", &self.netstat);
        if let Some(ss) = &self.ss {
            push("ss", ss);
        }
        let names: Vec<_> = self.commands.iter().map(|b| b.flags).collect();
        for (name, value) in [
            ("reps", self.reps.to_string()),
            ("budget-ms", self.budget.as_millis().to_string()),
            ("timeout-ms", self.timeout.as_millis().to_string()),
            ("n", self.connections.to_string()),
            ("check-p-max", self.check_p_max.to_string()),
            ("commands", names.join(",")),
        ] {
            push(name, value.as_ref());
        }
        push("dir", self.dir.as_os_str());
        args
    }

    fn parse(args: &[String]) -> Fallible<Config> {
        let args = options::parse(args, VALUED, &[])?;
        let millis = |name| args.number(name, 0).map(Duration::from_millis);
        Ok(Config {
            ours: args.required("ours")?.into(),
            netstat: args.required("netstat")?.into(),
            ss: args.value("ss").map(OsString::from),
            reps: args.number("reps", 7)?,
            budget: millis("budget-ms")?,
            timeout: millis("timeout-ms")?,
            dir: args.required("dir")?.into(),
            connections: args.number("n", 0)?,
            check_p_max: args.number("check-p-max", 0)?,
            commands: parse_commands(args.required("commands")?)?,
        })
    }

    /// The full command line for `tool` running `bench`, if it takes part.
    fn argv(&self, tool: Tool, bench: &Bench) -> Option<Vec<OsString>> {
        let program = match tool {
            Tool::Ours => &self.ours,
            Tool::NetTools => &self.netstat,
            Tool::Ss => self.ss.as_ref()?,
        };
        let mut argv = vec![program.clone()];
        argv.extend(tool.flags(bench)?.split(' ').map(OsString::from));
        Some(argv)
    }
}

pub fn parse_commands(list: &str) -> Fallible<Vec<&'static Bench>> {
    list.split(',')
        .filter(|name| !name.is_empty())
        .map(|name| {
            commands::find(name)
                .ok_or_else(|| format!("unknown command {name:?}"))
        })
        .collect()
}

pub fn main(args: &[String]) -> Fallible<()> {
    let config = Config::parse(args)?;
    let mut out = io::stdout().lock();
    for bench in &config.commands {
        let verdict = check_one(&config, bench)?;
        writeln!(
            out,
            "check\t{}\t{}\t{}",
            bench.flags, verdict.grade, verdict.text
        )
        .ctx("stdout")?;
    }
    for bench in &config.commands {
        let mut series = tools_for(&config, bench);
        eprintln!("  timing netstat {}", bench.flags);
        time_all(&config, &mut series)?;
        for one in &series {
            emit(&mut out, bench.flags, one)?;
        }
    }
    let floor = vec![OsString::from("/bin/true")];
    let mut floor = vec![Series::new("floor", floor)];
    time_all(&config, &mut floor)?;
    emit(&mut out, "/bin/true", &floor[0])?;
    out.flush().ctx("stdout")
}

fn check_one(config: &Config, bench: &Bench) -> Fallible<Verdict> {
    if bench.check == Check::BytesUpToCheckMax
        && config.connections > config.check_p_max
    {
        return Ok(Verdict::skipped("not checked above --check-p-max"));
    }
    let ours = config.argv(Tool::Ours, bench).expect("ours always runs");
    let theirs = config.argv(Tool::NetTools, bench).expect("always runs");
    let verdict = check::compare(
        &ours,
        &theirs,
        bench.check,
        &config.dir,
        config.timeout,
    )?;
    if verdict.grade == "warn" {
        eprintln!("WARNING: netstat {}: {}", bench.flags, verdict.text);
        if !verdict.detail.is_empty() {
            eprintln!("{}", verdict.detail);
        }
    }
    Ok(verdict)
}

fn tools_for(config: &Config, bench: &Bench) -> Vec<Series> {
    Tool::ALL
        .into_iter()
        .filter_map(|tool| {
            let argv = config.argv(tool, bench)?;
            Some(Series::new(tool.name(), argv))
        })
        .collect()
}

/// The runs of one tool on one command.
struct Series {
    label: &'static str,
    argv: Vec<OsString>,
    samples: Vec<Duration>,
    spent: Duration,
    maxrss_kib: u64,
    failure: Option<Status>,
}

impl Series {
    fn new(label: &'static str, argv: Vec<OsString>) -> Series {
        let zero = Duration::ZERO;
        let (samples, failure) = (Vec::new(), None);
        Series { label, argv, samples, spent: zero, maxrss_kib: 0, failure }
    }

    fn wants_more(&self, config: &Config) -> bool {
        self.failure.is_none()
            && self.samples.len() < config.reps
            && self.spent < config.budget
    }

    fn record(&mut self, run: Run, warmup: bool) {
        self.spent += run.wall;
        self.maxrss_kib = self.maxrss_kib.max(run.maxrss_kib);
        if run.status != Status::Ok {
            self.failure = Some(run.status);
        } else if !warmup || run.wall >= SLOW_WARMUP {
            self.samples.push(run.wall);
        }
    }

    fn run_once(&mut self, config: &Config, warmup: bool) -> Fallible<()> {
        let run = spawn::measure(&self.argv, None, config.timeout)?;
        self.record(run, warmup);
        Ok(())
    }

    fn median_us(&self) -> u128 {
        let mut sorted = self.samples.clone();
        sorted.sort();
        match sorted.len() {
            0 => 0,
            len if len % 2 == 1 => sorted[len / 2].as_micros(),
            len => (sorted[len / 2 - 1] + sorted[len / 2]).as_micros() / 2,
        }
    }

    fn status(&self) -> String {
        self.failure.as_ref().map_or_else(|| "ok".into(), Status::text)
    }
}

/// One warm-up round, then rounds over every tool still wanting runs.
fn time_all(config: &Config, series: &mut [Series]) -> Fallible<()> {
    for one in series.iter_mut() {
        one.run_once(config, true)?;
    }
    while series.iter().any(|one| one.wants_more(config)) {
        for one in series.iter_mut().filter(|one| one.wants_more(config)) {
            one.run_once(config, false)?;
        }
    }
    Ok(())
}

fn emit(out: &mut impl Write, name: &str, series: &Series) -> Fallible<()> {
    let median = series.median_us();
    eprintln!(
        "    {:<8} {:>12.2} ms  {:>6.1} MiB  {} runs  {}",
        series.label,
        median as f64 / 1000.0,
        series.maxrss_kib as f64 / 1024.0,
        series.samples.len(),
        series.status(),
    );
    writeln!(
        out,
        "result\t{name}\t{}\t{}\t{median}\t{}\t{}",
        series.label,
        series.status(),
        series.maxrss_kib,
        series.samples.len(),
    )
    .ctx("stdout")
}
