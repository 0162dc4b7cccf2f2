//! The targets of issue 4, checked against one run: time ratios against
//! ss and net-tools at the sizes the issue names, peak memory, and the
//! scaling exponent. A target counts as met only if our output for that
//! command was not found to differ from net-tools'.

use crate::commands::{self, Kind, Tool};
use crate::results::{self, Scenario};

/// A time ratio target: ours / `against` on `command` ≤ `max`.
struct Goal {
    command: &'static str,
    size: Option<u64>,
    procs: Option<u64>,
    against: Tool,
    max: f64,
}

const fn goal(
    command: &'static str,
    size: Option<u64>,
    procs: Option<u64>,
    against: Tool,
    max: f64,
) -> Goal {
    Goal { command, size, procs, against, max }
}

const K100: Option<u64> = Some(100_000);

static GOALS: [Goal; 13] = [
    goal("-tan", K100, None, Tool::Ss, 0.6),
    goal("-tan", K100, None, Tool::NetTools, 0.4),
    goal("-tan", Some(1_000), None, Tool::Ss, 0.75),
    goal("-tln", K100, None, Tool::Ss, 0.1),
    goal("-an", K100, None, Tool::Ss, 0.55),
    goal("-xa", K100, None, Tool::Ss, 0.55),
    goal("-tanp", K100, None, Tool::NetTools, 0.05),
    goal("-tanp", K100, None, Tool::Ss, 0.04),
    goal("-tanp", Some(10_000), Some(1_000), Tool::Ss, 0.55),
    goal("-tlnp", K100, None, Tool::Ss, 0.7),
    goal("-s", None, None, Tool::NetTools, 1.2),
    goal("-i", None, None, Tool::NetTools, 1.2),
    goal("-rn", None, None, Tool::NetTools, 1.2),
];

/// One line of the targets table.
pub struct Row {
    pub target: String,
    pub measured: String,
    pub verdict: String,
}

fn row(target: String, measured: String, verdict: impl Into<String>) -> Row {
    Row { target, measured, verdict: verdict.into() }
}

/// Every target this run can judge, in the order.
pub fn evaluate(scenarios: &[Scenario]) -> Vec<Row> {
    let mut rows = Vec::new();
    for goal in &GOALS {
        for scenario in matching(goal, scenarios) {
            rows.extend(ratio_row(goal, scenario));
        }
    }
    rows.extend(flat_listen_row(scenarios));
    rows.extend(memory_row(scenarios, Kind::Listing, None, 4.0));
    rows.extend(memory_row(scenarios, Kind::Owners, K100, 16.0));
    rows.extend(scaling_row(scenarios));
    rows
}

/// The scenarios a goal applies to; size-free goals use the first one.
fn matching<'a>(goal: &Goal, scenarios: &'a [Scenario]) -> Vec<&'a Scenario> {
    let Some(size) = goal.size else {
        return scenarios.iter().take(1).collect();
    };
    let procs_ok = |s: &Scenario| goal.procs.is_none_or(|p| s.procs == p);
    let fits = |s: &&Scenario| s.connections == size && procs_ok(s);
    scenarios.iter().filter(fits).collect()
}

/// The row for one goal in one scenario; none if the command was not run.
fn ratio_row(goal: &Goal, scenario: &Scenario) -> Option<Row> {
    let bench = commands::find(goal.command).expect("a known command");
    let theirs = goal.against.flags(bench).unwrap_or("");
    let target = format!(
        "`{}` ≤ {}x `{} {}` ({}, P={})",
        goal.command,
        goal.max,
        goal.against.name(),
        theirs,
        crate::report::size(scenario.connections),
        scenario.procs,
    );
    let ours = scenario.result(goal.command, "ours")?;
    let against = scenario.result(goal.command, goal.against.name())?;
    let (Some(a), Some(b)) = (ours.millis(), against.millis()) else {
        let failed = if ours.millis().is_none() { ours } else { against };
        let why = format!("{} {}", failed.tool, failed.status);
        return Some(row(target, "–".into(), why));
    };
    let ratio = a / b;
    let verdict = judge(ratio <= goal.max, scenario, goal.command);
    Some(row(target, format!("{}x", crate::report::ratio(ratio)), verdict))
}

fn judge(met: bool, scenario: &Scenario, command: &str) -> &'static str {
    match (met, scenario.output_differs(command)) {
        (_, true) => "missed: output differs",
        (true, false) => "met",
        (false, false) => "missed",
    }
}

fn flat_listen_row(scenarios: &[Scenario]) -> Option<Row> {
    let scenario = scenarios.iter().find(|s| s.connections == 100_000)?;
    let ours = scenario.millis("-tln", "ours")?;
    let target = "`-tln` flat in N: ≤ 5 ms at 100k (PERFORMANCE.md)".into();
    let verdict = judge(ours <= 5.0, scenario, "-tln");
    Some(row(target, format!("{ours:.1} ms"), verdict))
}

/// The largest peak RSS of ours over commands of `kind`.
fn memory_row(
    scenarios: &[Scenario],
    kind: Kind,
    size: Option<u64>,
    max_mib: f64,
) -> Option<Row> {
    let mut worst: Option<(f64, &str, u64)> = None;
    for scenario in scenarios {
        if size.is_some_and(|size| scenario.connections != size) {
            continue;
        }
        for bench in commands::ALL.iter().filter(|bench| bench.kind == kind) {
            let Some(line) = scenario.result(bench.flags, "ours") else {
                continue;
            };
            let mib = line.rss_kib as f64 / 1024.0;
            if worst.is_none_or(|(most, _, _)| mib > most) {
                worst = Some((mib, bench.flags, scenario.connections));
            }
        }
    }
    let (mib, command, connections) = worst?;
    let what =
        if kind == Kind::Listing { "listings, any N" } else { "`-p`, 100k" };
    Some(row(
        format!("peak RSS ≤ {max_mib} MiB ({what})"),
        format!(
            "{mib:.1} MiB (`{command}`, {})",
            crate::report::size(connections)
        ),
        if mib <= max_mib { "met" } else { "missed" },
    ))
}

/// The worst exponent of ours from 10k to 100k over every command.
fn scaling_row(scenarios: &[Scenario]) -> Option<Row> {
    let mut worst: Option<(f64, &str)> = None;
    for (small, large) in results::size_steps(scenarios) {
        if small.connections != 10_000 || large.connections != 100_000 {
            continue;
        }
        for bench in &commands::ALL {
            let Some(k) = results::exponent(small, large, bench.flags, "ours")
            else {
                continue;
            };
            if worst.is_none_or(|(most, _)| k > most) {
                worst = Some((k, bench.flags));
            }
        }
    }
    let (k, command) = worst?;
    Some(row(
        "scaling exponent ≤ 1.1 from 10k to 100k, every command".into(),
        format!("worst k = {k:.2} (`{command}`)"),
        if k <= 1.1 { "met" } else { "missed" },
    ))
}
