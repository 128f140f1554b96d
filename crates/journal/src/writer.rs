//! The one journal writer: a thread of its own with its own connection that
//! takes envelopes off the bus, appends them in batches (one transaction
//! per batch), raises producers' watermarks, hands committed records to
//! in-process subscribers, and enforces retention.
//!
//! It runs until every [`Bus`](crate::Bus) is dropped and the bus is empty,
//! so a clean stop commits everything that was sent.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clawguard_event::{Event, Record};

use crate::bus::Envelope;
use crate::store::{Journal, Pending, Retention};

/// Most events appended in one transaction.
pub const MAX_BATCH: usize = 4096;

/// How often retention by age is checked when nothing arrives.
const AGE_CHECK_EVERY: Duration = Duration::from_secs(10);

/// Committed events also go to the daemon's log (stderr, so journald), at
/// most this many a second; the rest are counted in one line.
const LOGGED_PER_SECOND: u32 = 50;

/// How long the writer waits before retrying a batch the disk refused.
const RETRY_AFTER: Duration = Duration::from_secs(1);

/// An in-process consumer fed from the writer after commit (the skill
/// auditor takes `FileChanged` this way). Its queue is bounded: when it is
/// full, the record is counted in `overflowed` and not delivered, so a slow
/// subscriber never holds up the journal.
pub struct Subscriber {
    pub wants: fn(&Event) -> bool,
    pub tx: SyncSender<Record>,
    pub overflowed: Arc<AtomicU64>,
}

/// What the writer has done, for `clawguard status`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriterStats {
    pub last_seq: u64,
    pub events: u64,
    pub body_bytes: u64,
    pub committed_batches: u64,
    /// Events deleted by retention before some consumer acknowledged them.
    pub dropped_unacknowledged: u64,
    /// The last append error, while the writer is retrying.
    pub failing: Option<String>,
}

/// Test and benchmark hooks of the writer.
#[derive(Debug, Clone, Copy, Default)]
pub struct WriterFaults {
    /// Sleep this long before every commit (a slow or stalled disk).
    pub stall_before_commit: Option<Duration>,
}

/// The running writer.
pub struct Writer {
    handle: std::thread::JoinHandle<()>,
    stats: Arc<Mutex<WriterStats>>,
    /// Set by [`Writer::join`]: a writer still retrying the open gives up.
    closing: Arc<AtomicBool>,
    committed: Arc<tokio::sync::watch::Sender<u64>>,
}

impl Writer {
    /// A handle on the stats that outlives `join`.
    pub fn stats_handle(&self) -> Arc<Mutex<WriterStats>> {
        Arc::clone(&self.stats)
    }

    /// The newest committed seq, changed after every commit: a consumer
    /// waits on it instead of polling the journal.
    pub fn committed(&self) -> tokio::sync::watch::Receiver<u64> {
        self.committed.subscribe()
    }

    /// Wait for the writer to finish (every bus dropped and drained).
    pub fn join(self) -> bool {
        self.closing.store(true, Ordering::Release);
        self.handle.join().is_ok()
    }
}

struct WriterState {
    journal: Journal,
    retention: Retention,
    subscribers: Vec<Subscriber>,
    faults: WriterFaults,
    stats: Arc<Mutex<WriterStats>>,
    /// The newest committed seq, for consumers that wait for new events.
    committed: Arc<tokio::sync::watch::Sender<u64>>,
    /// Retention's drop reports, appended with the next batch.
    carry: Vec<Pending>,
    log_budget: LogBudget,
    drops: DropReports,
}

/// The per-second allowance of events written to the log.
/// How often retention's drops are reported at most.
const DROP_REPORT_EVERY: Duration = Duration::from_secs(60);

/// Retention drops not yet reported, summed over passes.
#[derive(Default)]
struct DropReports {
    pending: Option<crate::store::Trimmed>,
    last_report: Option<Instant>,
}

impl DropReports {
    fn add(&mut self, pass: &crate::store::Trimmed) {
        match &mut self.pending {
            None => self.pending = Some(pass.clone()),
            Some(sum) => {
                sum.deleted += pass.deleted;
                sum.unacknowledged += pass.unacknowledged;
                sum.first_seq = sum.first_seq.min(pass.first_seq);
                sum.last_seq = sum.last_seq.max(pass.last_seq);
                if sum.reason != pass.reason {
                    sum.reason = "several bounds";
                }
            }
        }
    }
}

struct LogBudget {
    second: Instant,
    logged: u32,
    skipped: u64,
}

impl LogBudget {
    fn log(&mut self, seq: u64, event: &Event) {
        if self.second.elapsed() >= Duration::from_secs(1) {
            if self.skipped > 0 {
                tracing::warn!(
                    skipped = self.skipped,
                    "more events than the log shows; `clawguard events` has every one"
                );
            }
            self.second = Instant::now();
            self.logged = 0;
            self.skipped = 0;
        }
        if self.logged >= LOGGED_PER_SECOND {
            self.skipped += 1;
            return;
        }
        self.logged += 1;
        if event.severity() >= clawguard_event::Severity::Medium {
            tracing::warn!(seq, kind = event.kind_id(), severity = ?event.severity(), "{}", event.summary());
        } else {
            tracing::info!(seq, kind = event.kind_id(), severity = ?event.severity(), "{}", event.summary());
        }
    }
}

impl WriterState {
    fn run(&mut self, rx: &Receiver<Envelope>) {
        let mut last_age_check = Instant::now();
        let mut open = true;
        while open {
            let mut batch: Vec<Pending> = std::mem::take(&mut self.carry);
            let mut barriers: Vec<(u64, Arc<AtomicU64>)> = Vec::new();
            match rx.recv_timeout(AGE_CHECK_EVERY) {
                Ok(envelope) => take(envelope, &mut batch, &mut barriers),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => open = false,
            }
            while batch.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(envelope) => take(envelope, &mut batch, &mut barriers),
                    Err(std::sync::mpsc::TryRecvError::Empty) => break,
                    Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                        open = false;
                        break;
                    }
                }
            }
            if !batch.is_empty() {
                self.commit(&batch);
            }
            for (token, reached) in barriers {
                reached.fetch_max(token, Ordering::AcqRel);
            }
            let age_due = last_age_check.elapsed() >= AGE_CHECK_EVERY;
            if age_due {
                last_age_check = Instant::now();
            }
            if !batch.is_empty() || age_due {
                self.enforce_retention();
            }
        }
        // Drops not reported yet, then the reports themselves.
        self.report_drops(clawguard_sys::clock::now_ms(), true);
        if !self.carry.is_empty() {
            let carry = std::mem::take(&mut self.carry);
            self.commit(&carry);
        }
    }

    /// Append until it is committed: a refused batch (full disk, a lock)
    /// is retried, and the bus fills behind it, which is what producers
    /// are built to live with.
    fn commit(&mut self, batch: &[Pending]) {
        if let Some(stall) = self.faults.stall_before_commit {
            std::thread::sleep(stall);
        }
        let mut attempts = 0u32;
        let committed = loop {
            match self.journal.append_indexed(batch) {
                Ok(records) => break records,
                Err(e) => {
                    attempts += 1;
                    if attempts == 1 || attempts.is_power_of_two() {
                        tracing::error!(
                            events = batch.len(),
                            attempts,
                            "event journal refused a batch, retrying: {e}"
                        );
                    }
                    self.set_failing(Some(e.to_string()));
                    std::thread::sleep(RETRY_AFTER);
                }
            }
        };
        if attempts > 0 {
            tracing::warn!(attempts, "event journal accepts writes again");
            self.set_failing(None);
        }
        if let Some(&(_, last_seq)) = committed.last()
            && let Ok(mut stats) = self.stats.lock()
        {
            stats.last_seq = last_seq;
            stats.committed_batches += 1;
            stats.events = self.journal.len();
            stats.body_bytes = self.journal.body_bytes();
        }
        if let Some(&(_, last_seq)) = committed.last() {
            self.committed.send_replace(last_seq);
        }
        // Records are copied only for the subscribers that want them.
        for (at, seq) in committed {
            let event = &batch[at].event;
            self.log_budget.log(seq, event);
            for subscriber in &self.subscribers {
                if !(subscriber.wants)(event) {
                    continue;
                }
                match subscriber.tx.try_send(self.journal.record(seq, event)) {
                    Ok(()) | Err(TrySendError::Disconnected(_)) => {}
                    Err(TrySendError::Full(_)) => {
                        subscriber.overflowed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }
    }

    fn set_failing(&self, failing: Option<String>) {
        if let Ok(mut stats) = self.stats.lock() {
            stats.failing = failing;
        }
    }

    /// Drops go out as one `EventsDropped` (and one log line) per
    /// [`DROP_REPORT_EVERY`] at most: a journal at its bound trims on every
    /// batch, and a report per pass would flood the journal with reports.
    fn report_drops(&mut self, now: i64, force: bool) {
        let Some(pending) = &self.drops.pending else {
            return;
        };
        let due = self
            .drops
            .last_report
            .is_none_or(|at| at.elapsed() >= DROP_REPORT_EVERY);
        if !(due || force) {
            return;
        }
        tracing::error!(
            deleted = pending.deleted,
            unacknowledged = pending.unacknowledged,
            bound = pending.reason,
            "event journal retention dropped events a consumer had not read"
        );
        if let Some(event) = Journal::drop_event(pending, now) {
            self.carry.push(Pending {
                event,
                once_key: None,
            });
        }
        self.drops.pending = None;
        self.drops.last_report = Some(Instant::now());
    }

    fn enforce_retention(&mut self) {
        let now = clawguard_sys::clock::now_ms();
        match self.journal.enforce(&self.retention, now) {
            Ok(passes) => {
                for pass in passes {
                    if pass.unacknowledged > 0 {
                        if let Ok(mut stats) = self.stats.lock() {
                            stats.dropped_unacknowledged += pass.unacknowledged;
                        }
                        self.drops.add(&pass);
                    }
                }
                self.report_drops(now, false);
                if let Ok(mut stats) = self.stats.lock() {
                    stats.events = self.journal.len();
                    stats.body_bytes = self.journal.body_bytes();
                }
            }
            Err(e) => tracing::error!("event journal retention: {e}"),
        }
    }
}

fn take(envelope: Envelope, batch: &mut Vec<Pending>, barriers: &mut Vec<(u64, Arc<AtomicU64>)>) {
    match envelope {
        Envelope::Event(event) => batch.push(Pending {
            event,
            once_key: None,
        }),
        Envelope::Once { event, key } => batch.push(Pending {
            event,
            once_key: Some(key),
        }),
        Envelope::Barrier { token, reached } => barriers.push((token, reached)),
    }
}

/// Start the writer on the journal in `dir`; the returned bus is the
/// producers' end. When the journal cannot be opened (a full disk, a
/// read-only state directory) the daemon still starts: the writer retries
/// the open every second, the bus fills meanwhile, and producers wait or
/// count what they drop, as they do for a stalled disk.
pub fn start(
    dir: &std::path::Path,
    host: &str,
    retention: Retention,
    subscribers: Vec<Subscriber>,
    faults: WriterFaults,
) -> std::io::Result<(crate::Bus, Writer)> {
    let (bus, rx) = crate::bus::channel(crate::bus::BUS_CAPACITY);
    let stats = Arc::new(Mutex::new(WriterStats::default()));
    let closing = Arc::new(AtomicBool::new(false));
    let committed = Arc::new(tokio::sync::watch::Sender::new(0));
    let (shared, closing_seen) = (Arc::clone(&stats), Arc::clone(&closing));
    let committed_tx = Arc::clone(&committed);
    let (dir, host) = (dir.to_path_buf(), host.to_string());
    let handle = std::thread::Builder::new()
        .name("journal-writer".into())
        .spawn(move || {
            let Some(journal) = open_with_retry(&dir, &host, &closing_seen, &shared) else {
                return;
            };
            if let Ok(mut stats) = shared.lock() {
                stats.last_seq = journal.last_seq().unwrap_or(0);
                stats.events = journal.len();
                stats.body_bytes = journal.body_bytes();
                stats.failing = None;
            }
            committed_tx.send_replace(journal.last_seq().unwrap_or(0));
            let mut state = WriterState {
                journal,
                retention,
                subscribers,
                faults,
                stats: shared,
                committed: committed_tx,
                carry: Vec::new(),
                log_budget: LogBudget {
                    second: Instant::now(),
                    logged: 0,
                    skipped: 0,
                },
                drops: DropReports::default(),
            };
            state.run(&rx);
        })?;
    Ok((
        bus,
        Writer {
            handle,
            stats,
            closing,
            committed,
        },
    ))
}

/// Open the journal, retrying while it refuses. `None` when the daemon
/// stops before it opened (what waits on the bus was never committed, so
/// never emitted; the log says how much).
fn open_with_retry(
    dir: &std::path::Path,
    host: &str,
    closing: &AtomicBool,
    stats: &Arc<Mutex<WriterStats>>,
) -> Option<Journal> {
    let mut attempts = 0u32;
    loop {
        match Journal::open(dir, host) {
            Ok(journal) => {
                if attempts > 0 {
                    tracing::warn!(attempts, "event journal opened; events are written again");
                }
                return Some(journal);
            }
            Err(e) => {
                attempts += 1;
                if attempts == 1 || attempts.is_power_of_two() {
                    tracing::error!(
                        attempts,
                        "EVENT JOURNAL NOT WRITABLE: {e}; events wait on the bus (bounded) and \
                         the open is retried every second"
                    );
                }
                if let Ok(mut stats) = stats.lock() {
                    stats.failing = Some(e.to_string());
                }
                if closing.load(Ordering::Acquire) {
                    tracing::error!(
                        "stopping with an event journal that never opened: the events on the \
                         bus are lost"
                    );
                    return None;
                }
                std::thread::sleep(RETRY_AFTER);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clawguard_event::{Engine, EventKind};

    fn event(n: i64) -> Event {
        Event::new(
            clawguard_sys::clock::now_ms() + n,
            EventKind::EngineError {
                engine: Engine::Fim,
                message: format!("e{n}"),
            },
        )
    }

    #[test]
    fn barriers_are_reached_only_after_commit_and_subscribers_get_committed_records() {
        let dir = tempfile::tempdir().unwrap();
        let (sub_tx, sub_rx) = std::sync::mpsc::sync_channel(16);
        let subscriber = Subscriber {
            wants: |e| matches!(e.kind, EventKind::EngineError { .. }),
            tx: sub_tx,
            overflowed: Arc::new(AtomicU64::new(0)),
        };
        let (bus, writer) = start(
            dir.path(),
            "h",
            Retention::default(),
            vec![subscriber],
            WriterFaults::default(),
        )
        .unwrap();
        let reached = Arc::new(AtomicU64::new(0));
        bus.send(event(1)).unwrap();
        bus.tx
            .try_send(Envelope::Barrier {
                token: 7,
                reached: Arc::clone(&reached),
            })
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while reached.load(Ordering::Acquire) < 7 {
            assert!(Instant::now() < deadline, "barrier never reached");
            std::thread::sleep(Duration::from_millis(2));
        }
        let reader = Journal::open_existing(dir.path()).unwrap();
        assert_eq!(reader.read_after(0, 10, None).unwrap().len(), 1);
        let got = sub_rx.recv_timeout(Duration::from_secs(5)).unwrap();
        assert_eq!(got.seq, 1);
        drop(bus);
        assert!(writer.join());
    }
}
