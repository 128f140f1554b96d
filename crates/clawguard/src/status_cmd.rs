//! `status`: jails, sources, read positions, active bans and the health the
//! daemon reports.

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use crate::context::{Globals, now_ms};
use crate::exit::{self, Failure};
use crate::output::{BanView, JailSummary, ban_views, format_time, jail_summaries, print_json};

pub fn status(ctx: &Globals, json: bool) -> Result<u8> {
    let catalog = clawguard_jails::catalog::resolve(&ctx.config).map_err(Failure::usage)?;
    // What the daemon last said about its database (a full disk, a lock).
    let state_health = clawguard_state::health::read(&ctx.state_dir);
    let state = ctx.open_state().map_err(|e| match &state_health {
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
        /// Whether a daemon runs on this state dir now.
        daemon_running: bool,
        /// What the daemon last wrote about its engines and journal
        /// (`engines.json`); `None` if no daemon ever ran here.
        daemon: Option<clawguard_host::status::DaemonStatus>,
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
    let daemon = clawguard_host::status::read(&ctx.state_dir).unwrap_or_else(|e| {
        eprintln!("clawguard: {e}");
        None
    });
    let report = Report {
        daemon_running: clawguard_state::daemon_lock::is_held(&ctx.state_dir),
        daemon,
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
    match (&report.daemon, report.daemon_running) {
        (Some(daemon), true) => writeln!(
            out,
            "daemon: running (pid {}, since {}){}{}",
            daemon.pid,
            format_time(daemon.started_ms),
            if daemon.ready { "" } else { ", starting" },
            if daemon.watchdog_fed {
                ""
            } else {
                ", WATCHDOG NOT FED (an engine failed)"
            }
        )?,
        (Some(daemon), false) => writeln!(
            out,
            "daemon: not running (last seen {})",
            format_time(daemon.updated_ms)
        )?,
        (None, running) => writeln!(
            out,
            "daemon: {}",
            if running {
                "running (no status yet)"
            } else {
                "not running"
            }
        )?,
    }
    if let Some(daemon) = &report.daemon {
        writeln!(out, "engines:")?;
        for engine in &daemon.engines {
            use clawguard_host::Health;
            let health = match &engine.health {
                Health::Starting => "starting".to_string(),
                Health::Ok => "ok".to_string(),
                Health::Degraded(why) => format!("degraded: {why}"),
                Health::Failed(why) => format!("FAILED: {why}"),
            };
            writeln!(
                out,
                "  {:<7} {health}{}",
                engine.engine.name(),
                if engine.restarts > 0 {
                    format!(" (restarted {} times)", engine.restarts)
                } else {
                    String::new()
                }
            )?;
            for missing in &engine.running_without {
                writeln!(out, "          running without {missing}")?;
            }
        }
        let journal = &daemon.journal;
        writeln!(
            out,
            "event journal: {} events, last seq {}, {} bytes{}{}",
            journal.events,
            journal.last_seq,
            journal.body_bytes,
            if journal.dropped_unacknowledged > 0 {
                format!(
                    ", {} dropped before a consumer read them",
                    journal.dropped_unacknowledged
                )
            } else {
                String::new()
            },
            journal
                .failing
                .as_ref()
                .map(|e| format!(", NOT WRITABLE: {e}"))
                .unwrap_or_default()
        )?;
    }
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
