//! Command-line parsing shared by the three roles: `--name value`,
//! `--name=value` and bare switches, plus size lists such as `1k,10k,100k`.

use std::str::FromStr;

use crate::sys::Fallible;

/// Parsed `--name[=value]` pairs, in order; the last one of a name wins.
pub struct Args {
    pairs: Vec<(String, Option<String>)>,
}

/// Parses `args`; `valued` names take a value, `switches` take none.
pub fn parse(
    args: &[String],
    valued: &[&str],
    switches: &[&str],
) -> Fallible<Args> {
    let mut pairs = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let Some(body) = arg.strip_prefix("--") else {
            return Err(format!("unexpected argument {arg:?} (try --help)"));
        };
        let (name, inline) = match body.split_once('=') {
            Some((name, value)) => (name, Some(value.to_string())),
            None => (body, None),
        };
        if inline.is_none() && switches.contains(&name) {
            pairs.push((name.to_string(), None));
            continue;
        }
        if !valued.contains(&name) {
            return Err(format!("unknown option --{name} (try --help)"));
        }
        let value = match inline {
            Some(value) => value,
            None => rest
                .next()
                .cloned()
                .ok_or_else(|| format!("--{name} needs a value"))?,
        };
        pairs.push((name.to_string(), Some(value)));
    }
    Ok(Args { pairs })
}

impl Args {
    pub fn has(&self, name: &str) -> bool {
        self.pairs.iter().any(|(key, _)| key == name)
    }

    pub fn value(&self, name: &str) -> Option<&str> {
        let found = self.pairs.iter().rev().find(|(key, _)| key == name);
        found.and_then(|(_, value)| value.as_deref())
    }

    pub fn required(&self, name: &str) -> Fallible<&str> {
        self.value(name).ok_or_else(|| format!("--{name} is required"))
    }

    /// The value of `name` parsed as a `T`, or `default` when absent.
    pub fn number<T: FromStr>(&self, name: &str, default: T) -> Fallible<T> {
        match self.value(name) {
            None => Ok(default),
            Some(text) => text
                .parse()
                .map_err(|_| format!("--{name}: not a number: {text:?}")),
        }
    }
}

/// A count such as `1000`, `10k` or `1m`.
pub fn count(text: &str) -> Fallible<u64> {
    let lower = text.trim().to_ascii_lowercase();
    let (digits, scale) = match lower.as_bytes().last() {
        Some(b'k') => (&lower[..lower.len() - 1], 1_000),
        Some(b'm') => (&lower[..lower.len() - 1], 1_000_000),
        _ => (lower.as_str(), 1),
    };
    let value: u64 =
        digits.parse().map_err(|_| format!("not a count: {text:?}"))?;
    Ok(value * scale)
}

/// A comma-separated list of counts.
pub fn counts(text: &str) -> Fallible<Vec<u64>> {
    text.split(',').filter(|part| !part.is_empty()).map(count).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|arg| arg.to_string()).collect()
    }

    #[test]
    fn counts_accept_suffixes() {
        assert_eq!(
            counts("1k,10K,100000,1m").unwrap(),
            [1_000, 10_000, 100_000, 1_000_000]
        );
        assert!(count("ten").is_err());
    }

    #[test]
    fn values_may_start_with_a_dash() {
        let args = strings(&["--commands", "-tan,-tln", "--quick", "--reps=3"]);
        let parsed = parse(&args, &["commands", "reps"], &["quick"]).unwrap();
        assert_eq!(parsed.value("commands"), Some("-tan,-tln"));
        assert!(parsed.has("quick"));
        assert_eq!(parsed.number("reps", 7).unwrap(), 3);
        assert_eq!(parsed.number("timeout", 9).unwrap(), 9);
    }

    #[test]
    fn unknown_options_are_refused() {
        let args = strings(&["--frobnicate"]);
        assert!(parse(&args, &[], &[]).is_err());
    }
}
