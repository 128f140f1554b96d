//! The journal file's layout for batched appends (bench/journal.sh measures
//! what it buys), and journals made before it still work.

use clawguard_event::{Engine, Event, EventKind};
use clawguard_journal::{JOURNAL_FILE, Journal, PAGE_SIZE, Pending};
use rusqlite::Connection;

fn event(n: i64) -> Event {
    Event::new(
        1_700_000_000_000 + n,
        EventKind::EngineError {
            engine: Engine::Fim,
            message: format!("e{n}"),
        },
    )
}

fn keyed(n: i64, key: &str) -> Pending {
    Pending {
        event: event(n),
        once_key: Some(key.into()),
    }
}

fn plain(n: i64) -> Pending {
    Pending {
        event: event(n),
        once_key: None,
    }
}

#[test]
fn a_new_journal_has_large_pages_and_indexes_only_keyed_events() {
    let dir = tempfile::tempdir().unwrap();
    let mut journal = Journal::open(dir.path(), "h").unwrap();
    journal.append(&[plain(1), keyed(2, "k")]).unwrap();
    let conn = Connection::open(dir.path().join(JOURNAL_FILE)).unwrap();
    let page_size: u32 = conn
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .unwrap();
    assert_eq!(page_size, PAGE_SIZE);
    // The only index on once_key is partial: unkeyed rows cost no index
    // insert.
    let indexes: Vec<(String, bool, bool)> = conn
        .prepare("SELECT name, \"unique\", partial FROM pragma_index_list('events')")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(indexes, vec![("events_once_key".into(), true, true)]);
    // And the once-key check finds keys through it, not by a scan.
    let plan: String = conn
        .query_row(
            "EXPLAIN QUERY PLAN SELECT 1 FROM events WHERE once_key = 'k'",
            [],
            |r| r.get(3),
        )
        .unwrap();
    assert!(plan.contains("events_once_key"), "{plan}");
}

#[test]
fn a_journal_made_with_the_first_layout_still_appends_each_key_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(JOURNAL_FILE);
    {
        // The first layout: 4 KiB pages, a UNIQUE column.
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
             CREATE TABLE events (
                 seq INTEGER PRIMARY KEY AUTOINCREMENT,
                 time_ms INTEGER NOT NULL,
                 engine TEXT NOT NULL,
                 kind TEXT NOT NULL,
                 host TEXT NOT NULL,
                 schema INTEGER NOT NULL,
                 once_key TEXT UNIQUE,
                 body TEXT NOT NULL
             );
             CREATE TABLE consumers (
                 name TEXT PRIMARY KEY,
                 acked_seq INTEGER NOT NULL,
                 updated_ms INTEGER NOT NULL
             );",
        )
        .unwrap();
    }
    let mut journal = Journal::open(dir.path(), "h").unwrap();
    let first = journal
        .append(&[plain(1), keyed(2, "k"), plain(3)])
        .unwrap();
    assert_eq!(
        first.iter().map(|r| r.seq).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    let again = journal.append(&[keyed(4, "k"), plain(5)]).unwrap();
    assert_eq!(again.iter().map(|r| r.seq).collect::<Vec<_>>(), vec![4]);
    assert_eq!(journal.read_after(0, 10, None).unwrap().len(), 4);
    let page_size: u32 = Connection::open(&path)
        .unwrap()
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .unwrap();
    assert_eq!(page_size, 4096, "an existing journal keeps its pages");
}

/// The writer creates the file before its tables; a reader that opens it in
/// between is told the journal is not set up yet, not "no such table" from
/// its first query (an alert sink started alongside the writer hit that).
#[test]
fn a_journal_file_without_its_tables_is_not_ready_yet() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(JOURNAL_FILE);
    Connection::open(&path)
        .unwrap()
        .execute_batch("PRAGMA user_version = 1;")
        .unwrap();
    let err = Journal::open_existing(dir.path()).err().expect("not ready");
    assert!(
        err.to_string().contains("not set up yet"),
        "unexpected error: {err}"
    );
    drop(Journal::open(dir.path(), "h").unwrap());
    Journal::open_existing(dir.path()).expect("ready once the writer set it up");
}
