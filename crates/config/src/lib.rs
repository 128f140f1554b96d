//! clawguard's configuration: TOML, validated when read.
//!
//! One file (`/etc/clawguard/clawguard.toml` by default). Every key has a
//! built-in default, taken from `default.toml` which is embedded in the binary;
//! with no file at all those defaults apply. Unknown keys are errors that name
//! the file, the line and the key.
//!
//! This crate only parses and validates. It does not look at the fail2ban
//! directory or the filesystem beyond reading the one file it is given.

mod duration;
mod fim;
mod skills;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ipnet::IpNet;
use serde::{Deserialize, Serialize};

pub use duration::{Seconds, parse_duration};
pub use fim::{FimConfig, FimWatch};
pub use skills::{SkillSuppression, SkillsConfig};

/// The default config file location.
pub const DEFAULT_PATH: &str = "/etc/clawguard/clawguard.toml";

/// The built-in configuration text.
pub const DEFAULT_TOML: &str = include_str!("default.toml");

/// The only config format version this build understands.
pub const VERSION: u32 = 1;

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
}

/// The whole configuration, after validation.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub version: u32,
    #[serde(default)]
    pub daemon: DaemonConfig,
    #[serde(default)]
    pub firewall: FirewallConfig,
    #[serde(default)]
    pub ban: BanConfig,
    #[serde(default)]
    pub fail2ban: Fail2banConfig,
    /// Jails by name. Built-in jails are kept unless redefined by name.
    #[serde(default)]
    pub jail: BTreeMap<String, JailConfig>,
    /// `[fim]`: file integrity monitoring.
    #[serde(default)]
    pub fim: FimConfig,
    /// `[skills]`: the skill auditor.
    #[serde(default)]
    pub skills: SkillsConfig,
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
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct JailConfig {
    #[serde(default = "yes")]
    pub enabled: bool,
    /// A fail2ban filter name (`sshd`, `sshd[mode=aggressive]`), a path, or a
    /// built-in filter (`openclaw-gateway`).
    pub filter: String,
    #[serde(default)]
    pub logpath: Vec<String>,
    #[serde(default = "auto")]
    pub backend: Backend,
    pub journalmatch: Option<String>,
    pub maxretry: Option<u32>,
    pub findtime: Option<Seconds>,
    pub bantime: Option<Seconds>,
    #[serde(default)]
    pub ignoreip: Vec<String>,
    pub increment: Option<IncrementConfig>,
}

fn yes() -> bool {
    true
}

fn auto() -> Backend {
    Backend::Auto
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
        config.validate(path)?;
        Ok(config)
    }

    /// Read and validate a config file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
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
            if jail.filter.trim().is_empty() {
                return Err(bad(&format!("jail.{name}.filter"), "is empty".into()));
            }
        }
        if self.ban.maxretry == 0 {
            return Err(bad("ban.maxretry", "must be at least 1".into()));
        }
        self.fim.validate(path)?;
        self.skills.validate(path)?;
        Ok(())
    }

    /// The effective config as TOML, for `check-config`.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_else(|e| format!("# cannot render: {e}\n"))
    }
}

fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text.as_bytes()[..offset.min(text.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests;
