//! The facts printed above every results table: date, CPU, cores, memory,
//! kernel, load average, tool versions and the commit our binary was built
//! from, all read from /proc or from the tools themselves.

use std::path::Path;
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

pub struct Machine {
    pub date: String,
    pub cpu: String,
    pub cores: usize,
    pub memory_gib: f64,
    pub kernel: String,
    pub net_tools: String,
    pub ss: String,
    pub commit: String,
}

/// Gathers everything; unknown items read "unknown".
pub fn gather(workspace: &Path, netstat: &Path, ss: Option<&Path>) -> Machine {
    let cpuinfo = read("/proc/cpuinfo");
    Machine {
        date: utc_now(),
        cpu: field(&cpuinfo, "model name").unwrap_or("unknown").to_string(),
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        memory_gib: memory_kib() as f64 / (1024.0 * 1024.0),
        kernel: read("/proc/sys/kernel/osrelease").trim().to_string(),
        net_tools: first_line(netstat, &["--version"]),
        ss: ss.map_or_else(|| "not found".into(), |ss| first_line(ss, &["-V"])),
        commit: commit(workspace),
    }
}

/// The 1, 5 and 15 minute load averages.
pub fn load_average() -> String {
    let text = read("/proc/loadavg");
    text.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

fn field<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    text.lines()
        .find(|line| line.starts_with(name))
        .and_then(|line| line.split_once(':'))
        .map(|(_, value)| value.trim())
}

fn memory_kib() -> u64 {
    let meminfo = read("/proc/meminfo");
    let value = field(&meminfo, "MemTotal").unwrap_or("0");
    value.trim_end_matches(" kB").trim().parse().unwrap_or(0)
}

fn first_line(program: &Path, args: &[&str]) -> String {
    let output = Command::new(program).args(args).output();
    let Ok(output) = output else { return "unknown".into() };
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    text.lines().next().unwrap_or("unknown").trim().to_string()
}

/// The short commit, with a note when the crates differ from it.
fn commit(workspace: &Path) -> String {
    let git = |args: &[&str]| {
        let output =
            Command::new("git").arg("-C").arg(workspace).args(args).output();
        output
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let Some(head) = git(&["rev-parse", "--short", "HEAD"]) else {
        return "unknown".into();
    };
    match git(&["status", "--porcelain", "--", "crates"]) {
        Some(changes) if !changes.is_empty() => {
            format!("{head} plus uncommitted changes in crates/")
        }
        _ => head,
    }
}

/// The current time as `YYYY-MM-DD HH:MM UTC`.
fn utc_now() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    let (year, month, day) = civil_date(seconds / 86_400);
    let minute_of_day = seconds % 86_400 / 60;
    let (hour, minute) = (minute_of_day / 60, minute_of_day % 60);
    format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02} UTC")
}

/// Converts days since 1970-01-01 to a Gregorian (year, month, day), using
/// 400-year eras that start on 1 March so leap days fall at the end.
fn civil_date(days: u64) -> (u64, u64, u64) {
    let shifted = days + 719_468; // days from 0000-03-01 to 1970-01-01
    let era = shifted / 146_097;
    let day_of_era = shifted % 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524
        - day_of_era / 146_096)
        / 365;
    let day_of_year =
        day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153; // 0 = March
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month =
        if month_index < 10 { month_index + 3 } else { month_index - 9 };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::civil_date;

    #[test]
    fn converts_known_dates() {
        assert_eq!(civil_date(0), (1970, 1, 1));
        assert_eq!(civil_date(11_016), (2000, 2, 29));
        assert_eq!(civil_date(20_454), (2026, 1, 1));
        assert_eq!(civil_date(20_453), (2025, 12, 31));
    }
}
