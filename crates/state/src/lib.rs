//! clawguard's persistent state: one SQLite file in WAL mode.
//!
//! Every ban, with its expiry and history, is written here *before* it counts
//! as done (synchronous=FULL), so after a restart or a `kill -9` at any point
//! the active bans can be put back into the kernel with their remaining time.
//! Read positions of log sources live here too, so nothing is counted twice or
//! skipped across restarts. A small control queue lets the CLI hand manual
//! bans to a running daemon.
//!
//! When the database cannot be written (a lock held past [`BUSY_TIMEOUT`], a
//! full disk), the daemon keeps its bans in [`pending`] and retries.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use ipnet::IpNet;
use rusqlite::{Connection, OptionalExtension, params};

pub mod daemon_lock;
pub mod health;
pub mod pending;

/// How long a statement waits for another connection's lock.
pub const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// File name of the database inside the state directory.
pub const DB_FILE: &str = "clawguard.db";

/// Schema version written to `meta`.
pub const SCHEMA_VERSION: i64 = 1;

/// Errors from the state store.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("state directory {path}: {source}")]
    Dir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("state database {path}: {source}")]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error(
        "state database {path}: schema version {found} is newer than this build ({SCHEMA_VERSION})"
    )]
    TooNew { path: PathBuf, found: i64 },
    #[error("state database {path}: corrupt row: {detail}")]
    Corrupt { path: PathBuf, detail: String },
}

/// One ban as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BanRecord {
    pub target: IpNet,
    pub jail: String,
    pub start_ms: i64,
    /// `None` for a permanent ban.
    pub end_ms: Option<i64>,
    pub failures: u32,
    /// This ban's number for the target (1 for the first).
    pub ban_count: u32,
    pub manual: bool,
}

impl BanRecord {
    /// Whether the ban is still in force at `now_ms`.
    pub fn active_at(&self, now_ms: i64) -> bool {
        self.end_ms.is_none_or(|end| end > now_ms)
    }
}

/// How many bans a target has had in a jail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BanHistory {
    pub target: IpNet,
    pub jail: String,
    pub bans: u32,
    pub last_start_ms: i64,
}

/// A request from the CLI to the running daemon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ControlRequest {
    Ban {
        target: IpNet,
        jail: String,
        end_ms: Option<i64>,
    },
    Unban {
        target: IpNet,
    },
    Reload,
}

/// A request taken from the queue, with the id its sender waits on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedControl {
    pub id: i64,
    pub request: ControlRequest,
}

/// Where a pushed request is, as its sender sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ControlStatus {
    /// Still queued: no daemon has taken it yet.
    Queued,
    /// Taken and not yet finished (or its daemon died while applying it).
    Taken,
    /// The daemon handled it: when, whether it did what was asked (`false`:
    /// it failed or refused), and what it says happened.
    Done {
        done_ms: i64,
        ok: bool,
        outcome: String,
    },
}

/// Finished requests kept for their senders to read; older ones are dropped.
pub const MAX_CONTROL_DONE: i64 = 1000;

/// A raw `control` row: id, verb, target, jail, end.
type ControlRow = (i64, String, Option<String>, Option<String>, Option<i64>);

/// The open state database.
pub struct State {
    conn: Connection,
    path: PathBuf,
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State").field("path", &self.path).finish()
    }
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS bans (
    id INTEGER PRIMARY KEY,
    target TEXT NOT NULL,
    jail TEXT NOT NULL,
    start_ms INTEGER NOT NULL,
    end_ms INTEGER,
    failures INTEGER NOT NULL,
    ban_count INTEGER NOT NULL,
    manual INTEGER NOT NULL,
    lifted_ms INTEGER
);
CREATE INDEX IF NOT EXISTS bans_by_target ON bans(target, jail);
CREATE INDEX IF NOT EXISTS bans_open ON bans(lifted_ms, end_ms);
CREATE TABLE IF NOT EXISTS positions (
    source TEXT PRIMARY KEY,
    position TEXT NOT NULL,
    updated_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS control (
    id INTEGER PRIMARY KEY,
    verb TEXT NOT NULL,
    target TEXT,
    jail TEXT,
    end_ms INTEGER
);
CREATE TABLE IF NOT EXISTS control_done (
    id INTEGER PRIMARY KEY,
    done_ms INTEGER NOT NULL,
    ok INTEGER NOT NULL,
    outcome TEXT NOT NULL
);
";

impl State {
    /// Open (creating if needed) the database in `dir`. The directory is
    /// created with mode 0700.
    pub fn open(dir: &Path) -> Result<State, StateError> {
        create_private_dir(dir)?;
        let path = dir.join(DB_FILE);
        let sql = |source| StateError::Sqlite {
            path: path.clone(),
            source,
        };
        let conn = Connection::open(&path).map_err(sql)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(sql)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sql)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(sql)?;
        conn.execute_batch(SCHEMA).map_err(sql)?;
        let found: Option<String> = conn
            .query_row("SELECT value FROM meta WHERE key = 'schema'", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(sql)?;
        match found.and_then(|v| v.parse::<i64>().ok()) {
            Some(v) if v > SCHEMA_VERSION => {
                return Err(StateError::TooNew { path, found: v });
            }
            Some(_) => {}
            None => {
                conn.execute(
                    "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema', ?1)",
                    [SCHEMA_VERSION.to_string()],
                )
                .map_err(sql)?;
            }
        }
        Ok(State { conn, path })
    }

    /// How long statements wait for a lock; the daemon shortens it while
    /// degraded so retries do not stall its loop.
    pub fn set_busy_timeout(&mut self, timeout: std::time::Duration) -> Result<(), StateError> {
        self.conn.busy_timeout(timeout).map_err(|e| self.err(e))
    }

    /// Path of the database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn err(&self, source: rusqlite::Error) -> StateError {
        StateError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// Store bans in one durable transaction. Returns the id of the last
    /// row stored (0 for none): ids grow in the order bans are stored.
    pub fn record_bans(&mut self, bans: &[BanRecord]) -> Result<i64, StateError> {
        let path = self.path.clone();
        let sql = |source| StateError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO bans(target, jail, start_ms, end_ms, failures, ban_count, manual)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .map_err(sql)?;
            for ban in bans {
                insert
                    .execute(params![
                        ban.target.to_string(),
                        ban.jail,
                        ban.start_ms,
                        ban.end_ms,
                        ban.failures,
                        ban.ban_count,
                        ban.manual
                    ])
                    .map_err(sql)?;
            }
        }
        let last_id = if bans.is_empty() {
            0
        } else {
            tx.last_insert_rowid()
        };
        tx.commit().map_err(sql)?;
        Ok(last_id)
    }

    /// End the open bans of `target` (in `jail`, or in every jail) at `at_ms`.
    /// Returns how many were lifted.
    pub fn lift_ban(
        &mut self,
        target: &IpNet,
        jail: Option<&str>,
        at_ms: i64,
    ) -> Result<usize, StateError> {
        let n = self
            .conn
            .execute(
                "UPDATE bans SET lifted_ms = ?1
                 WHERE target = ?2 AND (?3 IS NULL OR jail = ?3)
                   AND lifted_ms IS NULL AND (end_ms IS NULL OR end_ms > ?1)",
                params![at_ms, target.to_string(), jail],
            )
            .map_err(|e| self.err(e))?;
        Ok(n)
    }

    /// Bans in force at `now_ms`, oldest first.
    pub fn active_bans(&self, now_ms: i64) -> Result<Vec<BanRecord>, StateError> {
        self.active_bans_stored_after(now_ms, 0)
            .map(|bans| bans.into_iter().map(|(_, ban)| ban).collect())
    }

    /// Ban rows stored after row `after_id`, active or not, oldest first, at
    /// most `limit`: the bans whose `Banned` event may not be in the event
    /// journal.
    pub fn bans_stored_after(
        &self,
        after_id: i64,
        limit: usize,
    ) -> Result<Vec<(i64, BanRecord)>, StateError> {
        self.query_bans(
            "SELECT target, jail, start_ms, end_ms, failures, ban_count, manual, id FROM bans
             WHERE id > ?1 ORDER BY id LIMIT ?2",
            params![after_id, limit as i64],
        )
    }

    /// Bans in force at `now_ms` whose row id is above `after_id` (stored
    /// after it), oldest first, with their ids.
    pub fn active_bans_stored_after(
        &self,
        now_ms: i64,
        after_id: i64,
    ) -> Result<Vec<(i64, BanRecord)>, StateError> {
        self.query_bans(
            "SELECT target, jail, start_ms, end_ms, failures, ban_count, manual, id FROM bans
             WHERE lifted_ms IS NULL AND (end_ms IS NULL OR end_ms > ?1) AND id > ?2
             ORDER BY start_ms, id",
            params![now_ms, after_id],
        )
    }

    /// The id of the newest ban row (`None` for an empty table).
    pub fn newest_ban_id(&self) -> Result<Option<i64>, StateError> {
        self.conn
            .query_row("SELECT MAX(id) FROM bans", [], |r| r.get(0))
            .map_err(|e| self.err(e))
    }

    /// Ban rows (with their ids) from a query selecting target, jail,
    /// start_ms, end_ms, failures, ban_count, manual and id, in that order.
    fn query_bans(
        &self,
        sql: &str,
        args: impl rusqlite::Params,
    ) -> Result<Vec<(i64, BanRecord)>, StateError> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(args, |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, Option<i64>>(3)?,
                    r.get::<_, u32>(4)?,
                    r.get::<_, u32>(5)?,
                    r.get::<_, bool>(6)?,
                    r.get::<_, i64>(7)?,
                ))
            })
            .map_err(|e| self.err(e))?;
        let mut bans = Vec::new();
        for row in rows {
            let (target, jail, start_ms, end_ms, failures, ban_count, manual, id) =
                row.map_err(|e| self.err(e))?;
            bans.push((
                id,
                BanRecord {
                    target: self.parse_net(&target)?,
                    jail,
                    start_ms,
                    end_ms,
                    failures,
                    ban_count,
                    manual,
                },
            ));
        }
        Ok(bans)
    }

    /// Ban counts per (target, jail) for bans that started at or after `since_ms`.
    pub fn ban_history(&self, since_ms: i64) -> Result<Vec<BanHistory>, StateError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT target, jail, COUNT(*), MAX(start_ms) FROM bans
                 WHERE start_ms >= ?1 GROUP BY target, jail",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([since_ms], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, u32>(2)?,
                    r.get::<_, i64>(3)?,
                ))
            })
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (target, jail, bans, last_start_ms) = row.map_err(|e| self.err(e))?;
            out.push(BanHistory {
                target: self.parse_net(&target)?,
                jail,
                bans,
                last_start_ms,
            });
        }
        Ok(out)
    }

    /// Forget bans that ended before `before_ms` (permanent bans are kept).
    /// The newest row stays, so a ban stored later never reuses its id (see
    /// [`State::ban_events_through_id`]).
    pub fn purge(&mut self, before_ms: i64) -> Result<usize, StateError> {
        self.conn
            .execute(
                "DELETE FROM bans WHERE ((lifted_ms IS NOT NULL AND lifted_ms < ?1)
                    OR (end_ms IS NOT NULL AND end_ms < ?1))
                    AND id < (SELECT MAX(id) FROM bans)",
                [before_ms],
            )
            .map_err(|e| self.err(e))
    }

    /// Save read positions of sources (opaque text per source key), in one
    /// transaction.
    pub fn save_positions(
        &mut self,
        positions: &[(String, String)],
        now_ms: i64,
    ) -> Result<(), StateError> {
        self.save_progress(positions, None, now_ms)
    }

    /// Save read positions together with how far the ban engine's
    /// `Banned` events are known to be in the event journal (the id of the
    /// newest stored ban whose event is committed), in one transaction.
    pub fn save_progress(
        &mut self,
        positions: &[(String, String)],
        ban_events_through_id: Option<i64>,
        now_ms: i64,
    ) -> Result<(), StateError> {
        let path = self.path.clone();
        let sql = |source| StateError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        if let Some(id) = ban_events_through_id {
            tx.execute(
                "INSERT INTO meta(key, value) VALUES ('ban_events_through_id', ?1)
                 ON CONFLICT(key) DO UPDATE SET value = MAX(CAST(value AS INTEGER), ?1)",
                [id],
            )
            .map_err(sql)?;
        }
        {
            let mut upsert = tx
                .prepare_cached(
                    "INSERT INTO positions(source, position, updated_ms) VALUES (?1, ?2, ?3)
                     ON CONFLICT(source) DO UPDATE SET position = ?2, updated_ms = ?3",
                )
                .map_err(sql)?;
            for (source, position) in positions {
                upsert
                    .execute(params![source, position, now_ms])
                    .map_err(sql)?;
            }
        }
        tx.commit().map_err(sql)
    }

    /// The id of the newest stored ban whose `Banned` event is known to be
    /// in the event journal. Bans are stored (and get ids) in the order the
    /// engine makes them, whatever times their log lines carry, so every
    /// ban stored later may lack its event and is announced again (once).
    pub fn ban_events_through_id(&self) -> Result<Option<i64>, StateError> {
        self.conn
            .query_row(
                "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'ban_events_through_id'",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// All saved positions by source key.
    pub fn positions(&self) -> Result<HashMap<String, String>, StateError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT source, position FROM positions")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<HashMap<_, _>, _>>()
            .map_err(|e| self.err(e))
    }

    /// Queue a request for the running daemon. Returns its id, never one
    /// an earlier request had (so [`State::control_status`] cannot read an
    /// older request's outcome).
    pub fn push_control(&mut self, request: &ControlRequest) -> Result<i64, StateError> {
        let (verb, target, jail, end_ms) = match request {
            ControlRequest::Ban {
                target,
                jail,
                end_ms,
            } => ("ban", Some(target.to_string()), Some(jail.clone()), *end_ms),
            ControlRequest::Unban { target } => ("unban", Some(target.to_string()), None, None),
            ControlRequest::Reload => ("reload", None, None, None),
        };
        // One statement, so two senders cannot pick the same id.
        self.conn
            .query_row(
                "INSERT INTO control(id, verb, target, jail, end_ms) VALUES (
                     1 + max(coalesce((SELECT max(id) FROM control), 0),
                             coalesce((SELECT max(id) FROM control_done), 0)),
                     ?1, ?2, ?3, ?4)
                 RETURNING id",
                params![verb, target, jail, end_ms],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))
    }

    /// Take every queued request, oldest first. Report each one's outcome
    /// with [`State::finish_control`].
    pub fn take_control(&mut self) -> Result<Vec<QueuedControl>, StateError> {
        let path = self.path.clone();
        let sql = |source| StateError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        let rows: Vec<ControlRow> = {
            let mut stmt = tx
                .prepare_cached("SELECT id, verb, target, jail, end_ms FROM control ORDER BY id")
                .map_err(sql)?;
            stmt.query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .map_err(sql)?
            .collect::<Result<_, _>>()
            .map_err(sql)?
        };
        tx.execute("DELETE FROM control", []).map_err(sql)?;
        tx.commit().map_err(sql)?;
        let mut out = Vec::with_capacity(rows.len());
        for (id, verb, target, jail, end_ms) in rows {
            let target = target.map(|t| self.parse_net(&t)).transpose()?;
            let request = match (verb.as_str(), target) {
                ("ban", Some(target)) => ControlRequest::Ban {
                    target,
                    jail: jail.unwrap_or_else(|| "manual".into()),
                    end_ms,
                },
                ("unban", Some(target)) => ControlRequest::Unban { target },
                ("reload", _) => ControlRequest::Reload,
                (other, _) => {
                    return Err(StateError::Corrupt {
                        path: self.path.clone(),
                        detail: format!("control verb {other:?}"),
                    });
                }
            };
            out.push(QueuedControl { id, request });
        }
        Ok(out)
    }

    /// Record what applying request `id` did (`ok`: what was asked is done),
    /// for its sender to read. Keeps the newest [`MAX_CONTROL_DONE`] outcomes.
    pub fn finish_control(
        &mut self,
        id: i64,
        done_ms: i64,
        ok: bool,
        outcome: &str,
    ) -> Result<(), StateError> {
        let path = self.path.clone();
        let sql = |source| StateError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        tx.execute(
            "INSERT OR REPLACE INTO control_done(id, done_ms, ok, outcome)
             VALUES (?1, ?2, ?3, ?4)",
            params![id, done_ms, ok, outcome],
        )
        .map_err(sql)?;
        tx.execute(
            "DELETE FROM control_done WHERE id <= (SELECT max(id) FROM control_done) - ?1",
            [MAX_CONTROL_DONE],
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)
    }

    /// Where request `id` (from [`State::push_control`]) is now.
    pub fn control_status(&self, id: i64) -> Result<ControlStatus, StateError> {
        let queued: bool = self
            .conn
            .query_row("SELECT count(*) FROM control WHERE id = ?1", [id], |r| {
                r.get::<_, i64>(0)
            })
            .map(|n| n > 0)
            .map_err(|e| self.err(e))?;
        if queued {
            return Ok(ControlStatus::Queued);
        }
        let done: Option<(i64, bool, String)> = self
            .conn
            .query_row(
                "SELECT done_ms, ok, outcome FROM control_done WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        Ok(match done {
            Some((done_ms, ok, outcome)) => ControlStatus::Done {
                done_ms,
                ok,
                outcome,
            },
            None => ControlStatus::Taken,
        })
    }

    fn parse_net(&self, text: &str) -> Result<IpNet, StateError> {
        text.parse().map_err(|_| StateError::Corrupt {
            path: self.path.clone(),
            detail: format!("target {text:?} is not an address or prefix"),
        })
    }
}

pub(crate) fn create_private_dir(dir: &Path) -> Result<(), StateError> {
    use std::os::unix::fs::DirBuilderExt;
    let err = |source| StateError::Dir {
        path: dir.to_path_buf(),
        source,
    };
    if dir.is_dir() {
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(err)
}

#[cfg(test)]
mod tests;
