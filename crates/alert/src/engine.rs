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
use crate::{AlertError, labels};

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
                    let next = Arc::clone(&config_rx.borrow());
                    if next.alert != config.alert {
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
        fingerprint: labels::fingerprint(&labels),
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
        let mut outbox = Outbox::open(&self.state_dir)?;
        let mut journal = loop {
            match Journal::open_existing(&self.state_dir) {
                Ok(j) => break j,
                Err(e) => {
                    tracing::debug!("alert sink {name}: journal not open yet: {e}");
                    tokio::select! {
                        _ = cancel.cancelled() => return Ok(()),
                        _ = tokio::time::sleep(IDLE_TICK) => {}
                    }
                }
            }
        };
        let now = clawguard_sys::clock::now_ms();
        let (mut cursor, mut grouper) = match outbox.load(&name)? {
            Some(state) => state,
            None => {
                let start = journal
                    .seq_before_time(now - NEW_SINK_LOOKBACK_MS)
                    .map_err(|e| journal_error(&name, e))?;
                (start, Grouper::default())
            }
        };
        // The journal's retention counts what this sink has not had.
        if let Err(e) = journal.register_consumer(&consumer, cursor, now) {
            tracing::warn!("alert sink {name}: cannot register with the journal: {e}");
        }
        let mut queue: VecDeque<Entry> = outbox.pending(&name, QUEUE_WINDOW)?.into();
        let mut delivery = Delivery::default();
        let mut in_flight: JoinSet<(u64, bool, Outcome)> = JoinSet::new();
        // (task, notification id) of the sends in flight.
        let mut sending: Vec<(tokio::task::Id, u64)> = Vec::new();
        let mut dirty = false;
        let mut last_save_ms = now;
        loop {
            let now = clawguard_sys::clock::now_ms();
            // 1. Read and fold.
            let records = journal
                .read_after(cursor, READ_BATCH, None)
                .map_err(|e| journal_error(&name, e))?;
            let read_full = records.len() == READ_BATCH;
            for record in &records {
                if let Some(alert) = alert_for(record, &self.config, &self.rules, &self.group_by) {
                    grouper.push(alert, &self.timing, now);
                }
                cursor = record.seq;
                dirty = true;
            }
            // 2. Flush due groups, unless the sink is failing (then its
            // groups keep folding; see the module doc).
            let head_failing = delivery.failing_since_ms.is_some()
                && (self.fallback.is_none() || delivery.fallback_failures > 0);
            let mut built = if head_failing {
                Vec::new()
            } else {
                grouper.flush(&name, &self.host, &self.timing, now)
            };
            if !built.is_empty() || (dirty && (now - last_save_ms >= SAVE_EVERY_MS || !read_full)) {
                outbox.commit(&name, cursor, &grouper, &mut built, now)?;
                if let Err(e) = journal.acknowledge(&consumer, cursor, now) {
                    tracing::debug!("alert sink {name}: journal acknowledge: {e}");
                }
                dirty = false;
                last_save_ms = now;
                if !built.is_empty() && queue.len() < QUEUE_WINDOW {
                    queue = outbox.pending(&name, QUEUE_WINDOW)?.into();
                }
            }
            if queue.is_empty() && in_flight.is_empty() && delivery.failing_since_ms.is_none() {
                // `alert retry` re-queues in alerts.db.
                queue = outbox.pending(&name, QUEUE_WINDOW)?.into();
            }
            // 3. Send.
            self.start_sends(&queue, &mut sending, &mut in_flight, &delivery, now);
            self.publish_health(&delivery, &outbox);

            // 4. Wait for something to do.
            if read_full {
                tokio::task::yield_now().await;
                continue;
            }
            let mut wake = now + IDLE_TICK.as_millis() as i64;
            if let Some(due) = grouper.next_due()
                && !head_failing
            {
                wake = wake.min(due);
            }
            if !queue.is_empty() && sending.is_empty() {
                wake = wake.min(delivery.next_attempt_ms.min(self.next_fallback(&delivery)));
            }
            let sleep = Duration::from_millis((wake - now).clamp(0, 1000) as u64);
            tokio::select! {
                _ = cancel.cancelled() => {
                    if dirty {
                        outbox.commit(&name, cursor, &grouper, &mut [], clawguard_sys::clock::now_ms())?;
                    }
                    return Ok(());
                }
                _ = committed.changed() => {}
                Some(done) = in_flight.join_next_with_id() => {
                    let (id, via_fallback, outcome) = match done {
                        Ok((_, result)) => result,
                        Err(e) => {
                            // A panicking send is a failed attempt.
                            let task = e.id();
                            let id = sending.iter().find(|(t, _)| *t == task).map_or(0, |(_, id)| *id);
                            (id, false, Outcome::Retry { after: None, error: format!("send panicked: {e}") })
                        }
                    };
                    sending.retain(|(_, s)| *s != id);
                    self.settle(id, via_fallback, outcome, &mut queue, &mut delivery, &mut outbox)?;
                }
                _ = tokio::time::sleep(sleep) => {}
            }
        }
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
    fn start_sends(
        &self,
        queue: &VecDeque<Entry>,
        sending: &mut Vec<(tokio::task::Id, u64)>,
        in_flight: &mut JoinSet<(u64, bool, Outcome)>,
        delivery: &Delivery,
        now: i64,
    ) {
        let cap = if delivery.failing_since_ms.is_some() {
            // A failing receiver gets one request at a time.
            1
        } else {
            self.config.max_in_flight as usize
        };
        for entry in queue.iter() {
            if sending.len() >= cap {
                break;
            }
            let id = entry.notification.id;
            if sending.iter().any(|(_, s)| *s == id) {
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
            let task = in_flight.spawn(async move {
                let outcome = sink
                    .send(&notification, clawguard_sys::clock::now_ms())
                    .await;
                (id, via_fallback, outcome)
            });
            sending.push((task.id(), id));
        }
    }

    fn settle(
        &self,
        id: u64,
        via_fallback: bool,
        outcome: Outcome,
        queue: &mut VecDeque<Entry>,
        delivery: &mut Delivery,
        outbox: &mut Outbox,
    ) -> Result<(), AlertError> {
        let now = clawguard_sys::clock::now_ms();
        let name = &self.config.name;
        match outcome {
            Outcome::Delivered => {
                let via = via_fallback
                    .then(|| self.fallback.as_ref().map(|f| f.name.clone()))
                    .flatten();
                outbox.delivered(id, via.as_deref(), now)?;
                queue.retain(|e| e.notification.id != id);
                if via_fallback {
                    delivery.fallback_failures = 0;
                    delivery.next_fallback_ms = now;
                } else {
                    if delivery.failing_since_ms.is_some() {
                        tracing::warn!("alert sink {name} delivers again");
                    }
                    *delivery = Delivery::default();
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
                    delivery.next_attempt_ms = now
                        + crate::backoff::delay(delivery.failures, after, crate::backoff::random())
                            .as_millis() as i64;
                }
            }
            Outcome::Permanent { error } => {
                tracing::error!(
                    "alert {id} to sink {name} refused for good, kept in the dead letters: {error}"
                );
                outbox.dead(id, &error)?;
                queue.retain(|e| e.notification.id != id);
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
