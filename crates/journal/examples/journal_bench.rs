//! Journal append throughput, retention cost and single-event latency, with
//! the peers it replaces side by side. Run by `bench/journal.sh`.
//!
//! - clawguard: `clawguard_journal::start` in a temp state dir, several
//!   producer threads calling `Bus::send`, the writer batching commits
//!   (WAL, `synchronous=FULL`, one transaction per batch). Timed from the
//!   first send until the writer has committed everything and stopped.
//! - peer "log file": the same pipeline shape (producers → bounded channel →
//!   one writer thread), the same events as JSON Lines appended to a plain
//!   file, one `fsync` per batch, batches formed the same way.
//! - peer "SQLite, one transaction per event": the journal's own append
//!   with batches of one (the naive durable design).
//!
//! usage: journal_bench [--events N] [--producers P] [--runs R]
//!        [--naive-events N] [--retain N] [--latency-events N] [--dir DIR]
//!        [--clawguard-only]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};

use clawguard_event::{Actor, Engine, Event, EventKind, FileChange, Record, Severity};
use clawguard_journal::{Journal, MAX_BATCH, Outbox, Pending, Retention, WriterFaults};

struct Options {
    events: u64,
    producers: u64,
    runs: u32,
    naive_events: u64,
    retain: u64,
    latency_events: u32,
    dir: PathBuf,
    /// Only the clawguard run, once (for profiling).
    clawguard_only: bool,
}

fn parse_options() -> Options {
    let mut o = Options {
        events: 1_000_000,
        producers: 4,
        runs: 3,
        naive_events: 5_000,
        retain: 100_000,
        latency_events: 200,
        dir: std::env::temp_dir(),
        clawguard_only: false,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        if flag == "--clawguard-only" {
            o.clawguard_only = true;
            continue;
        }
        let value = it
            .next()
            .unwrap_or_else(|| usage(&format!("{flag} needs a value")));
        let number = || -> u64 {
            value
                .replace('_', "")
                .parse()
                .unwrap_or_else(|_| usage(&format!("{flag}: not a number: {value}")))
        };
        match flag.as_str() {
            "--events" => o.events = number().max(1),
            "--producers" => o.producers = number().clamp(1, 64),
            "--runs" => o.runs = number().clamp(1, 20) as u32,
            "--naive-events" => o.naive_events = number().max(1),
            "--retain" => o.retain = number().max(1_000),
            "--latency-events" => o.latency_events = number().clamp(1, 100_000) as u32,
            "--dir" => o.dir = PathBuf::from(value),
            _ => usage(&format!("unknown option {flag}")),
        }
    }
    o
}

fn usage(why: &str) -> ! {
    eprintln!("journal_bench: {why}");
    eprintln!(
        "usage: journal_bench [--events N] [--producers P] [--runs R] [--naive-events N] \
         [--retain N] [--latency-events N] [--dir DIR] [--clawguard-only]"
    );
    std::process::exit(2)
}

/// Event `n` of a realistic mix: 6 in 10 bans, 3 file changes, 1 skill
/// finding, with fields of the sizes the engines produce.
fn event(n: u64, now_ms: i64) -> Event {
    let kind = match n % 10 {
        0..=5 => EventKind::Banned {
            jail: if n.is_multiple_of(3) {
                "openclaw-gateway"
            } else {
                "sshd"
            }
            .to_string(),
            target: format!("203.0.113.{}/32", n % 254 + 1)
                .parse()
                .expect("a valid test prefix"),
            until_ms: Some(now_ms + 600_000),
            failures: 5 + (n % 7) as u32,
            ban_count: 1 + (n % 3) as u32,
            manual: false,
        },
        6..=8 => EventKind::FileChanged {
            path: format!("/etc/ssh/sshd_config.d/{:02}-clawguard-bench.conf", n % 100),
            change: FileChange::Changed {
                attributes: vec!["blake3".into(), "mtime".into(), "size".into()],
            },
            actor: Some(Actor {
                pid: 1000 + (n % 30_000) as u32,
                uid: Some(0),
                exe: Some("/usr/bin/vim.basic".into()),
            }),
        },
        _ => EventKind::SkillFinding {
            skill: format!("weather-report-{}", n % 500),
            rule: "exfil.curl_post_env".into(),
            severity: Severity::High,
            file: "SKILL.md".into(),
            line: 40 + (n % 200) as u32,
            message: "posts environment variables to a remote host with curl".into(),
        },
    };
    Event::new(now_ms, kind)
}

/// Start `producers` threads that together make `events` events and hand
/// each to `send`. Returns when all are sent.
fn produce(events: u64, producers: u64, send: impl Fn(Event) -> bool + Clone + Send + 'static) {
    let handles: Vec<_> = (0..producers)
        .map(|p| {
            let send = send.clone();
            std::thread::spawn(move || {
                let now = clawguard_sys::clock::now_ms();
                let mut n = p;
                while n < events {
                    if !send(event(n, now)) {
                        panic!("the writer stopped early");
                    }
                    n += producers;
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("producer");
    }
}

struct Run {
    seconds: f64,
    events: u64,
    batches: u64,
}

impl Run {
    fn rate(&self) -> f64 {
        self.events as f64 / self.seconds
    }
}

fn clawguard_run(o: &Options, retention: Retention) -> Run {
    let dir = tempfile::tempdir_in(&o.dir).expect("temp state dir");
    let (bus, writer) = clawguard_journal::start(
        dir.path(),
        "bench-host",
        retention,
        Vec::new(),
        WriterFaults::default(),
    )
    .expect("journal writer");
    let started = Instant::now();
    let producer_bus = bus.clone();
    produce(o.events, o.producers, move |e| producer_bus.send(e).is_ok());
    drop(bus);
    let stats = writer.stats_handle();
    assert!(writer.join(), "the writer panicked");
    let seconds = started.elapsed().as_secs_f64();
    let stats = stats.lock().expect("stats").clone();
    // Every event committed once, plus retention's drop reports (at most
    // one a minute and one at the end: with no consumer registered, what
    // retention deletes was read by no one, and is reported).
    let reports = stats.last_seq.saturating_sub(o.events);
    assert!(
        stats.last_seq >= o.events && reports <= 2 + seconds as u64 / 60,
        "every event committed once: {} seqs for {} events",
        stats.last_seq,
        o.events
    );
    assert!(
        stats.failing.is_none(),
        "writer failing: {:?}",
        stats.failing
    );
    if retention.max_events < o.events {
        assert!(stats.events <= retention.max_events + MAX_BATCH as u64);
    }
    Run {
        seconds,
        events: o.events,
        batches: stats.committed_batches,
    }
}

/// The log-file peer: JSON Lines, one fsync per batch.
fn log_file_run(o: &Options) -> Run {
    let dir = tempfile::tempdir_in(&o.dir).expect("temp dir");
    let path = dir.path().join("events.jsonl");
    let (tx, rx) = std::sync::mpsc::sync_channel::<Event>(clawguard_journal::BUS_CAPACITY);
    let writer = std::thread::spawn(move || append_lines(&path, &rx));
    let started = Instant::now();
    produce(o.events, o.producers, move |e| tx.send(e).is_ok());
    let (events, batches) = writer.join().expect("log writer");
    assert_eq!(events, o.events);
    Run {
        seconds: started.elapsed().as_secs_f64(),
        events,
        batches,
    }
}

fn append_lines(path: &Path, rx: &Receiver<Event>) -> (u64, u64) {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .expect("log file");
    let (mut seq, mut batches) = (0u64, 0u64);
    let mut buf = Vec::with_capacity(1 << 20);
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(e) => batch.push(e),
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => break,
            }
        }
        buf.clear();
        for event in batch {
            seq += 1;
            let record = Record {
                seq,
                host: "bench-host".into(),
                schema: clawguard_event::SCHEMA_VERSION,
                event,
            };
            serde_json::to_writer(&mut buf, &record).expect("serialize");
            buf.push(b'\n');
        }
        file.write_all(&buf).expect("append");
        file.sync_all().expect("fsync");
        batches += 1;
    }
    (seq, batches)
}

/// The naive durable peer: the journal's own append, one event per
/// transaction, from one thread (a producer per commit would only queue).
fn naive_sqlite_run(o: &Options) -> Run {
    let dir = tempfile::tempdir_in(&o.dir).expect("temp dir");
    let mut journal = Journal::open(dir.path(), "bench-host").expect("journal");
    let now = clawguard_sys::clock::now_ms();
    let started = Instant::now();
    for n in 0..o.naive_events {
        let pending = Pending {
            event: event(n, now),
            once_key: None,
        };
        journal
            .append(std::slice::from_ref(&pending))
            .expect("append");
    }
    Run {
        seconds: started.elapsed().as_secs_f64(),
        events: o.naive_events,
        batches: o.naive_events,
    }
}

/// Send → committed for single events at a low rate (100/s), through the
/// ban engine's path: an `Outbox` push and a barrier behind it.
fn latency(o: &Options) -> Vec<f64> {
    let dir = tempfile::tempdir_in(&o.dir).expect("temp state dir");
    let (bus, writer) = clawguard_journal::start(
        dir.path(),
        "bench-host",
        Retention::default(),
        Vec::new(),
        WriterFaults::default(),
    )
    .expect("journal writer");
    let mut outbox = Outbox::new(bus, Engine::Ban, 1024);
    let now = clawguard_sys::clock::now_ms();
    let mut samples = Vec::with_capacity(o.latency_events as usize);
    for n in 0..u64::from(o.latency_events) {
        let sent = Instant::now();
        outbox.push(event(n * 10, now));
        let token = outbox.barrier();
        let deadline = sent + Duration::from_secs(10);
        while outbox.committed() < token {
            assert!(Instant::now() < deadline, "event {n} not committed in 10 s");
            std::thread::sleep(Duration::from_micros(20));
        }
        samples.push(sent.elapsed().as_secs_f64() * 1e3);
        std::thread::sleep(Duration::from_millis(10));
    }
    drop(outbox);
    assert!(writer.join());
    samples.sort_by(f64::total_cmp);
    samples
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

/// The best of `runs` (the VM is shared: the best run is the cost), and
/// every run's rate for the record.
fn best(runs: u32, mut f: impl FnMut() -> Run) -> (Run, Vec<f64>) {
    let mut all = Vec::new();
    let mut best: Option<Run> = None;
    for _ in 0..runs {
        let run = f();
        all.push(run.rate());
        if best.as_ref().is_none_or(|b| run.rate() > b.rate()) {
            best = Some(run);
        }
    }
    (best.expect("at least one run"), all)
}

fn rates(all: &[f64]) -> String {
    all.iter()
        .map(|r| format!("{r:.0}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn main() {
    let o = parse_options();
    println!(
        "{} events ({} producer threads), mix 60% banned / 30% file_changed / 10% skill_finding, \
         best of {} runs, temp dirs under {}",
        o.events,
        o.producers,
        o.runs,
        o.dir.display()
    );
    let unbounded = Retention {
        max_events: u64::MAX,
        max_bytes: u64::MAX,
        ..Retention::default()
    };
    if o.clawguard_only {
        let run = clawguard_run(&o, unbounded);
        println!(
            "clawguard: {:.0} events/s, {:.3} s, {} batches",
            run.rate(),
            run.seconds,
            run.batches
        );
        return;
    }
    // Alternate the two append designs run by run, so a slow minute of the
    // shared VM hits both.
    let (mut cg_all, mut file_all) = (Vec::new(), Vec::new());
    let (mut cg, mut file): (Option<Run>, Option<Run>) = (None, None);
    for _ in 0..o.runs {
        let c = clawguard_run(&o, unbounded);
        cg_all.push(c.rate());
        if cg.as_ref().is_none_or(|b| c.rate() > b.rate()) {
            cg = Some(c);
        }
        let f = log_file_run(&o);
        file_all.push(f.rate());
        if file.as_ref().is_none_or(|b| f.rate() > b.rate()) {
            file = Some(f);
        }
    }
    let (cg, file) = (cg.expect("a run"), file.expect("a run"));
    let retained = Retention {
        max_events: o.retain,
        ..unbounded
    };
    let (retain, retain_all) = best(o.runs, || clawguard_run(&o, retained));
    let (naive, _) = best(1, || naive_sqlite_run(&o));
    let lat = latency(&o);

    println!();
    println!(
        "{:<52} {:>12} {:>9} {:>10} {:>12}",
        "design", "events/s", "seconds", "batches", "clawguard ×"
    );
    let row = |name: &str, r: &Run| {
        println!(
            "{:<52} {:>12.0} {:>9.3} {:>10} {:>12.2}",
            name,
            r.rate(),
            r.seconds,
            r.batches,
            cg.rate() / r.rate()
        );
    };
    row("clawguard journal (SQLite WAL, FULL, batched)", &cg);
    row(
        &format!("clawguard, retention max_events = {}", o.retain),
        &retain,
    );
    row("peer: JSON Lines file, one fsync per batch", &file);
    row(
        &format!(
            "peer: SQLite, one transaction per event ({} ev)",
            o.naive_events
        ),
        &naive,
    );
    println!();
    println!("runs, events/s: clawguard {}", rates(&cg_all));
    println!("                retention {}", rates(&retain_all));
    println!("                log file  {}", rates(&file_all));
    println!(
        "average batch: clawguard {:.0}, log file {:.0} events",
        cg.events as f64 / cg.batches as f64,
        file.events as f64 / file.batches as f64
    );
    println!(
        "with retention deleting continuously: {:.2}× the unbounded run's events/s",
        retain.rate() / cg.rate()
    );
    println!(
        "latency, one event at 100/s, push → barrier reached (committed), {} events: \
         p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        lat.len(),
        percentile(&lat, 0.50),
        percentile(&lat, 0.99),
        lat[lat.len() - 1]
    );
    let target = 200_000.0;
    println!(
        "target: ≥ {target:.0} events/s sustained: {} ({:.0}); with retention: {} ({:.0})",
        if cg.rate() >= target {
            "met"
        } else {
            "NOT met"
        },
        cg.rate(),
        if retain.rate() >= target {
            "met"
        } else {
            "NOT met"
        },
        retain.rate()
    );
}
