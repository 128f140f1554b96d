//! `clawguard filter-test`: run one filter over a file, as `fail2ban-regex`.

use std::path::Path;

use clawguard_filter::LineKind;
use ipnet::IpNet;
use serde::Serialize;

use crate::catalog::FilterPlan;
use crate::matcher::{JailFilter, for_each_line};

/// Longest line looked at; longer lines are cut (the filter cuts again at its own bound).
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// Errors running a filter test.
#[derive(Debug, thiserror::Error)]
pub enum FilterTestError {
    #[error("cannot compile the filter: {0}")]
    Compile(#[from] clawguard_filter::FilterError),
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// One failure found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Match {
    /// 1-based line number.
    pub line: u64,
    pub host: String,
    /// The line's time (RFC 3339, UTC), or empty when it had none.
    pub time: String,
}

/// Counts as `fail2ban-regex` prints them, and every match.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FilterTestReport {
    pub lines: u64,
    pub matched: u64,
    pub ignored: u64,
    pub missed: u64,
    /// Lines counted in `missed` because they were longer than the bound
    /// and were not matched (a cut line could blame the wrong address).
    pub truncated: u64,
    pub matches: Vec<Match>,
}

/// Run `plan` over the file at `path`. `now_ms` resolves year-less dates.
/// With `collect_matches` false only the counts are kept.
pub fn run(
    plan: &FilterPlan,
    trusted_proxies: &[IpNet],
    path: &Path,
    now_ms: i64,
    collect_matches: bool,
) -> Result<FilterTestReport, FilterTestError> {
    let mut filter = JailFilter::build(plan, trusted_proxies)?;
    let file = std::fs::File::open(path).map_err(|source| FilterTestError::Read {
        path: path.display().to_string(),
        source,
    })?;
    let mut report = FilterTestReport::default();
    // Consecutive matches mostly share their second: format each once.
    let mut last_time: Option<(i64, String)> = None;
    let lines = for_each_line(file, MAX_LINE_BYTES, |line_no, bytes, truncated| {
        let result = filter.process(bytes, truncated, None, now_ms);
        match result.kind {
            LineKind::Matched => report.matched += 1,
            LineKind::Ignored => report.ignored += 1,
            LineKind::Missed => report.missed += 1,
            LineKind::Truncated => {
                report.missed += 1;
                report.truncated += 1;
            }
        }
        if collect_matches && !result.failures.is_empty() {
            let time = match result.time_ms {
                None => String::new(),
                Some(ms) => match &last_time {
                    Some((last_ms, text)) if *last_ms == ms => text.clone(),
                    _ => {
                        let text = format_time(ms);
                        last_time = Some((ms, text.clone()));
                        text
                    }
                },
            };
            for failure in &result.failures {
                report.matches.push(Match {
                    line: line_no,
                    host: failure.addr.to_string(),
                    time: time.clone(),
                });
            }
        }
    })
    .map_err(|source| FilterTestError::Read {
        path: path.display().to_string(),
        source,
    })?;
    report.lines = lines;
    Ok(report)
}

/// RFC 3339 in UTC with seconds, as used in every report.
pub fn format_time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}
