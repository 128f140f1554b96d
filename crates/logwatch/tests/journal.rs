//! Journal source against real journal files built with `systemd-journal-remote` and followed
//! with `journalctl --directory`. Skipped (with a reason) when the tools are missing, unless
//! CLAWGUARD_REQUIRE_PRIVILEGED=1.

mod support;

use std::path::Path;
use std::time::Duration;

use clawguard_logwatch::{Position, SourceSpec, StartAt};
use clawguard_testkit::journal::{BOOT_ID, Export, tools_available};
use support::*;

struct Entry<'a> {
    realtime_us: u64,
    ident: &'a str,
    pid: u32,
    message: &'a [u8],
}

/// Appends entries to `dir/remote.journal` through the journal export format.
fn write_entries(dir: &Path, entries: &[Entry<'_>]) {
    let mut export = Export::default();
    for (i, e) in entries.iter().enumerate() {
        export
            .field("__REALTIME_TIMESTAMP", e.realtime_us)
            .field("__MONOTONIC_TIMESTAMP", 1000 + i)
            .field("_BOOT_ID", BOOT_ID)
            .field("_HOSTNAME", "testhost")
            .field("SYSLOG_IDENTIFIER", e.ident)
            .field("_PID", e.pid)
            .binary_field("MESSAGE", e.message)
            .end_entry();
    }
    export.write_to(&dir.join("remote.journal"));
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
