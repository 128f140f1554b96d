//! A skill as bytes in memory: what the readers produce and the core reads.

use crate::model::{Finding, SkillKind};

/// One file of a skill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkillFile {
    /// Skill-relative path, `/`-separated, never absolute, no `..`.
    pub path: String,
    pub bytes: Vec<u8>,
    /// True when the file was bigger than the per-file cap and cut.
    pub truncated: bool,
}

/// Everything read from one skill, plus what the reader itself noticed
/// (symlinks, caps hit, rejected archive entries).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SkillSource {
    /// Where the skill came from (directory or archive path), for reports.
    pub origin: String,
    /// Directory or archive name without extension: the fallback skill name.
    pub dir_name: String,
    pub files: Vec<SkillFile>,
    pub reader_findings: Vec<Finding>,
}

impl SkillSource {
    pub fn new(origin: impl Into<String>, dir_name: impl Into<String>) -> Self {
        Self {
            origin: origin.into(),
            dir_name: dir_name.into(),
            ..Self::default()
        }
    }

    pub fn file(&self, path: &str) -> Option<&SkillFile> {
        self.files.iter().find(|f| f.path == path)
    }

    /// The manifest file that decides the kind, case-insensitively at the root.
    pub fn kind(&self) -> SkillKind {
        let has = |name: &str| self.files.iter().any(|f| f.path.eq_ignore_ascii_case(name));
        if has("SKILL.md") || has("skills.md") {
            SkillKind::Skill
        } else if has("HOOK.md") {
            SkillKind::Hook
        } else if has("openclaw.plugin.json") {
            SkillKind::Plugin
        } else {
            SkillKind::Unknown
        }
    }

    /// A file read with up to one byte past `cap` (so a longer one shows):
    /// cut at `cap`, and the cut noted, so a partial scan never reads as clean.
    pub(crate) fn capped_file(&mut self, path: String, mut bytes: Vec<u8>, cap: u64) -> SkillFile {
        let truncated = bytes.len() as u64 > cap;
        if truncated {
            bytes.truncate(cap as usize);
            self.note(
                "reader.file-truncated",
                // The rest of the file may hold anything: at least a warning.
                crate::Severity::Medium,
                &path,
                format!("file larger than {cap} bytes: only the first {cap} were scanned"),
            );
        }
        SkillFile {
            path,
            bytes,
            truncated,
        }
    }

    pub(crate) fn note(
        &mut self,
        rule: &str,
        severity: crate::Severity,
        file: &str,
        message: String,
    ) {
        self.reader_findings.push(Finding {
            rule: rule.to_string(),
            severity,
            file: file.to_string(),
            line: 0,
            message,
            evidence: String::new(),
            suppressed: None,
        });
    }
}
