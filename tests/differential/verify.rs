//! Line-by-line checks of known differences. When every entry listed for
//! an invocation is of a kind checked here, the entries do not excuse the
//! invocation as a whole: each line where ours differs from net-tools
//! must be explained by one of the listed ids, both streams must have as
//! many lines as net-tools' and the exit status must match.
//!
//! `wide-addresses`: net-tools is compared with ours run with `--trim`
//! (2.10's 23-column cut) instead of ours, once [`widening`] has checked
//! that ours differs from that run only by address fields printed whole
//! where `--trim` cut them. `whole-unix-paths`: a UNIX row is explained
//! when net-tools' line is a proper prefix of ours and ours goes on with a
//! blank there (2.10 cuts a path at its first blank). `escaped-names`: a
//! row is explained when its first difference lies in the 20-column
//! `PID/Program name` field (placed by the header line of its table),
//! where net-tools has a control byte and ours a `\x` escape, and the
//! rows are equal once that field is masked on both sides.

use crate::compare::visible;
use crate::run::Outcome;

/// The column title that places the program field.
const PROGRAM_HEADER: &[u8] = b"PID/Program name";

/// How a table's header line starts.
const HEADER_START: &[u8] = b"Proto ";

/// How a UNIX socket row starts.
const UNIX_ROW_START: &[u8] = b"unix ";

/// Width of the program field: 19 characters and a blank of padding.
const PROGRAM_FIELD: usize = 20;

/// Width of an address field that 2.10 (or ours with `--trim`) cut.
const CUT_ADDRESS: usize = 23;

/// Which line-verified ids, besides `wide-addresses`, are listed.
#[derive(Clone, Copy, Debug, Default)]
pub struct Rules {
    /// `whole-unix-paths` is listed.
    pub unix_paths: bool,
    /// `escaped-names` is listed.
    pub escaped_names: bool,
}

/// What the line-by-line comparison found.
#[derive(Debug, Default)]
pub struct Findings {
    /// Lines explained by `whole-unix-paths`.
    pub unix_paths: usize,
    /// Lines explained by `escaped-names`.
    pub escaped_names: usize,
    /// Readable descriptions of the differences no listed id explains.
    pub unexplained: Vec<String>,
}

/// Compares net-tools' outcome with ours, line by line, under `rules`.
pub fn explain(reference: &Outcome, ours: &Outcome, rules: Rules) -> Findings {
    let mut findings = Findings::default();

    // No line-verified id explains a different exit status.
    if reference.status != ours.status {
        let (r, o) = (&reference.status, &ours.status);
        let text = format!("status: reference {r}, ours {o}");
        findings.unexplained.push(text);
    }

    // Each stream is compared on its own, line against line.
    findings.stream("stdout", &reference.stdout, &ours.stdout, rules);
    findings.stream("stderr", &reference.stderr, &ours.stderr, rules);
    findings
}

impl Findings {
    fn stream(
        &mut self,
        name: &str,
        reference: &[u8],
        ours: &[u8],
        rules: Rules,
    ) {
        // Lines pair up one to one, so their numbers must agree.
        let (old, new) = (lines(reference), lines(ours));
        if old.len() != new.len() {
            let (r, o) = (old.len(), new.len());
            let text = format!("{name}: reference has {r} lines, ours {o}");
            self.unexplained.push(text);
            return;
        }

        // Each table's header line places its program field, if any.
        let mut column = None;
        for (n, (r, o)) in old.iter().zip(&new).enumerate() {
            if r.starts_with(HEADER_START) {
                column = find(r, PROGRAM_HEADER);
            }
            if r != o {
                self.pair(
                    &format!("{name} line {}", n + 1),
                    r,
                    o,
                    column,
                    rules,
                );
            }
        }
    }

    /// Counts a differing pair under the id that explains it, or records
    /// it as unexplained.
    fn pair(
        &mut self,
        place: &str,
        reference: &[u8],
        ours: &[u8],
        column: Option<usize>,
        rules: Rules,
    ) {
        let escaped = column.is_some_and(|c| escaped_name(reference, ours, c));
        if rules.unix_paths && unix_path_cut(reference, ours) {
            self.unix_paths += 1;
        } else if rules.escaped_names && escaped {
            self.escaped_names += 1;
        } else {
            let (r, o) = (visible(reference), visible(ours));
            let text = format!("{place}:\n    -{r}\n    +{o}");
            self.unexplained.push(text);
        }
    }
}

/// A stream's lines without their newlines; a final newline leaves an
/// empty last line, so a missing one shows as a difference.
fn lines(bytes: &[u8]) -> Vec<&[u8]> {
    bytes.split(|&b| b == b'\n').collect()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// `whole-unix-paths`: a UNIX row that net-tools cut at a blank of the
/// path, which ours prints whole.
fn unix_path_cut(reference: &[u8], ours: &[u8]) -> bool {
    reference.starts_with(UNIX_ROW_START)
        && ours.len() > reference.len()
        && ours.starts_with(reference)
        && ours[reference.len()] == b' '
}

/// `escaped-names`: the rows first differ inside the program field that
/// starts at `column`, at a control byte that ours escapes, and agree
/// after that field. The field is 20 columns in both (2.10 cuts the text
/// to 19 bytes, ours to 19 characters after escaping); a row that is also
/// wide is compared in ours' `--trim` run, where nothing shifts it.
fn escaped_name(reference: &[u8], ours: &[u8], column: usize) -> bool {
    // The first difference lies in the program field.
    let at = reference.iter().zip(ours).take_while(|(r, o)| r == o).count();
    let field = column..column + PROGRAM_FIELD;
    if !field.contains(&at) {
        return false;
    }

    // There net-tools has a raw control byte and ours an escape.
    let raw = reference.get(at).is_some_and(|&b| b < 0x20 || b == 0x7f);
    if !raw || !ours[at..].starts_with(b"\\x") {
        return false;
    }

    // After the field, which is as wide in both, the rows agree.
    reference.get(field.end..) == ours.get(field.end..)
}

/// Checks that ours without `--trim` (`wide`) differs from ours with it
/// (`trimmed`) only by address fields printed whole where `--trim` cut
/// them; returns the number of widened lines, or what else differs.
pub fn widening(
    trimmed: &Outcome,
    wide: &Outcome,
) -> Result<usize, Vec<String>> {
    let mut problems = Vec::new();

    // The cut changes neither the exit status nor stderr.
    if trimmed.status != wide.status {
        let (t, w) = (&trimmed.status, &wide.status);
        problems.push(format!("status: ours with --trim {t}, without {w}"));
    }
    if trimmed.stderr != wide.stderr {
        problems.push("stderr: ours with --trim differs from without".into());
    }

    // Stdout pairs up line by line, and differing lines are widenings.
    let (cut, whole) = (lines(&trimmed.stdout), lines(&wide.stdout));
    if cut.len() != whole.len() {
        let (c, w) = (cut.len(), whole.len());
        problems.push(format!("stdout: {c} lines with --trim, {w} without"));
        return Err(problems);
    }
    let mut widened = 0;
    for (n, (c, w)) in cut.iter().zip(&whole).enumerate() {
        if c == w {
            continue;
        }
        if widened_line(c, w) {
            widened += 1;
        } else {
            let (c, w) = (visible(c), visible(w));
            let line = n + 1;
            let text = format!(
                "stdout line {line}, ours with --trim (-) and without (+):\
                 \n    -{c}\n    +{w}"
            );
            problems.push(text);
        }
    }

    // Any other difference is a problem.
    if problems.is_empty() { Ok(widened) } else { Err(problems) }
}

/// Whether `whole` is `cut` with some address fields printed whole: the
/// same blank-separated fields, except cut addresses.
fn widened_line(cut: &[u8], whole: &[u8]) -> bool {
    let (c, w) = (fields(cut), fields(whole));
    c.len() == w.len()
        && c.iter().zip(&w).all(|(c, w)| c == w || widened_field(c, w))
}

fn fields(line: &[u8]) -> Vec<&[u8]> {
    line.split(|&b| b == b' ').filter(|f| !f.is_empty()).collect()
}

/// Whether `cut` is `whole` cut as 2.10 cuts `address:port`: to 23
/// columns, the port kept and the address shortened.
fn widened_field(cut: &[u8], whole: &[u8]) -> bool {
    let (Some((cut_host, cut_port)), Some((host, port))) =
        (split_port(cut), split_port(whole))
    else {
        return false;
    };
    cut.len() == CUT_ADDRESS
        && whole.len() > CUT_ADDRESS
        && cut_port == port
        && host.starts_with(cut_host)
}

fn split_port(field: &[u8]) -> Option<(&[u8], &[u8])> {
    let colon = field.iter().rposition(|&b| b == b':')?;
    Some((&field[..colon], &field[colon + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(stdout: &str) -> Outcome {
        Outcome {
            stdout: stdout.as_bytes().to_vec(),
            stderr: Vec::new(),
            status: "exit 0".into(),
        }
    }

    const ALL: Rules = Rules { unix_paths: true, escaped_names: true };

    /// The columns before the program field of a `-tlp` row.
    const TCP_START: &str = "tcp        0      0 127.0.0.1:7002          \
        0.0.0.0:*               LISTEN      ";

    /// A table header, then a row whose program field holds `program`.
    fn tcp_table(program: &str) -> String {
        let width = TCP_START.len();
        let header = format!("{:<width$}PID/Program name    ", "Proto ");
        format!("{header}\n{TCP_START}{program:<20}\n")
    }

    #[test]
    fn unix_paths_cut_at_a_blank_are_explained() {
        let reference = outcome("x\nunix  2      [ ]   /tmp/with\n");
        let ours = outcome("x\nunix  2      [ ]   /tmp/with space.sock\n");
        let found = explain(&reference, &ours, ALL);
        assert!(found.unexplained.is_empty(), "{:?}", found.unexplained);
        assert_eq!(found.unix_paths, 1);
    }

    #[test]
    fn other_extensions_of_a_line_are_not() {
        let reference = outcome("unix  2      [ ]   /tmp/with\n");
        for ours in ["unix  2      [ ]   /tmp/withx\n", "unix  2\n"] {
            let found = explain(&reference, &outcome(ours), ALL);
            assert_eq!(found.unexplained.len(), 1, "{ours:?}");
        }
        let tcp = outcome("tcp        0      0 a:1\n");
        let longer = outcome("tcp        0      0 a:1 b\n");
        assert_eq!(explain(&tcp, &longer, ALL).unexplained.len(), 1);
    }

    #[test]
    fn escaped_control_bytes_in_the_program_field_are_explained() {
        let reference = tcp_table("7/a\x1b[1m\tb");
        let ours = tcp_table("7/a\\x1b[1m\\x09b");
        let found = explain(&outcome(&reference), &outcome(&ours), ALL);
        assert!(found.unexplained.is_empty(), "{:?}", found.unexplained);
        assert_eq!(found.escaped_names, 1);
    }

    #[test]
    fn other_differences_on_an_escaped_row_are_not() {
        let reference = tcp_table("7/a\x1b[1m");
        let wrong_pid = tcp_table("8/a\\x1b[1m");
        let ok = tcp_table("7/a\\x1b[1m");
        let wrong_q = ok.replacen("      0 127", "      5 127", 1);
        let wrong_state = ok.replacen("LISTEN ", "LISTEM ", 1);
        let longer = ok.replace("      \n", "      x\n");
        for ours in [wrong_pid, wrong_q, wrong_state, longer] {
            let found = explain(&outcome(&reference), &outcome(&ours), ALL);
            assert!(!found.unexplained.is_empty(), "{ours:?}");
        }
    }

    #[test]
    fn rules_not_listed_explain_nothing() {
        let reference = outcome("unix  2      [ ]   /tmp/with\n");
        let ours = outcome("unix  2      [ ]   /tmp/with space.sock\n");
        let found = explain(&reference, &ours, Rules::default());
        assert_eq!(found.unexplained.len(), 1);
    }

    #[test]
    fn line_counts_and_status_must_agree() {
        let mut ours = outcome("a\nb\n");
        assert_eq!(explain(&outcome("a\n"), &ours, ALL).unexplained.len(), 1);
        ours.status = "exit 1".into();
        assert_eq!(
            explain(&outcome("a\nb\n"), &ours, ALL).unexplained.len(),
            1
        );
    }

    #[test]
    fn widened_addresses_are_recognised() {
        let cut = outcome("raw6 0 0 2001:db8:aaaa:bbbb::253 :::*  7\n");
        let whole = outcome(
            "raw6 0 0 2001:db8:aaaa:bbbb:cccc:dddd:eeee:1:253 :::* 7\n",
        );
        assert_eq!(widening(&cut, &whole), Ok(1));
        let named = outcome("tcp6 0 0 ip6-localhos:postgresql [::]:* L\n");
        let wide = outcome("tcp6 0 0 ip6-localhost:postgresql [::]:* L\n");
        assert_eq!(widening(&named, &wide), Ok(1));
    }

    #[test]
    fn other_differences_from_the_trimmed_run_are_not() {
        let cut = outcome("raw6 0 0 2001:db8:aaaa:bbbb::253 :::*  7\n");
        let wrong_q = outcome(
            "raw6 1 0 2001:db8:aaaa:bbbb:cccc:dddd:eeee:1:253 :::* 7\n",
        );
        let wrong_port = outcome(
            "raw6 0 0 2001:db8:aaaa:bbbb:cccc:dddd:eeee:1:254 :::* 7\n",
        );
        assert!(widening(&cut, &wrong_q).is_err());
        assert!(widening(&cut, &wrong_port).is_err());
        assert!(widening(&cut, &outcome("raw6\n")).is_err());
    }
}
