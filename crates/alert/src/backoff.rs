//! When to try a failed notification again: exponential backoff with jitter,
//! never sooner than the receiver's `Retry-After`. Pure: the caller passes
//! the random number.
//!
//! "Equal jitter": half the exponential step is fixed and half random, so
//! retries of many sinks spread out, yet no retry comes sooner than half
//! the step. With the defaults (1 s doubling to 1 min) a receiver that is
//! down gets 7 attempts in its first minute, then one every 30 to 60 s, and
//! one that comes back is seen within a minute.

use std::time::Duration;

/// The first step.
pub const BASE: Duration = Duration::from_secs(1);
/// The largest step.
pub const CAP: Duration = Duration::from_secs(60);
/// The longest `Retry-After` honoured.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);

/// The wait before attempt `failures + 1`, after `failures` failed ones
/// (≥ 1). `random` is any random u64.
pub fn delay(failures: u32, retry_after: Option<Duration>, random: u64) -> Duration {
    let exponent = failures.saturating_sub(1).min(20);
    let step_ms = (BASE.as_millis() as u64)
        .saturating_mul(1 << exponent)
        .min(CAP.as_millis() as u64);
    let half = step_ms / 2;
    let jitter = if half == 0 { 0 } else { random % (half + 1) };
    let backoff = Duration::from_millis(half + jitter);
    match retry_after {
        Some(after) => backoff.max(after.min(MAX_RETRY_AFTER)),
        None => backoff,
    }
}

/// A random u64 for [`delay`], from the OS.
pub fn random() -> u64 {
    let mut bytes = [0u8; 8];
    // Without randomness the delay is only less spread out.
    let _ = getrandom::fill(&mut bytes);
    u64::from_le_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_to_the_cap_and_stays_within_half_and_whole_step() {
        for failures in 1u32..40 {
            let step = (1000u64 << failures.saturating_sub(1).min(20)).min(60_000);
            for random in [0, 1, u64::MAX / 3, u64::MAX] {
                let d = delay(failures, None, random).as_millis() as u64;
                assert!(
                    d >= step / 2 && d <= step,
                    "failures {failures}: {d} vs {step}"
                );
            }
        }
    }

    #[test]
    fn retry_after_is_a_floor_with_a_ceiling() {
        let d = delay(1, Some(Duration::from_secs(30)), 0);
        assert_eq!(d, Duration::from_secs(30));
        let d = delay(1, Some(Duration::from_secs(86_400)), 0);
        assert_eq!(d, MAX_RETRY_AFTER);
        let d = delay(12, Some(Duration::from_millis(1)), 0);
        assert!(d >= Duration::from_secs(30));
    }

    #[test]
    fn a_dead_receiver_gets_few_attempts_per_minute() {
        // Worst case: every random draw gives the shortest wait.
        let mut elapsed = Duration::ZERO;
        let mut attempts = 0;
        while elapsed < Duration::from_secs(3600) {
            attempts += 1;
            elapsed += delay(attempts, None, 0);
        }
        assert!(attempts < 130, "{attempts} attempts in an hour");
    }
}
