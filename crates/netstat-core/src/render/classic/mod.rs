//! The classic renderer: net-tools 2.10 text, byte for byte, for every
//! input on which net-tools prints correct information. Where 2.10 cuts
//! or garbles (addresses cut to 23 columns, paths cut at a blank, raw
//! control bytes) this renderer differs on purpose; each difference is
//! listed in `compat/known-differences.txt`.

pub mod group;
pub mod interface;
pub mod program;
pub mod route;
pub mod stats;

mod address;
mod field;
mod hardware;
mod inet;
mod stats_texts;
mod unix;

pub use address::{Naming, address_field, host_text, ipv6_text, port_text};
pub use inet::{Columns, inet_header, inet_row, inet_title};
pub use unix::{unix_header, unix_row, unix_title};

/// The three selections of a socket listing, as named in titles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    /// Default: connected sockets only.
    Connected,
    /// `-l`.
    Servers,
    /// `-a`.
    All,
}

impl Selection {
    /// The parenthesised title suffix.
    pub fn title(self) -> &'static str {
        match self {
            Selection::Connected => "(w/o servers)",
            Selection::Servers => "(only servers)",
            Selection::All => "(servers and established)",
        }
    }

    /// True if a socket that is (or is not) a server is shown.
    pub fn shows(self, is_server: bool) -> bool {
        match self {
            Selection::Connected => !is_server,
            Selection::Servers => is_server,
            Selection::All => true,
        }
    }
}
