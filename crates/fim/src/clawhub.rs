//! ClawHub skill fingerprints: installed skills with `.clawhub/origin.json`
//! carrying a `fingerprint` are hashed again and compared. The algorithm
//! (file set, order, hash) lives in `clawguard_clawhub`, shared with the
//! skill auditor; this module finds the skills and reads `origin.json`,
//! fd-relative through `clawguard_sys::walk`.

use std::os::fd::OwnedFd;
use std::path::Path;
use std::sync::Arc;

use clawguard_sys::regular_file::{self, Follow};
use clawguard_sys::walk::{self, Bound, Descend, EntryAt, Opened, Trouble, Visitor};
use serde::Serialize;

use crate::walk::os_path;

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
    clawguard_clawhub::skill_fingerprint(dir, &limits.skill()).map_err(|e| e.to_string())
}

impl SkillLimits {
    fn skill(&self) -> clawguard_clawhub::Limits {
        clawguard_clawhub::Limits {
            max_files: self.max_files,
            max_bytes: self.max_bytes,
            max_depth: self.max_depth,
            ..clawguard_clawhub::Limits::default()
        }
    }
}

/// Largest `origin.json` read.
const MAX_ORIGIN_BYTES: u64 = 1 << 20;
/// Names read from a skills directory (skills and anything else in it).
const MAX_SKILLS_DIR_NAMES: usize = 100_000;

/// The fingerprint recorded in `<skill>/.clawhub/origin.json` (legacy
/// `.clawdhub/`), if any. Neither `skill`, the `.clawhub` directory nor the
/// file may be a symlink.
pub fn recorded_fingerprint(skill: &Path) -> Option<String> {
    let dir = walk::open_dir(skill, Follow::No).ok()?;
    recorded_fingerprint_at(&dir)
}

fn recorded_fingerprint_at(skill: &OwnedFd) -> Option<String> {
    for dir in [c".clawhub", c".clawdhub"] {
        let Ok(dir) = walk::open_dir_at(skill, dir) else {
            continue;
        };
        // Regular files only, bounded: a FIFO planted here must not hang a check.
        let origin = EntryAt::new(Arc::new(dir), c"origin.json".to_owned());
        let Ok(Opened::Regular(file, _)) = origin.open_regular() else {
            continue;
        };
        let Ok(bytes) = regular_file::read_capped(file, MAX_ORIGIN_BYTES) else {
            continue;
        };
        if bytes.len() as u64 > MAX_ORIGIN_BYTES {
            continue;
        }
        let value: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
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

/// [`check_skills_dir`] under `limits`. Each skill is opened once, without
/// following a link, and read relative to that descriptor; at most
/// `max_skills` skills, in name order.
pub fn check_skills_dir_with(skills_dir: &Path, limits: &SkillLimits) -> Vec<FingerprintCheck> {
    // The configured skills directory may be reached through a symlink.
    let Ok(fd) = walk::open_dir(skills_dir, Follow::Yes) else {
        return Vec::new();
    };
    let mut checker = Checker {
        skills_dir,
        limits,
        skills: 0,
        checks: Vec::new(),
    };
    let bounds = walk::Limits {
        max_depth: 1,
        max_dir_names: MAX_SKILLS_DIR_NAMES,
        max_names: u64::MAX,
    };
    // The only break is `max_skills`; what was checked stands.
    let _ = walk::walk_dir(Arc::new(fd), b"", (), &bounds, &mut checker);
    checker.checks
}

struct Checker<'a> {
    skills_dir: &'a Path,
    limits: &'a SkillLimits,
    skills: usize,
    checks: Vec<FingerprintCheck>,
}

impl Visitor for Checker<'_> {
    type Ctx = ();
    type Break = ();

    fn directory(
        &mut self,
        _: &(),
        dir: &Arc<OwnedFd>,
        path: &[u8],
        depth: usize,
    ) -> Result<Descend, ()> {
        if depth == 0 {
            return Ok(Descend::Enter);
        }
        self.skills += 1;
        if self.skills > self.limits.max_skills {
            return Err(());
        }
        let skill = self.skills_dir.join(os_path(path));
        if let Some(expected) = recorded_fingerprint_at(dir) {
            let (actual, error) = match clawguard_clawhub::skill_fingerprint_at(
                Arc::clone(dir),
                &self.limits.skill(),
            ) {
                Ok(actual) => (Some(actual), None),
                Err(e) => (None, Some(e.to_string())),
            };
            self.checks.push(FingerprintCheck {
                skill: skill.display().to_string(),
                matches: actual.as_deref() == Some(expected.as_str()),
                expected,
                actual,
                error,
            });
        }
        Ok(Descend::Skip)
    }

    /// Files and links beside the skills are not skills.
    fn entry(&mut self, _: &(), _: EntryAt, _: Vec<u8>, _: usize) -> Result<(), ()> {
        Ok(())
    }

    fn bound(&mut self, _: &[u8], _: Bound) -> Result<(), ()> {
        Ok(())
    }

    fn trouble(&mut self, _: &(), _: &[u8], _: Trouble) -> Result<(), ()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn origin(dir: &Path, fingerprint: &str) {
        std::fs::create_dir_all(dir).unwrap();
        let json = format!(r#"{{"version":1,"fingerprint":"{fingerprint}"}}"#);
        std::fs::write(dir.join("origin.json"), json).unwrap();
    }

    #[test]
    fn links_to_a_skill_or_its_origin_directory_are_not_followed() {
        let outside = tempfile::tempdir().unwrap();
        origin(&outside.path().join("meta"), "aa");
        origin(&outside.path().join("skill/.clawhub"), "bb");
        let skills = tempfile::tempdir().unwrap();
        let root = skills.path();
        std::fs::create_dir(root.join("linked-origin")).unwrap();
        symlink(
            outside.path().join("meta"),
            root.join("linked-origin/.clawhub"),
        )
        .unwrap();
        symlink(outside.path().join("skill"), root.join("linked-skill")).unwrap();
        origin(&root.join("real/.clawhub"), "CC");
        std::fs::write(root.join("real/SKILL.md"), "s").unwrap();

        assert_eq!(recorded_fingerprint(&root.join("linked-origin")), None);
        assert_eq!(recorded_fingerprint(&root.join("linked-skill")), None);
        assert_eq!(
            recorded_fingerprint(&root.join("real")).as_deref(),
            Some("cc")
        );
        let checks = check_skills_dir(root);
        let names: Vec<&str> = checks.iter().map(|c| c.skill.as_str()).collect();
        assert_eq!(names, [root.join("real").display().to_string()]);
        assert_eq!(checks[0].expected, "cc");
        assert!(checks[0].actual.is_some(), "{:?}", checks[0]);
    }
}
