//! What identifies an alert: its labels, the fingerprint hashed from them,
//! and the group key made of the `group_by` labels. Pure.

use std::collections::BTreeMap;

use clawguard_event::{Event, EventKind};

/// The labels that identify the alert an event belongs to: `engine`,
/// `kind`, `host`, and per kind the fields that tell two alerts apart (a
/// ban's jail and target, a file's path, a log rule and its source). Fields
/// that change from event to event (counts, times, messages) are not labels.
pub fn labels(event: &Event, host: &str) -> BTreeMap<String, String> {
    let mut labels = BTreeMap::new();
    let mut put = |key: &str, value: String| {
        labels.insert(key.to_string(), value);
    };
    put("engine", engine_name(event));
    put("kind", event.kind_id().to_string());
    put("host", host.to_string());
    match &event.kind {
        EventKind::Banned { jail, target, .. } | EventKind::Unbanned { jail, target, .. } => {
            put("jail", jail.clone());
            put("target", target.to_string());
        }
        EventKind::FirewallRestored { .. } => {}
        EventKind::FileChanged { path, .. } | EventKind::BaselineTampered { path, .. } => {
            put("path", path.clone());
        }
        EventKind::SuspiciousProcess { rule, exe, .. } => {
            put("rule", rule.clone());
            put("exe", exe.clone());
        }
        EventKind::PortOpened {
            protocol, address, ..
        } => {
            put("protocol", protocol.clone());
            put("address", address.clone());
        }
        EventKind::ProxyAuthFailed { client, reason } => {
            put("client", client.to_string());
            put("reason", reason.clone());
        }
        EventKind::SkillFinding {
            skill, rule, file, ..
        } => {
            put("skill", skill.clone());
            put("rule", rule.clone());
            put("file", file.clone());
        }
        EventKind::AuditCheckFailed { check, .. } => put("check", check.clone()),
        EventKind::LogMatched { rule, source, .. } => {
            put("rule", rule.clone());
            put("source", source.clone());
        }
        EventKind::AlertFailed { sink, .. } => put("sink", sink.clone()),
        EventKind::EngineError { .. } | EventKind::EventsDropped { .. } => {}
    }
    labels
}

/// The engine's name as the config writes it (`ban`, `fim`, …).
pub fn engine_name(event: &Event) -> String {
    serde_json::to_value(event.engine())
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// What tells two alerts with the same labels apart without being a label
/// (too long for one): a log rule's line. Every distinct matched line is an
/// alert of its own, so a second device upgrade is news, not a repeat; the
/// same line again is a repeat.
pub fn identity(event: &Event) -> Option<&str> {
    match &event.kind {
        EventKind::LogMatched { line, .. } => Some(line),
        _ => None,
    }
}

/// 16 hex digits of BLAKE3 over the sorted labels (and the identity).
pub fn fingerprint(labels: &BTreeMap<String, String>, identity: Option<&str>) -> String {
    let mut hasher = blake3::Hasher::new();
    if let Some(identity) = identity {
        hasher.update(&(identity.len() as u64).to_le_bytes());
        hasher.update(identity.as_bytes());
    }
    for (key, value) in labels {
        // Lengths first, so `a=bc` and `ab=c` differ.
        hasher.update(&(key.len() as u64).to_le_bytes());
        hasher.update(key.as_bytes());
        hasher.update(&(value.len() as u64).to_le_bytes());
        hasher.update(value.as_bytes());
    }
    hasher.finalize().to_hex()[..16].to_string()
}

/// The group an alert goes to: its values of the `group_by` labels (a
/// label it lacks is left out), as `key=value` pairs joined by `,`.
pub fn group(
    labels: &BTreeMap<String, String>,
    group_by: &[String],
) -> (String, BTreeMap<String, String>) {
    let mut picked = BTreeMap::new();
    for key in group_by {
        if let Some(value) = labels.get(key) {
            picked.insert(key.clone(), value.clone());
        }
    }
    let key = picked
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",");
    (key, picked)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clawguard_event::Severity;

    fn log_match(rule: &str, line: &str) -> Event {
        Event::new(
            1,
            EventKind::LogMatched {
                rule: rule.into(),
                source: "/var/log/auth.log".into(),
                severity: Severity::Medium,
                line: line.into(),
            },
        )
    }

    #[test]
    fn a_log_rules_alert_is_one_distinct_line() {
        let fp = |rule: &str, line: &str| {
            let event = log_match(rule, line);
            fingerprint(&labels(&event, "h"), identity(&event))
        };
        assert_eq!(
            fp("ssh", "Failed password for root"),
            fp("ssh", "Failed password for root")
        );
        assert_ne!(
            fp("ssh", "Failed password for root"),
            fp("ssh", "Failed password for admin")
        );
        assert_ne!(
            fp("ssh", "Failed password for root"),
            fp("other", "Failed password for root")
        );
        assert_eq!(fp("ssh", "x").len(), 16);
    }

    #[test]
    fn group_keys_take_only_present_labels() {
        let l = labels(&log_match("ssh", "x"), "h");
        let by = [
            "engine".to_string(),
            "kind".into(),
            "rule".into(),
            "jail".into(),
        ];
        let (key, picked) = group(&l, &by);
        assert_eq!(key, "engine=logs,kind=log_matched,rule=ssh");
        assert_eq!(picked.len(), 3);
    }
}
