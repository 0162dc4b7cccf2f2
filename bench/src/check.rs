//! Correctness before speed: runs our netstat and net-tools on the same
//! sockets with stdout in files, then compares the files line by line in
//! small buffers (so the timer stays small) and words a verdict.

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::Path;
use std::time::Duration;

use crate::commands::Check;
use crate::spawn::{self, Status};
use crate::sys::{Context, Fallible};

/// The outcome of one comparison.
pub struct Verdict {
    /// `ok`, `warn` (output differs or a tool failed) or `skip`.
    pub grade: &'static str,
    pub text: String,
    /// The first differing lines, for the warning on stderr.
    pub detail: String,
}

impl Verdict {
    fn new(grade: &'static str, text: String) -> Verdict {
        Verdict { grade, text, detail: String::new() }
    }

    pub fn skipped(text: &str) -> Verdict {
        Verdict::new("skip", text.to_string())
    }
}

/// Line counts of both outputs and the first line where they differ.
struct Diff {
    ours: u64,
    theirs: u64,
    first: Option<u64>,
    /// Our line and net-tools' line at `first`.
    lines: (String, String),
}

/// Runs both commands with output into `dir` and compares the outputs.
pub fn compare(
    ours: &[OsString],
    theirs: &[OsString],
    mode: Check,
    dir: &Path,
    timeout: Duration,
) -> Fallible<Verdict> {
    let ours_file = dir.join("ours.out");
    let theirs_file = dir.join("netstat.out");
    let ours_run = run_into(ours, &ours_file, timeout)?;
    let theirs_run = run_into(theirs, &theirs_file, timeout)?;
    let verdict = match (ours_run, theirs_run) {
        (Status::Ok, Status::Ok) => {
            let diff = diff_files(&ours_file, &theirs_file)
                .ctx("comparing outputs")?;
            judge(&diff, mode)
        }
        (Status::Ok, other) => {
            Verdict::new("warn", format!("net-tools failed: {}", other.text()))
        }
        (other, _) => {
            Verdict::new("warn", format!("ours failed: {}", other.text()))
        }
    };
    let _ = std::fs::remove_file(&ours_file);
    let _ = std::fs::remove_file(&theirs_file);
    Ok(verdict)
}

fn run_into(
    argv: &[OsString],
    path: &Path,
    timeout: Duration,
) -> Fallible<Status> {
    let file = File::create(path).ctx(path.display())?;
    Ok(spawn::measure(argv, Some(&file), timeout)?.status)
}

fn judge(diff: &Diff, mode: Check) -> Verdict {
    let counts = format!("ours {} lines, net-tools {}", diff.ours, diff.theirs);
    match (mode, diff.first) {
        (Check::Lines, _) if diff.ours == diff.theirs => {
            Verdict::new("ok", format!("same line count ({})", diff.ours))
        }
        (Check::Lines, _) => {
            Verdict::new("warn", format!("line counts differ: {counts}"))
        }
        (_, None) => {
            Verdict::new("ok", format!("identical ({} lines)", diff.ours))
        }
        (_, Some(line)) => {
            let text =
                format!("DIFFERENT: {counts}; first difference at line {line}");
            let (ours, theirs) = &diff.lines;
            let detail = format!("  ours:      {ours}\n  net-tools: {theirs}");
            Verdict { detail, ..Verdict::new("warn", text) }
        }
    }
}

fn diff_files(ours: &Path, theirs: &Path) -> io::Result<Diff> {
    let mut left = BufReader::with_capacity(1 << 16, File::open(ours)?);
    let mut right = BufReader::with_capacity(1 << 16, File::open(theirs)?);
    let (mut a, mut b) = (Vec::new(), Vec::new());
    let lines = (String::new(), String::new());
    let mut diff = Diff { ours: 0, theirs: 0, first: None, lines };
    loop {
        a.clear();
        b.clear();
        let got_a = left.read_until(b'\n', &mut a)? > 0;
        let got_b = right.read_until(b'\n', &mut b)? > 0;
        if !got_a && !got_b {
            return Ok(diff);
        }
        diff.ours += u64::from(got_a);
        diff.theirs += u64::from(got_b);
        if diff.first.is_none() && a != b {
            diff.first = Some(diff.ours.max(diff.theirs));
            diff.lines = (shown(&a), shown(&b));
        }
    }
}

/// A line as printed in a warning.
fn shown(line: &[u8]) -> String {
    if line.is_empty() {
        return "(end of output)".into();
    }
    let text = String::from_utf8_lossy(line);
    format!("{:?}", text.trim_end_matches('\n'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diff_of(a: &str, b: &str) -> Diff {
        let dir = std::env::temp_dir()
            .join(format!("netstat-bench-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (left, right) = (dir.join("a"), dir.join("b"));
        std::fs::write(&left, a).unwrap();
        std::fs::write(&right, b).unwrap();
        let diff = diff_files(&left, &right).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        diff
    }

    #[test]
    fn finds_the_first_differing_line() {
        let same = diff_of("a\nb\n", "a\nb\n");
        assert_eq!((same.ours, same.first), (2, None));
        let changed = diff_of("a\nb\nc\n", "a\nx\nc\n");
        assert_eq!(changed.first, Some(2));
        let shorter = diff_of("a\n", "a\nb\n");
        assert_eq!((shorter.ours, shorter.theirs), (1, 2));
        assert_eq!(shorter.first, Some(2));
    }

    #[test]
    fn line_mode_only_counts() {
        let lines = (String::new(), String::new());
        let diff = Diff { ours: 3, theirs: 3, first: Some(1), lines };
        assert_eq!(judge(&diff, Check::Lines).grade, "ok");
        assert_eq!(judge(&diff, Check::Bytes).grade, "warn");
    }
}
