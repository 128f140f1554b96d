//! Skill auditor: static analysis of OpenClaw skills, hooks and plugins.
//!
//! The core ([`analyze`]) is pure: it takes the files of one skill as bytes
//! ([`SkillSource`]) and returns findings; it does no IO and reads no clock.
//! The edges read skills into a `SkillSource` under hard bounds: directories
//! ([`read_dir_skill`], fd-relative, never following a symlink) and archives
//! as ClawHub delivers them ([`read_archive`], in memory, never extracted).
//! Around them: verdicts, suppressions, the approval lockfile, discovery of
//! installed skills and the JSON/SARIF reports.

use clawguard_sys::regular_file::{self, Follow};

mod analyze;
mod anchors;
mod archive;
mod behaviour;
mod decode;
mod discover;
mod fingerprint;
mod hosts;
mod lines;
mod lockfile;
mod manifest;
mod model;
mod nesting;
mod publisher;
mod report;
mod rescan;
mod rules;
mod source;
mod suppress;
mod walk;
mod zip_layout;

pub use analyze::{analyze, scan_text};
pub use archive::{is_archive_path, read_archive};
pub use discover::{host_skill_roots, installed_skill_dirs, skill_roots_for_home, user_homes};
pub use fingerprint::{clawhub_fingerprint, file_hashes};
pub use lockfile::{
    ApprovedSkill, Drift, Lockfile, LockfileError, drift, lock_key, still_approved,
};
pub use manifest::{InstallSpec, Manifest};
pub use model::{Finding, Limits, SkillKind, SkillReport, Verdict, is_partial_scan, verdict_of};
pub use report::{JsonReport, sarif};
pub use rescan::{QUIET_MS, RescanQueue, skill_dir_of, skill_root_of};
pub use rules::rule_catalog;
pub use source::{SkillFile, SkillSource};
pub use suppress::{Suppression, apply_suppressions, suppressions_from_config};
pub use walk::read_dir_skill;

pub use clawguard_event::Severity;

/// Errors of the reading edges. Analysis itself cannot fail.
#[derive(Debug, thiserror::Error)]
pub enum SkillsError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not a skill directory or archive")]
    NotASkill { path: String },
    #[error("{path}: archive rejected: {reason}")]
    Archive { path: String, reason: String },
}

/// Reads and audits the skill at `path`: a directory, a `SKILL.md`, a
/// `.zip`/`.tar.gz`/`.tgz`/`.skill` archive, or any other regular file as a
/// one-file skill.
pub fn scan_path(path: &std::path::Path, limits: &Limits) -> Result<SkillReport, SkillsError> {
    let source = if path.is_dir() {
        read_dir_skill(path, limits)?
    } else if is_archive_path(path) {
        let bytes = read_bounded_file(path, limits.max_archive_bytes())?;
        read_archive(&path.display().to_string(), &bytes, limits)?
    } else if path
        .file_name()
        .is_some_and(|n| n.eq_ignore_ascii_case("skill.md"))
    {
        let dir = path.parent().unwrap_or(std::path::Path::new("."));
        let dir = if dir.as_os_str().is_empty() {
            std::path::Path::new(".")
        } else {
            dir
        };
        read_dir_skill(dir, limits)?
    } else if path.is_file() {
        read_single_file(path, limits)?
    } else {
        return Err(SkillsError::NotASkill {
            path: path.display().to_string(),
        });
    };
    Ok(analyze(&source, limits))
}

/// One loose file (a plugin shipped as a single script, a staged file) as a
/// one-file skill, cut at the per-file cap like any file of a directory.
fn read_single_file(path: &std::path::Path, limits: &Limits) -> Result<SkillSource, SkillsError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let stem = name.split('.').next().unwrap_or(&name).to_string();
    let cap = limits.max_file_bytes;
    let bytes = read_bounded_prefix(path, cap)?;
    let mut source = SkillSource::new(path.display().to_string(), stem);
    let file = source.capped_file(name, bytes, cap);
    source.files.push(file);
    Ok(source)
}

/// At most `cap + 1` bytes of `path` (one more tells the caller it was cut).
/// Only a regular file is opened (non-blocking), so a FIFO named like an
/// archive cannot hang a scan.
fn read_bounded_prefix(path: &std::path::Path, cap: u64) -> Result<Vec<u8>, SkillsError> {
    let io = |source| SkillsError::Io {
        path: path.display().to_string(),
        source,
    };
    let (file, _) = regular_file::open(path, Follow::Yes, u64::MAX).map_err(io)?;
    regular_file::read_capped(file, cap).map_err(io)
}

fn read_bounded_file(path: &std::path::Path, cap: u64) -> Result<Vec<u8>, SkillsError> {
    let bytes = read_bounded_prefix(path, cap)?;
    if bytes.len() as u64 > cap {
        return Err(SkillsError::Archive {
            path: path.display().to_string(),
            reason: format!("larger than {cap} bytes"),
        });
    }
    Ok(bytes)
}
