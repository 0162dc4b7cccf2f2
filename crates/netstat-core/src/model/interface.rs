//! Network interfaces as `netstat -i` and `ifconfig` see them: the
//! counters of `/proc/net/dev`, the link facts the `SIOCGIF*` ioctls
//! report (flags, MTU, hardware address, queue length, device map), the
//! IPv4 address of an interface or alias label, and the IPv6 addresses of
//! `/proc/net/if_inet6`.
//!
//! Names are bytes: Linux allows any byte in an interface name except
//! NUL, `/`, `:` and white space, so nothing here assumes UTF-8. An alias
//! label such as `v0:1` names an IPv4 address, not a device; it has no
//! counters and shares its device's link facts.

use std::net::{Ipv4Addr, Ipv6Addr};

/// The sixteen counters of one `/proc/net/dev` line, in file order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeviceStats {
    /// Bytes received.
    pub rx_bytes: u64,
    /// Packets received.
    pub rx_packets: u64,
    /// Receive errors (`errs`).
    pub rx_errors: u64,
    /// Received packets dropped (`drop`: dropped plus missed).
    pub rx_dropped: u64,
    /// Receive FIFO overruns (`fifo`).
    pub rx_fifo: u64,
    /// Framing errors (`frame`: length, overrun, CRC and frame errors).
    pub rx_frame: u64,
    /// Compressed packets received.
    pub rx_compressed: u64,
    /// Multicast packets received.
    pub rx_multicast: u64,
    /// Bytes sent.
    pub tx_bytes: u64,
    /// Packets sent.
    pub tx_packets: u64,
    /// Transmit errors.
    pub tx_errors: u64,
    /// Packets dropped on transmit.
    pub tx_dropped: u64,
    /// Transmit FIFO errors.
    pub tx_fifo: u64,
    /// Collisions (`colls`).
    pub tx_collisions: u64,
    /// Carrier errors (carrier, aborted, window and heartbeat errors).
    pub tx_carrier: u64,
    /// Compressed packets sent.
    pub tx_compressed: u64,
}

/// Interface flags (`IFF_*` from `<linux/if.h>`), as `SIOCGIFFLAGS`
/// reports them: the device flags with `RUNNING` meaning "operationally
/// up" and `PROMISC` / `ALLMULTI` only as requested by a user.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InterfaceFlags(pub u32);

impl InterfaceFlags {
    /// `IFF_UP`: administratively up.
    pub const UP: u32 = 0x1;
    /// `IFF_BROADCAST`: the broadcast address is valid.
    pub const BROADCAST: u32 = 0x2;
    /// `IFF_DEBUG`.
    pub const DEBUG: u32 = 0x4;
    /// `IFF_LOOPBACK`.
    pub const LOOPBACK: u32 = 0x8;
    /// `IFF_POINTOPOINT`: the link has one peer.
    pub const POINTOPOINT: u32 = 0x10;
    /// `IFF_NOTRAILERS`.
    pub const NOTRAILERS: u32 = 0x20;
    /// `IFF_RUNNING`: operationally up.
    pub const RUNNING: u32 = 0x40;
    /// `IFF_NOARP`.
    pub const NOARP: u32 = 0x80;
    /// `IFF_PROMISC`.
    pub const PROMISC: u32 = 0x100;
    /// `IFF_ALLMULTI`.
    pub const ALLMULTI: u32 = 0x200;
    /// `IFF_MASTER`: master of a load balancer (bonding).
    pub const MASTER: u32 = 0x400;
    /// `IFF_SLAVE`: slave of a load balancer.
    pub const SLAVE: u32 = 0x800;
    /// `IFF_MULTICAST`.
    pub const MULTICAST: u32 = 0x1000;
    /// `IFF_PORTSEL`: the media type can be set.
    pub const PORTSEL: u32 = 0x2000;
    /// `IFF_AUTOMEDIA`: the media type is chosen automatically.
    pub const AUTOMEDIA: u32 = 0x4000;
    /// `IFF_DYNAMIC`: a dial-up device with changing addresses.
    pub const DYNAMIC: u32 = 0x8000;

    /// True if every bit of `flag` is set.
    pub fn has(self, flag: u32) -> bool {
        self.0 & flag == flag
    }
}

/// A link-layer address with its `ARPHRD_*` hardware type.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HardwareAddress {
    /// The hardware type (`ARPHRD_ETHER` = 1, `ARPHRD_LOOPBACK` = 772,
    /// `ARPHRD_NONE` = 65534, ...).
    pub kind: u16,
    /// The address bytes as the kernel reports them (empty when the
    /// device has none).
    pub bytes: Vec<u8>,
}

/// The device map of `SIOCGIFMAP` (`struct ifmap`): I/O resources of old
/// ISA-style drivers, zero for nearly every modern device.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeviceMap {
    /// Start of the shared memory window.
    pub mem_start: u64,
    /// End of the shared memory window.
    pub mem_end: u64,
    /// I/O base address.
    pub base_addr: u16,
    /// Interrupt line.
    pub irq: u8,
    /// DMA channel.
    pub dma: u8,
    /// Media port (`IF_PORT_*`: 0 unknown, 1 10base2, ..., 6 100baseFX).
    pub port: u8,
}

/// What the kernel reports about a device (for an alias label: about the
/// device the label belongs to).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinkFacts {
    /// Interface flags.
    pub flags: InterfaceFlags,
    /// MTU in bytes.
    pub mtu: i32,
    /// Hardware type and address.
    pub hardware: HardwareAddress,
    /// Transmit queue length, when known.
    pub tx_queue_len: Option<u32>,
    /// Device map.
    pub map: DeviceMap,
}

/// The IPv4 address of an interface or alias label, as the
/// `SIOCGIFADDR` family of ioctls reports it: the first address whose
/// label is exactly the name asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ipv4Config {
    /// The local address.
    pub address: Ipv4Addr,
    /// The network mask.
    pub netmask: Ipv4Addr,
    /// The broadcast address (`0.0.0.0` when none was set).
    pub broadcast: Ipv4Addr,
    /// The peer of a point-to-point link (the local address otherwise).
    pub destination: Ipv4Addr,
}

/// One line of `/proc/net/if_inet6`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ipv6Config {
    /// The address.
    pub address: Ipv6Addr,
    /// Index of the interface.
    pub ifindex: u32,
    /// Prefix length.
    pub prefix_len: u32,
    /// Scope bits (`IPV6_ADDR_*` scope: 0 global, 0x10 loopback, 0x20
    /// link-local, 0x40 site-local, 0x80 IPv4-compatible).
    pub scope: u32,
    /// Address flags (`IFA_F_*`, e.g. tentative, permanent).
    pub flags: u32,
    /// Name of the interface.
    pub device: Vec<u8>,
}

/// One interface or alias label of the interface view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interface {
    /// The name (`v0`, or an alias label such as `v0:1`).
    pub name: Vec<u8>,
    /// Counters; `None` for names `/proc/net/dev` does not list (alias
    /// labels).
    pub stats: Option<DeviceStats>,
    /// Link facts.
    pub link: LinkFacts,
    /// The IPv4 address labelled with this name, if any.
    pub ipv4: Option<Ipv4Config>,
    /// The IPv6 addresses of the device with exactly this name, in
    /// `/proc/net/if_inet6` order.
    pub ipv6: Vec<Ipv6Config>,
}
