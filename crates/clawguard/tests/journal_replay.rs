//! `replay` and `filter-test` on a real `journalctl -o json` export: a journal
//! file built with `systemd-journal-remote`, exported with `journalctl
//! --file … -o json`. Entries are dated by the journal, and the jail's
//! `journalmatch` decides which ones count (on Debian 12 sshd logs only to the
//! journal). Skipped (with a reason) when the tools are missing, unless
//! CLAWGUARD_REQUIRE_PRIVILEGED=1.

mod common;

use std::path::{Path, PathBuf};

use clawguard_testkit::journal::{BOOT_ID, Export, export_json, tools_available};
use common::{clawguard, json_ok};

/// 2026-03-04T05:06:07Z in microseconds.
const T0_US: u64 = 1_772_600_767_000_000;

struct Entry<'a> {
    offset_s: u64,
    unit: &'a str,
    comm: &'a str,
    ident: &'a str,
    message: &'a str,
}

/// Writes `entries` into a journal file through `systemd-journal-remote`,
/// then exports it as an operator would: `journalctl --file … -o json`.
fn journal_export(dir: &Path, entries: &[Entry<'_>]) -> PathBuf {
    let mut export = Export::default();
    for (i, e) in entries.iter().enumerate() {
        export
            .field("__REALTIME_TIMESTAMP", T0_US + e.offset_s * 1_000_000)
            .field("__MONOTONIC_TIMESTAMP", 1000 + i)
            .field("_BOOT_ID", BOOT_ID)
            .field("_HOSTNAME", "gw1")
            .field("_SYSTEMD_UNIT", e.unit)
            .field("_COMM", e.comm)
            .field("_PID", 4000 + i)
            .field("SYSLOG_IDENTIFIER", e.ident)
            .field("MESSAGE", e.message)
            .end_entry();
    }
    let journal = dir.join("remote.journal");
    export.write_to(&journal);
    let json = dir.join("export.json");
    std::fs::write(&json, export_json(&journal)).unwrap();
    json
}

/// Three failures from sshd itself, and five forged by a local user with
/// `logger -t sshd` (the journal records the real `_COMM` and unit).
fn entries() -> Vec<Entry<'static>> {
    let mut entries = Vec::new();
    for offset_s in 0..3 {
        entries.push(Entry {
            offset_s,
            unit: "ssh.service",
            comm: "sshd-session",
            ident: "sshd-session",
            message: "Failed password for root from 203.0.113.9 port 50022 ssh2",
        });
    }
    for offset_s in 0..5 {
        entries.push(Entry {
            offset_s,
            unit: "session-7.scope",
            comm: "logger",
            ident: "sshd",
            message: "Failed password for root from 198.51.100.7 port 50022 ssh2",
        });
    }
    entries
}

#[test]
fn replay_of_a_journal_export_uses_journal_time_and_journalmatch() {
    if !tools_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let export = journal_export(dir.path(), &entries());
    let config = dir.path().join("clawguard.toml");
    std::fs::write(
        &config,
        format!(
            "[fail2ban]\ndir = \"{}\"\n[jail.sshd]\nmaxretry = 3\n",
            dir.path().join("no-fail2ban").display()
        ),
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let export = export.to_str().unwrap();

    // Detected from the first record, and named explicitly.
    for format in [None, Some("journal")] {
        let mut args = vec![
            "--config", config, "replay", "--jail", "sshd", export, "--json",
        ];
        if let Some(format) = format {
            args.extend(["--format", format]);
        }
        let doc = json_ok(&clawguard(dir.path(), &args));
        let bans = doc["bans"].as_array().unwrap();
        assert_eq!(bans.len(), 1, "{format:?}: {doc}");
        assert_eq!(bans[0]["ip"], "203.0.113.9/32");
        // The third failure, by the journal's clock.
        assert_eq!(bans[0]["time"], "2026-03-04T05:06:09Z");
        assert_eq!(bans[0]["failures"], 3);
    }

    // filter-test applies the filter's own journalmatch and the journal's time.
    let doc = json_ok(&clawguard(
        dir.path(),
        &["--config", config, "filter-test", "sshd", export, "--json"],
    ));
    assert_eq!(doc["lines"], 3, "{doc}");
    assert_eq!(doc["matched"], 3, "{doc}");
    let matches = doc["matches"].as_array().unwrap();
    assert!(matches.iter().all(|m| m["host"] == "203.0.113.9"), "{doc}");
    assert_eq!(matches[0]["time"], "2026-03-04T05:06:07Z");
}

#[test]
fn a_journal_export_read_as_lines_finds_nothing_and_bad_format_is_refused() {
    if !tools_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let export = journal_export(dir.path(), &entries());
    let export = export.to_str().unwrap();
    let config = dir.path().join("clawguard.toml");
    std::fs::write(
        &config,
        format!(
            "[fail2ban]\ndir = \"{}\"\n",
            dir.path().join("no-fail2ban").display()
        ),
    )
    .unwrap();
    let config = config.to_str().unwrap();
    // As plain lines the JSON records carry no date the filter accepts.
    let doc = json_ok(&clawguard(
        dir.path(),
        &[
            "--config",
            config,
            "filter-test",
            "sshd",
            export,
            "--format",
            "lines",
            "--json",
        ],
    ));
    assert_eq!(doc["lines"], 8, "{doc}");
    let out = clawguard(
        dir.path(),
        &[
            "--config",
            config,
            "filter-test",
            "sshd",
            export,
            "--format",
            "xml",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
}
