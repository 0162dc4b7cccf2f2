//! Renders one run as Markdown: the machine and method, one table per
//! scenario (medians, ratios, peak RSS, runs, output check), the scaling
//! exponents and the issue-4 targets.

use std::fmt::Write;

use crate::commands::{self, Tool};
use crate::config::Options;
use crate::machine::Machine;
use crate::results::{self, ResultLine, Scenario};
use crate::targets;

pub fn render(
    machine: &Machine,
    opts: &Options,
    scenarios: &[Scenario],
) -> String {
    let mut text = String::new();
    header(&mut text, machine, opts);
    for scenario in scenarios {
        scenario_table(&mut text, scenario);
    }
    scaling_table(&mut text, scenarios);
    targets_table(&mut text, scenarios);
    text
}

/// `1k`, `10k`, `100k`, or the plain number.
pub fn size(connections: u64) -> String {
    if connections >= 1000 && connections.is_multiple_of(1000) {
        format!("{}k", connections / 1000)
    } else {
        connections.to_string()
    }
}

/// Milliseconds with about three significant digits.
fn millis(value: f64) -> String {
    match value {
        v if v < 10.0 => format!("{v:.2}"),
        v if v < 100.0 => format!("{v:.1}"),
        v => grouped(v.round() as u64),
    }
}

/// An integer with thousands separators.
fn grouped(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

fn header(text: &mut String, machine: &Machine, opts: &Options) {
    let _ = writeln!(text, "## {}\n", opts.label);
    let rows = [
        ("Date", machine.date.clone()),
        (
            "Machine",
            format!(
                "{}, {} cores, {:.1} GiB RAM",
                machine.cpu, machine.cores, machine.memory_gib
            ),
        ),
        ("Kernel", machine.kernel.clone()),
        (
            "Ours",
            format!(
                "`{}`, commit {}",
                shown_path(&opts.ours),
                opts.ours_commit.as_deref().unwrap_or(&machine.commit)
            ),
        ),
        (
            "net-tools",
            format!("{} (`{}`)", machine.net_tools, opts.netstat.display()),
        ),
        ("ss", machine.ss.clone()),
        ("Command", format!("`{}`", opts.command_line)),
    ];
    let _ = writeln!(text, "| | |\n|---|---|");
    for (name, value) in rows {
        let _ = writeln!(text, "| {name} | {value} |");
    }
    text.push('\n');
    paragraph(
        text,
        &format!(
            "Every command ran inside the benchmark's namespace with stdout \
             on /dev/null, after one warm-up run. Times are the median wall \
             time of up to {} runs, the tools taking turns; a tool stops \
             once its runs of one command add up to {} s (so very slow runs \
             are timed once) and a run is killed after {} s. Peak RSS is \
             the child's `ru_maxrss`; the exec floor line shows the \
             smallest value the method can report. A ratio below 1 means \
             ours is faster.",
            opts.reps,
            opts.budget.as_secs_f64(),
            opts.timeout.as_secs_f64(),
        ),
    );
    text.push('\n');
}

/// Appends `words` wrapped at 80 columns, ending with a newline.
fn paragraph(text: &mut String, words: &str) {
    let mut width = 0;
    for word in words.split_whitespace() {
        let length = word.chars().count();
        if width > 0 && width + 1 + length > 80 {
            text.push('\n');
            width = 0;
        } else if width > 0 {
            text.push(' ');
            width += 1;
        }
        text.push_str(word);
        width += length;
    }
    text.push('\n');
}

/// Our binary's path, relative to the workspace when inside it.
fn shown_path(path: &std::path::Path) -> String {
    let workspace = crate::config::workspace();
    let relative = path.strip_prefix(&workspace).unwrap_or(path);
    relative.display().to_string()
}

/// A ratio with at least two significant digits.
pub fn ratio(value: f64) -> String {
    if value < 0.1 { format!("{value:.3}") } else { format!("{value:.2}") }
}

fn scenario_table(text: &mut String, s: &Scenario) {
    let _ = writeln!(
        text,
        "### {} connections, {} extra processes\n",
        size(s.connections),
        s.procs
    );
    let mut load = format!(
        "Load: {} established TCP sockets and {} IPv6 ones, {} listeners, \
         {} unix stream sockets, {} UDP sockets; {} shard and {} holder \
         processes; built in {:.1} s; load average {} before timing.",
        grouped(s.connections * 2),
        s.ipv6 * 2,
        s.listeners + 2,
        grouped(s.unix),
        grouped(s.udp),
        s.shards,
        s.procs,
        s.setup.as_secs_f64(),
        s.load_average,
    );
    if let Some(floor) = s.result("/bin/true", "floor") {
        let _ = write!(
            load,
            " Exec floor (`/bin/true`): {} ms, {:.1} MiB.",
            floor.millis().map_or("–".into(), millis),
            floor.rss_kib as f64 / 1024.0
        );
    }
    paragraph(text, &load);
    let _ = writeln!(
        text,
        "\n| command | ours ms | netstat ms | ss ms | ours/ss | ours/netstat \
         | RSS MiB ours, netstat, ss | runs | our output vs net-tools |\n\
         |---|---:|---:|---:|---:|---:|---|---|---|"
    );
    for bench in &commands::ALL {
        if s.result(bench.flags, "ours").is_some() {
            scenario_row(text, s, bench.flags);
        }
    }
    text.push('\n');
}

fn scenario_row(text: &mut String, s: &Scenario, command: &str) {
    let lines: Vec<Option<&ResultLine>> =
        Tool::ALL.iter().map(|tool| s.result(command, tool.name())).collect();
    let time = |line: Option<&ResultLine>| match line {
        None => "–".to_string(),
        Some(line) => line.millis().map_or(line.status.clone(), millis),
    };
    let ratio = |other: Option<&ResultLine>| {
        let ours = lines[0].and_then(ResultLine::millis);
        match (ours, other.and_then(ResultLine::millis)) {
            (Some(a), Some(b)) => ratio(a / b),
            _ => "–".into(),
        }
    };
    let joined = |field: &dyn Fn(&ResultLine) -> String| {
        let cells = lines.iter().map(|line| line.map_or("–".into(), field));
        cells.collect::<Vec<_>>().join(", ")
    };
    let rss = joined(&|line| format!("{:.1}", line.rss_kib as f64 / 1024.0));
    let runs = joined(&|line| line.runs.to_string());
    let check = s.check(command).map_or("–", |check| check.text.as_str());
    let _ = writeln!(
        text,
        "| `{command}` | {} | {} | {} | {} | {} | {rss} | {runs} | {check} |",
        time(lines[0]),
        time(lines[1]),
        time(lines[2]),
        ratio(lines[2]),
        ratio(lines[1]),
    );
}

fn scaling_table(text: &mut String, scenarios: &[Scenario]) {
    let steps = results::size_steps(scenarios);
    if steps.is_empty() {
        return;
    }
    let _ = writeln!(
        text,
        "### Scaling exponent k (time ~ N^k) between consecutive sizes\n"
    );
    let mut head = String::from("| command | P |");
    let mut rule = String::from("|---|---:|");
    for (small, large) in &steps {
        for tool in Tool::ALL {
            let span = format!(
                "{}→{}",
                size(small.connections),
                size(large.connections)
            );
            let _ = write!(head, " {} {span} |", tool.name());
            rule.push_str("---:|");
        }
    }
    let _ = writeln!(text, "{head}\n{rule}");
    let mut procs: Vec<u64> =
        steps.iter().map(|(small, _)| small.procs).collect();
    procs.dedup();
    for p in procs {
        for bench in &commands::ALL {
            scaling_row(text, &steps, bench.flags, p);
        }
    }
    text.push('\n');
}

fn scaling_row(
    text: &mut String,
    steps: &[(&Scenario, &Scenario)],
    command: &str,
    procs: u64,
) {
    let mut row = format!("| `{command}` | {procs} |");
    let mut any = false;
    for (small, large) in steps {
        for tool in Tool::ALL {
            let k = (small.procs == procs)
                .then(|| results::exponent(small, large, command, tool.name()))
                .flatten();
            any |= k.is_some();
            let _ = write!(
                row,
                " {} |",
                k.map_or("–".into(), |k| format!("{k:.2}"))
            );
        }
    }
    if any {
        let _ = writeln!(text, "{row}");
    }
}

fn targets_table(text: &mut String, scenarios: &[Scenario]) {
    let rows = targets::evaluate(scenarios);
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(
        text,
        "### Issue 4 targets\n\n| target | measured | verdict |\n|---|---|---|"
    );
    for row in rows {
        let _ = writeln!(
            text,
            "| {} | {} | {} |",
            row.target, row.measured, row.verdict
        );
    }
    text.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_numbers() {
        assert_eq!(grouped(26_597), "26,597");
        assert_eq!(grouped(613), "613");
        assert_eq!(millis(1.456), "1.46");
        assert_eq!(millis(42.04), "42.0");
        assert_eq!(millis(1234.6), "1,235");
        assert_eq!(size(100_000), "100k");
        assert_eq!(size(1500), "1500");
        assert_eq!(ratio(0.0612), "0.061");
        assert_eq!(ratio(1.234), "1.23");
    }

    #[test]
    fn wraps_paragraphs_at_80_columns() {
        let mut text = String::new();
        paragraph(&mut text, &"word ".repeat(40));
        assert!(text.lines().all(|line| line.len() <= 80));
        assert_eq!(text.split_whitespace().count(), 40);
    }
}
