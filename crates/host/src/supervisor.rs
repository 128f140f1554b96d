//! The supervisor: the configuration is built once, then the journal writer
//! and every enabled engine are started, and one loop handles signals,
//! engine exits, restarts, readiness, the watchdog and the status file.
//!
//! | Signal  | Effect |
//! |---------|--------|
//! | SIGTERM, SIGINT | clean stop: every engine is cancelled and joined, then the journal writer commits what is left |
//! | SIGHUP  | reload: the new config is read and built once (jails, filters, fim policy); on any error nothing changes and the log says why; otherwise it is published to every engine, and each applies what it can live and logs what needs a restart |

use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clawguard_config::Config;
use clawguard_event::{Event, EventKind};
use clawguard_journal::{Bus, Retention, Subscriber, WriterFaults};
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::{mpsc, watch};
use tokio_util::sync::CancellationToken;

use crate::engine::{Context, Engine, Health, HealthReporter, Report};
use crate::engines::{self, Inputs};
use crate::fault::Faults;
use crate::notify::Notifier;
use crate::restart::{Next, RestartPolicy};
use crate::status::{self, DaemonStatus, EngineStatus, JournalStatus};

/// How the daemon runs.
#[derive(Debug, Clone)]
pub struct Options {
    pub config: Config,
    /// Where SIGHUP reads the configuration again.
    pub config_path: PathBuf,
    /// The daemon started from a file (not the built-in defaults): a
    /// reload never falls back to the defaults.
    pub started_from_file: bool,
    pub state_dir: PathBuf,
    /// Apply bans in nftables; `false` detects and records only.
    pub enforce: bool,
}

/// Why the daemon could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum HostError {
    #[error("invalid configuration: {0}")]
    Config(String),
    #[error("{what}: {source}")]
    Io {
        what: &'static str,
        #[source]
        source: std::io::Error,
    },
}

/// How often the loop looks at restarts, readiness and health.
const TICK: Duration = Duration::from_millis(200);
/// How often the status file is rewritten when nothing changed.
const STATUS_EVERY: Duration = Duration::from_secs(5);
/// How long engines may take to stop (with the writer's limit, within the
/// shipped unit's `TimeoutStopSec`).
const STOP_LIMIT: Duration = Duration::from_secs(8);
/// How long the journal writer may take to commit the rest at shutdown.
const WRITER_STOP_LIMIT: Duration = Duration::from_secs(5);
/// How long a running engine may go without a heartbeat before it counts
/// as not responding (and the watchdog is no longer fed).
const STUCK_AFTER: Duration = Duration::from_secs(60);
/// `FileChanged` records waiting for the skill auditor.
const SKILLS_INPUT: usize = 4096;

/// Everything a configuration needs to run, built and checked without
/// starting anything. Start-up and SIGHUP both go through it.
/// Returns the ban engine's build, which the engine then runs rather than
/// building the same configuration again.
pub fn validate(
    config: &Config,
    state_dir: &std::path::Path,
) -> Result<clawguard_jails::runtime::Build, String> {
    let build = clawguard_jails::runtime::build(config.clone()).map_err(|e| e.to_string())?;
    for warning in &build.catalog.warnings {
        tracing::warn!("{warning}");
    }
    if config.fim.enabled {
        clawguard_fim::Fim::from_config(&config.fim, state_dir)
            .map_err(|e| format!("[fim]: {e}"))?;
    }
    clawguard_alert::check(config).map_err(|e| format!("[alert]: {e}"))?;
    Ok(build)
}

/// One engine as the supervisor tracks it.
struct Slot {
    engine: Engine,
    enabled: bool,
    report_tx: Arc<watch::Sender<Report>>,
    report_rx: watch::Receiver<Report>,
    thread: Option<std::thread::JoinHandle<()>>,
    /// Cancels this engine alone (a reload that disables it).
    cancel: Option<CancellationToken>,
    /// Its exit was asked for: not a failure.
    stopping: bool,
    /// When the engine last beat (`Context::beat`).
    heartbeat: Arc<AtomicI64>,
    /// Why it counts as not responding, while it does.
    stuck: Option<String>,
    restart_at: Option<tokio::time::Instant>,
    policy: RestartPolicy,
    last_error: Option<String>,
    since_ms: i64,
}

impl Slot {
    fn health(&self) -> Health {
        self.report_rx.borrow().health.clone()
    }
}

struct Host {
    options: Options,
    config_tx: watch::Sender<Arc<Config>>,
    bus: Bus,
    cancel: CancellationToken,
    faults: Faults,
    inputs: Arc<Inputs>,
    exits: mpsc::Sender<(Engine, Result<(), String>)>,
    slots: Vec<Slot>,
    notifier: Notifier,
    started_ms: i64,
    ready: bool,
    writer_stats: Arc<Mutex<clawguard_journal::WriterStats>>,
    journal_path: String,
    /// Notified by every engine's health change.
    health_changed: Arc<tokio::sync::Notify>,
    /// The last error writing the status file, logged once (a full disk
    /// must not fill the log every few seconds).
    status_error: Option<String>,
}

/// Run the daemon until SIGTERM or SIGINT.
pub async fn run(options: Options) -> Result<(), HostError> {
    let ban_build = validate(&options.config, &options.state_dir).map_err(HostError::Config)?;
    let faults = Faults::from_env();
    let notifier = Notifier::from_env();
    let config = Arc::new(options.config.clone());

    // The journal first: every engine's events go there.
    let (skills_tx, skills_rx) = std::sync::mpsc::sync_channel(SKILLS_INPUT);
    let skills_lost = Arc::new(AtomicU64::new(0));
    let subscribers = vec![Subscriber {
        wants: |event| matches!(event.kind, EventKind::FileChanged { .. }),
        tx: skills_tx,
        overflowed: Arc::clone(&skills_lost),
    }];
    let retention = Retention {
        max_age_ms: config.journal.max_age.as_ms(),
        max_events: config.journal.max_events,
        max_bytes: config.journal.max_bytes,
    };
    let host_name = config.journal.host.clone().unwrap_or_else(host_name);
    let (bus, writer) = clawguard_journal::start(
        &options.state_dir,
        &host_name,
        retention,
        subscribers,
        WriterFaults {
            stall_before_commit: faults.journal_stall,
        },
    )
    .map_err(|source| HostError::Io {
        what: "starting the event journal writer",
        source,
    })?;
    let (config_tx, _) = watch::channel(Arc::clone(&config));
    let (exits_tx, mut exits_rx) = mpsc::channel(16);
    let mut host = Host {
        journal_path: options
            .state_dir
            .join(clawguard_journal::JOURNAL_FILE)
            .display()
            .to_string(),
        options,
        config_tx,
        bus,
        cancel: CancellationToken::new(),
        faults,
        inputs: Arc::new(Inputs {
            file_changes: Mutex::new(skills_rx),
            file_changes_lost: skills_lost,
            committed: writer.committed(),
            host_name: host_name.clone(),
            ban_build: Mutex::new(Some((Arc::clone(&config), ban_build))),
        }),
        exits: exits_tx,
        slots: Vec::new(),
        notifier,
        started_ms: crate::now_ms(),
        ready: false,
        writer_stats: writer.stats_handle(),
        status_error: None,
        health_changed: Arc::new(tokio::sync::Notify::new()),
    };
    for engine in Engine::ALL {
        let enabled = engine.enabled(&config);
        let (report_tx, report_rx) = watch::channel(Report::starting());
        host.slots.push(Slot {
            engine,
            enabled,
            report_tx: Arc::new(report_tx),
            report_rx,
            thread: None,
            cancel: None,
            stopping: false,
            heartbeat: Arc::new(AtomicI64::new(crate::now_ms())),
            stuck: None,
            restart_at: None,
            policy: RestartPolicy::default(),
            last_error: None,
            since_ms: crate::now_ms(),
        });
        if enabled {
            host.start(engine)?;
        } else {
            tracing::info!("{} engine disabled in the configuration", engine.name());
        }
    }
    host.write_status();

    let mut terminate = signal(SignalKind::terminate()).map_err(|source| HostError::Io {
        what: "SIGTERM handler",
        source,
    })?;
    let mut interrupt = signal(SignalKind::interrupt()).map_err(|source| HostError::Io {
        what: "SIGINT handler",
        source,
    })?;
    let mut hangup = signal(SignalKind::hangup()).map_err(|source| HostError::Io {
        what: "SIGHUP handler",
        source,
    })?;
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let watchdog_every = Notifier::watchdog_interval().unwrap_or(Duration::from_secs(3600));
    let mut watchdog = tokio::time::interval(watchdog_every);
    let mut last_status = tokio::time::Instant::now();

    loop {
        tokio::select! {
            _ = terminate.recv() => break,
            _ = interrupt.recv() => break,
            _ = hangup.recv() => host.reload().await,
            Some((engine, outcome)) = exits_rx.recv() => {
                host.exited(engine, outcome).await;
                host.write_status();
            }
            _ = watchdog.tick() => {
                if host.failed().is_empty() {
                    host.notifier.watchdog();
                }
            }
            _ = host.health_changed.notified() => {
                if host.check_ready() {
                    host.write_status();
                    last_status = tokio::time::Instant::now();
                }
            }
            _ = tick.tick() => {
                let changed = host.restart_due()? | host.check_heartbeats() | host.check_ready();
                if changed || last_status.elapsed() >= STATUS_EVERY {
                    host.write_status();
                    last_status = tokio::time::Instant::now();
                }
            }
        }
    }

    tracing::info!("stopping");
    host.notifier.stopping();
    host.cancel.cancel();
    let threads: Vec<_> = host
        .slots
        .iter_mut()
        .filter_map(|s| s.thread.take().map(|t| (s.engine, t)))
        .collect();
    let joined = tokio::task::spawn_blocking(move || {
        for (engine, thread) in threads {
            if thread.join().is_err() {
                tracing::error!("{} engine thread panicked while stopping", engine.name());
            }
        }
    });
    if tokio::time::timeout(STOP_LIMIT, joined).await.is_err() {
        tracing::warn!("engines did not stop within {STOP_LIMIT:?}");
    }
    host.write_status();
    // The last bus handle: once it is gone the writer commits the rest and ends.
    let Host { bus, .. } = host;
    drop(bus);
    let writer_done = tokio::task::spawn_blocking(move || writer.join());
    if tokio::time::timeout(WRITER_STOP_LIMIT, writer_done)
        .await
        .is_err()
    {
        tracing::warn!("the event journal writer did not finish within {WRITER_STOP_LIMIT:?}");
    }
    Ok(())
}

impl Host {
    fn context(&self, slot: &Slot) -> Context {
        Context {
            engine: slot.engine,
            config: self.config_tx.subscribe(),
            bus: self.bus.clone(),
            cancel: self.cancel.child_token(),
            state_dir: self.options.state_dir.clone(),
            health: HealthReporter::new(
                Arc::clone(&slot.report_tx),
                Arc::clone(&self.health_changed),
            ),
            enforce: self.options.enforce,
            faults: self.faults.clone(),
            runtime: tokio::runtime::Handle::current(),
            heartbeat: Arc::clone(&slot.heartbeat),
        }
    }

    /// Start an engine on its own thread. A panic is caught there and
    /// comes back as an exit with the panic's message.
    fn start(&mut self, engine: Engine) -> Result<(), HostError> {
        let index = self.slot_index(engine);
        let ctx = self.context(&self.slots[index]);
        let inputs = Arc::clone(&self.inputs);
        let exits = self.exits.clone();
        let slot = &mut self.slots[index];
        slot.cancel = Some(ctx.cancel.clone());
        slot.stopping = false;
        slot.heartbeat.store(crate::now_ms(), Ordering::Relaxed);
        slot.stuck = None;
        slot.report_tx.send_modify(|r| r.health = Health::Starting);
        slot.since_ms = crate::now_ms();
        let thread = std::thread::Builder::new()
            .name(format!("engine-{}", engine.name()))
            .spawn(move || {
                let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    engines::run(&ctx, &inputs)
                }));
                let outcome = match caught {
                    Ok(outcome) => outcome,
                    Err(panic) => Err(format!("panicked: {}", crate::engines::panic_text(&panic))),
                };
                let _ = exits.blocking_send((engine, outcome));
            })
            .map_err(|source| HostError::Io {
                what: "starting an engine thread",
                source,
            })?;
        slot.thread = Some(thread);
        Ok(())
    }

    fn slot_index(&self, engine: Engine) -> usize {
        self.slots
            .iter()
            .position(|s| s.engine == engine)
            .unwrap_or_default()
    }

    /// An engine's thread ended.
    async fn exited(&mut self, engine: Engine, outcome: Result<(), String>) {
        let cancelled = self.cancel.is_cancelled();
        let index = self.slot_index(engine);
        if let Some(thread) = self.slots[index].thread.take() {
            let _ = tokio::task::spawn_blocking(move || thread.join()).await;
        }
        if cancelled {
            return;
        }
        if std::mem::take(&mut self.slots[index].stopping) {
            tracing::info!(engine = engine.name(), "engine stopped");
            // Enabled again by a reload while it was stopping.
            if self.slots[index].enabled {
                self.slots[index].restart_at = Some(tokio::time::Instant::now());
            }
            return;
        }
        let message = match outcome {
            Ok(()) => "stopped on its own".to_string(),
            Err(e) => e,
        };
        let now = crate::now_ms();
        let slot = &mut self.slots[index];
        slot.last_error = Some(message.clone());
        let next = slot.policy.failed(now);
        let text = match next {
            Next::RestartAfter(delay) => {
                slot.restart_at = Some(tokio::time::Instant::now() + delay);
                slot.report_tx.send_modify(|r| {
                    r.health = Health::Degraded(format!(
                        "restarting in {} ms after: {message}",
                        delay.as_millis()
                    ))
                });
                tracing::error!(
                    engine = engine.name(),
                    restart_in_ms = delay.as_millis() as u64,
                    "engine stopped: {message}; restarting"
                );
                format!(
                    "engine stopped: {message}; restarting in {} ms",
                    delay.as_millis()
                )
            }
            Next::GiveUp => {
                slot.report_tx
                    .send_modify(|r| r.health = Health::Failed(message.clone()));
                tracing::error!(
                    engine = engine.name(),
                    "ENGINE FAILED: {message}; it failed {} times within {} minutes and is \
                     not restarted (the watchdog is no longer fed; a reload restarts it)",
                    crate::restart::MAX_RESTARTS + 1,
                    crate::restart::WINDOW_MS / 60_000
                );
                format!("engine failed and is not restarted: {message}")
            }
        };
        self.emit(Event::new(
            now,
            EventKind::EngineError {
                engine: engine.source(),
                message: text,
            },
        ));
    }

    /// Send an event from the supervisor without waiting: a full bus (a
    /// stalled journal) must not freeze signals, restarts and the watchdog.
    fn emit(&self, event: Event) {
        let summary = event.summary();
        if !self.bus.offer(event) {
            tracing::error!("event bus full, event not journaled (it is in this log): {summary}");
        }
    }

    /// Start engines whose restart delay has passed. Returns whether
    /// anything changed.
    fn restart_due(&mut self) -> Result<bool, HostError> {
        let now = tokio::time::Instant::now();
        let due: Vec<Engine> = self
            .slots
            .iter()
            .filter(|s| s.restart_at.is_some_and(|at| at <= now))
            .map(|s| s.engine)
            .collect();
        for engine in &due {
            let index = self.slot_index(*engine);
            self.slots[index].restart_at = None;
            tracing::info!(engine = engine.name(), "restarting engine");
            self.start(*engine)?;
        }
        Ok(!due.is_empty())
    }

    /// Engines whose thread runs but whose loop has not turned for
    /// `STUCK_AFTER` count as failed until they beat again. Returns whether
    /// anything changed.
    fn check_heartbeats(&mut self) -> bool {
        let limit = self.faults.stuck_after.unwrap_or(STUCK_AFTER);
        let now = crate::now_ms();
        let mut changed = false;
        let mut events = Vec::new();
        for slot in &mut self.slots {
            if !slot.enabled || slot.thread.is_none() || slot.stopping {
                continue;
            }
            let silent_ms = now.saturating_sub(slot.heartbeat.load(Ordering::Relaxed));
            let silent = silent_ms > limit.as_millis() as i64;
            match (&slot.stuck, silent) {
                (None, true) => {
                    let why = format!(
                        "not responding: its loop has not turned for {} s (stuck in a call?)",
                        silent_ms / 1000
                    );
                    tracing::error!(
                        engine = slot.engine.name(),
                        "ENGINE NOT RESPONDING: {why}; the watchdog is no longer fed"
                    );
                    events.push(Event::new(
                        now,
                        EventKind::EngineError {
                            engine: slot.engine.source(),
                            message: why.clone(),
                        },
                    ));
                    slot.stuck = Some(why);
                    changed = true;
                }
                (Some(_), false) => {
                    tracing::warn!(engine = slot.engine.name(), "engine responding again");
                    slot.stuck = None;
                    changed = true;
                }
                _ => {}
            }
        }
        for event in events {
            self.emit(event);
        }
        changed
    }

    /// READY=1 once every enabled engine has reported. Returns whether
    /// anything changed.
    fn check_ready(&mut self) -> bool {
        let changed = self
            .slots
            .iter_mut()
            .any(|s| s.report_rx.has_changed().unwrap_or(false));
        for slot in &mut self.slots {
            slot.report_rx.mark_unchanged();
        }
        if self.ready {
            return changed;
        }
        let all_reported = self
            .slots
            .iter()
            .filter(|s| s.enabled)
            .all(|s| s.health() != Health::Starting || s.stuck.is_some());
        if !all_reported {
            return changed;
        }
        self.ready = true;
        let summary: Vec<String> = self
            .slots
            .iter()
            .filter(|s| s.enabled)
            .map(|s| format!("{}: {}", s.engine.name(), describe(&s.health())))
            .collect();
        tracing::info!(
            enforce = self.options.enforce,
            engines = %summary.join(", "),
            "clawguard running"
        );
        self.notifier.ready();
        self.notifier.status(&format!(
            "{}{}",
            summary.join(", "),
            if self.options.enforce {
                ""
            } else {
                " (detect-only)"
            }
        ));
        true
    }

    fn failed(&self) -> Vec<Engine> {
        self.slots
            .iter()
            .filter(|s| s.enabled && (s.stuck.is_some() || matches!(s.health(), Health::Failed(_))))
            .map(|s| s.engine)
            .collect()
    }

    /// SIGHUP: read and build the configuration once; publish it when it
    /// builds, change nothing when it does not.
    async fn reload(&mut self) {
        self.notifier.reloading();
        let path = self.options.config_path.clone();
        let from_file = self.options.started_from_file;
        let state_dir = self.options.state_dir.clone();
        let loaded = tokio::task::spawn_blocking(move || {
            let config = load_for_reload(&path, from_file)?;
            let build = validate(&config, &state_dir)?;
            Ok::<_, String>((config, build))
        })
        .await
        .unwrap_or_else(|e| Err(format!("reload task failed: {e}")));
        match loaded {
            Ok((config, build)) => {
                let running = Arc::clone(&self.config_tx.borrow());
                for note in needs_restart(&running, &config) {
                    tracing::warn!("reload: {note} takes effect at the next start");
                }
                let published = Arc::new(config.clone());
                *self
                    .inputs
                    .ban_build
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) =
                    Some((Arc::clone(&published), build));
                self.config_tx.send_replace(published);
                tracing::info!("configuration reloaded and published to every engine");
                self.apply_enablement(&config);
            }
            Err(e) => tracing::error!(
                "reload refused, keeping the running configuration (nothing changed): {e}"
            ),
        }
        // READY=1 after a reload only once start-up has sent it.
        if self.ready {
            self.notifier.reloaded();
        }
    }

    /// Engines turned on by a reload start; failed engines get a fresh
    /// start; engines turned off stop.
    fn apply_enablement(&mut self, config: &Config) {
        for index in 0..self.slots.len() {
            let engine = self.slots[index].engine;
            let enabled = engine.enabled(config);
            let failed = matches!(self.slots[index].health(), Health::Failed(_));
            let slot = &mut self.slots[index];
            slot.enabled = enabled;
            if enabled && (failed || (slot.thread.is_none() && slot.restart_at.is_none())) {
                tracing::info!(engine = engine.name(), "reload: starting engine");
                slot.policy.reset();
                slot.restart_at = Some(tokio::time::Instant::now());
            } else if !enabled {
                slot.restart_at = None;
                slot.report_tx.send_modify(|r| r.health = Health::Starting);
                if slot.thread.is_some() {
                    tracing::info!(
                        engine = engine.name(),
                        "reload: engine disabled, stopping it"
                    );
                    slot.stopping = true;
                    if let Some(cancel) = &slot.cancel {
                        cancel.cancel();
                    }
                }
            }
        }
    }

    fn write_status(&mut self) {
        let stats = self
            .writer_stats
            .lock()
            .map(|s| s.clone())
            .unwrap_or_default();
        let status = DaemonStatus {
            pid: std::process::id(),
            started_ms: self.started_ms,
            updated_ms: crate::now_ms(),
            ready: self.ready,
            watchdog_fed: self.failed().is_empty(),
            enforce: self.options.enforce,
            engines: self
                .slots
                .iter()
                .map(|s| {
                    let report = s.report_rx.borrow().clone();
                    EngineStatus {
                        engine: s.engine,
                        enabled: s.enabled,
                        health: if let (true, Some(why)) = (s.enabled, &s.stuck) {
                            Health::Failed(why.clone())
                        } else if s.enabled {
                            report.health
                        } else {
                            Health::Degraded("disabled in the configuration".into())
                        },
                        since_ms: s.since_ms,
                        restarts: s.policy.restarts(),
                        last_error: s.last_error.clone(),
                        running_without: report.running_without,
                    }
                })
                .collect(),
            journal: JournalStatus {
                path: self.journal_path.clone(),
                last_seq: stats.last_seq,
                events: stats.events,
                body_bytes: stats.body_bytes,
                dropped_unacknowledged: stats.dropped_unacknowledged,
                failing: stats.failing,
            },
        };
        match status::write(&self.options.state_dir, &status) {
            Ok(()) => self.status_error = None,
            Err(e) => {
                let text = e.to_string();
                if self.status_error.as_ref() != Some(&text) {
                    tracing::warn!("{} not written: {text}", status::STATUS_FILE);
                    self.status_error = Some(text);
                }
            }
        }
    }
}

fn describe(health: &Health) -> String {
    match health {
        Health::Starting => "starting".into(),
        Health::Ok => "ok".into(),
        Health::Degraded(why) => format!("degraded ({why})"),
        Health::Failed(why) => format!("FAILED ({why})"),
    }
}

/// Settings a running daemon cannot change.
fn needs_restart(running: &Config, next: &Config) -> Vec<&'static str> {
    let mut notes = Vec::new();
    if running.daemon != next.daemon {
        notes.push("[daemon] (state_dir, log_level)");
    }
    if running.journal != next.journal {
        notes.push("[journal] (retention, host)");
    }
    notes
}

/// Read the configuration for SIGHUP. When the daemon started from a file,
/// that file must still be there.
fn load_for_reload(path: &std::path::Path, started_from_file: bool) -> Result<Config, String> {
    if started_from_file && !path.exists() {
        return Err(format!(
            "{} is gone; the daemon was started from it and will not fall back to the \
             built-in defaults (they would drop its ignoreip and trusted proxies)",
            path.display()
        ));
    }
    Config::load_or_default(path, started_from_file).map_err(|e| e.to_string())
}

/// The kernel's host name, for events.
fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|s| s.trim().chars().take(253).collect::<String>())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "localhost".into())
}
