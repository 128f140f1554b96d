//! When an engine that stopped is started again, and when it is given up
//! on. Pure: the caller passes the clock.

use std::time::Duration;

/// Restarts allowed within [`WINDOW_MS`] before the engine is marked failed.
pub const MAX_RESTARTS: usize = 5;
/// The window in which restarts are counted.
pub const WINDOW_MS: i64 = 10 * 60 * 1000;
/// First delay before a restart; doubles with every failure in the window.
pub const FIRST_DELAY: Duration = Duration::from_millis(500);
/// Longest delay before a restart.
pub const MAX_DELAY: Duration = Duration::from_secs(30);

/// What to do after an engine stopped on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub enum Next {
    RestartAfter(Duration),
    /// Too many failures in the window: leave it stopped.
    GiveUp,
}

/// One engine's recent failures.
#[derive(Debug, Clone, Default)]
pub struct RestartPolicy {
    /// Times of failures within the window, oldest first.
    failures: Vec<i64>,
    /// Every restart since the daemon started.
    total_restarts: u64,
}

impl RestartPolicy {
    /// The engine stopped (returned an error or panicked) at `now_ms`.
    pub fn failed(&mut self, now_ms: i64) -> Next {
        self.failures
            .retain(|&at| now_ms.saturating_sub(at) < WINDOW_MS);
        self.failures.push(now_ms);
        if self.failures.len() > MAX_RESTARTS {
            return Next::GiveUp;
        }
        self.total_restarts += 1;
        let doublings = (self.failures.len() - 1).min(16) as u32;
        let delay = FIRST_DELAY.saturating_mul(1 << doublings).min(MAX_DELAY);
        Next::RestartAfter(delay)
    }

    pub fn restarts(&self) -> u64 {
        self.total_restarts
    }

    /// A reload or a person asked for a fresh start: forget the failures.
    pub fn reset(&mut self) {
        self.failures.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backs_off_then_gives_up_within_the_window() {
        let mut policy = RestartPolicy::default();
        let delays: Vec<Next> = (0..6).map(|i| policy.failed(1_000 + i)).collect();
        assert_eq!(
            delays[..5],
            [
                Next::RestartAfter(Duration::from_millis(500)),
                Next::RestartAfter(Duration::from_secs(1)),
                Next::RestartAfter(Duration::from_secs(2)),
                Next::RestartAfter(Duration::from_secs(4)),
                Next::RestartAfter(Duration::from_secs(8)),
            ]
        );
        assert_eq!(delays[5], Next::GiveUp);
        assert_eq!(policy.restarts(), 5);
    }

    #[test]
    fn failures_outside_the_window_are_forgotten() {
        let mut policy = RestartPolicy::default();
        for i in 0..5 {
            let _ = policy.failed(i);
        }
        assert_eq!(
            policy.failed(WINDOW_MS + 10),
            Next::RestartAfter(Duration::from_millis(500))
        );
    }
}
