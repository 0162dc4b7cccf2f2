//! Where the rows of the Internet block come from: the kernel's sock_diag
//! netlink dumps on a live system (fast, and for `-l` the kernel sends
//! listeners only), or the `/proc/net` text tables, which are what a
//! saved tree has and what every table falls back to when its netlink
//! dump is refused. Both give rows in the same order with `/proc`'s
//! values, so the choice never shows in the output.

use std::path::Path;

use netstat_core::model::{Family, InetSocket, Protocol, TcpState};
use netstat_core::source::SourceError;
use netstat_core::source::netlink::{self, SockDiag};
use netstat_core::source::proc_net::ProcNet;

use crate::settings::{Settings, Show, SocketSource};

/// The Internet socket tables of one listing.
pub struct InetSource {
    proc_net: ProcNet,
    sock_diag: Option<SockDiag>,
}

impl InetSource {
    /// Netlink for the live system unless `--source=proc` says otherwise;
    /// `/proc` text for a saved tree unless `--source=netlink` insists.
    pub fn new(settings: &Settings) -> InetSource {
        let live = settings.proc_root == Path::new("/proc");
        let netlink = match settings.source {
            SocketSource::Auto => live,
            SocketSource::Netlink => true,
            SocketSource::Proc => false,
        };
        InetSource {
            proc_net: ProcNet::new(&settings.proc_root),
            sock_diag: netlink.then(SockDiag::new),
        }
    }

    /// The `/proc/net` text tables of the listing's root, which the other
    /// blocks read too.
    pub fn proc_net(&self) -> &ProcNet {
        &self.proc_net
    }

    /// Streams one table's rows in kernel order to `each`.
    ///
    /// A netlink dump that fails before its first row falls back to the
    /// text table; one that fails later keeps the rows it gave, since
    /// they are already printed.
    pub fn for_each(
        &self,
        settings: &Settings,
        protocol: Protocol,
        family: Family,
        each: &mut dyn FnMut(InetSocket),
    ) -> Result<(), SourceError> {
        if let Some(sock_diag) = &self.sock_diag {
            let mut rows = 0_u64;
            let mask = state_mask(protocol, settings.show);
            let dump = sock_diag.for_each_inet(
                protocol,
                family,
                mask,
                settings.timers,
                |s| {
                    rows += 1;
                    each(s);
                },
            );
            if dump.is_ok() || rows > 0 {
                return Ok(());
            }
        }
        self.proc_net.for_each_inet(protocol, family, each).map(|_| ())
    }
}

/// The TCP states to ask the kernel for: `-l` wants listeners only and
/// the default listing everything else. Datagram sockets are told apart
/// by their remote address, which no state mask expresses, so they are
/// dumped whole and filtered by the caller (as are TCP rows, to be sure).
fn state_mask(protocol: Protocol, show: Show) -> u32 {
    if protocol != Protocol::Tcp {
        return netlink::ALL_STATES;
    }
    match show {
        Show::Servers => netlink::LISTEN_STATES,
        Show::Connected => {
            netlink::ALL_STATES & !netlink::state_bit(TcpState::LISTEN)
        }
        Show::All => netlink::ALL_STATES,
    }
}
