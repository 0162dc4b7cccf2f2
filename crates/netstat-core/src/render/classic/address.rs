//! Address and port text: numeric forms as glibc's `inet_ntop` writes
//! them, names from the resolver's results, and the `host:port` field
//! with net-tools' optional 23-column cut.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::field::{Field, pad};
use crate::resolve::{ServiceKind, Services};

/// The names a listing may use; `None` means numeric.
#[derive(Clone, Copy, Debug, Default)]
pub struct Naming<'a> {
    /// Resolved host names (`None` with `--numeric-hosts`).
    pub hosts: Option<&'a HashMap<IpAddr, String>>,
    /// Service names (`None` with `--numeric-ports`).
    pub services: Option<&'a Services>,
}

/// The host part of an address field.
///
/// IPv4-mapped IPv6 addresses print as dotted IPv4 in both modes. With
/// names on, the unspecified addresses print as `0.0.0.0` and `[::]`.
pub fn host_text<'a>(addr: IpAddr, naming: &Naming<'a>) -> Cow<'a, str> {
    host_field(addr, naming).into_cow()
}

/// [`host_text`] without allocating: a borrowed name, or the numeric
/// text in a stack [`Field`].
pub fn host_field<'a>(addr: IpAddr, naming: &Naming<'a>) -> Text<'a> {
    if let Some(hosts) = naming.hosts {
        if addr.is_unspecified() && addr.is_ipv6() {
            return Text::Borrowed("[::]");
        }
        if !addr.is_unspecified()
            && let Some(name) = hosts.get(&addr)
        {
            return Text::Borrowed(name.as_str());
        }
    }
    let mut field = Field::new();
    match addr {
        IpAddr::V4(v4) => push_ipv4(&mut field, v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => push_ipv4(&mut field, v4),
            None => write_ipv6(&mut field, v6),
        },
    }
    Text::Field(field)
}

/// [`port_text`] without allocating.
pub fn port_field<'a>(
    port: u16,
    kind: ServiceKind,
    naming: &Naming<'a>,
) -> Text<'a> {
    if port == 0 {
        return Text::Borrowed("*");
    }
    if let Some(name) = naming.services.and_then(|s| s.name(kind, port)) {
        return Text::Borrowed(name);
    }
    let mut field = Field::new();
    field.push_u64(u64::from(port));
    Text::Field(field)
}

/// A text that is either borrowed or built on the stack.
pub enum Text<'a> {
    /// A name (or fixed text) owned elsewhere.
    Borrowed(&'a str),
    /// A number formatted in place.
    Field(Field),
}

impl<'a> Text<'a> {
    /// The text, borrowed when it was and owned when built in place.
    pub fn into_cow(self) -> Cow<'a, str> {
        match self {
            Text::Borrowed(text) => Cow::Borrowed(text),
            Text::Field(field) => Cow::Owned(field.as_str().to_owned()),
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        match self {
            Text::Borrowed(text) => text,
            Text::Field(field) => field.as_str(),
        }
    }
}

/// Dotted IPv4 into a field.
fn push_ipv4(field: &mut Field, addr: Ipv4Addr) {
    for (index, octet) in addr.octets().into_iter().enumerate() {
        if index > 0 {
            field.push_str(".");
        }
        field.push_u64(u64::from(octet));
    }
}

/// Writes [`address_field`]'s text left-justified in 23 columns, without
/// allocating.
pub fn write_address(
    out: &mut impl io::Write,
    host: &str,
    port: &str,
    trim: bool,
) -> io::Result<()> {
    let (host, port) = cut(host, port, trim);
    out.write_all(host.as_bytes())?;
    out.write_all(b":")?;
    out.write_all(port.as_bytes())?;
    pad(out, 22_usize.saturating_sub(host.len() + port.len()))
}

/// IPv6 text exactly as glibc's `inet_ntop` writes it: lower-case hex
/// words, the first longest run of two or more zero words as `::`, and a
/// dotted tail for IPv4-compatible and IPv4-mapped addresses.
pub fn ipv6_text(addr: Ipv6Addr) -> String {
    let mut text = String::with_capacity(40);
    write_ipv6(&mut text, addr);
    text
}

/// Writes [`ipv6_text`]'s text into any `fmt::Write`.
pub fn write_ipv6(text: &mut impl Write, addr: Ipv6Addr) {
    let words = addr.segments();
    let (start, len) = longest_zero_run(&words);
    let mut index = 0;
    while index < 8 {
        if len > 0 && index == start {
            let _ = text.write_str(if index == 0 { "::" } else { ":" });
            index += len;
            continue;
        }
        if index == 6
            && start == 0
            && (len == 6 || len == 5 && words[5] == 0xffff)
        {
            let [.., a, b, c, d] = addr.octets();
            let _ = write!(text, "{}", Ipv4Addr::new(a, b, c, d));
            break;
        }
        let _ = write!(text, "{:x}", words[index]);
        if index < 7 {
            let _ = text.write_char(':');
        }
        index += 1;
    }
}

/// The first longest run of at least two zero words, as (start, length);
/// length 0 when there is none.
fn longest_zero_run(words: &[u16; 8]) -> (usize, usize) {
    let (mut best, mut current) = ((0, 0), (0, 0));
    for (index, &word) in words.iter().enumerate() {
        if word == 0 {
            if current.1 == 0 {
                current.0 = index;
            }
            current.1 += 1;
            if current.1 > best.1 {
                best = current;
            }
        } else {
            current.1 = 0;
        }
    }
    if best.1 < 2 { (0, 0) } else { best }
}

/// The port part: `*` for 0, else the service name or the number.
pub fn port_text<'a>(
    port: u16,
    kind: ServiceKind,
    naming: &Naming<'a>,
) -> Cow<'a, str> {
    port_field(port, kind, naming).into_cow()
}

/// `host:port`; with `trim`, net-tools 2.10's cut: when host and port
/// exceed 22 characters the port (at most 18 characters) is kept and the
/// host is cut so the field is exactly 23 characters.
pub fn address_field(host: &str, port: &str, trim: bool) -> String {
    let (host, port) = cut(host, port, trim);
    format!("{host}:{port}")
}

/// The host and port a field shows: whole, or cut as 2.10 cuts them.
fn cut<'a>(host: &'a str, port: &'a str, trim: bool) -> (&'a str, &'a str) {
    if !trim || host.len() + port.len() <= 22 {
        return (host, port);
    }
    let port = prefix(port, 18);
    (prefix(host, 22 - port.len()), port)
}

/// The longest prefix of at most `max` bytes that ends on a character
/// boundary.
fn prefix(text: &str, max: usize) -> &str {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v6(text: &str) -> String {
        ipv6_text(text.parse().unwrap())
    }

    #[test]
    fn ipv6_text_matches_inet_ntop() {
        assert_eq!(v6("::"), "::");
        assert_eq!(v6("::1"), "::1");
        assert_eq!(v6("fe80::1"), "fe80::1");
        assert_eq!(v6("2001:db8::1:0:0:1"), "2001:db8::1:0:0:1");
        assert_eq!(v6("2001:db8:0:1:1:1:1:1"), "2001:db8:0:1:1:1:1:1");
        assert_eq!(v6("1:0:0:2:0:0:0:3"), "1:0:0:2::3");
        assert_eq!(v6("::ffff:1.2.3.4"), "::ffff:1.2.3.4");
        assert_eq!(v6("::1.2.3.4"), "::1.2.3.4");
        assert_eq!(v6("ff02::1:ff00:2"), "ff02::1:ff00:2");
        assert_eq!(v6("1::"), "1::");
    }

    #[test]
    fn mapped_addresses_print_as_ipv4() {
        let naming = Naming::default();
        let addr: IpAddr = "::ffff:127.0.0.1".parse().unwrap();
        assert_eq!(host_text(addr, &naming), "127.0.0.1");
    }

    #[test]
    fn unspecified_addresses_in_name_mode() {
        let hosts = HashMap::new();
        let naming = Naming { hosts: Some(&hosts), services: None };
        assert_eq!(host_text("::".parse().unwrap(), &naming), "[::]");
        assert_eq!(host_text("0.0.0.0".parse().unwrap(), &naming), "0.0.0.0");
        let numeric = Naming::default();
        assert_eq!(host_text("::".parse().unwrap(), &numeric), "::");
    }

    #[test]
    fn trim_keeps_the_port_and_cuts_the_host() {
        let host = "averyveryverylonghostname-for-truncation.example.org";
        assert_eq!(
            address_field(host, "12345", true),
            "averyveryverylong:12345"
        );
        assert_eq!(
            address_field("ip6-localhost", "postgresql", true),
            "ip6-localhos:postgresql"
        );
        assert_eq!(
            address_field("2001:db8:aaaa:bbbb:cccc:dddd:eeee:1", "7", true),
            "2001:db8:aaaa:bbbb:cc:7"
        );
        assert_eq!(address_field(host, "12345", false).len(), host.len() + 6);
        assert_eq!(address_field("localhost", "ssh", true), "localhost:ssh");
    }
}
