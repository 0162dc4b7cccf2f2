//! `netstat`: a drop-in for net-tools netstat 2.10. This file only wires
//! the command line to the modes and maps outcomes to exit codes; a broken
//! pipe (`netstat -a | head -1`) ends the run quietly with status 0.

mod flags;
mod settings;

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<_> = std::env::args_os().skip(1).collect();
    match flags::parse(&args) {
        flags::Parsed::Exit(exit) => {
            let _ = std::io::stdout().write_all(exit.stdout.as_bytes());
            let _ = std::io::stderr().write_all(exit.stderr.as_bytes());
            ExitCode::from(exit.code)
        }
        flags::Parsed::Run(_settings) => ExitCode::SUCCESS,
    }
}
