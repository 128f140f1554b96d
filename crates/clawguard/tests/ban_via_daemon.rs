//! One firewall writer (issue 9): while a daemon runs, `clawguard ban
//! add|del` stores the change, queues it, and leaves nftables to the daemon,
//! which reports what it did. A second daemon on the same state directory
//! refuses to start. Without a daemon the CLI writes the kernel itself.
//!
//! The daemon runs in a network namespace this test creates, with real
//! nftables. The CLI runs there too, but without CAP_NET_ADMIN (`setpriv`),
//! so it cannot write the firewall: an element that appears in the set was
//! put there by the daemon.
//!
//! Needs root, `ip`, `nft` and `setpriv`. Without them the test skips with a
//! printed reason, or fails when CLAWGUARD_REQUIRE_PRIVILEGED=1.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use clawguard_testkit::{Netns, require_installed, require_root};
use common::{
    BIN, KillOnDrop, app_jail_config, clawguard, daemon, read, stop_daemon, wait_for,
    write_app_filter,
};

fn write_config(dir: &Path) -> PathBuf {
    let app_log = dir.join("app.log");
    std::fs::write(&app_log, "").unwrap();
    let filter = write_app_filter(dir);
    let config = dir.join("clawguard.toml");
    std::fs::write(&config, app_jail_config(dir, &filter, &app_log, "", "")).unwrap();
    config
}

/// `clawguard --config C --state-dir S ARGS…` in `netns` without
/// CAP_NET_ADMIN, bounded in time.
fn cli_without_net_admin(netns: &Netns, config: &Path, state: &Path, args: &[&str]) -> Output {
    let mut command = netns.command("setpriv");
    command
        .args(["--inh-caps=-net_admin", "--bounding-set=-net_admin", BIN])
        .arg("--config")
        .arg(config)
        .arg("--state-dir")
        .arg(state)
        .args(args);
    common::output_within(&mut command, Duration::from_secs(20))
}

fn set_of(netns: &Netns) -> String {
    let out = netns
        .command("nft")
        .args(["list", "set", "inet", "clawguard", "ban4"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn text(out: &Output) -> String {
    format!(
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The outcomes the daemon recorded for control requests, oldest first.
fn daemon_outcomes(state: &Path) -> Vec<(bool, String)> {
    let db = rusqlite::Connection::open(state.join("clawguard.db")).unwrap();
    let mut stmt = db
        .prepare("SELECT ok, outcome FROM control_done ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn with_a_daemon_running_the_daemon_is_the_one_firewall_writer() {
    if !require_root("network namespaces") || !require_installed(&["ip", "nft", "setpriv"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let config = write_config(d);
    let state = d.join("state");
    let netns = Netns::create_or_panic("banq");

    // The premise: this CLI cannot change nftables in the namespace.
    let mut probe = netns.command("setpriv");
    probe.args([
        "--inh-caps=-net_admin",
        "--bounding-set=-net_admin",
        "nft",
        "add",
        "table",
        "inet",
        "clawguard_probe",
    ]);
    let probe = common::output_within(&mut probe, Duration::from_secs(10));
    assert!(
        !probe.status.success(),
        "setpriv did not drop CAP_NET_ADMIN: {}",
        text(&probe)
    );

    let log = d.join("daemon.log");
    let mut command = netns.command(BIN);
    let mut first = KillOnDrop(
        daemon(&mut command, &config, &state, &log)
            .spawn()
            .expect("start the daemon"),
    );
    wait_for("the daemon to start", Duration::from_secs(20), || {
        read(&log).contains("clawguard running")
    });

    // ban add: stored, queued, applied by the daemon, which says so.
    let out = cli_without_net_admin(
        &netns,
        &config,
        &state,
        &["ban", "add", "203.0.113.50", "--duration", "1h"],
    );
    assert!(out.status.success(), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("daemon: banned 203.0.113.50/32 in jail manual"),
        "{}",
        text(&out)
    );
    assert!(
        set_of(&netns).contains("203.0.113.50"),
        "{}",
        set_of(&netns)
    );
    let outcomes = daemon_outcomes(&state);
    assert_eq!(outcomes.len(), 1, "{outcomes:?}");
    assert!(outcomes[0].0 && outcomes[0].1.starts_with("banned 203.0.113.50/32"));

    // ban del: the daemon takes the element out.
    let out = cli_without_net_admin(&netns, &config, &state, &["ban", "del", "203.0.113.50"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("daemon: unbanned 203.0.113.50/32"),
        "{}",
        text(&out)
    );
    assert!(
        !set_of(&netns).contains("203.0.113.50"),
        "{}",
        set_of(&netns)
    );

    // A second daemon on the same state directory refuses to start.
    let log2 = d.join("daemon2.log");
    let mut command = netns.command(BIN);
    let mut second = KillOnDrop(
        daemon(&mut command, &config, &state, &log2)
            .spawn()
            .expect("start a second daemon"),
    );
    let start = Instant::now();
    let status = loop {
        if let Some(status) = second.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "a second daemon kept running; log:\n{}",
            read(&log2)
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(1), "log:\n{}", read(&log2));
    let why = read(&log2);
    assert!(
        why.contains("another clawguard daemon")
            && why.contains(&format!("pid {}", first.0.id()))
            && why.contains(&state.display().to_string()),
        "{why}"
    );
    assert!(!why.contains("clawguard running"), "{why}");
    // The first one is unaffected.
    assert!(first.0.try_wait().unwrap().is_none(), "{}", read(&log));

    // Without a daemon the CLI writes the kernel itself, as before.
    let status = stop_daemon(&mut first.0, Duration::from_secs(15), &log);
    assert!(status.success(), "{status}; log:\n{}", read(&log));
    let mut command = netns.command(BIN);
    command
        .arg("--config")
        .arg(&config)
        .arg("--state-dir")
        .arg(&state)
        .args(["ban", "add", "203.0.113.51"]);
    let out = common::output_within(&mut command, Duration::from_secs(20));
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("banned 203.0.113.51/32"),
        "{}",
        text(&out)
    );
    assert!(
        set_of(&netns).contains("203.0.113.51"),
        "{}",
        set_of(&netns)
    );
}

/// A daemon that holds the lock but does not take the request (here: the
/// test holds it): the CLI waits a bounded time, says the ban is recorded
/// and will be applied, and never tries the firewall itself.
#[test]
fn a_daemon_that_does_not_answer_leaves_the_ban_recorded_and_queued() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let lock = clawguard_state::daemon_lock::DaemonLock::acquire(&state).unwrap();
    let config = common::write_config(dir.path(), "");
    let start = Instant::now();
    let out = clawguard(
        dir.path(),
        &["--config", &config, "ban", "add", "198.51.100.7"],
    );
    let waited = start.elapsed();
    assert!(out.status.success(), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("recorded ban of 198.51.100.7/32")
            && stdout.contains("the daemon has not taken the request within 5s"),
        "{}",
        text(&out)
    );
    // It did not go the no-daemon way (which tries nftables and reports it).
    assert!(!stdout.contains("firewall"), "{}", text(&out));
    assert!(
        (Duration::from_secs(5)..Duration::from_secs(15)).contains(&waited),
        "{waited:?}"
    );
    drop(lock);
    let queued = rusqlite::Connection::open(state.join("clawguard.db"))
        .unwrap()
        .query_row("SELECT count(*) FROM control", [], |r| r.get::<_, i64>(0))
        .unwrap();
    assert_eq!(queued, 1, "the request waits for the daemon");
    let listed = common::stored_bans(
        {
            let mut c = Command::new(BIN);
            c.arg("--config").arg(&config);
            c
        },
        &state,
    );
    assert_eq!(listed, ["198.51.100.7/32"]);
}
