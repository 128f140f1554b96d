//! What the running daemon says about itself: `<state_dir>/engines.json`,
//! rewritten by the supervisor whenever an engine's health changes and every
//! few seconds, and read by `clawguard status`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::engine::{Engine, Health};

/// File name of the status file inside the state directory.
pub const STATUS_FILE: &str = "engines.json";

/// Largest status file read back.
const MAX_STATUS_BYTES: u64 = 1 << 20;

/// The daemon as the supervisor last saw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DaemonStatus {
    pub pid: u32,
    pub started_ms: i64,
    pub updated_ms: i64,
    /// Whether READY=1 has gone out (every enabled engine reported).
    pub ready: bool,
    /// Whether the watchdog is being fed (no engine has failed).
    pub watchdog_fed: bool,
    pub enforce: bool,
    pub engines: Vec<EngineStatus>,
    pub journal: JournalStatus,
}

/// One engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngineStatus {
    pub engine: Engine,
    pub enabled: bool,
    #[serde(flatten)]
    pub health: Health,
    pub since_ms: i64,
    pub restarts: u64,
    pub last_error: Option<String>,
    pub running_without: Vec<String>,
}

/// The event journal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalStatus {
    pub path: String,
    pub last_seq: u64,
    pub events: u64,
    pub body_bytes: u64,
    pub dropped_unacknowledged: u64,
    /// The append error while the writer retries.
    pub failing: Option<String>,
}

/// Write atomically (a reader never sees half a file).
pub fn write(state_dir: &Path, status: &DaemonStatus) -> std::io::Result<()> {
    let path = state_dir.join(STATUS_FILE);
    let tmp = state_dir.join(format!(".{STATUS_FILE}.tmp"));
    let text = serde_json::to_vec_pretty(status).map_err(std::io::Error::other)?;
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, &path)
}

/// Why the status could not be read.
#[derive(Debug, thiserror::Error)]
pub enum StatusError {
    #[error("{path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Parse {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
}

/// The last status the daemon wrote, `None` when it never ran here.
pub fn read(state_dir: &Path) -> Result<Option<DaemonStatus>, StatusError> {
    let path = state_dir.join(STATUS_FILE);
    if !path.exists() {
        return Ok(None);
    }
    let bytes = clawguard_sys::regular_file::read(
        &path,
        clawguard_sys::regular_file::Follow::No,
        MAX_STATUS_BYTES,
    )
    .map_err(|source| StatusError::Read {
        path: path.clone(),
        source,
    })?;
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|source| StatusError::Parse { path, source })
}
