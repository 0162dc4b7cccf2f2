//! netstat-bench: the project's speed benchmark (see bench/README.md). One
//! binary plays three roles: the driver (the default), which builds the
//! load in a private network namespace and writes the report; `load`, a
//! shard process holding part of the sockets; and `timer`, which runs
//! inside the namespace, checks our output and times every tool.

mod check;
mod commands;
mod config;
mod driver;
mod holders;
mod load;
mod machine;
mod options;
mod report;
mod results;
mod signals;
mod sockets;
mod spawn;
mod sys;
mod targets;
mod timer;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("load") => load::main(&args[1..]),
        Some("timer") => timer::main(&args[1..]),
        _ => driver::main(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("netstat-bench: {error}");
            if signals::interrupted() {
                ExitCode::from(130)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}
