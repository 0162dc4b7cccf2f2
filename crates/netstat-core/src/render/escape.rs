//! Escaping of untrusted bytes (program names, socket paths) so that no
//! name can forge a row or drive the terminal.
//!
//! TODO: helper C implements this module.

use std::borrow::Cow;

/// Returns `bytes` as text with every byte that is not printable escaped
/// (see the module documentation); printable UTF-8 passes unchanged.
pub fn escape(bytes: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}
