//! The one closed `Event` type that flows from every engine, through the bus
//! and the durable journal, to every consumer.
//!
//! Engines never talk to consumers directly: they produce [`Event`]s, the
//! journal writer gives each one a sequence number and commits it as a
//! [`Record`], and consumers (alerting, `clawguard events`, anything a user
//! attaches) read records back by cursor. The enum is closed on purpose (no
//! `#[non_exhaustive]`, no trait objects): adding a detection means adding a
//! variant here, and the compiler then points at every `match` that must
//! handle it. Events are a wire type: they derive `Deserialize` so a consumer
//! can read back what was written, and [`SCHEMA_VERSION`] says which shape.

use ipnet::IpNet;
use serde::{Deserialize, Serialize};

/// The shape of [`Record`]/[`Event`] as serialized. Bumped when a field
/// changes meaning or goes away (adding a variant or an optional field does
/// not bump it: readers skip what they do not know).
pub const SCHEMA_VERSION: u32 = 1;

/// How urgent an event is. Ordered: `Info < Low < … < Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

/// The engine an event comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    Daemon,
    /// The event journal (retention drops).
    Journal,
    Ban,
    Fim,
    Proc,
    Proxy,
    Skills,
    Audit,
    /// Log rules: lines matched in any log source.
    Logs,
    /// The alert engine itself (deliveries that failed for good).
    Alert,
}

/// Why a ban ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnbanReason {
    Expired,
    Manual,
}

/// A file-integrity change, for FIM events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileChange {
    Added,
    Removed,
    /// Attributes that differ from the baseline (`"sha256"`, `"perm"`, …).
    Changed {
        attributes: Vec<String>,
    },
}

/// The process that caused something, where the kernel tells us.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub pid: u32,
    pub uid: Option<u32>,
    pub exe: Option<String>,
}

/// Everything an engine can report. Each variant is one kind of detection or
/// state change; [`Event::kind_id`] gives its stable identifier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventKind {
    /// An address or prefix was banned.
    Banned {
        jail: String,
        target: IpNet,
        /// `None` for a permanent ban.
        until_ms: Option<i64>,
        failures: u32,
        /// How many times this target has been banned, this one included.
        ban_count: u32,
        manual: bool,
    },
    /// A ban ended.
    Unbanned {
        jail: String,
        target: IpNet,
        reason: UnbanReason,
    },
    /// The firewall table was changed from outside and has been restored.
    FirewallRestored { restored_bans: usize },
    /// A watched file differs from the baseline.
    FileChanged {
        path: String,
        change: FileChange,
        actor: Option<Actor>,
    },
    /// A FIM baseline failed its signature check or was replaced.
    BaselineTampered { path: String, reason: String },
    /// A process matched a detection rule (new executable, reverse shell, miner …).
    SuspiciousProcess {
        rule: String,
        pid: u32,
        exe: String,
        detail: String,
    },
    /// A new listening socket appeared.
    PortOpened {
        protocol: String,
        address: String,
        actor: Option<Actor>,
    },
    /// The gateway proxy rejected a request's credentials.
    ProxyAuthFailed {
        client: std::net::IpAddr,
        reason: String,
    },
    /// The skill auditor produced a finding.
    SkillFinding {
        skill: String,
        rule: String,
        severity: Severity,
        file: String,
        line: u32,
        message: String,
    },
    /// A host-audit check failed.
    AuditCheckFailed { check: String, message: String },
    /// An engine hit an error that needs a person (a source vanished, the
    /// firewall rejected a batch, …).
    EngineError { engine: Engine, message: String },
    /// A log rule matched a line (`[alert.log_rule.NAME]`).
    LogMatched {
        rule: String,
        /// The file (or `journal`) the line came from.
        source: String,
        severity: Severity,
        /// The line, cut to at most 2 KiB at a character boundary.
        line: String,
    },
    /// An alert notification failed for good (a 4xx answer, a sink that
    /// cannot be built) and went to the dead-letter table.
    AlertFailed {
        sink: String,
        /// Its id in `clawguard alert list --failed`.
        notification: u64,
        error: String,
    },
    /// Events were dropped before every consumer had them: a retention
    /// bound of the journal forced them out, or a producer's overflow queue
    /// was full. Never silent: this event carries the count.
    EventsDropped {
        /// Who dropped them: [`Engine::Journal`] for retention, else the producer.
        source: Engine,
        count: u64,
        /// The range of sequence numbers dropped, when they had any.
        first_seq: Option<u64>,
        last_seq: Option<u64>,
        reason: String,
    },
}

/// One event with its time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Unix epoch milliseconds (UTC).
    pub time_ms: i64,
    #[serde(flatten)]
    pub kind: EventKind,
}

impl Event {
    pub fn new(time_ms: i64, kind: EventKind) -> Self {
        Self { time_ms, kind }
    }

    /// Which engine produced the event.
    pub fn engine(&self) -> Engine {
        match &self.kind {
            EventKind::Banned { .. }
            | EventKind::Unbanned { .. }
            | EventKind::FirewallRestored { .. } => Engine::Ban,
            EventKind::FileChanged { .. } | EventKind::BaselineTampered { .. } => Engine::Fim,
            EventKind::SuspiciousProcess { .. } | EventKind::PortOpened { .. } => Engine::Proc,
            EventKind::ProxyAuthFailed { .. } => Engine::Proxy,
            EventKind::SkillFinding { .. } => Engine::Skills,
            EventKind::AuditCheckFailed { .. } => Engine::Audit,
            EventKind::LogMatched { .. } => Engine::Logs,
            EventKind::AlertFailed { .. } => Engine::Alert,
            EventKind::EngineError { engine, .. } => *engine,
            EventKind::EventsDropped { source, .. } => *source,
        }
    }

    /// Stable identifier of the event kind, as used in alert routing.
    pub fn kind_id(&self) -> &'static str {
        match &self.kind {
            EventKind::Banned { .. } => "banned",
            EventKind::Unbanned { .. } => "unbanned",
            EventKind::FirewallRestored { .. } => "firewall_restored",
            EventKind::FileChanged { .. } => "file_changed",
            EventKind::BaselineTampered { .. } => "baseline_tampered",
            EventKind::SuspiciousProcess { .. } => "suspicious_process",
            EventKind::PortOpened { .. } => "port_opened",
            EventKind::ProxyAuthFailed { .. } => "proxy_auth_failed",
            EventKind::SkillFinding { .. } => "skill_finding",
            EventKind::AuditCheckFailed { .. } => "audit_check_failed",
            EventKind::LogMatched { .. } => "log_matched",
            EventKind::AlertFailed { .. } => "alert_failed",
            EventKind::EngineError { .. } => "engine_error",
            EventKind::EventsDropped { .. } => "events_dropped",
        }
    }

    /// How urgent the event is.
    pub fn severity(&self) -> Severity {
        match &self.kind {
            EventKind::Banned { .. } => Severity::Medium,
            EventKind::Unbanned { .. } | EventKind::ProxyAuthFailed { .. } => Severity::Info,
            EventKind::FirewallRestored { .. } => Severity::High,
            EventKind::FileChanged { .. } => Severity::High,
            EventKind::BaselineTampered { .. } => Severity::Critical,
            EventKind::SuspiciousProcess { .. } => Severity::High,
            EventKind::PortOpened { .. } => Severity::Medium,
            EventKind::SkillFinding { severity, .. } => *severity,
            EventKind::AuditCheckFailed { .. } => Severity::Low,
            EventKind::LogMatched { severity, .. } => *severity,
            EventKind::AlertFailed { .. } => Severity::High,
            EventKind::EngineError { .. } => Severity::High,
            EventKind::EventsDropped { .. } => Severity::High,
        }
    }

    /// One human line describing the event.
    pub fn summary(&self) -> String {
        match &self.kind {
            EventKind::Banned {
                jail,
                target,
                until_ms,
                failures,
                ..
            } => match until_ms {
                Some(until) => format!(
                    "[{jail}] banned {target} after {failures} failures for {}s",
                    (until - self.time_ms).max(0) / 1000
                ),
                None => format!("[{jail}] banned {target} permanently after {failures} failures"),
            },
            EventKind::Unbanned {
                jail,
                target,
                reason,
            } => format!("[{jail}] unbanned {target} ({reason:?})"),
            EventKind::FirewallRestored { restored_bans } => format!(
                "firewall table was removed from outside; restored with {restored_bans} bans"
            ),
            EventKind::FileChanged { path, change, .. } => format!("{path}: {change:?}"),
            EventKind::BaselineTampered { path, reason } => {
                format!("baseline {path} rejected: {reason}")
            }
            EventKind::SuspiciousProcess { rule, pid, exe, .. } => {
                format!("{rule}: pid {pid} {exe}")
            }
            EventKind::PortOpened {
                protocol, address, ..
            } => format!("new listening socket {protocol} {address}"),
            EventKind::ProxyAuthFailed { client, reason } => {
                format!("proxy auth failed from {client}: {reason}")
            }
            EventKind::SkillFinding {
                skill,
                rule,
                file,
                line,
                ..
            } => format!("{skill}: {rule} at {file}:{line}"),
            EventKind::AuditCheckFailed { check, message } => format!("{check}: {message}"),
            EventKind::LogMatched { rule, line, .. } => format!("{rule}: {line}"),
            EventKind::AlertFailed {
                sink,
                notification,
                error,
            } => format!("alert {notification} to sink {sink} failed for good: {error}"),
            EventKind::EngineError { engine, message } => format!("{engine:?}: {message}"),
            EventKind::EventsDropped {
                source,
                count,
                reason,
                ..
            } => format!("{count} events dropped ({source:?}): {reason}"),
        }
    }
}

/// An event as the journal holds it and consumers read it: the event with
/// its place in the journal and where it happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Position in the journal: strictly increasing, never reused.
    pub seq: u64,
    /// The host that produced the event (shared ban lists mix hosts).
    pub host: String,
    /// [`SCHEMA_VERSION`] of the writer.
    pub schema: u32,
    #[serde(flatten)]
    pub event: Event,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_with_a_flat_kind_tag() {
        let event = Event::new(
            1_000,
            EventKind::Banned {
                jail: "sshd".into(),
                target: "203.0.113.7/32".parse().unwrap(),
                until_ms: Some(3_601_000),
                failures: 3,
                ban_count: 1,
                manual: false,
            },
        );
        let json = serde_json::to_value(&event).unwrap();
        assert_eq!(json["kind"], "banned");
        assert_eq!(json["target"], "203.0.113.7/32");
        assert_eq!(json["time_ms"], 1000);
        assert_eq!(event.kind_id(), "banned");
        assert_eq!(event.engine(), Engine::Ban);
        assert_eq!(
            event.summary(),
            "[sshd] banned 203.0.113.7/32 after 3 failures for 3600s"
        );
    }

    #[test]
    fn severities_are_ordered() {
        assert!(Severity::Info < Severity::Critical);
        let tampered = Event::new(
            0,
            EventKind::BaselineTampered {
                path: "/var/lib/clawguard/fim.baseline".into(),
                reason: "bad signature".into(),
            },
        );
        assert_eq!(tampered.severity(), Severity::Critical);
    }

    /// One event of every kind. [`variant_index`] has no wildcard arm, so a
    /// new variant does not compile until it is added here too.
    fn one_of_each() -> Vec<Event> {
        let net: IpNet = "198.51.100.4/32".parse().unwrap();
        let actor = Some(Actor {
            pid: 7,
            uid: Some(0),
            exe: Some("/usr/bin/vi".into()),
        });
        let kinds = vec![
            EventKind::Banned {
                jail: "sshd".into(),
                target: net,
                until_ms: None,
                failures: 5,
                ban_count: 2,
                manual: false,
            },
            EventKind::Unbanned {
                jail: "sshd".into(),
                target: net,
                reason: UnbanReason::Expired,
            },
            EventKind::FirewallRestored { restored_bans: 3 },
            EventKind::FileChanged {
                path: "/etc/passwd".into(),
                change: FileChange::Changed {
                    attributes: vec!["sha256".into()],
                },
                actor: actor.clone(),
            },
            EventKind::BaselineTampered {
                path: "/var/lib/clawguard/fim.baseline".into(),
                reason: "bad signature".into(),
            },
            EventKind::SuspiciousProcess {
                rule: "reverse-shell".into(),
                pid: 9,
                exe: "/bin/sh".into(),
                detail: "stdin is a socket".into(),
            },
            EventKind::PortOpened {
                protocol: "tcp".into(),
                address: "0.0.0.0:4444".into(),
                actor,
            },
            EventKind::ProxyAuthFailed {
                client: "203.0.113.5".parse().unwrap(),
                reason: "bad token".into(),
            },
            EventKind::SkillFinding {
                skill: "weather".into(),
                rule: "exec.download-exec".into(),
                severity: Severity::Critical,
                file: "SKILL.md".into(),
                line: 4,
                message: "curl | sh".into(),
            },
            EventKind::AuditCheckFailed {
                check: "CG-SSH-001".into(),
                message: "root login allowed".into(),
            },
            EventKind::EngineError {
                engine: Engine::Fim,
                message: "panicked".into(),
            },
            EventKind::EventsDropped {
                source: Engine::Journal,
                count: 10,
                first_seq: Some(1),
                last_seq: Some(10),
                reason: "max_events".into(),
            },
            EventKind::LogMatched {
                rule: "openclaw-device-upgrade".into(),
                source: "/tmp/openclaw/openclaw-2026-12-07.log".into(),
                severity: Severity::High,
                line: "security audit: device access upgrade requested reason=role-upgrade".into(),
            },
            EventKind::AlertFailed {
                sink: "ops".into(),
                notification: 7,
                error: "HTTP 404".into(),
            },
        ];
        kinds.into_iter().map(|k| Event::new(42, k)).collect()
    }

    fn variant_index(kind: &EventKind) -> usize {
        match kind {
            EventKind::Banned { .. } => 0,
            EventKind::Unbanned { .. } => 1,
            EventKind::FirewallRestored { .. } => 2,
            EventKind::FileChanged { .. } => 3,
            EventKind::BaselineTampered { .. } => 4,
            EventKind::SuspiciousProcess { .. } => 5,
            EventKind::PortOpened { .. } => 6,
            EventKind::ProxyAuthFailed { .. } => 7,
            EventKind::SkillFinding { .. } => 8,
            EventKind::AuditCheckFailed { .. } => 9,
            EventKind::EngineError { .. } => 10,
            EventKind::EventsDropped { .. } => 11,
            EventKind::LogMatched { .. } => 12,
            EventKind::AlertFailed { .. } => 13,
        }
    }
    const VARIANTS: usize = 14;

    #[test]
    fn kind_id_is_the_serde_tag_of_every_variant() {
        let events = one_of_each();
        let mut seen: Vec<usize> = events.iter().map(|e| variant_index(&e.kind)).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(
            seen,
            (0..VARIANTS).collect::<Vec<_>>(),
            "one sample per variant"
        );
        for event in &events {
            let json = serde_json::to_value(event).unwrap();
            assert_eq!(json["kind"], event.kind_id(), "{json}");
        }
    }

    #[test]
    fn every_record_reads_back_as_written() {
        for (seq, event) in one_of_each().into_iter().enumerate() {
            let record = Record {
                seq: seq as u64 + 1,
                host: "gw-1".into(),
                schema: SCHEMA_VERSION,
                event,
            };
            let text = serde_json::to_string(&record).unwrap();
            let back: Record = serde_json::from_str(&text).unwrap();
            assert_eq!(back, record, "{text}");
        }
    }
}
