//! `clawguard`: parse the command line, run one verb, map the result to an
//! exit code. Everything of substance lives in the library crates.

mod cli;
mod commands;
mod daemon;
mod fim_cmd;
mod skills_cmd;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, exit};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(parse_error_code(&err));
        }
    };
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

/// clap's own exit code (0 for `--help`/`--version`, 2 for errors), except
/// under `fim`, where 2 is AIDE's "removed" bit: there errors exit with
/// fim's usage code.
fn parse_error_code(err: &clap::Error) -> u8 {
    if err.exit_code() == 0 {
        return exit::OK;
    }
    if verb_is_fim(std::env::args().skip(1)) {
        clawguard_fim::exit::USAGE
    } else {
        exit::USAGE
    }
}

/// Whether the verb (the first argument that is neither a global option nor
/// its value) is `fim`.
fn verb_is_fim(mut args: impl Iterator<Item = String>) -> bool {
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--config" | "--state-dir" => {
                args.next();
            }
            a if a.starts_with('-') => {}
            verb => return verb == "fim",
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::verb_is_fim;

    #[test]
    fn finds_the_verb_after_global_options() {
        let args = |s: &str| {
            s.split(' ')
                .map(String::from)
                .collect::<Vec<_>>()
                .into_iter()
        };
        assert!(verb_is_fim(args("--config /x.toml fim check --bogus")));
        assert!(verb_is_fim(args("--state-dir=/s fim")));
        assert!(!verb_is_fim(args("--config fim ban list")));
        assert!(!verb_is_fim(args("status --json")));
    }
}
