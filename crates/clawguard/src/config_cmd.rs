//! `check-config`, `filter-test` and `replay`: the config and the jails as
//! they will run.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use clawguard_config::Config;
use clawguard_jails::catalog::{self, FilterResolver};
use clawguard_jails::filter_test::LogFormat;
use serde::Serialize;

use crate::context::{Globals, now_ms};
use crate::exit::{self, Failure};
use crate::output::{JailSummary, jail_summaries, print_json};

/// The config as it will run: its `[jail.*]` tables are the resolved jails
/// (clawguard's, the fail2ban directory's, built-in), not the text as written.
fn config_as_run(config: &Config, catalog: &catalog::Catalog) -> Config {
    use clawguard_config::{Backend, IncrementConfig, JailConfig, Seconds};
    let mut shown = config.clone();
    shown.alert.redact_secrets();
    shown.jail = catalog
        .jails
        .iter()
        .map(|spec| {
            let mut log_owner_uids = None;
            let (backend, logpath, journalmatch) = match spec.sources.first() {
                Some(catalog::SourcePlan::Journal { matches }) => {
                    let text: Vec<String> = matches.iter().map(|m| m.join(" ")).collect();
                    (Backend::Systemd, Vec::new(), Some(text.join(" + ")))
                }
                Some(catalog::SourcePlan::Openclaw { dirs, owners }) => {
                    log_owner_uids.clone_from(owners);
                    (Backend::Openclaw, dirs.clone(), None)
                }
                Some(catalog::SourcePlan::File { .. }) => {
                    let files = spec.sources.iter().filter_map(|s| match s {
                        catalog::SourcePlan::File { pattern } => Some(pattern.clone()),
                        _ => None,
                    });
                    (Backend::Files, files.collect(), None)
                }
                None => (Backend::Auto, Vec::new(), None),
            };
            let policy = &spec.policy;
            let increment = match &policy.increment {
                Some(inc) => IncrementConfig {
                    enabled: true,
                    factor: inc.factor,
                    formula: inc.formula.clone(),
                    multipliers: inc.multipliers.clone(),
                    maxtime: inc.max_time_ms.map(|ms| Seconds(ms / 1000)),
                    rndtime: inc.rnd_time_ms.map(|ms| Seconds(ms / 1000)),
                    overalljails: inc.overall_jails,
                },
                None => IncrementConfig {
                    enabled: false,
                    ..IncrementConfig::default()
                },
            };
            let jail = JailConfig {
                enabled: true,
                filter: spec.filter_spec.clone(),
                logpath,
                backend,
                journalmatch,
                maxretry: Some(policy.max_retry),
                findtime: Some(Seconds(policy.find_time_ms / 1000)),
                bantime: Some(Seconds(policy.ban_time_ms / 1000)),
                ignoreip: policy.ignore.iter().map(ToString::to_string).collect(),
                increment: Some(increment),
                // As written (user names), resolved to `log_owner_uids`.
                log_owners: config
                    .jail
                    .get(&spec.name)
                    .and_then(|j| j.log_owners.clone()),
                log_owner_uids,
            };
            (spec.name.clone(), jail)
        })
        .collect();
    shown
}

pub fn check_config(ctx: &Globals, json: bool) -> Result<u8> {
    // The same build the daemon runs at start-up and on SIGHUP: filters,
    // `<HOST>`, datepatterns, formulas and log sources are all checked.
    let build = clawguard_jails::runtime::build(ctx.config.clone())
        .map_err(|e| Failure::Usage(e.to_string()))?;
    // Sinks as the daemon builds them: secrets resolve, CA files read.
    clawguard_alert::check(&ctx.config).map_err(|e| Failure::Usage(format!("[alert]: {e}")))?;
    let catalog = &build.catalog;
    let shown = config_as_run(&ctx.config, catalog);
    let not_running: Vec<&String> = ctx
        .config
        .jail
        .keys()
        .filter(|name| !shown.jail.contains_key(*name))
        .collect();
    if json {
        #[derive(Serialize)]
        struct Report<'a> {
            config_file: String,
            config: &'a Config,
            jails: Vec<JailSummary>,
            not_running: &'a [&'a String],
            warnings: &'a [String],
        }
        print_json(&Report {
            config_file: ctx.config_path.display().to_string(),
            config: &shown,
            jails: jail_summaries(catalog),
            not_running: &not_running,
            warnings: &catalog.warnings,
        })?;
    } else {
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "# config: {} ({})",
            ctx.config_path.display(),
            if ctx.config_path.exists() {
                "read"
            } else {
                "absent: built-in defaults"
            }
        )?;
        writeln!(
            out,
            "# [jail.*] below: the jails as they will run (this file, the fail2ban \
             directory and the built-in jails, resolved)"
        )?;
        write!(out, "{}", shown.to_toml())?;
        for name in &not_running {
            writeln!(
                out,
                "# jail {name}: not running (disabled, or not usable here)"
            )?;
        }
        writeln!(out, "\n# effective jails")?;
        for jail in jail_summaries(catalog) {
            let sources: Vec<String> = jail.sources.iter().map(catalog::SourcePlan::key).collect();
            writeln!(
                out,
                "# {:<20} filter={} maxretry={} findtime={}s bantime={}s origin={:?} sources=[{}]",
                jail.name,
                jail.filter,
                jail.maxretry,
                jail.findtime_s,
                jail.bantime_s,
                jail.origin,
                sources.join(", ")
            )?;
        }
        for warning in &catalog.warnings {
            writeln!(out, "# warning: {warning}")?;
        }
    }
    Ok(exit::OK)
}

pub fn filter_test(
    ctx: &Globals,
    filter: &str,
    logfile: &Path,
    format: LogFormat,
    json: bool,
) -> Result<u8> {
    let resolver = FilterResolver::new(&ctx.config).map_err(|e| Failure::Usage(e.to_string()))?;
    let plan = resolver
        .resolve(filter, None)
        .map_err(|e| Failure::Usage(e.to_string()))?;
    let report = clawguard_jails::filter_test::run(
        &plan,
        &ctx.config.ban.trusted_proxies,
        logfile,
        format,
        now_ms(),
        json,
    )
    .with_context(|| format!("filter-test {filter} {}", logfile.display()))?;
    if json {
        print_json(&report)?;
    } else {
        let mut out = std::io::stdout().lock();
        writeln!(out, "Filter: {filter}")?;
        writeln!(out, "Log:    {}", logfile.display())?;
        writeln!(
            out,
            "Lines: {} lines, {} ignored, {} matched, {} missed",
            report.lines, report.ignored, report.matched, report.missed
        )?;
        if report.truncated > 0 {
            writeln!(
                out,
                "Too long: {} lines (counted as missed, never matched)",
                report.truncated
            )?;
        }
    }
    Ok(exit::OK)
}

pub fn replay(
    ctx: &Globals,
    jail: &str,
    logfile: &Path,
    format: LogFormat,
    json: bool,
) -> Result<u8> {
    let catalog = catalog::resolve(&ctx.config).map_err(Failure::usage)?;
    let Some(spec) = catalog.jails.iter().find(|j| j.name == jail) else {
        let names: Vec<&str> = catalog.jails.iter().map(|j| j.name.as_str()).collect();
        return Err(Failure::Usage(format!(
            "no enabled jail named {jail:?} (enabled: {})",
            names.join(", ")
        ))
        .into());
    };
    let report = clawguard_jails::replay::run(
        spec,
        &ctx.config.ban.trusted_proxies,
        logfile,
        format,
        now_ms(),
    )
    .with_context(|| format!("replay {jail} {}", logfile.display()))?;
    if json {
        print_json(&report)?;
    } else {
        let mut out = std::io::stdout().lock();
        for ban in &report.bans {
            writeln!(
                out,
                "{}  [{}] ban {} after {} failures",
                ban.time, ban.jail, ban.ip, ban.failures
            )?;
        }
        writeln!(out, "{} bans", report.bans.len())?;
    }
    Ok(exit::OK)
}
