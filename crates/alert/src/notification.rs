//! What a sink sends: one [`Notification`] per group flush. Built by the
//! grouper ([`crate::group`]), stored in the outbox ([`crate::outbox`]) and
//! rendered by each sink ([`crate::sink`]). It is stored as JSON, so a
//! notification read back after a restart is the one that was built.

use std::collections::BTreeMap;

use clawguard_event::{Engine, Severity};
use serde::{Deserialize, Serialize};

/// Version of the webhook JSON (`schema` field); bumped when a field changes
/// meaning or goes away.
pub const WEBHOOK_SCHEMA: &str = "clawguard.alert.v1";

/// Most alerts listed in one notification; the rest are counted in
/// [`Notification::omitted_alerts`].
pub const MAX_ALERTS_LISTED: usize = 20;

/// Most sample lines kept per alert (log rules).
pub const MAX_SAMPLES: usize = 5;

/// Longest sample line kept, in bytes (cut at a character boundary).
pub const MAX_SAMPLE_BYTES: usize = 512;

/// One message to one sink: a group of alerts and how many events each
/// stands for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    /// Outbox id: unique per database, also the idempotency key receivers see.
    pub id: u64,
    pub sink: String,
    /// Stable key of the group (its labels), e.g. `engine=ban,kind=banned`.
    pub group_key: String,
    pub group_labels: BTreeMap<String, String>,
    /// Highest severity among the alerts.
    pub severity: Severity,
    pub host: String,
    /// When the notification was built (Unix ms).
    pub created_ms: i64,
    /// The alerts, most severe and most frequent first, at most
    /// [`MAX_ALERTS_LISTED`].
    pub alerts: Vec<AlertLine>,
    /// Distinct alerts in the group not listed in `alerts`.
    pub omitted_alerts: u64,
    /// Events this notification stands for (every listed and omitted alert).
    pub events: u64,
    /// Time of the first and last of those events.
    pub first_ms: i64,
    pub last_ms: i64,
    /// `clawguard alert test`: not from the journal.
    #[serde(default)]
    pub test: bool,
}

/// One alert (one fingerprint) inside a notification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertLine {
    /// 16 hex digits: a hash of the alert's identifying labels.
    pub fingerprint: String,
    /// Event kind (`banned`, `log_matched`, …).
    pub kind: String,
    pub engine: Engine,
    pub severity: Severity,
    /// One human line: the latest event's summary.
    pub summary: String,
    /// Identifying labels (`jail`, `target`, `rule`, `path`, …).
    pub labels: BTreeMap<String, String>,
    /// Events for this alert since the group's last notification.
    pub count: u64,
    pub first_ms: i64,
    pub last_ms: i64,
    /// `true` when this alert was already sent within `repeat_interval`:
    /// listed only to carry its count.
    #[serde(default)]
    pub repeat: bool,
    /// For log rules: the first matched lines, at most [`MAX_SAMPLES`].
    #[serde(default)]
    pub samples: Vec<String>,
}

impl Notification {
    /// One line for subjects and titles: `[clawguard] HIGH host: 3 alerts (ban/banned)`.
    pub fn title(&self) -> String {
        let alerts = self.alerts.len() as u64 + self.omitted_alerts;
        let what = match (alerts, self.alerts.first()) {
            (1, Some(line)) => line.summary.clone(),
            _ => format!("{alerts} alerts, {} events", self.events),
        };
        let test = if self.test { " TEST" } else { "" };
        format!(
            "[clawguard{test}] {} {}: {}",
            severity_name(self.severity).to_uppercase(),
            self.host,
            what
        )
    }
}

/// The lowercase name of a severity, as in the config.
pub fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Info => "info",
        Severity::Low => "low",
        Severity::Medium => "medium",
        Severity::High => "high",
        Severity::Critical => "critical",
    }
}

pub use clawguard_sys::text::cut_at_char;
