//! The `-c` interval (our extension): `--continuous=N` or, after `-c`, a
//! last operand that is a number. N is a positive number of seconds,
//! digits with an optional fraction (`5`, `0.5`, `2.25`); nothing else is
//! an interval, so `netstat -c foo` still ignores `foo` as net-tools does.

use std::time::Duration;

/// Parses a positive number of seconds; `None` if `text` is not one.
pub fn parse(text: &[u8]) -> Option<Duration> {
    let (whole, fraction) = match text.iter().position(|&b| b == b'.') {
        Some(dot) => (&text[..dot], Some(&text[dot + 1..])),
        None => (text, None),
    };
    let secs = whole_seconds(whole)?;
    let nanos = match fraction {
        Some(digits) => nanoseconds(digits)?,
        None => 0,
    };
    let interval = Duration::new(secs, nanos);
    (!interval.is_zero()).then_some(interval)
}

/// One or more ASCII digits as a count of seconds, if it fits.
fn whole_seconds(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() {
        return None;
    }
    digits.iter().try_fold(0u64, |secs, &byte| {
        let digit = u64::from(byte.checked_sub(b'0').filter(|d| *d < 10)?);
        secs.checked_mul(10)?.checked_add(digit)
    })
}

/// One or more ASCII digits after the point, as nanoseconds (digits past
/// the ninth are dropped).
fn nanoseconds(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut nanos = 0u32;
    for place in 0..9 {
        let digit = digits.get(place).map_or(0, |byte| byte - b'0');
        nanos = nanos * 10 + u32::from(digit);
    }
    Some(nanos)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(text: &str) -> Option<f64> {
        parse(text.as_bytes()).map(|d| d.as_secs_f64())
    }

    #[test]
    fn accepts_positive_numbers() {
        assert_eq!(secs("5"), Some(5.0));
        assert_eq!(secs("0.5"), Some(0.5));
        assert_eq!(secs("2.25"), Some(2.25));
        assert_eq!(secs("007"), Some(7.0));
        assert_eq!(
            parse(b"0.0000000019"),
            Some(Duration::from_nanos(1)),
            "digits past nanoseconds are dropped"
        );
    }

    #[test]
    fn rejects_everything_else() {
        for text in [
            "", "0", "0.0", "-1", "+1", ".5", "5.", "1e3", "5s", " 5", "1.2.3",
            "x",
        ] {
            assert_eq!(secs(text), None, "{text:?}");
        }
        assert_eq!(secs("99999999999999999999999"), None, "overflow");
        assert_eq!(parse(b"\xff"), None);
    }

    #[test]
    fn largest_whole_number_does_not_panic() {
        assert_eq!(
            parse(b"18446744073709551615.999999999"),
            Some(Duration::new(u64::MAX, 999_999_999))
        );
    }
}
