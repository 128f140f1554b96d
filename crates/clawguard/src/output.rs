//! How verbs print: one JSON document, times, and the views of bans and
//! jails that several verbs show. Leaf module: it imports nothing from the
//! rest of the crate.

use std::io::Write;

use anyhow::Result;
use clawguard_jails::catalog;
use clawguard_state::BanRecord;
use serde::Serialize;

/// Print `value` as exactly one JSON document on stdout.
pub fn print_json<T: Serialize>(value: &T) -> Result<()> {
    // Compact and buffered: one document on one line (filter-test can print
    // hundreds of thousands of matches; pipe through `jq` to read it).
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    serde_json::to_writer(&mut out, value).map_err(std::io::Error::from)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

/// RFC 3339 in UTC, to the second (the number itself if out of range).
pub fn format_time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_else(|| ms.to_string())
}

/// "until <time>" or "permanent".
pub fn describe_end(end_ms: Option<i64>) -> String {
    match end_ms {
        Some(end) => format!("until {}", format_time(end)),
        None => "permanent".into(),
    }
}

#[derive(Serialize)]
pub struct JailSummary {
    pub name: String,
    pub origin: catalog::Origin,
    pub filter: String,
    pub sources: Vec<catalog::SourcePlan>,
    pub maxretry: u32,
    pub findtime_s: i64,
    pub bantime_s: i64,
    pub increment: bool,
}

pub fn jail_summaries(catalog: &catalog::Catalog) -> Vec<JailSummary> {
    catalog
        .jails
        .iter()
        .map(|j| JailSummary {
            name: j.name.clone(),
            origin: j.origin.clone(),
            filter: j.filter_spec.clone(),
            sources: j.sources.clone(),
            maxretry: j.policy.max_retry,
            findtime_s: j.policy.find_time_ms / 1000,
            bantime_s: j.policy.ban_time_ms / 1000,
            increment: j.policy.increment.is_some(),
        })
        .collect()
}

#[derive(Serialize)]
pub struct BanView {
    pub target: String,
    pub jail: String,
    pub start: String,
    pub end: Option<String>,
    pub remaining_s: Option<i64>,
    pub failures: u32,
    pub ban_count: u32,
    pub manual: bool,
}

pub fn ban_views(bans: &[BanRecord], now: i64) -> Vec<BanView> {
    bans.iter()
        .map(|b| BanView {
            target: b.target.to_string(),
            jail: b.jail.clone(),
            start: format_time(b.start_ms),
            end: b.end_ms.map(format_time),
            remaining_s: b.end_ms.map(|e| ((e - now).max(0) + 999) / 1000),
            failures: b.failures,
            ban_count: b.ban_count,
            manual: b.manual,
        })
        .collect()
}
