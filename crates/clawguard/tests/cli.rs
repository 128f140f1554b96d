//! The binary's verbs, run as a user would run them: exit codes, `--json`
//! documents and error messages, against a real SQLite state directory.

mod common;

use std::process::Command;

use common::{BIN, clawguard, json_ok, write_config};

#[test]
fn config_errors_name_file_line_and_key_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "[ban]\nmaxretry = 3\nfindtimee = 5\n");
    let out = clawguard(dir.path(), &["--config", &config, "check-config"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("clawguard.toml:6:"), "{err}");
    assert!(err.contains("findtimee"), "{err}");

    let missing = dir.path().join("missing.toml");
    let out = clawguard(
        dir.path(),
        &["--config", missing.to_str().unwrap(), "status"],
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn check_config_lists_effective_jails_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "");
    let doc = json_ok(&clawguard(
        dir.path(),
        &["--config", &config, "check-config", "--json"],
    ));
    let names: Vec<&str> = doc["jails"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["openclaw-gateway", "sshd"]);
    assert_eq!(doc["config"]["version"], 1);
}

const AUTH_LOG: &str = "\
Jan 10 10:00:01 gw1 sshd[11]: Failed password for root from 203.0.113.9 port 4242 ssh2
Jan 10 10:00:02 gw1 sshd[12]: Accepted publickey for deploy from 198.51.100.2 port 4243 ssh2: ED25519 SHA256:x
Jan 10 10:00:03 gw1 sshd[13]: Invalid user admin from 203.0.113.9 port 4244
Jan 10 10:00:04 gw1 CRON[14]: pam_unix(cron:session): session opened for user root by (uid=0)
Jan 10 10:00:05 gw1 sshd[15]: Failed password for invalid user x from 198.51.100.7 from 203.0.113.9 port 4245 ssh2
Jan 10 10:20:05 gw1 sshd[16]: Failed password for root from 2001:db8:1:2::3 port 4246 ssh2
";

#[test]
fn filter_test_reports_every_match() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "");
    let log = dir.path().join("auth.log");
    std::fs::write(&log, AUTH_LOG).unwrap();
    let doc = json_ok(&clawguard(
        dir.path(),
        &[
            "--config",
            &config,
            "filter-test",
            "sshd",
            log.to_str().unwrap(),
            "--json",
        ],
    ));
    assert_eq!(doc["lines"], 6);
    assert_eq!(doc["matched"], 4);
    assert_eq!(doc["missed"], 2);
    let hosts: Vec<&str> = doc["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["host"].as_str().unwrap())
        .collect();
    assert_eq!(
        hosts,
        [
            "203.0.113.9",
            "203.0.113.9",
            "203.0.113.9",
            "2001:db8:1:2::3"
        ]
    );
    assert_eq!(doc["matches"][0]["line"], 1);
    assert!(
        doc["matches"][0]["time"]
            .as_str()
            .unwrap()
            .contains("-01-10T")
    );

    let out = clawguard(
        dir.path(),
        &[
            "--config",
            &config,
            "filter-test",
            "no-such-filter",
            log.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-filter"));
}

#[test]
fn replay_uses_the_log_clock() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(
        dir.path(),
        "[jail.sshd]\nfilter = \"sshd\"\nmaxretry = 3\nfindtime = \"10m\"\n",
    );
    let log = dir.path().join("auth.log");
    std::fs::write(&log, AUTH_LOG).unwrap();
    let doc = json_ok(&clawguard(
        dir.path(),
        &[
            "--config",
            &config,
            "replay",
            "--jail",
            "sshd",
            log.to_str().unwrap(),
            "--json",
        ],
    ));
    let bans = doc["bans"].as_array().unwrap();
    assert_eq!(bans.len(), 1, "{doc}");
    assert_eq!(bans[0]["ip"], "203.0.113.9/32");
    assert_eq!(bans[0]["jail"], "sshd");
    assert_eq!(bans[0]["failures"], 3);
    assert!(bans[0]["time"].as_str().unwrap().ends_with("10:00:05Z"));
}

#[test]
fn manual_bans_are_recorded_listed_and_lifted() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "");
    let out = clawguard(
        dir.path(),
        &[
            "--config",
            &config,
            "ban",
            "add",
            "198.51.100.0/24",
            "--duration",
            "1h",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc = json_ok(&clawguard(
        dir.path(),
        &["--config", &config, "ban", "list", "--json"],
    ));
    assert_eq!(doc["bans"][0]["target"], "198.51.100.0/24");
    assert_eq!(doc["bans"][0]["manual"], true);
    let left = doc["bans"][0]["remaining_s"].as_i64().unwrap();
    assert!((3590..=3600).contains(&left), "{left}");

    let out = clawguard(
        dir.path(),
        &["--config", &config, "ban", "add", "127.0.0.1"],
    );
    assert_eq!(out.status.code(), Some(2), "loopback must be refused");
    let out = clawguard(
        dir.path(),
        &["--config", &config, "ban", "add", "not-an-ip"],
    );
    assert_eq!(out.status.code(), Some(2));

    let out = clawguard(
        dir.path(),
        &["--config", &config, "ban", "del", "198.51.100.0/24"],
    );
    assert!(out.status.success());
    let doc = json_ok(&clawguard(
        dir.path(),
        &["--config", &config, "ban", "list", "--json"],
    ));
    assert_eq!(doc["bans"].as_array().unwrap().len(), 0);

    let doc = json_ok(&clawguard(
        dir.path(),
        &["--config", &config, "status", "--json"],
    ));
    assert_eq!(doc["jails"].as_array().unwrap().len(), 2);
}

/// Without CAP_NET_ADMIN, `run` refuses to start and says why (exit 3);
/// `--detect-only` runs anyway and says loudly that it enforces nothing.
#[test]
fn run_refuses_without_firewall_privilege() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(
        dir.path(),
        "[jail.openclaw-gateway]\nenabled = false\nfilter = \"openclaw-gateway\"\n[jail.sshd]\nenabled = false\nfilter = \"sshd\"\n",
    );
    let bin = BIN;
    let state = dir.path().join("state");
    let mut command = if nix::unistd::geteuid().is_root() {
        let mut c = Command::new("setpriv");
        c.args([
            "--bounding-set",
            "-net_admin",
            "--inh-caps",
            "-net_admin",
            bin,
        ]);
        c
    } else {
        Command::new(bin)
    };
    let out = command
        .args([
            "--config",
            &config,
            "--state-dir",
            state.to_str().unwrap(),
            "run",
        ])
        .output()
        .expect("run clawguard");
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("CAP_NET_ADMIN"), "{err}");
    assert!(err.contains("--detect-only"), "{err}");

    let child = Command::new(bin)
        .args([
            "--config",
            &config,
            "--state-dir",
            state.to_str().unwrap(),
            "run",
            "--detect-only",
        ])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("NOTHING IS ENFORCED"), "{err}");
}
