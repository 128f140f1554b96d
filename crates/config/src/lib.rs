//! clawguard's configuration: TOML, validated when read.
//!
//! One file (`/etc/clawguard/clawguard.toml` by default). Every key has a
//! built-in default, taken from `default.toml` which is embedded in the binary;
//! with no file at all those defaults apply. Unknown keys are errors that name
//! the file, the line and the key.
//!
//! This crate only parses and validates. It does not look at the fail2ban
//! directory or the filesystem beyond reading the one file it is given.

mod alert;
mod duration;
mod fim;
mod skills;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ipnet::IpNet;
use serde::{Deserialize, Serialize};

pub use alert::{
    AlertConfig, EventRule, LogRule, SinkConfig, SinkType, SmtpTls, SyslogTransport, facility_code,
};
pub use duration::{Seconds, parse_duration};
pub use fim::{FimConfig, FimWatch};
pub use skills::{SkillSuppression, SkillsConfig};

/// The default config file location.
pub const DEFAULT_PATH: &str = "/etc/clawguard/clawguard.toml";

/// The built-in configuration text.
pub const DEFAULT_TOML: &str = include_str!("default.toml");

/// The only config format version this build understands.
pub const VERSION: u32 = 1;

/// Largest config (or suppression) file read; real ones are a few KiB.
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// Errors reading or validating a config file.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A syntax error, an unknown key or a bad value, at a place in the file.
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    /// A value that is well-formed but not acceptable, named by its key path.
    #[error("{path}: key `{key}`: {message}")]
    Value {
        path: PathBuf,
        key: String,
        message: String,
    },
    /// A [`ConfigError::Value`] found in the file, with the line it is on.
    #[error("{path}:{line}: key `{key}`: {message}")]
    ValueAt {
        path: PathBuf,
        line: usize,
        key: String,
        message: String,
    },
    /// The config path is a FIFO, a device, a directory…: never read.
    #[error("{path}: {why}")]
    NotRegular { path: PathBuf, why: String },
    #[error("{path}: larger than {max} bytes")]
    TooLarge { path: PathBuf, max: u64 },
}

/// The whole configuration, after validation.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Optional: a file without it is read as version 1.
    #[serde(default = "version_one")]
    pub version: u32,
    #[serde(default)]
    pub daemon: DaemonConfig,
    #[serde(default)]
    pub firewall: FirewallConfig,
    #[serde(default)]
    pub ban: BanConfig,
    #[serde(default)]
    pub fail2ban: Fail2banConfig,
    /// Jails by name. Built-in jails are kept; a table of the same name
    /// changes only the keys it sets.
    #[serde(default, deserialize_with = "jail_tables")]
    pub jail: BTreeMap<String, JailConfig>,
    /// `[fim]`: file integrity monitoring.
    #[serde(default)]
    pub fim: FimConfig,
    /// `[skills]`: the skill auditor.
    #[serde(default)]
    pub skills: SkillsConfig,
    /// `[journal]`: the durable event journal every engine writes to.
    #[serde(default)]
    pub journal: JournalConfig,
    /// `[alert]`: sinks, grouping, event rules and log rules.
    #[serde(default)]
    pub alert: AlertConfig,
}

/// `[journal]`
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct JournalConfig {
    /// Events older than this are deleted.
    pub max_age: Seconds,
    /// Most events kept.
    pub max_events: u64,
    /// Most bytes of event bodies kept (the file adds SQLite's overhead).
    pub max_bytes: u64,
    /// The host name events carry [default: the kernel's host name].
    pub host: Option<String>,
}

impl Default for JournalConfig {
    fn default() -> Self {
        Self {
            max_age: Seconds(30 * 24 * 3600),
            max_events: 1_000_000,
            max_bytes: 256 << 20,
            host: None,
        }
    }
}

/// `[daemon]`
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct DaemonConfig {
    pub state_dir: PathBuf,
    pub log_level: String,
}

/// `[firewall]`
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct FirewallConfig {
    pub enabled: bool,
    pub check_interval: Seconds,
}

/// `[ban]`: settings for every jail, and the defaults jails inherit.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct BanConfig {
    pub ignoreip: Vec<String>,
    pub ignoreself: bool,
    pub ipv4_prefix: u8,
    pub ipv6_prefix: u8,
    /// Addresses or CIDRs, as fail2ban's address lists.
    #[serde(deserialize_with = "trusted_proxy_list")]
    pub trusted_proxies: Vec<IpNet>,
    pub maxretry: u32,
    pub findtime: Seconds,
    pub bantime: Seconds,
    pub increment: IncrementConfig,
}

/// `bantime.increment`, as in fail2ban.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct IncrementConfig {
    pub enabled: bool,
    pub factor: f64,
    pub formula: Option<String>,
    pub multipliers: Vec<u64>,
    pub maxtime: Option<Seconds>,
    pub rndtime: Option<Seconds>,
    pub overalljails: bool,
}

/// `[fail2ban]`
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Fail2banConfig {
    /// fail2ban configuration directory to import jails and filters from.
    pub dir: Option<PathBuf>,
}

/// Where a jail reads its lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// The files in `logpath`, or the journal when none exists and the jail
    /// has a `journalmatch`.
    Auto,
    /// Files only (inotify).
    Files,
    /// The systemd journal.
    Systemd,
    /// The newest OpenClaw gateway log in the `logpath` directories.
    Openclaw,
}

/// `[jail.NAME]`. Unset values inherit from `[ban]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JailConfig {
    pub enabled: bool,
    /// A fail2ban filter name (`sshd`, `sshd[mode=aggressive]`), a path, or a
    /// built-in filter (`openclaw-gateway`). Empty only in a disabled jail.
    pub filter: String,
    pub logpath: Vec<String>,
    pub backend: Backend,
    pub journalmatch: Option<String>,
    pub maxretry: Option<u32>,
    pub findtime: Option<Seconds>,
    pub bantime: Option<Seconds>,
    pub ignoreip: Vec<String>,
    pub increment: Option<IncrementConfig>,
    /// `backend = "openclaw"`: the users (names or numeric uids) whose gateway
    /// logs may feed bans, instead of auto-detecting gateway users.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_owners: Option<Vec<String>>,
    /// `log_owners` resolved to uids through `/etc/passwd` when the config was built.
    #[serde(skip)]
    pub log_owner_uids: Option<Vec<u32>>,
}

/// A `[jail.NAME]` table as written: every key optional, so a table named
/// like a built-in jail changes only what it sets (`enabled = false` alone
/// turns it off), as a fail2ban `jail.local` section does.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct JailTable {
    enabled: Option<bool>,
    filter: Option<String>,
    logpath: Option<Vec<String>>,
    backend: Option<Backend>,
    journalmatch: Option<String>,
    maxretry: Option<u32>,
    findtime: Option<Seconds>,
    bantime: Option<Seconds>,
    ignoreip: Option<Vec<String>>,
    increment: Option<IncrementConfig>,
    log_owners: Option<Vec<String>>,
}

impl JailTable {
    /// This table over `base` (the built-in jail of the same name, if any).
    fn over(self, base: Option<&JailTable>) -> JailConfig {
        let base = base.cloned().unwrap_or_default();
        JailConfig {
            enabled: self.enabled.or(base.enabled).unwrap_or(true),
            // Left empty when missing; `validate` names the key.
            filter: self.filter.or(base.filter).unwrap_or_default(),
            logpath: self.logpath.or(base.logpath).unwrap_or_default(),
            backend: self.backend.or(base.backend).unwrap_or(Backend::Auto),
            journalmatch: self.journalmatch.or(base.journalmatch),
            maxretry: self.maxretry.or(base.maxretry),
            findtime: self.findtime.or(base.findtime),
            bantime: self.bantime.or(base.bantime),
            ignoreip: self.ignoreip.or(base.ignoreip).unwrap_or_default(),
            increment: self.increment.or(base.increment),
            log_owners: self.log_owners.or(base.log_owners),
            log_owner_uids: None,
        }
    }
}

/// The built-in jails as tables, the base a same-named table is laid over.
fn builtin_jail_tables() -> &'static BTreeMap<String, JailTable> {
    #[derive(Deserialize)]
    struct DefaultJails {
        jail: BTreeMap<String, JailTable>,
    }
    static TABLES: std::sync::OnceLock<BTreeMap<String, JailTable>> = std::sync::OnceLock::new();
    TABLES.get_or_init(|| {
        let defaults: DefaultJails =
            toml::from_str(DEFAULT_TOML).expect("embedded default.toml is valid");
        defaults.jail
    })
}

fn jail_tables<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<String, JailConfig>, D::Error> {
    let tables = BTreeMap::<String, JailTable>::deserialize(deserializer)?;
    let builtin = builtin_jail_tables();
    Ok(tables
        .into_iter()
        .map(|(name, table)| {
            let jail = table.over(builtin.get(&name));
            (name, jail)
        })
        .collect())
}

fn trusted_proxy_list<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<IpNet>, D::Error> {
    let entries = Vec::<String>::deserialize(deserializer)?;
    entries
        .iter()
        .map(|entry| {
            parse_address_or_net(entry).ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "trusted_proxies entry {entry:?} is not an IP address or CIDR"
                ))
            })
        })
        .collect()
}

/// `192.0.2.1`, `2001:db8::1` (a single address) or `198.51.100.0/24`.
pub fn parse_address_or_net(entry: &str) -> Option<IpNet> {
    let entry = entry.trim();
    entry
        .parse::<IpNet>()
        .ok()
        .or_else(|| entry.parse::<std::net::IpAddr>().ok().map(IpNet::from))
}

fn version_one() -> u32 {
    VERSION
}

impl Default for DaemonConfig {
    fn default() -> Self {
        Self {
            state_dir: PathBuf::from("/var/lib/clawguard"),
            log_level: "info".into(),
        }
    }
}

impl Default for FirewallConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            check_interval: Seconds(2),
        }
    }
}

impl Default for BanConfig {
    fn default() -> Self {
        Self {
            ignoreip: Vec::new(),
            ignoreself: true,
            ipv4_prefix: 32,
            ipv6_prefix: 64,
            trusted_proxies: Vec::new(),
            maxretry: 5,
            findtime: Seconds(600),
            bantime: Seconds(600),
            increment: IncrementConfig::default(),
        }
    }
}

impl Default for IncrementConfig {
    fn default() -> Self {
        Self {
            enabled: false,
            factor: 1.0,
            formula: None,
            multipliers: Vec::new(),
            maxtime: None,
            rndtime: None,
            overalljails: false,
        }
    }
}

impl Default for Fail2banConfig {
    fn default() -> Self {
        Self {
            dir: Some(PathBuf::from("/etc/fail2ban")),
        }
    }
}

/// The embedded defaults (`default.toml`), parsed once.
pub fn builtin() -> &'static Config {
    static BUILTIN: std::sync::OnceLock<Config> = std::sync::OnceLock::new();
    BUILTIN.get_or_init(|| {
        let config: Config = toml::from_str(DEFAULT_TOML).expect("embedded default.toml is valid");
        config
    })
}

impl Config {
    /// Parse config text; `path` is only used in error messages.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        Config::parse_unlocated(text, path).map_err(|e| locate(e, text))
    }

    fn parse_unlocated(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let mut config: Config = toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map(|span| line_and_column(text, span.start))
                .unwrap_or((0, 0));
            ConfigError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message: e.message().trim().to_string(),
            }
        })?;
        // Built-in jails stay unless the file redefines them by name.
        for (name, jail) in &builtin().jail {
            config
                .jail
                .entry(name.clone())
                .or_insert_with(|| jail.clone());
        }
        // Built-in log rules likewise; a table of the same name overrides keys.
        for (name, rule) in &builtin().alert.log_rule {
            let merged = match config.alert.log_rule.remove(name) {
                Some(table) => table.over(rule),
                None => rule.clone(),
            };
            config.alert.log_rule.insert(name.clone(), merged);
        }
        config.validate(path)?;
        config.resolve_log_owners(path, Path::new(clawguard_sys::passwd::PASSWD_PATH))?;
        Ok(config)
    }

    /// Resolves every jail's `log_owners` to uids, reading `passwd` (the
    /// `/etc/passwd` path) once and only when some jail sets the key.
    fn resolve_log_owners(&mut self, path: &Path, passwd: &Path) -> Result<(), ConfigError> {
        if self.jail.values().all(|j| j.log_owners.is_none()) {
            return Ok(());
        }
        let mut passwd_text = None;
        for (name, jail) in &mut self.jail {
            let Some(owners) = &jail.log_owners else {
                continue;
            };
            let key = format!("jail.{name}.log_owners");
            let bad = |message: String| ConfigError::Value {
                path: path.to_path_buf(),
                key: key.clone(),
                message,
            };
            if jail.backend != Backend::Openclaw {
                return Err(bad("only valid with backend = \"openclaw\"".into()));
            }
            let mut uids = Vec::with_capacity(owners.len());
            for owner in owners {
                let owner = owner.trim();
                if !owner.is_empty() && owner.bytes().all(|b| b.is_ascii_digit()) {
                    uids.push(
                        owner
                            .parse::<u32>()
                            .map_err(|_| bad(format!("uid {owner} is out of range")))?,
                    );
                    continue;
                }
                if passwd_text.is_none() {
                    passwd_text = Some(
                        read_regular_file(passwd, clawguard_sys::passwd::MAX_PASSWD_BYTES)
                            .map_err(|e| bad(format!("cannot look up user {owner:?}: {e}")))?,
                    );
                }
                let text = passwd_text.as_deref().unwrap_or_default();
                let uid = uid_of_user(text, owner).ok_or_else(|| {
                    bad(format!(
                        "no user {owner:?} in {} (give a user name or a numeric uid)",
                        passwd.display()
                    ))
                })?;
                uids.push(uid);
            }
            jail.log_owner_uids = Some(uids);
        }
        Ok(())
    }

    /// Read and validate a config file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = read_regular_file(path, MAX_CONFIG_BYTES)?;
        Config::parse(&text, path)
    }

    /// The file at `path` if it exists, else the built-in defaults. An explicit
    /// path (`explicit = true`) must exist.
    pub fn load_or_default(path: &Path, explicit: bool) -> Result<Config, ConfigError> {
        if !explicit && !path.exists() {
            return Ok(builtin().clone());
        }
        Config::load(path)
    }

    fn validate(&self, path: &Path) -> Result<(), ConfigError> {
        let bad = |key: &str, message: String| ConfigError::Value {
            path: path.to_path_buf(),
            key: key.to_string(),
            message,
        };
        if self.version != VERSION {
            return Err(bad(
                "version",
                format!(
                    "unsupported version {}, this build reads version {VERSION}",
                    self.version
                ),
            ));
        }
        if !(1..=32).contains(&self.ban.ipv4_prefix) {
            return Err(bad(
                "ban.ipv4_prefix",
                format!("{} is not in 1..=32", self.ban.ipv4_prefix),
            ));
        }
        if !(1..=128).contains(&self.ban.ipv6_prefix) {
            return Err(bad(
                "ban.ipv6_prefix",
                format!("{} is not in 1..=128", self.ban.ipv6_prefix),
            ));
        }
        if self.firewall.check_interval.0 <= 0 {
            return Err(bad(
                "firewall.check_interval",
                "must be at least one second".into(),
            ));
        }
        for (name, jail) in &self.jail {
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            {
                return Err(bad(
                    &format!("jail.{name}"),
                    "jail names use only letters, digits, '-', '_' and '.'".into(),
                ));
            }
            if jail.maxretry == Some(0) {
                return Err(bad(
                    &format!("jail.{name}.maxretry"),
                    "must be at least 1".into(),
                ));
            }
            if jail.enabled && jail.filter.trim().is_empty() {
                return Err(bad(
                    &format!("jail.{name}.filter"),
                    "missing or empty: an enabled jail needs a filter".into(),
                ));
            }
            if jail.findtime.is_some_and(|t| t.0 <= 0) {
                return Err(bad(
                    &format!("jail.{name}.findtime"),
                    "must be at least one second".into(),
                ));
            }
            if let Some(text) = &jail.journalmatch {
                check_journalmatch(text)
                    .map_err(|m| bad(&format!("jail.{name}.journalmatch"), m))?;
            }
        }
        if self.ban.findtime.0 <= 0 {
            return Err(bad("ban.findtime", "must be at least one second".into()));
        }
        if self.ban.maxretry == 0 {
            return Err(bad("ban.maxretry", "must be at least 1".into()));
        }
        if self.journal.max_age.0 < 60 {
            return Err(bad("journal.max_age", "must be at least one minute".into()));
        }
        if self.journal.max_events < 1_000 {
            return Err(bad("journal.max_events", "must be at least 1000".into()));
        }
        if self.journal.max_bytes < 1 << 20 {
            return Err(bad(
                "journal.max_bytes",
                "must be at least 1048576 (1 MiB)".into(),
            ));
        }
        if let Some(host) = &self.journal.host
            && (host.is_empty() || host.len() > 253 || host.chars().any(|c| c.is_control()))
        {
            return Err(bad(
                "journal.host",
                "a host name of 1-253 printable characters".into(),
            ));
        }
        self.fim.validate(path)?;
        self.skills.validate(path)?;
        self.alert.validate(path)?;
        Ok(())
    }

    /// The effective config as TOML, for `check-config`.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_else(|e| format!("# cannot render: {e}\n"))
    }
}

/// The uid of `user` in `passwd` (the text of `/etc/passwd`).
fn uid_of_user(passwd: &str, user: &str) -> Option<u32> {
    clawguard_sys::passwd::users(passwd)
        .find(|u| u.name == user)
        .map(|u| u.uid)
}

/// Checks journalctl-style matches: `FIELD=value` terms separated by
/// whitespace, alternatives joined by a lone `+` (or a newline).
pub fn check_journalmatch(text: &str) -> Result<(), String> {
    let mut terms: Vec<&str> = Vec::new();
    for line in text.split('\n') {
        let tokens: Vec<&str> = line.split_whitespace().collect();
        let Some(first) = tokens.first() else {
            continue;
        };
        // A newline between two terms is an alternative, as `+` is.
        if terms.last().is_some_and(|t| *t != "+") && *first != "+" {
            terms.push("+");
        }
        terms.extend(tokens);
    }
    if terms.is_empty() {
        return Err("no match in it".into());
    }
    check_journal_terms(terms.iter().copied()).map_err(|term| {
        format!("{text:?}: {term:?} is not FIELD=value (FIELD of A-Z, 0-9, _) or a `+` between two of them")
    })
}

/// The one check of journal match terms, for the config and for the
/// journal source, which hands them to `journalctl` as arguments: each is
/// `FIELD=value` with FIELD of `A-Z0-9_`, not starting with a digit, at most
/// 64 bytes, and no NUL anywhere (so nothing can look like an option), or a
/// lone `+` between two terms. Returns the first bad term.
pub fn check_journal_terms<'a>(terms: impl IntoIterator<Item = &'a str>) -> Result<(), String> {
    let mut previous_was_term = false;
    let mut any = false;
    for term in terms {
        any = true;
        if term == "+" {
            if !previous_was_term {
                return Err(term.to_owned());
            }
            previous_was_term = false;
            continue;
        }
        let Some((field, _value)) = term.split_once('=') else {
            return Err(term.to_owned());
        };
        let field_ok = !field.is_empty()
            && field.len() <= 64
            && !field.as_bytes()[0].is_ascii_digit()
            && field
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
        if !field_ok || term.contains('\0') {
            return Err(term.to_owned());
        }
        previous_was_term = true;
    }
    if any && !previous_was_term {
        return Err("+".to_owned());
    }
    Ok(())
}

/// Reads a file the config names (or the config itself): a regular file
/// only, opened without blocking (a FIFO would wait for a writer), and at
/// most `max_bytes` long.
pub fn read_regular_file(path: &Path, max_bytes: u64) -> Result<String, ConfigError> {
    use clawguard_sys::regular_file::{self, Follow};
    regular_file::read_text(path, Follow::Yes, max_bytes).map_err(|source| match source.kind() {
        std::io::ErrorKind::InvalidInput => ConfigError::NotRegular {
            path: path.to_path_buf(),
            why: source.to_string(),
        },
        std::io::ErrorKind::FileTooLarge => ConfigError::TooLarge {
            path: path.to_path_buf(),
            max: max_bytes,
        },
        _ => ConfigError::Read {
            path: path.to_path_buf(),
            source,
        },
    })
}

/// Adds the line to a [`ConfigError::Value`]: the line of the key, or of the
/// nearest table above it that the file writes (none when the value comes
/// from the built-in defaults).
pub(crate) fn locate(error: ConfigError, text: &str) -> ConfigError {
    let ConfigError::Value { path, key, message } = error else {
        return error;
    };
    match key_line(text, &key) {
        Some(line) => ConfigError::ValueAt {
            path,
            line,
            key,
            message,
        },
        None => ConfigError::Value { path, key, message },
    }
}

/// Line of `key` (`ban.findtime`, `jail.web.filter`, `fim.watch[0].rule`)
/// in `text`, or of its deepest part present there.
fn key_line(text: &str, key: &str) -> Option<usize> {
    use toml::de::{DeTable, DeValue};
    let root = DeValue::Table(DeTable::parse(text).ok()?.into_inner());
    let mut span = None;
    let mut value = &root;
    let segments: Vec<&str> = key.split('.').collect();
    let mut i = 0;
    while i < segments.len() {
        // Jail names may hold dots: try the longest name present.
        let mut found = None;
        for end in (i + 1..=segments.len()).rev() {
            let joined = segments[i..end].join(".");
            let (name, index) = match joined.split_once('[') {
                Some((name, rest)) => (
                    name.to_string(),
                    rest.trim_end_matches(']').parse::<usize>().ok(),
                ),
                None => (joined.clone(), None),
            };
            if let Some(entry) = value.get(name.as_str()) {
                let entry = match index {
                    Some(n) => entry.get_ref().get(n).unwrap_or(entry),
                    None => entry,
                };
                found = Some((end, entry));
                break;
            }
        }
        let Some((end, entry)) = found else { break };
        span = Some(entry.span());
        value = entry.get_ref();
        i = end;
    }
    span.map(|s| line_and_column(text, s.start).0)
}

fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text.as_bytes()[..offset.min(text.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests;
