//! The load role: one shard of the benchmark's sockets. The driver starts
//! several shards (each under the open-files limit) with disjoint numbers;
//! a shard enters the namespace, opens its listeners, connections, unix
//! and UDP sockets, forks its share of holder processes, prints `ready`
//! and then holds everything until its stdin closes.

use std::io::{self, Read, Write};
use std::net::TcpListener;
use std::os::fd::AsRawFd;
use std::path::PathBuf;

use crate::holders;
use crate::options;
use crate::sockets;
use crate::sys::{self, Context, Fallible};

/// One shard's share of the load, as passed on its command line.
pub struct Plan {
    pub shard: u64,
    pub conns: u64,
    pub first: u64,
    pub unix: u64,
    pub udp: u64,
    pub udp_first: u64,
    pub procs: u64,
    pub listeners: u64,
    pub port_base: u64,
    pub ipv6: u64,
}

const FIELDS: [&str; 10] = [
    "shard",
    "conns",
    "first",
    "unix",
    "udp",
    "udp-first",
    "procs",
    "listeners",
    "port-base",
    "ipv6",
];

impl Plan {
    fn values(&self) -> [u64; 10] {
        [
            self.shard,
            self.conns,
            self.first,
            self.unix,
            self.udp,
            self.udp_first,
            self.procs,
            self.listeners,
            self.port_base,
            self.ipv6,
        ]
    }

    /// `--name=value` arguments for the `load` role.
    pub fn to_args(&self) -> Vec<String> {
        let pairs = FIELDS.iter().zip(self.values());
        pairs.map(|(name, value)| format!("--{name}={value}")).collect()
    }

    fn parse(args: &options::Args) -> Fallible<Plan> {
        let get = |name| args.number::<u64>(name, 0);
        Ok(Plan {
            shard: get("shard")?,
            conns: get("conns")?,
            first: get("first")?,
            unix: get("unix")?,
            udp: get("udp")?,
            udp_first: get("udp-first")?,
            procs: get("procs")?,
            listeners: get("listeners")?.max(1),
            port_base: get("port-base")?,
            ipv6: get("ipv6")?,
        })
    }
}

pub fn main(args: &[String]) -> Fallible<()> {
    let mut valued = FIELDS.to_vec();
    valued.extend(["netns", "dir"]);
    let args = options::parse(args, &valued, &[])?;
    let plan = Plan::parse(&args)?;
    let dir = PathBuf::from(args.required("dir")?);
    sys::enter_netns(args.required("netns")?).ctx("setns")?;
    sys::raise_nofile();
    let held = build(&plan, &dir)?;
    let mut stdout = io::stdout().lock();
    writeln!(stdout, "ready {} {}", held.highest_fd(), held.holders.len())
        .and_then(|()| stdout.flush())
        .ctx("stdout")?;
    wait_for_eof();
    drop(held);
    Ok(())
}

/// Everything a shard holds open; dropping it closes and kills it all.
struct Held {
    holders: holders::Holders,
    _listeners: Vec<TcpListener>,
    _kept_clients: Vec<std::os::fd::OwnedFd>,
    servers: Vec<std::net::TcpStream>,
    unix: Vec<std::os::unix::net::UnixStream>,
    unix_listener: std::os::unix::net::UnixListener,
    udp: Vec<std::net::UdpSocket>,
    _ipv6: (Vec<TcpListener>, Vec<std::net::TcpStream>),
}

impl Held {
    /// The highest descriptor number the shard opened.
    fn highest_fd(&self) -> i32 {
        let last = self.servers.last().map(|s| s.as_raw_fd());
        let unix = self.unix.last().map(|s| s.as_raw_fd());
        let udp = self.udp.last().map(|s| s.as_raw_fd());
        let listener = self.unix_listener.as_raw_fd();
        [last, unix, udp, Some(listener)]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(0)
    }
}

fn build(plan: &Plan, dir: &std::path::Path) -> Fallible<Held> {
    let listeners = tcp_listeners(plan)?;
    let pairs = sockets::tcp_pairs(&listeners, plan.first, plan.conns)
        .ctx(format!("shard {}: TCP connections", plan.shard))?;
    let path = dir.join(format!("u{}.sock", plan.shard));
    let (unix_listener, unix) = sockets::unix_pairs(&path, plan.unix)
        .ctx(format!("shard {}: unix sockets", plan.shard))?;
    let udp = sockets::udp_sockets(plan.udp_first, plan.udp)
        .ctx(format!("shard {}: UDP sockets", plan.shard))?;
    let ipv6 = ipv6_best_effort(plan.ipv6);
    let (holders, kept_clients) =
        holders::start(pairs.clients, plan.procs as usize)?;
    let servers = pairs.servers;
    Ok(Held {
        holders,
        _listeners: listeners,
        _kept_clients: kept_clients,
        servers,
        unix,
        unix_listener,
        udp,
        _ipv6: ipv6,
    })
}

fn tcp_listeners(plan: &Plan) -> Fallible<Vec<TcpListener>> {
    (0..plan.listeners)
        .map(|index| {
            let port = plan.port_base + plan.shard * plan.listeners + index;
            let addr = sockets::listen_addr(port as u16, index as usize);
            TcpListener::bind(addr).ctx(format!("listen on {addr}"))
        })
        .collect()
}

/// IPv6 may be disabled; then the load simply has no tcp6 rows.
fn ipv6_best_effort(
    count: u64,
) -> (Vec<TcpListener>, Vec<std::net::TcpStream>) {
    if count == 0 {
        return (Vec::new(), Vec::new());
    }
    sockets::ipv6(count).unwrap_or_else(|error| {
        eprintln!("netstat-bench: no IPv6 sockets: {error}");
        (Vec::new(), Vec::new())
    })
}

fn wait_for_eof() {
    let mut buffer = [0u8; 64];
    let mut stdin = io::stdin().lock();
    loop {
        match stdin.read(&mut buffer) {
            Ok(0) => return,
            Ok(_) => {}
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return,
        }
    }
}
