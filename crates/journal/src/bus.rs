//! The event bus: a bounded channel from every engine to the one journal
//! writer.
//!
//! Two ways in, by what a producer may do when the bus is full:
//! - [`Bus::send`] waits (fim, the skill auditor: their events are few and
//!   they can afford to pause);
//! - an [`Outbox`] never waits (the ban engine: its decision path must not
//!   stall behind a slow disk). It keeps what does not fit in a bounded
//!   queue of its own and hands it on later; past its bound it drops the
//!   oldest events, counts them, and says so with an `EventsDropped` event.
//!
//! A producer that must know when its events are durable (the ban engine
//! saves a log position only after the events that line caused are
//! committed) puts a barrier behind them: the writer raises the producer's
//! watermark to the barrier's token once everything before it is committed.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError};

use clawguard_event::{Engine, Event, EventKind};

/// Envelopes the bus holds at most; beyond it producers wait or queue.
pub const BUS_CAPACITY: usize = 8192;

/// Most events an [`Outbox`] holds while the bus is full.
pub const OUTBOX_CAPACITY: usize = 65_536;

/// What travels on the bus.
#[derive(Debug)]
pub enum Envelope {
    Event(Event),
    /// Appended only if no event with the same key is in the journal.
    Once {
        event: Event,
        key: String,
    },
    /// Once every envelope before it is committed, `reached` is raised to
    /// `token`.
    Barrier {
        token: u64,
        reached: Arc<AtomicU64>,
    },
}

/// The bus is gone: the writer stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the event journal writer has stopped")]
pub struct Closed;

/// A producer's end of the bus. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Bus {
    pub(crate) tx: SyncSender<Envelope>,
}

/// Make a bus: the producers' end and the writer's end.
pub fn channel(capacity: usize) -> (Bus, Receiver<Envelope>) {
    let (tx, rx) = std::sync::mpsc::sync_channel(capacity.max(1));
    (Bus { tx }, rx)
}

impl Bus {
    /// Send one event, waiting while the bus is full. Blocking: call it from
    /// an engine's own thread, never from an async task.
    pub fn send(&self, event: Event) -> Result<(), Closed> {
        self.tx.send(Envelope::Event(event)).map_err(|_| Closed)
    }

    /// Send one event without waiting; `false` when the bus is full or
    /// closed (the caller counts or logs it).
    pub fn offer(&self, event: Event) -> bool {
        self.tx.try_send(Envelope::Event(event)).is_ok()
    }

    /// Send one event, waiting while the bus is full unless `stop()` turns
    /// true (an engine being cancelled must not hang on a stalled writer).
    pub fn send_unless(&self, event: Event, stop: impl Fn() -> bool) -> Result<(), Closed> {
        let mut envelope = Envelope::Event(event);
        let mut wait = std::time::Duration::from_millis(1);
        loop {
            match self.tx.try_send(envelope) {
                Ok(()) => return Ok(()),
                Err(TrySendError::Disconnected(_)) => return Err(Closed),
                Err(TrySendError::Full(back)) => {
                    if stop() {
                        return Err(Closed);
                    }
                    envelope = back;
                    std::thread::sleep(wait);
                    wait = (wait * 2).min(std::time::Duration::from_millis(50));
                }
            }
        }
    }
}

/// A producer's queue in front of the bus that never blocks. See the module
/// documentation.
#[derive(Debug)]
pub struct Outbox {
    bus: Bus,
    source: Engine,
    queue: VecDeque<Envelope>,
    /// Events (not barriers) in `queue`.
    queued_events: usize,
    capacity: usize,
    /// Dropped since the last `EventsDropped` went out.
    dropped: u64,
    /// Once-keyed events dropped since this outbox was made: their
    /// producer can announce them again later (the ban engine does at its
    /// next start), so it must not record them as committed.
    dropped_once: u64,
    reached: Arc<AtomicU64>,
    next_token: u64,
    closed: bool,
}

impl Outbox {
    pub fn new(bus: Bus, source: Engine, capacity: usize) -> Self {
        Self {
            bus,
            source,
            queue: VecDeque::new(),
            queued_events: 0,
            capacity: capacity.max(1),
            dropped: 0,
            dropped_once: 0,
            reached: Arc::new(AtomicU64::new(0)),
            next_token: 0,
            closed: false,
        }
    }

    /// Queue an event and hand on what the bus takes now.
    pub fn push(&mut self, event: Event) {
        self.enqueue(Envelope::Event(event));
    }

    /// Queue an event that is appended only once per `key`.
    pub fn push_once(&mut self, event: Event, key: String) {
        self.enqueue(Envelope::Once { event, key });
    }

    /// Put a barrier behind everything queued so far. Its token is reached
    /// ([`Outbox::committed`]) once all of it is committed.
    pub fn barrier(&mut self) -> u64 {
        self.next_token += 1;
        let token = self.next_token;
        // Two barriers in a row: the later one covers the earlier.
        if let Some(Envelope::Barrier { token: last, .. }) = self.queue.back_mut() {
            *last = token;
        } else {
            self.queue.push_back(Envelope::Barrier {
                token,
                reached: Arc::clone(&self.reached),
            });
        }
        self.flush();
        token
    }

    /// The highest barrier token whose events are all committed.
    pub fn committed(&self) -> u64 {
        self.reached.load(Ordering::Acquire)
    }

    /// The token of the newest barrier (0 before the first).
    pub fn last_token(&self) -> u64 {
        self.next_token
    }

    /// Events waiting for room on the bus.
    pub fn backlog(&self) -> usize {
        self.queued_events
    }

    /// Events dropped and not yet reported.
    pub fn unreported_drops(&self) -> u64 {
        self.dropped
    }

    /// Once-keyed events dropped since the outbox was made.
    pub fn dropped_once(&self) -> u64 {
        self.dropped_once
    }

    fn enqueue(&mut self, envelope: Envelope) {
        if self.queued_events >= self.capacity {
            self.drop_oldest_event();
        }
        self.queued_events += 1;
        self.queue.push_back(envelope);
        self.flush();
    }

    /// Drop the oldest event. Barriers are never adjacent (a barrier
    /// behind a barrier merges into it), so at most one barrier precedes the
    /// oldest event; once it is gone, that barrier and the next merge, and
    /// the queue stays within twice its capacity plus one.
    fn drop_oldest_event(&mut self) {
        let at = self
            .queue
            .iter()
            .position(|e| !matches!(e, Envelope::Barrier { .. }));
        let Some(at) = at else {
            return;
        };
        if let Some(Envelope::Once { .. }) = self.queue.remove(at) {
            self.dropped_once += 1;
        }
        self.queued_events -= 1;
        self.dropped += 1;
        // Barriers now adjacent at `at - 1` and `at`: the later token
        // covers both.
        if at > 0
            && matches!(self.queue.get(at - 1), Some(Envelope::Barrier { .. }))
            && matches!(self.queue.get(at), Some(Envelope::Barrier { .. }))
        {
            self.queue.remove(at - 1);
        }
    }

    /// Entries queued, barriers included (for tests of the bound).
    pub fn queued_entries(&self) -> usize {
        self.queue.len()
    }

    /// Hand on as much as the bus takes now, oldest first; then report
    /// drops once there is room for the report.
    pub fn flush(&mut self) {
        if self.closed {
            return;
        }
        while let Some(envelope) = self.queue.pop_front() {
            let is_event = !matches!(envelope, Envelope::Barrier { .. });
            match self.bus.tx.try_send(envelope) {
                Ok(()) => {
                    if is_event {
                        self.queued_events -= 1;
                    }
                }
                Err(TrySendError::Full(envelope)) => {
                    self.queue.push_front(envelope);
                    return;
                }
                Err(TrySendError::Disconnected(_)) => {
                    self.closed = true;
                    return;
                }
            }
        }
        if self.dropped > 0 {
            let report = Event::new(
                clawguard_sys::clock::now_ms(),
                EventKind::EventsDropped {
                    source: self.source,
                    count: self.dropped,
                    first_seq: None,
                    last_seq: None,
                    reason: format!(
                        "the event bus was full for longer than {} queued events (the journal \
                         writer is stalled or too slow); the oldest were dropped",
                        self.capacity
                    ),
                },
            );
            if self.bus.tx.try_send(Envelope::Event(report)).is_ok() {
                self.dropped = 0;
            }
        }
    }

    /// At shutdown: wait (bounded) until the bus has taken everything.
    pub fn drain(&mut self, limit: std::time::Duration) -> usize {
        let deadline = std::time::Instant::now() + limit;
        loop {
            self.flush();
            if self.queue.is_empty() || self.closed || std::time::Instant::now() >= deadline {
                return self.queued_events;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(n: i64) -> Event {
        Event::new(
            n,
            EventKind::EngineError {
                engine: Engine::Ban,
                message: format!("e{n}"),
            },
        )
    }

    #[test]
    fn an_outbox_never_blocks_and_counts_what_it_drops() {
        let (bus, rx) = channel(4);
        let mut outbox = Outbox::new(bus, Engine::Ban, 10);
        let started = std::time::Instant::now();
        for n in 0..100 {
            outbox.push(event(n));
        }
        assert!(started.elapsed() < std::time::Duration::from_millis(100));
        // 4 on the bus, 10 queued, 86 dropped.
        assert_eq!(outbox.backlog(), 10);
        assert_eq!(outbox.unreported_drops(), 86);
        let got: Vec<Envelope> = rx.try_iter().collect();
        assert_eq!(got.len(), 4);
        // Room again: the queue goes out, then the drop report.
        outbox.flush();
        let got: Vec<Envelope> = rx.try_iter().collect();
        assert_eq!(got.len(), 4);
        for _ in 0..5 {
            outbox.flush();
            let _ = rx.try_iter().count();
        }
        outbox.flush();
        let last: Vec<Envelope> = rx.try_iter().collect();
        assert_eq!(outbox.backlog(), 0);
        assert_eq!(outbox.unreported_drops(), 0, "{last:?}");
    }

    #[test]
    fn barriers_stay_bounded_while_the_bus_stays_full() {
        let (bus, rx) = channel(1);
        let mut outbox = Outbox::new(bus, Engine::Ban, 100);
        // One event and one barrier per batch, for far more batches than the
        // bound, with nothing taken off the bus.
        let started = std::time::Instant::now();
        for n in 0..50_000 {
            outbox.push_once(event(n), format!("k{n}"));
            outbox.barrier();
        }
        assert!(
            outbox.queued_entries() <= 2 * 100 + 1,
            "{}",
            outbox.queued_entries()
        );
        assert_eq!(outbox.backlog(), 100);
        assert_eq!(outbox.dropped_once(), 50_000 - 100 - 1);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "pushes stay cheap: {:?}",
            started.elapsed()
        );
        drop(rx);
    }

    #[test]
    fn consecutive_barriers_merge() {
        let (bus, rx) = channel(1);
        let mut outbox = Outbox::new(bus, Engine::Ban, 10);
        outbox.push(event(1)); // fills the bus
        outbox.push(event(2));
        let a = outbox.barrier();
        let b = outbox.barrier();
        assert!(b > a);
        assert_eq!(outbox.queue.len(), 2, "one event and one barrier queued");
        drop(rx);
    }
}
