//! `clawguard`: parse the command line, run one verb, map the result to an
//! exit code. Everything of substance lives in the library crates.

mod cli;
mod commands;
mod daemon;
mod fim_cmd;
mod notify;
mod skills_cmd;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, exit};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match commands::dispatch(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            // A closed stdout (`clawguard ban list | head`) is not an error.
            if err.chain().any(|cause| {
                cause
                    .downcast_ref::<std::io::Error>()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::from(exit::OK);
            }
            eprintln!("clawguard: {err:#}");
            let code = match err.downcast_ref::<commands::Failure>() {
                Some(failure) => failure.exit_code(),
                None => exit::ERROR,
            };
            ExitCode::from(code)
        }
    }
}
