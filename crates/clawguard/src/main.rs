//! `clawguard`: parse the command line, run one verb, map the result to an
//! exit code. Everything of substance lives in the library crates.

// Layers, each using only those below it: `main` (dispatch) → `cli` (the
// command line) → verb modules (`*_cmd`, `daemon`) → leaves (`context`,
// `exit`, `output`), which import nothing from this crate.
mod alert_cmd;
mod ban_cmd;
mod cli;
mod config_cmd;
mod context;
mod daemon;
mod events_cmd;
mod exit;
mod fim_cmd;
mod output;
mod skills_cmd;
mod status_cmd;

use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;

use cli::{BanCommand, Cli, Command, FirewallCommand};
use context::Globals;
use exit::Failure;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(parse_error_code(&err));
        }
    };
    match dispatch(cli) {
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
            ExitCode::from(exit::code_of(&err))
        }
    }
}

/// Run the verb named on the command line.
fn dispatch(cli: Cli) -> Result<u8> {
    let ctx = match Globals::load(cli.config, cli.state_dir) {
        Ok(ctx) => ctx,
        // 2 is AIDE's "removed" bit: fim cron jobs must see a config error
        // as fim's own usage error.
        Err(e) if matches!(cli.command, Command::Fim(_)) => {
            eprintln!("clawguard: {e}");
            return Ok(clawguard_fim::exit::USAGE);
        }
        Err(e) => return Err(Failure::usage(e).into()),
    };
    match cli.command {
        Command::Run(args) => daemon::run(ctx, args.detect_only),
        Command::CheckConfig(flags) => config_cmd::check_config(&ctx, flags.json),
        Command::FilterTest(args) => config_cmd::filter_test(
            &ctx,
            &args.filter,
            &args.logfile,
            args.format.into(),
            args.json,
        ),
        Command::Replay(args) => config_cmd::replay(
            &ctx,
            &args.jail,
            &args.logfile,
            args.format.into(),
            args.json,
        ),
        Command::Ban(BanCommand::List(flags)) => ban_cmd::ban_list(&ctx, flags.json),
        Command::Ban(BanCommand::Add {
            target,
            jail,
            duration,
        }) => ban_cmd::ban_add(&ctx, &target, &jail, duration.as_deref()),
        Command::Ban(BanCommand::Del { target }) => ban_cmd::ban_del(&ctx, &target),
        Command::Status(flags) => status_cmd::status(&ctx, flags.json),
        Command::Events(args) => events_cmd::run(&ctx, args),
        Command::Firewall(FirewallCommand::Remove) => ban_cmd::firewall_remove(),
        Command::Fim(cmd) => fim_cmd::run(&ctx, cmd),
        Command::Skills(cmd) => skills_cmd::run(&ctx, cmd),
        Command::Alert(cmd) => alert_cmd::run(&ctx, cmd),
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
