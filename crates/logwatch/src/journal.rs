//! systemd journal source: a `journalctl --follow --output=json` child process.
//!
//! Entries are formatted like fail2ban's systemd backend (`formatJournalEntry`): hostname,
//! `SYSLOG_IDENTIFIER` (else `_COMM`) with `[SYSLOG_PID or _PID]` and `:`, then `MESSAGE`
//! (byte arrays allowed, multi-valued fields joined by spaces), newlines escaped as `\n`. The
//! entry's `__CURSOR` is its position; a restarted child resumes with `--after-cursor`. If the
//! child exits (e.g. an empty journal directory makes journalctl fail), it is restarted with
//! backoff from the last cursor, so nothing is read twice or skipped.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use tokio::io::AsyncReadExt;
use tokio::process::{Child, Command};

use crate::lines::LineSplitter;
use crate::{
    LogLine, MAX_JOURNAL_RECORD_BYTES, MAX_LINE_BYTES, Position, Sink, SourceError, SpecError,
    StartAt, Stopped, wait_for_shutdown,
};

/// Where `journalctl` is looked for (absolute paths only: the daemon runs as root).
const JOURNALCTL_PATHS: [&str; 2] = ["/usr/bin/journalctl", "/bin/journalctl"];

/// Fields requested from journalctl (cursor and realtime/monotonic stamps always come too).
const OUTPUT_FIELDS: &str = "MESSAGE,_HOSTNAME,SYSLOG_IDENTIFIER,_COMM,SYSLOG_PID,_PID,\
_SOURCE_REALTIME_TIMESTAMP,_SOURCE_MONOTONIC_TIMESTAMP";

const MIN_BACKOFF_MS: u64 = 250;
const MAX_BACKOFF_MS: u64 = 10_000;

/// Longest stderr line of journalctl kept for logging.
const MAX_STDERR_LINE_BYTES: usize = 4096;

/// Journal selection (see `SourceSpec::Journal`).
#[derive(Debug, Clone)]
pub(crate) struct JournalConfig {
    pub matches: Vec<String>,
    pub directory: Option<PathBuf>,
    pub files: Vec<PathBuf>,
}

/// Checks match terms ([`clawguard_config::check_journal_terms`]): nothing
/// may look like an option to journalctl.
pub(crate) fn validate_matches(matches: &[String]) -> Result<(), SpecError> {
    clawguard_config::check_journal_terms(matches.iter().map(String::as_str))
        .map_err(|term| SpecError::BadJournalMatch { term })
}

/// Where a journalctl run starts.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Start {
    AfterCursor(String),
    At(StartAt),
}

fn build_args(config: &JournalConfig, start: &Start) -> Vec<OsString> {
    let mut args: Vec<OsString> = [
        "--follow",
        "--output=json",
        "--all",
        "--no-pager",
        "--quiet",
    ]
    .iter()
    .map(OsString::from)
    .collect();
    args.push(format!("--output-fields={OUTPUT_FIELDS}").into());
    if let Some(dir) = &config.directory {
        let mut arg = OsString::from("--directory=");
        arg.push(dir);
        args.push(arg);
    }
    for file in &config.files {
        let mut arg = OsString::from("--file=");
        arg.push(file);
        args.push(arg);
    }
    match start {
        Start::AfterCursor(cursor) => {
            args.push("--no-tail".into());
            args.push(format!("--after-cursor={cursor}").into());
        }
        Start::At(StartAt::Beginning) => args.push("--no-tail".into()),
        Start::At(StartAt::End) => args.push("--lines=0".into()),
        Start::At(StartAt::SinceMs(since_ms)) => {
            let since_ms = (*since_ms).max(0);
            args.push("--no-tail".into());
            args.push(format!("--since=@{}.{:03}", since_ms / 1000, since_ms % 1000).into());
        }
    }
    args.push("--".into());
    args.extend(config.matches.iter().map(OsString::from));
    args
}

/// Runs the journal source until shutdown.
pub(crate) async fn run(
    config: JournalConfig,
    mut cursor: Option<String>,
    start_at: StartAt,
    mut sink: Sink,
) -> Result<(), SourceError> {
    let program = JOURNALCTL_PATHS
        .iter()
        .find(|p| std::path::Path::new(p).exists())
        .copied()
        .unwrap_or(JOURNALCTL_PATHS[0]);
    let first_start_ms = clawguard_sys::clock::now_ms();
    let mut start_at = start_at;
    let mut backoff_ms = MIN_BACKOFF_MS;
    loop {
        let start = match &cursor {
            Some(cursor) => Start::AfterCursor(cursor.clone()),
            None => Start::At(start_at),
        };
        let mut child = Command::new(program)
            .args(build_args(&config, &start))
            .env_clear()
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|source| SourceError::JournalctlSpawn {
                id: sink.id.clone(),
                program: program.to_owned(),
                source,
            })?;
        tracing::debug!(source = %sink.id, ?start, "Started journalctl.");
        let last_error = Arc::new(Mutex::new(None::<String>));
        let stderr_task = child
            .stderr
            .take()
            .map(|stderr| tokio::spawn(log_stderr(stderr, sink.id.clone(), last_error.clone())));
        let outcome = follow(&mut child, &mut cursor, &mut sink).await;
        // Kill and reap in every case (no zombie, no orphan).
        let _ = child.start_kill();
        let status = child.wait().await;
        if let Some(task) = stderr_task {
            let _ = tokio::time::timeout(Duration::from_millis(200), task).await;
        }
        let delivered = match outcome {
            Err(Stopped) => return Ok(()),
            Ok(delivered) => delivered,
        };
        let error_text = last_error.lock().ok().and_then(|e| e.clone());
        tracing::warn!(source = %sink.id, ?status, error = error_text.as_deref().unwrap_or(""),
            "journalctl exited; restarting.");
        if delivered > 0 {
            backoff_ms = MIN_BACKOFF_MS;
        } else if let Start::AfterCursor(_) = start
            && error_text.as_deref().is_some_and(|e| e.contains("cursor"))
        {
            tracing::warn!(source = %sink.id, "Saved journal cursor rejected; starting without it.");
            cursor = None;
        }
        if cursor.is_none() && start_at == StartAt::End {
            // Entries written while no child ran must not be skipped.
            start_at = StartAt::SinceMs(first_start_ms);
        }
        tokio::select! {
            biased;
            _ = wait_for_shutdown(&mut sink.shutdown) => return Ok(()),
            _ = tokio::time::sleep(Duration::from_millis(backoff_ms)) => {}
        }
        backoff_ms = (backoff_ms * 2).min(MAX_BACKOFF_MS);
    }
}

/// Reads journalctl's output until it ends; returns how many entries were delivered.
async fn follow(
    child: &mut Child,
    cursor: &mut Option<String>,
    sink: &mut Sink,
) -> Result<usize, Stopped> {
    let Some(mut stdout) = child.stdout.take() else {
        return Ok(0);
    };
    let mut buf = vec![0u8; 64 * 1024];
    let mut splitter = LineSplitter::new(MAX_JOURNAL_RECORD_BYTES, 0);
    let mut delivered = 0;
    loop {
        let read = tokio::select! {
            biased;
            _ = wait_for_shutdown(&mut sink.shutdown) => return Err(Stopped),
            read = stdout.read(&mut buf) => read,
        };
        let read = match read {
            Ok(0) => return Ok(delivered),
            Ok(read) => read,
            Err(error) => {
                tracing::warn!(source = %sink.id, %error, "Reading journalctl output failed.");
                return Ok(delivered);
            }
        };
        for record in splitter.feed(&buf[..read]) {
            if record.truncated {
                tracing::warn!(source = %sink.id, limit = MAX_JOURNAL_RECORD_BYTES,
                    "Skipping an oversized journal record.");
                continue;
            }
            let Some(entry) = parse_record(&record.bytes) else {
                tracing::warn!(source = %sink.id, "Skipping an unreadable journal record.");
                continue;
            };
            *cursor = Some(entry.cursor.clone());
            sink.send(LogLine {
                source: sink.id.clone(),
                bytes: entry.line,
                truncated: entry.truncated,
                position: Position::Journal {
                    cursor: entry.cursor,
                },
                time_ms: entry.time_ms,
            })
            .await?;
            delivered += 1;
        }
    }
}

async fn log_stderr(
    mut stderr: tokio::process::ChildStderr,
    id: crate::SourceId,
    last: Arc<Mutex<Option<String>>>,
) {
    let mut buf = vec![0u8; 4096];
    let mut splitter = LineSplitter::new(MAX_STDERR_LINE_BYTES, 0);
    loop {
        let read = match stderr.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(read) => read,
        };
        for line in splitter.feed(&buf[..read]) {
            let text = String::from_utf8_lossy(&line.bytes).into_owned();
            tracing::debug!(source = %id, stderr = %text, "journalctl said.");
            if let Ok(mut last) = last.lock() {
                *last = Some(text);
            }
        }
    }
    if let Some(line) = splitter.flush_partial()
        && let Ok(mut last) = last.lock()
    {
        *last = Some(String::from_utf8_lossy(&line.bytes).into_owned());
    }
}

/// One journal entry turned into a log line.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct JournalEntry {
    pub line: Vec<u8>,
    pub truncated: bool,
    pub cursor: String,
    pub time_ms: Option<i64>,
}

/// Parses one `journalctl --output=json` record; `None` if it is not an object with a cursor.
pub(crate) fn parse_record(json: &[u8]) -> Option<JournalEntry> {
    let Value::Object(fields) = serde_json::from_slice::<Value>(json).ok()? else {
        return None;
    };
    let cursor = match fields.get("__CURSOR")? {
        Value::String(cursor) => cursor.clone(),
        _ => return None,
    };
    let mut line = format_journal_entry(&fields);
    let truncated = line.len() > MAX_LINE_BYTES;
    line.truncate(MAX_LINE_BYTES);
    let time_ms = entry_time_ms(&fields);
    Some(JournalEntry {
        line,
        truncated,
        cursor,
        time_ms,
    })
}

/// Formats an entry the way fail2ban's systemd backend does (without the timestamp prefix).
/// One record of a `journalctl -o json` export, as the journal source would
/// have delivered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportRecord {
    /// The formatted line (cut to [`MAX_LINE_BYTES`]) and the entry's time.
    Entry {
        line: Vec<u8>,
        truncated: bool,
        time_ms: Option<i64>,
    },
    /// A journal entry that the matches leave out.
    Unmatched,
    /// Not a JSON object.
    Unreadable,
}

/// Reads one record of a `journalctl -o json` export. `matches` are
/// alternatives of `FIELD=value` terms (a jail's `journalmatch`), applied as
/// journalctl applies them: an entry passes when, for some alternative, each
/// field named there has one of the values given for it. No alternatives:
/// every entry passes.
pub fn parse_export_record(json: &[u8], matches: &[Vec<String>]) -> ExportRecord {
    let Ok(Value::Object(fields)) = serde_json::from_slice::<Value>(json) else {
        return ExportRecord::Unreadable;
    };
    if !matches.is_empty() && !matches.iter().any(|terms| entry_matches(&fields, terms)) {
        return ExportRecord::Unmatched;
    }
    let mut line = format_journal_entry(&fields);
    let truncated = line.len() > MAX_LINE_BYTES;
    line.truncate(MAX_LINE_BYTES);
    ExportRecord::Entry {
        line,
        truncated,
        time_ms: entry_time_ms(&fields),
    }
}

/// Whether the first line of a file is a `journalctl -o json` record (the
/// OpenClaw gateway's JSON lines have no `__` fields).
pub fn is_journal_export(first_line: &[u8]) -> bool {
    match serde_json::from_slice::<Value>(first_line) {
        Ok(Value::Object(fields)) => {
            fields.contains_key("__REALTIME_TIMESTAMP") || fields.contains_key("__CURSOR")
        }
        _ => false,
    }
}

fn entry_matches(fields: &serde_json::Map<String, Value>, terms: &[String]) -> bool {
    // Terms on the same field are alternatives, terms on different fields all hold.
    let mut by_field: Vec<(&str, Vec<&[u8]>)> = Vec::new();
    for term in terms {
        let Some((field, value)) = term.split_once('=') else {
            return false;
        };
        match by_field.iter_mut().find(|(f, _)| *f == field) {
            Some((_, values)) => values.push(value.as_bytes()),
            None => by_field.push((field, vec![value.as_bytes()])),
        }
    }
    by_field.iter().all(|(field, wanted)| {
        fields.get(*field).is_some_and(|value| {
            all_values(value)
                .iter()
                .any(|have| wanted.contains(&have.as_slice()))
        })
    })
}

/// The entry's time as the journal source reads it: the sender's own
/// timestamp when it gave one, else the journal's `__REALTIME_TIMESTAMP`.
fn entry_time_ms(fields: &serde_json::Map<String, Value>) -> Option<i64> {
    ["_SOURCE_REALTIME_TIMESTAMP", "__REALTIME_TIMESTAMP"]
        .iter()
        .find_map(|key| first_value(fields.get(*key)?))
        .and_then(|us| std::str::from_utf8(&us).ok()?.trim().parse::<i64>().ok())
        .map(|us| us.div_euclid(1000))
}

pub(crate) fn format_journal_entry(fields: &serde_json::Map<String, Value>) -> Vec<u8> {
    let first = |key: &str| {
        fields
            .get(key)
            .and_then(first_value)
            .filter(|v| !v.is_empty())
    };
    let mut elements: Vec<Vec<u8>> = Vec::new();
    if let Some(host) = first("_HOSTNAME") {
        elements.push(host);
    }
    if let Some(mut ident) = first("SYSLOG_IDENTIFIER").or_else(|| first("_COMM")) {
        if let Some(pid) = first("SYSLOG_PID").or_else(|| first("_PID")) {
            ident.push(b'[');
            ident.extend_from_slice(&format_pid(&pid));
            ident.push(b']');
        }
        ident.push(b':');
        let is_kernel = ident == b"kernel:";
        elements.push(ident);
        if is_kernel {
            let monotonic_us = first("_SOURCE_MONOTONIC_TIMESTAMP")
                .or_else(|| first("__MONOTONIC_TIMESTAMP"))
                .and_then(|v| std::str::from_utf8(&v).ok()?.trim().parse::<u64>().ok());
            if let Some(us) = monotonic_us {
                let seconds = us as f64 / 1_000_000.0;
                elements.push(format!("[{seconds:12.6}]").into_bytes());
            }
        }
    }
    let message = match fields.get("MESSAGE") {
        Some(value) => all_values(value).join(&b' '),
        None => Vec::new(),
    };
    elements.push(message);
    let joined = elements.join(&b' ');
    let mut line = Vec::with_capacity(joined.len());
    for byte in joined {
        if byte == b'\n' {
            line.extend_from_slice(b"\\n");
        } else {
            line.push(byte);
        }
    }
    line
}

/// A PID as fail2ban prints it: integer text normalised, anything else as is.
fn format_pid(pid: &[u8]) -> Vec<u8> {
    match std::str::from_utf8(pid).ok().map(str::trim) {
        Some(text) if !text.starts_with('0') || text == "0" => match text.parse::<i64>() {
            Ok(number) => number.to_string().into_bytes(),
            Err(_) => pid.to_vec(),
        },
        _ => pid.to_vec(),
    }
}

/// A JSON field value as bytes: a string, or an array of byte values (binary data).
fn value_bytes(value: &Value) -> Option<Vec<u8>> {
    match value {
        Value::String(text) => Some(text.as_bytes().to_vec()),
        Value::Array(items) => items
            .iter()
            .map(|item| item.as_u64().and_then(|n| u8::try_from(n).ok()))
            .collect(),
        _ => None,
    }
}

/// Whether `value` is a multi-valued field (an array of strings or byte arrays).
fn is_multi(value: &Value) -> bool {
    matches!(value, Value::Array(items)
        if items.first().is_some_and(|i| matches!(i, Value::String(_) | Value::Array(_))))
}

fn first_value(value: &Value) -> Option<Vec<u8>> {
    match value {
        Value::Array(items) if is_multi(value) => items.first().and_then(value_bytes),
        _ => value_bytes(value),
    }
}

fn all_values(value: &Value) -> Vec<Vec<u8>> {
    match value {
        Value::Array(items) if is_multi(value) => items.iter().filter_map(value_bytes).collect(),
        _ => value_bytes(value).into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(json: &str) -> JournalEntry {
        parse_record(json.as_bytes()).expect("valid record")
    }

    #[test]
    fn formats_like_fail2ban() {
        let e = entry(
            r#"{"__CURSOR":"c1","__REALTIME_TIMESTAMP":"1700000000123456","_HOSTNAME":"h",
            "SYSLOG_IDENTIFIER":"sshd","_PID":"42","MESSAGE":"Failed password\nx"}"#,
        );
        assert_eq!(e.line, b"h sshd[42]: Failed password\\nx");
        assert_eq!(e.time_ms, Some(1_700_000_000_123));
        assert_eq!(e.cursor, "c1");
        let e = entry(
            r#"{"__CURSOR":"c","_COMM":"sshd-session","SYSLOG_PID":"7","MESSAGE":[104,255]}"#,
        );
        assert_eq!(e.line, b"sshd-session[7]: h\xff");
        assert_eq!(e.time_ms, None);
        let e = entry(r#"{"__CURSOR":"c","MESSAGE":["a","b"],"_HOSTNAME":["x","y"]}"#);
        assert_eq!(e.line, b"x a b");
        let e = entry(
            r#"{"__CURSOR":"c","SYSLOG_IDENTIFIER":"kernel","__MONOTONIC_TIMESTAMP":"1500000","MESSAGE":"m",
            "_SOURCE_REALTIME_TIMESTAMP":"2000000"}"#,
        );
        assert_eq!(e.line, b"kernel: [    1.500000] m");
        assert_eq!(e.time_ms, Some(2000));
        assert!(parse_record(br#"{"MESSAGE":"no cursor"}"#).is_none());
        assert!(parse_record(b"not json").is_none());
    }

    #[test]
    fn long_message_is_truncated() {
        let json = format!(
            r#"{{"__CURSOR":"c","MESSAGE":"{}"}}"#,
            "a".repeat(MAX_LINE_BYTES + 10)
        );
        let e = entry(&json);
        assert!(e.truncated);
        assert_eq!(e.line.len(), MAX_LINE_BYTES);
    }

    #[test]
    fn validates_matches() {
        let ok =
            |m: &[&str]| validate_matches(&m.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert!(ok(&["_SYSTEMD_UNIT=sshd.service", "+", "_COMM=sshd"]).is_ok());
        assert!(ok(&[]).is_ok());
        assert!(ok(&["--since=yesterday"]).is_err());
        assert!(ok(&["-f=x"]).is_err());
        assert!(ok(&["+", "_COMM=sshd"]).is_err());
        assert!(ok(&["_COMM=sshd", "+"]).is_err());
        assert!(ok(&["lower=x"]).is_err());
        assert!(ok(&["1X=x"]).is_err());
    }

    #[test]
    fn start_arguments() {
        let config = JournalConfig {
            matches: vec!["_COMM=sshd".into()],
            directory: Some("/j".into()),
            files: vec![],
        };
        let args = build_args(&config, &Start::At(StartAt::SinceMs(1_700_000_000_005)));
        assert!(args.contains(&"--since=@1700000000.005".into()));
        assert!(args.contains(&"--directory=/j".into()));
        assert_eq!(args.last(), Some(&"_COMM=sshd".into()));
        let args = build_args(&config, &Start::AfterCursor("s=1".into()));
        assert!(args.contains(&"--after-cursor=s=1".into()));
    }

    #[test]
    fn export_records_pass_journalmatch_as_journalctl_applies_it() {
        let record = br#"{"__REALTIME_TIMESTAMP":"1772600767123456","_HOSTNAME":"gw1","_COMM":"sshd","_SYSTEMD_UNIT":"ssh.service","SYSLOG_IDENTIFIER":"sshd","_PID":"42","MESSAGE":"Failed password for root from 203.0.113.9 port 22 ssh2"}"#;
        let terms = |alternatives: &[&[&str]]| -> Vec<Vec<String>> {
            alternatives
                .iter()
                .map(|terms| terms.iter().map(|t| t.to_string()).collect())
                .collect()
        };
        let entry = ExportRecord::Entry {
            line: b"gw1 sshd[42]: Failed password for root from 203.0.113.9 port 22 ssh2".to_vec(),
            truncated: false,
            time_ms: Some(1_772_600_767_123),
        };
        assert_eq!(parse_export_record(record, &[]), entry);
        // Same field: either value; different fields: both must hold.
        for pass in [
            terms(&[&["_COMM=sshd"]]),
            terms(&[&["_COMM=logger", "_COMM=sshd"]]),
            terms(&[&["_COMM=sshd", "_SYSTEMD_UNIT=ssh.service"]]),
            terms(&[&["_COMM=logger"], &["_SYSTEMD_UNIT=ssh.service"]]),
        ] {
            assert_eq!(parse_export_record(record, &pass), entry, "{pass:?}");
        }
        for leave_out in [
            terms(&[&["_COMM=logger"]]),
            terms(&[&["_COMM=sshd", "_SYSTEMD_UNIT=cron.service"]]),
            terms(&[&["_UID=0"]]),
        ] {
            assert_eq!(
                parse_export_record(record, &leave_out),
                ExportRecord::Unmatched,
                "{leave_out:?}"
            );
        }
        assert_eq!(
            parse_export_record(b"{not json", &[]),
            ExportRecord::Unreadable
        );
        assert!(is_journal_export(record));
        // The OpenClaw gateway's JSON log lines are not journal records.
        assert!(!is_journal_export(
            br#"{"time":"2026-01-01T00:00:00Z","0":"x"}"#
        ));
    }
}
