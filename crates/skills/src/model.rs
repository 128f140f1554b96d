//! The values every part shares: findings, verdicts, limits.

use serde::{Deserialize, Serialize};

use clawguard_event::Severity;

/// Bounds on everything input-driven. Every reader and the decoder obey them.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    pub max_file_bytes: u64,
    pub max_total_bytes: u64,
    pub max_files: u32,
    pub max_depth: u32,
    pub max_archive_ratio: u32,
    /// Deepest nesting of decode-and-rescan (base64 inside hex inside …).
    pub max_decode_depth: u32,
    /// Most bytes produced by decoding, per file.
    pub max_decoded_bytes: usize,
    /// Most findings kept per skill (the rest are counted in one finding).
    pub max_findings: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_file_bytes: 8 << 20,
            max_total_bytes: 64 << 20,
            max_files: 5_000,
            max_depth: 16,
            max_archive_ratio: 200,
            max_decode_depth: 4,
            max_decoded_bytes: 1 << 20,
            max_findings: 500,
        }
    }
}

impl Limits {
    /// From the `[skills]` config section.
    pub fn from_config(cfg: &clawguard_config::SkillsConfig) -> Self {
        Self {
            max_file_bytes: cfg.max_file_bytes,
            max_total_bytes: cfg.max_total_bytes,
            max_files: cfg.max_files,
            max_depth: cfg.max_depth,
            max_archive_ratio: cfg.max_archive_ratio,
            ..Self::default()
        }
    }

    /// Largest archive file read into memory (compressed bytes).
    pub fn max_archive_bytes(&self) -> u64 {
        self.max_total_bytes
    }
}

/// One thing the auditor found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable rule id, e.g. `download-exec.pipe-shell`.
    pub rule: String,
    pub severity: Severity,
    /// Skill-relative path (`/`-separated).
    pub file: String,
    /// 1-based line; 0 for a finding about the whole file or skill.
    pub line: u32,
    pub message: String,
    /// The matched text: bounded and with control characters escaped.
    pub evidence: String,
    /// The reason, when a suppression entry matched this finding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<String>,
}

/// What kind of extension a folder holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SkillKind {
    Skill,
    Hook,
    Plugin,
    /// No `SKILL.md`, `HOOK.md` or `openclaw.plugin.json`: scanned anyway.
    Unknown,
}

/// The decision for one skill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Allow,
    Warn,
    Block,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Allow => "allow",
            Verdict::Warn => "warn",
            Verdict::Block => "block",
        }
    }
}

/// `block` if any unsuppressed finding is high or critical, `warn` if any is
/// medium, else `allow`.
pub fn verdict_of(findings: &[Finding]) -> Verdict {
    let worst = findings
        .iter()
        .filter(|f| f.suppressed.is_none())
        .map(|f| f.severity)
        .max();
    match worst {
        Some(Severity::High | Severity::Critical) => Verdict::Block,
        Some(Severity::Medium) => Verdict::Warn,
        _ => Verdict::Allow,
    }
}

/// Whether `f` says the scan did not read everything (a file cut at the cap,
/// a walk stopped, a manifest not parsed, an archive entry not read). A
/// partial scan never reads as clean: the install policy answers at least
/// `warn` for a skill with one, suppressed or not.
pub fn is_partial_scan(f: &Finding) -> bool {
    match f.rule.as_str() {
        // At info it only says more findings exist than are listed.
        "reader.truncated" => f.severity > Severity::Info,
        "reader.file-truncated"
        | "manifest.too-deep"
        | "manifest.too-large"
        | "archive.bomb"
        | "archive.corrupt"
        | "archive.encrypted" => true,
        _ => false,
    }
}

/// The audit of one skill.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkillReport {
    pub path: String,
    pub name: String,
    #[serde(skip)]
    pub kind: SkillKind,
    pub verdict: Verdict,
    pub findings: Vec<Finding>,
}

impl SkillReport {
    /// Recomputes the verdict (after suppressions changed findings).
    pub fn refresh_verdict(&mut self) {
        self.verdict = verdict_of(&self.findings);
    }

    /// One `SkillFinding` event per unsuppressed finding at `min` or above,
    /// for the daemon's alert pipeline.
    pub fn events(&self, time_ms: i64, min: Severity) -> Vec<clawguard_event::Event> {
        self.findings
            .iter()
            .filter(|f| f.suppressed.is_none() && f.severity >= min)
            .map(|f| {
                clawguard_event::Event::new(
                    time_ms,
                    clawguard_event::EventKind::SkillFinding {
                        skill: self.path.clone(),
                        rule: f.rule.clone(),
                        severity: f.severity,
                        file: f.file.clone(),
                        line: f.line,
                        message: f.message.clone(),
                    },
                )
            })
            .collect()
    }
}

/// Bounded, printable evidence: control and invisible characters escaped.
pub(crate) fn sanitize_evidence(bytes: &[u8]) -> String {
    const MAX_CHARS: usize = 160;
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::new();
    for (count, c) in text.trim().chars().enumerate() {
        if count >= MAX_CHARS {
            out.push('…');
            break;
        }
        let invisible = c.is_control()
            || matches!(c as u32, 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2069 | 0xFEFF | 0xE0000..=0xE007F);
        if invisible {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}
