//! Alerting through the real daemon and the real CLI: kill -9 in the middle
//! of delivery loses nothing and counts nothing twice; `alert test`,
//! `alert list --failed` and `alert retry` work against a real receiver.

mod common;

use std::collections::BTreeSet;
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use clawguard_testkit::Netns;
use clawguard_testkit::http_receiver::{Behaviour, HttpReceiver, Request};
use common::{
    BIN, KillOnDrop, app_jail_config, clawguard, daemon, fail, read, stderr, wait_for,
    write_app_filter,
};

/// Where the daemon runs: as root in a namespace of its own (loopback up,
/// its own nftables), with the receiver listening in it; else on loopback.
struct Place {
    netns: Option<Netns>,
}

impl Place {
    fn new() -> Place {
        let netns = clawguard_testkit::is_root().then(|| Netns::create_or_panic("alert"));
        Place { netns }
    }

    fn receiver(&self) -> HttpReceiver {
        let listener = match &self.netns {
            Some(ns) => ns.run(|| TcpListener::bind("127.0.0.1:0").expect("bind in netns")),
            None => TcpListener::bind("127.0.0.1:0").expect("bind"),
        };
        HttpReceiver::serve(listener)
    }

    fn command(&self) -> Command {
        match &self.netns {
            Some(ns) => ns.command(BIN),
            None => Command::new(BIN),
        }
    }
}

fn accepted_ids_and_events(requests: &[Request]) -> (Vec<u64>, u64) {
    let mut seen = BTreeSet::new();
    let mut ids = Vec::new();
    let mut events = 0;
    for r in requests
        .iter()
        .filter(|r| r.answered.is_some_and(|s| (200..300).contains(&s)))
    {
        let body: serde_json::Value = serde_json::from_slice(&r.body).expect("JSON");
        let id = body["id"].as_u64().unwrap();
        if seen.insert(id) {
            ids.push(id);
            events += body["events"].as_u64().unwrap();
        }
    }
    (ids, events)
}

/// Banned events in the journal of `DIR/state`.
fn journal_bans(dir: &Path) -> u64 {
    let out = clawguard(dir, &["events", "--engine", "ban", "--json"]);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.contains("\"kind\":\"banned\""))
        .count() as u64
}

#[test]
fn kill_9_in_the_middle_of_delivery_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let place = Place::new();
    let receiver = place.receiver();
    // Slow answers, so kills land while requests are in flight.
    receiver.set(Behaviour::Respond {
        status: 200,
        headers: Vec::new(),
        body: String::new(),
    });
    let log = dir.path().join("app.log");
    std::fs::write(&log, "").unwrap();
    let filter = write_app_filter(dir.path());
    let alert = format!(
        "[alert]\ngroup_wait = \"0s\"\ngroup_interval = \"1s\"\ngroup_by = [\"kind\"]\n\
         [[alert.sink]]\nname = \"hook\"\ntype = \"webhook\"\nurl = \"{}\"\nsecret = \"k\"\n\
         timeout = \"2s\"\nengines = [\"ban\"]\nmin_severity = \"info\"\n",
        receiver.url("/hook")
    );
    let config_path = dir.path().join("clawguard.toml");
    std::fs::write(
        &config_path,
        app_jail_config(
            dir.path(),
            &filter,
            &log,
            &alert,
            "maxretry = 1\nbantime = \"1h\"",
        ),
    )
    .unwrap();
    let state = dir.path().join("state");
    let daemon_log = dir.path().join("daemon.log");
    let start = || {
        let mut command = place.command();
        daemon(&mut command, &config_path, &state, &daemon_log).arg("--detect-only");
        KillOnDrop(command.spawn().expect("start daemon"))
    };
    let mut next = 0u32;
    for round in 0..4 {
        let mut child = start();
        wait_for("the daemon to run", Duration::from_secs(20), || {
            read(&daemon_log).contains("clawguard running")
        });
        for _ in 0..40 {
            fail(&log, &format!("203.0.113.{}", next + 1), 1);
            next += 1;
            std::thread::sleep(Duration::from_millis(10));
        }
        // Kill at a different point of delivery each round.
        std::thread::sleep(Duration::from_millis(150 * round + 50));
        child.0.kill().unwrap();
        child.0.wait().unwrap();
        std::fs::write(&daemon_log, "").unwrap();
    }
    let _child = start();
    let expected_bans = u64::from(next);
    wait_for("every ban in the journal", Duration::from_secs(30), || {
        journal_bans(dir.path()) >= expected_bans
    });
    // The ban engine may announce a ban twice across a kill -9 (a replayed
    // line); what counts here is that the sink gets exactly what the
    // journal holds, once it has settled.
    let mut bans = journal_bans(dir.path());
    for _ in 0..20 {
        std::thread::sleep(Duration::from_millis(250));
        let now = journal_bans(dir.path());
        if now == bans {
            break;
        }
        bans = now;
    }
    assert!(bans >= expected_bans, "every address was banned");
    let delivered = receiver.wait_until(Duration::from_secs(30), |r| {
        accepted_ids_and_events(r).1 >= bans
    });
    let (ids, events) = accepted_ids_and_events(&receiver.requests());
    assert!(
        delivered,
        "{events} of {bans} events delivered; log:\n{}",
        read(&daemon_log)
    );
    std::thread::sleep(Duration::from_secs(2));
    let (_, events) = accepted_ids_and_events(&receiver.requests());
    assert_eq!(events, bans, "no event counted twice across kills");
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "in order: {ids:?}");
}

#[test]
fn alert_test_list_and_retry_work_against_a_real_receiver() {
    let dir = tempfile::tempdir().unwrap();
    let receiver = HttpReceiver::start();
    let state = dir.path().join("state");
    std::fs::create_dir_all(&state).unwrap();
    // An empty alerts.db, so the CLI records what it sends.
    let config = dir.path().join("c.toml");
    std::fs::write(
        &config,
        format!(
            "[[alert.sink]]\nname = \"hook\"\ntype = \"webhook\"\nurl = \"{}\"\nsecret = \"k\"\ntimeout = \"2s\"\n",
            receiver.url("/hook")
        ),
    )
    .unwrap();
    let cli = |args: &[&str]| {
        Command::new(BIN)
            .arg("--config")
            .arg(&config)
            .arg("--state-dir")
            .arg(&state)
            .args(args)
            .output()
            .unwrap()
    };
    // Nothing recorded yet.
    let out = cli(&["alert", "list", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(listed["notifications"].as_array().unwrap().is_empty());

    let out = cli(&["alert", "test", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["sinks"][0]["result"], "delivered");
    assert_eq!(receiver.accepted().len(), 1);
    let body: serde_json::Value = serde_json::from_slice(&receiver.accepted()[0].body).unwrap();
    assert_eq!(body["test"], true);

    receiver.set(Behaviour::status(404));
    let out = cli(&["alert", "test", "--sink", "hook"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a refused test alert fails the verb"
    );
    let out = cli(&["alert", "list", "--failed", "--json"]);
    let failed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let failed = failed["notifications"].as_array().unwrap().clone();
    assert_eq!(failed.len(), 1);
    assert!(failed[0]["last_error"].as_str().unwrap().contains("404"));
    let id = failed[0]["id"].as_u64().unwrap().to_string();

    receiver.set(Behaviour::status(200));
    let out = cli(&["alert", "retry", &id, "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = cli(&["alert", "list", "--failed", "--json"]);
    let failed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(failed["notifications"].as_array().unwrap().is_empty());
    assert_eq!(receiver.accepted().len(), 2);

    // An unknown sink name is a usage error.
    let out = cli(&["alert", "test", "--sink", "nope"]);
    assert_eq!(out.status.code(), Some(2));
}
