//! User names for `-e`, from the password database through the C
//! library (`getpwuid_r`, so `nsswitch.conf` applies), each uid looked up
//! once per run.

use std::collections::HashMap;
use std::ffi::CStr;

use crate::render::escape::escape;

/// The largest buffer offered to `getpwuid_r` before giving up.
const MAX_BUFFER: usize = 1 << 20;

/// User names by uid, looked up once each.
#[derive(Clone, Debug, Default)]
pub struct Users {
    names: HashMap<u32, Option<String>>,
}

impl Users {
    /// The user name of `uid`, or `None` if the database has none (the
    /// caller then prints the number, as net-tools does).
    pub fn name(&mut self, uid: u32) -> Option<&str> {
        self.names.entry(uid).or_insert_with(|| user_name(uid)).as_deref()
    }
}

/// Looks `uid` up, growing the buffer while the C library asks for more.
fn user_name(uid: u32) -> Option<String> {
    let mut size = 1024;
    while size <= MAX_BUFFER {
        match password_entry(uid, size) {
            Ok(name) => return name,
            Err(()) => size *= 4,
        }
    }
    None
}

/// One `getpwuid_r` call with a buffer of `size` bytes; `Err` when the
/// buffer was too small.
fn password_entry(uid: u32, size: usize) -> Result<Option<String>, ()> {
    let mut buffer = vec![0 as libc::c_char; size];
    // SAFETY: an all-zero passwd (null pointers, zero numbers) is valid.
    let mut entry: libc::passwd = unsafe { std::mem::zeroed() };
    let mut result: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: every pointer refers to a live local of the right type and
    // the buffer's length is passed.
    let status = unsafe {
        libc::getpwuid_r(
            uid,
            &mut entry,
            buffer.as_mut_ptr(),
            buffer.len(),
            &mut result,
        )
    };
    if status == libc::ERANGE {
        return Err(());
    }
    if status != 0 || result.is_null() || entry.pw_name.is_null() {
        return Ok(None);
    }
    // SAFETY: on success pw_name points to a NUL-terminated name inside
    // `buffer`, which is still alive.
    let name = unsafe { CStr::from_ptr(entry.pw_name) };
    Ok(Some(escape(name.to_bytes()).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_is_named_and_cached() {
        let mut users = Users::default();
        assert_eq!(users.name(0), Some("root"));
        assert_eq!(users.name(0), Some("root"));
        assert_eq!(users.names.len(), 1);
    }

    #[test]
    fn unknown_uid_has_no_name() {
        let mut users = Users::default();
        assert_eq!(users.name(3_999_999_999), None);
    }
}
