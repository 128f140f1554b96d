//! `[alert]`: where detections are delivered (sinks), how they are grouped,
//! event rules and log rules.
//!
//! Sinks are one flat table type whose keys depend on `type`; `validate`
//! names a key that is missing for the type or not valid for it. Secrets
//! (`url`, `secret`, `token`, `password`) are read from `*_file` or expanded
//! from `${ENV}` by the alert engine when it builds a sink, never here.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clawguard_event::{Engine, Severity};
use serde::{Deserialize, Serialize};

use crate::{Backend, ConfigError, Seconds};

/// `[alert]`
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct AlertConfig {
    /// Run the alert engine in the daemon.
    pub enabled: bool,
    /// How long a new group waits for more alerts before its first message.
    pub group_wait: Seconds,
    /// How long a group waits after a message before the next one.
    pub group_interval: Seconds,
    /// An alert already sent is sent again (with its count) only after this.
    pub repeat_interval: Seconds,
    /// Labels that make a group: `engine`, `kind`, `rule`, `jail`, `host`, …
    pub group_by: Vec<String>,
    /// `[[alert.sink]]`
    pub sink: Vec<SinkConfig>,
    /// `[[alert.rule]]`: event rules, first match wins (unless `continue`).
    pub rule: Vec<EventRule>,
    /// `[alert.log_rule.NAME]`: regexes over log sources. Built-in rules are
    /// kept; a table of the same name changes only the keys it sets.
    pub log_rule: BTreeMap<String, LogRule>,
}

impl Default for AlertConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            group_wait: Seconds(10),
            group_interval: Seconds(60),
            repeat_interval: Seconds(4 * 3600),
            group_by: vec!["engine".into(), "kind".into(), "rule".into()],
            sink: vec![SinkConfig::journal("log")],
            rule: Vec::new(),
            log_rule: BTreeMap::new(),
        }
    }
}

/// What a sink is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SinkType {
    Webhook,
    Slack,
    Discord,
    Telegram,
    Ntfy,
    Alertmanager,
    Email,
    Syslog,
    Journal,
    Stdout,
}

impl SinkType {
    pub fn name(self) -> &'static str {
        match self {
            SinkType::Webhook => "webhook",
            SinkType::Slack => "slack",
            SinkType::Discord => "discord",
            SinkType::Telegram => "telegram",
            SinkType::Ntfy => "ntfy",
            SinkType::Alertmanager => "alertmanager",
            SinkType::Email => "email",
            SinkType::Syslog => "syslog",
            SinkType::Journal => "journal",
            SinkType::Stdout => "stdout",
        }
    }

    fn is_http(self) -> bool {
        matches!(
            self,
            SinkType::Webhook
                | SinkType::Slack
                | SinkType::Discord
                | SinkType::Telegram
                | SinkType::Ntfy
                | SinkType::Alertmanager
        )
    }
}

/// Email transport security.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    /// Plain connection upgraded with STARTTLS; fails if the server refuses.
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No TLS at all: only for a relay on loopback.
    None,
}

/// Syslog transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SyslogTransport {
    /// The local socket (`/dev/log` unless `address` names another).
    Local,
    Udp,
    Tcp,
    Tls,
}

/// One `[[alert.sink]]`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SinkConfig {
    /// Unique; names the sink in rules, `fallback`, the CLI and the journal
    /// cursor (`alert.NAME`).
    pub name: String,
    #[serde(rename = "type")]
    pub kind: SinkType,
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Alerts below this severity are not sent here.
    #[serde(default = "low")]
    pub min_severity: Severity,
    /// Only alerts from these engines [default: all].
    #[serde(default)]
    pub engines: Vec<Engine>,
    /// The sink that takes over while this one is failing.
    pub fallback: Option<String>,
    /// Per-sink timing overrides.
    pub group_wait: Option<Seconds>,
    pub group_interval: Option<Seconds>,
    pub repeat_interval: Option<Seconds>,
    /// Per-request timeout.
    #[serde(default = "ten_seconds")]
    pub timeout: Seconds,
    /// The most requests this sink has in flight (1 keeps strict order).
    #[serde(default = "one")]
    pub max_in_flight: u32,
    /// A sink failing this long hands its alerts to `fallback`.
    #[serde(default = "one_minute")]
    pub fallback_after: Seconds,

    /// HTTP types: the target. A secret for Slack and Discord (the URL is the
    /// credential): `url_file` or `${ENV}` keep it out of the TOML.
    pub url: Option<String>,
    pub url_file: Option<PathBuf>,
    /// Extra CA certificate (PEM) trusted for this sink (self-hosted receivers).
    pub ca_file: Option<PathBuf>,
    /// `webhook`: HMAC-SHA256 key for `X-Clawguard-Signature`.
    pub secret: Option<String>,
    pub secret_file: Option<PathBuf>,
    /// `telegram`: the bot token; `ntfy`: an access token (`tk_…`).
    pub token: Option<String>,
    pub token_file: Option<PathBuf>,
    /// `telegram`: the chat to post to.
    pub chat_id: Option<String>,

    /// `email`: SMTP relay host and port [default port: 587 starttls, 465 tls, 25 none].
    pub smtp_host: Option<String>,
    pub smtp_port: Option<u16>,
    #[serde(default = "starttls")]
    pub smtp_tls: SmtpTls,
    pub username: Option<String>,
    pub password: Option<String>,
    pub password_file: Option<PathBuf>,
    pub from: Option<String>,
    #[serde(default)]
    pub to: Vec<String>,

    /// `syslog`: transport and `host:port` (or the socket path for `local`).
    pub transport: Option<SyslogTransport>,
    pub address: Option<String>,
    /// `syslog`: facility name [default: authpriv].
    pub facility: Option<String>,
}

/// One `[[alert.rule]]`: selects events, then changes their severity or
/// routing, or drops them.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct EventRule {
    pub name: Option<String>,
    /// Event kinds (`banned`, `file_changed`, `log_matched`, …) [default: all].
    pub kinds: Vec<String>,
    /// Engines [default: all].
    pub engines: Vec<Engine>,
    /// Only events at or above this severity.
    pub min_severity: Option<Severity>,
    /// Field name (as in `clawguard events --json`) → regex that must match
    /// the whole value.
    pub fields: BTreeMap<String, String>,
    /// Set the alert's severity.
    pub severity: Option<Severity>,
    /// Send only to these sinks (their own filters still apply).
    pub sinks: Option<Vec<String>>,
    /// Send nowhere (the event stays in the journal).
    pub drop: bool,
    /// Go on to the next rule after this one matched.
    #[serde(rename = "continue")]
    pub continue_matching: bool,
}

/// One `[alert.log_rule.NAME]` as written; every key optional so a table
/// named like a built-in rule changes only what it sets.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LogRule {
    pub enabled: Option<bool>,
    /// Regexes (Rust syntax); a line matching any of them is an alert.
    pub regex: Option<Vec<String>>,
    /// Lines matching any of these are not.
    pub ignoreregex: Option<Vec<String>>,
    pub severity: Option<Severity>,
    /// The source, as a jail names it.
    pub logpath: Option<Vec<String>>,
    pub backend: Option<Backend>,
    pub journalmatch: Option<String>,
}

impl LogRule {
    pub fn is_enabled(&self) -> bool {
        self.enabled.unwrap_or(true)
    }
    pub fn severity(&self) -> Severity {
        self.severity.unwrap_or(Severity::Medium)
    }

    /// This table over the built-in rule of the same name.
    pub(crate) fn over(self, base: &LogRule) -> LogRule {
        LogRule {
            enabled: self.enabled.or(base.enabled),
            regex: self.regex.or_else(|| base.regex.clone()),
            ignoreregex: self.ignoreregex.or_else(|| base.ignoreregex.clone()),
            severity: self.severity.or(base.severity),
            logpath: self.logpath.or_else(|| base.logpath.clone()),
            backend: self.backend.or(base.backend),
            journalmatch: self.journalmatch.or_else(|| base.journalmatch.clone()),
        }
    }
}

fn yes() -> bool {
    true
}
fn low() -> Severity {
    Severity::Low
}
fn ten_seconds() -> Seconds {
    Seconds(10)
}
fn one_minute() -> Seconds {
    Seconds(60)
}
fn one() -> u32 {
    1
}
fn starttls() -> SmtpTls {
    SmtpTls::Starttls
}

/// Longest sink name: it becomes a journal consumer name.
const MAX_SINK_NAME: usize = 64;

/// What a redacted secret shows.
pub const REDACTED: &str = "<redacted>";

impl AlertConfig {
    /// Secrets written inline replaced by [`REDACTED`], for printing the
    /// config (`check-config`). `${ENV}` references stay: they are not
    /// secrets. Slack's and Discord's URLs are credentials, so they go too.
    pub fn redact_secrets(&mut self) {
        let hide = |value: &mut Option<String>| {
            if let Some(v) = value
                && !v.starts_with("${")
            {
                *v = REDACTED.to_string();
            }
        };
        for sink in &mut self.sink {
            hide(&mut sink.secret);
            hide(&mut sink.token);
            hide(&mut sink.password);
            if matches!(sink.kind, SinkType::Slack | SinkType::Discord) {
                hide(&mut sink.url);
            }
        }
    }

    pub(crate) fn validate(&self, path: &Path) -> Result<(), ConfigError> {
        let bad = |key: String, message: String| ConfigError::Value {
            path: path.to_path_buf(),
            key,
            message,
        };
        for (what, value) in [
            ("group_interval", self.group_interval),
            ("repeat_interval", self.repeat_interval),
        ] {
            if value.0 <= 0 {
                return Err(bad(format!("alert.{what}"), "must be positive".into()));
            }
        }
        if self.group_wait.0 < 0 {
            return Err(bad(
                "alert.group_wait".into(),
                "must not be negative".into(),
            ));
        }
        for label in &self.group_by {
            if label.is_empty() || label.len() > 64 {
                return Err(bad("alert.group_by".into(), format!("bad label {label:?}")));
            }
        }
        let names: Vec<&str> = self.sink.iter().map(|s| s.name.as_str()).collect();
        for (i, sink) in self.sink.iter().enumerate() {
            let key = |k: &str| format!("alert.sink[{i}].{k}");
            let name_ok = !sink.name.is_empty()
                && sink.name.len() <= MAX_SINK_NAME
                && sink
                    .name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
            if !name_ok {
                return Err(bad(
                    key("name"),
                    format!("{:?}: 1 to {MAX_SINK_NAME} of A-Z a-z 0-9 - _ .", sink.name),
                ));
            }
            if names.iter().filter(|n| **n == sink.name).count() > 1 {
                return Err(bad(
                    key("name"),
                    format!("two sinks are named {:?}", sink.name),
                ));
            }
            if let Some(fallback) = &sink.fallback {
                if fallback == &sink.name {
                    return Err(bad(
                        key("fallback"),
                        "a sink cannot fall back to itself".into(),
                    ));
                }
                if !names.contains(&fallback.as_str()) {
                    return Err(bad(key("fallback"), format!("no sink named {fallback:?}")));
                }
            }
            if !(1..=64).contains(&sink.max_in_flight) {
                return Err(bad(key("max_in_flight"), "must be 1 to 64".into()));
            }
            if sink.timeout.0 <= 0 {
                return Err(bad(key("timeout"), "must be positive".into()));
            }
            for (what, value) in [
                ("group_interval", sink.group_interval),
                ("repeat_interval", sink.repeat_interval),
                ("fallback_after", Some(sink.fallback_after)),
            ] {
                if value.is_some_and(|v| v.0 <= 0) {
                    return Err(bad(key(what), "must be positive".into()));
                }
            }
            if sink.group_wait.is_some_and(|v| v.0 < 0) {
                return Err(bad(key("group_wait"), "must not be negative".into()));
            }
            sink.validate_keys().map_err(|(k, m)| bad(key(k), m))?;
        }
        for (i, rule) in self.rule.iter().enumerate() {
            let key = |k: &str| format!("alert.rule[{i}].{k}");
            if let Some(sinks) = &rule.sinks {
                for s in sinks {
                    if !names.contains(&s.as_str()) {
                        return Err(bad(key("sinks"), format!("no sink named {s:?}")));
                    }
                }
            }
            for (field, pattern) in &rule.fields {
                if let Err(e) = regex_syntax::Parser::new().parse(pattern) {
                    return Err(bad(key(&format!("fields.{field}")), e.to_string()));
                }
            }
        }
        for (name, rule) in &self.log_rule {
            let key = |k: &str| format!("alert.log_rule.{name}.{k}");
            if !rule.is_enabled() {
                continue;
            }
            let regexes = rule.regex.as_deref().unwrap_or_default();
            if regexes.is_empty() {
                return Err(bad(
                    key("regex"),
                    "an enabled log rule needs a regex".into(),
                ));
            }
            for pattern in regexes.iter().chain(rule.ignoreregex.iter().flatten()) {
                if let Err(e) = regex_syntax::Parser::new().parse(pattern) {
                    return Err(bad(key("regex"), e.to_string()));
                }
            }
            let backend = rule.backend.unwrap_or(Backend::Auto);
            let has_paths = rule.logpath.as_ref().is_some_and(|p| !p.is_empty());
            let has_match = rule.journalmatch.is_some();
            // What the source resolution reads for each backend: a rule
            // without it would read nothing.
            let (has_source, missing) = match backend {
                Backend::Systemd => (has_match, "journalmatch"),
                Backend::Files | Backend::Openclaw => (has_paths, "logpath"),
                Backend::Auto => (has_paths || has_match, "logpath"),
            };
            if !has_source {
                return Err(bad(
                    key(missing),
                    "a log rule needs a logpath (or backend = \"systemd\" with a journalmatch)"
                        .into(),
                ));
            }
        }
        Ok(())
    }
}

impl SinkConfig {
    /// A sink of type `journal` (the daemon's log) with every default.
    pub fn journal(name: &str) -> SinkConfig {
        SinkConfig {
            name: name.into(),
            kind: SinkType::Journal,
            enabled: true,
            min_severity: low(),
            engines: Vec::new(),
            fallback: None,
            group_wait: None,
            group_interval: None,
            repeat_interval: None,
            timeout: ten_seconds(),
            max_in_flight: one(),
            fallback_after: one_minute(),
            url: None,
            url_file: None,
            ca_file: None,
            secret: None,
            secret_file: None,
            token: None,
            token_file: None,
            chat_id: None,
            smtp_host: None,
            smtp_port: None,
            smtp_tls: starttls(),
            username: None,
            password: None,
            password_file: None,
            from: None,
            to: Vec::new(),
            transport: None,
            address: None,
            facility: None,
        }
    }

    /// Checks that the keys this sink's type needs are there and that keys of
    /// other types are not. Returns (key, message).
    fn validate_keys(&self) -> Result<(), (&'static str, String)> {
        let kind = self.kind;
        let both = |a: &Option<String>, b: &Option<PathBuf>, name: &'static str| {
            if a.is_some() && b.is_some() {
                Err((name, format!("give {name} or {name}_file, not both")))
            } else {
                Ok(a.is_some() || b.is_some())
            }
        };
        let has_url = both(&self.url, &self.url_file, "url")?;
        let has_secret = both(&self.secret, &self.secret_file, "secret")?;
        let has_token = both(&self.token, &self.token_file, "token")?;
        let has_password = both(&self.password, &self.password_file, "password")?;
        let only = |present: bool, key: &'static str, types: &str| {
            if present {
                Err((
                    key,
                    format!("not a key of {} sinks (only {types})", kind.name()),
                ))
            } else {
                Ok(())
            }
        };
        if kind.is_http() {
            if kind != SinkType::Telegram && !has_url {
                return Err((
                    "url",
                    format!("a {} sink needs a url (or url_file)", kind.name()),
                ));
            }
            // The URL is not quoted: for Slack and Discord it is the secret.
            if let Some(url) = &self.url
                && !url.contains("${")
                && !(url.starts_with("http://") || url.starts_with("https://"))
            {
                return Err(("url", "not an http:// or https:// URL".into()));
            }
        } else {
            only(has_url, "url", "HTTP sinks")?;
            only(
                self.ca_file.is_some() && kind != SinkType::Email && kind != SinkType::Syslog,
                "ca_file",
                "HTTP, email and syslog sinks",
            )?;
        }
        if kind == SinkType::Webhook && !has_secret {
            // Every webhook request is signed, so receivers can reject
            // forgeries and replays.
            return Err((
                "secret",
                "a webhook sink needs a secret (or secret_file): its requests are signed".into(),
            ));
        }
        if kind != SinkType::Webhook {
            only(has_secret, "secret", "webhook")?;
        }
        match kind {
            SinkType::Telegram => {
                if !has_token {
                    return Err((
                        "token",
                        "a telegram sink needs the bot token (token or token_file)".into(),
                    ));
                }
                if self.chat_id.is_none() {
                    return Err(("chat_id", "a telegram sink needs a chat_id".into()));
                }
            }
            SinkType::Ntfy => {}
            _ => {
                only(has_token, "token", "telegram and ntfy")?;
                only(self.chat_id.is_some(), "chat_id", "telegram")?;
            }
        }
        if kind == SinkType::Email {
            if self.smtp_host.is_none() {
                return Err(("smtp_host", "an email sink needs smtp_host".into()));
            }
            if self.from.is_none() {
                return Err(("from", "an email sink needs a from address".into()));
            }
            if self.to.is_empty() {
                return Err(("to", "an email sink needs at least one to address".into()));
            }
            if has_password && self.username.is_none() {
                return Err(("username", "a password needs a username".into()));
            }
        } else {
            only(self.smtp_host.is_some(), "smtp_host", "email")?;
            only(self.smtp_port.is_some(), "smtp_port", "email")?;
            only(self.username.is_some(), "username", "email")?;
            only(has_password, "password", "email")?;
            only(self.from.is_some(), "from", "email")?;
            only(!self.to.is_empty(), "to", "email")?;
        }
        if kind == SinkType::Syslog {
            let transport = self.transport.unwrap_or(SyslogTransport::Local);
            if transport != SyslogTransport::Local && self.address.is_none() {
                return Err((
                    "address",
                    "a network syslog sink needs address = \"host:port\"".into(),
                ));
            }
            if let Some(facility) = &self.facility
                && facility_code(facility).is_none()
            {
                return Err(("facility", format!("{facility:?} is not a syslog facility")));
            }
        } else {
            only(self.transport.is_some(), "transport", "syslog")?;
            only(self.address.is_some(), "address", "syslog")?;
            only(self.facility.is_some(), "facility", "syslog")?;
        }
        Ok(())
    }
}

/// The numeric code of a syslog facility name (RFC 5424 table 1).
pub fn facility_code(name: &str) -> Option<u8> {
    Some(match name {
        "kern" => 0,
        "user" => 1,
        "mail" => 2,
        "daemon" => 3,
        "auth" => 4,
        "syslog" => 5,
        "lpr" => 6,
        "news" => 7,
        "uucp" => 8,
        "cron" => 9,
        "authpriv" => 10,
        "ftp" => 11,
        "local0" => 16,
        "local1" => 17,
        "local2" => 18,
        "local3" => 19,
        "local4" => 20,
        "local5" => 21,
        "local6" => 22,
        "local7" => 23,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use crate::Config;
    use std::path::Path;

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse(text, Path::new("t.toml")).map_err(|e| e.to_string())
    }

    #[test]
    fn a_webhook_needs_a_secret_and_errors_never_quote_a_url() {
        let err =
            parse("[[alert.sink]]\nname = \"w\"\ntype = \"webhook\"\nurl = \"https://x/y\"\n")
                .unwrap_err();
        assert!(err.contains("alert.sink[0].secret"), "{err}");
        let err = parse(
            "[[alert.sink]]\nname = \"s\"\ntype = \"slack\"\nurl = \"hooks.slack.com/services/T0/B0/SECRETPART\"\n",
        )
        .unwrap_err();
        assert!(err.contains("alert.sink[0].url"), "{err}");
        assert!(!err.contains("SECRETPART"), "{err}");
    }

    #[test]
    fn per_sink_timers_are_checked_like_the_global_ones() {
        let err =
            parse("[[alert.sink]]\nname = \"l\"\ntype = \"journal\"\ngroup_interval = \"0\"\n")
                .unwrap_err();
        assert!(err.contains("alert.sink[0].group_interval"), "{err}");
        let err = parse("[[alert.sink]]\nname = \"l\"\ntype = \"journal\"\ngroup_wait = -1\n")
            .unwrap_err();
        assert!(err.contains("alert.sink[0].group_wait"), "{err}");
    }

    #[test]
    fn redaction_hides_inline_secrets_and_chat_urls_but_not_env_references() {
        let mut config = parse(
            "[[alert.sink]]\nname = \"s\"\ntype = \"slack\"\nurl = \"https://hooks.slack.com/services/SECRET\"\n\
             [[alert.sink]]\nname = \"w\"\ntype = \"webhook\"\nurl = \"https://example.com/h\"\nsecret = \"${HOOK_SECRET}\"\n\
             [[alert.sink]]\nname = \"t\"\ntype = \"telegram\"\ntoken = \"123:ABC\"\nchat_id = \"1\"\n",
        )
        .unwrap();
        config.alert.redact_secrets();
        let text = config.to_toml();
        assert!(!text.contains("SECRET\""), "{text}");
        assert!(!text.contains("123:ABC"), "{text}");
        assert!(text.contains("${HOOK_SECRET}"));
        assert!(text.contains("https://example.com/h"));
    }
}
