//! The journal file: one SQLite database (`events.db`) in the state
//! directory, apart from the state database so that appending events never
//! waits on a ban's write lock, and a ban never waits on the journal's.
//!
//! Rows are appended in batches, one transaction each (WAL,
//! `synchronous=FULL`): an event counts as emitted once its batch is
//! committed. `seq` is SQLite's AUTOINCREMENT rowid, so it only grows and is
//! never reused, even after retention deletes the newest rows' neighbours.

use std::path::{Path, PathBuf};
use std::time::Duration;

use clawguard_event::{Engine, Event, EventKind, Record, SCHEMA_VERSION};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

/// File name of the journal inside the state directory.
pub const JOURNAL_FILE: &str = "events.db";

/// How long a statement waits for another connection's lock (a reader's
/// checkpoint, the CLI acknowledging).
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Page size of a new journal. Rows are appended in batches of thousands
/// and WAL writes every page twice (log, then checkpoint), one write call
/// per frame header and one per page: 16 KiB pages cut those calls by four
/// against SQLite's 4 KiB default (bench/journal.sh).
pub const PAGE_SIZE: u32 = 16_384;

/// Most records one read returns.
pub const MAX_READ: usize = 10_000;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    time_ms INTEGER NOT NULL,
    engine TEXT NOT NULL,
    kind TEXT NOT NULL,
    host TEXT NOT NULL,
    schema INTEGER NOT NULL,
    once_key TEXT,
    body TEXT NOT NULL
);
-- Partial: almost every event has no key, and a NULL entry per row would
-- cost an index insert per append. (Journals made before it also have the
-- column's own UNIQUE index; they keep working, just slower.)
CREATE UNIQUE INDEX IF NOT EXISTS events_once_key ON events(once_key)
    WHERE once_key IS NOT NULL;
CREATE TABLE IF NOT EXISTS consumers (
    name TEXT PRIMARY KEY,
    acked_seq INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL
);
";

/// Errors of the journal file.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("event journal {path}: {source}")]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("event journal {path}: cannot create the directory: {source}")]
    Dir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("event journal {path}: row {seq} does not read back: {detail}")]
    Corrupt {
        path: PathBuf,
        seq: u64,
        detail: String,
    },
    #[error("event journal {path} does not exist (the daemon creates it when it starts)")]
    Missing { path: PathBuf },
    #[error("event journal {path} is not set up yet (the daemon is creating it)")]
    Unready { path: PathBuf },
    #[error("consumer name {0:?}: use 1-64 letters, digits, '-', '_' or '.'")]
    ConsumerName(String),
}

/// How long and how much the journal keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Events older than this are deleted (milliseconds).
    pub max_age_ms: i64,
    /// Most events kept.
    pub max_events: u64,
    /// Most bytes of event bodies kept (the file adds SQLite's overhead).
    pub max_bytes: u64,
}

impl Default for Retention {
    fn default() -> Self {
        Self {
            max_age_ms: 30 * 24 * 3600 * 1000,
            max_events: 1_000_000,
            max_bytes: 256 << 20,
        }
    }
}

/// An event waiting to be appended.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub event: Event,
    /// When set, the event is appended only if no event with this key is in
    /// the journal yet (a ban re-announced after a crash).
    pub once_key: Option<String>,
}

/// What retention deleted in one pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trimmed {
    pub deleted: u64,
    /// Of those, how many some registered consumer had not acknowledged.
    pub unacknowledged: u64,
    pub first_seq: u64,
    pub last_seq: u64,
    /// Which bound forced them out (`max_events`, `max_bytes`, `max_age`).
    pub reason: &'static str,
}

/// A registered consumer and how far it has read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consumer {
    pub name: String,
    pub acked_seq: u64,
    pub updated_ms: i64,
}

/// The journal file, open for appending (the writer) or reading.
pub struct Journal {
    conn: Connection,
    path: PathBuf,
    host: String,
    /// Rows and body bytes in the table, kept as rows come and go so a
    /// retention check costs nothing when no bound is reached.
    count: u64,
    bytes: u64,
}

impl Journal {
    /// Open (creating if needed) the journal in `dir`, for writing.
    pub fn open(dir: &Path, host: &str) -> Result<Journal, JournalError> {
        std::fs::create_dir_all(dir).map_err(|source| JournalError::Dir {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = dir.join(JOURNAL_FILE);
        let conn = Connection::open(&path).map_err(|source| JournalError::Sqlite {
            path: path.clone(),
            source,
        })?;
        let mut journal = Journal {
            conn,
            path,
            host: host.to_string(),
            count: 0,
            bytes: 0,
        };
        journal.setup()?;
        let (count, bytes) = journal
            .conn
            .query_row(
                "SELECT COUNT(*), COALESCE(SUM(length(body)), 0) FROM events",
                [],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
            )
            .map_err(|e| journal.err(e))?;
        journal.count = count as u64;
        journal.bytes = bytes as u64;
        Ok(journal)
    }

    /// Open an existing journal for reading and acknowledging (the CLI).
    pub fn open_existing(dir: &Path) -> Result<Journal, JournalError> {
        let path = dir.join(JOURNAL_FILE);
        if !path.exists() {
            return Err(JournalError::Missing { path });
        }
        let conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|source| JournalError::Sqlite {
            path: path.clone(),
            source,
        })?;
        let journal = Journal {
            conn,
            path,
            host: String::new(),
            count: 0,
            bytes: 0,
        };
        journal
            .conn
            .busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| journal.err(e))?;
        // The writer creates the file before its tables: until they are
        // committed the journal is as good as missing.
        let has_schema: bool = journal
            .conn
            .query_row(
                "SELECT EXISTS(SELECT 1 FROM sqlite_master \
                 WHERE type = 'table' AND name = 'consumers')",
                [],
                |r| r.get(0),
            )
            .map_err(|e| journal.err(e))?;
        if !has_schema {
            return Err(JournalError::Unready { path: journal.path });
        }
        Ok(journal)
    }

    fn setup(&mut self) -> Result<(), JournalError> {
        let conn = &self.conn;
        let result = (|| {
            conn.busy_timeout(BUSY_TIMEOUT)?;
            // Only a new file takes it (before WAL is on); an existing
            // journal keeps its page size.
            conn.pragma_update(None, "page_size", PAGE_SIZE)?;
            conn.pragma_update(None, "journal_mode", "WAL")?;
            conn.pragma_update(None, "synchronous", "FULL")?;
            // One transaction: a reader that opens the file meanwhile sees
            // either no tables or all of them (`open_existing` checks).
            let tx = conn.unchecked_transaction()?;
            tx.execute_batch(SCHEMA)?;
            tx.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema', ?1)",
                [SCHEMA_VERSION.to_string()],
            )?;
            tx.commit()
        })();
        result.map_err(|e| self.err(e))
    }

    fn err(&self, source: rusqlite::Error) -> JournalError {
        JournalError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// Path of the journal file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Events in the journal now.
    pub fn len(&self) -> u64 {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Bytes of event bodies in the journal now.
    pub fn body_bytes(&self) -> u64 {
        self.bytes
    }

    /// Append a batch in one durable transaction. Returns the records as
    /// committed, in order (an event whose `once_key` was already present is
    /// left out).
    pub fn append(&mut self, batch: &[Pending]) -> Result<Vec<Record>, JournalError> {
        let appended = self.append_indexed(batch)?;
        Ok(appended
            .into_iter()
            .map(|(at, seq)| self.record(seq, &batch[at].event))
            .collect())
    }

    /// [`Journal::append`] without copying the events: for each event
    /// committed, its index in `batch` and its sequence number, in order.
    /// The writer copies only what a subscriber or the log wants.
    pub fn append_indexed(&mut self, batch: &[Pending]) -> Result<Vec<(usize, u64)>, JournalError> {
        let path = self.path.clone();
        let sql = |source| JournalError::Sqlite {
            path: path.clone(),
            source,
        };
        let mut committed = Vec::with_capacity(batch.len());
        let mut added_bytes = 0u64;
        let mut body = Vec::with_capacity(1024);
        let tx = self.conn.transaction().map_err(sql)?;
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO events(time_ms, engine, kind, host, schema, once_key, body)
                     VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6)",
                )
                .map_err(sql)?;
            let mut insert_once = tx
                .prepare_cached(
                    // Not `ON CONFLICT DO NOTHING`: that still takes a seq.
                    "INSERT INTO events(time_ms, engine, kind, host, schema, once_key, body)
                     SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7
                     WHERE NOT EXISTS (SELECT 1 FROM events WHERE once_key = ?6)",
                )
                .map_err(sql)?;
            for (at, pending) in batch.iter().enumerate() {
                let event = &pending.event;
                body.clear();
                // Serializing an Event cannot fail: no maps with non-string
                // keys, no foreign Serialize impls; serde_json writes UTF-8.
                let _ = serde_json::to_writer(&mut body, event);
                let text = std::str::from_utf8(&body).unwrap_or_default();
                let (time, engine, kind) =
                    (event.time_ms, engine_name(event.engine()), event.kind_id());
                let changed = match &pending.once_key {
                    None => {
                        insert.execute(params![time, engine, kind, self.host, SCHEMA_VERSION, text])
                    }
                    Some(key) => insert_once.execute(params![
                        time,
                        engine,
                        kind,
                        self.host,
                        SCHEMA_VERSION,
                        key,
                        text
                    ]),
                }
                .map_err(sql)?;
                if changed == 0 {
                    continue;
                }
                added_bytes += text.len() as u64;
                committed.push((at, tx.last_insert_rowid() as u64));
            }
        }
        tx.commit().map_err(sql)?;
        self.count += committed.len() as u64;
        self.bytes += added_bytes;
        Ok(committed)
    }

    /// The record of an event committed as `seq` by this journal.
    pub fn record(&self, seq: u64, event: &Event) -> Record {
        Record {
            seq,
            host: self.host.clone(),
            schema: SCHEMA_VERSION,
            event: event.clone(),
        }
    }

    /// Records after `seq` (exclusive), oldest first, at most `limit`
    /// (capped at [`MAX_READ`]); only `engine`'s when given.
    pub fn read_after(
        &self,
        seq: u64,
        limit: usize,
        engine: Option<Engine>,
    ) -> Result<Vec<Record>, JournalError> {
        let limit = limit.min(MAX_READ) as i64;
        let engine = engine.map(engine_name);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT seq, host, schema, body FROM events
                 WHERE seq > ?1 AND (?2 IS NULL OR engine = ?2)
                 ORDER BY seq LIMIT ?3",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(
                params![i64::try_from(seq).unwrap_or(i64::MAX), engine, limit],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, String>(3)?,
                    ))
                },
            )
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, host, schema, body) = row.map_err(|e| self.err(e))?;
            let event: Event = serde_json::from_str(&body).map_err(|e| JournalError::Corrupt {
                path: self.path.clone(),
                seq: seq as u64,
                detail: e.to_string(),
            })?;
            out.push(Record {
                seq: seq as u64,
                host,
                schema: schema as u32,
                event,
            });
        }
        Ok(out)
    }

    /// The sequence number just before the first event at or after
    /// `time_ms` (so `read_after` of it starts there).
    pub fn seq_before_time(&self, time_ms: i64) -> Result<u64, JournalError> {
        // Events arrive in time order, give or take a batch: walking by seq
        // from the oldest stops at the first recent one without an index.
        let first: Option<i64> = self
            .conn
            .query_row(
                "SELECT seq FROM events WHERE time_ms >= ?1 ORDER BY seq LIMIT 1",
                [time_ms],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        match first {
            Some(seq) => Ok((seq as u64).saturating_sub(1)),
            None => self.last_seq(),
        }
    }

    /// The newest sequence number ever given (0 for a new journal).
    pub fn last_seq(&self) -> Result<u64, JournalError> {
        let seq: Option<i64> = self
            .conn
            .query_row(
                "SELECT seq FROM sqlite_sequence WHERE name = 'events'",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        Ok(seq.unwrap_or(0).max(0) as u64)
    }

    /// Register `name` as a consumer, starting after `from_seq` when new.
    /// An existing consumer keeps its cursor. Returns its acknowledged seq.
    pub fn register_consumer(
        &mut self,
        name: &str,
        from_seq: u64,
        now_ms: i64,
    ) -> Result<u64, JournalError> {
        check_consumer_name(name)?;
        // A cursor past the end would acknowledge events not yet written.
        let from_seq = from_seq.min(self.last_seq()?);
        self.conn
            .execute(
                "INSERT INTO consumers(name, acked_seq, updated_ms) VALUES (?1, ?2, ?3)
                 ON CONFLICT(name) DO NOTHING",
                params![name, from_seq as i64, now_ms],
            )
            .map_err(|e| self.err(e))?;
        let acked: i64 = self
            .conn
            .query_row(
                "SELECT acked_seq FROM consumers WHERE name = ?1",
                [name],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))?;
        Ok(acked.max(0) as u64)
    }

    /// Record that `name` has handled everything up to `seq`. A cursor
    /// never moves back.
    pub fn acknowledge(&mut self, name: &str, seq: u64, now_ms: i64) -> Result<(), JournalError> {
        check_consumer_name(name)?;
        let seq = seq.min(self.last_seq()?);
        self.conn
            .execute(
                "UPDATE consumers SET acked_seq = MAX(acked_seq, ?2), updated_ms = ?3
                 WHERE name = ?1",
                params![name, seq as i64, now_ms],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Remove a consumer: its unacknowledged events no longer hold anything.
    pub fn remove_consumer(&mut self, name: &str) -> Result<bool, JournalError> {
        let n = self
            .conn
            .execute("DELETE FROM consumers WHERE name = ?1", [name])
            .map_err(|e| self.err(e))?;
        Ok(n > 0)
    }

    /// Every registered consumer.
    pub fn consumers(&self) -> Result<Vec<Consumer>, JournalError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT name, acked_seq, updated_ms FROM consumers ORDER BY name")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Consumer {
                    name: r.get(0)?,
                    acked_seq: r.get::<_, i64>(1)?.max(0) as u64,
                    updated_ms: r.get(2)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// Delete what a bound forces out, oldest first: first by count, then
    /// by bytes, then by age. Each pass that deletes something is returned,
    /// with how many of its events some consumer had not acknowledged.
    pub fn enforce(
        &mut self,
        retention: &Retention,
        now_ms: i64,
    ) -> Result<Vec<Trimmed>, JournalError> {
        let mut passes = Vec::new();
        if self.count > retention.max_events {
            let excess = self.count - retention.max_events;
            if let Some(t) = self.trim_oldest(excess, "max_events")? {
                passes.push(t);
            }
        }
        if self.bytes > retention.max_bytes {
            // Delete the oldest rows whose bodies add up to the excess.
            let excess = self.bytes - retention.max_bytes;
            let rows = self.rows_holding(excess)?;
            if let Some(t) = self.trim_oldest(rows, "max_bytes")? {
                passes.push(t);
            }
        }
        let cutoff = now_ms.saturating_sub(retention.max_age_ms);
        let old: i64 = self
            .conn
            .query_row(
                "SELECT COUNT(*) FROM (SELECT seq FROM events WHERE seq <
                   COALESCE((SELECT seq FROM events WHERE time_ms >= ?1 ORDER BY seq LIMIT 1),
                            (SELECT MAX(seq) + 1 FROM events)))",
                [cutoff],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))?;
        if old > 0
            && let Some(t) = self.trim_oldest(old as u64, "max_age")?
        {
            passes.push(t);
        }
        Ok(passes)
    }

    /// How many of the oldest rows hold at least `bytes` of bodies.
    fn rows_holding(&self, bytes: u64) -> Result<u64, JournalError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT length(body) FROM events ORDER BY seq")
            .map_err(|e| self.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        let (mut n, mut sum) = (0u64, 0u64);
        while sum < bytes {
            match rows.next().map_err(|e| self.err(e))? {
                Some(row) => {
                    sum += row.get::<_, i64>(0).map_err(|e| self.err(e))?.max(0) as u64;
                    n += 1;
                }
                None => break,
            }
        }
        Ok(n)
    }

    /// Delete the `n` oldest rows.
    fn trim_oldest(
        &mut self,
        n: u64,
        reason: &'static str,
    ) -> Result<Option<Trimmed>, JournalError> {
        if n == 0 {
            return Ok(None);
        }
        let path = self.path.clone();
        let sql = |source| JournalError::Sqlite {
            path: path.clone(),
            source,
        };
        // Immediate: an acknowledgement landing between the reads and the
        // delete must wait, not fail the pass.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(sql)?;
        let bounds: Option<(i64, i64)> = tx
            .query_row(
                "SELECT MIN(seq), MAX(seq) FROM
                   (SELECT seq FROM events ORDER BY seq LIMIT ?1)",
                [n as i64],
                |r| Ok((r.get::<_, Option<i64>>(0)?, r.get::<_, Option<i64>>(1)?)),
            )
            .map(|(a, b)| a.zip(b))
            .map_err(sql)?;
        let Some((first, last)) = bounds else {
            return Ok(None);
        };
        // The slowest consumer's cursor: everything after it is unread.
        // With no consumer at all, no event was acknowledged by anyone.
        let slowest: i64 = tx
            .query_row(
                "SELECT COALESCE(MIN(acked_seq), 0) FROM consumers",
                [],
                |r| r.get(0),
            )
            .map_err(sql)?;
        let (deleted, bytes, unacknowledged): (i64, i64, i64) = tx
            .query_row(
                "SELECT COUNT(*), COALESCE(SUM(length(body)), 0),
                        COALESCE(SUM(CASE WHEN seq > ?2 THEN 1 ELSE 0 END), 0)
                 FROM events WHERE seq <= ?1",
                params![last, slowest],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .map_err(sql)?;
        tx.execute("DELETE FROM events WHERE seq <= ?1", [last])
            .map_err(sql)?;
        tx.commit().map_err(sql)?;
        self.count = self.count.saturating_sub(deleted as u64);
        self.bytes = self.bytes.saturating_sub(bytes as u64);
        Ok(Some(Trimmed {
            deleted: deleted as u64,
            unacknowledged: unacknowledged as u64,
            first_seq: first as u64,
            last_seq: last as u64,
            reason,
        }))
    }

    /// The event that reports a retention pass dropping unacknowledged events.
    pub fn drop_event(trimmed: &Trimmed, now_ms: i64) -> Option<Event> {
        (trimmed.unacknowledged > 0).then(|| {
            Event::new(
                now_ms,
                EventKind::EventsDropped {
                    source: Engine::Journal,
                    count: trimmed.unacknowledged,
                    first_seq: Some(trimmed.first_seq),
                    last_seq: Some(trimmed.last_seq),
                    reason: format!(
                        "journal retention ({}) deleted {} events, {} of them not yet \
                         acknowledged by every consumer",
                        trimmed.reason, trimmed.deleted, trimmed.unacknowledged
                    ),
                },
            )
        })
    }
}

/// The `engine` column: the same lowercase name serde gives the enum.
pub fn engine_name(engine: Engine) -> &'static str {
    match engine {
        Engine::Daemon => "daemon",
        Engine::Journal => "journal",
        Engine::Ban => "ban",
        Engine::Fim => "fim",
        Engine::Proc => "proc",
        Engine::Proxy => "proxy",
        Engine::Skills => "skills",
        Engine::Audit => "audit",
        Engine::Logs => "logs",
        Engine::Alert => "alert",
    }
}

fn check_consumer_name(name: &str) -> Result<(), JournalError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(JournalError::ConsumerName(name.to_string()))
    }
}
