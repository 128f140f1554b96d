//! File integrity monitoring: signed baseline, check, realtime watching.
//!
//! - [`policy`]: which paths are recorded, with which attributes ([`attrs`]).
//! - [`walk`]: the fd-relative walker with parallel hashing; emits entries in
//!   path order ([`entry::cmp_paths`]).
//! - [`baseline`]: the sorted, compact, Ed25519-signed baseline file.
//! - [`engine`]: `init`, `check`, `update`, `accept`: a streaming merge of
//!   the walk against the baseline, reports with a digest chain.
//! - [`clawhub`]: ClawHub skill fingerprints.
//! - [`realtime`]: fanotify/inotify watching for the daemon.

pub mod attrs;
pub mod baseline;
pub mod clawhub;
pub mod diff;
pub mod engine;
pub mod entry;
pub mod hash;
pub mod policy;
pub mod realtime;
pub mod walk;

use std::path::PathBuf;

pub use engine::{Fim, Report};

/// Errors of the fim engine. Each maps to one exit code of `clawguard fim`.
#[derive(Debug, thiserror::Error)]
pub enum FimError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("rule {rule:?}: {message}")]
    Rule { rule: String, message: String },
    #[error("policy: {0}")]
    Policy(String),
    #[error("walk: {0}")]
    Walk(String),
    /// The baseline fails its signature, was replaced, or is malformed.
    #[error("BASELINE REJECTED: {path}: {reason}")]
    Tampered { path: PathBuf, reason: String },
    /// A validly signed baseline that is not the one this host last wrote.
    #[error("BASELINE REPLACED: {path}: digest {found}, but this host last wrote {expected}")]
    Replaced {
        path: PathBuf,
        expected: String,
        found: String,
    },
    /// An older validly signed baseline, recognised by its generation.
    #[error(
        "BASELINE REPLACED: {path}: generation {found}, but the report chain has already seen generation {recorded} (an older baseline was restored)"
    )]
    RolledBack {
        path: PathBuf,
        found: u64,
        recorded: u64,
    },
    /// The record of the last baseline written is gone while a baseline and
    /// a pinned key exist: freshness cannot be proven.
    #[error(
        "NO FRESHNESS RECORD: {record} is missing, but the baseline {path} and a pinned key exist; without it an older signed baseline would pass as current, so it is refused. If the state directory was really lost, check the host by other means and run `clawguard fim init`"
    )]
    NoFreshness { path: PathBuf, record: PathBuf },
    #[error("{0}: no baseline (run `clawguard fim init` first)")]
    NoBaseline(PathBuf),
    #[error("key {path}: {message}")]
    Key { path: PathBuf, message: String },
}

impl FimError {
    /// The exit code of `clawguard fim` for this error (8 and above; 1, 2
    /// and 4 are the AIDE bits for added, removed and changed).
    pub fn exit_code(&self) -> u8 {
        match self {
            FimError::Tampered { .. } => exit::TAMPERED,
            FimError::Replaced { .. } | FimError::RolledBack { .. } => exit::REPLACED,
            FimError::NoFreshness { .. } => exit::NO_FRESHNESS,
            FimError::NoBaseline(_) => exit::NO_BASELINE,
            FimError::Rule { .. } | FimError::Policy(_) => exit::USAGE,
            FimError::Io { .. } | FimError::Walk(_) => exit::IO,
            FimError::Key { .. } => exit::KEY,
        }
    }
}

/// Exit codes of `clawguard fim` verbs, AIDE-compatible below 8.
pub mod exit {
    pub const ADDED: u8 = 1;
    pub const REMOVED: u8 = 2;
    pub const CHANGED: u8 = 4;
    /// The baseline failed its signature, is not the one pinned, or is malformed.
    pub const TAMPERED: u8 = 8;
    /// The baseline is valid but is not the last one this host wrote (replaced/rolled back).
    pub const REPLACED: u8 = 9;
    pub const NO_BASELINE: u8 = 10;
    /// Bad usage, config or rule.
    pub const USAGE: u8 = 11;
    /// IO error: the scan or the baseline write could not complete.
    pub const IO: u8 = 12;
    /// Signing key missing, unsafe or not matching the pinned key.
    pub const KEY: u8 = 13;
    /// A baseline and a pinned key exist but `baseline.digest`, the record
    /// of the last baseline written, is missing.
    pub const NO_FRESHNESS: u8 = 14;
}
