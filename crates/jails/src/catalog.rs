//! Which jails run, with which filter, reading which source.
//!
//! Jails come from three layers, later winning by name: clawguard's built-in
//! jails, the enabled jails of the fail2ban directory, and the jails written in
//! clawguard.toml. Resolution reads the fail2ban directory and checks which
//! log files exist; it starts nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clawguard_ban::{Increment, JailPolicy};
use clawguard_config::{Backend, Config, IncrementConfig, JailConfig, LogRule};
use clawguard_f2b::{Fail2banConfig, JailDef};
use clawguard_filter::FilterDef;
use serde::Serialize;

/// Name of the built-in filter for the OpenClaw gateway's JSON log.
pub const GATEWAY_FILTER: &str = "openclaw-gateway";

/// Errors resolving jails.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("fail2ban configuration: {0}")]
    Fail2ban(#[from] clawguard_f2b::F2bError),
    #[error("jail {jail}: {message}")]
    Jail { jail: String, message: String },
    #[error("filter {spec:?} not found: not in {dir}, not a file, and not a built-in filter")]
    FilterNotFound { spec: String, dir: String },
    #[error("jail {jail}: ignoreip {entry:?}: cannot read {path}: {source}")]
    IgnoreFile {
        jail: String,
        entry: String,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Where a jail was defined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "at")]
pub enum Origin {
    Builtin,
    ClawguardConfig,
    Fail2ban(String),
}

/// A compiled-to-be filter.
#[derive(Debug, Clone, PartialEq)]
pub enum FilterPlan {
    /// A fail2ban-dialect filter.
    Regex(FilterDef),
    /// The built-in JSON filter for the OpenClaw gateway log.
    Gateway,
}

/// Where a jail reads lines from. Equal plans share one reader.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum SourcePlan {
    /// One file path or glob.
    File { pattern: String },
    /// The systemd journal with these alternatives of `FIELD=value` terms.
    Journal { matches: Vec<Vec<String>> },
    /// The newest dated OpenClaw log in these directories (globs allowed).
    Openclaw {
        dirs: Vec<String>,
        /// `log_owners` as uids: whose logs may feed bans; `None` detects gateway users.
        #[serde(skip_serializing_if = "Option::is_none")]
        owners: Option<Vec<u32>>,
    },
}

impl SourcePlan {
    /// A stable key naming the source, used for read positions.
    pub fn key(&self) -> String {
        match self {
            SourcePlan::File { pattern } => format!("file:{pattern}"),
            SourcePlan::Journal { matches } => {
                let alternatives: Vec<String> = matches.iter().map(|m| m.join(" ")).collect();
                format!("journal:{}", alternatives.join(" + "))
            }
            SourcePlan::Openclaw { dirs, owners } => match owners {
                Some(uids) => {
                    let uids: Vec<String> = uids.iter().map(u32::to_string).collect();
                    format!("openclaw:{};owners={}", dirs.join(","), uids.join(","))
                }
                None => format!("openclaw:{}", dirs.join(",")),
            },
        }
    }
}

/// One jail, fully resolved.
#[derive(Debug, Clone)]
pub struct JailSpec {
    pub name: String,
    pub origin: Origin,
    /// The filter as written (`sshd[mode=aggressive]`).
    pub filter_spec: String,
    pub filter: FilterPlan,
    pub sources: Vec<SourcePlan>,
    /// The jail's journal matches (its own or its filter's), also applied
    /// when replaying a journal export; empty when it has none.
    pub journalmatch: Vec<Vec<String>>,
    pub policy: JailPolicy,
}

/// The resolved set of enabled jails, and what was noticed on the way.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub jails: Vec<JailSpec>,
    pub warnings: Vec<String>,
}

/// Filters are looked up in the fail2ban directory when it exists, then as a
/// path, then among clawguard's built-in filters.
pub struct FilterResolver {
    fail2ban: Option<Fail2banConfig>,
    dir: String,
}

impl FilterResolver {
    /// Load the fail2ban directory from the config (absent dir = none).
    pub fn new(config: &Config) -> Result<FilterResolver, CatalogError> {
        let dir = config.fail2ban.dir.clone();
        let fail2ban = match &dir {
            Some(dir) if dir.join("jail.conf").exists() || dir.join("filter.d").is_dir() => {
                Some(Fail2banConfig::load(dir)?)
            }
            _ => None,
        };
        Ok(FilterResolver {
            fail2ban,
            dir: dir
                .map(|d| d.display().to_string())
                .unwrap_or_else(|| "(no fail2ban dir)".into()),
        })
    }

    /// The loaded fail2ban configuration, if any.
    pub fn fail2ban(&self) -> Option<&Fail2banConfig> {
        self.fail2ban.as_ref()
    }

    /// Resolve a filter spec for an optional fail2ban jail.
    pub fn resolve(&self, spec: &str, jail: Option<&JailDef>) -> Result<FilterPlan, CatalogError> {
        let name = spec.split('[').next().unwrap_or(spec).trim();
        if name == GATEWAY_FILTER {
            return Ok(FilterPlan::Gateway);
        }
        let path = Path::new(name);
        if name.contains('/') {
            let params = parse_params(spec);
            return Ok(FilterPlan::Regex(clawguard_f2b::load_filter_file(
                path, &params,
            )?));
        }
        if let Some(f2b) = &self.fail2ban {
            return Ok(FilterPlan::Regex(f2b.jail_filter(spec, jail)?));
        }
        if clawguard_f2b::builtin_filter(name).is_some() {
            return Ok(FilterPlan::Regex(clawguard_f2b::load_builtin_filter(spec)?));
        }
        Err(CatalogError::FilterNotFound {
            spec: spec.to_string(),
            dir: self.dir.clone(),
        })
    }
}

/// `name[k=v, k2="a, b"]` → `[(k, v), (k2, "a, b")]`.
fn parse_params(spec: &str) -> Vec<(String, String)> {
    let Some(open) = spec.find('[') else {
        return Vec::new();
    };
    let inner = spec[open + 1..].trim_end().trim_end_matches(']');
    let mut params = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut parts = Vec::new();
    for c in inner.chars() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, ',') => parts.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    parts.push(current);
    for part in parts {
        if let Some((k, v)) = part.split_once('=') {
            params.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    params
}

/// Resolve every enabled jail.
pub fn resolve(config: &Config) -> Result<Catalog, CatalogError> {
    let resolver = FilterResolver::new(config)?;
    let mut catalog = Catalog::default();
    let builtin = clawguard_config::builtin();

    // Layer 1 + 3: clawguard jails (built-in ones marked as such).
    let mut chosen: BTreeMap<String, JailSpec> = BTreeMap::new();
    let mut from_user_config: BTreeMap<String, bool> = BTreeMap::new();
    for (name, jail) in &config.jail {
        let is_builtin = builtin.jail.get(name) == Some(jail);
        from_user_config.insert(name.clone(), !is_builtin);
    }

    // Layer 2: fail2ban jails replace built-in ones, never the user's own.
    let mut fail2ban_jails: BTreeMap<String, JailDef> = BTreeMap::new();
    if let Some(f2b) = resolver.fail2ban() {
        for jail in f2b.jails()? {
            if !jail.enabled {
                continue;
            }
            if from_user_config.get(&jail.name) == Some(&true) {
                catalog.warnings.push(format!(
                    "jail {} in clawguard.toml overrides the fail2ban jail of the same name ({})",
                    jail.name, jail.source
                ));
                continue;
            }
            fail2ban_jails.insert(jail.name.clone(), jail);
        }
    }

    for (name, jail) in &config.jail {
        if fail2ban_jails.contains_key(name) {
            continue;
        }
        if !jail.enabled {
            continue;
        }
        let origin = if from_user_config[name] {
            Origin::ClawguardConfig
        } else {
            Origin::Builtin
        };
        match clawguard_jail(config, &resolver, name, jail, origin) {
            Ok(spec) => {
                chosen.insert(name.clone(), spec);
            }
            Err(e) if !from_user_config[name] => {
                // A built-in jail that cannot work here (no filter) is skipped
                // with a warning; the user's own jails must work.
                catalog
                    .warnings
                    .push(format!("built-in jail {name} disabled: {e}"));
            }
            Err(e) => return Err(e),
        }
    }
    for (name, jail) in &fail2ban_jails {
        let spec = fail2ban_jail(config, &resolver, jail)?;
        chosen.insert(name.clone(), spec);
    }

    for spec in chosen.values() {
        if resolver
            .fail2ban()
            .is_some_and(|f2b| f2b.stock_sshd_kept(&spec.filter_spec))
        {
            catalog.warnings.push(format!(
                "jail {} runs fail2ban's own sshd filter ({}), which a crafted user name can make \
                 report another address; plain `filter = sshd` uses clawguard's built-in one",
                spec.name, spec.filter_spec
            ));
        }
        if spec.sources.is_empty() {
            catalog
                .warnings
                .push(format!("jail {} has no log source", spec.name));
        }
    }
    catalog.jails = chosen.into_values().collect();
    Ok(catalog)
}

fn clawguard_jail(
    config: &Config,
    resolver: &FilterResolver,
    name: &str,
    jail: &JailConfig,
    origin: Origin,
) -> Result<JailSpec, CatalogError> {
    let filter = resolver.resolve(&jail.filter, None)?;
    let journalmatch = jail.journalmatch.clone().or_else(|| match &filter {
        FilterPlan::Regex(def) if !def.journalmatch.is_empty() => Some(
            def.journalmatch
                .iter()
                .map(|terms| terms.join(" "))
                .collect::<Vec<_>>()
                .join(" + "),
        ),
        _ => None,
    });
    let mut sources = plan_sources(jail.backend, &jail.logpath, journalmatch.as_deref());
    for plan in &mut sources {
        if let SourcePlan::Openclaw { owners, .. } = plan {
            owners.clone_from(&jail.log_owner_uids);
        }
    }
    let mut ignore = config.ban.ignoreip.clone();
    ignore.extend(jail.ignoreip.iter().cloned());
    let policy = JailPolicy {
        name: name.to_string(),
        max_retry: jail.maxretry.unwrap_or(config.ban.maxretry),
        find_time_ms: jail.findtime.unwrap_or(config.ban.findtime).as_ms(),
        ban_time_ms: jail.bantime.unwrap_or(config.ban.bantime).as_ms(),
        increment: increment(jail.increment.as_ref().unwrap_or(&config.ban.increment)),
        ipv4_prefix: config.ban.ipv4_prefix,
        ipv6_prefix: config.ban.ipv6_prefix,
        ignore: parse_ignore(name, &ignore)?,
        ignore_self: config.ban.ignoreself,
    };
    Ok(JailSpec {
        name: name.to_string(),
        origin,
        filter_spec: jail.filter.clone(),
        filter,
        sources,
        journalmatch: journalmatch
            .as_deref()
            .map(parse_journalmatch)
            .unwrap_or_default(),
        policy,
    })
}

fn fail2ban_jail(
    config: &Config,
    resolver: &FilterResolver,
    jail: &JailDef,
) -> Result<JailSpec, CatalogError> {
    let filter = resolver.resolve(&jail.filter, Some(jail))?;
    let backend = match jail.backend.split('[').next().unwrap_or("").trim() {
        "systemd" => Backend::Systemd,
        "polling" | "pyinotify" | "gamin" => Backend::Files,
        _ => Backend::Auto,
    };
    let journalmatch = jail.journalmatch.clone().or_else(|| match &filter {
        FilterPlan::Regex(def) if !def.journalmatch.is_empty() => Some(
            def.journalmatch
                .iter()
                .map(|terms| terms.join(" "))
                .collect::<Vec<_>>()
                .join(" + "),
        ),
        _ => None,
    });
    let sources = plan_sources(backend, &jail.logpath, journalmatch.as_deref());
    let mut ignore = config.ban.ignoreip.clone();
    ignore.extend(jail.ignoreip.iter().cloned());
    let increment = jail.bantime_increment.as_ref().map(|inc| Increment {
        factor: inc.factor,
        formula: inc.formula.clone(),
        multipliers: inc.multipliers.iter().map(|m| m.max(0.0) as u64).collect(),
        max_time_ms: inc.maxtime_s.map(|s| s.saturating_mul(1000)),
        rnd_time_ms: inc.rndtime_s.map(|s| s.saturating_mul(1000)),
        overall_jails: inc.overalljails,
    });
    let policy = JailPolicy {
        name: jail.name.clone(),
        max_retry: jail.maxretry,
        find_time_ms: jail.findtime_s.saturating_mul(1000),
        ban_time_ms: jail.bantime_s.saturating_mul(1000),
        increment,
        ipv4_prefix: config.ban.ipv4_prefix,
        ipv6_prefix: config.ban.ipv6_prefix,
        ignore: parse_ignore(&jail.name, &ignore)?,
        ignore_self: jail.ignoreself && config.ban.ignoreself,
    };
    Ok(JailSpec {
        name: jail.name.clone(),
        origin: Origin::Fail2ban(jail.source.clone()),
        filter_spec: jail.filter.clone(),
        filter,
        sources,
        journalmatch: journalmatch
            .as_deref()
            .map(parse_journalmatch)
            .unwrap_or_default(),
        policy,
    })
}

fn increment(config: &IncrementConfig) -> Option<Increment> {
    config.enabled.then(|| Increment {
        factor: config.factor,
        formula: config.formula.clone(),
        multipliers: config.multipliers.clone(),
        max_time_ms: config.maxtime.map(|s| s.as_ms()),
        rnd_time_ms: config.rndtime.map(|s| s.as_ms()),
        overall_jails: config.overalljails,
    })
}

/// Split `journalmatch` text into alternatives of terms.
pub fn parse_journalmatch(text: &str) -> Vec<Vec<String>> {
    text.split(" + ")
        .flat_map(|alt| alt.split('\n'))
        .map(|alt| {
            alt.split_whitespace()
                .filter(|t| *t != "+")
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter(|terms| !terms.is_empty())
        .collect()
}

/// The sources of a log rule (`[alert.log_rule.NAME]`), resolved exactly as
/// a jail's are. An OpenClaw source takes the `log_owners` of a jail reading
/// the same directories, so the two share one reader.
pub fn log_rule_sources(catalog: &Catalog, rule: &LogRule) -> Vec<SourcePlan> {
    let logpath = rule.logpath.as_deref().unwrap_or_default();
    let mut sources = plan_sources(
        rule.backend.unwrap_or(Backend::Auto),
        logpath,
        rule.journalmatch.as_deref(),
    );
    for plan in &mut sources {
        if let SourcePlan::Openclaw { dirs, owners } = plan {
            let jail_owners = catalog
                .jails
                .iter()
                .flat_map(|jail| &jail.sources)
                .find_map(|source| match source {
                    SourcePlan::Openclaw {
                        dirs: jail_dirs,
                        owners,
                    } if jail_dirs == dirs => Some(owners.clone()),
                    _ => None,
                });
            if let Some(jail_owners) = jail_owners {
                *owners = jail_owners;
            }
        }
    }
    sources
}

/// `auto`: the files that exist (globs count when they match something), or
/// the journal when none does and a journalmatch is known.
fn plan_sources(
    backend: Backend,
    logpath: &[String],
    journalmatch: Option<&str>,
) -> Vec<SourcePlan> {
    let files = || {
        logpath
            .iter()
            .map(|p| SourcePlan::File { pattern: p.clone() })
            .collect::<Vec<_>>()
    };
    let journal = || {
        journalmatch
            .map(|m| {
                vec![SourcePlan::Journal {
                    matches: parse_journalmatch(m),
                }]
            })
            .unwrap_or_default()
    };
    match backend {
        Backend::Files => files(),
        Backend::Systemd => journal(),
        Backend::Openclaw => vec![SourcePlan::Openclaw {
            dirs: logpath.to_vec(),
            owners: None,
        }],
        Backend::Auto => {
            let any_exists = logpath.iter().any(|p| path_exists(p));
            if any_exists || journalmatch.is_none() {
                files()
            } else {
                journal()
            }
        }
    }
}

fn path_exists(pattern: &str) -> bool {
    if pattern.contains(['*', '?', '[']) {
        glob::glob(pattern)
            .map(|mut paths| paths.any(|p| p.is_ok()))
            .unwrap_or(false)
    } else {
        Path::new(pattern).exists()
    }
}

fn parse_ignore(jail: &str, entries: &[String]) -> Result<Vec<ipnet::IpNet>, CatalogError> {
    let mut nets = Vec::new();
    for entry in entries {
        for word in entry.split_whitespace() {
            if let Some(path) = word.strip_prefix("file:") {
                let bytes = clawguard_sys::regular_file::read(
                    Path::new(path),
                    clawguard_sys::regular_file::Follow::Yes,
                    clawguard_ban::MAX_IGNORE_FILE_BYTES,
                )
                .map_err(|source| CatalogError::IgnoreFile {
                    jail: jail.to_string(),
                    entry: word.to_string(),
                    path: PathBuf::from(path),
                    source,
                })?;
                let list = clawguard_ban::parse_ignore_list(&String::from_utf8_lossy(&bytes));
                nets.extend(list.nets);
                continue;
            }
            let list = clawguard_ban::parse_ignore_list(word);
            if let Some(problem) = list.problems.first() {
                return Err(CatalogError::Jail {
                    jail: jail.to_string(),
                    message: format!(
                        "ignoreip entry {:?} is not an address or CIDR",
                        problem.entry
                    ),
                });
            }
            nets.extend(list.nets);
        }
    }
    Ok(nets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_split_on_commas_outside_quotes() {
        assert_eq!(
            parse_params("sshd[mode=aggressive, x=\"a, b\"]"),
            vec![
                ("mode".to_string(), "aggressive".to_string()),
                ("x".to_string(), "a, b".to_string())
            ]
        );
        assert!(parse_params("sshd").is_empty());
    }

    #[test]
    fn journalmatch_alternatives() {
        assert_eq!(
            parse_journalmatch("_SYSTEMD_UNIT=sshd.service + _COMM=sshd"),
            vec![vec!["_SYSTEMD_UNIT=sshd.service"], vec!["_COMM=sshd"]]
        );
    }

    #[test]
    fn auto_backend_falls_back_to_the_journal() {
        let plans = plan_sources(
            Backend::Auto,
            &["/nonexistent/auth.log".into()],
            Some("_COMM=sshd"),
        );
        assert!(matches!(plans[0], SourcePlan::Journal { .. }));
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("auth.log");
        std::fs::write(&log, "").unwrap();
        let plans = plan_sources(
            Backend::Auto,
            &[log.display().to_string()],
            Some("_COMM=sshd"),
        );
        assert!(matches!(plans[0], SourcePlan::File { .. }));
    }
}

#[cfg(test)]
mod log_owner_tests {
    use super::*;

    #[test]
    fn configured_log_owners_reach_the_gateway_source_and_its_key() {
        let text = "version = 1\n[fail2ban]\n[jail.sshd]\nenabled = false\n\
                    [jail.openclaw-gateway]\nlog_owners = [\"root\", \"4242\"]\n";
        let config = Config::parse(text, std::path::Path::new("/test.toml")).unwrap();
        let catalog = resolve(&config).unwrap();
        let jail = catalog
            .jails
            .iter()
            .find(|j| j.name == "openclaw-gateway")
            .unwrap();
        let plan = &jail.sources[0];
        assert!(
            matches!(plan, SourcePlan::Openclaw { owners: Some(uids), .. } if uids == &[0, 4242]),
            "{plan:?}"
        );
        // A reader trusting other owners is never shared with this one.
        assert!(plan.key().ends_with(";owners=0,4242"), "{}", plan.key());
        let spec = crate::runtime::source_spec(plan);
        let id = clawguard_logwatch::SourceId::for_spec(&spec);
        assert!(id.as_str().ends_with(";owners=0,4242"), "{id}");
    }
}
