//! The wall clock, read in one place. Pure cores (ban, filter, logtime,
//! skills analysis) never call this: they take the time as a parameter.

use std::time::{SystemTime, UNIX_EPOCH};

/// Now, in Unix epoch milliseconds.
pub fn now_ms() -> i64 {
    epoch_ms(SystemTime::now())
}

/// `time` in Unix epoch milliseconds: 0 for a time before the epoch (a
/// clock set wrong must not yield negative times), `i64::MAX` past its
/// range. Never panics.
pub fn epoch_ms(time: SystemTime) -> i64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn before_epoch_is_zero_and_overflow_saturates() {
        assert_eq!(
            epoch_ms(UNIX_EPOCH + Duration::from_millis(1_765_000_000_123)),
            1_765_000_000_123
        );
        assert_eq!(epoch_ms(UNIX_EPOCH - Duration::from_secs(1)), 0);
        // 10^16 s is 10^19 ms, past i64::MAX: an `as i64` cast would wrap negative.
        let far = UNIX_EPOCH + Duration::from_secs(10_000_000_000_000_000);
        assert_eq!(epoch_ms(far), i64::MAX);
        let now = now_ms();
        assert!(now > 1_700_000_000_000, "{now}");
    }
}
