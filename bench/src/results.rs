//! The measurements of one scenario as the driver collects them from the
//! timer's tab-separated lines, with the lookups the report needs.

use std::time::Duration;

use crate::sys::Fallible;

/// One load (N connections, P holder processes) and what was measured.
pub struct Scenario {
    pub connections: u64,
    pub procs: u64,
    pub shards: usize,
    pub unix: u64,
    pub udp: u64,
    pub listeners: u64,
    pub ipv6: u64,
    pub setup: Duration,
    pub load_average: String,
    pub checks: Vec<CheckLine>,
    pub results: Vec<ResultLine>,
}

/// `check <command> <grade> <text>`
pub struct CheckLine {
    pub command: String,
    pub grade: String,
    pub text: String,
}

/// `result <command> <tool> <status> <median µs> <peak RSS KiB> <runs>`
pub struct ResultLine {
    pub command: String,
    pub tool: String,
    pub status: String,
    pub median_us: u64,
    pub rss_kib: u64,
    pub runs: u64,
}

impl ResultLine {
    /// The median in milliseconds, if the tool ran cleanly.
    pub fn millis(&self) -> Option<f64> {
        let ok = self.status == "ok" && self.runs > 0;
        ok.then_some(self.median_us as f64 / 1000.0)
    }
}

/// Splits the timer's output into check and result lines.
pub fn parse(text: &str) -> Fallible<(Vec<CheckLine>, Vec<ResultLine>)> {
    let (mut checks, mut results) = (Vec::new(), Vec::new());
    for line in text.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            ["check", command, grade, text] => checks.push(CheckLine {
                command: command.to_string(),
                grade: grade.to_string(),
                text: text.to_string(),
            }),
            ["result", command, tool, status, median, rss, runs] => {
                results.push(ResultLine {
                    command: command.to_string(),
                    tool: tool.to_string(),
                    status: status.to_string(),
                    median_us: number(median)?,
                    rss_kib: number(rss)?,
                    runs: number(runs)?,
                });
            }
            _ => return Err(format!("unexpected timer output: {line:?}")),
        }
    }
    Ok((checks, results))
}

fn number(text: &str) -> Fallible<u64> {
    text.parse().map_err(|_| format!("bad number in timer output: {text:?}"))
}

impl Scenario {
    pub fn result(&self, command: &str, tool: &str) -> Option<&ResultLine> {
        let mut found = self.results.iter();
        found.find(|line| line.command == command && line.tool == tool)
    }

    /// The median in milliseconds of `tool` on `command`, if it ran cleanly.
    pub fn millis(&self, command: &str, tool: &str) -> Option<f64> {
        self.result(command, tool).and_then(ResultLine::millis)
    }

    pub fn check(&self, command: &str) -> Option<&CheckLine> {
        self.checks.iter().find(|line| line.command == command)
    }

    /// True when our output was checked and found different.
    pub fn output_differs(&self, command: &str) -> bool {
        self.check(command).is_some_and(|check| check.grade == "warn")
    }
}

/// The scaling exponent k in t ~ N^k between two scenarios.
pub fn exponent(
    small: &Scenario,
    large: &Scenario,
    command: &str,
    tool: &str,
) -> Option<f64> {
    let (before, after) =
        (small.millis(command, tool)?, large.millis(command, tool)?);
    let growth = large.connections as f64 / small.connections as f64;
    (before > 0.0 && growth > 1.0).then(|| (after / before).ln() / growth.ln())
}

/// Pairs of scenarios with the same holder count and consecutive sizes.
pub fn size_steps(scenarios: &[Scenario]) -> Vec<(&Scenario, &Scenario)> {
    let mut steps = Vec::new();
    for (index, small) in scenarios.iter().enumerate() {
        let larger = scenarios[index + 1..].iter().filter(|large| {
            large.procs == small.procs && large.connections > small.connections
        });
        if let Some(next) = larger.min_by_key(|large| large.connections) {
            steps.push((small, next));
        }
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_kinds_of_line() {
        let text = "check\t-tan\tok\tidentical (3 lines)\n\
                    result\t-tan\tours\tok\t1500\t2048\t7\n\
                    result\t-tan\tss\ttimeout\t0\t3000\t0\n";
        let (checks, results) = parse(text).unwrap();
        assert_eq!(checks[0].grade, "ok");
        assert_eq!(results[0].millis(), Some(1.5));
        assert_eq!(results[1].millis(), None);
        assert!(parse("nonsense\n").is_err());
    }
}
