//! The email sink: one plain-text mail per notification through an SMTP
//! relay (lettre), with STARTTLS (required, never a silent fall back to
//! clear text), implicit TLS, or no TLS for a relay on loopback only.
//!
//! Rendering ([`subject`], [`body`]) and classification ([`classify`]) are
//! pure; [`Email`] only sends.

use std::net::IpAddr;
use std::time::{Duration, UNIX_EPOCH};

use clawguard_config::{SinkConfig, SmtpTls};
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::transport::smtp::response::{Code, Severity as SmtpSeverity};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::Outcome;
use crate::notification::{cut_at_char, severity_name};
use crate::{AlertError, Notification, secret};

/// Longest subject, in bytes (RFC 5322 advises lines under 78 characters;
/// a longer subject is folded by lettre, and cut here).
pub const MAX_SUBJECT_BYTES: usize = 200;
/// Longest summary, sample or label value in the body, in bytes.
const MAX_FIELD_BYTES: usize = 1024;

/// A built email sink.
pub struct Email {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    to: Vec<Mailbox>,
    timeout: Duration,
    relay: String,
}

/// The subject: the notification's title on one line, at most
/// [`MAX_SUBJECT_BYTES`], so no header can be injected through it.
pub fn subject(notification: &Notification) -> String {
    let title = one_line(&notification.title());
    if title.len() <= MAX_SUBJECT_BYTES {
        return title;
    }
    let ellipsis = "…";
    format!(
        "{}{ellipsis}",
        cut_at_char(&title, MAX_SUBJECT_BYTES - ellipsis.len())
    )
}

/// `text` with every control character (CR, LF, tab, escapes) a space.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// A field of the body: one line, at most [`MAX_FIELD_BYTES`].
fn field(text: &str) -> String {
    let line = one_line(text);
    if line.len() <= MAX_FIELD_BYTES {
        line
    } else {
        format!("{}…", cut_at_char(&line, MAX_FIELD_BYTES))
    }
}

fn time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map_or_else(
        || ms.to_string(),
        |t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
    )
}

/// The plain-text body: what happened, every listed alert with its count,
/// labels and samples, and "… N more" for what is not listed.
pub fn body(notification: &Notification) -> String {
    let n = notification;
    let mut out = String::new();
    out.push_str(&field(&n.title()));
    out.push_str("\n\n");
    if n.test {
        out.push_str("This is a test alert sent by `clawguard alert test`.\n\n");
    }
    out.push_str(&format!("Host:     {}\n", field(&n.host)));
    out.push_str(&format!(
        "Severity: {}\n",
        severity_name(n.severity).to_uppercase()
    ));
    out.push_str(&format!("Group:    {}\n", field(&n.group_key)));
    out.push_str(&format!(
        "Events:   {} from {} to {}\n",
        n.events,
        time(n.first_ms),
        time(n.last_ms)
    ));
    out.push_str(&format!("Alert id: {}\n", n.id));
    for (i, line) in n.alerts.iter().enumerate() {
        out.push_str(&format!(
            "\n{}. [{}] {}: {}\n",
            i + 1,
            severity_name(line.severity).to_uppercase(),
            field(&line.kind),
            field(&line.summary)
        ));
        let repeat = if line.repeat {
            " (already reported, count since then)"
        } else {
            ""
        };
        out.push_str(&format!(
            "   {} events, {} to {}{repeat}\n",
            line.count,
            time(line.first_ms),
            time(line.last_ms)
        ));
        if !line.labels.is_empty() {
            let labels: Vec<String> = line
                .labels
                .iter()
                .map(|(k, v)| format!("{}={}", field(k), field(v)))
                .collect();
            out.push_str(&format!("   {}\n", labels.join(" ")));
        }
        for sample in &line.samples {
            out.push_str(&format!("   > {}\n", field(sample)));
        }
        out.push_str(&format!("   fingerprint {}\n", field(&line.fingerprint)));
    }
    if n.omitted_alerts > 0 {
        let listed: u64 = n.alerts.iter().map(|l| l.count).sum();
        out.push_str(&format!(
            "\n… {} more alerts ({} events) not listed\n",
            n.omitted_alerts,
            n.events.saturating_sub(listed)
        ));
    }
    out.push_str("\n-- \nclawguard\n");
    out
}

/// What an SMTP failure means for delivery: a 5xx reply (a rejected
/// recipient, a refused sender, failed authentication) is refused for good;
/// a 4xx reply, a connection, TLS or timeout error is worth retrying.
pub fn classify(status: Option<Code>, error: String) -> Outcome {
    match status {
        Some(code) if code.severity == SmtpSeverity::PermanentNegativeCompletion => {
            Outcome::Permanent { error }
        }
        _ => Outcome::Retry { after: None, error },
    }
}

/// A host that is loopback: `localhost` or a loopback IP address.
fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

impl Email {
    pub fn build(
        config: &SinkConfig,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Email, AlertError> {
        let bad = |message: String| AlertError::Sink {
            sink: config.name.clone(),
            message,
        };
        let host = config
            .smtp_host
            .clone()
            .ok_or_else(|| bad("an email sink needs smtp_host".into()))?;
        let from: Mailbox = config
            .from
            .as_deref()
            .ok_or_else(|| bad("an email sink needs from".into()))?
            .parse()
            .map_err(|e| bad(format!("from: {e}")))?;
        let to = config
            .to
            .iter()
            .map(|a| {
                a.parse::<Mailbox>()
                    .map_err(|e| bad(format!("to {a:?}: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if to.is_empty() {
            return Err(bad("an email sink needs at least one to address".into()));
        }
        let tls_parameters = || -> Result<TlsParameters, AlertError> {
            let mut builder = TlsParameters::builder(host.clone());
            if let Some(path) = &config.ca_file {
                for der in super::ca::read_ca_file(&config.name, path)? {
                    let cert = Certificate::from_der(der.to_vec())
                        .map_err(|e| bad(format!("ca_file: {e}")))?;
                    builder = builder.add_root_certificate(cert);
                }
            }
            builder.build().map_err(|e| bad(format!("TLS: {e}")))
        };
        let (tls, default_port) = match config.smtp_tls {
            // Required: lettre fails when the server offers no STARTTLS.
            SmtpTls::Starttls => (Tls::Required(tls_parameters()?), 587),
            SmtpTls::Tls => (Tls::Wrapper(tls_parameters()?), 465),
            SmtpTls::None => {
                if !is_loopback(&host) {
                    return Err(bad(format!(
                        "smtp_tls = \"none\" sends mail and password in clear text: only allowed \
                         for a relay on loopback, not {host:?}"
                    )));
                }
                if config.ca_file.is_some() {
                    return Err(bad(
                        "ca_file needs smtp_tls = \"starttls\" or \"tls\"".into()
                    ));
                }
                (Tls::None, 25)
            }
        };
        let port = config.smtp_port.unwrap_or(default_port);
        let timeout = Duration::from_millis(config.timeout.as_ms().max(1) as u64);
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host.clone())
            .port(port)
            .tls(tls)
            .timeout(Some(timeout));
        if let Some(name) = kernel_hostname() {
            builder = builder.hello_name(ClientId::Domain(name));
        }
        let password = secret::resolve(
            &config.name,
            "password",
            config.password.as_deref(),
            config.password_file.as_deref(),
            env,
        )?;
        match (&config.username, password) {
            (Some(user), Some(password)) => {
                builder = builder.credentials(Credentials::new(user.clone(), password));
            }
            (None, Some(_)) => return Err(bad("a password needs a username".into())),
            (Some(_), None) => {
                return Err(bad("a username needs a password (or password_file)".into()));
            }
            (None, None) => {}
        }
        Ok(Email {
            transport: builder.build(),
            from,
            to,
            timeout,
            relay: format!("{host}:{port}"),
        })
    }

    /// The message of `notification`, ready to send.
    pub fn message(&self, notification: &Notification) -> Result<Message, String> {
        let mut builder = Message::builder()
            .from(self.from.clone())
            .subject(subject(notification))
            // A stable id: a notification sent twice (at least once) is one
            // message to mail clients that deduplicate.
            .message_id(Some(format!(
                "<clawguard.{}.{}@{}>",
                notification.id,
                notification.created_ms,
                message_id_domain(&notification.host)
            )))
            .date(UNIX_EPOCH + Duration::from_millis(notification.created_ms.max(0) as u64))
            .header(ContentType::TEXT_PLAIN);
        for to in &self.to {
            builder = builder.to(to.clone());
        }
        // RFC 3834: no vacation auto-replies to alerts.
        builder = builder.raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("Auto-Submitted"),
            "auto-generated".into(),
        ));
        builder
            .body(body(notification))
            .map_err(|e| format!("building the message: {e}"))
    }

    pub async fn send(&self, notification: &Notification) -> Outcome {
        let message = match self.message(notification) {
            Ok(m) => m,
            Err(error) => return Outcome::Permanent { error },
        };
        match tokio::time::timeout(self.timeout, self.transport.send(message)).await {
            Ok(Ok(_)) => Outcome::Delivered,
            Ok(Err(e)) => classify(
                e.status(),
                format!("smtp {}: {}", self.relay, error_chain(&e)),
            ),
            Err(_) => Outcome::Retry {
                after: None,
                error: format!("smtp {}: timed out after {:?}", self.relay, self.timeout),
            },
        }
    }
}

/// An error (lettre's text includes its source) on one line, bounded.
fn error_chain(error: &dyn std::error::Error) -> String {
    cut_at_char(&one_line(&error.to_string()), 512).to_string()
}

/// EHLO name: this machine's host name, as relays expect (lettre would
/// say `localhost`), when it is a valid domain.
fn kernel_hostname() -> Option<String> {
    let name = std::fs::read_to_string("/proc/sys/kernel/hostname").ok()?;
    let name = name.trim();
    let valid = !name.is_empty()
        && name.len() <= 253
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    valid.then(|| name.to_string())
}

/// The host as a Message-ID domain: letters, digits, `-` and `.`.
fn message_id_domain(host: &str) -> String {
    let domain: String = host
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '.')
        .take(253)
        .collect();
    if domain.is_empty() {
        "localhost".into()
    } else {
        domain
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use clawguard_event::{Engine, Severity};
    use lettre::transport::smtp::response::{Category, Detail};

    use super::*;
    use crate::AlertLine;

    fn line(summary: &str, count: u64) -> AlertLine {
        AlertLine {
            fingerprint: "0123456789abcdef".into(),
            kind: "log_matched".into(),
            engine: Engine::Logs,
            severity: Severity::High,
            summary: summary.into(),
            labels: BTreeMap::from([("rule".to_string(), "openclaw_pairing".to_string())]),
            count,
            first_ms: 1_796_626_350_000,
            last_ms: 1_796_626_410_000,
            repeat: false,
            samples: vec!["pairing auto-approved for device 7".into()],
        }
    }

    fn notification(alerts: Vec<AlertLine>, omitted: u64, events: u64) -> Notification {
        Notification {
            id: 9,
            sink: "mail".into(),
            group_key: "engine=logs,rule=openclaw_pairing".into(),
            group_labels: BTreeMap::new(),
            severity: Severity::High,
            host: "gw1".into(),
            created_ms: 1_796_626_410_500,
            alerts,
            omitted_alerts: omitted,
            events,
            first_ms: 1_796_626_350_000,
            last_ms: 1_796_626_410_000,
            test: false,
        }
    }

    #[test]
    fn the_subject_is_one_bounded_line() {
        let n = notification(vec![line("pairing auto-approved", 4)], 0, 4);
        assert_eq!(subject(&n), "[clawguard] HIGH gw1: pairing auto-approved");
        let hostile = notification(
            vec![line(
                &format!("x\r\nBcc: victim@example.com\r\n{}", "é".repeat(300)),
                1,
            )],
            0,
            1,
        );
        let s = subject(&hostile);
        assert!(!s.contains('\r') && !s.contains('\n'), "{s:?}");
        assert!(s.len() <= MAX_SUBJECT_BYTES, "{}", s.len());
        assert!(s.ends_with('…'));
    }

    #[test]
    fn the_body_lists_alerts_counts_samples_and_what_is_left_out() {
        let n = notification(vec![line("pairing auto-approved", 4)], 3, 10);
        let b = body(&n);
        assert!(
            b.starts_with("[clawguard] HIGH gw1: 4 alerts, 10 events\n\n"),
            "{b}"
        );
        assert!(
            b.contains("Events:   10 from 2026-12-07 06:52:30 UTC to 2026-12-07 06:53:30 UTC\n"),
            "{b}"
        );
        assert!(
            b.contains("\n1. [HIGH] log_matched: pairing auto-approved\n"),
            "{b}"
        );
        assert!(b.contains("   4 events, "), "{b}");
        assert!(b.contains("   rule=openclaw_pairing\n"), "{b}");
        assert!(
            b.contains("   > pairing auto-approved for device 7\n"),
            "{b}"
        );
        assert!(
            b.contains("\n… 3 more alerts (6 events) not listed\n"),
            "{b}"
        );
    }

    #[test]
    fn body_fields_are_single_lines_cut_at_a_character() {
        let mut l = line("s", 1);
        l.samples = vec![format!("{}\nforged line", "€".repeat(1000))];
        let b = body(&notification(vec![l], 0, 1));
        let sample = b.lines().find(|x| x.starts_with("   > ")).unwrap();
        assert!(sample.ends_with('…'), "{sample}");
        assert!(sample.len() <= 5 + MAX_FIELD_BYTES + 3);
        assert!(!b.contains("\nforged line"));
    }

    #[test]
    fn smtp_5xx_is_permanent_and_the_rest_retries() {
        let code = |severity, detail| Code::new(severity, Category::MailSystem, detail);
        let perm = classify(
            Some(code(
                SmtpSeverity::PermanentNegativeCompletion,
                Detail::Zero,
            )),
            "550".into(),
        );
        assert_eq!(
            perm,
            Outcome::Permanent {
                error: "550".into()
            }
        );
        let transient = classify(
            Some(code(SmtpSeverity::TransientNegativeCompletion, Detail::One)),
            "451".into(),
        );
        assert!(matches!(transient, Outcome::Retry { after: None, .. }));
        // Connection, TLS and timeout errors carry no reply code.
        assert!(matches!(
            classify(None, "tls".into()),
            Outcome::Retry { .. }
        ));
    }

    #[test]
    fn plain_smtp_is_only_for_a_loopback_relay() {
        for host in ["127.0.0.1", "::1", "[::1]", "localhost", "127.0.0.53"] {
            assert!(is_loopback(host), "{host}");
        }
        for host in [
            "192.0.2.1",
            "mail.example.com",
            "2001:db8::1",
            "localhost.example.com",
        ] {
            assert!(!is_loopback(host), "{host}");
        }
        let mut config = clawguard_config::SinkConfig::journal("mail");
        config.kind = clawguard_config::SinkType::Email;
        config.smtp_host = Some("192.0.2.25".into());
        config.smtp_tls = SmtpTls::None;
        config.from = Some("clawguard@example.com".into());
        config.to = vec!["ops@example.com".into()];
        let err = Email::build(&config, &|_| None).err().unwrap().to_string();
        assert!(
            err.contains("sink mail") && err.contains("loopback"),
            "{err}"
        );
        config.smtp_host = Some("127.0.0.1".into());
        assert!(Email::build(&config, &|_| None).is_ok());
    }

    #[test]
    fn the_message_has_a_stable_id_and_no_auto_reply_header() {
        let mut config = clawguard_config::SinkConfig::journal("mail");
        config.kind = clawguard_config::SinkType::Email;
        config.smtp_host = Some("127.0.0.1".into());
        config.smtp_tls = SmtpTls::None;
        config.from = Some("clawguard <clawguard@example.com>".into());
        config.to = vec!["ops@example.com".into(), "sec@example.com".into()];
        let email = Email::build(&config, &|_| None).unwrap();
        let n = notification(vec![line("pairing auto-approved", 4)], 0, 4);
        let raw = String::from_utf8(email.message(&n).unwrap().formatted()).unwrap();
        assert!(
            raw.contains("Message-ID: <clawguard.9.1796626410500@gw1>\r\n"),
            "{raw}"
        );
        assert!(raw.contains("Auto-Submitted: auto-generated\r\n"), "{raw}");
        assert!(
            raw.contains("To: ops@example.com, sec@example.com\r\n"),
            "{raw}"
        );
        assert!(
            raw.contains("Date: Mon, 07 Dec 2026 06:53:30 +0000\r\n"),
            "{raw}"
        );
    }
}
