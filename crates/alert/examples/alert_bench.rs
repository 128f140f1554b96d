//! Benchmarks of the alert engine (run by `bench/alert.sh`), in process: a
//! real journal writer, the real engine, a real HTTP receiver on loopback.
//!
//! - `flood N`: N events (1,000 distinct alerts) committed to the journal,
//!   then a new webhook sink reads them all: events/s from the journal into
//!   grouped, durable alerts (until its cursor reaches the end), the
//!   messages sent for them, and the process's peak resident memory.
//! - `outage SECS RATE`: steady traffic of RATE events/s while the receiver
//!   is down for SECS seconds (connections refused), then back: messages
//!   and time until every event is delivered. Timers are scaled down
//!   (`group_interval = 1s`), so 60 s here is an hour of the 1 m default.
//!
//! Prints one JSON object.

use std::collections::BTreeSet;
use std::net::Ipv6Addr;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clawguard_alert::engine::{Hosted, run};
use clawguard_alert::outbox::Outbox;
use clawguard_config::Config;
use clawguard_event::{Event, EventKind};
use clawguard_journal::{Bus, Retention, Writer, WriterFaults};
use clawguard_testkit::http_receiver::{HttpReceiver, Request};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

fn ban(n: u32) -> Event {
    let addr = Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, (n >> 16) as u16, n as u16);
    Event::new(
        clawguard_sys::clock::now_ms(),
        EventKind::Banned {
            jail: "bench".into(),
            target: ipnet::IpNet::from(std::net::IpAddr::V6(addr)),
            until_ms: None,
            failures: 5,
            ban_count: 1,
            manual: false,
        },
    )
}

fn config(url: &str, timing: &str) -> Config {
    let text = format!(
        "[alert]\n{timing}\ngroup_by = [\"kind\"]\n\
         [[alert.sink]]\nname = \"bench\"\ntype = \"webhook\"\nurl = \"{url}\"\nsecret = \"k\"\n\
         timeout = \"2s\"\nmin_severity = \"info\"\n"
    );
    Config::parse(&text, Path::new("bench.toml")).expect("bench config")
}

fn start_engine(
    dir: &Path,
    config: Config,
    writer: &Writer,
    bus: &Bus,
) -> (CancellationToken, std::thread::JoinHandle<()>) {
    let cancel = CancellationToken::new();
    let hosted = Hosted {
        state_dir: dir.to_path_buf(),
        host: "bench".into(),
        config: watch::channel(Arc::new(config)).1,
        committed: writer.committed(),
        bus: bus.clone(),
        cancel: cancel.clone(),
    };
    let thread = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(run(hosted, || {}, |_| {})).expect("engine");
    });
    (cancel, thread)
}

fn delivered(requests: &[Request]) -> (usize, u64) {
    let mut seen = BTreeSet::new();
    let mut events = 0;
    for r in requests
        .iter()
        .filter(|r| r.answered.is_some_and(|s| (200..300).contains(&s)))
    {
        let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        if seen.insert(body["id"].as_u64().unwrap()) {
            events += body["events"].as_u64().unwrap();
        }
    }
    (seen.len(), events)
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn flood(n: u32) {
    let dir = tempfile::tempdir().unwrap();
    let receiver = HttpReceiver::start();
    let (bus, writer) = clawguard_journal::start(
        dir.path(),
        "bench",
        Retention {
            max_events: 10_000_000,
            max_bytes: 4 << 30,
            ..Retention::default()
        },
        Vec::new(),
        WriterFaults::default(),
    )
    .unwrap();
    for i in 0..n {
        bus.send(ban(i % 1_000)).unwrap();
    }
    let journal = clawguard_journal::Journal::open_existing(dir.path()).unwrap();
    while journal.last_seq().unwrap() < u64::from(n) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let rss_before = rss_kib();
    let started = Instant::now();
    let (cancel, engine) = start_engine(
        dir.path(),
        config(
            &receiver.url("/"),
            "group_wait = \"0s\"\ngroup_interval = \"1s\"",
        ),
        &writer,
        &bus,
    );
    let outbox = loop {
        if let Ok(Some(o)) = Outbox::open_existing(dir.path()) {
            break o;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let mut max_rss = 0;
    let folded = loop {
        max_rss = max_rss.max(rss_kib());
        if let Ok(Some((seq, _))) = outbox.load("bench")
            && seq >= u64::from(n)
        {
            break started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "flood took too long"
        );
        std::thread::sleep(Duration::from_millis(5));
    };
    let done = receiver.wait_until(Duration::from_secs(60), |r| delivered(r).1 >= u64::from(n));
    let all_delivered = started.elapsed();
    let (messages, events) = delivered(&receiver.requests());
    cancel.cancel();
    engine.join().unwrap();
    drop(bus);
    writer.join();
    println!(
        "{}",
        serde_json::json!({
            "mode": "flood",
            "events": n,
            "folded_s": folded.as_secs_f64(),
            "events_per_s": f64::from(n) / folded.as_secs_f64(),
            "all_delivered_s": all_delivered.as_secs_f64(),
            "delivered_events": events,
            "complete": done && events == u64::from(n),
            "messages": messages,
            "rss_kib_before_engine": rss_before,
            "rss_kib_max_during": max_rss,
            "peak_rss_kib_process": peak_rss_kib(),
        })
    );
}

fn outage(seconds: u64, rate: u64) {
    let dir = tempfile::tempdir().unwrap();
    let mut receiver = HttpReceiver::start();
    let (bus, writer) = clawguard_journal::start(
        dir.path(),
        "bench",
        Retention::default(),
        Vec::new(),
        WriterFaults::default(),
    )
    .unwrap();
    let (cancel, engine) = start_engine(
        dir.path(),
        config(
            &receiver.url("/"),
            "group_wait = \"0s\"\ngroup_interval = \"1s\"\nrepeat_interval = \"4h\"",
        ),
        &writer,
        &bus,
    );
    std::thread::sleep(Duration::from_millis(500));
    receiver.go_away();
    let mut sent = 0u32;
    let begin = Instant::now();
    while begin.elapsed() < Duration::from_secs(seconds) {
        for _ in 0..rate / 10 {
            bus.send(ban(sent % 5_000)).unwrap();
            sent += 1;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let during_outage = receiver.requests().len();
    receiver.come_back();
    let back = Instant::now();
    let done = receiver.wait_until(Duration::from_secs(600), |r| {
        delivered(r).1 >= u64::from(sent)
    });
    let catch_up = back.elapsed();
    let (messages, events) = delivered(&receiver.requests());
    cancel.cancel();
    engine.join().unwrap();
    drop(bus);
    writer.join();
    println!(
        "{}",
        serde_json::json!({
            "mode": "outage",
            "outage_s": seconds,
            "events": sent,
            "requests_during_outage": during_outage,
            "catch_up_s": catch_up.as_secs_f64(),
            "messages_after_recovery": messages,
            "delivered_events": events,
            "complete": done && events == u64::from(sent),
        })
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("flood") => flood(
            args.get(1)
                .and_then(|n| n.parse().ok())
                .unwrap_or(1_000_000),
        ),
        Some("outage") => outage(
            args.get(1).and_then(|n| n.parse().ok()).unwrap_or(60),
            args.get(2).and_then(|n| n.parse().ok()).unwrap_or(100),
        ),
        _ => {
            eprintln!("usage: alert_bench flood [N] | outage [SECONDS] [EVENTS_PER_S]");
            std::process::exit(2);
        }
    }
}
