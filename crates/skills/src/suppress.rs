//! Suppressions: a person accepted a finding (rule + path + reason, with an
//! optional expiry). Suppressed findings stay in the report, marked, and no
//! longer count towards the verdict.

use crate::Severity;
use crate::model::{Finding, SkillReport};

/// One suppression entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// Rule id or `*`.
    pub rule: String,
    /// Skill-relative file, `<skill name or dir>/<file>`, or a `*` glob at
    /// the end (`scripts/*`), or `*` for everything.
    pub path: String,
    pub reason: String,
    /// Last valid day, days since 1970-01-01 (UTC).
    pub expires_day: Option<i64>,
}

impl Suppression {
    fn matches(&self, skill_path: &str, skill_name: &str, f: &Finding) -> bool {
        if self.rule != "*" && self.rule != f.rule {
            return false;
        }
        let dir = std::path::Path::new(skill_path)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let candidates = [
            f.file.clone(),
            format!("{skill_name}/{}", f.file),
            format!("{dir}/{}", f.file),
            format!("{}/{}", skill_path.trim_end_matches('/'), f.file),
        ];
        candidates.iter().any(|c| path_matches(&self.path, c))
    }
}

fn path_matches(pattern: &str, path: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => path.starts_with(prefix),
        None => pattern == path,
    }
}

/// Marks matching findings suppressed (first matching entry's reason),
/// reports expired entries that would have matched as info findings, and
/// recomputes the verdict. `now_ms`: Unix epoch ms.
/// The `[[skills.suppress]]` entries of the configuration.
pub fn suppressions_from_config(
    entries: &[clawguard_config::SkillSuppression],
) -> Vec<Suppression> {
    entries
        .iter()
        .map(|s| Suppression {
            rule: s.rule.clone(),
            path: s.path.clone(),
            reason: s.reason.clone(),
            expires_day: s.expires_day(),
        })
        .collect()
}

pub fn apply_suppressions(report: &mut SkillReport, list: &[Suppression], now_ms: i64) {
    let today = now_ms.div_euclid(86_400_000);
    let mut expired = Vec::new();
    for f in &mut report.findings {
        for s in list {
            if !s.matches(&report.path, &report.name, f) {
                continue;
            }
            if s.expires_day.is_some_and(|d| today > d) {
                expired.push((s.rule.clone(), s.path.clone(), f.file.clone(), f.line));
                continue;
            }
            f.suppressed = Some(s.reason.clone());
            break;
        }
    }
    expired.dedup();
    for (rule, path, file, line) in expired {
        report.findings.push(Finding {
            rule: "suppression.expired".into(),
            severity: Severity::Info,
            file,
            line,
            message: format!(
                "suppression of `{rule}` for `{path}` has expired; the finding counts again"
            ),
            evidence: String::new(),
            suppressed: None,
        });
    }
    report.refresh_verdict();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{SkillKind, Verdict};

    fn report() -> SkillReport {
        SkillReport {
            path: "/w/skills/deploy".into(),
            name: "deploy".into(),
            kind: SkillKind::Skill,
            verdict: Verdict::Warn,
            findings: vec![Finding {
                rule: "tls.verify-disabled".into(),
                severity: Severity::Medium,
                file: "scripts/run.sh".into(),
                line: 3,
                message: String::new(),
                evidence: String::new(),
                suppressed: None,
            }],
        }
    }

    #[test]
    fn suppression_marks_and_expires() {
        let s = Suppression {
            rule: "tls.verify-disabled".into(),
            path: "deploy/scripts/*".into(),
            reason: "lab CA".into(),
            expires_day: Some(100),
        };
        let mut r = report();
        apply_suppressions(&mut r, std::slice::from_ref(&s), 50 * 86_400_000);
        assert_eq!(r.findings[0].suppressed.as_deref(), Some("lab CA"));
        assert_eq!(r.verdict, Verdict::Allow);
        let mut r = report();
        apply_suppressions(&mut r, &[s], 101 * 86_400_000);
        assert!(r.findings[0].suppressed.is_none());
        assert_eq!(r.verdict, Verdict::Warn);
        assert!(r.findings.iter().any(|f| f.rule == "suppression.expired"));
    }
}
