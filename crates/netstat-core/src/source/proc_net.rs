//! Parsers for the `/proc/net` socket tables as Linux 6.x prints them:
//! `tcp`, `udp`, `udplite` and `raw` (and their `6` twins) from
//! `tcp4_seq_show` and `udp4_format_sock`-style writers, and `unix`.
//!
//! Every table starts with one header line, which is skipped. Addresses
//! are hex words holding the network-order bytes as a native-endian 32-bit
//! number (so 127.0.0.1 is `0100007F` on x86); IPv6 is four such words.
//! Ports are hex in host order. A line that does not parse is skipped and
//! counted, never fatal: kernel text is untrusted input.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::{Path, PathBuf};

use super::{SourceError, Table};
use crate::model::{
    Endpoint, Family, InetSocket, Protocol, TcpState, Timer, UnixSocket,
    UnixState, UnixType,
};

/// The `/proc/net` tables under a root directory (normally `/proc`).
#[derive(Clone, Debug)]
pub struct ProcNet {
    root: PathBuf,
}

impl ProcNet {
    /// A source reading `ROOT/net/*`.
    pub fn new(root: impl Into<PathBuf>) -> ProcNet {
        ProcNet { root: root.into() }
    }

    /// The path of a table, e.g. `tcp6` → `ROOT/net/tcp6`.
    pub fn path(&self, table: &str) -> PathBuf {
        self.root.join("net").join(table)
    }

    /// The file name of the table for a protocol and family.
    pub fn inet_table_name(protocol: Protocol, family: Family) -> &'static str {
        match (protocol, family) {
            (Protocol::Tcp, Family::Inet) => "tcp",
            (Protocol::Tcp, Family::Inet6) => "tcp6",
            (Protocol::Udp, Family::Inet) => "udp",
            (Protocol::Udp, Family::Inet6) => "udp6",
            (Protocol::UdpLite, Family::Inet) => "udplite",
            (Protocol::UdpLite, Family::Inet6) => "udplite6",
            (Protocol::Raw, Family::Inet) => "raw",
            (Protocol::Raw, Family::Inet6) => "raw6",
        }
    }

    /// Reads one Internet socket table.
    pub fn inet_sockets(
        &self,
        protocol: Protocol,
        family: Family,
    ) -> Result<Table<InetSocket>, SourceError> {
        let mut rows = Vec::new();
        let skipped = self.for_each_inet(protocol, family, |s| rows.push(s))?;
        Ok(Table { rows, skipped })
    }

    /// Streams one Internet socket table row by row, in kernel order,
    /// holding one line in memory at a time; returns the number of
    /// malformed lines skipped.
    pub fn for_each_inet(
        &self,
        protocol: Protocol,
        family: Family,
        mut each: impl FnMut(InetSocket),
    ) -> Result<usize, SourceError> {
        let path = self.path(Self::inet_table_name(protocol, family));
        for_each_line(&path, |line| {
            let socket = parse_inet_line(line, protocol, family)?;
            each(socket);
            Some(())
        })
    }

    /// Reads the UNIX domain socket table.
    pub fn unix_sockets(&self) -> Result<Table<UnixSocket>, SourceError> {
        let mut rows = Vec::new();
        let skipped = self.for_each_unix(|s| rows.push(s))?;
        Ok(Table { rows, skipped })
    }

    /// Streams the UNIX domain socket table; returns the number of
    /// malformed lines skipped.
    pub fn for_each_unix(
        &self,
        mut each: impl FnMut(UnixSocket),
    ) -> Result<usize, SourceError> {
        for_each_line(&self.path("unix"), |line| {
            each(parse_unix_line(line)?);
            Some(())
        })
    }

    /// True if `ROOT/net/NAME` exists (for tables we only probe).
    pub fn has(&self, name: &str) -> bool {
        self.path(name).exists()
    }
}

/// Opens a table, telling a missing file from other failures.
fn open_table(path: &Path) -> Result<File, SourceError> {
    File::open(path).map_err(|error| match error.kind() {
        io::ErrorKind::NotFound => SourceError::Missing(path.to_path_buf()),
        _ => SourceError::Io { path: path.to_path_buf(), error },
    })
}

/// Feeds every line after the header to `parse` through one reused
/// buffer; returns how many non-blank lines `parse` rejected.
fn for_each_line(
    path: &Path,
    mut parse: impl FnMut(&[u8]) -> Option<()>,
) -> Result<usize, SourceError> {
    let file = open_table(path)?.take(MAX_FILE_BYTES);
    let mut reader = BufReader::with_capacity(64 * 1024, file);
    let mut line = Vec::with_capacity(256);
    let (mut header, mut skipped) = (true, 0);
    loop {
        // Read one line; a read error ends the table like net-tools' EOF.
        let whole = match read_line_capped(&mut reader, &mut line) {
            Ok(None) => return Ok(skipped),
            Ok(Some(whole)) => whole,
            Err(error) => {
                return Err(SourceError::Io {
                    path: path.to_path_buf(),
                    error,
                });
            }
        };

        // Skip the header and blank lines; count what does not parse.
        if std::mem::take(&mut header) || (whole && is_blank(&line)) {
            continue;
        }
        let text = line.strip_suffix(b"\n").unwrap_or(&line);
        if !whole || parse(text).is_none() {
            skipped += 1;
        }
    }
}

/// The longest table line kept; the rest of a longer line is skipped and
/// the line counted as malformed (a kernel line is under 300 bytes).
pub(crate) const MAX_LINE_BYTES: usize = 64 * 1024;

/// The most bytes read from any `/proc` text file; what follows is
/// treated as absent, so an endless file (a saved tree linking to
/// `/dev/zero`) costs bounded time and memory.
pub(crate) const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Reads one line into `line` (cleared first), keeping at most
/// [`MAX_LINE_BYTES`] and consuming the rest of a longer one. `None` at
/// the end of input, else whether the line was kept whole.
fn read_line_capped(
    reader: &mut impl BufRead,
    line: &mut Vec<u8>,
) -> io::Result<Option<bool>> {
    line.clear();
    let (mut seen, mut whole) = (0usize, true);
    loop {
        let buffer = reader.fill_buf()?;
        if buffer.is_empty() {
            return Ok((seen > 0).then_some(whole));
        }

        // Take up to the newline; keep only what fits under the cap.
        let end = buffer.iter().position(|&b| b == b'\n');
        let take = end.map_or(buffer.len(), |at| at + 1);
        let room = MAX_LINE_BYTES.saturating_sub(line.len());
        whole &= take <= room;
        line.extend_from_slice(&buffer[..take.min(room)]);
        reader.consume(take);
        seen += take;
        if end.is_some() {
            return Ok(Some(whole));
        }
    }
}

/// Reads at most [`MAX_FILE_BYTES`] of a file; a longer file is cut
/// there. Errors are `fs::read`'s (a missing file is `NotFound`).
pub(crate) fn read_bounded(path: &Path) -> io::Result<Vec<u8>> {
    let mut text = Vec::new();
    File::open(path)?.take(MAX_FILE_BYTES).read_to_end(&mut text)?;
    Ok(text)
}

/// True for a line of nothing but white space.
fn is_blank(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}

/// Applies a line parser to every line after the header.
pub fn parse_table<T>(
    text: &[u8],
    mut parse: impl FnMut(&[u8]) -> Option<T>,
) -> Table<T> {
    let mut table = Table { rows: Vec::new(), skipped: 0 };
    for line in text.split(|&b| b == b'\n').skip(1) {
        if is_blank(line) {
            continue;
        }
        match parse(line) {
            Some(row) => table.rows.push(row),
            None => table.skipped += 1,
        }
    }
    table
}

/// Parses one row of `tcp`, `udp`, `udplite` or `raw` (v4 or v6).
pub fn parse_inet_line(
    line: &[u8],
    protocol: Protocol,
    family: Family,
) -> Option<InetSocket> {
    let mut fields =
        line.split(u8::is_ascii_whitespace).filter(|f| !f.is_empty());

    // The slot number, then the two endpoints and the state.
    let slot = fields.next()?;
    if slot.last() != Some(&b':') {
        return None;
    }
    let local = parse_endpoint(fields.next()?, family)?;
    let remote = parse_endpoint(fields.next()?, family)?;
    let state = TcpState(u8::try_from(hex(fields.next()?)?).ok()?);

    // Queues and timer columns, then owner and inode.
    let (send_queue, recv_queue) = hex_pair(fields.next()?)?;
    let (code, ticks) = hex_pair(fields.next()?)?;
    let retransmits = hex(fields.next()?)?;
    let uid = decimal(fields.next()?)?;
    let probes = signed(fields.next()?)?;
    let inode = decimal(fields.next()?)?;
    Some(InetSocket {
        protocol,
        family,
        local,
        remote,
        state,
        recv_queue,
        send_queue,
        timer: Timer {
            code: u8::try_from(code).ok()?,
            ticks,
            retransmits,
            probes,
        },
        uid: u32::try_from(uid).ok()?,
        inode,
    })
}

/// Parses `ADDR:PORT` where ADDR is 8 (IPv4) or 32 (IPv6) hex digits.
fn parse_endpoint(field: &[u8], family: Family) -> Option<Endpoint> {
    let colon = field.iter().position(|&b| b == b':')?;
    let (addr, port) = (&field[..colon], &field[colon + 1..]);
    let addr = match (family, addr.len()) {
        (Family::Inet, 8) => IpAddr::V4(Ipv4Addr::from(word(addr)?)),
        (Family::Inet6, 32) => IpAddr::V6(ipv6_words(addr)?),
        _ => return None,
    };
    let port = u16::try_from(hex(port)?).ok()?;
    Some(Endpoint { addr, port })
}

/// One 32-bit address word: the kernel printed the network-order bytes
/// read as a native integer, so the native bytes are the address.
fn word(digits: &[u8]) -> Option<[u8; 4]> {
    let value = u32::try_from(hex(digits)?).ok()?;
    Some(value.to_ne_bytes())
}

/// An IPv6 address from four hex words.
fn ipv6_words(digits: &[u8]) -> Option<Ipv6Addr> {
    let mut bytes = [0u8; 16];
    for (chunk, out) in digits.chunks(8).zip(bytes.chunks_mut(4)) {
        out.copy_from_slice(&word(chunk)?);
    }
    Some(Ipv6Addr::from(bytes))
}

/// `HEX:HEX`.
fn hex_pair(field: &[u8]) -> Option<(u64, u64)> {
    let colon = field.iter().position(|&b| b == b':')?;
    Some((hex(&field[..colon])?, hex(&field[colon + 1..])?))
}

/// Unsigned hexadecimal, 1 to 16 digits (so it cannot overflow).
fn hex(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() || digits.len() > 16 {
        return None;
    }
    let mut value = 0u64;
    for &byte in digits {
        let digit = match byte {
            b'0'..=b'9' => byte - b'0',
            b'a'..=b'f' => byte - b'a' + 10,
            b'A'..=b'F' => byte - b'A' + 10,
            _ => return None,
        };
        value = value << 4 | u64::from(digit);
    }
    Some(value)
}

/// Unsigned decimal that fits in 64 bits.
fn decimal(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() {
        return None;
    }
    let mut value = 0u64;
    for &byte in digits {
        if !byte.is_ascii_digit() {
            return None;
        }
        value = value.checked_mul(10)?.checked_add(u64::from(byte - b'0'))?;
    }
    Some(value)
}

/// Signed decimal.
fn signed(digits: &[u8]) -> Option<i64> {
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// Parses one row of `/proc/net/unix`:
/// `PTR: REFCOUNT PROTOCOL FLAGS TYPE STATE INODE[ PATH]`. The path is the
/// rest of the line after one blank, blanks included.
pub fn parse_unix_line(line: &[u8]) -> Option<UnixSocket> {
    let mut rest = line;
    let mut take = || -> Option<&[u8]> {
        let start = rest.iter().position(|&b| b != b' ')?;
        let len = rest[start..].iter().position(|&b| b == b' ');
        let end = start + len.unwrap_or(rest.len() - start);
        let field = &rest[start..end];
        rest = &rest[end..];
        Some(field)
    };

    // Seven fixed columns.
    let pointer = take()?;
    if pointer.last() != Some(&b':') {
        return None;
    }
    let refcount = hex(take()?)?;
    let protocol = hex(take()?)?;
    let flags = hex(take()?)?;
    let kind = UnixType(u16::try_from(hex(take()?)?).ok()?);
    let state = UnixState(u8::try_from(hex(take()?)?).ok()?);
    let inode = decimal(take()?)?;

    // Whatever follows the blank after the inode is the name.
    let path = match rest.split_first() {
        Some((b' ', name)) if !name.is_empty() => Some(name.to_vec()),
        Some(_) => return None,
        None => None,
    };
    Some(UnixSocket { refcount, protocol, flags, kind, state, inode, path })
}

#[cfg(test)]
mod tests {
    //! Fixture lines were captured on Linux 6.18 (x86_64) inside
    //! `unshare -n`, with a python3 process holding a `[::1]:40443`
    //! listener, a dual-stack `[::]:443` listener and a v4 client of it, a
    //! UNIX stream listener on `/tmp/with space.sock` and a datagram
    //! socket bound to the abstract name "\0ab with space\0nul".

    use super::*;

    const TCP: &[u8] = b"  sl  local_address rem_address   st tx_queue \
rx_queue tr tm->when retrnsmt   uid  timeout inode                      \n\
   0: 0100007F:B8C8 0100007F:01BB 01 00000000:00000000 00:00000000 \
00000000     0        0 9735 2 00000000a93b1641 20 0 0 10 -1          \n\
   1: 0100007F:1FA3 0100007F:8F1C 06 00000000:00000000 03:000004A1 \
00000000     0        0 0 3 000000007443eeb8                          \n";

    const TCP6: &[u8] = b"  sl  local_address                         \
remote_address                        st tx_queue rx_queue tr tm->when \
retrnsmt   uid  timeout inode\n\
   0: 00000000000000000000000001000000:9DFB \
00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 \
00000000     0        0 8036 1 000000008ce7499b 100 0 0 10 0\n\
   1: 00000000000000000000000000000000:01BB \
00000000000000000000000000000000:0000 0A 00000000:00000001 00:00000000 \
00000000     0        0 8037 2 00000000ef13cd9f 100 0 0 10 0\n\
   2: 0000000000000000FFFF00000100007F:01BB \
0000000000000000FFFF00000100007F:B8C8 01 00000000:00000000 00:00000000 \
00000000     0        0 0 1 000000005497590c 20 0 0 10 -1\n";

    const UNIX: &[u8] = b"Num       RefCount Protocol Flags    Type St \
Inode Path\n\
00000000cc341c91: 00000002 00000000 00010000 0001 01  9736 \
/tmp/with space.sock\n\
00000000186e09ec: 00000002 00000000 00000000 0002 01  9737 \
@ab with space@nul\n\
000000008aba107b: 00000003 00000000 00000000 0001 03  1061\n";

    fn tcp(text: &[u8], family: Family) -> Table<InetSocket> {
        parse_table(text, |l| parse_inet_line(l, Protocol::Tcp, family))
    }

    #[test]
    fn over_long_lines_are_cut_and_reported() {
        let mut text = b"short\n".to_vec();
        text.extend(std::iter::repeat_n(b'x', MAX_LINE_BYTES + 10));
        text.extend_from_slice(b"\nafter\nlast");
        let mut reader = &text[..];
        let mut line = Vec::new();
        let mut read = || {
            let whole = read_line_capped(&mut reader, &mut line).unwrap();
            (whole, line.len().min(8), line.get(..2).map(<[u8]>::to_vec))
        };
        assert_eq!(read(), (Some(true), 6, Some(b"sh".to_vec())));
        assert_eq!(read(), (Some(false), 8, Some(b"xx".to_vec())));
        assert_eq!(read(), (Some(true), 6, Some(b"af".to_vec())));
        assert_eq!(read(), (Some(true), 4, Some(b"la".to_vec())));
        assert_eq!(read().0, None);
    }

    #[test]
    fn ipv4_rows_decode_addresses_ports_and_timers() {
        let table = tcp(TCP, Family::Inet);
        assert_eq!(table.skipped, 0);
        let first = &table.rows[0];
        assert_eq!(first.local.addr, IpAddr::from([127, 0, 0, 1]));
        assert_eq!(first.local.port, 47304, "ports above 32767");
        assert_eq!(first.remote.port, 443);
        assert_eq!(first.state, TcpState::ESTABLISHED);
        assert_eq!(first.inode, 9735);
        let time_wait = &table.rows[1];
        assert_eq!(time_wait.state, TcpState(6));
        assert_eq!(time_wait.timer.code, 3);
        assert_eq!(time_wait.timer.ticks, 0x4A1);
        assert_eq!(time_wait.inode, 0);
    }

    #[test]
    fn ipv6_rows_keep_word_order() {
        let table = tcp(TCP6, Family::Inet6);
        assert_eq!(table.rows.len(), 3);
        assert_eq!(table.rows[0].local.addr, "::1".parse::<IpAddr>().unwrap());
        assert_eq!(table.rows[0].local.port, 40443);
        assert!(table.rows[1].local.addr.is_unspecified());
        assert_eq!(table.rows[1].recv_queue, 1);
        let mapped: IpAddr = "::ffff:127.0.0.1".parse().unwrap();
        assert_eq!(table.rows[2].local.addr, mapped);
        assert_eq!(table.rows[2].remote.port, 47304);
        assert!(table.rows[1].is_server());
        assert!(!table.rows[2].is_server());
    }

    #[test]
    fn queues_are_split_send_then_receive() {
        let line = b"   0: 0100007F:1F90 0100007F:9C41 01 003AF2CE:000004D2 \
01:00000014 00000002     0        0 10965 1 0 20 4 30 10 -1";
        let socket = parse_inet_line(line, Protocol::Tcp, Family::Inet);
        let socket = socket.unwrap();
        assert_eq!(socket.send_queue, 3863246);
        assert_eq!(socket.recv_queue, 1234);
        assert_eq!(socket.timer.retransmits, 2);
    }

    #[test]
    fn malformed_and_truncated_lines_are_counted_not_fatal() {
        let text = b"header\n\
   0: 0100007F:1F90\n\
   1: 0100007F:1F90 0100007F:9C41 01 00000000:00000000 00:00000000\n\
garbage\n\
   2: 0100007F:ZZZZ 0100007F:9C41 01 00000000:00000000 00:00000000 \
00000000     0        0 1\n\
   3: 00000000000000000000000001000000:0016 0100007F:9C41 01 \
00000000:00000000 00:00000000 00000000     0        0 1\n\
   4: 0100007F:10000 0100007F:9C41 01 00000000:00000000 00:00000000 \
00000000     0        0 1\n\
   5: 0100007F:0016 0100007F:9C41 01 00000000:00000000 00:00000000 \
00000000     0        0 77\n";
        let table = tcp(text, Family::Inet);
        assert_eq!(table.skipped, 6);
        assert_eq!(table.rows.len(), 1);
        assert_eq!(table.rows[0].inode, 77);
    }

    #[test]
    fn unix_paths_keep_blanks_and_abstract_names() {
        let table = parse_table(UNIX, parse_unix_line);
        assert_eq!(table.skipped, 0);
        let listener = &table.rows[0];
        assert_eq!(
            listener.path.as_deref(),
            Some(&b"/tmp/with space.sock"[..])
        );
        assert!(listener.is_server());
        assert_eq!(listener.inode, 9736);
        let abstract_name = &table.rows[1];
        assert_eq!(
            abstract_name.path.as_deref(),
            Some(&b"@ab with space@nul"[..])
        );
        assert_eq!(abstract_name.kind, UnixType(2));
        assert!(!abstract_name.is_server());
        let unnamed = &table.rows[2];
        assert_eq!(unnamed.path, None);
        assert_eq!(unnamed.refcount, 3);
        assert_eq!(unnamed.state, UnixState(3));
    }

    #[test]
    fn broken_unix_lines_are_skipped() {
        let text = b"Num RefCount\n\
00000000cc341c91 00000002 00000000 00010000 0001 01  9736\n\
00000000cc341c91: 00000002 00000000\n\
space.sock\n";
        let table = parse_table(text, parse_unix_line);
        assert_eq!((table.rows.len(), table.skipped), (0, 3));
    }

    #[test]
    fn missing_tables_are_reported_as_missing() {
        let source = ProcNet::new("/nonexistent-proc-root");
        let error = source.unix_sockets().unwrap_err();
        assert!(matches!(error, SourceError::Missing(_)));
    }
}
