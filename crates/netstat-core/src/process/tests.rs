//! Tests of the owner map: a fixture `/proc` tree on disk, in-memory
//! sources for what a root test cannot build (denied directories), and
//! one look at the live `/proc`.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::source::ProcSource;
use super::walk::walk_pids;
use super::*;

/// A directory under the system temp dir, removed on drop.
struct TempTree(PathBuf);

impl TempTree {
    fn new(tag: &str) -> TempTree {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let unique = COUNT.fetch_add(1, Ordering::Relaxed);
        let name = format!("netstat-rs-{tag}-{}-{unique}", std::process::id());
        let path = std::env::temp_dir().join(name);
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).expect("create temp dir");
        TempTree(path)
    }

    /// Adds `PID/fd/N -> target` links and, if given, `PID/cmdline`.
    fn process(&self, pid: u32, fds: &[(u32, &str)], cmdline: Option<&[u8]>) {
        let dir = self.0.join(pid.to_string());
        fs::create_dir_all(dir.join("fd")).expect("create fd dir");
        for (fd, target) in fds {
            symlink(target, dir.join("fd").join(fd.to_string())).expect("link");
        }
        if let Some(cmdline) = cmdline {
            fs::write(dir.join("cmdline"), cmdline).expect("write cmdline");
        }
    }

    /// Pids in the order the directory lists them (readdir order).
    fn listed_pids(&self) -> Vec<u32> {
        fs::read_dir(&self.0)
            .expect("list temp dir")
            .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse().ok())
            .collect()
    }
}

impl Drop for TempTree {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn owner_of(map: &OwnerMap, inode: u64) -> Option<(u32, &[u8])> {
    map.get(inode).map(|owner| (owner.pid, owner.name.as_slice()))
}

#[test]
fn fixture_tree_maps_inodes_to_owners() {
    let tree = TempTree::new("proc");
    let python = b"/usr/bin/python3\0-c\0pass\0";
    tree.process(100, &[(3, "socket:[123]"), (4, "/dev/null")], Some(python));
    tree.process(300, &[(7, "[0000]:456")], Some(b"nginx: master process\0"));
    tree.process(600, &[(3, "socket:[999]")], Some(b""));
    tree.process(700, &[(0, "pipe:[5]")], Some(b"/bin/cat\0"));
    fs::create_dir(tree.0.join("400")).expect("pid without fd dir");
    symlink("100", tree.0.join("self")).expect("self link");

    let map = OwnerMap::scan(&tree.0);
    assert!(!map.denied);
    assert_eq!(map.len(), 3);
    assert_eq!(owner_of(&map, 123), Some((100, &b"python3"[..])));
    assert_eq!(owner_of(&map, 456), Some((300, &b"nginx: master process"[..])));
    assert_eq!(owner_of(&map, 999), Some((600, &b""[..])));
    assert_eq!(map.get(5), None);
}

#[test]
fn shared_socket_goes_to_the_first_listed_process() {
    let tree = TempTree::new("shared");
    for pid in [210, 220, 230] {
        let cmdline = format!("/bin/p{pid}\0");
        tree.process(pid, &[(5, "socket:[777]")], Some(cmdline.as_bytes()));
    }

    let first = tree.listed_pids()[0];
    let map = OwnerMap::scan(&tree.0);
    assert_eq!(map.get(777).map(|owner| owner.pid), Some(first));
}

#[test]
fn owner_without_readable_cmdline_is_dropped() {
    let tree = TempTree::new("nocmd");
    tree.process(500, &[(1, "socket:[789]")], None);

    let map = OwnerMap::scan(&tree.0);
    assert!(map.is_empty());
    assert_eq!(permission_note(&map, 0), None);
}

#[test]
fn missing_root_is_empty_and_not_denied() {
    let map = OwnerMap::scan(Path::new("/nonexistent/netstat-rs/proc"));
    assert!(map.is_empty());
    assert!(!map.denied);
}

#[test]
fn live_proc_finds_our_own_socket() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let inode = socket_inode_of(&listener).expect("fstat socket");

    let map = OwnerMap::scan(Path::new("/proc"));
    let owner = map.get(inode).expect("own socket found");
    assert_eq!(owner.pid, std::process::id());
    let argv0 = std::env::args_os().next().expect("argv0");
    let expected = walk::program_name(argv0.into_encoded_bytes());
    assert_eq!(owner.name, expected);
}

/// The inode of an open socket, from `fstat`.
fn socket_inode_of(socket: &impl std::os::fd::AsRawFd) -> Option<u64> {
    let mut stat = std::mem::MaybeUninit::<libc::stat>::uninit();
    // SAFETY: the descriptor is open and `stat` has room for the result.
    let done = unsafe { libc::fstat(socket.as_raw_fd(), stat.as_mut_ptr()) };
    // SAFETY: fstat filled `stat` when it returned 0.
    (done == 0).then(|| unsafe { stat.assume_init() }.st_ino)
}

/// An in-memory `/proc`: per pid, its socket inodes or the errno of its
/// fd directory, and its `argv[0]` if readable.
#[derive(Default)]
struct FakeProc {
    listing: Option<i32>,
    pids: Vec<u32>,
    fds: HashMap<u32, Result<Vec<u64>, i32>>,
    argv0: HashMap<u32, Vec<u8>>,
    scanned: AtomicUsize,
}

impl FakeProc {
    fn add(&mut self, pid: u32, fds: Result<Vec<u64>, i32>, argv0: &[u8]) {
        self.pids.push(pid);
        self.fds.insert(pid, fds);
        self.argv0.insert(pid, argv0.to_vec());
    }

    fn map(&self, workers: usize) -> OwnerMap {
        if let Some(errno) = self.listing {
            let denied = walk::is_denied(&io::Error::from_raw_os_error(errno));
            return OwnerMap { denied, ..OwnerMap::default() };
        }
        OwnerMap::from_walk(walk_pids(self, &self.pids, workers, None))
    }

    fn map_for(&self, workers: usize, inodes: Vec<u64>) -> OwnerMap {
        let wanted = walk::Wanted::new(inodes);
        OwnerMap::from_walk(walk_pids(self, &self.pids, workers, Some(&wanted)))
    }
}

impl ProcSource for FakeProc {
    fn pids(&self) -> io::Result<Vec<u32>> {
        match self.listing {
            Some(errno) => Err(io::Error::from_raw_os_error(errno)),
            None => Ok(self.pids.clone()),
        }
    }

    fn socket_inodes(
        &self,
        pid: u32,
        found: &mut dyn FnMut(u64),
    ) -> io::Result<()> {
        self.scanned.fetch_add(1, Ordering::Relaxed);
        match self.fds.get(&pid) {
            Some(Ok(inodes)) => {
                inodes.iter().copied().for_each(found);
                Ok(())
            }
            Some(Err(errno)) => Err(io::Error::from_raw_os_error(*errno)),
            None => Err(io::Error::from_raw_os_error(libc::ENOENT)),
        }
    }

    fn argv0(&self, pid: u32) -> io::Result<Vec<u8>> {
        self.argv0
            .get(&pid)
            .cloned()
            .ok_or_else(|| io::ErrorKind::NotFound.into())
    }
}

#[test]
fn denied_with_an_owner_gives_the_not_all_note() {
    let mut proc = FakeProc::default();
    proc.add(1, Err(libc::EACCES), b"/sbin/init");
    proc.add(13156, Ok(vec![42]), b"perl");

    let map = proc.map(1);
    assert!(map.denied);
    assert_eq!(owner_of(&map, 42), Some((13156, &b"perl"[..])));
    let note = permission_note(&map, 65534).expect("a note");
    assert_eq!(
        note,
        "(Not all processes could be identified, non-owned process info\n \
         will not be shown, you would have to be root to see it all.)\n"
    );
}

#[test]
fn denied_without_owners_gives_the_no_info_note() {
    let mut proc = FakeProc::default();
    proc.add(1, Err(libc::EACCES), b"/sbin/init");
    proc.add(2, Ok(vec![]), b"bash");

    let map = proc.map(1);
    let note = permission_note(&map, 65534).expect("a note");
    assert_eq!(
        note,
        "(No info could be read for \"-p\": geteuid()=65534 but you should \
         be root.)\n"
    );
    assert!(permission_note(&map, 0).is_some_and(|n| n.contains("=0 but")));
}

#[test]
fn unlistable_proc_is_denied() {
    let proc = FakeProc { listing: Some(libc::EACCES), ..FakeProc::default() };
    let map = proc.map(1);
    assert!(map.denied && map.is_empty());
    assert!(
        permission_note(&map, 1000).is_some_and(|n| n.starts_with("(No info"))
    );

    let gone = FakeProc { listing: Some(libc::ENOENT), ..FakeProc::default() };
    assert!(!gone.map(1).denied);
}

#[test]
fn vanished_processes_are_not_denials() {
    let mut proc = FakeProc::default();
    proc.add(7, Err(libc::ENOENT), b"gone");
    proc.add(8, Err(libc::ESRCH), b"gone too");
    proc.add(9, Ok(vec![1]), b"alive");

    let map = proc.map(1);
    assert!(!map.denied);
    assert_eq!(permission_note(&map, 1000), None);
    assert_eq!(owner_of(&map, 1), Some((9, &b"alive"[..])));
}

#[test]
fn threads_keep_the_first_holder() {
    // Inode k is held by pids at positions k..k+5; many pids per thread.
    let mut proc = FakeProc::default();
    for position in 0..2000u64 {
        let inodes = (position.saturating_sub(4)..=position).collect();
        let pid = 10_000 + u32::try_from(position).expect("small");
        proc.add(pid, Ok(inodes), format!("p{position}").as_bytes());
    }

    for workers in [1, 2, 4, 8] {
        let map = proc.map(workers);
        assert_eq!(map.len(), 2000, "workers {workers}");
        for inode in [0u64, 1, 999, 1999] {
            let pid = 10_000 + u32::try_from(inode).expect("small");
            assert_eq!(map.get(inode).map(|o| o.pid), Some(pid), "{workers}");
        }
    }
}

#[test]
fn a_wanted_set_stops_the_walk_and_keeps_first_holders() {
    // Inode k is held by pids at positions k..k+5, as above.
    let mut proc = FakeProc::default();
    for position in 0..2000u64 {
        let inodes = (position.saturating_sub(4)..=position).collect();
        let pid = 10_000 + u32::try_from(position).expect("small");
        proc.add(pid, Ok(inodes), format!("p{position}").as_bytes());
    }

    for workers in [1, 2, 4] {
        proc.scanned.store(0, Ordering::Relaxed);
        let map = proc.map_for(workers, vec![3, 40, 3]);

        // Only the wanted sockets, each with its first holder.
        assert_eq!(map.len(), 2, "workers {workers}");
        assert_eq!(map.get(3).map(|o| o.pid), Some(10_003));
        assert_eq!(map.get(40).map(|o| o.pid), Some(10_040));
        assert_eq!(map.get(41), None);

        // The walk ended soon after position 40, far before 2000.
        let scanned = proc.scanned.load(Ordering::Relaxed);
        assert!(scanned < 200, "workers {workers}: {scanned} pids scanned");
    }
}

#[test]
fn a_wanted_socket_nobody_holds_means_a_full_walk() {
    let mut proc = FakeProc::default();
    for pid in 1..=50 {
        proc.add(pid, Ok(vec![u64::from(pid)]), b"x");
    }
    let map = proc.map_for(2, vec![7, 999]);
    assert_eq!(map.get(7).map(|o| o.pid), Some(7));
    assert_eq!(proc.scanned.load(Ordering::Relaxed), 50);
}
