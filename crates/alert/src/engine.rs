//! The alert engine as the daemon runs it: one worker per sink, each with
//! its own journal cursor. This is the edge: it reads the journal and the
//! clock, writes `alerts.db` and talks to receivers; the decisions are in
//! [`crate::rules`], [`crate::group`] and [`crate::backoff`].
//!
//! A worker's loop:
//! 1. read the journal after its cursor (woken by the writer's commit
//!    watch), apply the rules, fold alerts into its groups;
//! 2. build the notifications of groups that are due, and store them with
//!    the new cursor and the grouping state in one transaction;
//! 3. send the oldest pending notifications (at most `max_in_flight`), mark
//!    each delivered, or retry it with backoff, or move it to the dead
//!    letters. While the oldest one is failing, groups keep folding instead
//!    of making a message per `group_interval`, so a sink that comes back
//!    gets a few grouped messages, in order. Past `fallback_after`, the
//!    `fallback` sink delivers between the failing sink's own retries.

use std::collections::{BTreeMap, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clawguard_config::{Config, SinkConfig};
use clawguard_event::{Event, EventKind, Record};
use clawguard_journal::{Bus, Journal};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::group::{Alert, Grouper, Timing};
use crate::outbox::{Entry, Outbox};
use crate::rules::{Rules, sink_accepts};
use crate::sink::{Outcome, Sink};
use crate::{AlertError, Notification, labels};

/// Events read from the journal per step.
const READ_BATCH: usize = 4096;
/// Pending notifications held in memory per sink (the rest wait in alerts.db).
const QUEUE_WINDOW: usize = 64;
/// Longest a worker sleeps without looking at alerts.db (for `alert retry`).
const IDLE_TICK: Duration = Duration::from_secs(1);
/// A new sink starts with the events of this last stretch of time.
const NEW_SINK_LOOKBACK_MS: i64 = 5 * 60 * 1000;
/// Longest a grouping state waits unsaved while events arrive.
const SAVE_EVERY_MS: i64 = 1000;

/// What the daemon hands the engine.
pub struct Hosted {
    pub state_dir: PathBuf,
    /// The host name notifications carry.
    pub host: String,
    pub config: watch::Receiver<Arc<Config>>,
    /// The journal writer's newest committed seq.
    pub committed: watch::Receiver<u64>,
    /// For `AlertFailed` events.
    pub bus: Bus,
    pub cancel: CancellationToken,
}

/// How each sink is doing, for the engine's health.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SinkHealth {
    /// `Some(error)` while the oldest pending notification keeps failing.
    pub failing: Option<String>,
    pub pending: u64,
}

/// Shared between the workers and the engine's loop.
pub type HealthMap = Arc<Mutex<BTreeMap<String, SinkHealth>>>;

/// Run until cancelled. `beat` is called at least once a second; `report`
/// gets the sinks' health whenever it changes.
pub async fn run(
    hosted: Hosted,
    beat: impl Fn(),
    report: impl Fn(&BTreeMap<String, SinkHealth>),
) -> Result<(), AlertError> {
    let mut config_rx = hosted.config.clone();
    let health: HealthMap = Arc::default();
    let mut last_reported = BTreeMap::new();
    // A closed config channel means no more reloads, not a stop.
    let mut config_open = true;
    loop {
        let config = Arc::clone(&config_rx.borrow_and_update());
        let generation = hosted.cancel.child_token();
        let mut workers = start_workers(&hosted, &config, &generation, &health)?;
        let mut tick = tokio::time::interval(Duration::from_millis(500));
        let reload = loop {
            tokio::select! {
                _ = hosted.cancel.cancelled() => break false,
                changed = config_rx.changed(), if config_open => {
                    if changed.is_err() {
                        config_open = false;
                        continue;
                    }
                    // Every reload rebuilds the sinks, so a rotated secret
                    // file is read again even when the TOML did not change.
                    let next = Arc::clone(&config_rx.borrow());
                    if !Arc::ptr_eq(&next, &config) {
                        break true;
                    }
                }
                Some(done) = workers.join_next() => {
                    match done {
                        Ok(Ok(())) => {}
                        Ok(Err(e)) => { generation.cancel(); return Err(e); }
                        Err(e) => {
                            generation.cancel();
                            return Err(AlertError::Sink { sink: "?".into(), message: format!("worker panicked: {e}") });
                        }
                    }
                }
                _ = tick.tick() => {
                    beat();
                    let now = health.lock().map(|h| h.clone()).unwrap_or_default();
                    if now != last_reported {
                        report(&now);
                        last_reported = now;
                    }
                }
            }
        };
        generation.cancel();
        while let Some(done) = workers.join_next().await {
            if let Ok(Err(e)) = done {
                tracing::warn!("alert sink stopped with an error: {e}");
            }
        }
        if !reload {
            return Ok(());
        }
        tracing::info!("alert configuration changed: sinks restarted");
        if let Ok(mut h) = health.lock() {
            h.clear();
        }
    }
}

fn start_workers(
    hosted: &Hosted,
    config: &Arc<Config>,
    cancel: &CancellationToken,
    health: &HealthMap,
) -> Result<JoinSet<Result<(), AlertError>>, AlertError> {
    let rules =
        Arc::new(
            Rules::compile(&config.alert.rule).map_err(|message| AlertError::Sink {
                sink: "*".into(),
                message,
            })?,
        );
    let mut built: BTreeMap<String, Arc<Sink>> = BTreeMap::new();
    for sink in config.alert.sink.iter().filter(|s| s.enabled) {
        match Sink::build(sink, &crate::secret::process_env) {
            Ok(s) => {
                built.insert(sink.name.clone(), Arc::new(s));
            }
            // One sink that cannot be built does not silence the others.
            Err(e) => {
                tracing::error!("alert sink not started: {e}");
                if let Ok(mut h) = health.lock() {
                    h.insert(
                        sink.name.clone(),
                        SinkHealth {
                            failing: Some(e.to_string()),
                            pending: 0,
                        },
                    );
                }
                let _ = hosted.bus.offer(Event::new(
                    clawguard_sys::clock::now_ms(),
                    EventKind::AlertFailed {
                        sink: sink.name.clone(),
                        notification: 0,
                        error: e.to_string(),
                    },
                ));
            }
        }
    }
    forget_removed_sinks(hosted, config);
    let mut workers = JoinSet::new();
    for sink_config in config.alert.sink.iter().filter(|s| s.enabled) {
        let Some(sink) = built.get(&sink_config.name) else {
            continue;
        };
        let fallback = sink_config
            .fallback
            .as_ref()
            .and_then(|name| built.get(name))
            .cloned();
        let worker = Worker {
            timing: timing(config, sink_config),
            config: sink_config.clone(),
            group_by: config.alert.group_by.clone(),
            sink: Arc::clone(sink),
            fallback,
            rules: Arc::clone(&rules),
            host: hosted.host.clone(),
            state_dir: hosted.state_dir.clone(),
            bus: hosted.bus.clone(),
            health: Arc::clone(health),
        };
        let committed = hosted.committed.clone();
        let cancel = cancel.clone();
        workers.spawn(async move { worker.run(committed, cancel).await });
    }
    Ok(workers)
}

/// Sinks that are gone from the config (or disabled) stop holding the
/// journal's retention, and their pending notifications become dead letters
/// ("sink removed"), visible in `alert list --failed`. A sink enabled again
/// starts like a new one.
fn forget_removed_sinks(hosted: &Hosted, config: &Config) {
    let live: Vec<String> = config
        .alert
        .sink
        .iter()
        .filter(|s| s.enabled)
        .map(|s| s.name.clone())
        .collect();
    if let Ok(mut journal) = Journal::open_existing(&hosted.state_dir)
        && let Ok(consumers) = journal.consumers()
    {
        for consumer in consumers {
            if let Some(sink) = consumer.name.strip_prefix("alert.")
                && !live.iter().any(|l| l == sink)
            {
                let _ = journal.remove_consumer(&consumer.name);
            }
        }
    }
    let Ok(mut outbox) = Outbox::open(&hosted.state_dir) else {
        return;
    };
    for sink in outbox.sinks().unwrap_or_default() {
        if !live.contains(&sink) {
            tracing::warn!("alert sink {sink} is no longer configured: forgotten");
            if let Err(e) = outbox.forget(&sink) {
                tracing::warn!("alert sink {sink}: {e}");
            }
        }
    }
}

/// The sink's timers: its own overrides, else `[alert]`'s.
pub fn timing(config: &Config, sink: &SinkConfig) -> Timing {
    let alert = &config.alert;
    Timing {
        group_wait_ms: sink.group_wait.unwrap_or(alert.group_wait).as_ms(),
        group_interval_ms: sink.group_interval.unwrap_or(alert.group_interval).as_ms(),
        repeat_interval_ms: sink
            .repeat_interval
            .unwrap_or(alert.repeat_interval)
            .as_ms(),
    }
}

/// The journal consumer name of a sink.
pub fn consumer_name(sink: &str) -> String {
    format!("alert.{sink}")
}

/// Turn one record into the alert `sink` gets, if it gets one.
pub fn alert_for(
    record: &Record,
    sink: &SinkConfig,
    rules: &Rules,
    group_by: &[String],
) -> Option<Alert> {
    let event = &record.event;
    // A sink never alerts about its own failures: they would fail too.
    if let EventKind::AlertFailed { sink: failed, .. } = &event.kind
        && failed == &sink.name
    {
        return None;
    }
    let routing = rules.route(event);
    if !sink_accepts(sink, event.engine(), &routing) {
        return None;
    }
    let labels = labels::labels(event, &record.host);
    let (group_key, group_labels) = labels::group(&labels, group_by);
    let sample = match &event.kind {
        EventKind::LogMatched { line, .. } => Some(line.clone()),
        _ => None,
    };
    Some(Alert {
        fingerprint: labels::fingerprint(&labels, labels::identity(event)),
        group_key,
        group_labels,
        labels,
        kind: event.kind_id().to_string(),
        engine: event.engine(),
        severity: routing.severity,
        summary: event.summary(),
        sample,
        time_ms: event.time_ms,
    })
}

struct Worker {
    config: SinkConfig,
    timing: Timing,
    group_by: Vec<String>,
    sink: Arc<Sink>,
    fallback: Option<Arc<Sink>>,
    rules: Arc<Rules>,
    host: String,
    state_dir: PathBuf,
    bus: Bus,
    health: HealthMap,
}

/// What a worker's loop carries from turn to turn.
struct Loop {
    /// The last journal seq folded.
    cursor: u64,
    grouper: Grouper,
    /// Pending notifications, oldest first, at most [`QUEUE_WINDOW`].
    queue: VecDeque<Entry>,
    /// Notifications built but not yet committed (a failed commit keeps them).
    unsaved: Vec<Notification>,
    delivery: Delivery,
    in_flight: JoinSet<(u64, bool, Outcome)>,
    /// (task, notification id) of the sends in flight.
    sending: Vec<(tokio::task::Id, u64)>,
    /// Events folded since the last commit.
    dirty: bool,
    last_save_ms: i64,
    last_reload_ms: i64,
}

/// Records after `cursor`: `None` for a row that does not decode (written
/// by a newer build, or damaged). It is logged and passed over, never a
/// reason to stop every sink.
struct Batch(Vec<(u64, Option<Record>)>);

impl Batch {
    fn len(&self) -> usize {
        self.0.len()
    }
    fn last_seq(&self) -> Option<u64> {
        self.0.last().map(|(seq, _)| *seq)
    }
    fn iter(&self) -> impl Iterator<Item = &Option<Record>> {
        self.0.iter().map(|(_, r)| r)
    }
}

fn read_skipping_corrupt(journal: &Journal, cursor: u64, sink: &str) -> Result<Batch, AlertError> {
    match journal.read_after(cursor, READ_BATCH, None) {
        Ok(records) => Ok(Batch(
            records.into_iter().map(|r| (r.seq, Some(r))).collect(),
        )),
        Err(clawguard_journal::JournalError::Corrupt { seq, detail, .. }) => {
            tracing::error!(
                "alert sink {sink}: journal event {seq} unreadable, passed over: {detail}"
            );
            // The rows before it are fine.
            let before = seq.saturating_sub(cursor + 1) as usize;
            let mut out: Vec<(u64, Option<Record>)> = if before > 0 {
                journal
                    .read_after(cursor, before, None)
                    .map_err(|e| journal_error(sink, e))?
                    .into_iter()
                    .map(|r| (r.seq, Some(r)))
                    .collect()
            } else {
                Vec::new()
            };
            out.push((seq, None));
            Ok(Batch(out))
        }
        Err(e) => Err(journal_error(sink, e)),
    }
}

/// Delivery state of the worker's queue head.
#[derive(Default)]
struct Delivery {
    /// Failed attempts in a row of the primary sink.
    failures: u32,
    /// When the primary started failing.
    failing_since_ms: Option<i64>,
    last_error: Option<String>,
    /// No primary attempt before this.
    next_attempt_ms: i64,
    fallback_failures: u32,
    next_fallback_ms: i64,
}

impl Worker {
    async fn run(
        self,
        mut committed: watch::Receiver<u64>,
        cancel: CancellationToken,
    ) -> Result<(), AlertError> {
        let name = self.config.name.clone();
        let consumer = consumer_name(&name);
        // Opening waits (and retries) rather than failing: alerting must not
        // stop for a journal the writer has not created yet, or a busy disk.
        let (mut outbox, mut journal) = loop {
            match (
                Outbox::open(&self.state_dir),
                Journal::open_existing(&self.state_dir),
            ) {
                (Ok(o), Ok(j)) => break (o, j),
                (o, j) => {
                    let why = o
                        .err()
                        .map(|e| e.to_string())
                        .or(j.err().map(|e| e.to_string()));
                    tracing::debug!(
                        "alert sink {name}: not open yet: {}",
                        why.unwrap_or_default()
                    );
                    tokio::select! {
                        _ = cancel.cancelled() => return Ok(()),
                        _ = tokio::time::sleep(IDLE_TICK) => {}
                    }
                }
            }
        };
        let now = clawguard_sys::clock::now_ms();
        let lookback = |journal: &Journal| {
            journal
                .seq_before_time(now - NEW_SINK_LOOKBACK_MS)
                .map_err(|e| journal_error(&name, e))
        };
        let (mut cursor, grouper) = match outbox.load(&name)? {
            Some(state) => state,
            None => (lookback(&journal)?, Grouper::default()),
        };
        let last = journal.last_seq().map_err(|e| journal_error(&name, e))?;
        if cursor > last {
            // events.db was replaced (restored, deleted): its numbers start
            // over, and a cursor past its end would skip every new event.
            tracing::warn!(
                "alert sink {name}: cursor {cursor} is past the journal's end {last}; \
                 starting with the events of the last 5 minutes"
            );
            cursor = lookback(&journal)?;
        }
        // The journal's retention counts what this sink has not had.
        if let Err(e) = journal.register_consumer(&consumer, cursor, now) {
            tracing::warn!("alert sink {name}: cannot register with the journal: {e}");
        }
        let mut state = Loop {
            cursor,
            grouper,
            queue: outbox.pending(&name, QUEUE_WINDOW)?.into(),
            unsaved: Vec::new(),
            delivery: Delivery::default(),
            in_flight: JoinSet::new(),
            sending: Vec::new(),
            dirty: false,
            last_save_ms: now,
            last_reload_ms: now,
        };
        let mut store_failures = 0u32;
        loop {
            let now = clawguard_sys::clock::now_ms();
            let step = self.step(&mut state, &mut journal, &mut outbox, &consumer, now);
            let (read_full, head_failing) = match step {
                Ok(flags) => {
                    if store_failures > 0 {
                        tracing::warn!("alert sink {name}: its state is written again");
                    }
                    store_failures = 0;
                    flags
                }
                Err(e) => {
                    // A busy or full disk: keep everything in memory and try
                    // again, with backoff; never stop alerting for it.
                    store_failures += 1;
                    if store_failures == 1 || store_failures.is_power_of_two() {
                        tracing::error!("alert sink {name}: {e}; retrying");
                    }
                    let wait =
                        crate::backoff::delay(store_failures, None, crate::backoff::random());
                    tokio::select! {
                        _ = cancel.cancelled() => return Ok(()),
                        _ = tokio::time::sleep(wait) => {}
                    }
                    continue;
                }
            };
            self.start_sends(&mut state, now);
            self.publish_health(&state.delivery, &outbox);

            // Wait for something to do.
            if read_full && !cancel.is_cancelled() {
                tokio::task::yield_now().await;
                continue;
            }
            let mut wake = now + IDLE_TICK.as_millis() as i64;
            if let Some(due) = state.grouper.next_due()
                && !head_failing
            {
                wake = wake.min(due);
            }
            if !state.queue.is_empty() && state.sending.is_empty() {
                wake = wake.min(
                    state
                        .delivery
                        .next_attempt_ms
                        .min(self.next_fallback(&state.delivery)),
                );
            }
            let sleep = Duration::from_millis((wake - now).clamp(0, 1000) as u64);
            tokio::select! {
                _ = cancel.cancelled() => {
                    if state.dirty || !state.unsaved.is_empty() {
                        let now = clawguard_sys::clock::now_ms();
                        if let Err(e) = outbox.commit(&name, state.cursor, &state.grouper, &mut state.unsaved, now) {
                            tracing::error!("alert sink {name}: state not saved at stop (the events are read again): {e}");
                        }
                    }
                    return Ok(());
                }
                _ = committed.changed() => {}
                Some(done) = state.in_flight.join_next_with_id() => {
                    let (id, via_fallback, outcome) = match done {
                        Ok((_, result)) => result,
                        Err(e) => {
                            // A panicking send is a failed attempt.
                            let task = e.id();
                            let id = state.sending.iter().find(|(t, _)| *t == task).map_or(0, |(_, id)| *id);
                            (id, false, Outcome::Retry { after: None, error: format!("send panicked: {e}") })
                        }
                    };
                    state.sending.retain(|(_, s)| *s != id);
                    if let Err(e) = self.settle(id, via_fallback, outcome, &mut state, &mut outbox) {
                        // The notification stays pending: sent again later.
                        tracing::error!("alert sink {name}: outcome of {id} not recorded: {e}");
                    }
                }
                _ = tokio::time::sleep(sleep) => {}
            }
        }
    }

    /// Read, fold, flush and save once. Returns (a full batch was read,
    /// the sink is failing so groups fold).
    fn step(
        &self,
        state: &mut Loop,
        journal: &mut Journal,
        outbox: &mut Outbox,
        consumer: &str,
        now: i64,
    ) -> Result<(bool, bool), AlertError> {
        let name = &self.config.name;
        let records = read_skipping_corrupt(journal, state.cursor, name)?;
        let read_full = records.len() >= READ_BATCH;
        for record in records.iter() {
            if let Some(record) = record
                && let Some(alert) = alert_for(record, &self.config, &self.rules, &self.group_by)
            {
                state.grouper.push(alert, &self.timing, now);
            }
        }
        if let Some(last) = records.last_seq() {
            state.cursor = last;
            state.dirty = true;
        }
        // Flush due groups, unless the sink is failing and no fallback has
        // taken over: then its groups keep folding (see the module doc).
        let delivery = &state.delivery;
        let head_failing = delivery.failing_since_ms.is_some_and(|since| {
            self.fallback.is_none()
                || delivery.fallback_failures > 0
                || now < since + self.config.fallback_after.as_ms()
        });
        if !head_failing {
            let built = state.grouper.flush(name, &self.host, &self.timing, now);
            state.unsaved.extend(built);
        }
        let due_save = now - state.last_save_ms >= SAVE_EVERY_MS || !read_full;
        let mut reload = false;
        if !state.unsaved.is_empty() || (state.dirty && due_save) {
            outbox.commit(name, state.cursor, &state.grouper, &mut state.unsaved, now)?;
            reload = !state.unsaved.is_empty();
            state.unsaved.clear();
            if let Err(e) = journal.acknowledge(consumer, state.cursor, now) {
                tracing::debug!("alert sink {name}: journal acknowledge: {e}");
            }
            state.dirty = false;
            state.last_save_ms = now;
        }
        // Refill the window from alerts.db: new notifications, older ones
        // past the window, and what `alert retry` re-queued.
        if state.queue.len() < QUEUE_WINDOW
            && (reload
                || state.queue.is_empty()
                || now - state.last_reload_ms >= IDLE_TICK.as_millis() as i64)
        {
            state.queue = outbox.pending(name, QUEUE_WINDOW)?.into();
            state.last_reload_ms = now;
        }
        Ok((read_full, head_failing))
    }

    fn next_fallback(&self, delivery: &Delivery) -> i64 {
        match (&self.fallback, delivery.failing_since_ms) {
            (Some(_), Some(since)) => {
                (since + self.config.fallback_after.as_ms()).max(delivery.next_fallback_ms)
            }
            _ => i64::MAX,
        }
    }

    /// Start sends for the oldest pending notifications not yet in flight.
    fn start_sends(&self, state: &mut Loop, now: i64) {
        let delivery = &state.delivery;
        let cap = if delivery.failing_since_ms.is_some() {
            // A failing receiver gets one request at a time.
            1
        } else {
            self.config.max_in_flight as usize
        };
        for entry in state.queue.iter() {
            if state.sending.len() >= cap {
                break;
            }
            let id = entry.notification.id;
            if state.sending.iter().any(|(_, s)| *s == id) {
                continue;
            }
            let (sink, via_fallback) = if now >= delivery.next_attempt_ms {
                (Arc::clone(&self.sink), false)
            } else if let Some(fallback) = &self.fallback
                && now >= self.next_fallback(delivery)
            {
                (Arc::clone(fallback), true)
            } else {
                break;
            };
            let notification = entry.notification.clone();
            let task = state.in_flight.spawn(async move {
                let outcome = sink
                    .send(&notification, clawguard_sys::clock::now_ms())
                    .await;
                (id, via_fallback, outcome)
            });
            state.sending.push((task.id(), id));
        }
    }

    fn settle(
        &self,
        id: u64,
        via_fallback: bool,
        outcome: Outcome,
        state: &mut Loop,
        outbox: &mut Outbox,
    ) -> Result<(), AlertError> {
        let now = clawguard_sys::clock::now_ms();
        let name = &self.config.name;
        let delivery = &mut state.delivery;
        // A fallback that refuses for good is a failing fallback: the
        // notification stays the primary's and pending.
        let outcome = match outcome {
            Outcome::Permanent { error } if via_fallback => Outcome::Retry {
                after: None,
                error: format!("fallback refused: {error}"),
            },
            other => other,
        };
        match outcome {
            Outcome::Delivered => {
                let via = via_fallback
                    .then(|| self.fallback.as_ref().map(|f| f.name.clone()))
                    .flatten();
                outbox.delivered(id, via.as_deref(), now)?;
                state.queue.retain(|e| e.notification.id != id);
                if via_fallback {
                    delivery.fallback_failures = 0;
                    delivery.next_fallback_ms = now;
                } else {
                    if delivery.failing_since_ms.is_some() {
                        tracing::warn!("alert sink {name} delivers again");
                    }
                    // A Retry-After from a request still honoured: a
                    // concurrent success does not lift it.
                    let not_before = delivery.next_attempt_ms;
                    *delivery = Delivery::default();
                    delivery.next_attempt_ms = not_before;
                }
            }
            Outcome::Retry { after, error } => {
                outbox.failed_attempt(id, &error)?;
                if via_fallback {
                    delivery.fallback_failures += 1;
                    delivery.next_fallback_ms = now
                        + crate::backoff::delay(
                            delivery.fallback_failures,
                            after,
                            crate::backoff::random(),
                        )
                        .as_millis() as i64;
                } else {
                    delivery.failures += 1;
                    if delivery.failing_since_ms.is_none() {
                        tracing::warn!("alert sink {name} failing, will retry: {error}");
                    }
                    delivery.failing_since_ms.get_or_insert(now);
                    delivery.last_error = Some(error);
                    let next = now
                        + crate::backoff::delay(delivery.failures, after, crate::backoff::random())
                            .as_millis() as i64;
                    delivery.next_attempt_ms = delivery.next_attempt_ms.max(next);
                }
            }
            Outcome::Permanent { error } => {
                tracing::error!(
                    "alert {id} to sink {name} refused for good, kept in the dead letters: {error}"
                );
                outbox.dead(id, &error)?;
                let only_failures = state
                    .queue
                    .iter()
                    .find(|e| e.notification.id == id)
                    .is_some_and(|e| {
                        e.notification
                            .alerts
                            .iter()
                            .all(|a| a.kind == "alert_failed")
                            && e.notification.omitted_alerts == 0
                    });
                state.queue.retain(|e| e.notification.id != id);
                // Not for a message that only reported other sinks' failures:
                // two sinks that both refuse would alert each other forever.
                if !only_failures {
                    let _ = self.bus.offer(Event::new(
                        now,
                        EventKind::AlertFailed {
                            sink: name.clone(),
                            notification: id,
                            error,
                        },
                    ));
                }
            }
        }
        Ok(())
    }

    fn publish_health(&self, delivery: &Delivery, outbox: &Outbox) {
        let failing = delivery.failing_since_ms.map(|_| {
            delivery
                .last_error
                .clone()
                .unwrap_or_else(|| "failing".into())
        });
        let Ok(mut map) = self.health.lock() else {
            return;
        };
        let current = map.get(&self.config.name);
        if current.map(|h| &h.failing) == Some(&failing) {
            return;
        }
        let pending = outbox.pending_count(&self.config.name).unwrap_or(0);
        map.insert(self.config.name.clone(), SinkHealth { failing, pending });
    }
}

fn journal_error(sink: &str, e: clawguard_journal::JournalError) -> AlertError {
    AlertError::Sink {
        sink: sink.to_string(),
        message: format!("event journal: {e}"),
    }
}
