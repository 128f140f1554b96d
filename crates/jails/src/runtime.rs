//! The running ban engine: sources → filters → decisions → state → nftables.
//!
//! One async loop owns the decision core, the filters, the state database
//! and the firewall socket, so there is no locking: lines arrive over a
//! bounded channel (backpressure, never loss), are processed in batches, and
//! every batch's bans are written to SQLite *before* they are applied to the
//! kernel and announced as events. The loop runs on a thread of its own
//! (the engine host gives it a current-thread runtime), so its SQLite and
//! netlink calls never block the daemon's shared runtime.
//!
//! Events go out through an [`Outbox`], which never waits: a stalled journal
//! cannot delay a ban. A batch's read positions are saved only once the
//! events the batch caused are committed to the journal (a barrier behind
//! them), so a `kill -9` at any point neither loses an event nor skips a
//! line; `Banned` events carry a once-key and bans whose event may not have
//! reached the journal are announced again at start-up, exactly once.
//!
//! When SQLite cannot be written (a lock held past the busy timeout, a full
//! disk, a database that does not open), the engine runs degraded instead of
//! stopping: bans still go to nftables, are queued in memory (bounded, see
//! [`clawguard_state::pending`]) and written with backoff once the database
//! accepts writes again. Entering and leaving that mode is logged loudly.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use clawguard_ban::{BanOrder, Decision, Engine, History, IgnoreReason, JailPolicy, Limits};
use clawguard_config::Config;
use clawguard_event::{Event, EventKind, UnbanReason};
use clawguard_journal::{Bus, OUTBOX_CAPACITY, Outbox};
use clawguard_logwatch::{LogLine, Position, SourceId, SourceSpec, SourceStart, StartAt};
use clawguard_nft::{BanOp, Firewall};
use clawguard_state::health::{HEALTH_FILE, HealthFile};
use clawguard_state::pending::{Backoff, MAX_PENDING_BANS, PendingBans};
use clawguard_state::{BanRecord, ControlRequest, State};
use tokio::sync::{mpsc, oneshot, watch};

use crate::catalog::{Catalog, SourcePlan};
use crate::log_rules::{self, LiveRule};
use crate::matcher::JailFilter;
use crate::positions;

/// Lines taken from the channel per batch at most.
pub const MAX_BATCH_LINES: usize = 1024;
/// Capacity of the line channel between sources and the engine.
pub const LINE_CHANNEL: usize = 8192;
/// Ban history older than this is not restored (fail2ban's `dbpurgeage`
/// default is one day; increments want a longer memory).
pub const HISTORY_MS: i64 = 30 * 24 * 3600 * 1000;

/// Batches whose positions may wait for the journal at once; beyond it the
/// oldest two merge (their positions then wait for the later barrier).
const MAX_HELD_BATCHES: usize = 256;

/// Most bans announced again at one start (below the outbox's bound); the
/// rest stay after the marker and are announced at the next start.
const MAX_ANNOUNCED_AT_START: usize = 50_000;

/// How long the last events may take to reach the journal at shutdown.
const SHUTDOWN_DRAIN: Duration = Duration::from_secs(3);

/// Busy timeout while degraded: a retry must not stall the engine's loop.
const DEGRADED_BUSY_TIMEOUT: Duration = Duration::from_millis(200);

/// Why and since when the state database cannot be written.
struct Degraded {
    since_ms: i64,
    reason: String,
    backoff: Backoff,
}

/// The jail under which bans found only in nftables are stored on catch-up.
pub const ADOPTED_JAIL: &str = "recovered";

/// How the engine runs.
#[derive(Debug, Clone)]
pub struct Options {
    pub state_dir: PathBuf,
    /// Apply bans in nftables; `false` detects and records only.
    pub enforce: bool,
    /// Where the log sources' tasks run. The engine's own loop blocks its
    /// thread on SQLite and netlink; sources on another runtime keep
    /// reading meanwhile. `None`: the engine's runtime.
    pub sources_runtime: Option<tokio::runtime::Handle>,
}

/// Requests from the daemon.
pub enum Control {
    /// Swap in a new configuration, already built by [`build`]. The reply
    /// says whether it runs now; on an error the running one stays.
    Reload(Box<Build>, oneshot::Sender<Result<(), String>>),
}

/// A configuration built and checked, ready to run: the resolved jails, their
/// compiled filters, their ban policies (formulas get a trial run), their
/// log sources, and the log rules (`[alert.log_rule.*]`) with theirs.
/// Start-up, SIGHUP and `check-config` all go through [`build`],
/// so whatever would stop the engine is found before anything runs or is
/// swapped.
pub struct Build {
    pub config: Config,
    pub catalog: Catalog,
    filters: Vec<LiveJail>,
    /// Per jail (same index as `catalog.jails`), the sources it reads.
    sources: Vec<Vec<SourceSpec>>,
    /// The enabled log rules (`[alert.log_rule.*]`), compiled.
    pub log_rules: Vec<LiveRule>,
    /// Per log rule (same index), the sources it reads.
    rule_sources: Vec<Vec<SourceSpec>>,
}

/// Why a configuration cannot run.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Catalog(#[from] crate::catalog::CatalogError),
    #[error(transparent)]
    Policy(#[from] clawguard_ban::BanError),
    #[error("jail {jail}: {message}")]
    Jail { jail: String, message: String },
    #[error(transparent)]
    LogRule(#[from] crate::log_rules::LogRuleError),
}

/// Resolve, compile and check everything a configuration needs to run.
/// Reads the fail2ban directory and expands log globs; starts nothing.
pub fn build(config: Config) -> Result<Build, BuildError> {
    let catalog = crate::catalog::resolve(&config)?;
    // Compiled exactly as the engine compiles them at start and on reload.
    Engine::new(policies(&catalog), Limits::default(), 0)?;
    let filters = build_filters(&catalog, &config)?;
    let mut sources = Vec::with_capacity(catalog.jails.len());
    for jail in &catalog.jails {
        let mut specs = Vec::with_capacity(jail.sources.len());
        for plan in &jail.sources {
            let spec = source_spec(plan);
            spec.validate().map_err(|e| BuildError::Jail {
                jail: jail.name.clone(),
                message: format!("log source {}: {e}", describe_plan(plan)),
            })?;
            specs.push(spec);
        }
        sources.push(specs);
    }
    let rules = log_rules::build(&config, &catalog)?;
    let mut rule_sources = Vec::with_capacity(rules.len());
    for rule in &rules {
        let mut specs = Vec::with_capacity(rule.sources.len());
        for plan in &rule.sources {
            let spec = source_spec(plan);
            spec.validate().map_err(|e| log_rules::LogRuleError {
                rule: rule.name.clone(),
                message: format!("log source {}: {e}", describe_plan(plan)),
            })?;
            specs.push(spec);
        }
        rule_sources.push(specs);
    }
    Ok(Build {
        config,
        catalog,
        filters,
        sources,
        log_rules: rules,
        rule_sources,
    })
}

/// A source plan in an error message; a gateway glob that matches no
/// directory says so instead of "without directories".
fn describe_plan(plan: &SourcePlan) -> String {
    match plan {
        SourcePlan::Openclaw { dirs, .. } if expand_dirs(dirs).is_empty() => format!(
            "{} (no directory matches {:?} now)",
            plan.key(),
            dirs.join(", ")
        ),
        _ => plan.key(),
    }
}

/// Sent once start-up is complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StartupReport {
    pub jails: usize,
    /// Log rules running (`[alert.log_rule.*]`).
    pub log_rules: usize,
    /// Sources started: one per distinct source, however many jails and
    /// log rules read it.
    pub sources: usize,
    pub restored_bans: usize,
}

/// Errors that stop the engine.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    #[error(transparent)]
    State(#[from] clawguard_state::StateError),
    #[error("firewall: {0}")]
    Firewall(#[from] clawguard_nft::NftError),
    #[error("jail {jail}: {message}")]
    Jail { jail: String, message: String },
    #[error("log source: {0}")]
    Source(#[from] clawguard_logwatch::SpecError),
}

use clawguard_sys::clock::now_ms;

/// One jail while running.
struct LiveJail {
    name: String,
    filter: JailFilter,
    /// Lines too long to match, since this jail's filter was built.
    truncated_lines: u64,
}

/// The running sources of one configuration generation.
struct Sources {
    stop: watch::Sender<bool>,
    /// Jails and log rules subscribed to each source.
    subscribers: HashMap<SourceId, Subscribers>,
}

/// Who reads the lines of one source.
#[derive(Default)]
struct Subscribers {
    /// Indices into `Runtime::jails`.
    jails: Vec<usize>,
    /// Indices into `Runtime::log_rules`.
    rules: Vec<usize>,
}

struct Runtime {
    state_dir: PathBuf,
    /// `None` while the database does not open (start-up on a full disk).
    state: Option<State>,
    /// Bans enforced but not yet stored, while `degraded`.
    pending: PendingBans,
    degraded: Option<Degraded>,
    sources_runtime: Option<tokio::runtime::Handle>,
    /// What `clawguard status` shows about the state database.
    health: Option<HealthFile>,
    config: Config,
    catalog: Catalog,
    /// Per jail, the sources it reads (from the running [`Build`]).
    source_specs: Vec<Vec<SourceSpec>>,
    log_rules: Vec<LiveRule>,
    /// Per log rule, the sources it reads.
    rule_sources: Vec<Vec<SourceSpec>>,
    enforce: bool,
    firewall: Option<Firewall>,
    engine: Engine,
    jails: Vec<LiveJail>,
    events: Outbox,
    /// Read positions (and the newest stored ban id) of processed batches whose
    /// events are not yet committed to the journal, oldest first.
    held: VecDeque<Held>,
    /// Id of the newest stored ban whose `Banned` event is committed, not
    /// yet saved.
    ban_events_through_id: Option<i64>,
    /// Latest processed position per row key, not yet saved.
    dirty_positions: BTreeMap<String, String>,
    /// Latest processed position per row key (what a source restart resumes from).
    positions: HashMap<String, Position>,
}

/// Positions of a batch, held until its events are in the journal.
struct Held {
    token: u64,
    positions: BTreeMap<String, String>,
    /// Id of the last ban row the batch stored. Not the ban's start: that
    /// is a log line's time, which need not grow from batch to batch (a
    /// second-resolution syslog time is shared by many batches).
    newest_ban_id: Option<i64>,
}

/// The once-key of a `Banned` event: a ban announced again after a crash
/// is appended only if its first announcement never reached the journal.
pub fn banned_once_key(
    jail: &str,
    target: &ipnet::IpNet,
    start_ms: i64,
    end_ms: Option<i64>,
) -> String {
    match end_ms {
        Some(end) => format!("banned/{jail}/{target}/{start_ms}/{end}"),
        None => format!("banned/{jail}/{target}/{start_ms}/permanent"),
    }
}

/// Run the ban engine until `shutdown` turns true.
pub async fn run(
    build: Build,
    options: Options,
    events: Bus,
    mut control: mpsc::Receiver<Control>,
    mut shutdown: watch::Receiver<bool>,
    ready: oneshot::Sender<StartupReport>,
) -> Result<(), RuntimeError> {
    let (state, open_error) = match State::open(&options.state_dir) {
        Ok(state) => (Some(state), None),
        Err(e) => (None, Some(e)),
    };
    let firewall = if options.enforce {
        let mut fw = Firewall::connect()?;
        fw.install()?;
        Some(fw)
    } else {
        None
    };
    let Build {
        config,
        catalog,
        filters,
        sources: source_specs,
        log_rules,
        rule_sources,
    } = build;
    let engine =
        Engine::new(policies(&catalog), Limits::default(), now_ms() as u64).map_err(|e| {
            RuntimeError::Jail {
                jail: "*".into(),
                message: e.to_string(),
            }
        })?;
    let mut rt = Runtime {
        state_dir: options.state_dir.clone(),
        state,
        pending: PendingBans::default(),
        degraded: None,
        sources_runtime: options.sources_runtime.clone(),
        health: HealthFile::create(&options.state_dir)
            .inspect_err(|e| tracing::warn!("{HEALTH_FILE} not written: {e}"))
            .ok(),
        config,
        catalog,
        source_specs,
        log_rules,
        rule_sources,
        enforce: options.enforce,
        firewall,
        engine,
        jails: Vec::new(),
        events: Outbox::new(events, clawguard_event::Engine::Ban, OUTBOX_CAPACITY),
        held: VecDeque::new(),
        ban_events_through_id: None,
        dirty_positions: BTreeMap::new(),
        positions: HashMap::new(),
    };
    rt.engine.set_own_addresses(own_addresses());
    if let Some(e) = open_error {
        rt.state_failed("opening the database at start-up", &e, now_ms())
            .await;
    } else {
        rt.write_health("ok");
    }
    if let Some(state) = &rt.state {
        for (key, text) in state.positions()? {
            if let Some(position) = positions::decode(&text) {
                rt.positions.insert(key, position);
            }
        }
    }
    let restored = rt.restore()?;
    rt.announce_unjournaled_bans(now_ms());
    // A daemon stopped while degraded left bans only in nftables; a start
    // with a writable database stores them now, not only after a recovery.
    if rt.degraded.is_none()
        && let Err(e) = rt.adopt_kernel_bans(now_ms())
    {
        rt.state_failed("recording bans found only in nftables", &e, now_ms())
            .await;
    }
    rt.jails = filters;
    let (line_tx, mut line_rx) = mpsc::channel::<LogLine>(LINE_CHANNEL);
    let mut sources = rt.start_sources(&line_tx)?;
    let _ = ready.send(StartupReport {
        jails: rt.catalog.jails.len(),
        log_rules: rt.log_rules.len(),
        sources: sources.subscribers.len(),
        restored_bans: restored,
    });

    let mut tick = tokio::time::interval(Duration::from_millis(500));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let check_every_ms = rt.config.firewall.check_interval.as_ms().max(500);
    let mut last_check = now_ms();
    loop {
        tokio::select! {
            biased;
            _ = shutdown.changed() => {
                if *shutdown.borrow() { break; }
            }
            Some(request) = control.recv() => match request {
                Control::Reload(build, reply) => {
                    let result = rt.reload(*build, &mut sources, &line_tx).await;
                    let _ = reply.send(result);
                }
            },
            Some(line) = line_rx.recv() => {
                let mut batch = vec![line];
                while batch.len() < MAX_BATCH_LINES {
                    match line_rx.try_recv() {
                        Ok(line) => batch.push(line),
                        Err(_) => break,
                    }
                }
                rt.process_batch(batch, &sources.subscribers).await?;
            }
            _ = tick.tick() => {
                let now = now_ms();
                rt.housekeeping(now, now - last_check >= check_every_ms).await?;
                if now - last_check >= check_every_ms {
                    last_check = now;
                }
            }
        }
    }
    let _ = sources.stop.send(true);
    rt.last_write_at_shutdown().await;
    Ok(())
}

fn policies(catalog: &Catalog) -> Vec<JailPolicy> {
    catalog.jails.iter().map(|j| j.policy.clone()).collect()
}

fn build_filters(catalog: &Catalog, config: &Config) -> Result<Vec<LiveJail>, BuildError> {
    catalog
        .jails
        .iter()
        .map(|jail| {
            let filter =
                JailFilter::build(&jail.filter, &config.ban.trusted_proxies).map_err(|e| {
                    BuildError::Jail {
                        jail: jail.name.clone(),
                        message: e.to_string(),
                    }
                })?;
            Ok(LiveJail {
                name: jail.name.clone(),
                filter,
                truncated_lines: 0,
            })
        })
        .collect()
}

/// What logwatch should read for a plan.
pub fn source_spec(plan: &SourcePlan) -> SourceSpec {
    match plan {
        SourcePlan::File { pattern } => SourceSpec::File {
            pattern: PathBuf::from(pattern),
        },
        SourcePlan::Journal { matches } => {
            let mut terms = Vec::new();
            for (i, alternative) in matches.iter().enumerate() {
                if i > 0 {
                    terms.push("+".to_string());
                }
                terms.extend(alternative.iter().cloned());
            }
            SourceSpec::Journal {
                matches: terms,
                directory: None,
                files: Vec::new(),
            }
        }
        SourcePlan::Openclaw { dirs, owners } => SourceSpec::OpenClaw {
            dirs: expand_dirs(dirs),
            owners: owners.clone(),
        },
    }
}

/// Directory globs (`/tmp/openclaw-*`) expanded to what exists now, plus
/// plain paths as given (they may appear later).
fn expand_dirs(dirs: &[String]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in dirs {
        if dir.contains(['*', '?', '[']) {
            if let Ok(paths) = glob::glob(dir) {
                out.extend(paths.flatten().filter(|p| p.is_dir()));
            }
        } else {
            out.push(PathBuf::from(dir));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The host's own addresses, for `ignoreself`.
fn own_addresses() -> Vec<IpAddr> {
    let mut out = Vec::new();
    if let Ok(addrs) = nix::ifaddrs::getifaddrs() {
        for ifaddr in addrs {
            let Some(address) = ifaddr.address else {
                continue;
            };
            if let Some(v4) = address.as_sockaddr_in() {
                out.push(IpAddr::V4(v4.ip()));
            } else if let Some(v6) = address.as_sockaddr_in6() {
                out.push(IpAddr::V6(v6.ip()));
            }
        }
    }
    out
}

fn record_of(order: &BanOrder, manual: bool) -> BanRecord {
    BanRecord {
        target: order.key,
        jail: order.jail.clone(),
        start_ms: order.start_ms,
        end_ms: order.end_ms,
        failures: order.failures,
        ban_count: order.ban_count,
        manual,
    }
}

fn add_op(order: &BanOrder, now: i64) -> Option<BanOp> {
    let timeout_ms = match order.end_ms {
        None => None,
        Some(end) if end > now => Some((end - now) as u64),
        Some(_) => return None,
    };
    Some(BanOp::Add {
        net: order.key,
        timeout_ms,
    })
}

impl Runtime {
    /// Put the saved bans back into the engine and the kernel.
    fn restore(&mut self) -> Result<usize, RuntimeError> {
        let now = now_ms();
        let Some(state) = &self.state else {
            return Ok(0);
        };
        for history in state.ban_history(now - HISTORY_MS)? {
            let _ = self.engine.restore_history(
                history.target,
                &history.jail,
                History {
                    ban_count: history.bans,
                    last_ban_ms: history.last_start_ms,
                },
            );
        }
        let active = state.active_bans(now)?;
        let mut ops = Vec::with_capacity(active.len());
        for ban in &active {
            let order = BanOrder {
                key: ban.target,
                jail: ban.jail.clone(),
                start_ms: ban.start_ms,
                end_ms: ban.end_ms,
                ban_count: ban.ban_count,
                failures: ban.failures,
            };
            // A ban of a jail that no longer exists still runs its course in
            // the kernel; the engine just doesn't track it. One that would cut
            // off loopback, link-local, this host or an ignored address does not.
            let decision = self.engine.restore_ban(order.clone(), now);
            if let Ok(Decision::Ignored(IgnoreReason::Loopback | IgnoreReason::CoversExempt(_))) =
                decision
            {
                tracing::warn!(target = %order.key, jail = %order.jail,
                    "Saved ban not restored: it covers an address that is never banned.");
                continue;
            }
            // On a late restore the engine merged it with a newer ban of the
            // same key; the kernel gets the merged (never shorter) end.
            let applied = match &decision {
                Ok(Decision::Ban(merged)) => merged,
                _ => &order,
            };
            if let Some(op) = add_op(applied, now) {
                ops.push(op);
            }
        }
        if let Some(firewall) = &mut self.firewall {
            firewall.apply(&ops)?;
        }
        Ok(active.len())
    }

    fn start_sources(&mut self, tx: &mpsc::Sender<LogLine>) -> Result<Sources, RuntimeError> {
        let catalog = &self.catalog;
        let (stop, stop_rx) = watch::channel(false);
        let mut subscribers: HashMap<SourceId, Subscribers> = HashMap::new();
        let mut starts: Vec<SourceStart> = Vec::new();
        let longest_findtime = catalog
            .jails
            .iter()
            .map(|j| j.policy.find_time_ms)
            .max()
            .unwrap_or(600_000);
        // Jails first, then log rules: a rule naming a jail's source only
        // subscribes to it, so each line is read once.
        let jail_specs = self
            .source_specs
            .iter()
            .enumerate()
            .map(|(index, specs)| (false, index, specs));
        let rule_specs = self
            .rule_sources
            .iter()
            .enumerate()
            .map(|(index, specs)| (true, index, specs));
        for (is_rule, index, specs) in jail_specs.chain(rule_specs) {
            for spec in specs {
                let spec = spec.clone();
                let id = SourceId::for_spec(&spec);
                let entry = subscribers.entry(id.clone()).or_default();
                let list = if is_rule {
                    &mut entry.rules
                } else {
                    &mut entry.jails
                };
                if !list.contains(&index) {
                    list.push(index);
                }
                if starts.iter().any(|s| s.id == id) {
                    continue;
                }
                let resume: Vec<Position> = self
                    .positions
                    .iter()
                    .filter(|(key, _)| positions::source_of(key) == id.as_str())
                    .map(|(_, p)| p.clone())
                    .collect();
                starts.push(SourceStart {
                    id,
                    spec,
                    resume,
                    start_at: StartAt::SinceMs(now_ms() - longest_findtime),
                });
            }
        }
        let _on_sources_runtime = self.sources_runtime.as_ref().map(|h| h.enter());
        clawguard_logwatch::spawn(starts, tx.clone(), stop_rx)?;
        Ok(Sources { stop, subscribers })
    }

    /// Swap in a built configuration. The only step that can fail comes
    /// first and changes nothing when it does; the engine keeps running
    /// either way.
    async fn reload(
        &mut self,
        build: Build,
        sources: &mut Sources,
        tx: &mpsc::Sender<LogLine>,
    ) -> Result<(), String> {
        let lifted = self
            .engine
            .reconfigure(policies(&build.catalog))
            .map_err(|e| e.to_string())?;
        if !lifted.is_empty() {
            tracing::info!(
                bans = lifted.len(),
                "jails removed by reload: their bans run out in the kernel"
            );
        }
        let _ = sources.stop.send(true);
        self.config = build.config;
        self.catalog = build.catalog;
        self.jails = build.filters;
        self.source_specs = build.sources;
        self.log_rules = build.log_rules;
        self.rule_sources = build.rule_sources;
        self.flush_positions(now_ms()).await;
        match self.start_sources(tx) {
            Ok(started) => {
                *sources = started;
                Ok(())
            }
            // Not expected: `build` validated every source.
            Err(e) => {
                tracing::error!("log sources not restarted after reload: {e}");
                Err(format!("log sources not restarted: {e}"))
            }
        }
    }

    async fn process_batch(
        &mut self,
        batch: Vec<LogLine>,
        subscribers: &HashMap<SourceId, Subscribers>,
    ) -> Result<(), RuntimeError> {
        let now = now_ms();
        let mut orders: Vec<BanOrder> = Vec::new();
        let mut batch_positions: BTreeMap<String, String> = BTreeMap::new();
        for line in batch {
            if let Some(readers) = subscribers.get(&line.source) {
                self.match_log_rules(&line, &readers.rules, now);
                for &index in &readers.jails {
                    let Some(jail) = self.jails.get_mut(index) else {
                        continue;
                    };
                    let result =
                        jail.filter
                            .process(&line.bytes, line.truncated, line.time_ms, now);
                    if result.kind == clawguard_filter::LineKind::Truncated {
                        jail.truncated_lines += 1;
                        // Powers of two: a flood of long lines cannot flood the log.
                        if jail.truncated_lines.is_power_of_two() {
                            tracing::warn!(jail = %jail.name, source = %line.source,
                                total = jail.truncated_lines,
                                "Line longer than the limit not matched (a cut line could blame the wrong address).");
                        }
                    }
                    let time = result.time_ms.unwrap_or(now).min(now);
                    for failure in &result.failures {
                        match self.engine.failure(
                            &jail.name,
                            failure.addr,
                            failure.count,
                            time,
                            now,
                        ) {
                            Ok(Decision::Ban(order)) | Ok(Decision::Prolong(order)) => {
                                orders.push(order)
                            }
                            Ok(_) => {}
                            Err(e) => tracing::warn!(jail = %jail.name, "{e}"),
                        }
                    }
                }
            }
            let key = positions::row_key(line.source.as_str(), &line.position);
            batch_positions.insert(key.clone(), positions::encode(&line.position));
            self.positions.insert(key, line.position);
        }
        let newest_ban_id = self.commit_bans(&orders, false, now).await?;
        // The positions wait until the events this batch caused are in the
        // journal: saving them earlier could skip those lines after a crash.
        let token = self.events.barrier();
        self.hold(Held {
            token,
            positions: batch_positions,
            newest_ban_id,
        });
        self.release_committed();
        self.flush_positions(now).await;
        Ok(())
    }

    /// Every log rule reading this line's source that matches it makes one
    /// `LogMatched` event. Its once-key names the line by its position, so
    /// a line read again after a crash (its event committed, its position
    /// not yet saved) is not announced twice.
    fn match_log_rules(&mut self, line: &LogLine, rules: &[usize], now: i64) {
        if rules.is_empty() {
            return;
        }
        let source = match line.position.path() {
            Some(path) => path.display().to_string(),
            None => "journal".to_string(),
        };
        let mut texts: [Option<std::borrow::Cow<'_, str>>; 2] = [None, None];
        for &index in rules {
            let Some(rule) = self.log_rules.get_mut(index) else {
                continue;
            };
            let slot = match rule.text_of {
                log_rules::TextOf::Line => 0,
                log_rules::TextOf::OpenclawMessage => 1,
            };
            let text =
                texts[slot].get_or_insert_with(|| log_rules::match_text(&line.bytes, rule.text_of));
            if !rule.is_match(text) {
                continue;
            }
            rule.matches += 1;
            let key = format!(
                "log_matched/{}/{}/{}",
                rule.name,
                line.source,
                positions::encode(&line.position)
            );
            let kind = EventKind::LogMatched {
                rule: rule.name.clone(),
                source: source.clone(),
                severity: rule.severity,
                line: log_rules::event_line(text),
            };
            // Dated now, like every event of this engine: the journal is
            // in time order, give or take a batch.
            self.events.push_once(Event::new(now, kind), key);
        }
    }

    fn hold(&mut self, held: Held) {
        if let Some(last) = self.held.back_mut()
            && last.token == held.token
        {
            last.positions.extend(held.positions);
            last.newest_ban_id = last.newest_ban_id.max(held.newest_ban_id);
            return;
        }
        self.held.push_back(held);
        if self.held.len() > MAX_HELD_BATCHES
            && let (Some(oldest), Some(next)) = (self.held.pop_front(), self.held.front_mut())
        {
            // The later barrier covers both; the newer positions win.
            let mut merged = oldest.positions;
            merged.append(&mut next.positions);
            next.positions = merged;
            next.newest_ban_id = next.newest_ban_id.max(oldest.newest_ban_id);
        }
    }

    /// Positions whose events are committed become saveable. Once the
    /// outbox has dropped a `Banned` event the ban-event marker stops where
    /// it is, so the next start announces the dropped ones again.
    fn release_committed(&mut self) {
        let committed = self.events.committed();
        let frozen = self.events.dropped_once() > 0;
        while self.held.front().is_some_and(|h| h.token <= committed) {
            if let Some(held) = self.held.pop_front() {
                self.dirty_positions.extend(held.positions);
                if !frozen {
                    self.ban_events_through_id = self.ban_events_through_id.max(held.newest_ban_id);
                }
            }
        }
    }

    /// The row `clawguard ban add` stored for a control request.
    fn stored_manual_ban(&self, target: &ipnet::IpNet, jail: &str, now: i64) -> Option<BanRecord> {
        let state = self.state.as_ref()?;
        state
            .active_bans(now)
            .ok()?
            .into_iter()
            .filter(|b| b.manual && b.target == *target && b.jail == jail)
            .max_by_key(|b| b.start_ms)
    }

    /// Bans stored after the newest one whose `Banned` event is known to be
    /// in the journal: a crash may have come between the two writes. Their
    /// events go out again with their once-keys, so each is in the journal
    /// exactly once, whether the ban is still active or ended meanwhile.
    fn announce_unjournaled_bans(&mut self, now: i64) {
        let Some(state) = &mut self.state else {
            return;
        };
        let through = match state.ban_events_through_id() {
            Ok(Some(through)) => through,
            Ok(None) => {
                // A database from before the journal: its bans were
                // announced in the log back then; start the marker here.
                let newest = state.newest_ban_id().unwrap_or(None).unwrap_or(0);
                if let Err(e) = state.save_progress(&[], Some(newest), now) {
                    tracing::warn!("starting the ban-event marker: {e}");
                }
                return;
            }
            Err(e) => {
                tracing::warn!("reading how far ban events reached the journal: {e}");
                return;
            }
        };
        let bans = match state.bans_stored_after(through, MAX_ANNOUNCED_AT_START) {
            Ok(bans) => bans,
            Err(e) => {
                tracing::warn!("reading bans to announce: {e}");
                return;
            }
        };
        let mut newest = None;
        for (id, ban) in &bans {
            newest = newest.max(Some(*id));
            let kind = EventKind::Banned {
                jail: ban.jail.clone(),
                target: ban.target,
                until_ms: ban.end_ms,
                failures: ban.failures,
                ban_count: ban.ban_count,
                manual: ban.manual,
            };
            let key = banned_once_key(&ban.jail, &ban.target, ban.start_ms, ban.end_ms);
            // Dated now: `events --since 1h` shows what was announced now.
            self.events.push_once(Event::new(now, kind), key);
        }
        if newest.is_some() {
            let token = self.events.barrier();
            self.hold(Held {
                token,
                positions: BTreeMap::new(),
                newest_ban_id: newest,
            });
        }
    }

    /// Store, then enforce, then announce. Returns the id of the last ban
    /// row stored (`None` when none was, or they wait in memory).
    async fn commit_bans(
        &mut self,
        orders: &[BanOrder],
        manual: bool,
        now: i64,
    ) -> Result<Option<i64>, RuntimeError> {
        if orders.is_empty() {
            return Ok(None);
        }
        let records: Vec<BanRecord> = orders.iter().map(|o| record_of(o, manual)).collect();
        let stored = self.store_bans(records, now).await;
        if let Some(firewall) = &mut self.firewall {
            let ops: Vec<BanOp> = orders.iter().filter_map(|o| add_op(o, now)).collect();
            if let Err(e) = firewall.apply(&ops) {
                self.emit(EventKind::EngineError {
                    engine: clawguard_event::Engine::Ban,
                    message: format!("firewall rejected {} bans: {e}", ops.len()),
                })
                .await;
            }
        }
        for order in orders {
            self.announce_ban(order, manual, now);
        }
        Ok(stored)
    }

    /// The `Banned` event of a stored ban, with its once-key.
    fn announce_ban(&mut self, order: &BanOrder, manual: bool, now: i64) {
        if !self.enforce {
            tracing::warn!("detect-only: the next ban is recorded, not enforced");
        }
        let key = banned_once_key(&order.jail, &order.key, order.start_ms, order.end_ms);
        let kind = EventKind::Banned {
            jail: order.jail.clone(),
            target: order.key,
            until_ms: order.end_ms,
            failures: order.failures,
            ban_count: order.ban_count,
            manual,
        };
        self.events.push_once(Event::new(now, kind), key);
    }

    /// Never waits: the outbox queues what the bus cannot take now.
    async fn emit(&mut self, kind: EventKind) {
        self.events.push(Event::new(now_ms(), kind));
    }

    /// Stored before enforced, normally; while degraded (or when this write
    /// fails) queued in memory instead, and the caller enforces anyway.
    /// Returns the id of the last row stored, when they were.
    async fn store_bans(&mut self, records: Vec<BanRecord>, now: i64) -> Option<i64> {
        if self.degraded.is_none()
            && let Some(state) = &mut self.state
        {
            match state.record_bans(&records) {
                Ok(last_id) => return Some(last_id),
                Err(e) => {
                    self.queue_bans(records);
                    self.state_failed("writing bans", &e, now).await;
                    return None;
                }
            }
        }
        self.queue_bans(records);
        self.report_degraded();
        None
    }

    fn queue_bans(&mut self, records: Vec<BanRecord>) {
        let dropped = self.pending.push(records);
        if dropped > 0 {
            tracing::error!(
                dropped,
                total_dropped = self.pending.dropped(),
                "STATE DEGRADED: {MAX_PENDING_BANS} bans already wait in memory; the oldest \
                 queued records were dropped (their bans stay in nftables until they end, but \
                 a restart will not restore them)"
            );
        }
    }

    /// Save read positions; while degraded they stay in memory (one row per
    /// source, so this is bounded) and are saved on catch-up.
    async fn flush_positions(&mut self, now: i64) {
        if self.degraded.is_some() {
            return;
        }
        if let Err(e) = self.write_positions(now) {
            self.state_failed("saving read positions", &e, now).await;
        }
    }

    /// Writes the read positions not saved yet; on error they stay unsaved.
    fn write_positions(&mut self, now: i64) -> Result<(), clawguard_state::StateError> {
        let Some(state) = &mut self.state else {
            return Ok(());
        };
        if self.dirty_positions.is_empty() && self.ban_events_through_id.is_none() {
            return Ok(());
        }
        let rows: Vec<(String, String)> = self
            .dirty_positions
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        state.save_progress(&rows, self.ban_events_through_id, now)?;
        self.dirty_positions.clear();
        self.ban_events_through_id = None;
        Ok(())
    }

    /// A write failed: enter (or stay in) degraded mode, loudly.
    async fn state_failed(&mut self, what: &str, error: &(dyn std::fmt::Display + Sync), now: i64) {
        let reason = format!("{what}: {error}");
        if let Some(degraded) = &mut self.degraded {
            let delay = degraded.backoff.failed(now);
            tracing::error!(
                queued_bans = self.pending.len(),
                down_s = (now - degraded.since_ms) / 1000,
                retry_in_s = delay / 1000,
                "STATE DEGRADED: {reason}"
            );
            degraded.reason = reason;
            self.report_degraded();
            return;
        }
        tracing::error!(
            queued_bans = self.pending.len(),
            "STATE DEGRADED: the state database {} cannot be written ({reason}). Banning \
             continues in nftables; bans are queued in memory (at most {MAX_PENDING_BANS}) and \
             written once the database accepts writes again",
            self.state_dir.display()
        );
        if let Some(state) = &mut self.state {
            let _ = state.set_busy_timeout(DEGRADED_BUSY_TIMEOUT);
        }
        self.degraded = Some(Degraded {
            since_ms: now,
            reason: reason.clone(),
            backoff: Backoff::start(now),
        });
        self.report_degraded();
        self.emit(EventKind::EngineError {
            engine: clawguard_event::Engine::Ban,
            message: format!(
                "state database not writable ({reason}); bans are enforced and queued in memory"
            ),
        })
        .await;
    }

    /// While degraded and a retry is due: open the database if needed, put
    /// back what it holds, write the queued bans and the read positions.
    async fn retry_state(&mut self, now: i64, force: bool) {
        let Some(degraded) = &self.degraded else {
            return;
        };
        if !force && !degraded.backoff.due(now) {
            return;
        }
        let mut opened = false;
        if self.state.is_none() {
            match State::open(&self.state_dir) {
                Ok(mut state) => {
                    let _ = state.set_busy_timeout(DEGRADED_BUSY_TIMEOUT);
                    self.state = Some(state);
                    opened = true;
                }
                Err(e) => {
                    self.state_failed("opening the database", &e, now).await;
                    return;
                }
            }
        }
        let Some(state) = &mut self.state else {
            return;
        };
        // The queue first, so the restore below counts the outage's bans in
        // the history it reads back.
        let written = self.pending.len();
        if let Err(e) = state.record_bans(self.pending.as_slice()) {
            if opened {
                // Opened again next time, so the restore is not skipped.
                self.state = None;
            }
            self.state_failed("writing queued bans", &e, now).await;
            return;
        }
        self.pending.clear();
        // Bans stored before the outage come back into the engine and the
        // kernel, merged with the ones made since (never shortened).
        if opened && let Err(e) = self.restore() {
            // Opened again next time, so the restore is not skipped.
            self.state = None;
            self.state_failed("restoring bans after the database opened", &e, now)
                .await;
            return;
        }
        let adopted = match self.adopt_kernel_bans(now) {
            Ok(n) => n,
            Err(e) => {
                self.state_failed("recording bans found only in nftables", &e, now)
                    .await;
                return;
            }
        };
        if let Err(e) = self.write_positions(now) {
            self.state_failed("saving read positions", &e, now).await;
            return;
        }
        let Some(state) = &mut self.state else {
            return;
        };
        let _ = state.set_busy_timeout(clawguard_state::BUSY_TIMEOUT);
        self.write_health("ok");
        if let Some(degraded) = self.degraded.take() {
            tracing::warn!(
                written_bans = written,
                adopted_from_nftables = adopted,
                dropped_bans = self.pending.dropped(),
                down_s = (now - degraded.since_ms) / 1000,
                attempts = degraded.backoff.failures(),
                "STATE RECOVERED: the state database accepts writes again; queued bans and read \
                 positions written (last error was: {})",
                degraded.reason
            );
        }
    }

    /// Bans in nftables that the database does not know: a daemon stopped
    /// while degraded lost its queue, but its bans are still in the kernel.
    /// They are stored under the jail [`ADOPTED_JAIL`] with their remaining
    /// time, so a later start restores them.
    fn adopt_kernel_bans(&mut self, now: i64) -> Result<usize, RuntimeError> {
        let (Some(firewall), Some(state)) = (&mut self.firewall, &mut self.state) else {
            return Ok(0);
        };
        let known: std::collections::HashSet<ipnet::IpNet> = state
            .active_bans(now)?
            .iter()
            .map(|b| clawguard_nft::canonical(b.target))
            .collect();
        let records: Vec<BanRecord> = firewall
            .list()?
            .into_iter()
            .filter(|k| !known.contains(&k.net))
            .map(|k| BanRecord {
                target: k.net,
                jail: ADOPTED_JAIL.to_string(),
                start_ms: now,
                end_ms: k.expires_in_ms.map(|ms| now.saturating_add(ms as i64)),
                failures: 0,
                ban_count: 1,
                manual: false,
            })
            .collect();
        if !records.is_empty() {
            state.record_bans(&records)?;
            tracing::warn!(
                bans = records.len(),
                "stored bans found only in nftables (enforced while the database was not \
                 writable) under jail {ADOPTED_JAIL:?}"
            );
        }
        Ok(records.len())
    }

    fn write_health(&mut self, line: &str) {
        if let Some(health) = &mut self.health
            && let Err(e) = health.write(line)
        {
            tracing::warn!("{HEALTH_FILE} not updated: {e}");
        }
    }

    /// The degraded state, for `clawguard status`.
    fn report_degraded(&mut self) {
        let Some(degraded) = &self.degraded else {
            return;
        };
        let line = format!(
            "DEGRADED since {}: {} bans enforced but only queued in memory, {} dropped at the \
             bound of {MAX_PENDING_BANS}; last error: {}",
            chrono::DateTime::from_timestamp_millis(degraded.since_ms)
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                .unwrap_or_else(|| degraded.since_ms.to_string()),
            self.pending.len(),
            self.pending.dropped(),
            degraded.reason
        );
        self.write_health(&line);
    }

    /// At SIGTERM: one more attempt, then say what could not be kept.
    async fn last_write_at_shutdown(&mut self) {
        // The last events first, so the positions behind them can be saved.
        let undelivered = self.events.drain(SHUTDOWN_DRAIN);
        let last = self.events.last_token();
        let deadline = std::time::Instant::now() + SHUTDOWN_DRAIN;
        while self.events.committed() < last && std::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        self.release_committed();
        if undelivered > 0 || !self.held.is_empty() {
            tracing::warn!(
                undelivered,
                batches_not_saved = self.held.len(),
                "stopping before the event journal took every event: their lines are read \
                 again at the next start"
            );
        }
        let now = now_ms();
        if self.degraded.is_some() {
            self.retry_state(now, true).await;
        } else {
            self.flush_positions(now).await;
        }
        if self.degraded.is_some() {
            self.write_health("stopped while DEGRADED: the state database did not take writes");
        } else {
            self.write_health("stopped");
        }
        if self.degraded.is_some() && !self.pending.is_empty() {
            tracing::error!(
                queued_bans = self.pending.len(),
                "stopping with bans the database never took: they stay in nftables until they \
                 end; the next start stores them from nftables (jail {ADOPTED_JAIL:?}) once the \
                 database accepts writes"
            );
        }
    }

    async fn housekeeping(&mut self, now: i64, check_firewall: bool) -> Result<(), RuntimeError> {
        self.events.flush();
        self.release_committed();
        self.flush_positions(now).await;
        for ended in self.engine.expire(now) {
            self.emit(EventKind::Unbanned {
                jail: ended.jail.clone(),
                target: ended.key,
                reason: UnbanReason::Expired,
            })
            .await;
        }
        self.retry_state(now, false).await;
        if self.degraded.is_none()
            && let Some(state) = &mut self.state
        {
            match state.take_control() {
                Ok(requests) => {
                    for queued in requests {
                        let applied = self.apply_control(queued.request, now).await;
                        // The CLI waits on this outcome (it does not write
                        // nftables itself while the daemon runs).
                        let (ok, outcome) = match &applied {
                            Ok(outcome) => outcome.clone(),
                            Err(e) => (false, format!("failed: {e}")),
                        };
                        if let Some(state) = &mut self.state
                            && let Err(e) = state.finish_control(queued.id, now, ok, &outcome)
                        {
                            tracing::warn!("recording the outcome of a control request: {e}");
                        }
                        applied?;
                    }
                }
                Err(e) => self.state_failed("taking control requests", &e, now).await,
            }
        }
        if check_firewall {
            self.check_firewall(now).await?;
        }
        Ok(())
    }

    /// Manual bans from the CLI: the CLI already stored them; the engine
    /// learns of them here and, the one firewall writer while it runs,
    /// applies them. Returns whether it did what was asked and, in words,
    /// what happened, for the CLI to print.
    async fn apply_control(
        &mut self,
        request: ControlRequest,
        now: i64,
    ) -> Result<(bool, String), RuntimeError> {
        let enforced = match self.firewall {
            Some(_) => "",
            None => " (detect-only: not in the firewall)",
        };
        let outcome = match request {
            ControlRequest::Ban {
                target,
                jail,
                end_ms,
            } => {
                let duration = Some(end_ms.map_or(-1, |end| (end - now).max(1)));
                let jail_arg = self
                    .jails
                    .iter()
                    .any(|j| j.name == jail)
                    .then_some(jail.as_str());
                match self.engine.manual_ban(target, jail_arg, duration, now) {
                    Ok(Decision::Ban(order)) | Ok(Decision::Prolong(order)) => {
                        let what = format!("banned {} in jail {}{enforced}", order.key, order.jail);
                        if let (Some(firewall), Some(op)) =
                            (&mut self.firewall, add_op(&order, now))
                        {
                            firewall.apply(&[op])?;
                        }
                        // Announced as the CLI stored it, so the once-key is
                        // the one a restart would announce it under.
                        let stored = self.stored_manual_ban(&target, &jail, now);
                        let announced = match stored {
                            Some(ban) => BanOrder {
                                key: ban.target,
                                jail: ban.jail,
                                start_ms: ban.start_ms,
                                end_ms: ban.end_ms,
                                ban_count: ban.ban_count,
                                failures: 0,
                            },
                            None => BanOrder {
                                failures: 0,
                                ..order
                            },
                        };
                        self.announce_ban(&announced, true, now);
                        (true, what)
                    }
                    Ok(Decision::AlreadyBanned) => (true, format!("{target} was already banned")),
                    Ok(other) => (false, format!("{target} not banned: {other:?}")),
                    Err(e) => {
                        tracing::warn!("manual ban of {target}: {e}");
                        (false, format!("{target} not banned: {e}"))
                    }
                }
            }
            ControlRequest::Unban { target } => {
                let lifted = self.engine.unban(target, None).unwrap_or_default();
                if let Some(firewall) = &mut self.firewall {
                    let mut ops = vec![BanOp::Remove { net: target }];
                    ops.extend(
                        lifted
                            .iter()
                            .filter(|b| b.key != target)
                            .map(|b| BanOp::Remove { net: b.key }),
                    );
                    firewall.apply(&ops)?;
                }
                let what = format!("unbanned {target}{enforced}");
                for ban in lifted {
                    self.emit(EventKind::Unbanned {
                        jail: ban.jail.clone(),
                        target: ban.key,
                        reason: UnbanReason::Manual,
                    })
                    .await;
                }
                (true, what)
            }
            ControlRequest::Reload => (false, "ignored: reload by SIGHUP".into()),
        };
        Ok(outcome)
    }

    /// Rebuild the table if something outside removed or changed it.
    async fn check_firewall(&mut self, now: i64) -> Result<(), RuntimeError> {
        let Some(firewall) = &mut self.firewall else {
            return Ok(());
        };
        if firewall.is_installed()? {
            return Ok(());
        }
        firewall.install()?;
        // The stored bans, plus those still queued while degraded.
        let mut known: Vec<BanRecord> = match &self.state {
            Some(state) => state.active_bans(now).unwrap_or_else(|e| {
                tracing::error!("reading stored bans to restore the table: {e}");
                Vec::new()
            }),
            None => Vec::new(),
        };
        known.extend(self.pending.records().filter(|b| b.active_at(now)).cloned());
        let ops: Vec<BanOp> = known
            .iter()
            .filter_map(|ban| {
                add_op(
                    &BanOrder {
                        key: ban.target,
                        jail: ban.jail.clone(),
                        start_ms: ban.start_ms,
                        end_ms: ban.end_ms,
                        ban_count: ban.ban_count,
                        failures: ban.failures,
                    },
                    now,
                )
            })
            .collect();
        firewall.apply(&ops)?;
        tracing::warn!(
            bans = ops.len(),
            "nftables table was removed from outside; restored"
        );
        self.emit(EventKind::FirewallRestored {
            restored_bans: ops.len(),
        })
        .await;
        Ok(())
    }
}
