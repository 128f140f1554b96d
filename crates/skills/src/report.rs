//! Report documents: the JSON shape of `skills scan --format json` and SARIF
//! 2.1.0 for GitHub code scanning.

use serde::Serialize;
use serde_json::{Value, json};

use crate::Severity;
use crate::model::SkillReport;

/// `{"skills":[…]}`.
#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    pub skills: Vec<JsonSkill<'a>>,
}

#[derive(Debug, Serialize)]
pub struct JsonSkill<'a> {
    pub path: &'a str,
    pub name: &'a str,
    pub verdict: crate::Verdict,
    pub findings: &'a [crate::Finding],
}

impl<'a> JsonReport<'a> {
    pub fn new(reports: &'a [SkillReport]) -> Self {
        Self {
            skills: reports
                .iter()
                .map(|r| JsonSkill {
                    path: &r.path,
                    name: &r.name,
                    verdict: r.verdict,
                    findings: &r.findings,
                })
                .collect(),
        }
    }
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

/// A SARIF 2.1.0 log of `reports`, one run, every rule in the driver.
pub fn sarif(reports: &[SkillReport], version: &str) -> Value {
    let catalog = crate::rule_catalog();
    let rules: Vec<Value> = catalog
        .iter()
        .map(|(id, sev, text)| {
            json!({
                "id": id,
                "name": id.replace(['.', '-'], "_"),
                "shortDescription": {"text": text},
                "fullDescription": {"text": text},
                "help": {"text": format!("{text}. See docs/skills.md for the rule list and how to suppress a finding.")},
                "defaultConfiguration": {"level": level(*sev)},
                "properties": {"security-severity": security_severity(*sev), "tags": ["security", "openclaw-skill"]},
            })
        })
        .collect();
    let mut results = Vec::new();
    for r in reports {
        for f in &r.findings {
            let index = catalog.iter().position(|(id, ..)| *id == f.rule);
            let uri = if f.file.is_empty() {
                r.path.clone()
            } else {
                format!("{}/{}", r.path.trim_end_matches('/'), f.file)
            };
            let uri = uri
                .trim_start_matches("./")
                .trim_start_matches('/')
                .to_string();
            let mut result = json!({
                "ruleId": f.rule,
                "level": level(f.severity),
                "message": {"text": format!("{} [{}] {}{}", r.name, f.severity_str(), f.message,
                    if f.evidence.is_empty() { String::new() } else { format!(": {}", f.evidence) })},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": uri},
                    "region": {"startLine": f.line.max(1)},
                }}],
                "partialFingerprints": {"clawguardFinding/v1": crate::fingerprint::sha256_hex(
                    format!("{}:{}:{}:{}", r.name, f.rule, f.file, f.evidence).as_bytes())},
                "properties": {"severity": f.severity_str(), "skill": r.name, "verdict": r.verdict.as_str()},
            });
            if let Some(i) = index {
                result["ruleIndex"] = json!(i);
            }
            if let Some(reason) = &f.suppressed {
                result["suppressions"] = json!([{"kind": "external", "justification": reason}]);
            }
            results.push(result);
        }
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "clawguard-skills",
                "informationUri": "https://example.invalid/clawguard",
                "version": version,
                "semanticVersion": version,
                "rules": rules,
            }},
            "results": results,
        }],
    })
}

impl crate::Finding {
    pub fn severity_str(&self) -> &'static str {
        match self.severity {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}
