//! Reverse lookups of socket addresses, in parallel and bounded in time.
//!
//! net-tools 2.10 looks names up one after the other and waits as long as
//! the resolver takes (seconds per address with a dead DNS server). Here
//! each distinct address is looked up once, on a few worker threads, and
//! whatever has not resolved by the deadline prints numerically. The
//! answers are the ones net-tools gets, because the same C library calls
//! are made:
//!
//! * IPv4 through `getnameinfo` on `AF_INET` (glibc answers it with
//!   `gethostbyaddr`, which net-tools calls);
//! * IPv6 through `getnameinfo` on `AF_INET6`, IPv4-mapped addresses
//!   included: they are *not* turned into IPv4 first, so `::ffff:127.0.0.1`
//!   does not become `localhost` from `/etc/hosts` (net-tools then prints
//!   `127.0.0.1`);
//! * IPv4 addresses whose first octet is 0 (but not `0.0.0.0`) through
//!   the networks database: net-tools tests the "host part" with a
//!   host-order mask on a network-order address, which on little-endian
//!   machines picks the first octet (measured: `0.1.2.3` printed as its
//!   `/etc/networks` name and never as its `/etc/hosts` name);
//! * unspecified addresses are never looked up (`0.0.0.0` and `[::]` are
//!   printed as such).
//!
//! Names come back escaped, as a safeguard against a resolver that passes
//! control bytes through.

use std::collections::{HashMap, HashSet};
use std::ffi::CStr;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use crate::render::escape::escape;

/// The most lookup threads one call starts.
const MAX_WORKERS: usize = 8;

/// Room for a host name (`NI_MAXHOST`).
const HOST_BUFFER: usize = 1025;

/// Looks up host names for all `addrs` in parallel and returns those that
/// resolved before `deadline`; the rest print numerically.
///
/// Pass addresses as the kernel reports them: IPv4-mapped addresses stay
/// IPv6 (see the module documentation). Threads still blocked in the
/// resolver at the deadline are left to finish on their own; their
/// answers are dropped.
pub fn host_names(
    addrs: &[IpAddr],
    deadline: Duration,
) -> HashMap<IpAddr, String> {
    resolve_all(addrs, deadline, lookup)
}

/// The name net-tools shows for `addr`, or `None`.
fn lookup(addr: IpAddr) -> Option<String> {
    match addr {
        IpAddr::V4(v4) if v4.octets()[0] == 0 => network_name(v4),
        IpAddr::V4(v4) => name_info_v4(v4),
        IpAddr::V6(v6) => name_info_v6(v6),
    }
}

/// The work shared by the lookup threads.
struct Jobs {
    addrs: Vec<IpAddr>,
    next: AtomicUsize,
    stop: AtomicBool,
}

/// [`host_names`] with the lookup function as a parameter (tests pass
/// slow fakes).
pub(crate) fn resolve_all(
    addrs: &[IpAddr],
    deadline: Duration,
    lookup: fn(IpAddr) -> Option<String>,
) -> HashMap<IpAddr, String> {
    let end = Instant::now() + deadline;
    let jobs = Arc::new(Jobs {
        addrs: distinct(addrs),
        next: AtomicUsize::new(0),
        stop: AtomicBool::new(false),
    });
    if jobs.addrs.is_empty() {
        return HashMap::new();
    }

    // Start the threads; if none starts, every address stays numeric.
    let (sender, answers) = mpsc::channel();
    let workers = jobs.addrs.len().min(MAX_WORKERS);
    for _ in 0..workers {
        let (jobs, sender) = (Arc::clone(&jobs), sender.clone());
        let work = move || work(&jobs, &sender, lookup);
        if thread::Builder::new().name("resolve".into()).spawn(work).is_err() {
            break;
        }
    }
    drop(sender);

    let names = collect(&answers, jobs.addrs.len(), end);
    jobs.stop.store(true, Ordering::Relaxed);
    names
}

/// The addresses worth a lookup, each once, in first-seen order.
fn distinct(addrs: &[IpAddr]) -> Vec<IpAddr> {
    let mut seen = HashSet::with_capacity(addrs.len());
    addrs
        .iter()
        .copied()
        .filter(|addr| !addr.is_unspecified() && seen.insert(*addr))
        .collect()
}

/// One lookup thread: takes addresses until none are left, the caller
/// has stopped waiting, or the answers are no longer received.
fn work(
    jobs: &Jobs,
    answers: &mpsc::Sender<(IpAddr, Option<String>)>,
    lookup: fn(IpAddr) -> Option<String>,
) {
    while !jobs.stop.load(Ordering::Relaxed) {
        let index = jobs.next.fetch_add(1, Ordering::Relaxed);
        let Some(&addr) = jobs.addrs.get(index) else { return };
        if answers.send((addr, lookup(addr))).is_err() {
            return;
        }
    }
}

/// Receives up to `expected` answers until `end`; keeps the names.
fn collect(
    answers: &mpsc::Receiver<(IpAddr, Option<String>)>,
    expected: usize,
    end: Instant,
) -> HashMap<IpAddr, String> {
    let mut names = HashMap::with_capacity(expected);
    for _ in 0..expected {
        let left = end.saturating_duration_since(Instant::now());
        match answers.recv_timeout(left) {
            Ok((addr, Some(name))) => {
                names.insert(addr, name);
            }
            Ok((_, None)) => {}
            Err(_) => break,
        }
    }
    names
}

/// `getnameinfo` with `NI_NAMEREQD` for an IPv4 address.
fn name_info_v4(addr: Ipv4Addr) -> Option<String> {
    let socket = libc::sockaddr_in {
        sin_family: libc::AF_INET as libc::sa_family_t,
        sin_port: 0,
        sin_addr: libc::in_addr { s_addr: u32::from_ne_bytes(addr.octets()) },
        sin_zero: [0; 8],
    };
    let length = size_of::<libc::sockaddr_in>() as libc::socklen_t;
    name_info((&raw const socket).cast(), length)
}

/// `getnameinfo` with `NI_NAMEREQD` for an IPv6 address.
fn name_info_v6(addr: Ipv6Addr) -> Option<String> {
    let socket = libc::sockaddr_in6 {
        sin6_family: libc::AF_INET6 as libc::sa_family_t,
        sin6_port: 0,
        sin6_flowinfo: 0,
        sin6_addr: libc::in6_addr { s6_addr: addr.octets() },
        sin6_scope_id: 0,
    };
    let length = size_of::<libc::sockaddr_in6>() as libc::socklen_t;
    name_info((&raw const socket).cast(), length)
}

/// The host name `getnameinfo` finds for a socket address, if any.
fn name_info(
    socket: *const libc::sockaddr,
    length: libc::socklen_t,
) -> Option<String> {
    let mut host = [0 as libc::c_char; HOST_BUFFER];
    // SAFETY: `socket` points to a live address of `length` bytes; the
    // host buffer's size is passed; no service buffer is requested.
    let status = unsafe {
        libc::getnameinfo(
            socket,
            length,
            host.as_mut_ptr(),
            HOST_BUFFER as libc::socklen_t,
            std::ptr::null_mut(),
            0,
            libc::NI_NAMEREQD,
        )
    };
    if status != 0 {
        return None;
    }
    // SAFETY: on success getnameinfo wrote a NUL-terminated name.
    let name = unsafe { CStr::from_ptr(host.as_ptr()) };
    Some(escape(name.to_bytes()).into_owned())
}

/// The name of `addr` in the networks database (`/etc/networks`), as
/// `getnetbyaddr` finds it; net-tools shows it for IPv4 socket addresses
/// whose first octet is 0, and for route destinations.
pub fn network_name(addr: Ipv4Addr) -> Option<String> {
    network_name_impl(addr)
}

/// `getnetbyaddr_r`, which glibc provides and the libc crate binds.
#[cfg(target_env = "gnu")]
fn network_name_impl(addr: Ipv4Addr) -> Option<String> {
    let mut size = 1024;
    while size <= 64 * 1024 {
        match network_entry(u32::from(addr), size) {
            Ok(name) => return name,
            Err(()) => size *= 4,
        }
    }
    None
}

/// Other C libraries: musl's `getnetbyaddr` always fails, so none.
#[cfg(not(target_env = "gnu"))]
fn network_name_impl(_addr: Ipv4Addr) -> Option<String> {
    None
}

/// One `getnetbyaddr_r` call with a buffer of `size` bytes; `Err` when the
/// buffer was too small.
#[cfg(target_env = "gnu")]
fn network_entry(net: u32, size: usize) -> Result<Option<String>, ()> {
    let mut buffer = vec![0 as libc::c_char; size];
    // SAFETY: an all-zero netent (null pointers, zero numbers) is valid.
    let mut entry: libc::netent = unsafe { std::mem::zeroed() };
    let mut result: *mut libc::netent = std::ptr::null_mut();
    let mut h_errno = 0;
    // SAFETY: every pointer refers to a live local of the right type and
    // the buffer's length is passed.
    let status = unsafe {
        libc::getnetbyaddr_r(
            net,
            libc::AF_INET,
            &mut entry,
            buffer.as_mut_ptr(),
            buffer.len(),
            &mut result,
            &mut h_errno,
        )
    };
    if status == libc::ERANGE {
        return Err(());
    }
    if status != 0 || result.is_null() || entry.n_name.is_null() {
        return Ok(None);
    }
    // SAFETY: on success n_name points to a NUL-terminated name inside
    // `buffer`, which is still alive.
    let name = unsafe { CStr::from_ptr(entry.n_name) };
    Ok(Some(escape(name.to_bytes()).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slow_fake(addr: IpAddr) -> Option<String> {
        match addr {
            IpAddr::V4(v4) if v4.octets()[3] == 99 => {
                thread::sleep(Duration::from_secs(3));
                Some(String::from("too-late"))
            }
            IpAddr::V4(v4) if v4.octets()[3] == 0 => None,
            _ => Some(format!("host-{addr}")),
        }
    }

    fn v4(text: &str) -> IpAddr {
        text.parse().expect("test address")
    }

    #[test]
    fn answers_after_the_deadline_are_dropped() {
        let addrs =
            [v4("10.0.0.1"), v4("10.0.0.99"), v4("10.0.0.2"), v4("10.0.0.0")];
        let started = Instant::now();
        let names = resolve_all(&addrs, Duration::from_millis(300), slow_fake);
        assert!(started.elapsed() < Duration::from_secs(3));
        assert_eq!(names.len(), 2);
        assert_eq!(names[&v4("10.0.0.1")], "host-10.0.0.1");
        assert_eq!(names[&v4("10.0.0.2")], "host-10.0.0.2");
    }

    #[test]
    fn addresses_are_looked_up_once_and_unspecified_never() {
        let addrs = [
            v4("10.0.0.1"),
            v4("0.0.0.0"),
            v4("10.0.0.1"),
            "::".parse().expect("::"),
        ];
        assert_eq!(distinct(&addrs), [v4("10.0.0.1")]);
        let names = resolve_all(&addrs, Duration::from_secs(2), slow_fake);
        assert_eq!(names.len(), 1);
        assert!(resolve_all(&[], Duration::ZERO, slow_fake).is_empty());
    }

    /// The first name of the first `/etc/hosts` line for `addr`.
    fn hosts_file_name(addr: &str) -> Option<String> {
        let text = std::fs::read_to_string("/etc/hosts").ok()?;
        text.lines().find_map(|line| {
            let mut words = line.split('#').next()?.split_whitespace();
            (words.next()? == addr).then(|| words.next().map(String::from))?
        })
    }

    #[test]
    fn loopback_resolves_from_the_hosts_file() {
        // Only addresses listed in /etc/hosts are looked up here, so the
        // test never sends a DNS query.
        let Some(expected) = hosts_file_name("127.0.0.1") else {
            eprintln!("skipped: /etc/hosts does not name 127.0.0.1");
            return;
        };
        let names = host_names(&[v4("127.0.0.1")], Duration::from_secs(5));
        assert_eq!(names.get(&v4("127.0.0.1")), Some(&expected));
    }

    #[test]
    fn networks_database_names_loopback_net() {
        let listed =
            std::fs::read_to_string("/etc/networks").is_ok_and(|text| {
                text.lines().any(|line| {
                    line.split_whitespace().eq(["loopback", "127.0.0.0"])
                })
            });
        if !listed {
            eprintln!("skipped: /etc/networks has no `loopback 127.0.0.0`");
            return;
        }
        let name = network_name(Ipv4Addr::new(127, 0, 0, 0));
        assert_eq!(name.as_deref(), Some("loopback"));
    }
}
