//! The approval lockfile: `skills approve` records each skill's file hashes
//! and verdict; `still_approved` tells the FIM engine, the daemon and
//! `skills scan --installed` whether a skill directory is as approved.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clawguard_sys::regular_file::{self, Follow};
use serde::{Deserialize, Serialize};

use crate::fingerprint::file_hashes;
use crate::model::{Limits, Verdict};
use crate::source::SkillSource;

/// Largest lockfile read (per-file hashes of every approved skill).
pub const MAX_LOCKFILE_BYTES: u64 = 64 << 20;

/// Errors reading or writing the lockfile.
#[derive(Debug, thiserror::Error)]
pub enum LockfileError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not a skills lockfile: {message}")]
    Parse { path: PathBuf, message: String },
}

/// One approved skill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovedSkill {
    pub name: String,
    pub verdict: Verdict,
    /// When it was approved (Unix epoch ms).
    pub approved_at_ms: i64,
    /// SHA-256 by skill-relative path.
    pub files: BTreeMap<String, String>,
}

/// `skills-lock.json`: approved skills by absolute directory path.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lockfile {
    pub version: u32,
    pub skills: BTreeMap<String, ApprovedSkill>,
}

/// How a skill differs from its approved state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Drift {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub modified: Vec<String>,
}

impl Drift {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.modified.is_empty()
    }

    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        for (what, list) in [
            ("added", &self.added),
            ("removed", &self.removed),
            ("modified", &self.modified),
        ] {
            if !list.is_empty() {
                let shown: Vec<&str> = list.iter().take(5).map(String::as_str).collect();
                let more = if list.len() > 5 {
                    format!(" and {} more", list.len() - 5)
                } else {
                    String::new()
                };
                parts.push(format!("{what}: {}{more}", shown.join(", ")));
            }
        }
        parts.join("; ")
    }
}

impl Lockfile {
    pub const VERSION: u32 = 1;

    /// Reads the lockfile; a missing file is an empty lockfile.
    pub fn load(path: &Path) -> Result<Lockfile, LockfileError> {
        // Regular file only, non-blocking, bounded: a FIFO or a huge file
        // at the configured path is an error, not a hang.
        let bytes = match regular_file::read(path, Follow::Yes, MAX_LOCKFILE_BYTES) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Lockfile {
                    version: Self::VERSION,
                    skills: BTreeMap::new(),
                });
            }
            Err(source) => {
                return Err(LockfileError::Io {
                    path: path.to_path_buf(),
                    source,
                });
            }
        };
        let lock: Lockfile = serde_json::from_slice(&bytes).map_err(|e| LockfileError::Parse {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        if lock.version != Self::VERSION {
            return Err(LockfileError::Parse {
                path: path.to_path_buf(),
                message: format!(
                    "version {} (this build reads {})",
                    lock.version,
                    Self::VERSION
                ),
            });
        }
        Ok(lock)
    }

    /// Writes atomically (temp file in the same directory, fsync, rename).
    pub fn save(&self, path: &Path) -> Result<(), LockfileError> {
        use std::io::Write;
        let io = |source| LockfileError::Io {
            path: path.to_path_buf(),
            source,
        };
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let tmp = path.with_extension("json.tmp");
        let mut f = std::fs::File::create(&tmp).map_err(io)?;
        let text = serde_json::to_vec_pretty(self).map_err(|e| io(std::io::Error::other(e)))?;
        f.write_all(&text).map_err(io)?;
        f.write_all(b"\n").map_err(io)?;
        f.sync_all().map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }

    /// Records `source` (read from `dir`) as approved with `verdict`.
    pub fn approve(
        &mut self,
        dir: &str,
        name: &str,
        source: &SkillSource,
        verdict: Verdict,
        now_ms: i64,
    ) {
        self.version = Self::VERSION;
        self.skills.insert(
            dir.to_string(),
            ApprovedSkill {
                name: name.to_string(),
                verdict,
                approved_at_ms: now_ms,
                files: file_hashes(source),
            },
        );
    }
}

/// Compares a skill as read now with its approved state.
pub fn drift(approved: &ApprovedSkill, source: &SkillSource) -> Drift {
    let now = file_hashes(source);
    let mut d = Drift::default();
    for (path, hash) in &now {
        match approved.files.get(path) {
            None => d.added.push(path.clone()),
            Some(h) if h != hash => d.modified.push(path.clone()),
            Some(_) => {}
        }
    }
    for path in approved.files.keys() {
        if !now.contains_key(path) {
            d.removed.push(path.clone());
        }
    }
    d
}

/// Is the skill directory `dir` still exactly as approved in `lock`?
/// `Ok(None)`: never approved; `Ok(Some(drift))`: approved, with the
/// differences (empty when unchanged). For the FIM engine and the daemon.
pub fn still_approved(
    lock: &Lockfile,
    dir: &Path,
    limits: &Limits,
) -> Result<Option<Drift>, crate::SkillsError> {
    let key = lock_key(dir);
    let Some(approved) = lock.skills.get(&key) else {
        return Ok(None);
    };
    let source = crate::read_dir_skill(dir, limits)?;
    Ok(Some(drift(approved, &source)))
}

/// The key a directory is recorded under: its canonical absolute path.
pub fn lock_key(dir: &Path) -> String {
    dir.canonicalize()
        .unwrap_or_else(|_| dir.to_path_buf())
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fifo_or_oversized_lockfile_is_an_error_and_a_missing_one_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let missing = Lockfile::load(&dir.path().join("absent.json")).unwrap();
        assert!(missing.skills.is_empty());

        let fifo = dir.path().join("fifo.json");
        make_fifo(&fifo);
        let (tx, rx) = std::sync::mpsc::channel();
        let path = fifo.clone();
        std::thread::spawn(move || {
            let _ = tx.send(Lockfile::load(&path).map(|_| ()).map_err(|e| e.to_string()));
        });
        let err = rx
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("loading a FIFO blocked")
            .unwrap_err();
        assert!(err.contains("not a regular file (a FIFO)"), "{err}");

        // Sparse: the size is checked before anything is read.
        let big = dir.path().join("big.json");
        let file = std::fs::File::create(&big).unwrap();
        file.set_len(MAX_LOCKFILE_BYTES + 1).unwrap();
        let err = Lockfile::load(&big).unwrap_err().to_string();
        assert!(
            err.contains(&format!("larger than {MAX_LOCKFILE_BYTES} bytes")),
            "{err}"
        );
    }

    fn make_fifo(path: &Path) {
        nix::unistd::mkfifo(path, nix::sys::stat::Mode::from_bits_truncate(0o600)).unwrap();
    }
}
