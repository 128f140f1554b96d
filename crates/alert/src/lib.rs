//! The alert engine: every event in the journal reaches a person.
//!
//! Each sink reads the journal by its own cursor. Events go through the event
//! rules ([`rules`]), become alerts, are folded into groups ([`group`], pure,
//! Alertmanager's timers), and each group flush becomes one [`Notification`]
//! in the sink's durable outbox ([`outbox`], SQLite). A sink sends its
//! outbox in order ([`sink`]) with backoff and jitter ([`backoff`], pure);
//! what a receiver refuses for good goes to the dead-letter table.

pub mod backoff;
pub mod engine;
pub mod group;
pub mod labels;
pub mod notification;
pub mod outbox;
pub mod rules;
pub mod secret;
pub mod sink;

pub use notification::{AlertLine, Notification};
pub use sink::webhook::verify_signature;

/// Errors of the alert engine.
#[derive(Debug, thiserror::Error)]
pub enum AlertError {
    /// A sink's secret could not be read or expanded.
    #[error("sink {sink}: key `{key}`: {message}")]
    Secret {
        sink: String,
        key: String,
        message: String,
    },
    /// A sink could not be built from its config.
    #[error("sink {sink}: {message}")]
    Sink { sink: String, message: String },
    /// The outbox database.
    #[error("{path}: {source}")]
    Store {
        path: std::path::PathBuf,
        #[source]
        source: rusqlite::Error,
    },
}

/// Check what the config alone cannot: the event rules compile and every
/// enabled sink builds (its secrets resolve, its CA file reads). The daemon
/// runs this at start and on reload, so a bad `[alert]` changes nothing.
pub fn check(config: &clawguard_config::Config) -> Result<(), AlertError> {
    if !config.alert.enabled {
        return Ok(());
    }
    rules::Rules::compile(&config.alert.rule).map_err(|message| AlertError::Sink {
        sink: "*".into(),
        message,
    })?;
    for sink in config.alert.sink.iter().filter(|s| s.enabled) {
        sink::Sink::build(sink, &secret::process_env)?;
    }
    Ok(())
}
