//! Sources read the kernel into the model. Today there is one, the
//! `/proc/net` text tables ([`proc_net`]), rooted at any directory so a
//! saved `/proc` tree reads like the live one; a netlink source will sit
//! beside it and fill the same types.

pub mod group;
pub mod interface;
pub mod netlink;
pub mod proc_net;
pub mod route;
pub mod stats;
pub mod unix_check;

use std::fmt;
use std::io;
use std::path::PathBuf;

/// A kernel table could not be read.
#[derive(Debug)]
pub enum SourceError {
    /// The table does not exist: the kernel lacks the protocol or family.
    Missing(PathBuf),
    /// The table exists but reading it failed.
    Io {
        /// The file that failed.
        path: PathBuf,
        /// Why.
        error: io::Error,
    },
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SourceError::Missing(path) => {
                write!(f, "{}: no such table", path.display())
            }
            SourceError::Io { path, error } => {
                write!(f, "{}: {}", path.display(), error)
            }
        }
    }
}

impl std::error::Error for SourceError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SourceError::Missing(_) => None,
            SourceError::Io { error, .. } => Some(error),
        }
    }
}

/// The rows of one kernel table, with a count of the lines that could not
/// be parsed and were skipped.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table<T> {
    /// Parsed rows in kernel order.
    pub rows: Vec<T>,
    /// Malformed lines skipped.
    pub skipped: usize,
}
