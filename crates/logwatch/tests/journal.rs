//! Journal source against real journal files built with `systemd-journal-remote` and followed
//! with `journalctl --directory`. Skipped (with a reason) when the tools are missing, unless
//! CLAWGUARD_REQUIRE_PRIVILEGED=1.

mod support;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use clawguard_logwatch::{Position, SourceSpec, StartAt};
use support::*;

const JOURNAL_REMOTE: &str = "/usr/lib/systemd/systemd-journal-remote";
const BOOT_ID: &str = "0123456789abcdef0123456789abcdef";

fn tools_available() -> bool {
    let missing: Vec<&str> = [JOURNAL_REMOTE, "/usr/bin/journalctl"]
        .into_iter()
        .filter(|tool| !Path::new(tool).exists())
        .collect();
    if missing.is_empty() {
        return true;
    }
    let reason = format!(
        "journal tests skipped: missing {missing:?} (apt-get install systemd systemd-journal-remote)"
    );
    if std::env::var("CLAWGUARD_REQUIRE_PRIVILEGED").as_deref() == Ok("1") {
        panic!("{reason}");
    }
    eprintln!("{reason}");
    false
}

struct Entry<'a> {
    realtime_us: u64,
    ident: &'a str,
    pid: u32,
    message: &'a [u8],
}

/// Appends entries to `dir/remote.journal` through the journal export format.
fn write_entries(dir: &Path, entries: &[Entry<'_>]) {
    let mut export = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        writeln!(export, "__REALTIME_TIMESTAMP={}", e.realtime_us).unwrap();
        writeln!(export, "__MONOTONIC_TIMESTAMP={}", 1000 + i).unwrap();
        writeln!(export, "_BOOT_ID={BOOT_ID}").unwrap();
        writeln!(export, "_HOSTNAME=testhost").unwrap();
        writeln!(export, "SYSLOG_IDENTIFIER={}", e.ident).unwrap();
        writeln!(export, "_PID={}", e.pid).unwrap();
        // Binary-safe field encoding: name, newline, 64-bit LE length, data, newline.
        export.extend_from_slice(b"MESSAGE\n");
        export.extend_from_slice(&(e.message.len() as u64).to_le_bytes());
        export.extend_from_slice(e.message);
        export.extend_from_slice(b"\n\n");
    }
    let output = format!("--output={}", dir.join("remote.journal").display());
    let mut child = Command::new(JOURNAL_REMOTE)
        .args([output.as_str(), "--split-mode=none", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run systemd-journal-remote");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&export)
        .expect("write export");
    let out = child.wait_with_output().expect("journal-remote finished");
    assert!(
        out.status.success(),
        "journal-remote: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn journal_spec(dir: &Path, matches: &[&str]) -> SourceSpec {
    SourceSpec::Journal {
        matches: matches.iter().map(|m| m.to_string()).collect(),
        directory: Some(dir.to_path_buf()),
        files: vec![],
    }
}

/// Number of running journalctl processes whose command line mentions `dir`.
fn journalctl_processes(dir: &Path) -> usize {
    let needle = dir.to_string_lossy().into_owned();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    entries
        .flatten()
        .filter_map(|e| std::fs::read(e.path().join("cmdline")).ok())
        .filter(|cmd| {
            let text = String::from_utf8_lossy(cmd);
            text.contains("journalctl") && text.contains(&needle)
        })
        .count()
}

fn cursor_of(position: &Position) -> String {
    match position {
        Position::Journal { cursor } => cursor.clone(),
        other => panic!("not a journal position: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn journal_follow_format_and_cursor_resume() {
    if !tools_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write_entries(
        dir.path(),
        &[
            Entry {
                realtime_us: 1_700_000_000_000_000,
                ident: "sshd",
                pid: 10,
                message: b"Failed password for root from 192.0.2.1",
            },
            Entry {
                realtime_us: 1_700_000_001_000_000,
                ident: "cron",
                pid: 11,
                message: b"not matched",
            },
            Entry {
                realtime_us: 1_700_000_002_500_000,
                ident: "sshd",
                pid: 12,
                message: b"bin\xffary\nline",
            },
        ],
    );
    let spec = journal_spec(
        dir.path(),
        &[
            "SYSLOG_IDENTIFIER=sshd",
            "+",
            "SYSLOG_IDENTIFIER=sshd-session",
        ],
    );
    let mut run = start(vec![source(spec.clone(), vec![], StartAt::Beginning)]);
    let lines = run.recv_n(2, WAIT).await;
    assert_eq!(
        lines[0].bytes,
        b"testhost sshd[10]: Failed password for root from 192.0.2.1"
    );
    assert_eq!(lines[0].time_ms, Some(1_700_000_000_000));
    assert_eq!(lines[1].bytes, b"testhost sshd[12]: bin\xffary\\nline");
    assert_eq!(lines[1].time_ms, Some(1_700_000_002_500));
    // Followed live; the `+` alternative matches too.
    write_entries(
        dir.path(),
        &[Entry {
            realtime_us: 1_700_000_003_000_000,
            ident: "sshd-session",
            pid: 13,
            message: b"live",
        }],
    );
    let live = run.recv_n(1, WAIT).await;
    assert_eq!(texts(&live), ["testhost sshd-session[13]: live"]);
    run.expect_quiet(QUIET).await;
    // The daemon processed up to the second line only.
    let saved = lines[1].position.clone();
    let elapsed = run.stop().await;
    assert!(elapsed < Duration::from_secs(1));
    assert_eq!(journalctl_processes(dir.path()), 0, "journalctl reaped");

    write_entries(
        dir.path(),
        &[
            Entry {
                realtime_us: 1_700_000_004_000_000,
                ident: "sshd",
                pid: 14,
                message: b"while stopped",
            },
            Entry {
                realtime_us: 1_700_000_005_000_000,
                ident: "cron",
                pid: 15,
                message: b"ignored",
            },
        ],
    );
    let mut run = start(vec![source(spec, vec![saved], StartAt::End)]);
    let lines = run.recv_n(2, WAIT).await;
    assert_eq!(
        texts(&lines),
        [
            "testhost sshd-session[13]: live",
            "testhost sshd[14]: while stopped"
        ]
    );
    assert_eq!(cursor_of(&lines[0].position), cursor_of(&live[0].position));
    run.expect_quiet(QUIET).await;
    run.stop().await;
    assert_eq!(journalctl_processes(dir.path()), 0, "journalctl reaped");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn journal_since_and_empty_directory() {
    if !tools_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // journalctl --follow fails on an empty directory; the source retries until data appears.
    let spec = journal_spec(dir.path(), &[]);
    let mut run = start(vec![source(
        spec,
        vec![],
        StartAt::SinceMs(1_700_000_050_000),
    )]);
    tokio::time::sleep(Duration::from_millis(300)).await;
    write_entries(
        dir.path(),
        &[
            Entry {
                realtime_us: 1_700_000_000_000_000,
                ident: "sshd",
                pid: 1,
                message: b"too old",
            },
            Entry {
                realtime_us: 1_700_000_100_000_000,
                ident: "sshd",
                pid: 2,
                message: b"recent",
            },
        ],
    );
    let lines = run.recv_n(1, Duration::from_secs(15)).await;
    assert_eq!(texts(&lines), ["testhost sshd[2]: recent"]);
    run.expect_quiet(QUIET).await;
    run.stop().await;
    assert_eq!(journalctl_processes(dir.path()), 0, "journalctl reaped");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn journal_file_option_and_rejected_cursor_fallback() {
    if !tools_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write_entries(
        dir.path(),
        &[Entry {
            realtime_us: 1_700_000_000_000_000,
            ident: "sshd",
            pid: 3,
            message: b"from file",
        }],
    );
    let spec = SourceSpec::Journal {
        matches: vec![],
        directory: None,
        files: vec![dir.path().join("remote.journal")],
    };
    // journalctl rejects a malformed cursor; the source falls back to `start_at`.
    let bad = Position::Journal {
        cursor: "garbage".into(),
    };
    let mut run = start(vec![source(spec, vec![bad], StartAt::Beginning)]);
    let lines = run.recv_n(1, Duration::from_secs(10)).await;
    assert_eq!(texts(&lines), ["testhost sshd[3]: from file"]);
    run.expect_quiet(QUIET).await;
    run.stop().await;
    assert_eq!(journalctl_processes(dir.path()), 0, "journalctl reaped");
}
