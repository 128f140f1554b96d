//! The closed set of engines, what each gets to run (its context), and what
//! it reports back (its health).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clawguard_config::Config;
use clawguard_journal::Bus;
use serde::{Deserialize, Serialize};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

/// Every engine the daemon can run. Closed on purpose: the supervisor starts
/// engines with one exhaustive `match` ([`crate::engines::run`]), so a new
/// variant does not compile until it is wired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    Ban,
    Fim,
    Skills,
    Alert,
}

impl Engine {
    pub const ALL: [Engine; 4] = [Engine::Ban, Engine::Fim, Engine::Skills, Engine::Alert];

    pub fn name(self) -> &'static str {
        match self {
            Engine::Ban => "ban",
            Engine::Fim => "fim",
            Engine::Skills => "skills",
            Engine::Alert => "alert",
        }
    }

    /// The source its events carry.
    pub fn source(self) -> clawguard_event::Engine {
        match self {
            Engine::Ban => clawguard_event::Engine::Ban,
            Engine::Fim => clawguard_event::Engine::Fim,
            Engine::Skills => clawguard_event::Engine::Skills,
            Engine::Alert => clawguard_event::Engine::Alert,
        }
    }

    /// Whether the configuration runs it.
    pub fn enabled(self, config: &Config) -> bool {
        match self {
            // Detect-only when the firewall is off; the engine still runs.
            Engine::Ban => true,
            Engine::Fim => config.fim.enabled,
            Engine::Skills => config.skills.enabled,
            Engine::Alert => config.alert.enabled,
        }
    }

    pub fn parse(text: &str) -> Option<Engine> {
        Engine::ALL.into_iter().find(|e| e.name() == text)
    }
}

/// How an engine is doing, as it reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", content = "why", rename_all = "lowercase")]
pub enum Health {
    Starting,
    Ok,
    /// Running, but not doing all of its job.
    Degraded(String),
    /// Stopped and not restarted: it failed too often.
    Failed(String),
}

/// What an engine reports: its health and what it runs without.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub health: Health,
    /// Capabilities it lacks here, each saying what is lost (fanotify's
    /// who-data without CAP_SYS_ADMIN, …).
    pub running_without: Vec<String>,
}

impl Report {
    pub fn starting() -> Self {
        Self {
            health: Health::Starting,
            running_without: Vec::new(),
        }
    }
}

/// An engine's end of its health watch.
#[derive(Debug, Clone)]
pub struct HealthReporter {
    tx: Arc<watch::Sender<Report>>,
    /// Wakes the supervisor, so READY=1 and the status file follow a
    /// change at once rather than at its next tick.
    changed: Arc<tokio::sync::Notify>,
}

impl HealthReporter {
    pub fn new(tx: Arc<watch::Sender<Report>>, changed: Arc<tokio::sync::Notify>) -> Self {
        Self { tx, changed }
    }

    pub fn set(&self, health: Health) {
        let modified = self.tx.send_if_modified(|report| {
            let changed = report.health != health;
            report.health = health;
            changed
        });
        if modified {
            self.changed.notify_one();
        }
    }

    pub fn running_without(&self, missing: Vec<String>) {
        let modified = self.tx.send_if_modified(|report| {
            let changed = report.running_without != missing;
            report.running_without = missing;
            changed
        });
        if modified {
            self.changed.notify_one();
        }
    }
}

/// Everything an engine gets to run.
#[derive(Clone)]
pub struct Context {
    pub engine: Engine,
    /// The running configuration; a reload publishes a new one here.
    pub config: watch::Receiver<Arc<Config>>,
    /// Where its events go.
    pub bus: Bus,
    /// Cancelled when the daemon stops.
    pub cancel: CancellationToken,
    pub state_dir: PathBuf,
    pub health: HealthReporter,
    /// Whether the firewall is written (false: detect-only).
    pub enforce: bool,
    /// Test hooks (debug builds only; always empty in release builds).
    pub faults: crate::fault::Faults,
    /// The daemon's shared runtime, for async IO that must not wait behind
    /// an engine's blocking work (the ban engine's log sources).
    pub runtime: tokio::runtime::Handle,
    /// When the engine last said it is alive ([`Context::beat`]); the
    /// supervisor counts an engine silent for too long as failed.
    pub heartbeat: Arc<std::sync::atomic::AtomicI64>,
}

impl Context {
    /// Sleep up to `limit`, waking early when cancelled. Returns whether the
    /// engine should go on.
    pub fn pause(&self, limit: Duration) -> bool {
        let deadline = std::time::Instant::now() + limit;
        while !self.cancel.is_cancelled() {
            self.beat();
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                return true;
            }
            std::thread::sleep(left.min(Duration::from_millis(50)));
        }
        false
    }

    /// Say the engine's loop is turning. Every engine calls it at least
    /// once a second while it runs; one that stops (a deadlock, a blocking
    /// call that never returns) is reported as not responding, and the
    /// watchdog is no longer fed.
    pub fn beat(&self) {
        self.heartbeat
            .store(crate::now_ms(), std::sync::atomic::Ordering::Relaxed);
    }

    /// For a send that waits on a full bus: the engine is waiting, not
    /// stuck (so it beats), and gives up when cancelled.
    pub fn waiting_on_bus(&self) -> bool {
        self.beat();
        self.cancel.is_cancelled()
    }

    /// The configuration now.
    pub fn current_config(&self) -> Arc<Config> {
        Arc::clone(&self.config.borrow())
    }
}
