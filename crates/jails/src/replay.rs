//! `clawguard replay`: run a jail over a file with the file's own timestamps
//! as the clock, and report the bans it would have made. Nothing is enforced
//! or stored.

use std::path::Path;

use clawguard_ban::{Decision, Engine, Limits};
use ipnet::IpNet;
use serde::Serialize;

use crate::catalog::JailSpec;
use crate::filter_test::{FilterTestError, LogFormat, for_each_log_line, format_time};
use crate::matcher::JailFilter;

/// One ban the jail would have made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReplayBan {
    /// The banned address or prefix (an IPv6 /64 by default).
    pub ip: String,
    pub jail: String,
    /// When, by the log's clock (RFC 3339, UTC).
    pub time: String,
    /// Failures that led to it.
    pub failures: u32,
}

/// Every ban, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReplayReport {
    pub bans: Vec<ReplayBan>,
}

/// Errors replaying.
#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error(transparent)]
    Filter(#[from] FilterTestError),
    #[error("jail {jail}: {source}")]
    Policy {
        jail: String,
        #[source]
        source: clawguard_ban::BanError,
    },
}

/// Replay `jail` over `path`. Lines without a time take the time of the last
/// dated line (or `now_ms` before the first one). A journal export is dated by
/// the journal and filtered by the jail's `journalmatch`.
pub fn run(
    jail: &JailSpec,
    trusted_proxies: &[IpNet],
    path: &Path,
    format: LogFormat,
    now_ms: i64,
) -> Result<ReplayReport, ReplayError> {
    let mut filter = JailFilter::build(&jail.filter, trusted_proxies)
        .map_err(|e| ReplayError::Filter(FilterTestError::Compile(e)))?;
    // Replays judge a log from another time and often another host: only the
    // jail's own ignore list applies, not this host's addresses.
    let mut policy = jail.policy.clone();
    policy.ignore_self = false;
    let mut engine =
        Engine::new(vec![policy], Limits::default(), 0).map_err(|source| ReplayError::Policy {
            jail: jail.name.clone(),
            source,
        })?;
    let mut report = ReplayReport::default();
    let mut clock = now_ms;
    let mut seen_time = false;
    let mut error = None;
    for_each_log_line(path, format, &jail.journalmatch, |_, line| {
        let Some(line) = line else {
            return;
        };
        if error.is_some() {
            return;
        }
        let clock_now = if seen_time { clock } else { now_ms };
        let result = filter.process(line.bytes, line.truncated, line.time_ms, clock_now);
        if let Some(time) = result.time_ms {
            clock = if seen_time { clock.max(time) } else { time };
            seen_time = true;
        }
        let _ = engine.expire(clock);
        for failure in &result.failures {
            let time = result.time_ms.unwrap_or(clock);
            match engine.failure(&jail.name, failure.addr, failure.count, time, clock) {
                Ok(Decision::Ban(order)) => report.bans.push(ReplayBan {
                    ip: order.key.to_string(),
                    jail: order.jail.clone(),
                    time: format_time(order.start_ms),
                    failures: order.failures,
                }),
                Ok(_) => {}
                Err(source) => {
                    error = Some(ReplayError::Policy {
                        jail: jail.name.clone(),
                        source,
                    })
                }
            }
        }
    })?;
    match error {
        Some(e) => Err(e),
        None => Ok(report),
    }
}
