//! Ctrl-C, SIGTERM and SIGHUP handling for the driver. The signals are
//! blocked in every driver thread and collected by one small thread, which
//! marks the run as interrupted and SIGKILLs the driver's registered
//! children through pidfds (never by a pid number that might have been
//! reused). The driver then unwinds and its guards delete the namespace.

use std::os::fd::{AsFd, OwnedFd};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::sys::{self, Context, Fallible};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);
static CHILDREN: Mutex<Vec<OwnedFd>> = Mutex::new(Vec::new());

/// Blocks the termination signals and starts the collecting thread.
/// Call before starting any other thread or child.
pub fn install() -> Fallible<()> {
    let set = sys::termination_signals();
    sys::block(&set).ctx("blocking signals")?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            loop {
                let signal = sys::wait_signal(&set);
                INTERRUPTED.store(true, Ordering::SeqCst);
                eprintln!("netstat-bench: signal {signal}, cleaning up");
                kill_children();
            }
        })
        .ctx("starting the signal thread")?;
    Ok(())
}

/// True once a termination signal has arrived.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Registers a child to be killed if the run is interrupted.
pub fn register(pidfd: OwnedFd) {
    if interrupted() {
        let _ = sys::pidfd_kill(pidfd.as_fd(), libc::SIGKILL);
    }
    lock().push(pidfd);
}

/// Forgets every registered child (all of them have been reaped).
pub fn forget_all() {
    lock().clear();
}

fn kill_children() {
    for pidfd in lock().iter() {
        let _ = sys::pidfd_kill(pidfd.as_fd(), libc::SIGKILL);
    }
}

fn lock() -> std::sync::MutexGuard<'static, Vec<OwnedFd>> {
    CHILDREN.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
