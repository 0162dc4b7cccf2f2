//! Names for numbers: host names, service names and user names through
//! the C library's NSS, as net-tools does, but cached and bounded in time.
//!
//! * [`Services`]: the tcp, udp, sctp and raw port lists, read once;
//! * [`host_names`]: reverse lookups on a few threads with a deadline,
//!   plus [`network_name`] for the networks database;
//! * [`Users`]: user names by uid, cached.
//!
//! Every name is escaped with [`crate::render::escape::escape`] on the way
//! in, so renderers can print it as it is.

mod hosts;
mod services;
mod users;

pub use hosts::{host_names, network_name};
pub use services::{ServiceKind, Services};
pub use users::Users;
