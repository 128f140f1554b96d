//! Log sources for the ban engine: files (paths or globs), the systemd journal (through a
//! `journalctl` child) and OpenClaw gateway logs (newest dated file per profile).
//!
//! Each source is read once by one tokio task, which sends [`LogLine`]s into a bounded channel
//! (backpressure, no loss); the daemon fans lines out to jails. Every line carries the
//! [`Position`] just after it: persist it once the line is processed and pass it back in
//! [`SourceStart::resume`] to continue exactly there after a restart.
//!
//! File sources are driven by inotify (the parent directory for create/move/delete, the file for
//! modify), with a slow safety re-check every [`SAFETY_RECHECK_MS`]. They survive rename+create
//! rotation, copytruncate/truncation, files and directories that appear later, and deletion.

mod file_source;
mod fingerprint;
mod journal;
mod lines;
mod openclaw;
mod tail;
mod trusted;

use std::fmt;
use std::path::{Path, PathBuf};

use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

pub use fingerprint::HEAD_BYTES;
pub use journal::{ExportRecord, is_journal_export, parse_export_record};
pub use openclaw::parse_openclaw_file_name;
pub use trusted::{
    Refusal, TrustedOpenError, TrustedOwners, gateway_users, open_trusted, refused_openclaw_logs,
};

/// Longest line delivered; longer lines are cut to this many bytes and flagged `truncated`.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// Most files one source follows at once (glob matches beyond this are ignored with a warning).
pub const MAX_FILES_PER_SOURCE: usize = 256;

/// Most directories one file source watches (ancestors and glob-matched directories).
pub const MAX_WATCHED_DIRS_PER_SOURCE: usize = 256;

/// Longest `journalctl` JSON record accepted; longer records are skipped with a warning.
pub const MAX_JOURNAL_RECORD_BYTES: usize = 1024 * 1024;

/// Interval of the safety re-check of file sources (in case an inotify event was missed).
pub const SAFETY_RECHECK_MS: u64 = 30_000;

/// Stable key of a source, derived from its spec: two jails naming the same file share one source.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SourceId(String);

impl SourceId {
    /// The canonical id of `spec` (e.g. `file:/var/log/auth.log`).
    pub fn for_spec(spec: &SourceSpec) -> Self {
        let mut key = String::new();
        match spec {
            SourceSpec::File { pattern } => {
                key.push_str("file:");
                key.push_str(&normalized(pattern).to_string_lossy());
            }
            SourceSpec::Journal {
                matches,
                directory,
                files,
            } => {
                key.push_str("journal:");
                if let Some(dir) = directory {
                    key.push_str("directory=");
                    key.push_str(&normalized(dir).to_string_lossy());
                    key.push(';');
                }
                for file in files {
                    key.push_str("file=");
                    key.push_str(&normalized(file).to_string_lossy());
                    key.push(';');
                }
                key.push_str(&matches.join(" "));
            }
            SourceSpec::OpenClaw { dirs, owners } => {
                key.push_str("openclaw:");
                let names: Vec<String> = dirs
                    .iter()
                    .map(|d| normalized(d).to_string_lossy().into_owned())
                    .collect();
                key.push_str(&names.join(":"));
                // Sources trusting different owners must not share one reader.
                if let Some(uids) = owners {
                    let uids: Vec<String> = uids.iter().map(u32::to_string).collect();
                    key.push_str(";owners=");
                    key.push_str(&uids.join(","));
                }
            }
        }
        Self(key)
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `a//b/` and `a/b` name the same file.
fn normalized(path: &Path) -> PathBuf {
    path.components().collect()
}

/// What to read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SourceSpec {
    /// An absolute path, or an absolute glob (`*`, `?`, `[..]` in any component).
    File {
        /// Path or glob pattern.
        pattern: PathBuf,
    },
    /// The systemd journal through `journalctl --follow --output=json`.
    Journal {
        /// Match terms `FIELD=value`; a lone `+` separates alternatives (fail2ban `journalmatch`).
        matches: Vec<String>,
        /// `journalctl --directory` (fail2ban `journalpath`).
        directory: Option<PathBuf>,
        /// `journalctl --file`, repeatable (fail2ban `journalfiles`).
        files: Vec<PathBuf>,
    },
    /// OpenClaw gateway JSON logs: newest `openclaw[-<profile>]-YYYY-MM-DD.log` per profile.
    OpenClaw {
        /// Directories to look in (e.g. `/tmp/openclaw`, `/tmp/openclaw-<uid>`).
        dirs: Vec<PathBuf>,
        /// The gateway's users (uids) whose logs may be read, besides root and
        /// this process's user; `None` detects them (see [`TrustedOwners::discover`]).
        owners: Option<Vec<u32>>,
    },
}

impl SourceSpec {
    /// Checks the spec: absolute paths, valid globs, well-formed journal match terms.
    pub fn validate(&self) -> Result<(), SpecError> {
        match self {
            SourceSpec::File { pattern } => file_source::Pattern::parse(pattern).map(|_| ()),
            SourceSpec::Journal {
                matches,
                directory,
                files,
            } => {
                for path in directory.iter().chain(files) {
                    if !path.is_absolute() {
                        return Err(SpecError::RelativePath { path: path.clone() });
                    }
                }
                journal::validate_matches(matches)
            }
            SourceSpec::OpenClaw { dirs, .. } => {
                if dirs.is_empty() {
                    return Err(SpecError::NoOpenClawDirs);
                }
                for dir in dirs {
                    if !dir.is_absolute() {
                        return Err(SpecError::RelativePath { path: dir.clone() });
                    }
                }
                Ok(())
            }
        }
    }
}

/// Where a source stands: persisted by the daemon, passed back on restart.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Position {
    /// A byte offset in one file, with the file's identity.
    File {
        /// Path the file was followed under.
        path: PathBuf,
        /// Device of the file.
        dev: u64,
        /// Inode of the file.
        inode: u64,
        /// Offset just after the last delivered line.
        offset: u64,
        /// Number of leading bytes covered by `head` (at most [`HEAD_BYTES`]).
        head_len: u16,
        /// Opaque fingerprint of the first `head_len` bytes.
        head: [u8; 32],
    },
    /// A journal entry (`__CURSOR`).
    Journal {
        /// The entry's cursor.
        cursor: String,
    },
}

impl Position {
    /// The file path for file positions; a glob or OpenClaw source has one position per path,
    /// so the daemon should keep the latest position per (source id, path).
    pub fn path(&self) -> Option<&Path> {
        match self {
            Position::File { path, .. } => Some(path),
            Position::Journal { .. } => None,
        }
    }
}

/// One line read from a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    /// Source the line came from.
    pub source: SourceId,
    /// Line content without `\n` (trailing `\r` stripped); may be invalid UTF-8. Journal entries
    /// are formatted like fail2ban's systemd backend (`host ident[pid]: message`, no timestamp).
    pub bytes: Vec<u8>,
    /// The line was longer than [`MAX_LINE_BYTES`] and was cut.
    pub truncated: bool,
    /// Position just after this line.
    pub position: Position,
    /// Entry time for journal lines (`_SOURCE_REALTIME_TIMESTAMP`, else `__REALTIME_TIMESTAMP`).
    pub time_ms: Option<i64>,
}

/// Where to start a file (or journal) with no saved position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartAt {
    /// From the first byte / the oldest journal entry.
    Beginning,
    /// From the current end; only lines written from now on.
    End,
    /// Journal: entries from this time on. Files: same as `Beginning` (the daemon drops old lines).
    SinceMs(i64),
}

/// One source to start.
#[derive(Debug, Clone)]
pub struct SourceStart {
    /// Its id (normally `SourceId::for_spec(&spec)`).
    pub id: SourceId,
    /// What to read.
    pub spec: SourceSpec,
    /// Saved positions (one per file path for file sources, at most one journal cursor).
    pub resume: Vec<Position>,
    /// Start for files/journal without a saved position. Files appearing after start are
    /// always read from their beginning, and so are files without a saved position when
    /// `resume` is not empty (they appeared while the daemon was stopped).
    pub start_at: StartAt,
}

/// Invalid source configuration.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    /// Paths must be absolute.
    #[error("path {path:?} is not absolute")]
    RelativePath {
        /// The offending path.
        path: PathBuf,
    },
    /// A glob component did not parse.
    #[error("invalid glob {pattern:?}: {source}")]
    BadGlob {
        /// The pattern.
        pattern: String,
        /// Parser error.
        source: glob::PatternError,
    },
    /// A path component is not UTF-8 and contains glob characters.
    #[error("glob {pattern:?} is not valid UTF-8")]
    NonUtf8Glob {
        /// The pattern.
        pattern: PathBuf,
    },
    /// A journal match term is not `FIELD=value` or `+`.
    #[error("invalid journal match term {term:?} (expected FIELD=value or +)")]
    BadJournalMatch {
        /// The term.
        term: String,
    },
    /// An OpenClaw source needs at least one directory.
    #[error("OpenClaw source without directories")]
    NoOpenClawDirs,
    /// Two sources share an id.
    #[error("duplicate source {id}")]
    DuplicateSource {
        /// The id.
        id: SourceId,
    },
}

/// A source task stopped because of an error it cannot recover from.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// inotify could not be set up.
    #[error("source {id}: inotify: {source}")]
    Inotify {
        /// Source.
        id: SourceId,
        /// OS error.
        source: std::io::Error,
    },
    /// `journalctl` could not be started.
    #[error("source {id}: cannot run {program}: {source}")]
    JournalctlSpawn {
        /// Source.
        id: SourceId,
        /// Program path.
        program: String,
        /// OS error.
        source: std::io::Error,
    },
}

/// Starts one task per source; must be called inside a tokio runtime.
///
/// Tasks stop promptly when `shutdown` becomes `true` (or its sender is dropped), or when the
/// receiver of `tx` is dropped; a journal task kills and reaps its `journalctl` first.
pub fn spawn(
    sources: Vec<SourceStart>,
    tx: mpsc::Sender<LogLine>,
    shutdown: watch::Receiver<bool>,
) -> Result<Vec<JoinHandle<Result<(), SourceError>>>, SpecError> {
    let mut seen = std::collections::HashSet::new();
    for source in &sources {
        source.spec.validate()?;
        if !seen.insert(source.id.clone()) {
            return Err(SpecError::DuplicateSource {
                id: source.id.clone(),
            });
        }
    }
    let mut handles = Vec::with_capacity(sources.len());
    for source in sources {
        let sink = Sink {
            id: source.id.clone(),
            tx: tx.clone(),
            shutdown: shutdown.clone(),
        };
        let handle = match source.spec {
            SourceSpec::Journal {
                matches,
                directory,
                files,
            } => {
                let cursor = source.resume.into_iter().find_map(|p| match p {
                    Position::Journal { cursor } => Some(cursor),
                    Position::File { .. } => None,
                });
                let config = journal::JournalConfig {
                    matches,
                    directory,
                    files,
                };
                tokio::spawn(journal::run(config, cursor, source.start_at, sink))
            }
            SourceSpec::File { pattern } => {
                let patterns = vec![file_source::Pattern::parse(&pattern)?];
                let selection = file_source::Selection::All;
                tokio::spawn(file_source::run(
                    patterns,
                    selection,
                    None,
                    source.resume,
                    source.start_at,
                    sink,
                ))
            }
            SourceSpec::OpenClaw { dirs, owners } => {
                let patterns = dirs.iter().map(|d| openclaw::pattern(d)).collect();
                let selection = file_source::Selection::NewestPerProfile;
                tokio::spawn(file_source::run(
                    patterns,
                    selection,
                    owners,
                    source.resume,
                    source.start_at,
                    sink,
                ))
            }
        };
        handles.push(handle);
    }
    Ok(handles)
}

/// Where a source task delivers lines, and how it learns to stop.
pub(crate) struct Sink {
    pub id: SourceId,
    pub tx: mpsc::Sender<LogLine>,
    pub shutdown: watch::Receiver<bool>,
}

/// The task must stop (shutdown requested or the receiver is gone).
#[derive(Debug)]
pub(crate) struct Stopped;

impl Sink {
    /// Sends a line, waiting for channel room unless shutdown is requested meanwhile.
    pub async fn send(&mut self, line: LogLine) -> Result<(), Stopped> {
        if self.is_stopping() {
            return Err(Stopped);
        }
        tokio::select! {
            biased;
            _ = wait_for_shutdown(&mut self.shutdown) => Err(Stopped),
            sent = self.tx.send(line) => sent.map_err(|_| Stopped),
        }
    }

    /// Shutdown was requested.
    pub fn is_stopping(&self) -> bool {
        *self.shutdown.borrow() || self.shutdown.has_changed().is_err()
    }
}

/// Resolves once shutdown is requested or the shutdown sender is dropped.
pub(crate) async fn wait_for_shutdown(shutdown: &mut watch::Receiver<bool>) {
    let _ = shutdown.wait_for(|stop| *stop).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_ids_are_stable_and_normalized() {
        let a = SourceSpec::File {
            pattern: "/var/log//auth.log".into(),
        };
        let b = SourceSpec::File {
            pattern: "/var/log/auth.log".into(),
        };
        assert_eq!(SourceId::for_spec(&a), SourceId::for_spec(&b));
        assert_eq!(SourceId::for_spec(&b).as_str(), "file:/var/log/auth.log");
        let journal = SourceSpec::Journal {
            matches: vec!["_COMM=sshd".into(), "+".into(), "_COMM=sshd-session".into()],
            directory: None,
            files: vec![],
        };
        assert_eq!(
            SourceId::for_spec(&journal).as_str(),
            "journal:_COMM=sshd + _COMM=sshd-session"
        );
    }
}
