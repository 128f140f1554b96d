//! The `alertmanager` sink's body: Alertmanager's `POST /api/v2/alerts`, a
//! JSON list with one alert per [`AlertLine`]. Pure.
//!
//! Labels identify an alert in Alertmanager (its dedup and routing), so they
//! are the alert's identifying labels plus `alertname=clawguard_<kind>`,
//! `severity`, `engine`, `host` and `fingerprint`. Counts and samples are
//! annotations: they change from one notification to the next.

use serde_json::{Map, Value, json};

use crate::notification::severity_name;
use crate::sink::webhook::engine_name;
use crate::sink::webhook::rfc3339;
use crate::{AlertLine, Notification};

/// Labels clawguard sets itself; an identifying label of the same name is
/// sent as `label_<name>` instead.
const OWN_LABELS: [&str; 6] = [
    "alertname",
    "severity",
    "engine",
    "host",
    "fingerprint",
    "test",
];

/// The path under the sink's `url`.
pub const ALERTS_PATH: &str = "/api/v2/alerts";

/// A Prometheus label name (`[a-zA-Z_][a-zA-Z0-9_]*`): other characters
/// become `_`, a leading digit gets a `_` before it.
pub fn label_name(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

fn alert(n: &Notification, a: &AlertLine) -> Value {
    let mut labels = Map::new();
    for (name, value) in &a.labels {
        // Prometheus: an empty value is the same as no label.
        if value.is_empty() {
            continue;
        }
        let mut name = label_name(name);
        if OWN_LABELS.contains(&name.as_str()) {
            name = format!("label_{name}");
        }
        labels.insert(name, json!(value));
    }
    labels.insert(
        "alertname".into(),
        json!(format!("clawguard_{}", label_name(&a.kind))),
    );
    labels.insert("severity".into(), json!(severity_name(a.severity)));
    labels.insert("engine".into(), json!(engine_name(a.engine)));
    labels.insert("host".into(), json!(n.host));
    labels.insert("fingerprint".into(), json!(a.fingerprint));
    if n.test {
        labels.insert("test".into(), json!("true"));
    }
    let mut annotations = Map::new();
    annotations.insert("summary".into(), json!(a.summary));
    annotations.insert("count".into(), json!(a.count.to_string()));
    if !a.samples.is_empty() {
        annotations.insert("samples".into(), json!(a.samples.join("\n")));
    }
    annotations.insert("group_key".into(), json!(n.group_key));
    json!({
        "labels": labels,
        "annotations": annotations,
        "startsAt": rfc3339(a.first_ms),
    })
}

/// The JSON list for `POST /api/v2/alerts`. Alerts the notification did not
/// list are one more alert, `clawguard_omitted_alerts`, whose summary says
/// `… N more alerts`, so the count reaches Alertmanager too.
pub fn render(n: &Notification) -> Vec<u8> {
    let mut alerts: Vec<Value> = n.alerts.iter().map(|a| alert(n, a)).collect();
    if n.omitted_alerts > 0 {
        let mut labels = Map::new();
        labels.insert("alertname".into(), json!("clawguard_omitted_alerts"));
        labels.insert("severity".into(), json!(severity_name(n.severity)));
        labels.insert("host".into(), json!(n.host));
        labels.insert("group_key".into(), json!(n.group_key));
        if n.test {
            labels.insert("test".into(), json!("true"));
        }
        alerts.push(json!({
            "labels": labels,
            "annotations": {
                "summary": format!("… {} more alerts ({} events in the group)", n.omitted_alerts, n.events),
                "count": n.omitted_alerts.to_string(),
            },
            "startsAt": rfc3339(n.first_ms),
        }));
    }
    Value::Array(alerts).to_string().into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sink::http::tests_support::notification;

    #[test]
    fn one_alert_per_line_and_the_omitted_count() {
        let mut n = notification(2, 4);
        n.alerts[0].labels.insert("host".into(), "spoofed".into());
        n.alerts[0].labels.insert("9-bad.name".into(), "x".into());
        n.alerts[0].labels.insert("empty".into(), String::new());
        let v: Value = serde_json::from_slice(&render(&n)).unwrap();
        let list = v.as_array().unwrap();
        assert_eq!(list.len(), 3);
        let first = &list[0];
        assert_eq!(first["labels"]["alertname"], "clawguard_banned");
        assert_eq!(first["labels"]["host"], n.host);
        assert_eq!(first["labels"]["label_host"], "spoofed");
        assert_eq!(first["labels"]["_9_bad_name"], "x");
        assert!(first["labels"].get("empty").is_none());
        assert_eq!(first["labels"]["engine"], "ban");
        assert_eq!(first["annotations"]["count"], "10");
        assert_eq!(first["startsAt"], "2026-12-07T06:00:00.000Z");
        let omitted = &list[2];
        assert_eq!(omitted["labels"]["alertname"], "clawguard_omitted_alerts");
        assert!(
            omitted["annotations"]["summary"]
                .as_str()
                .unwrap()
                .starts_with("… 4 more")
        );
    }
}
