//! `clawguard run`: the daemon's lifecycle.
//!
//! | Signal  | Effect |
//! |---------|--------|
//! | SIGTERM, SIGINT | clean stop: sources closed, positions saved; bans stay in the kernel with their timeouts |
//! | SIGHUP  | reload: the new config is built (jails, filters, formulas, sources) before anything is swapped; on any error the running one stays and the log says why |

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{Context, Result};
use clawguard_config::Config;
use clawguard_event::Event;
use clawguard_jails::runtime::{self, Control, Options};
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::{mpsc, oneshot, watch};

use crate::context::Globals;
use crate::exit::{self, Failure};
use crate::notify::Notifier;

/// Start every enabled engine and run until SIGTERM.
pub fn run(globals: Globals, detect_only: bool) -> Result<u8> {
    // One daemon per state dir, held until this returns; the CLI sees it
    // and leaves the firewall to this daemon.
    let _lock = clawguard_state::daemon_lock::DaemonLock::acquire(&globals.state_dir)?;
    init_logging(&globals.config);
    let enforce = !detect_only && globals.config.firewall.enabled;
    if enforce {
        check_firewall_privilege()?;
    } else {
        let why = if detect_only {
            "--detect-only was given"
        } else {
            "[firewall] enabled = false"
        };
        eprintln!(
            "clawguard: DETECT-ONLY MODE ({why}): failures are detected and bans recorded, \
             but NOTHING IS ENFORCED in the firewall."
        );
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("clawguard")
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(serve(globals, enforce))?;
    Ok(exit::OK)
}

fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(&config.daemon.log_level));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .try_init();
}

/// Refuse to start, saying exactly why, when the firewall can't be changed.
fn check_firewall_privilege() -> Result<()> {
    let has_cap = has_net_admin();
    let attempt = clawguard_nft::Firewall::connect().and_then(|mut fw| fw.install());
    match attempt {
        Ok(()) => Ok(()),
        Err(e) => {
            let cap = match has_cap {
                Some(true) => "the process has CAP_NET_ADMIN",
                Some(false) => "the process lacks CAP_NET_ADMIN",
                None => "CAP_NET_ADMIN could not be checked",
            };
            Err(Failure::NoPrivilege(format!(
                "cannot change the firewall: installing nftables table inet clawguard failed: {e} \
                 ({cap}). Run as root or with CAP_NET_ADMIN (packaging/clawguard.service grants it), \
                 or pass --detect-only to detect and record without enforcing."
            ))
            .into())
        }
    }
}

/// Whether CAP_NET_ADMIN (bit 12) is in the effective set, from /proc.
fn has_net_admin() -> Option<bool> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let hex = status
        .lines()
        .find_map(|l| l.strip_prefix("CapEff:"))?
        .trim();
    let caps = u64::from_str_radix(hex, 16).ok()?;
    Some(caps & (1 << 12) != 0)
}

async fn serve(globals: Globals, enforce: bool) -> Result<()> {
    let notifier = Notifier::from_env();
    // A daemon started from a file must never fall back to the built-in
    // defaults on reload: that would drop its ignoreip and trusted proxies.
    let started_from_file = globals.config_path.exists();
    let build =
        runtime::build(globals.config.clone()).map_err(|e| Failure::Usage(e.to_string()))?;
    for warning in &build.catalog.warnings {
        tracing::warn!("{warning}");
    }

    let (events_tx, events_rx) = mpsc::channel::<Event>(4096);
    let events_task = tokio::spawn(log_events(events_rx));
    let fim = start_fim(&globals, events_tx.clone());
    let (control_tx, control_rx) = mpsc::channel::<Control>(8);
    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    let (ready_tx, ready_rx) = oneshot::channel();

    let options = Options {
        state_dir: globals.state_dir.clone(),
        enforce,
    };
    let engine = tokio::spawn(runtime::run(
        build,
        options,
        events_tx,
        control_rx,
        shutdown_rx,
        ready_tx,
    ));

    match ready_rx.await {
        Ok(report) => {
            tracing::info!(
                jails = report.jails,
                sources = report.sources,
                restored_bans = report.restored_bans,
                enforce,
                "clawguard running"
            );
            notifier.ready();
            notifier.status(&format!(
                "{} jails, {} sources, {} active bans{}",
                report.jails,
                report.sources,
                report.restored_bans,
                if enforce { "" } else { " (detect-only)" }
            ));
        }
        Err(_) => {
            // The engine stopped before it was ready; its error follows.
            return match engine.await {
                Ok(Ok(())) => Ok(()),
                Ok(Err(e)) => Err(e.into()),
                Err(e) => Err(anyhow::anyhow!("ban engine task failed: {e}")),
            };
        }
    }

    let mut terminate = signal(SignalKind::terminate()).context("SIGTERM handler")?;
    let mut interrupt = signal(SignalKind::interrupt()).context("SIGINT handler")?;
    let mut hangup = signal(SignalKind::hangup()).context("SIGHUP handler")?;
    let watchdog_every = Notifier::watchdog_interval().unwrap_or(Duration::from_secs(3600));
    let mut watchdog = tokio::time::interval(watchdog_every);
    let mut engine = engine;

    loop {
        tokio::select! {
            _ = terminate.recv() => break,
            _ = interrupt.recv() => break,
            _ = hangup.recv() => {
                notifier.reloading();
                match load_for_reload(&globals, started_from_file) {
                    Ok(build) => {
                        for warning in &build.catalog.warnings {
                            tracing::warn!("{warning}");
                        }
                        let (reply_tx, reply_rx) = oneshot::channel();
                        if control_tx.send(Control::Reload(Box::new(build), reply_tx)).await.is_err() {
                            break;
                        }
                        match reply_rx.await {
                            Ok(Ok(())) => tracing::info!("configuration reloaded"),
                            Ok(Err(e)) => tracing::error!("reload refused, keeping the running configuration: {e}"),
                            Err(_) => break,
                        }
                    }
                    Err(e) => tracing::error!("reload refused, keeping the running configuration: {e:#}"),
                }
                notifier.reloaded();
            }
            _ = watchdog.tick() => notifier.watchdog(),
            result = &mut engine => {
                return match result {
                    Ok(Ok(())) => Ok(()),
                    Ok(Err(e)) => Err(e.into()),
                    Err(e) => Err(anyhow::anyhow!("ban engine task failed: {e}")),
                };
            }
        }
    }

    tracing::info!("stopping");
    notifier.stopping();
    let _ = shutdown_tx.send(true);
    match tokio::time::timeout(Duration::from_secs(10), engine).await {
        Ok(Ok(Ok(()))) => {}
        Ok(Ok(Err(e))) => return Err(e.into()),
        Ok(Err(e)) => return Err(anyhow::anyhow!("ban engine task failed: {e}")),
        Err(_) => tracing::warn!("ban engine did not stop within 10s"),
    }
    if let Some(fim) = fim {
        fim.stop().await;
    }
    drop(control_tx);
    let _ = tokio::time::timeout(Duration::from_secs(2), events_task).await;
    Ok(())
}

/// The file-integrity engine's threads (scheduled full check and realtime
/// watcher) and the thread that forwards their events to the pipeline.
struct FimThreads {
    stop: Arc<AtomicBool>,
    handles: Vec<std::thread::JoinHandle<Result<(), clawguard_fim::FimError>>>,
    forward: std::thread::JoinHandle<()>,
}

/// How long after start-up the first scheduled full check runs, so a
/// restart does not hash the whole policy at once with everything else.
const FIRST_FIM_CHECK_AFTER: Duration = Duration::from_secs(60);

/// Starts the fim engine when `[fim] enabled`. A failure to start (no
/// baseline yet, no fanotify/inotify) is logged and the rest of the daemon
/// runs on.
fn start_fim(globals: &Globals, events: mpsc::Sender<Event>) -> Option<FimThreads> {
    let config = &globals.config.fim;
    if !config.enabled {
        return None;
    }
    let (tx, rx) = std::sync::mpsc::channel::<Event>();
    let stop = Arc::new(AtomicBool::new(false));
    let handles = match clawguard_fim::realtime::start_engine(
        config,
        &globals.state_dir,
        FIRST_FIM_CHECK_AFTER,
        tx,
        Arc::clone(&stop),
    ) {
        Ok(handles) => handles,
        Err(e) => {
            tracing::warn!("fim engine not started: {e}");
            return None;
        }
    };
    let limits = clawguard_skills::Limits::from_config(&globals.config.skills);
    let audit_skills = globals.config.skills.enabled;
    let forward =
        std::thread::spawn(move || forward_fim_events(&rx, &events, audit_skills, &limits));
    tracing::info!("fim engine running");
    Some(FimThreads {
        stop,
        handles,
        forward,
    })
}

/// How often the forwarding thread looks for skills whose changes went quiet.
const SKILL_RESCAN_TICK: Duration = Duration::from_millis(250);

/// Forwards fim events to the pipeline until every fim thread has dropped
/// its sender. A change under a skill, hook or plugin directory also queues
/// that skill; once its burst of changes is quiet, the skill auditor runs on
/// it and its findings (medium and above) follow as events.
fn forward_fim_events(
    rx: &std::sync::mpsc::Receiver<Event>,
    events: &mpsc::Sender<Event>,
    audit_skills: bool,
    limits: &clawguard_skills::Limits,
) {
    use std::sync::mpsc::RecvTimeoutError;
    let mut queue = clawguard_skills::RescanQueue::default();
    loop {
        let mut now = crate::context::now_ms();
        match rx.recv_timeout(SKILL_RESCAN_TICK) {
            Ok(event) => {
                now = event.time_ms;
                let mut audit_now = None;
                if audit_skills
                    && let clawguard_event::EventKind::FileChanged { path, .. } = &event.kind
                {
                    audit_now = queue.note(std::path::Path::new(path), now);
                }
                if events.blocking_send(event).is_err() {
                    return;
                }
                if let Some(skill) = audit_now {
                    audit_skill(&skill, events, limits);
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        for skill in queue.due(now) {
            audit_skill(&skill, events, limits);
        }
    }
}

/// Audits one changed skill and sends its findings.
fn audit_skill(
    skill: &std::path::Path,
    events: &mpsc::Sender<Event>,
    limits: &clawguard_skills::Limits,
) {
    let now = crate::context::now_ms();
    if !skill.exists() {
        return; // removed: the fim event already says so
    }
    match clawguard_skills::scan_path(skill, limits) {
        Ok(report) => {
            tracing::info!(skill = %skill.display(), verdict = ?report.verdict, "skill changed: audited");
            for event in report.events(now, clawguard_event::Severity::Medium) {
                if events.blocking_send(event).is_err() {
                    return;
                }
            }
        }
        Err(e) => {
            let event = Event::new(
                now,
                clawguard_event::EventKind::EngineError {
                    engine: clawguard_event::Engine::Skills,
                    message: format!("auditing changed skill {}: {e}", skill.display()),
                },
            );
            let _ = events.blocking_send(event);
        }
    }
}

impl FimThreads {
    async fn stop(self) {
        self.stop.store(true, Ordering::Relaxed);
        let joined = tokio::task::spawn_blocking(move || {
            for handle in self.handles {
                match handle.join() {
                    Ok(Ok(())) => {}
                    Ok(Err(e)) => tracing::warn!("fim thread ended with an error: {e}"),
                    Err(_) => tracing::error!("fim thread panicked"),
                }
            }
            let _ = self.forward.join();
        });
        if tokio::time::timeout(Duration::from_secs(5), joined)
            .await
            .is_err()
        {
            tracing::warn!("fim engine did not stop within 5s");
        }
    }
}

/// Read and build the configuration for SIGHUP; nothing runs yet. When the
/// daemon started from a file, that file must still be there.
fn load_for_reload(globals: &Globals, started_from_file: bool) -> Result<runtime::Build> {
    let path = &globals.config_path;
    if started_from_file && !path.exists() {
        anyhow::bail!(
            "{} is gone; the daemon was started from it and will not fall back to the \
             built-in defaults (they would drop its ignoreip and trusted proxies)",
            path.display()
        );
    }
    let config = Config::load_or_default(path, started_from_file)?;
    Ok(runtime::build(config)?)
}

/// Until the alerting pipeline lands, events go to the log.
async fn log_events(mut events: mpsc::Receiver<Event>) {
    while let Some(event) = events.recv().await {
        tracing::warn!(
            kind = event.kind_id(),
            severity = ?event.severity(),
            "{}",
            event.summary()
        );
    }
}
