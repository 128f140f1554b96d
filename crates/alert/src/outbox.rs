//! The alert engine's durable state, `<state_dir>/alerts.db` (SQLite, WAL,
//! `synchronous=FULL`):
//!
//! - per sink, its journal cursor and its grouping state, written in one
//!   transaction: events up to the cursor are either in a notification or
//!   counted in a group, so a kill -9 at any point loses none and counts
//!   none twice;
//! - the outbox: every notification built, with its delivery state
//!   (`pending` → `delivered` | `dead`), attempts and last error. A
//!   notification leaves `pending` only when a receiver accepted it (or
//!   refused it for good: then it is `dead`, the dead-letter table that
//!   `clawguard alert list --failed` shows and `alert retry` re-queues).

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, params};

use crate::group::Grouper;
use crate::{AlertError, Notification};

/// The file name under the state directory.
pub const FILE_NAME: &str = "alerts.db";

/// Delivered notifications kept for `alert list`; older ones are deleted.
pub const KEEP_DELIVERED: i64 = 10_000;

/// Dead letters kept; older ones are deleted (a receiver that refuses
/// everything makes one per `group_interval`).
pub const KEEP_DEAD: i64 = 10_000;

/// Delivery state of a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Pending,
    Delivered,
    Dead,
}

impl State {
    pub fn name(self) -> &'static str {
        match self {
            State::Pending => "pending",
            State::Delivered => "delivered",
            State::Dead => "dead",
        }
    }
    fn parse(text: &str) -> State {
        match text {
            "delivered" => State::Delivered,
            "dead" => State::Dead,
            _ => State::Pending,
        }
    }
}

/// One row of the outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub notification: Notification,
    pub state: State,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub delivered_ms: Option<i64>,
    /// The sink that delivered it, when a fallback did.
    pub via: Option<String>,
}

/// An open `alerts.db`.
pub struct Outbox {
    conn: Connection,
    path: PathBuf,
}

impl Outbox {
    /// Open (creating) `<dir>/alerts.db`.
    pub fn open(dir: &Path) -> Result<Outbox, AlertError> {
        let path = dir.join(FILE_NAME);
        let err = |source| AlertError::Store {
            path: path.clone(),
            source,
        };
        let conn = Connection::open(&path).map_err(err)?;
        conn.busy_timeout(Duration::from_secs(5)).map_err(err)?;
        conn.execute_batch(
            "PRAGMA journal_mode=WAL;
             PRAGMA synchronous=FULL;
             CREATE TABLE IF NOT EXISTS cursors(
                 sink TEXT PRIMARY KEY,
                 seq INTEGER NOT NULL,
                 grouper TEXT NOT NULL,
                 updated_ms INTEGER NOT NULL);
             CREATE TABLE IF NOT EXISTS notifications(
                 id INTEGER PRIMARY KEY AUTOINCREMENT,
                 sink TEXT NOT NULL,
                 created_ms INTEGER NOT NULL,
                 state TEXT NOT NULL,
                 attempts INTEGER NOT NULL DEFAULT 0,
                 last_error TEXT,
                 delivered_ms INTEGER,
                 via TEXT,
                 body TEXT NOT NULL);
             CREATE INDEX IF NOT EXISTS notifications_by_state
                 ON notifications(sink, state, id);
             CREATE INDEX IF NOT EXISTS notifications_by_state_only
                 ON notifications(state, id);",
        )
        .map_err(err)?;
        Ok(Outbox { conn, path })
    }

    /// Open an existing `alerts.db` (the CLI); `None` when there is none.
    pub fn open_existing(dir: &Path) -> Result<Option<Outbox>, AlertError> {
        if !dir.join(FILE_NAME).exists() {
            return Ok(None);
        }
        Outbox::open(dir).map(Some)
    }

    fn err(&self, source: rusqlite::Error) -> AlertError {
        AlertError::Store {
            path: self.path.clone(),
            source,
        }
    }

    /// The sink's cursor and grouping state; `None` for a new sink.
    pub fn load(&self, sink: &str) -> Result<Option<(u64, Grouper)>, AlertError> {
        let row: Option<(i64, String)> = self
            .conn
            .query_row(
                "SELECT seq, grouper FROM cursors WHERE sink = ?1",
                [sink],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        Ok(row.map(|(seq, text)| {
            // A state this build cannot read is started over: its events
            // were counted and are lost from the counts, not from delivery
            // of what was already built.
            let grouper = serde_json::from_str(&text).unwrap_or_else(|e| {
                tracing::error!(sink, "alert grouping state unreadable, starting empty: {e}");
                Grouper::default()
            });
            (seq.max(0) as u64, grouper)
        }))
    }

    /// In one transaction: store the new notifications as pending (their
    /// ids are set), then the cursor and grouping state.
    pub fn commit(
        &mut self,
        sink: &str,
        cursor: u64,
        grouper: &Grouper,
        notifications: &mut [Notification],
        now_ms: i64,
    ) -> Result<(), AlertError> {
        let state = serde_json::to_string(grouper).unwrap_or_else(|_| "{}".into());
        let path = self.path.clone();
        let err = |source| AlertError::Store {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(err)?;
        insert_pending(&tx, sink, notifications).map_err(err)?;
        tx.execute(
            "INSERT INTO cursors(sink, seq, grouper, updated_ms) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(sink) DO UPDATE SET seq = MAX(seq, ?2), grouper = ?3, updated_ms = ?4",
            params![sink, cursor as i64, state, now_ms],
        )
        .map_err(err)?;
        tx.commit().map_err(err)
    }

    /// Store a notification sent outside the daemon (`alert test`) with
    /// its outcome, so `alert list` shows it. Sets its id.
    pub fn record(
        &mut self,
        notification: &mut Notification,
        state: State,
        error: Option<&str>,
        now_ms: i64,
    ) -> Result<(), AlertError> {
        let path = self.path.clone();
        let err = |source| AlertError::Store {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(err)?;
        let sink = notification.sink.clone();
        insert_pending(&tx, &sink, std::slice::from_mut(notification)).map_err(err)?;
        tx.execute(
            "UPDATE notifications SET state = ?2, attempts = 1, last_error = ?3,
                 delivered_ms = CASE WHEN ?2 = 'delivered' THEN ?4 END WHERE id = ?1",
            params![notification.id as i64, state.name(), error, now_ms],
        )
        .map_err(err)?;
        tx.commit().map_err(err)
    }

    /// The sink's pending notifications, oldest first, at most `limit`.
    pub fn pending(&self, sink: &str, limit: usize) -> Result<Vec<Entry>, AlertError> {
        self.select(
            "WHERE sink = ?1 AND state = 'pending' ORDER BY id LIMIT ?2",
            params![sink, limit as i64],
        )
    }

    /// How many notifications of the sink are pending.
    pub fn pending_count(&self, sink: &str) -> Result<u64, AlertError> {
        self.conn
            .query_row(
                "SELECT COUNT(*) FROM notifications WHERE sink = ?1 AND state = 'pending'",
                [sink],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n.max(0) as u64)
            .map_err(|e| self.err(e))
    }

    /// The newest notifications (only dead ones with `failed`), newest first.
    pub fn recent(&self, failed: bool, limit: usize) -> Result<Vec<Entry>, AlertError> {
        if failed {
            self.select(
                "WHERE state = 'dead' ORDER BY id DESC LIMIT ?1",
                params![limit as i64],
            )
        } else {
            self.select("ORDER BY id DESC LIMIT ?1", params![limit as i64])
        }
    }

    /// One notification by id.
    pub fn get(&self, id: u64) -> Result<Option<Entry>, AlertError> {
        Ok(self
            .select("WHERE id = ?1", params![id as i64])?
            .into_iter()
            .next())
    }

    fn select(&self, tail: &str, args: impl rusqlite::Params) -> Result<Vec<Entry>, AlertError> {
        let sql = format!(
            "SELECT id, state, attempts, last_error, delivered_ms, via, body FROM notifications {tail}"
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(args, |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<i64>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, String>(6)?,
                ))
            })
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, state, attempts, last_error, delivered_ms, via, body) =
                row.map_err(|e| self.err(e))?;
            let Ok(mut notification) = serde_json::from_str::<Notification>(&body) else {
                tracing::error!(id, "alert notification unreadable, skipped");
                continue;
            };
            notification.id = id as u64;
            out.push(Entry {
                notification,
                state: State::parse(&state),
                attempts: attempts.max(0) as u32,
                last_error,
                delivered_ms,
                via,
            });
        }
        Ok(out)
    }

    /// A receiver accepted notification `id` (through `via` when a fallback did).
    pub fn delivered(&mut self, id: u64, via: Option<&str>, now_ms: i64) -> Result<(), AlertError> {
        self.conn
            .execute(
                "UPDATE notifications SET state = 'delivered', attempts = attempts + 1,
                     delivered_ms = ?2, via = ?3, last_error = NULL WHERE id = ?1",
                params![id as i64, now_ms, via],
            )
            .map_err(|e| self.err(e))?;
        // Keep the table bounded: the oldest delivered rows go.
        self.conn
            .execute(
                "DELETE FROM notifications WHERE state = 'delivered' AND id <=
                     (SELECT id FROM notifications WHERE state = 'delivered'
                      ORDER BY id DESC LIMIT 1 OFFSET ?1)",
                [KEEP_DELIVERED],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// An attempt failed and will be retried.
    pub fn failed_attempt(&mut self, id: u64, error: &str) -> Result<(), AlertError> {
        self.conn
            .execute(
                "UPDATE notifications SET attempts = attempts + 1, last_error = ?2 WHERE id = ?1",
                params![id as i64, error],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Refused for good: to the dead-letter table. The table keeps the
    /// newest [`KEEP_DEAD`] dead letters.
    pub fn dead(&mut self, id: u64, error: &str) -> Result<(), AlertError> {
        self.conn
            .execute(
                "UPDATE notifications SET state = 'dead', attempts = attempts + 1, last_error = ?2
                 WHERE id = ?1",
                params![id as i64, error],
            )
            .map_err(|e| self.err(e))?;
        self.conn
            .execute(
                "DELETE FROM notifications WHERE state = 'dead' AND id <=
                     (SELECT id FROM notifications WHERE state = 'dead'
                      ORDER BY id DESC LIMIT 1 OFFSET ?1)",
                [KEEP_DEAD],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// `alert retry`: dead notifications back to pending (one, or all).
    /// Returns how many.
    pub fn requeue(&mut self, id: Option<u64>) -> Result<u64, AlertError> {
        let n = match id {
            Some(id) => self.conn.execute(
                "UPDATE notifications SET state = 'pending', attempts = 0 WHERE id = ?1 AND state = 'dead'",
                [id as i64],
            ),
            None => self.conn.execute(
                "UPDATE notifications SET state = 'pending', attempts = 0 WHERE state = 'dead'",
                [],
            ),
        }
        .map_err(|e| self.err(e))?;
        Ok(n as u64)
    }

    /// Sinks with a cursor.
    pub fn sinks(&self) -> Result<Vec<String>, AlertError> {
        let mut stmt = self
            .conn
            .prepare("SELECT sink FROM cursors ORDER BY sink")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.err(e))
    }

    /// Forget a sink no longer configured: its cursor and grouping state go,
    /// its pending notifications become dead letters ("sink removed").
    pub fn forget(&mut self, sink: &str) -> Result<(), AlertError> {
        self.conn
            .execute(
                "UPDATE notifications SET state = 'dead',
                     last_error = 'sink removed from the configuration'
                 WHERE sink = ?1 AND state = 'pending'",
                [sink],
            )
            .map_err(|e| self.err(e))?;
        self.conn
            .execute("DELETE FROM cursors WHERE sink = ?1", [sink])
            .map(|_| ())
            .map_err(|e| self.err(e))
    }
}

/// Insert notifications as pending and set their ids (the body holds the id).
fn insert_pending(
    tx: &rusqlite::Transaction<'_>,
    sink: &str,
    notifications: &mut [Notification],
) -> rusqlite::Result<()> {
    for n in notifications.iter_mut() {
        tx.execute(
            "INSERT INTO notifications(sink, created_ms, state, body) VALUES (?1, ?2, 'pending', '')",
            params![sink, n.created_ms],
        )?;
        n.id = tx.last_insert_rowid() as u64;
        let body = serde_json::to_string(n).unwrap_or_default();
        tx.execute(
            "UPDATE notifications SET body = ?2 WHERE id = ?1",
            params![n.id as i64, body],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clawguard_event::Severity;
    use std::collections::BTreeMap;

    fn note(sink: &str) -> Notification {
        Notification {
            id: 0,
            sink: sink.into(),
            group_key: "kind=banned".into(),
            group_labels: BTreeMap::new(),
            severity: Severity::High,
            host: "h".into(),
            created_ms: 5,
            alerts: Vec::new(),
            omitted_alerts: 0,
            events: 3,
            first_ms: 1,
            last_ms: 2,
            test: false,
        }
    }

    #[test]
    fn commit_stores_notifications_cursor_and_groups_together() {
        let dir = tempfile::tempdir().unwrap();
        let mut outbox = Outbox::open(dir.path()).unwrap();
        assert!(outbox.load("a").unwrap().is_none());
        let mut ns = vec![note("a"), note("a")];
        outbox
            .commit("a", 42, &Grouper::default(), &mut ns, 9)
            .unwrap();
        assert!(ns[0].id > 0 && ns[1].id > ns[0].id);
        drop(outbox);
        let mut outbox = Outbox::open(dir.path()).unwrap();
        let (seq, _) = outbox.load("a").unwrap().unwrap();
        assert_eq!(seq, 42);
        let pending = outbox.pending("a", 10).unwrap();
        assert_eq!(pending.len(), 2);
        assert_eq!(pending[0].notification.events, 3);
        // A cursor never moves back.
        outbox
            .commit("a", 7, &Grouper::default(), &mut [], 10)
            .unwrap();
        assert_eq!(outbox.load("a").unwrap().unwrap().0, 42);

        outbox.delivered(ns[0].id, None, 11).unwrap();
        outbox.dead(ns[1].id, "HTTP 404").unwrap();
        assert!(outbox.pending("a", 10).unwrap().is_empty());
        let failed = outbox.recent(true, 10).unwrap();
        assert_eq!(failed.len(), 1);
        assert_eq!(failed[0].last_error.as_deref(), Some("HTTP 404"));
        assert_eq!(outbox.requeue(None).unwrap(), 1);
        assert_eq!(outbox.pending("a", 10).unwrap().len(), 1);
    }
}
