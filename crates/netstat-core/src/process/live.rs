//! The live `/proc` reader: directory walks and links read relative to
//! open directory descriptors (`openat`, `readlinkat`), so a walk over
//! hundreds of thousands of descriptors builds no path strings and
//! allocates nothing per descriptor.
//!
//! Every call can fail because a process exits while it is read; such
//! failures come back as `io::Error` and the caller skips the process.

use std::ffi::CStr;
use std::fs::File;
use std::io::{self, Cursor, Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, IntoRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use super::source::{ProcSource, socket_inode};

/// The most bytes of `/proc/PID/cmdline` read while looking for the end
/// of `argv[0]`.
const CMDLINE_LIMIT: usize = 64 * 1024;

/// `/proc` (or a tree shaped like it) opened for descriptor-relative
/// reads.
#[derive(Debug)]
pub(crate) struct LiveProc {
    root: OwnedFd,
}

impl LiveProc {
    /// Opens the root directory of the tree.
    pub(crate) fn open(root: &Path) -> io::Result<LiveProc> {
        let mut path = root.as_os_str().as_bytes().to_vec();
        path.push(0);
        let path = CStr::from_bytes_until_nul(&path)
            .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
        let root = open_at(libc::AT_FDCWD, path, libc::O_DIRECTORY)?;
        Ok(LiveProc { root })
    }

    /// Opens `PID/<leaf>` below the root.
    fn open_pid_file(
        &self,
        pid: u32,
        leaf: &str,
        flags: libc::c_int,
    ) -> io::Result<OwnedFd> {
        let mut path = [0u8; 64];
        let mut cursor = Cursor::new(&mut path[..]);
        write!(cursor, "{pid}/{leaf}\0")?;
        let path = CStr::from_bytes_until_nul(&path)
            .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
        open_at(self.root.as_raw_fd(), path, flags)
    }
}

impl ProcSource for LiveProc {
    fn pids(&self) -> io::Result<Vec<u32>> {
        let dir = Dir::open_at(self.root.as_raw_fd(), c".")?;
        let mut pids = Vec::with_capacity(1024);
        dir.for_each(|name| pids.extend(parse_pid(name.to_bytes())))?;
        Ok(pids)
    }

    fn socket_inodes(
        &self,
        pid: u32,
        found: &mut dyn FnMut(u64),
    ) -> io::Result<()> {
        let fd_dir = self.open_pid_file(pid, "fd", libc::O_DIRECTORY)?;
        let dir = Dir::from_fd(fd_dir)?;
        let mut target = [0u8; 64];
        dir.for_each(|name| {
            if !name.to_bytes().first().is_some_and(u8::is_ascii_digit) {
                return;
            }
            let link = read_link_at(dir.fd(), name, &mut target);
            if let Some(inode) = link.ok().and_then(socket_inode) {
                found(inode);
            }
        })
    }

    fn argv0(&self, pid: u32) -> io::Result<Vec<u8>> {
        let fd = self.open_pid_file(pid, "cmdline", 0)?;
        let mut file = File::from(fd);
        let mut argv0 = Vec::with_capacity(128);
        let mut chunk = [0u8; 512];
        while argv0.len() < CMDLINE_LIMIT {
            let read = file.read(&mut chunk)?;
            let part = &chunk[..read];
            if let Some(end) = part.iter().position(|&byte| byte == 0) {
                argv0.extend_from_slice(&part[..end]);
                break;
            }
            argv0.extend_from_slice(part);
            if read == 0 {
                break;
            }
        }
        Ok(argv0)
    }
}

/// A pid from a directory name made only of digits.
fn parse_pid(name: &[u8]) -> Option<u32> {
    if name.is_empty() || !name.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(name).ok()?.parse().ok()
}

/// `openat(dir, path, flags | O_RDONLY | O_CLOEXEC)`.
fn open_at(
    dir: libc::c_int,
    path: &CStr,
    flags: libc::c_int,
) -> io::Result<OwnedFd> {
    let flags = flags | libc::O_RDONLY | libc::O_CLOEXEC;
    // SAFETY: `path` is NUL-terminated and outlives the call.
    let fd = unsafe { libc::openat(dir, path.as_ptr(), flags) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `fd` was just opened and is owned by nobody else.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// `readlinkat` into `buffer`; the target as bytes. A target that fills
/// the buffer may be cut, which no socket link ever is.
fn read_link_at<'b>(
    dir: libc::c_int,
    name: &CStr,
    buffer: &'b mut [u8],
) -> io::Result<&'b [u8]> {
    // SAFETY: `name` is NUL-terminated; the kernel writes at most
    // `buffer.len()` bytes into `buffer`.
    let len = unsafe {
        libc::readlinkat(
            dir,
            name.as_ptr(),
            buffer.as_mut_ptr().cast(),
            buffer.len(),
        )
    };
    let len = usize::try_from(len).map_err(|_| io::Error::last_os_error())?;
    Ok(&buffer[..len.min(buffer.len())])
}

/// An open directory stream (`DIR *`), closed on drop.
struct Dir {
    stream: std::ptr::NonNull<libc::DIR>,
}

impl Dir {
    /// Opens `path` relative to `dir` as a directory stream.
    fn open_at(dir: libc::c_int, path: &CStr) -> io::Result<Dir> {
        Dir::from_fd(open_at(dir, path, libc::O_DIRECTORY)?)
    }

    /// Turns an open directory descriptor into a stream.
    fn from_fd(fd: OwnedFd) -> io::Result<Dir> {
        let raw = fd.into_raw_fd();
        // SAFETY: `raw` is an open directory descriptor; on success the
        // stream owns it.
        let stream = unsafe { libc::fdopendir(raw) };
        match std::ptr::NonNull::new(stream) {
            Some(stream) => Ok(Dir { stream }),
            None => {
                let error = io::Error::last_os_error();
                // SAFETY: fdopendir failed, so `raw` is still ours.
                drop(unsafe { OwnedFd::from_raw_fd(raw) });
                Err(error)
            }
        }
    }

    /// The descriptor under the stream, for `*at` calls.
    fn fd(&self) -> libc::c_int {
        // SAFETY: the stream is open until drop.
        unsafe { libc::dirfd(self.stream.as_ptr()) }
    }

    /// Calls `each` with every entry name, in the order the kernel lists
    /// them (for `/proc`, ascending pid).
    fn for_each(&self, mut each: impl FnMut(&CStr)) -> io::Result<()> {
        loop {
            clear_errno();
            // SAFETY: the stream is open; the entry stays valid until the
            // next readdir on this stream, and is used only before that.
            let entry = unsafe { libc::readdir(self.stream.as_ptr()) };
            if entry.is_null() {
                return match io::Error::last_os_error().raw_os_error() {
                    Some(0) | None => Ok(()),
                    Some(code) => Err(io::Error::from_raw_os_error(code)),
                };
            }
            // SAFETY: `d_name` is a NUL-terminated array in the entry.
            each(unsafe { CStr::from_ptr((*entry).d_name.as_ptr()) });
        }
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        // SAFETY: the stream is open and closed exactly once here.
        unsafe { libc::closedir(self.stream.as_ptr()) };
    }
}

// SAFETY: a DIR stream may move between threads; it is never shared.
unsafe impl Send for Dir {}

/// Sets `errno` to 0, so that a null `readdir` can tell end from error.
fn clear_errno() {
    // SAFETY: `__errno_location` returns this thread's errno slot.
    unsafe { *libc::__errno_location() = 0 };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pids_are_all_digit_names() {
        assert_eq!(parse_pid(b"1234"), Some(1234));
        assert_eq!(parse_pid(b"self"), None);
        assert_eq!(parse_pid(b"12a"), None);
        assert_eq!(parse_pid(b""), None);
        assert_eq!(parse_pid(b"99999999999"), None);
    }

    #[test]
    fn a_missing_root_is_an_error() {
        let missing = Path::new("/nonexistent/netstat-rs/proc");
        let error = LiveProc::open(missing).expect_err("no such dir");
        assert_eq!(error.kind(), io::ErrorKind::NotFound);
    }
}
