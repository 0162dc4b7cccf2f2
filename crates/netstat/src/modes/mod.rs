//! One module per view. Each reads through a `netstat-core` source,
//! renders through the classic renderer and reports an exit status; none
//! parses the command line.

pub mod groups;
pub mod inet_source;
pub mod interfaces;
pub mod routes;
pub mod sockets;
pub mod stats;

/// The exit status a view asks for: 0 success, 1 a requested table is
/// missing, 255 a table could not be read.
pub type Status = u8;
