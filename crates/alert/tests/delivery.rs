//! The alert engine end to end, in process: a real journal writer in a temp
//! state dir, the real engine, and a real HTTP receiver on loopback that
//! fails in every way a receiver fails. Nothing is lost, nothing is
//! duplicated beyond at-least-once (a notification id at most re-sent), the
//! order holds, and a flood makes few messages with the right counts.

use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv6Addr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use clawguard_alert::engine::{Hosted, run};
use clawguard_alert::outbox::{Outbox, State};
use clawguard_config::Config;
use clawguard_event::{Engine, Event, EventKind};
use clawguard_journal::{Bus, Journal, Retention, Writer, WriterFaults};
use clawguard_testkit::http_receiver::{Behaviour, HttpReceiver, Request};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

struct Harness {
    bus: Option<Bus>,
    writer: Option<Writer>,
    cancel: CancellationToken,
    engine: Option<std::thread::JoinHandle<()>>,
    dir: tempfile::TempDir,
}

impl Harness {
    fn start(config_text: &str) -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let mut h = Harness {
            bus: None,
            writer: None,
            cancel: CancellationToken::new(),
            engine: None,
            dir,
        };
        h.start_engine(config_text);
        h
    }

    fn start_engine(&mut self, config_text: &str) {
        let config =
            Config::parse(config_text, Path::new("test.toml")).expect("test config is valid");
        clawguard_alert::check(&config).expect("sinks build");
        if self.writer.is_none() {
            let (bus, writer) = clawguard_journal::start(
                self.dir.path(),
                "testhost",
                Retention::default(),
                Vec::new(),
                WriterFaults::default(),
            )
            .unwrap();
            self.bus = Some(bus);
            self.writer = Some(writer);
        }
        self.cancel = CancellationToken::new();
        let hosted = Hosted {
            state_dir: self.dir.path().to_path_buf(),
            host: "testhost".into(),
            config: watch::channel(Arc::new(config)).1,
            committed: self.writer.as_ref().unwrap().committed(),
            bus: self.bus.clone().unwrap(),
            cancel: self.cancel.clone(),
        };
        self.engine = Some(std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(run(hosted, || {}, |_| {}))
                .expect("engine runs");
        }));
    }

    fn stop_engine(&mut self) {
        self.cancel.cancel();
        if let Some(engine) = self.engine.take()
            && engine.join().is_err()
            && !std::thread::panicking()
        {
            // A second panic while a failed assertion unwinds would abort
            // the binary and hide which test failed.
            panic!("the engine thread panicked");
        }
    }

    fn send(&self, event: Event) {
        self.bus.as_ref().unwrap().send(event).unwrap();
    }

    fn outbox(&self) -> Outbox {
        Outbox::open(self.dir.path()).unwrap()
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        self.stop_engine();
        drop(self.bus.take());
        if let Some(w) = self.writer.take() {
            w.join();
        }
    }
}

fn config(sinks: &str, timing: &str) -> String {
    format!(
        "[alert]\n{timing}\ngroup_by = [\"kind\"]\n{sinks}\n\
         [jail.sshd]\nenabled = false\n[jail.openclaw-gateway]\nenabled = false\n\
         [fail2ban]\ndir = \"/nonexistent\"\n"
    )
}

fn webhook(name: &str, url: &str, extra: &str) -> String {
    format!(
        "[[alert.sink]]\nname = \"{name}\"\ntype = \"webhook\"\nurl = \"{url}\"\n\
         secret = \"s3cret\"\ntimeout = \"1s\"\nmin_severity = \"info\"\n{extra}\n"
    )
}

/// Event `n`: a ban of its own address, so each is its own alert.
fn ban(n: u32) -> Event {
    let addr = Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, (n >> 16) as u16, n as u16);
    Event::new(
        clawguard_sys::clock::now_ms(),
        EventKind::Banned {
            jail: "test".into(),
            target: ipnet::IpNet::from(std::net::IpAddr::V6(addr)),
            until_ms: None,
            failures: 5,
            ban_count: 1,
            manual: false,
        },
    )
}

/// Accepted notifications, each id once, in the order first accepted.
fn accepted_once(requests: &[Request]) -> Vec<serde_json::Value> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for r in requests
        .iter()
        .filter(|r| r.answered.is_some_and(|s| (200..300).contains(&s)))
    {
        let body: serde_json::Value = serde_json::from_slice(&r.body).expect("JSON body");
        let id = body["id"].as_u64().expect("id");
        if seen.insert(id) {
            out.push(body);
        }
    }
    out
}

fn events_in(notes: &[serde_json::Value]) -> u64 {
    notes.iter().map(|n| n["events"].as_u64().unwrap()).sum()
}

#[test]
fn every_failure_mode_of_a_receiver_loses_nothing_and_keeps_order() {
    let mut receiver = HttpReceiver::start();
    let mut h = Harness::start(&config(
        &webhook("hook", &receiver.url("/hook"), ""),
        "group_wait = \"0s\"\ngroup_interval = \"1s\"",
    ));
    let mut sent = 0u32;
    let mut send_some = |h: &Harness, n: u32| {
        for _ in 0..n {
            h.send(ban(sent));
            sent += 1;
        }
    };
    send_some(&h, 5);
    assert!(
        receiver.wait_until(Duration::from_secs(10), |r| !accepted_once(r).is_empty()),
        "a healthy receiver gets the first alert"
    );
    let phases: Vec<(&str, Behaviour)> = vec![
        ("500", Behaviour::status(500)),
        ("hang", Behaviour::Hang(Duration::from_secs(3))),
        (
            "429",
            Behaviour::Respond {
                status: 429,
                headers: vec![("Retry-After".into(), "1".into())],
                body: String::new(),
            },
        ),
        ("drop", Behaviour::Drop),
    ];
    for (what, behaviour) in phases {
        receiver.set(behaviour);
        let before = receiver.requests().len();
        send_some(&h, 7);
        assert!(
            receiver.wait_until(Duration::from_secs(15), |r| r.len() > before),
            "{what}: the engine keeps trying"
        );
        receiver.set(Behaviour::status(200));
        send_some(&h, 3);
    }
    // Gone: connections refused, while events keep coming.
    receiver.go_away();
    send_some(&h, 20);
    std::thread::sleep(Duration::from_secs(2));
    receiver.come_back();
    let total = u64::from(sent);
    let ok = receiver.wait_until(Duration::from_secs(60), |r| {
        events_in(&accepted_once(r)) >= total
    });
    let notes = accepted_once(&receiver.requests());
    assert!(ok, "delivered {} of {total} events", events_in(&notes));
    assert_eq!(events_in(&notes), total, "no event counted twice");
    // In order: ids and event times never go back.
    let ids: Vec<u64> = notes.iter().map(|n| n["id"].as_u64().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "ids in order: {ids:?}");
    // A failing receiver got few requests: backoff, not a storm.
    let requests = receiver.requests().len();
    assert!(
        requests < 80,
        "{requests} requests for {} notifications",
        notes.len()
    );
    // Everything is marked delivered; nothing is pending or dead. The
    // receiver records a request before the engine has read the answer and
    // marked it, so the last one may still be pending for a moment.
    let outbox = h.outbox();
    let mut pending = Vec::new();
    for _ in 0..100 {
        pending = outbox.pending("hook", 100).unwrap();
        if pending.is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(pending.is_empty(), "still pending: {pending:?}");
    assert!(outbox.recent(true, 100).unwrap().is_empty());
    h.stop_engine();
}

#[test]
fn a_flood_of_100000_events_makes_a_bounded_number_of_messages_with_right_counts() {
    let receiver = HttpReceiver::start();
    let h = Harness::start(&config(
        &webhook("hook", &receiver.url("/hook"), ""),
        "group_wait = \"1s\"\ngroup_interval = \"2s\"\nrepeat_interval = \"1h\"",
    ));
    const FLOOD: u32 = 100_000;
    for n in 0..FLOOD {
        // 1,000 distinct alerts: more than a group holds, so some are folded.
        h.send(ban(n % 1_000));
    }
    let ok = receiver.wait_until(Duration::from_secs(120), |r| {
        events_in(&accepted_once(r)) >= u64::from(FLOOD)
    });
    let notes = accepted_once(&receiver.requests());
    assert!(ok, "delivered {} of {FLOOD}", events_in(&notes));
    assert_eq!(events_in(&notes), u64::from(FLOOD));
    assert!(notes.len() <= 30, "{} messages for a flood", notes.len());
    for n in &notes {
        let listed = n["alerts"].as_array().unwrap().len() as u64;
        assert!(listed <= 20);
        let counted: u64 = n["alerts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["count"].as_u64().unwrap())
            .sum();
        // What is not listed is counted: "… N more".
        assert!(counted <= n["events"].as_u64().unwrap());
        if n["omitted_alerts"].as_u64().unwrap() == 0 {
            assert_eq!(counted, n["events"].as_u64().unwrap());
        }
    }
}

#[test]
fn a_fallback_takes_over_while_the_sink_fails() {
    let primary = HttpReceiver::start();
    primary.set(Behaviour::status(503));
    let backup = HttpReceiver::start();
    let sinks = format!(
        "{}{}",
        webhook(
            "primary",
            &primary.url("/p"),
            "fallback = \"backup\"\nfallback_after = \"1s\""
        ),
        webhook("backup", &backup.url("/b"), "engines = [\"daemon\"]")
    );
    let h = Harness::start(&config(
        &sinks,
        "group_wait = \"0s\"\ngroup_interval = \"1s\"",
    ));
    for n in 0..10 {
        h.send(ban(n));
    }
    let ok = backup.wait_until(Duration::from_secs(20), |r| {
        events_in(&accepted_once(r)) >= 10
    });
    assert!(ok, "the fallback delivered the failing sink's alerts");
    // The receiver has it a moment before the outbox records it.
    let outbox = h.outbox();
    let mut via_backup = false;
    for _ in 0..100 {
        via_backup = outbox
            .recent(false, 50)
            .unwrap()
            .iter()
            .any(|e| e.state == State::Delivered && e.via.as_deref() == Some("backup"));
        if via_backup {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(via_backup, "recorded as delivered via the fallback");
    // The primary comes back: its next retry (at most a minute away, the
    // backoff cap) finds it, and it delivers itself again.
    primary.set(Behaviour::status(200));
    let mut back = false;
    for n in 100..240 {
        h.send(ban(n));
        if primary.wait_until(Duration::from_millis(500), |r| !accepted_once(r).is_empty()) {
            back = true;
            break;
        }
    }
    assert!(back, "the primary delivers again once it works");
    let before = backup.requests().len();
    h.send(ban(999));
    assert!(primary.wait_until(Duration::from_secs(10), |r| {
        accepted_once(r)
            .iter()
            .any(|n| n["alerts"].to_string().contains("2001:db8::3e7"))
    }));
    assert_eq!(
        backup.requests().len(),
        before,
        "no longer through the fallback"
    );
}

#[test]
fn a_refusal_goes_to_the_dead_letters_and_retry_sends_it_again() {
    let receiver = HttpReceiver::start();
    receiver.set(Behaviour::status(404));
    let h = Harness::start(&config(
        &webhook("hook", &receiver.url("/hook"), ""),
        "group_wait = \"0s\"\ngroup_interval = \"1s\"",
    ));
    h.send(ban(1));
    let outbox = h.outbox();
    let mut dead = Vec::new();
    for _ in 0..200 {
        dead = outbox.recent(true, 10).unwrap();
        if !dead.is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        dead.len(),
        1,
        "a 404 is not retried: it is a dead letter; requests {:?}, outbox {:?}, cursor {:?}",
        receiver.requests().len(),
        outbox.recent(false, 10).unwrap(),
        outbox
            .load("hook")
            .unwrap()
            .map(|(seq, g)| (seq, g.held_events()))
    );
    assert_eq!(receiver.requests().len(), 1, "exactly one attempt");
    assert!(dead[0].last_error.as_deref().unwrap_or("").contains("404"));
    // The failure is itself an event in the journal.
    let journal = Journal::open_existing(h.dir.path()).unwrap();
    let mut failed = false;
    for _ in 0..100 {
        failed = journal
            .read_after(0, 1000, Some(Engine::Alert))
            .unwrap()
            .iter()
            .any(|r| matches!(r.event.kind, EventKind::AlertFailed { .. }));
        if failed {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(failed, "an alert_failed event is journaled");
    receiver.set(Behaviour::status(200));
    let mut outbox = h.outbox();
    assert_eq!(outbox.requeue(Some(dead[0].notification.id)).unwrap(), 1);
    assert!(
        receiver.wait_until(Duration::from_secs(10), |r| !accepted_once(r).is_empty()),
        "the re-queued notification is sent"
    );
}

#[test]
fn a_restart_neither_loses_nor_double_counts_held_events() {
    let receiver = HttpReceiver::start();
    let text = config(
        &webhook("hook", &receiver.url("/hook"), ""),
        "group_wait = \"3s\"\ngroup_interval = \"1s\"",
    );
    let mut h = Harness::start(&text);
    for n in 0..50 {
        h.send(ban(n));
    }
    // Stopped while the group still waits: the events are in its state.
    std::thread::sleep(Duration::from_millis(1500));
    h.stop_engine();
    assert!(receiver.requests().is_empty());
    h.start_engine(&text);
    for n in 50..60 {
        h.send(ban(n));
    }
    let ok = receiver.wait_until(Duration::from_secs(20), |r| {
        events_in(&accepted_once(r)) >= 60
    });
    let notes = accepted_once(&receiver.requests());
    assert!(ok, "delivered {}", events_in(&notes));
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(events_in(&accepted_once(&receiver.requests())), 60);
    let by_id: BTreeMap<u64, u64> = notes
        .iter()
        .map(|n| (n["id"].as_u64().unwrap(), n["events"].as_u64().unwrap()))
        .collect();
    assert_eq!(by_id.values().sum::<u64>(), 60);
}

#[test]
fn an_unreadable_journal_row_is_passed_over_not_a_reason_to_stop() {
    let receiver = HttpReceiver::start();
    let mut h = Harness::start(&config(
        &webhook("hook", &receiver.url("/hook"), ""),
        "group_wait = \"0s\"\ngroup_interval = \"1s\"",
    ));
    h.stop_engine();
    h.send(ban(1));
    // Wait until the writer committed it, then add a row a newer build
    // might write, and one more good event after it.
    let journal = Journal::open_existing(h.dir.path()).unwrap();
    for _ in 0..100 {
        if journal.last_seq().unwrap() >= 1 {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let db = rusqlite::Connection::open(h.dir.path().join("events.db")).unwrap();
    db.execute(
        "INSERT INTO events(time_ms, engine, kind, host, schema, body)
         VALUES (1, 'ban', 'from_the_future', 'h', 9, '{\"kind\":\"from_the_future\"}')",
        [],
    )
    .unwrap();
    h.send(ban(2));
    let text = config(
        &webhook("hook", &receiver.url("/hook"), ""),
        "group_wait = \"0s\"\ngroup_interval = \"1s\"",
    );
    h.start_engine(&text);
    let ok = receiver.wait_until(Duration::from_secs(15), |r| {
        events_in(&accepted_once(r)) >= 2
    });
    assert!(ok, "both good events delivered around the bad row");
}

#[test]
fn a_sink_removed_from_the_config_lets_go_of_the_journal_and_its_queue() {
    let receiver = HttpReceiver::start();
    receiver.set(Behaviour::status(503));
    let both = format!(
        "{}{}",
        webhook("keep", &receiver.url("/k"), "engines = [\"daemon\"]"),
        webhook("gone", &receiver.url("/g"), "")
    );
    let mut h = Harness::start(&config(
        &both,
        "group_wait = \"0s\"\ngroup_interval = \"1s\"",
    ));
    h.send(ban(1));
    let outbox = h.outbox();
    for _ in 0..200 {
        if !outbox.pending("gone", 10).unwrap().is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(outbox.pending("gone", 10).unwrap().len(), 1);
    h.stop_engine();
    h.start_engine(&config(
        &webhook("keep", &receiver.url("/k"), "engines = [\"daemon\"]"),
        "group_wait = \"0s\"\ngroup_interval = \"1s\"",
    ));
    let mut consumers = Vec::new();
    for _ in 0..200 {
        consumers = Journal::open_existing(h.dir.path())
            .unwrap()
            .consumers()
            .unwrap()
            .into_iter()
            .map(|c| c.name)
            .collect::<Vec<_>>();
        // The journal's consumer goes first, then the outbox's queue.
        if consumers == ["alert.keep"] && outbox.pending("gone", 10).unwrap().is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(
        consumers,
        ["alert.keep"],
        "the removed sink no longer holds retention"
    );
    assert!(outbox.pending("gone", 10).unwrap().is_empty());
    let dead = outbox.recent(true, 10).unwrap();
    assert_eq!(dead.len(), 1);
    assert!(dead[0].last_error.as_deref().unwrap().contains("removed"));
}
