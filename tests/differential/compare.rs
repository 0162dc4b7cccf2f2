//! Normalisation and diffs. Before comparing, both outputs get the same
//! treatment, and nothing more: the usage text (ours is our own wording)
//! becomes `<usage>`; the seconds in `-o` timer text (`(12.34/`) become
//! `(S/` because timers run on between the two runs; `first-listing` runs
//! keep stdout up to the second title line; `help` runs keep only whether
//! each stream carried text. Diffs are line-based, reference `-`, ours `+`.

use crate::run::{Invocation, Outcome};

/// Normalises one outcome for the given invocation.
pub fn normalise(inv: &Invocation, out: &Outcome) -> Outcome {
    let mut stdout = timers(&usage(&out.stdout));
    let mut stderr = timers(&usage(&out.stderr));
    if inv.first_listing {
        stdout = first_listing(&stdout);
    }
    if inv.help {
        stdout = presence(&stdout);
        stderr = presence(&stderr);
    }
    Outcome { stdout, stderr, status: out.status.clone() }
}

/// Replaces everything from the first line starting with `usage: netstat`
/// (any case) to the end of the stream by `<usage>`.
fn usage(bytes: &[u8]) -> Vec<u8> {
    let mut start = 0;
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        if starts_with_usage(line) {
            let mut kept = bytes[..start].to_vec();
            kept.extend_from_slice(b"<usage>\n");
            return kept;
        }
        start += line.len();
    }
    bytes.to_vec()
}

fn starts_with_usage(line: &[u8]) -> bool {
    let marker = b"usage: netstat";
    line.len() >= marker.len()
        && line[..marker.len()].eq_ignore_ascii_case(marker)
}

/// Rewrites each `(DIGITS.DIGITS/` as `(S/`.
fn timers(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match timer_seconds(&bytes[i..]) {
            Some(len) => {
                out.extend_from_slice(b"(S/");
                i += len;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    out
}

/// Length of a `(DIGITS.DIGITS/` prefix of `bytes`, if there is one.
fn timer_seconds(bytes: &[u8]) -> Option<usize> {
    if bytes.first() != Some(&b'(') {
        return None;
    }
    let whole = digits(&bytes[1..]);
    if whole == 0 || bytes.get(1 + whole) != Some(&b'.') {
        return None;
    }
    let frac = digits(&bytes[2 + whole..]);
    let end = 2 + whole + frac;
    (frac > 0 && bytes.get(end) == Some(&b'/')).then_some(end + 1)
}

fn digits(bytes: &[u8]) -> usize {
    bytes.iter().take_while(|b| b.is_ascii_digit()).count()
}

/// Keeps stdout up to (not including) the second occurrence of its first
/// line: `-c` repeats title and header on every round.
fn first_listing(bytes: &[u8]) -> Vec<u8> {
    let mut lines = bytes.split_inclusive(|&b| b == b'\n');
    let Some(title) = lines.next() else { return Vec::new() };
    let mut end = title.len();
    for line in lines {
        if line == title {
            break;
        }
        end += line.len();
    }
    bytes[..end].to_vec()
}

fn presence(bytes: &[u8]) -> Vec<u8> {
    if bytes.is_empty() { Vec::new() } else { b"<text>\n".to_vec() }
}

/// A readable report of how two normalised outcomes differ.
pub fn diff(reference: &Outcome, ours: &Outcome) -> String {
    let mut text = String::new();
    if reference.status != ours.status {
        let (r, o) = (&reference.status, &ours.status);
        text += &format!("    status: reference {r}, ours {o}\n");
    }
    text += &stream_diff("stdout", &reference.stdout, &ours.stdout);
    text += &stream_diff("stderr", &reference.stderr, &ours.stderr);
    text
}

fn stream_diff(name: &str, reference: &[u8], ours: &[u8]) -> String {
    if reference == ours {
        return String::new();
    }
    let old: Vec<String> = lines(reference);
    let new: Vec<String> = lines(ours);
    let mut text = format!("    --- reference {name}\n    +++ ours {name}\n");
    for (tag, line) in edit_script(&old, &new) {
        text += &format!("    {tag}{line}\n");
    }
    text
}

/// Lines shown with control bytes escaped and a `$` at the end, so that
/// trailing blanks and a missing final newline are visible.
fn lines(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    let mut out: Vec<String> = text.split_inclusive('\n').map(show).collect();
    let unterminated = bytes.last().is_some_and(|&b| b != b'\n');
    if let Some(last) = out.last_mut().filter(|_| unterminated) {
        last.push_str(" (no newline at end)");
    }
    out
}

/// One line without its newline, shown as in diffs (`$` at the end).
pub fn visible(line: &[u8]) -> String {
    show(&(String::from_utf8_lossy(line).into_owned() + "\n"))
}

fn show(line: &str) -> String {
    let mut shown = String::new();
    for c in line.chars() {
        match c {
            '\n' => shown.push_str("\\n$"),
            c if c.is_control() => shown.extend(c.escape_default()),
            c => shown.push(c),
        }
    }
    shown.strip_suffix("\\n$").map(|s| s.to_string() + "$").unwrap_or(shown)
}

/// Changed lines with one line of context, from a longest common
/// subsequence (outputs are small, quadratic is fine).
fn edit_script(old: &[String], new: &[String]) -> Vec<(char, String)> {
    let table = lcs_table(old, new);
    let (mut i, mut j) = (0, 0);
    let mut all = Vec::new();
    while i < old.len() || j < new.len() {
        if i < old.len() && j < new.len() && old[i] == new[j] {
            all.push((' ', old[i].clone()));
            (i, j) = (i + 1, j + 1);
        } else if i < old.len()
            && (j == new.len() || table[i + 1][j] >= table[i][j + 1])
        {
            all.push(('-', old[i].clone()));
            i += 1;
        } else {
            all.push(('+', new[j].clone()));
            j += 1;
        }
    }
    with_context(all)
}

fn lcs_table(old: &[String], new: &[String]) -> Vec<Vec<usize>> {
    let mut table = vec![vec![0; new.len() + 1]; old.len() + 1];
    for i in (0..old.len()).rev() {
        for j in (0..new.len()).rev() {
            table[i][j] = if old[i] == new[j] {
                table[i + 1][j + 1] + 1
            } else {
                table[i + 1][j].max(table[i][j + 1])
            };
        }
    }
    table
}

fn with_context(all: Vec<(char, String)>) -> Vec<(char, String)> {
    let near_change = |k: usize| {
        let lo = k.saturating_sub(1);
        let hi = (k + 1).min(all.len() - 1);
        (lo..=hi).any(|n| all[n].0 != ' ')
    };
    let keep: Vec<bool> = (0..all.len()).map(near_change).collect();
    let mut out = Vec::new();
    for (k, entry) in all.iter().enumerate() {
        if keep[k] {
            out.push(entry.clone());
        } else if k > 0 && keep[k - 1] {
            out.push(('~', "...".to_string()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timer_seconds_become_s() {
        let text = b"on (52.10/0/0) off (0.00/0/0) (1/2) (3./";
        let want = b"on (S/0/0) off (S/0/0) (1/2) (3./";
        assert_eq!(timers(text), want.to_vec());
    }

    #[test]
    fn usage_block_is_cut_to_the_end() {
        let text = b"netstat: invalid option -- 'Q'\nUsage: netstat x\nmore\n";
        let want = b"netstat: invalid option -- 'Q'\n<usage>\n";
        assert_eq!(usage(text), want.to_vec());
    }

    #[test]
    fn first_listing_stops_at_the_repeated_title() {
        let text = b"T\nrow\nT\nrow\n";
        assert_eq!(first_listing(text), b"T\nrow\n".to_vec());
    }

    #[test]
    fn visible_lines_show_controls_and_the_end() {
        assert_eq!(visible(b"a\x1b\tb  "), "a\\u{1b}\\tb  $");
    }

    #[test]
    fn diff_marks_changed_lines() {
        let old = ["a".to_string(), "b".to_string(), "c".to_string()];
        let new = ["a".to_string(), "x".to_string(), "c".to_string()];
        let script = edit_script(&old, &new);
        let tags: String = script.iter().map(|(t, _)| *t).collect();
        assert_eq!(tags, " -+ ");
    }
}
