//! `netstat`: a drop-in for net-tools netstat 2.10. This file only wires
//! the command line to the modes and maps outcomes to exit codes; a broken
//! pipe (`netstat -a | head -1`) ends the run quietly with status 0.

mod flags;
mod messages;
mod modes;
mod settings;

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use settings::{Mode, Settings};

fn main() -> ExitCode {
    let args: Vec<_> = std::env::args_os().skip(1).collect();
    let settings = match flags::parse(&args) {
        flags::Parsed::Exit(exit) => return finish_early(&exit),
        flags::Parsed::Run(settings) => settings,
    };
    if let Err(refusal) = check_root(&settings) {
        eprintln!("netstat: {refusal}");
        return ExitCode::from(1);
    }

    // One locked, buffered writer for everything on standard output.
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(64 * 1024, stdout.lock());
    let result = run(&settings, &mut out).and_then(|status| {
        out.flush()?;
        Ok(status)
    });
    match result {
        Ok(status) => ExitCode::from(status),
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("netstat: {}", messages::strerror(&error));
            ExitCode::from(1)
        }
    }
}

/// Refuses a `--proc-root` that is no directory, and `--source=netlink`
/// with a saved tree: netlink reads the running kernel, so the listing
/// would mix two systems.
fn check_root(settings: &Settings) -> Result<(), String> {
    let root = &settings.proc_root;
    if root == std::path::Path::new("/proc") {
        return Ok(());
    }
    if !root.is_dir() {
        return Err(format!(
            "--proc-root {}: no such directory",
            root.display()
        ));
    }
    if settings.source == settings::SocketSource::Netlink {
        return Err(format!(
            "--source=netlink reads the running kernel, not the tree in {}",
            root.display()
        ));
    }
    Ok(())
}

/// Prints what the command line alone decided.
fn finish_early(exit: &flags::Exit) -> ExitCode {
    let _ = io::stdout().write_all(&exit.stdout);
    let _ = io::stdout().flush();
    let _ = io::stderr().write_all(&exit.stderr);
    ExitCode::from(exit.code)
}

/// Runs the selected view, once or, with `-c`, until interrupted.
fn run(settings: &Settings, out: &mut impl Write) -> io::Result<u8> {
    match settings.mode {
        Mode::Sockets => {
            let mut listing = modes::sockets::Listing::new(settings);
            repeat(settings, out, |out| listing.run(settings, out))
        }
        Mode::Routes => {
            let mut routes = modes::routes::Routes::new(settings);
            repeat(settings, out, |out| routes.run(settings, out))
        }
        Mode::Interfaces => {
            let mut view = modes::interfaces::Interfaces::new(settings);
            repeat(settings, out, |out| view.run(settings, out))
        }
        // Statistics print once: -c does not repeat them.
        Mode::Statistics => modes::stats::run(settings, out),
        Mode::Masquerade => {
            messages::no_support(out, "ip_masquerade");
            Ok(1)
        }
    }
}

/// Calls `round` once, or every interval for `-c`, flushing after each.
fn repeat<W: Write>(
    settings: &Settings,
    out: &mut W,
    mut round: impl FnMut(&mut W) -> io::Result<u8>,
) -> io::Result<u8> {
    let Some(interval) = settings.continuous else {
        return round(out);
    };
    // A round that fails (a missing table that was asked for) ends the
    // run, as in net-tools, instead of repeating its warning forever.
    loop {
        let status = round(out)?;
        out.flush()?;
        if status != 0 {
            return Ok(status);
        }
        std::thread::sleep(interval);
    }
}
