//! The journal's bounds, with a real SQLite file: retention holds under a
//! flood, unacknowledged drops are counted exactly and become an event,
//! acknowledged events go quietly, and a once-key appends exactly once.

use std::time::{Duration, Instant};

use clawguard_event::{Engine, Event, EventKind};
use clawguard_journal::{Journal, Retention, WriterFaults, start};

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

fn flood_event(n: u64) -> Event {
    Event::new(
        now_ms(),
        EventKind::SkillFinding {
            skill: format!("skill-{}", n % 97),
            rule: "exec.download-exec".into(),
            severity: clawguard_event::Severity::High,
            file: "SKILL.md".into(),
            line: (n % 1000) as u32,
            message: "curl | sh".into(),
        },
    )
}

fn all_records(journal: &Journal) -> Vec<clawguard_event::Record> {
    let mut out = Vec::new();
    loop {
        let after = out.last().map_or(0, |r: &clawguard_event::Record| r.seq);
        let page = journal.read_after(after, 10_000, None).unwrap();
        if page.is_empty() {
            return out;
        }
        out.extend(page);
    }
}

fn dropped_in_journal(journal: &Journal) -> Vec<(u64, u64, u64)> {
    let mut out = Vec::new();
    let mut after = 0;
    loop {
        let page = journal
            .read_after(after, 10_000, Some(Engine::Journal))
            .unwrap();
        let Some(last) = page.last() else { break };
        after = last.seq;
        for record in page {
            if let EventKind::EventsDropped {
                count,
                first_seq,
                last_seq,
                ..
            } = record.event.kind
            {
                out.push((count, first_seq.unwrap(), last_seq.unwrap()));
            }
        }
    }
    out
}

#[test]
fn a_flood_of_a_million_events_stays_within_the_bound_and_every_drop_is_counted() {
    const FLOOD: u64 = 1_000_000;
    const KEEP: u64 = 50_000;
    let dir = tempfile::tempdir().unwrap();
    // A consumer that reads nothing: everything retention drops is unread.
    {
        let mut journal = Journal::open(dir.path(), "gw").unwrap();
        journal.register_consumer("alerting", 0, now_ms()).unwrap();
    }
    let retention = Retention {
        max_events: KEEP,
        ..Retention::default()
    };
    let (bus, writer) = start(
        dir.path(),
        "gw",
        retention,
        Vec::new(),
        WriterFaults::default(),
    )
    .unwrap();
    let stats = writer.stats_handle();
    let started = Instant::now();
    for n in 0..FLOOD {
        bus.send(flood_event(n)).unwrap();
    }
    drop(bus);
    assert!(writer.join());
    let elapsed = started.elapsed();
    eprintln!(
        "{FLOOD} events through the bus into the journal in {elapsed:?} ({:.0}/s)",
        FLOOD as f64 / elapsed.as_secs_f64()
    );
    let stats = stats.lock().unwrap().clone();
    let journal = Journal::open_existing(dir.path()).unwrap();
    let kept = all_records(&journal).len() as u64;
    // The drop reports are events too and are counted as such.
    let reports = journal.last_seq().unwrap() - FLOOD;
    assert!(reports > 0, "drops were reported");
    assert!(
        kept <= KEEP + 1,
        "bound holds: {kept} kept (at most {KEEP}, plus the last drop report)"
    );
    assert_eq!(
        stats.dropped_unacknowledged + kept,
        FLOOD + reports,
        "every event is either kept or counted as dropped"
    );
    // The reports still in the journal cover contiguous ranges, each count
    // matching its range.
    let in_journal = dropped_in_journal(&journal);
    assert!(!in_journal.is_empty());
    for (count, first, last) in &in_journal {
        assert_eq!(*count, last - first + 1, "{in_journal:?}");
    }
}

#[test]
fn acknowledged_events_leave_quietly_and_unacknowledged_ones_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let mut journal = Journal::open(dir.path(), "gw").unwrap();
    journal.register_consumer("alerting", 0, now_ms()).unwrap();
    let batch: Vec<_> = (0..100)
        .map(|n| clawguard_journal::Pending {
            event: flood_event(n),
            once_key: None,
        })
        .collect();
    journal.append(&batch).unwrap();
    journal.acknowledge("alerting", 60, now_ms()).unwrap();
    let retention = Retention {
        max_events: 20,
        ..Retention::default()
    };
    let passes = journal.enforce(&retention, now_ms()).unwrap();
    assert_eq!(passes.len(), 1);
    assert_eq!(passes[0].deleted, 80);
    assert_eq!(passes[0].unacknowledged, 20, "seq 61..=80 were unread");
    assert_eq!(journal.len(), 20);
    let event = Journal::drop_event(&passes[0], now_ms()).unwrap();
    assert_eq!(event.kind_id(), "events_dropped");
    // Nobody behind: no report.
    journal.acknowledge("alerting", 100, now_ms()).unwrap();
    let passes = journal
        .enforce(
            &Retention {
                max_events: 5,
                ..retention
            },
            now_ms(),
        )
        .unwrap();
    assert_eq!(passes[0].unacknowledged, 0);
    assert!(Journal::drop_event(&passes[0], now_ms()).is_none());
}

#[test]
fn with_no_consumer_every_dropped_event_counts_as_unread() {
    let dir = tempfile::tempdir().unwrap();
    let mut journal = Journal::open(dir.path(), "gw").unwrap();
    let batch: Vec<_> = (0..50)
        .map(|n| clawguard_journal::Pending {
            event: flood_event(n),
            once_key: None,
        })
        .collect();
    journal.append(&batch).unwrap();
    let retention = Retention {
        max_events: 10,
        ..Retention::default()
    };
    let passes = journal.enforce(&retention, now_ms()).unwrap();
    assert_eq!(passes[0].deleted, 40);
    assert_eq!(passes[0].unacknowledged, 40, "nobody read them");
    assert!(Journal::drop_event(&passes[0], now_ms()).is_some());
}

#[test]
fn the_byte_and_age_bounds_hold() {
    let dir = tempfile::tempdir().unwrap();
    let mut journal = Journal::open(dir.path(), "gw").unwrap();
    let old = Event::new(now_ms() - 3_600_000, flood_event(0).kind);
    let mut batch = vec![clawguard_journal::Pending {
        event: old,
        once_key: None,
    }];
    batch.extend((1..1000).map(|n| clawguard_journal::Pending {
        event: flood_event(n),
        once_key: None,
    }));
    journal.append(&batch).unwrap();
    let per_event = journal.body_bytes() / 1000;
    let retention = Retention {
        max_age_ms: 60_000,
        max_events: u64::MAX,
        max_bytes: per_event * 500,
    };
    let passes = journal.enforce(&retention, now_ms()).unwrap();
    assert!(journal.body_bytes() <= retention.max_bytes, "{passes:?}");
    let kept = all_records(&journal);
    assert!(kept.iter().all(|r| r.event.time_ms >= now_ms() - 60_000));
    // The old one went (first, by bytes: it was the oldest).
    assert!(kept.iter().all(|r| r.seq > 1));
}

#[test]
fn a_once_key_is_appended_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut journal = Journal::open(dir.path(), "gw").unwrap();
    let pending = clawguard_journal::Pending {
        event: flood_event(1),
        once_key: Some("banned/sshd/203.0.113.7/32/1000".into()),
    };
    assert_eq!(
        journal
            .append(std::slice::from_ref(&pending))
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        journal.append(&[pending.clone(), pending]).unwrap().len(),
        0
    );
    assert_eq!(journal.len(), 1);
    assert_eq!(
        journal.last_seq().unwrap(),
        1,
        "an ignored duplicate takes no seq"
    );
}

#[test]
fn a_stalled_writer_makes_a_blocking_producer_wait_without_losing_anything() {
    let dir = tempfile::tempdir().unwrap();
    let faults = WriterFaults {
        stall_before_commit: Some(Duration::from_millis(200)),
    };
    let (bus, writer) = start(dir.path(), "gw", Retention::default(), Vec::new(), faults).unwrap();
    for n in 0..20_000 {
        bus.send(flood_event(n)).unwrap();
    }
    drop(bus);
    assert!(writer.join());
    let journal = Journal::open_existing(dir.path()).unwrap();
    assert_eq!(journal.last_seq().unwrap(), 20_000);
}
