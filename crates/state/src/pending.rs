//! What the daemon holds while the database cannot be written (locked past
//! the busy timeout, disk full, not openable): bans queued in memory, in
//! order and bounded, and the backoff between write attempts.

use std::collections::VecDeque;

use crate::BanRecord;

/// Bans queued at most; past it the oldest queued record is dropped.
pub const MAX_PENDING_BANS: usize = 100_000;
/// First retry delay after a failed write.
pub const FIRST_RETRY_MS: i64 = 1_000;
/// Longest delay between retries.
pub const MAX_RETRY_MS: i64 = 30_000;

/// Bans decided and enforced but not yet in the database, oldest first.
///
/// At the bound the oldest record is dropped and counted: that ban stays in
/// the kernel (with its timeout) and in the running engine until it ends,
/// but it will not be restored after a restart and does not count towards
/// `bantime.increment` history.
#[derive(Debug)]
pub struct PendingBans {
    records: VecDeque<BanRecord>,
    capacity: usize,
    dropped: u64,
}

impl Default for PendingBans {
    fn default() -> Self {
        PendingBans::with_capacity(MAX_PENDING_BANS)
    }
}

impl PendingBans {
    /// A queue holding at most `capacity` records (at least one).
    pub fn with_capacity(capacity: usize) -> PendingBans {
        PendingBans {
            records: VecDeque::new(),
            capacity: capacity.max(1),
            dropped: 0,
        }
    }

    /// Queue records after those already waiting; returns how many older
    /// records this dropped at the bound.
    pub fn push(&mut self, records: impl IntoIterator<Item = BanRecord>) -> usize {
        let mut dropped = 0;
        for record in records {
            if self.records.len() == self.capacity {
                self.records.pop_front();
                dropped += 1;
            }
            self.records.push_back(record);
        }
        self.dropped += dropped as u64;
        dropped
    }

    /// The queued records, oldest first.
    pub fn records(&self) -> impl ExactSizeIterator<Item = &BanRecord> {
        self.records.iter()
    }

    /// The queued records as one slice (for a single transaction).
    pub fn as_slice(&mut self) -> &[BanRecord] {
        self.records.make_contiguous()
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Records dropped at the bound since the queue was created.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// Forget the queued records once they are written.
    pub fn clear(&mut self) {
        self.records.clear();
    }
}

/// Exponential backoff between write attempts: 1 s, 2 s, 4 s … capped at
/// [`MAX_RETRY_MS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    failures: u32,
    next_ms: i64,
}

impl Backoff {
    /// After the first failure at `now_ms`.
    pub fn start(now_ms: i64) -> Backoff {
        Backoff {
            failures: 1,
            next_ms: now_ms.saturating_add(FIRST_RETRY_MS),
        }
    }

    /// Whether a retry is due at `now_ms`.
    pub fn due(&self, now_ms: i64) -> bool {
        now_ms >= self.next_ms
    }

    /// Another failed attempt at `now_ms`; returns the delay until the next.
    pub fn failed(&mut self, now_ms: i64) -> i64 {
        self.failures = self.failures.saturating_add(1);
        let shift = (self.failures - 1).min(16);
        let delay = (FIRST_RETRY_MS << shift).min(MAX_RETRY_MS);
        self.next_ms = now_ms.saturating_add(delay);
        delay
    }

    /// Failed attempts so far.
    pub fn failures(&self) -> u32 {
        self.failures
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(n: u8) -> BanRecord {
        BanRecord {
            target: format!("192.0.2.{n}/32").parse().unwrap(),
            jail: "sshd".into(),
            start_ms: i64::from(n),
            end_ms: None,
            failures: 3,
            ban_count: 1,
            manual: false,
        }
    }

    #[test]
    fn the_bound_drops_the_oldest_and_counts() {
        let mut queue = PendingBans::with_capacity(3);
        assert_eq!(queue.push((1..=2).map(record)), 0);
        assert_eq!(queue.push((3..=5).map(record)), 2);
        let kept: Vec<i64> = queue.records().map(|r| r.start_ms).collect();
        assert_eq!(kept, [3, 4, 5]);
        assert_eq!(queue.dropped(), 2);
        assert_eq!(queue.as_slice().len(), 3);
        queue.clear();
        assert!(queue.is_empty());
        assert_eq!(queue.dropped(), 2);
    }

    #[test]
    fn default_bound_holds_exactly_max_pending_bans() {
        let mut queue = PendingBans::default();
        let many = (0..MAX_PENDING_BANS + 10).map(|i| BanRecord {
            start_ms: i as i64,
            ..record(1)
        });
        assert_eq!(queue.push(many), 10);
        assert_eq!(queue.len(), MAX_PENDING_BANS);
        assert_eq!(queue.records().next().unwrap().start_ms, 10);
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let mut backoff = Backoff::start(0);
        assert!(!backoff.due(999));
        assert!(backoff.due(1_000));
        let delays: Vec<i64> = (0..8).map(|_| backoff.failed(0)).collect();
        assert_eq!(
            delays,
            [2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000, 30_000]
        );
        for _ in 0..100 {
            backoff.failed(0);
        }
        assert_eq!(backoff.failed(i64::MAX - 1), MAX_RETRY_MS);
    }
}
