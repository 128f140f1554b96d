//! Sinks: how a [`Notification`] reaches a receiver. One closed enum of
//! transports; each renders the notification within its service's limits
//! and classifies the answer as delivered, worth retrying, or refused for
//! good.

use std::time::Duration;

use clawguard_config::{SinkConfig, SinkType};

use crate::{AlertError, Notification};

mod alertmanager;
pub mod ca;
mod chat;
pub mod email;
pub mod http;
pub mod syslog;
pub mod webhook;

/// What became of one attempt to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The receiver accepted it.
    Delivered,
    /// Try again: 5xx, 408, 429, a timeout, a connection error. `after` is
    /// the receiver's `Retry-After` (or `retry_after`) when it gave one.
    Retry {
        after: Option<Duration>,
        error: String,
    },
    /// Refused for good (4xx other than 408/429, a rejected recipient):
    /// the notification goes to the dead-letter table.
    Permanent { error: String },
}

/// A sink ready to send.
pub struct Sink {
    pub name: String,
    pub kind: SinkType,
    transport: Transport,
}

enum Transport {
    Stdout,
    Journal,
    Http(http::HttpSink),
    Email(Box<email::Email>),
    Syslog(syslog::Syslog),
}

impl Sink {
    /// Build a sink from its config, resolving its secrets with `env`.
    pub fn build(
        config: &SinkConfig,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Sink, AlertError> {
        let transport = match config.kind {
            SinkType::Stdout => Transport::Stdout,
            SinkType::Journal => Transport::Journal,
            SinkType::Webhook
            | SinkType::Slack
            | SinkType::Discord
            | SinkType::Telegram
            | SinkType::Ntfy
            | SinkType::Alertmanager => Transport::Http(http::HttpSink::build(config, env)?),
            SinkType::Email => Transport::Email(Box::new(email::Email::build(config, env)?)),
            SinkType::Syslog => Transport::Syslog(syslog::Syslog::build(config)?),
        };
        Ok(Sink {
            name: config.name.clone(),
            kind: config.kind,
            transport,
        })
    }

    /// Send one notification. `now_ms` is the signing time for webhooks.
    pub async fn send(&self, notification: &Notification, now_ms: i64) -> Outcome {
        match &self.transport {
            Transport::Http(sink) => sink.send(notification, now_ms).await,
            Transport::Stdout => {
                match serde_json::to_string(notification) {
                    Ok(line) => println!("{line}"),
                    Err(e) => {
                        return Outcome::Permanent {
                            error: e.to_string(),
                        };
                    }
                }
                Outcome::Delivered
            }
            Transport::Journal => {
                // At warn or error, so the default log level shows it.
                let title = notification.title();
                if notification.severity >= clawguard_event::Severity::High {
                    tracing::error!(target: "clawguard::alert", sink = %self.name, "{title}");
                } else {
                    tracing::warn!(target: "clawguard::alert", sink = %self.name, "{title}");
                }
                Outcome::Delivered
            }
            Transport::Email(email) => email.send(notification).await,
            Transport::Syslog(syslog) => syslog.send(notification).await,
        }
    }
}
