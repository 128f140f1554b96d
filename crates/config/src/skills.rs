//! `[skills]`: settings of the skills engine (the skill auditor).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::ConfigError;

/// `[skills]`
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct SkillsConfig {
    /// Run this engine in the daemon.
    pub enabled: bool,
    /// Largest file read from a skill; the rest of a bigger file is not
    /// scanned and the skill gets a `reader.truncated` finding.
    pub max_file_bytes: u64,
    /// Largest total of bytes read from one skill (archives: decompressed).
    pub max_total_bytes: u64,
    /// Most files read from one skill.
    pub max_files: u32,
    /// Deepest directory level read inside a skill.
    pub max_depth: u32,
    /// Largest decompressed/compressed ratio accepted for an archive entry.
    pub max_archive_ratio: u32,
    /// Lockfile written by `skills approve` [default: `<state_dir>/skills-lock.json`].
    pub lockfile: Option<PathBuf>,
    /// Skill directories to scan besides the ones OpenClaw loads from.
    pub extra_dirs: Vec<PathBuf>,
    /// Findings accepted by a person: they stay visible, marked suppressed.
    pub suppress: Vec<SkillSuppression>,
}

/// One `[[skills.suppress]]` entry (also the `[[suppress]]` entries of a
/// suppression file given with `--suppressions`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SkillSuppression {
    /// Rule id, e.g. `tls.verify-disabled`, or `*` for every rule.
    pub rule: String,
    /// Skill-relative file path, or a skill directory/name prefix followed by
    /// `/` and the file, or `*` for every file.
    pub path: String,
    /// Why the finding is accepted (required: it is shown next to it).
    pub reason: String,
    /// Last day (UTC, `YYYY-MM-DD`) the suppression holds.
    pub expires: Option<String>,
}

/// A suppression file: `[[suppress]]` entries.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct SuppressionFile {
    #[serde(default)]
    pub suppress: Vec<SkillSuppression>,
}

impl Default for SkillsConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            max_file_bytes: 8 << 20,
            max_total_bytes: 64 << 20,
            max_files: 5_000,
            max_depth: 16,
            max_archive_ratio: 200,
            lockfile: None,
            extra_dirs: Vec::new(),
            suppress: Vec::new(),
        }
    }
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date, or `None` if malformed.
fn parse_day(text: &str) -> Option<i64> {
    let mut parts = text.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d): (i64, i64, i64) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

fn validate_suppressions(
    list: &[SkillSuppression],
    key: &str,
    path: &Path,
) -> Result<(), ConfigError> {
    for (i, s) in list.iter().enumerate() {
        let bad = |field: &str, message: &str| ConfigError::Value {
            path: path.to_path_buf(),
            key: format!("{key}[{i}].{field}"),
            message: message.to_string(),
        };
        if s.rule.trim().is_empty() {
            return Err(bad("rule", "must not be empty"));
        }
        if s.path.trim().is_empty() {
            return Err(bad("path", "must not be empty"));
        }
        if s.reason.trim().is_empty() {
            return Err(bad("reason", "a suppression needs a reason"));
        }
        if let Some(e) = &s.expires
            && parse_day(e).is_none()
        {
            return Err(bad("expires", "expected a date YYYY-MM-DD"));
        }
    }
    Ok(())
}

impl SkillSuppression {
    /// The `expires` day as days since 1970-01-01 (validated at load).
    pub fn expires_day(&self) -> Option<i64> {
        self.expires.as_deref().and_then(parse_day)
    }
}

impl SkillsConfig {
    /// Reads and validates a suppression file (`[[suppress]]` entries), as
    /// given to `skills scan --suppressions FILE`.
    pub fn load_suppression_file(path: &Path) -> Result<Vec<SkillSuppression>, ConfigError> {
        let text = crate::read_regular_file(path, crate::MAX_CONFIG_BYTES)?;
        let file: SuppressionFile = toml::from_str(&text).map_err(|e| {
            let (line, column) = e.span().map(|s| line_col(&text, s.start)).unwrap_or((1, 1));
            ConfigError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message: e.message().to_string(),
            }
        })?;
        validate_suppressions(&file.suppress, "suppress", path)
            .map_err(|e| crate::locate(e, &text))?;
        Ok(file.suppress)
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

impl SkillsConfig {
    /// Checks values that parse but are not acceptable; errors name the key.
    pub(crate) fn validate(&self, path: &Path) -> Result<(), ConfigError> {
        let bad = |key: &str, message: &str| ConfigError::Value {
            path: path.to_path_buf(),
            key: format!("skills.{key}"),
            message: message.to_string(),
        };
        if self.max_file_bytes == 0 {
            return Err(bad("max_file_bytes", "must be at least 1"));
        }
        if self.max_total_bytes < self.max_file_bytes {
            return Err(bad("max_total_bytes", "must be at least max_file_bytes"));
        }
        if self.max_files == 0 {
            return Err(bad("max_files", "must be at least 1"));
        }
        if self.max_depth == 0 || self.max_depth > 64 {
            return Err(bad("max_depth", "must be between 1 and 64"));
        }
        if self.max_archive_ratio < 2 {
            return Err(bad("max_archive_ratio", "must be at least 2"));
        }
        validate_suppressions(&self.suppress, "skills.suppress", path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_day_counts_from_epoch() {
        assert_eq!(parse_day("1970-01-01"), Some(0));
        assert_eq!(parse_day("2026-12-02"), Some(20_789));
        assert_eq!(parse_day("2026-13-01"), None);
        assert_eq!(parse_day("26-1-1"), None);
    }

    #[test]
    fn suppression_without_reason_is_rejected() {
        let cfg = SkillsConfig {
            suppress: vec![SkillSuppression {
                rule: "x".into(),
                path: "*".into(),
                reason: " ".into(),
                expires: None,
            }],
            ..SkillsConfig::default()
        };
        let err = cfg.validate(Path::new("c.toml")).unwrap_err().to_string();
        assert!(err.contains("skills.suppress[0].reason"), "{err}");
    }
}
