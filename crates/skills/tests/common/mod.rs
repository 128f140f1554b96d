//! Shared by the single-file rule tests.

use clawguard_skills::{Severity, scan_text};

/// The highest severity `rule` reaches on `text` scanned as `path`.
pub fn worst(rule: &str, path: &str, text: &str) -> Option<Severity> {
    scan_text(path, text.as_bytes())
        .into_iter()
        .filter(|f| f.rule == rule)
        .map(|f| f.severity)
        .max()
}
