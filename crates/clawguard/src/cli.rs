//! Command-line interface: every flag and verb, defined once.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// What `--help` says after the options: the exit codes (generated from
/// their one definition in `exit`) and the environment.
fn after_help() -> String {
    format!(
        "{}\n\
Environment:
  CLAWGUARD_STATE_DIR  state directory (overridden by --state-dir)
  RUST_LOG             log filter for the daemon (overrides [daemon] log_level)",
        crate::exit::help_text()
    )
}

/// clawguard: one daemon that guards an OpenClaw server.
#[derive(Debug, Parser)]
#[command(name = "clawguard", version, about, after_help = after_help())]
pub struct Cli {
    /// Config file [default: /etc/clawguard/clawguard.toml; built-in defaults if absent]
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// State directory [default: [daemon] state_dir, /var/lib/clawguard]
    #[arg(long, global = true, value_name = "DIR", env = "CLAWGUARD_STATE_DIR")]
    pub state_dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the daemon: every enabled engine, until SIGTERM (SIGHUP reloads).
    Run(RunArgs),
    /// Validate the config and print the effective config, fail2ban jails included.
    CheckConfig(JsonFlag),
    /// Run a filter over a log file, like fail2ban-regex.
    FilterTest(FilterTestArgs),
    /// Run a jail over a log file with the file's own timestamps as the clock,
    /// and print the bans it would have made. Nothing is enforced.
    Replay(ReplayArgs),
    /// List, add or remove bans.
    #[command(subcommand)]
    Ban(BanCommand),
    /// Show jails, sources, read positions and active bans.
    Status(JsonFlag),
    /// Read the event journal: every ban, file change, finding and engine
    /// error, by sequence number (`--follow` to keep reading).
    Events(crate::events_cmd::EventsArgs),
    /// Manage clawguard's nftables table.
    #[command(subcommand)]
    Firewall(FirewallCommand),
    /// File integrity monitoring: baseline, check, update, accept.
    #[command(subcommand)]
    Fim(crate::fim_cmd::FimCommand),
    /// Skill auditor: scan skills, approve them, answer OpenClaw's install policy.
    #[command(subcommand)]
    Skills(crate::skills_cmd::SkillsCommand),
    /// Alerts: test the sinks, list what was sent, retry what failed.
    #[command(subcommand)]
    Alert(crate::alert_cmd::AlertCommand),
}

#[derive(Debug, Args)]
pub struct JsonFlag {
    /// Print exactly one JSON document on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Detect and record only; enforce nothing in the firewall.
    #[arg(long)]
    pub detect_only: bool,
}

#[derive(Debug, Args)]
pub struct FilterTestArgs {
    /// A filter name in the fail2ban dir (`sshd`, `sshd[mode=aggressive]`), a
    /// path to a filter file, or a built-in filter (`openclaw-gateway`).
    pub filter: String,
    /// The log file to read.
    pub logfile: PathBuf,
    /// What the log file holds.
    #[arg(long, value_enum, default_value_t = LogFormatArg::Auto)]
    pub format: LogFormatArg,
    /// Print exactly one JSON document, with every match.
    #[arg(long)]
    pub json: bool,
}

/// `--format` of `filter-test` and `replay`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormatArg {
    /// `journal` when the first line is a `journalctl -o json` record, else `lines`.
    Auto,
    /// Plain log lines, dated by their own text.
    Lines,
    /// A `journalctl -o json` export: entries dated by the journal and kept
    /// when they pass the journal matches (the jail's, or the filter's).
    Journal,
}

impl From<LogFormatArg> for clawguard_jails::filter_test::LogFormat {
    fn from(arg: LogFormatArg) -> Self {
        match arg {
            LogFormatArg::Auto => Self::Auto,
            LogFormatArg::Lines => Self::Lines,
            LogFormatArg::Journal => Self::JournalJson,
        }
    }
}

#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// The jail to run.
    #[arg(long)]
    pub jail: String,
    /// The log file to read.
    pub logfile: PathBuf,
    /// What the log file holds.
    #[arg(long, value_enum, default_value_t = LogFormatArg::Auto)]
    pub format: LogFormatArg,
    /// Print exactly one JSON document.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum BanCommand {
    /// List active bans.
    List(JsonFlag),
    /// Ban an address or CIDR now.
    Add {
        /// IP address or CIDR (IPv6 addresses are banned as given).
        target: String,
        /// Jail to record the ban under.
        #[arg(long, default_value = "manual")]
        jail: String,
        /// How long (`3600`, `1h`, `-1` for permanent) [default: the ban bantime]
        #[arg(long)]
        duration: Option<String>,
    },
    /// Lift the bans of an address or CIDR in every jail.
    Del {
        /// IP address or CIDR.
        target: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum FirewallCommand {
    /// Delete clawguard's nftables table (`inet clawguard`) and everything in it.
    Remove,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;
    use crate::exit::SECTIONS;

    #[test]
    fn help_lists_every_exit_code() {
        let help = Cli::command().render_long_help().to_string();
        assert!(help.contains("Exit codes:"), "{help}");
        for (heading, codes) in SECTIONS {
            assert!(help.contains(heading), "{heading} missing:\n{help}");
            for row in *codes {
                let line = format!("  {:<3}{}", row.code, row.meaning);
                assert!(
                    help.contains(&line),
                    "{} ({}) missing:\n{help}",
                    row.name,
                    row.code
                );
            }
        }
    }

    #[test]
    fn fim_help_lists_every_fim_exit_code() {
        let mut cli = Cli::command();
        let check = cli
            .find_subcommand_mut("fim")
            .and_then(|fim| fim.find_subcommand_mut("check"))
            .expect("fim check");
        let help = check.render_long_help().to_string();
        for row in crate::exit::FIM_CODES {
            let line = format!("\n  {:<4}", row.code);
            assert!(
                help.contains(&line),
                "{} ({}) missing:\n{help}",
                row.name,
                row.code
            );
        }
    }
}
