//! The known-differences list (`compat/known-differences.txt`): one entry
//! a line, `<difference-id> TAB <invocation line> TAB <reason>`, `#`
//! comments and blank lines ignored. Entries whose invocation starts with
//! a suite tag (a first word ending in a colon, such as `frozen:` or
//! `views:`) belong to other test suites and are skipped here; the tag is
//! recognised by `split_tag` of the suites' shared `common` module (which
//! the including test file declares), so that every suite reads it alike.
//!
//! An entry's id says how it is checked ([`Check`]): `wide-addresses`,
//! `whole-unix-paths` and `escaped-names` are verified line by line (see
//! `verify.rs`); every other id lets the listed invocation's streams
//! differ from net-tools as a whole. The exit status must match unless
//! the id ends in `+exit`. The harness reports entries that no longer
//! differ ("stale") and entries naming no invocation, so the list stays
//! honest.

use std::collections::BTreeMap;

use crate::common::split_tag;

/// Suffix of an id that also allows the exit status to differ.
pub const EXIT_SUFFIX: &str = "+exit";

/// How the suite checks a difference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// `wide-addresses`: ours with `--trim` is compared instead of ours.
    Trim,
    /// `whole-unix-paths`: a UNIX row 2.10 cut at a blank.
    UnixPath,
    /// `escaped-names`: an escape in the `PID/Program name` field.
    EscapedName,
    /// Any other id: the whole invocation may differ.
    Whole,
}

impl Check {
    /// The check for an id.
    pub fn of(id: &str) -> Check {
        match id {
            "wide-addresses" => Check::Trim,
            "whole-unix-paths" => Check::UnixPath,
            "escaped-names" => Check::EscapedName,
            _ => Check::Whole,
        }
    }
}

/// One line of the list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Short name of the difference, e.g. `wide-addresses`.
    pub id: String,
    /// The invocation line it applies to, exactly as listed.
    pub invocation: String,
    /// Why the outputs differ.
    pub reason: String,
}

impl Entry {
    /// How the suite checks this entry.
    pub fn check(&self) -> Check {
        Check::of(&self.id)
    }
}

/// All entries, grouped by invocation line.
#[derive(Debug, Default)]
pub struct Known {
    by_invocation: BTreeMap<String, Vec<Entry>>,
}

impl Known {
    /// Parses the file text; malformed lines are errors.
    pub fn parse(text: &str) -> Result<Known, String> {
        let mut known = Known::default();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            if for_other_suite(line) {
                continue;
            }
            let entry = parse_entry(line).ok_or_else(|| {
                format!("line {}: malformed: {line:?}", n + 1)
            })?;
            let slot = known.by_invocation.entry(entry.invocation.clone());
            slot.or_default().push(entry);
        }
        Ok(known)
    }

    /// Entries for one invocation line (empty if none).
    pub fn entries(&self, invocation: &str) -> &[Entry] {
        self.by_invocation.get(invocation).map_or(&[], Vec::as_slice)
    }

    /// Invocation lines named by the list.
    pub fn invocations(&self) -> impl Iterator<Item = &str> {
        self.by_invocation.keys().map(String::as_str)
    }
}

/// Whether a line is an entry of another suite: its invocation starts
/// with a tag such as `frozen:`.
fn for_other_suite(line: &str) -> bool {
    let invocation = line.split('\t').nth(1).unwrap_or_default();
    split_tag(invocation).is_some()
}

fn parse_entry(line: &str) -> Option<Entry> {
    let mut fields = line.split('\t');
    let id = fields.next()?.trim();
    let invocation = fields.next()?.trim();
    let reason = fields.next()?.trim();
    let valid = fields.next().is_none()
        && !id.is_empty()
        && !id.contains(' ')
        && invocation.split_whitespace().any(|w| w == "netstat")
        && !reason.is_empty();
    valid.then(|| Entry {
        id: id.to_string(),
        invocation: invocation.to_string(),
        reason: reason.to_string(),
    })
}

/// Whether any of the entries lets the exit status differ.
pub fn allows_exit_difference(entries: &[Entry]) -> bool {
    entries.iter().any(|e| e.id.ends_with(EXIT_SUFFIX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_group_by_invocation() {
        let text = "# c\n\na\tnetstat -a\tr1\nb+exit\tnetstat -a\tr2\n";
        let known = Known::parse(text).unwrap();
        let entries = known.entries("netstat -a");
        assert_eq!(entries.len(), 2);
        assert!(allows_exit_difference(entries));
        assert!(known.entries("netstat").is_empty());
    }

    #[test]
    fn other_suites_entries_are_skipped() {
        let text = "wide-addresses\tfrozen: -a\tr\n\
                    y\tviews: netstat -g4\tr\nx\tnetstat -l\tr\n";
        let known = Known::parse(text).unwrap();
        assert_eq!(known.invocations().collect::<Vec<_>>(), ["netstat -l"]);
    }

    #[test]
    fn ids_choose_the_check() {
        assert_eq!(Check::of("wide-addresses"), Check::Trim);
        assert_eq!(Check::of("whole-unix-paths"), Check::UnixPath);
        assert_eq!(Check::of("escaped-names"), Check::EscapedName);
        assert_eq!(Check::of("own-version"), Check::Whole);
        assert_eq!(Check::of("notrim-accepted+exit"), Check::Whole);
    }

    #[test]
    fn malformed_lines_are_errors() {
        assert!(Known::parse("id netstat -a reason\n").is_err());
        assert!(Known::parse("id\tnetstat\t\n").is_err());
    }
}
