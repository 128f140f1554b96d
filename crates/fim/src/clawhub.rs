//! ClawHub skill fingerprints: installed skills with `.clawhub/origin.json`
//! carrying a `fingerprint` are hashed again and compared. The algorithm
//! (file set, order, hash) lives in `clawguard_clawhub`, shared with the
//! skill auditor; this module finds the skills and reads `origin.json`.

use std::path::Path;

use clawguard_sys::regular_file::{self, Follow};
use serde::Serialize;

/// Bounds on one skill (input-driven).
#[derive(Debug, Clone)]
pub struct SkillLimits {
    pub max_files: usize,
    pub max_bytes: u64,
    pub max_depth: usize,
    /// Skills examined per skills directory.
    pub max_skills: usize,
}

impl Default for SkillLimits {
    fn default() -> Self {
        let skill = clawguard_clawhub::Limits::default();
        SkillLimits {
            max_files: skill.max_files,
            max_bytes: skill.max_bytes,
            max_depth: skill.max_depth,
            max_skills: 1_000,
        }
    }
}

/// One skill's fingerprint check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FingerprintCheck {
    /// The skill directory.
    pub skill: String,
    pub expected: String,
    pub actual: Option<String>,
    pub matches: bool,
    /// Why no fingerprint could be computed.
    pub error: Option<String>,
}

/// ClawHub's fingerprint of the skill in `dir`.
pub fn fingerprint(dir: &Path, limits: &SkillLimits) -> Result<String, String> {
    let limits = clawguard_clawhub::Limits {
        max_files: limits.max_files,
        max_bytes: limits.max_bytes,
        max_depth: limits.max_depth,
        ..clawguard_clawhub::Limits::default()
    };
    clawguard_clawhub::skill_fingerprint(dir, &limits).map_err(|e| e.to_string())
}

/// The fingerprint recorded in `<skill>/.clawhub/origin.json` (legacy
/// `.clawdhub/`), if any.
pub fn recorded_fingerprint(skill: &Path) -> Option<String> {
    for dir in [".clawhub", ".clawdhub"] {
        let path = skill.join(dir).join("origin.json");
        // Regular files only, bounded: a FIFO planted here must not hang a check.
        let Ok(text) = regular_file::read_text(&path, Follow::No, 1 << 20) else {
            continue;
        };
        let value: serde_json::Value = serde_json::from_str(&text).ok()?;
        return value
            .get("fingerprint")
            .and_then(|f| f.as_str())
            .map(|f| f.trim().to_ascii_lowercase());
    }
    None
}

/// Checks every skill directly under `skills_dir` that records a fingerprint.
pub fn check_skills_dir(skills_dir: &Path) -> Vec<FingerprintCheck> {
    check_skills_dir_with(skills_dir, &SkillLimits::default())
}

pub fn check_skills_dir_with(skills_dir: &Path, limits: &SkillLimits) -> Vec<FingerprintCheck> {
    let Ok(read) = std::fs::read_dir(skills_dir) else {
        return Vec::new();
    };
    let mut skills: Vec<_> = read
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .take(limits.max_skills)
        .collect();
    skills.sort();
    skills
        .into_iter()
        .filter_map(|skill| {
            let expected = recorded_fingerprint(&skill)?;
            let (actual, error) = match fingerprint(&skill, limits) {
                Ok(actual) => (Some(actual), None),
                Err(e) => (None, Some(e)),
            };
            Some(FingerprintCheck {
                skill: skill.display().to_string(),
                matches: actual.as_deref() == Some(expected.as_str()),
                expected,
                actual,
                error,
            })
        })
        .collect()
}
