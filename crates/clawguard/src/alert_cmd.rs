//! `clawguard alert test|list|retry`: try the sinks, see what was sent, and
//! send again what a receiver refused.

use std::collections::BTreeMap;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use clawguard_alert::notification::severity_name;
use clawguard_alert::outbox::{Entry, Outbox, State};
use clawguard_alert::sink::{Outcome, Sink};
use clawguard_alert::{AlertLine, Notification};
use clawguard_config::{SinkConfig, SinkType};
use clawguard_event::{Engine, Severity};
use serde_json::json;

use crate::context::{Globals, now_ms};
use crate::exit::{self, Failure};
use crate::output::format_time;

#[derive(Debug, Subcommand)]
pub enum AlertCommand {
    /// Send a real test alert through the configured sinks (or one ad-hoc
    /// sink given by --type/--url) and report each result.
    Test(TestArgs),
    /// Show recent notifications, their sinks and delivery state.
    List(ListArgs),
    /// Send dead-lettered notifications again (by the daemon when it runs).
    Retry(RetryArgs),
}

#[derive(Debug, Args)]
pub struct TestArgs {
    /// Only this configured sink.
    #[arg(long, value_name = "NAME", conflicts_with = "url")]
    pub sink: Option<String>,
    /// An ad-hoc sink instead of the config's: its type (default webhook).
    #[arg(long = "type", value_name = "TYPE", requires = "url")]
    pub sink_type: Option<String>,
    /// An ad-hoc sink's URL.
    #[arg(long)]
    pub url: Option<String>,
    /// Print exactly one JSON document.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only notifications refused for good (the dead letters).
    #[arg(long)]
    pub failed: bool,
    /// How many, newest first.
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    /// Print exactly one JSON document.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RetryArgs {
    /// The notification id (from `alert list --failed`).
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    pub id: Option<u64>,
    /// Every dead-lettered notification.
    #[arg(long)]
    pub all: bool,
    /// Print exactly one JSON document.
    #[arg(long)]
    pub json: bool,
}

pub fn run(ctx: &Globals, cmd: AlertCommand) -> Result<u8> {
    match cmd {
        AlertCommand::Test(args) => test(ctx, args),
        AlertCommand::List(args) => list(ctx, args),
        AlertCommand::Retry(args) => retry(ctx, args),
    }
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting a runtime")
}

/// The sinks `alert test` sends through.
fn test_sinks(ctx: &Globals, args: &TestArgs) -> Result<Vec<SinkConfig>> {
    if let Some(url) = &args.url {
        let kind_name = args.sink_type.as_deref().unwrap_or("webhook");
        let kind: SinkType = serde_json::from_value(json!(kind_name))
            .map_err(|_| Failure::usage(format!("--type {kind_name:?}: not a sink type")))?;
        let mut sink = SinkConfig::journal("cli");
        sink.kind = kind;
        sink.url = Some(url.clone());
        return Ok(vec![sink]);
    }
    let sinks: Vec<SinkConfig> = ctx
        .config
        .alert
        .sink
        .iter()
        .filter(|s| args.sink.as_ref().is_none_or(|name| &s.name == name))
        .cloned()
        .collect();
    if sinks.is_empty() {
        let what = match &args.sink {
            Some(name) => format!("no sink named {name:?} in the config"),
            None => "no [[alert.sink]] in the config".into(),
        };
        return Err(Failure::usage(what).into());
    }
    Ok(sinks)
}

fn test_notification(sink: &str, host: &str, now: i64) -> Notification {
    let labels = BTreeMap::from([
        ("engine".to_string(), "alert".to_string()),
        ("kind".to_string(), "test".to_string()),
    ]);
    Notification {
        id: 0,
        sink: sink.to_string(),
        group_key: "kind=test".into(),
        group_labels: labels.clone(),
        severity: Severity::Info,
        host: host.to_string(),
        created_ms: now,
        alerts: vec![AlertLine {
            fingerprint: "0000000000000000".into(),
            kind: "test".into(),
            engine: Engine::Alert,
            severity: Severity::Info,
            summary: "clawguard test alert: this sink works".into(),
            labels,
            count: 1,
            first_ms: now,
            last_ms: now,
            repeat: false,
            samples: Vec::new(),
        }],
        omitted_alerts: 0,
        events: 1,
        first_ms: now,
        last_ms: now,
        test: true,
    }
}

fn host_name(ctx: &Globals) -> String {
    ctx.config.journal.host.clone().unwrap_or_else(|| {
        std::fs::read_to_string("/proc/sys/kernel/hostname")
            .map(|s| s.trim().to_string())
            .unwrap_or_else(|_| "localhost".into())
    })
}

fn outcome_text(outcome: &Outcome) -> (String, Option<String>) {
    match outcome {
        Outcome::Delivered => ("delivered".into(), None),
        Outcome::Retry { error, .. } => ("failed (temporary)".into(), Some(error.clone())),
        Outcome::Permanent { error } => ("refused".into(), Some(error.clone())),
    }
}

fn test(ctx: &Globals, args: TestArgs) -> Result<u8> {
    let sinks = test_sinks(ctx, &args)?;
    let host = host_name(ctx);
    let runtime = runtime()?;
    // Recorded (for `alert list`) when the state directory exists; an
    // ad-hoc `--url` sink is not (no daemon could ever send it again).
    let mut outbox = if ctx.state_dir.is_dir() && args.url.is_none() {
        Outbox::open(&ctx.state_dir).ok()
    } else {
        None
    };
    let mut results = Vec::new();
    let mut all_delivered = true;
    for config in &sinks {
        let started = Instant::now();
        let (state, error, id) = match Sink::build(config, &clawguard_alert::secret::process_env) {
            Err(e) => ("not built".to_string(), Some(e.to_string()), None),
            Ok(sink) => {
                let mut notification = test_notification(&config.name, &host, now_ms());
                let outcome = runtime.block_on(sink.send(&notification, now_ms()));
                let (state, error) = outcome_text(&outcome);
                let stored = if outcome == Outcome::Delivered {
                    State::Delivered
                } else {
                    State::Dead
                };
                let id = outbox.as_mut().and_then(|o| {
                    o.record(&mut notification, stored, error.as_deref(), now_ms())
                        .ok()
                        .map(|()| notification.id)
                });
                (state, error, id)
            }
        };
        all_delivered &= state == "delivered";
        results.push(json!({
            "sink": config.name,
            "type": config.kind.name(),
            "result": state,
            "error": error,
            "ms": started.elapsed().as_millis() as u64,
            "id": id,
        }));
    }
    if args.json {
        println!("{}", json!({ "sinks": results }));
    } else {
        for r in &results {
            let error = r["error"]
                .as_str()
                .map(|e| format!(": {e}"))
                .unwrap_or_default();
            println!(
                "{} ({}): {} in {} ms{error}",
                r["sink"].as_str().unwrap_or_default(),
                r["type"].as_str().unwrap_or_default(),
                r["result"].as_str().unwrap_or_default(),
                r["ms"]
            );
        }
    }
    Ok(if all_delivered { exit::OK } else { exit::ERROR })
}

fn entry_json(entry: &Entry) -> serde_json::Value {
    let n = &entry.notification;
    json!({
        "id": n.id,
        "sink": n.sink,
        "state": entry.state.name(),
        "created": format_time(n.created_ms),
        "severity": severity_name(n.severity),
        "title": n.title(),
        "group": n.group_key,
        "events": n.events,
        "alerts": n.alerts.len() as u64 + n.omitted_alerts,
        "attempts": entry.attempts,
        "last_error": entry.last_error,
        "delivered": entry.delivered_ms.map(format_time),
        "via": entry.via,
        "test": n.test,
    })
}

fn list(ctx: &Globals, args: ListArgs) -> Result<u8> {
    let entries = match Outbox::open_existing(&ctx.state_dir)? {
        Some(outbox) => outbox.recent(args.failed, args.limit.clamp(1, 10_000))?,
        None => Vec::new(),
    };
    if args.json {
        let items: Vec<_> = entries.iter().map(entry_json).collect();
        println!("{}", json!({ "notifications": items }));
        return Ok(exit::OK);
    }
    if entries.is_empty() {
        println!(
            "{}",
            if args.failed {
                "no failed notifications"
            } else {
                "no notifications yet"
            }
        );
        return Ok(exit::OK);
    }
    for entry in &entries {
        let n = &entry.notification;
        let via = entry
            .via
            .as_ref()
            .map(|v| format!(" via {v}"))
            .unwrap_or_default();
        println!(
            "{:>6}  {}  {:<10} {:<9}{via} attempts={} {}",
            n.id,
            format_time(n.created_ms),
            n.sink,
            entry.state.name(),
            entry.attempts,
            n.title()
        );
        if let Some(error) = &entry.last_error {
            println!("        last error: {error}");
        }
    }
    Ok(exit::OK)
}

fn retry(ctx: &Globals, args: RetryArgs) -> Result<u8> {
    let Some(mut outbox) = Outbox::open_existing(&ctx.state_dir)? else {
        return Err(
            Failure::usage("no notifications yet (no alerts.db in the state directory)").into(),
        );
    };
    let id = if args.all { None } else { args.id };
    if let Some(id) = id {
        match outbox.get(id)? {
            Some(e) if e.state == State::Dead => {}
            Some(e) => {
                return Err(Failure::usage(format!(
                    "notification {id} is {}, not failed",
                    e.state.name()
                ))
                .into());
            }
            None => return Err(Failure::usage(format!("no notification {id}")).into()),
        }
    }
    let daemon = clawguard_state::daemon_lock::is_held(&ctx.state_dir);
    if daemon {
        // Only for sinks the daemon runs: anything else would wait forever.
        let configured = |sink: &str| {
            ctx.config
                .alert
                .sink
                .iter()
                .any(|s| s.enabled && s.name == sink)
        };
        let dead: Vec<Entry> = match id {
            Some(id) => outbox.get(id)?.into_iter().collect(),
            None => outbox.recent(true, 10_000)?,
        };
        let mut queued = 0;
        for entry in &dead {
            if configured(&entry.notification.sink) {
                queued += outbox.requeue(Some(entry.notification.id))?;
            } else if !args.json {
                println!(
                    "{}: sink {} is not configured, left as it is",
                    entry.notification.id, entry.notification.sink
                );
            }
        }
        if args.json {
            println!("{}", json!({ "queued": queued, "sent_by": "daemon" }));
        } else {
            println!("{queued} notification(s) queued again; the daemon sends them");
        }
        return Ok(exit::OK);
    }
    // No daemon: send them now, from here.
    let dead: Vec<Entry> = match id {
        Some(id) => outbox.get(id)?.into_iter().collect(),
        None => outbox.recent(true, 10_000)?,
    };
    let runtime = runtime()?;
    let mut results = Vec::new();
    let mut all_delivered = true;
    for entry in dead.iter().rev() {
        let n = &entry.notification;
        let config = ctx.config.alert.sink.iter().find(|s| s.name == n.sink);
        let outcome = match config.map(|c| Sink::build(c, &clawguard_alert::secret::process_env)) {
            None => Outcome::Permanent {
                error: format!("sink {:?} is no longer configured", n.sink),
            },
            Some(Err(e)) => Outcome::Permanent {
                error: e.to_string(),
            },
            Some(Ok(sink)) => runtime.block_on(sink.send(n, now_ms())),
        };
        match &outcome {
            Outcome::Delivered => outbox.delivered(n.id, None, now_ms())?,
            Outcome::Retry { error, .. } | Outcome::Permanent { error } => {
                outbox.dead(n.id, error)?;
                all_delivered = false;
            }
        }
        let (result, error) = outcome_text(&outcome);
        results.push(json!({ "id": n.id, "sink": n.sink, "result": result, "error": error }));
    }
    if args.json {
        println!("{}", json!({ "sent_by": "cli", "results": results }));
    } else {
        for r in &results {
            let error = r["error"]
                .as_str()
                .map(|e| format!(": {e}"))
                .unwrap_or_default();
            println!(
                "{} to {}: {}{error}",
                r["id"],
                r["sink"].as_str().unwrap_or_default(),
                r["result"].as_str().unwrap_or_default()
            );
        }
    }
    Ok(if all_delivered { exit::OK } else { exit::ERROR })
}
