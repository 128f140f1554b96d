//! `clawguard filter-test`: run one filter over a file, as `fail2ban-regex`.

use std::path::Path;

use clawguard_filter::LineKind;
use ipnet::IpNet;
use serde::Serialize;

use clawguard_logwatch::{ExportRecord, MAX_JOURNAL_RECORD_BYTES};

use crate::catalog::FilterPlan;
use crate::matcher::{JailFilter, for_each_line};

/// Longest line looked at; longer lines are cut (the filter cuts again at its own bound).
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// What a log file given to `filter-test` or `replay` holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LogFormat {
    /// A journal export when the first line is a `journalctl -o json`
    /// record (it has `__REALTIME_TIMESTAMP` or `__CURSOR`), else lines.
    #[default]
    Auto,
    /// Plain log lines, each dated by its own text.
    Lines,
    /// `journalctl -o json` output: each entry formatted as the daemon's
    /// journal source formats it, dated by the journal, and kept only when it
    /// passes the journal matches.
    JournalJson,
}

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
    /// Failures this line stands for: more than one for a gateway line that
    /// says ` suppressed=N` (N+1). Left out of the JSON when it is 1.
    #[serde(skip_serializing_if = "is_one")]
    pub count: u32,
}

fn is_one(count: &u32) -> bool {
    *count == 1
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
/// With `collect_matches` false only the counts are kept. A journal export
/// is filtered by the filter's own `journalmatch`; an unreadable record in it
/// counts as a missed line.
pub fn run(
    plan: &FilterPlan,
    trusted_proxies: &[IpNet],
    path: &Path,
    format: LogFormat,
    now_ms: i64,
    collect_matches: bool,
) -> Result<FilterTestReport, FilterTestError> {
    let mut filter = JailFilter::build(plan, trusted_proxies)?;
    let journalmatch = match plan {
        FilterPlan::Regex(def) => def.journalmatch.clone(),
        FilterPlan::Gateway => Vec::new(),
    };
    let mut report = FilterTestReport::default();
    // Consecutive matches mostly share their second: format each once.
    let mut last_time: Option<(i64, String)> = None;
    let lines = for_each_log_line(path, format, &journalmatch, |line_no, line| {
        let result = match line {
            Some(line) => filter.process(line.bytes, line.truncated, line.time_ms, now_ms),
            None => {
                report.missed += 1;
                return;
            }
        };
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
                    count: failure.count,
                });
            }
        }
    })?;
    report.lines = lines;
    Ok(report)
}

/// One line handed on by [`for_each_log_line`].
pub(crate) struct LogLine<'a> {
    pub bytes: &'a [u8],
    /// The journal's time for an entry of an export; `None` for plain lines.
    pub time_ms: Option<i64>,
    /// The reader cut the line at its bound: it must not be matched.
    pub truncated: bool,
}

/// Calls `each(number, line)` for every line of the file at `path`, read as
/// `format`; returns how many were passed. `None` stands for an unreadable
/// journal record (one cut at the record bound is unreadable too).
/// Journal entries that `journalmatch` leaves out are skipped uncounted.
pub(crate) fn for_each_log_line(
    path: &Path,
    format: LogFormat,
    journalmatch: &[Vec<String>],
    mut each: impl FnMut(u64, Option<LogLine<'_>>),
) -> Result<u64, FilterTestError> {
    use std::io::{BufRead, Read};
    let read_error = |source| FilterTestError::Read {
        path: path.display().to_string(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_error)?;
    let mut reader = std::io::BufReader::new(file);
    // The first record decides the format; it is read again below.
    let mut head = Vec::new();
    if format == LogFormat::Auto {
        (&mut reader)
            .take(MAX_JOURNAL_RECORD_BYTES as u64)
            .read_until(b'\n', &mut head)
            .map_err(read_error)?;
    }
    let journal = match format {
        LogFormat::Auto => clawguard_logwatch::is_journal_export(trim_newline(&head)),
        LogFormat::Lines => false,
        LogFormat::JournalJson => true,
    };
    let input = std::io::Cursor::new(head).chain(reader);
    if !journal {
        return for_each_line(input, MAX_LINE_BYTES, |n, bytes, truncated| {
            each(
                n,
                Some(LogLine {
                    bytes,
                    time_ms: None,
                    truncated,
                }),
            )
        })
        .map_err(read_error);
    }
    let mut passed = 0u64;
    for_each_line(input, MAX_JOURNAL_RECORD_BYTES, |n, record, record_cut| {
        if record.iter().all(u8::is_ascii_whitespace) {
            return;
        }
        if record_cut {
            passed += 1;
            each(n, None);
            return;
        }
        match clawguard_logwatch::parse_export_record(record, journalmatch) {
            ExportRecord::Entry { line, time_ms, .. } => {
                passed += 1;
                each(
                    n,
                    Some(LogLine {
                        bytes: &line,
                        time_ms,
                        truncated: false,
                    }),
                );
            }
            ExportRecord::Unmatched => {}
            ExportRecord::Unreadable => {
                passed += 1;
                each(n, None);
            }
        }
    })
    .map_err(read_error)?;
    Ok(passed)
}

fn trim_newline(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// RFC 3339 in UTC with seconds, as used in every report.
pub fn format_time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}
