//! One plain function per verb.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clawguard_config::Config;
use clawguard_jails::catalog::{self, FilterResolver};
use clawguard_jails::filter_test::LogFormat;
use clawguard_state::{BanRecord, ControlRequest, State};
use ipnet::IpNet;
use serde::Serialize;

use crate::cli::{BanCommand, Cli, Command, FirewallCommand, exit};

/// An error with its own exit code.
#[derive(Debug)]
pub enum Failure {
    /// Bad usage or invalid configuration (exit 2).
    Usage(String),
    /// `run` cannot change the firewall (exit 3).
    NoPrivilege(String),
}

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Usage(_) => exit::USAGE,
            Failure::NoPrivilege(_) => exit::NO_PRIVILEGE,
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Usage(message) | Failure::NoPrivilege(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Failure {}

/// Global options every verb needs.
pub struct Globals {
    pub config: Config,
    pub config_path: PathBuf,
    pub state_dir: PathBuf,
}

fn load_context(cli: &Cli) -> Result<Globals> {
    let explicit = cli.config.is_some();
    let config_path = cli
        .config
        .clone()
        .unwrap_or_else(|| PathBuf::from(clawguard_config::DEFAULT_PATH));
    let config = Config::load_or_default(&config_path, explicit)
        .map_err(|e| Failure::Usage(e.to_string()))?;
    let state_dir = cli
        .state_dir
        .clone()
        .unwrap_or_else(|| config.daemon.state_dir.clone());
    Ok(Globals {
        config,
        config_path,
        state_dir,
    })
}

/// Run the verb named on the command line.
pub fn dispatch(cli: Cli) -> Result<u8> {
    let ctx = match load_context(&cli) {
        Ok(ctx) => ctx,
        // 2 is AIDE's "removed" bit: fim cron jobs must see a config error
        // as fim's own usage error.
        Err(e) if matches!(cli.command, Command::Fim(_)) => {
            eprintln!("clawguard: {e:#}");
            return Ok(clawguard_fim::exit::USAGE);
        }
        Err(e) => return Err(e),
    };
    match cli.command {
        Command::Run(args) => crate::daemon::run(ctx, args.detect_only),
        Command::CheckConfig(flags) => check_config(&ctx, flags.json),
        Command::FilterTest(args) => filter_test(
            &ctx,
            &args.filter,
            &args.logfile,
            args.format.into(),
            args.json,
        ),
        Command::Replay(args) => replay(
            &ctx,
            &args.jail,
            &args.logfile,
            args.format.into(),
            args.json,
        ),
        Command::Ban(BanCommand::List(flags)) => ban_list(&ctx, flags.json),
        Command::Ban(BanCommand::Add {
            target,
            jail,
            duration,
        }) => ban_add(&ctx, &target, &jail, duration.as_deref()),
        Command::Ban(BanCommand::Del { target }) => ban_del(&ctx, &target),
        Command::Status(flags) => status(&ctx, flags.json),
        Command::Firewall(FirewallCommand::Remove) => firewall_remove(),
        Command::Fim(cmd) => crate::fim_cmd::run(&ctx, cmd),
        Command::Skills(cmd) => crate::skills_cmd::run(&ctx, cmd),
    }
}

pub(crate) fn print_json<T: Serialize>(value: &T) -> Result<()> {
    // Compact and buffered: one document on one line (filter-test can print
    // hundreds of thousands of matches; pipe through `jq` to read it).
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    serde_json::to_writer(&mut out, value).map_err(std::io::Error::from)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

fn format_time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_else(|| ms.to_string())
}

#[derive(Serialize)]
struct JailSummary {
    name: String,
    origin: catalog::Origin,
    filter: String,
    sources: Vec<catalog::SourcePlan>,
    maxretry: u32,
    findtime_s: i64,
    bantime_s: i64,
    increment: bool,
}

fn jail_summaries(catalog: &catalog::Catalog) -> Vec<JailSummary> {
    catalog
        .jails
        .iter()
        .map(|j| JailSummary {
            name: j.name.clone(),
            origin: j.origin.clone(),
            filter: j.filter_spec.clone(),
            sources: j.sources.clone(),
            maxretry: j.policy.max_retry,
            findtime_s: j.policy.find_time_ms / 1000,
            bantime_s: j.policy.ban_time_ms / 1000,
            increment: j.policy.increment.is_some(),
        })
        .collect()
}

fn resolve_catalog(config: &Config) -> Result<catalog::Catalog> {
    catalog::resolve(config).map_err(|e| Failure::Usage(e.to_string()).into())
}

/// The config as it will run: its `[jail.*]` tables are the resolved jails
/// (clawguard's, the fail2ban directory's, built-in), not the text as written.
fn config_as_run(config: &Config, catalog: &catalog::Catalog) -> Config {
    use clawguard_config::{Backend, IncrementConfig, JailConfig, Seconds};
    let mut shown = config.clone();
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

fn check_config(ctx: &Globals, json: bool) -> Result<u8> {
    // The same build the daemon runs at start-up and on SIGHUP: filters,
    // `<HOST>`, datepatterns, formulas and log sources are all checked.
    let build = clawguard_jails::runtime::build(ctx.config.clone())
        .map_err(|e| Failure::Usage(e.to_string()))?;
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

fn filter_test(
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

fn replay(ctx: &Globals, jail: &str, logfile: &Path, format: LogFormat, json: bool) -> Result<u8> {
    let catalog = resolve_catalog(&ctx.config)?;
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

fn open_state(ctx: &Globals) -> Result<State> {
    State::open(&ctx.state_dir).context("opening the state database")
}

#[derive(Serialize)]
struct BanView {
    target: String,
    jail: String,
    start: String,
    end: Option<String>,
    remaining_s: Option<i64>,
    failures: u32,
    ban_count: u32,
    manual: bool,
}

fn ban_views(bans: &[BanRecord], now: i64) -> Vec<BanView> {
    bans.iter()
        .map(|b| BanView {
            target: b.target.to_string(),
            jail: b.jail.clone(),
            start: format_time(b.start_ms),
            end: b.end_ms.map(format_time),
            remaining_s: b.end_ms.map(|e| ((e - now).max(0) + 999) / 1000),
            failures: b.failures,
            ban_count: b.ban_count,
            manual: b.manual,
        })
        .collect()
}

fn ban_list(ctx: &Globals, json: bool) -> Result<u8> {
    let state = open_state(ctx)?;
    let now = now_ms();
    let bans = state.active_bans(now)?;
    let views = ban_views(&bans, now);
    if json {
        #[derive(Serialize)]
        struct Report {
            bans: Vec<BanView>,
        }
        print_json(&Report { bans: views })?;
    } else {
        let mut out = std::io::stdout().lock();
        for ban in &views {
            let until = match (&ban.end, ban.remaining_s) {
                (Some(end), Some(left)) => format!("until {end} ({left}s left)"),
                _ => "permanent".into(),
            };
            writeln!(out, "{:<40} {:<18} {until}", ban.target, ban.jail)?;
        }
        writeln!(out, "{} active bans", views.len())?;
    }
    Ok(exit::OK)
}

fn parse_target(text: &str) -> Result<IpNet> {
    clawguard_ban::parse_net(text)
        .ok_or_else(|| Failure::Usage(format!("{text:?} is not an IP address or CIDR")).into())
}

fn ban_add(ctx: &Globals, target: &str, jail: &str, duration: Option<&str>) -> Result<u8> {
    let target = parse_target(target)?;
    if clawguard_ban::overlaps_loopback(&target) {
        return Err(
            Failure::Usage(format!("{target} contains loopback; refusing to ban it")).into(),
        );
    }
    let seconds = match duration {
        Some(text) => clawguard_config::parse_duration(text)
            .map_err(|e| Failure::Usage(format!("--duration: {e}")))?,
        None => ctx.config.ban.bantime.0,
    };
    let now = now_ms();
    let end_ms = (seconds >= 0).then(|| now + seconds.saturating_mul(1000));
    let mut state = open_state(ctx)?;
    let ban_count = state
        .ban_history(0)?
        .iter()
        .filter(|h| h.target == target)
        .map(|h| h.bans)
        .sum::<u32>()
        + 1;
    state.record_bans(&[BanRecord {
        target,
        jail: jail.to_string(),
        start_ms: now,
        end_ms,
        failures: 0,
        ban_count,
        manual: true,
    }])?;
    state.push_control(&ControlRequest::Ban {
        target,
        jail: jail.to_string(),
        end_ms,
    })?;
    let enforced = apply_now(&[clawguard_nft::BanOp::Add {
        net: target,
        timeout_ms: end_ms.map(|e| (e - now).max(1) as u64),
    }]);
    match enforced {
        Ok(()) => println!("banned {target} ({})", describe_end(end_ms)),
        Err(e) => println!(
            "recorded ban of {target} ({}); not in the firewall yet: {e:#} (the daemon applies it when it runs)",
            describe_end(end_ms)
        ),
    }
    Ok(exit::OK)
}

fn describe_end(end_ms: Option<i64>) -> String {
    match end_ms {
        Some(end) => format!("until {}", format_time(end)),
        None => "permanent".into(),
    }
}

fn ban_del(ctx: &Globals, target: &str) -> Result<u8> {
    let target = parse_target(target)?;
    let mut state = open_state(ctx)?;
    let lifted = state.lift_ban(&target, None, now_ms())?;
    state.push_control(&ControlRequest::Unban { target })?;
    let removed = apply_now(&[clawguard_nft::BanOp::Remove { net: target }]);
    match removed {
        Ok(()) => println!("unbanned {target} ({lifted} bans lifted)"),
        Err(e) => println!("lifted {lifted} bans of {target}; firewall not changed: {e:#}"),
    }
    Ok(exit::OK)
}

/// Apply firewall changes directly (the CLI's path; the daemon has its own).
fn apply_now(ops: &[clawguard_nft::BanOp]) -> Result<()> {
    let mut firewall = clawguard_nft::Firewall::connect().context("netlink")?;
    if !firewall.is_installed()? {
        anyhow::bail!("the clawguard table is not installed (is the daemon running?)");
    }
    firewall.apply(ops)?;
    Ok(())
}

fn status(ctx: &Globals, json: bool) -> Result<u8> {
    let catalog = resolve_catalog(&ctx.config)?;
    // What the daemon last said about its database (a full disk, a lock).
    let state_health = clawguard_state::health::read(&ctx.state_dir);
    let state = open_state(ctx).map_err(|e| match &state_health {
        Some(health) => e.context(format!("daemon reports: {health}")),
        None => e,
    })?;
    let now = now_ms();
    let bans = state.active_bans(now)?;
    let positions = state.positions()?;
    let firewall = clawguard_nft::Firewall::connect()
        .and_then(|mut f| f.is_installed())
        .map_err(|e| e.to_string());
    #[derive(Serialize)]
    struct Report {
        config_file: String,
        state_dir: String,
        state_health: Option<String>,
        firewall_installed: Option<bool>,
        firewall_error: Option<String>,
        jails: Vec<JailSummary>,
        positions: std::collections::BTreeMap<String, String>,
        active_bans: Vec<BanView>,
        /// Gateway logs not read: owner or permissions (issue 8, item 6).
        refused_logs: Vec<String>,
        warnings: Vec<String>,
    }
    let report = Report {
        config_file: ctx.config_path.display().to_string(),
        state_dir: ctx.state_dir.display().to_string(),
        state_health,
        firewall_installed: firewall.as_ref().ok().copied(),
        firewall_error: firewall.as_ref().err().cloned(),
        jails: jail_summaries(&catalog),
        positions: positions.into_iter().collect(),
        active_bans: ban_views(&bans, now),
        refused_logs: clawguard_jails::log_trust::refused_gateway_logs(&catalog),
        warnings: catalog.warnings.clone(),
    };
    if json {
        print_json(&report)?;
        return Ok(exit::OK);
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "state: {}", report.state_dir)?;
    if let Some(health) = &report.state_health {
        writeln!(out, "state database (daemon): {health}")?;
    }
    match (&report.firewall_installed, &report.firewall_error) {
        (Some(true), _) => writeln!(out, "firewall: table inet clawguard installed")?,
        (Some(false), _) => writeln!(out, "firewall: table inet clawguard NOT installed")?,
        (_, Some(e)) => writeln!(out, "firewall: unknown ({e})")?,
        _ => {}
    }
    writeln!(out, "jails:")?;
    for jail in &report.jails {
        let sources: Vec<String> = jail.sources.iter().map(|s| s.key()).collect();
        writeln!(
            out,
            "  {:<20} maxretry={} findtime={}s bantime={}s sources: {}",
            jail.name,
            jail.maxretry,
            jail.findtime_s,
            jail.bantime_s,
            sources.join(", ")
        )?;
    }
    writeln!(out, "read positions:")?;
    for (source, position) in &report.positions {
        writeln!(out, "  {source}: {position}")?;
    }
    writeln!(out, "active bans: {}", report.active_bans.len())?;
    for ban in &report.active_bans {
        writeln!(
            out,
            "  {:<40} {:<18} {}",
            ban.target,
            ban.jail,
            ban.end.as_deref().unwrap_or("permanent")
        )?;
    }
    for refused in &report.refused_logs {
        writeln!(out, "warning: {refused}")?;
    }
    for warning in &report.warnings {
        writeln!(out, "warning: {warning}")?;
    }
    Ok(exit::OK)
}

fn firewall_remove() -> Result<u8> {
    let mut firewall = clawguard_nft::Firewall::connect().context("netlink")?;
    firewall.remove().context("removing table inet clawguard")?;
    println!("removed table inet clawguard");
    Ok(exit::OK)
}
