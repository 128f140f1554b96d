//! Jail sections resolved the way fail2ban's `JailReader` resolves them.
//!
//! Every jail first gets `enabled`, `backend` and `filter` (errors here are
//! fatal, as in fail2ban). For an enabled jail the filter is read and all its
//! options are offered to the jail as `known/OPTION`, then every option is
//! resolved; errors are reported with file, line and key. fail2ban never
//! looks further at disabled jails, so their remaining options are resolved
//! leniently: a value that does not interpolate or convert falls back to the
//! default.

use std::collections::BTreeMap;

use crate::error::{F2bError, Location};
use crate::filter::{FILTER_OPTIONS, JailInputs};
use crate::spec::split_words;
use crate::store::{Budget, Store, Vars};
use crate::time::parse_time;

/// Options fail2ban's jail reader itself reads (besides the filter options).
const JAIL_OPTIONS: [&str; 22] = [
    "enabled",
    "backend",
    "maxretry",
    "maxmatches",
    "findtime",
    "bantime",
    "bantime.increment",
    "bantime.factor",
    "bantime.formula",
    "bantime.multipliers",
    "bantime.maxtime",
    "bantime.rndtime",
    "bantime.overalljails",
    "ignorecommand",
    "ignoreself",
    "ignoreip",
    "ignorecache",
    "filter",
    "logtimezone",
    "logencoding",
    "logpath",
    "action",
];

/// Further options a user expects to see for a jail even when they only come
/// from `[DEFAULT]` (actions read them).
const EXTRA_OPTIONS: [&str; 6] = [
    "mode",
    "port",
    "protocol",
    "chain",
    "banaction",
    "banaction_allports",
];

/// Options that become typed fields of [`JailDef`] rather than `options`.
const TYPED: [&str; 13] = [
    "enabled",
    "filter",
    "logpath",
    "backend",
    "maxretry",
    "findtime",
    "bantime",
    "ignoreip",
    "ignoreself",
    "port",
    "protocol",
    "usedns",
    "journalmatch",
];

/// Built-in server defaults used when the configuration sets nothing.
const DEFAULT_MAXRETRY: u32 = 3;
const DEFAULT_FINDTIME_S: i64 = 600;
const DEFAULT_BANTIME_S: i64 = 600;

/// A jail after layering and interpolation.
#[derive(Debug, Clone, PartialEq)]
pub struct JailDef {
    /// Section name.
    pub name: String,
    /// `enabled` (`1`, `on`, `true`, `yes` in any case; anything else is false).
    pub enabled: bool,
    /// Filter specification including parameters, e.g. `sshd[mode=normal]`;
    /// empty when the jail has no filter.
    pub filter: String,
    /// `logpath` entries (one per line; a trailing ` head`/` tail` is dropped).
    pub logpath: Vec<String>,
    /// `backend` (`auto`, `polling`, `systemd[…]`, …).
    pub backend: String,
    /// `maxretry` (3 when unset, fail2ban's server default).
    pub maxretry: u32,
    /// `findtime` in seconds (600 when unset).
    pub findtime_s: i64,
    /// `bantime` in seconds, `-1` or any negative for permanent (600 when unset).
    pub bantime_s: i64,
    /// `ignoreip` split on spaces, commas and newlines.
    pub ignoreip: Vec<String>,
    /// `ignoreself` (true when unset).
    pub ignoreself: bool,
    /// `port` (`0:65535` when unset).
    pub port: String,
    /// `protocol` (`tcp` when unset).
    pub protocol: String,
    /// `usedns` (`warn` when unset).
    pub usedns: String,
    /// Jail-level `journalmatch`, replacing the filter's.
    pub journalmatch: Option<String>,
    /// `bantime.*` settings when `bantime.increment` is true.
    pub bantime_increment: Option<BantimeIncrement>,
    /// `file:line` of the section header that first defined the jail.
    pub source: String,
    /// Every other resolved option: the jail's own keys plus fail2ban jail
    /// options inherited from `[DEFAULT]` (`action`, `mode`, `maxmatches`,
    /// `banaction`, `chain`, …, and jail-level `failregex`, `datepattern` …).
    /// Own keys fail2ban never reads are left out if they do not interpolate.
    pub options: BTreeMap<String, String>,
}

/// `bantime.increment` settings (see fail2ban's `jail.conf`).
#[derive(Debug, Clone, PartialEq)]
pub struct BantimeIncrement {
    /// `bantime.factor` (1 when unset).
    pub factor: f64,
    /// `bantime.formula` as written (a Python expression), if set.
    pub formula: Option<String>,
    /// `bantime.multipliers`, empty when unset.
    pub multipliers: Vec<f64>,
    /// `bantime.maxtime` in seconds.
    pub maxtime_s: Option<i64>,
    /// `bantime.rndtime` in seconds.
    pub rndtime_s: Option<i64>,
    /// `bantime.overalljails` (false when unset).
    pub overalljails: bool,
}

/// fail2ban's `_as_bool`.
fn as_bool(text: &str) -> bool {
    matches!(text.to_lowercase().as_str(), "1" | "on" | "true" | "yes")
}

fn py_bool(b: bool) -> &'static str {
    if b { "True" } else { "False" }
}

/// Reads one jail's options; `strict` makes every error fatal.
struct OptionReader<'a> {
    store: &'a Store,
    jail: &'a str,
    overlay: Option<&'a Vars>,
    strict: bool,
    header: Location,
    budget: &'a Budget,
}

impl OptionReader<'_> {
    /// The resolved value and its location; `Ok(None)` when unset (or, when
    /// lenient, when it fails).
    fn get(&self, key: &str) -> Result<Option<(String, Location)>, F2bError> {
        match self
            .store
            .get(self.jail, key, &Vars::new(), self.overlay, self.budget)
        {
            Ok(Some(v)) => Ok(Some((
                v.text,
                v.origin.unwrap_or_else(|| self.header.clone()),
            ))),
            Ok(None) => Ok(None),
            // Running out of the work budget is never forgiven.
            Err(e) if self.strict || matches!(e, F2bError::Limit { .. }) => Err(e),
            Err(_) => Ok(None),
        }
    }

    /// Converts with `convert`; conversion errors are fatal only when strict.
    fn typed<T>(
        &self,
        key: &str,
        default: T,
        convert: impl Fn(&str) -> Result<T, String>,
    ) -> Result<T, F2bError> {
        let Some((text, location)) = self.get(key)? else {
            return Ok(default);
        };
        match convert(&text) {
            Ok(v) => Ok(v),
            Err(message) if self.strict => Err(F2bError::Value {
                location,
                key: key.to_string(),
                message,
            }),
            Err(_) => Ok(default),
        }
    }
}

fn int_u32(text: &str) -> Result<u32, String> {
    text.trim()
        .parse::<u32>()
        .map_err(|_| format!("invalid integer {:?}", text.trim()))
}

fn time_s(text: &str) -> Result<i64, String> {
    parse_time(text.trim()).map_err(|e| match e {
        F2bError::Time { message, .. } => format!("invalid time {:?}: {message}", text.trim()),
        other => other.to_string(),
    })
}

fn float(text: &str) -> Result<f64, String> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .ok_or_else(|| format!("invalid number {:?}", text.trim()))
}

/// Stage one: `enabled`, `backend`, `filter` (always strict).
pub(crate) struct JailHead {
    pub enabled: bool,
    pub backend: String,
    pub filter: Option<(String, Location)>,
}

pub(crate) fn read_head(
    store: &Store,
    jail: &str,
    header: &Location,
    budget: &Budget,
) -> Result<JailHead, F2bError> {
    let reader = OptionReader {
        store,
        jail,
        overlay: None,
        strict: true,
        header: header.clone(),
        budget,
    };
    let enabled = reader.typed("enabled", false, |t| Ok(as_bool(t)))?;
    let backend = reader
        .get("backend")?
        .map_or_else(|| "auto".to_string(), |(v, _)| v);
    let filter = reader.get("filter")?.filter(|(v, _)| !v.is_empty());
    Ok(JailHead {
        enabled,
        backend,
        filter,
    })
}

/// The variables fail2ban passes to the filter in stage one.
pub(crate) fn head_inputs(head: &JailHead) -> JailInputs {
    let mut vars = Vars::new();
    vars.insert("enabled".into(), py_bool(head.enabled).into());
    vars.insert("backend".into(), head.backend.clone());
    vars.insert(
        "filter".into(),
        head.filter
            .as_ref()
            .map(|(f, _)| f.clone())
            .unwrap_or_default(),
    );
    JailInputs {
        backend: head.backend.clone(),
        vars,
    }
}

/// Stage two: every option, with the filter's options as `known/…`.
pub(crate) fn read_jail(
    store: &Store,
    jail: &str,
    header: &Location,
    head: &JailHead,
    known: Option<&Vars>,
    budget: &Budget,
) -> Result<JailDef, F2bError> {
    let reader = OptionReader {
        store,
        jail,
        overlay: known,
        strict: head.enabled,
        header: header.clone(),
        budget,
    };
    let text = |key: &str, default: &str| -> Result<String, F2bError> {
        Ok(reader
            .get(key)?
            .map_or_else(|| default.to_string(), |(v, _)| v))
    };
    let logpath = text("logpath", "")?
        .split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| match l.rsplit_once(' ') {
            Some((path, "head" | "tail")) => path.trim_end().to_string(),
            _ => l.to_string(),
        })
        .collect();
    let increment_on = reader.typed("bantime.increment", false, |t| Ok(as_bool(t)))?;
    let bantime_increment = if increment_on {
        Some(BantimeIncrement {
            factor: reader.typed("bantime.factor", 1.0, float)?,
            formula: reader
                .get("bantime.formula")?
                .map(|(v, _)| v)
                .filter(|v| !v.is_empty()),
            multipliers: reader.typed("bantime.multipliers", Vec::new(), |t| {
                t.split_whitespace()
                    .map(float)
                    .collect::<Result<Vec<_>, _>>()
            })?,
            maxtime_s: reader.typed("bantime.maxtime", None, |t| {
                if t.trim().is_empty() {
                    Ok(None)
                } else {
                    time_s(t).map(Some)
                }
            })?,
            rndtime_s: reader.typed("bantime.rndtime", None, |t| {
                if t.trim().is_empty() {
                    Ok(None)
                } else {
                    time_s(t).map(Some)
                }
            })?,
            overalljails: reader.typed("bantime.overalljails", false, |t| Ok(as_bool(t)))?,
        })
    } else {
        None
    };

    // Remaining options: own keys, plus inherited keys fail2ban users expect.
    let mut keys: Vec<String> = store.own_keys(jail);
    for key in JAIL_OPTIONS
        .iter()
        .chain(FILTER_OPTIONS.iter())
        .chain(EXTRA_OPTIONS.iter())
    {
        if store.defaults.contains_key(*key) && !keys.iter().any(|k| k == key) {
            keys.push((*key).to_string());
        }
    }
    let mut options = BTreeMap::new();
    for key in keys {
        if TYPED.contains(&key.as_str())
            || (increment_on && key.starts_with("bantime."))
            || key == "bantime.increment"
        {
            continue;
        }
        let fail2ban_reads =
            JAIL_OPTIONS.contains(&key.as_str()) || FILTER_OPTIONS.contains(&key.as_str());
        let value = if fail2ban_reads {
            reader.get(&key)?
        } else {
            match store.get(jail, &key, &Vars::new(), known, budget) {
                Err(e @ F2bError::Limit { .. }) => return Err(e),
                other => other.ok().flatten(),
            }
            .map(|v| (v.text, header.clone()))
        };
        if let Some((v, _)) = value {
            options.insert(key, v);
        }
    }
    if let Some((text, location)) = reader.get("maxmatches")?
        && reader.strict
        && text.trim().parse::<u32>().is_err()
    {
        return Err(F2bError::Value {
            location,
            key: "maxmatches".into(),
            message: format!("invalid integer {:?}", text.trim()),
        });
    }

    Ok(JailDef {
        name: jail.to_string(),
        enabled: head.enabled,
        filter: head
            .filter
            .as_ref()
            .map(|(f, _)| f.clone())
            .unwrap_or_default(),
        logpath,
        backend: head.backend.clone(),
        maxretry: reader.typed("maxretry", DEFAULT_MAXRETRY, int_u32)?,
        findtime_s: reader.typed("findtime", DEFAULT_FINDTIME_S, time_s)?,
        bantime_s: reader.typed("bantime", DEFAULT_BANTIME_S, time_s)?,
        ignoreip: split_words(&text("ignoreip", "")?),
        ignoreself: reader.typed("ignoreself", true, |t| Ok(as_bool(t)))?,
        port: text("port", "0:65535")?,
        protocol: text("protocol", "tcp")?,
        usedns: text("usedns", "warn")?,
        journalmatch: reader.get("journalmatch")?.map(|(v, _)| v),
        bantime_increment,
        source: header.to_string(),
        options,
    })
}

/// The variables fail2ban passes from a resolved jail to its filter.
pub(crate) fn jail_inputs(jail: &JailDef) -> JailInputs {
    let mut vars = Vars::new();
    for (k, v) in &jail.options {
        if JAIL_OPTIONS.contains(&k.as_str()) || FILTER_OPTIONS.contains(&k.as_str()) {
            vars.insert(k.clone(), v.clone());
        }
    }
    vars.insert("enabled".into(), py_bool(jail.enabled).into());
    vars.insert("backend".into(), jail.backend.clone());
    vars.insert("filter".into(), jail.filter.clone());
    vars.insert("maxretry".into(), jail.maxretry.to_string());
    vars.insert("findtime".into(), jail.findtime_s.to_string());
    vars.insert("bantime".into(), jail.bantime_s.to_string());
    vars.insert("ignoreself".into(), py_bool(jail.ignoreself).into());
    vars.insert("usedns".into(), jail.usedns.clone());
    if !jail.logpath.is_empty() {
        vars.insert("logpath".into(), jail.logpath.join("\n"));
    }
    if !jail.ignoreip.is_empty() {
        vars.insert("ignoreip".into(), jail.ignoreip.join(" "));
    }
    if let Some(jm) = &jail.journalmatch {
        vars.insert("journalmatch".into(), jm.clone());
    }
    JailInputs {
        backend: jail.backend.clone(),
        vars,
    }
}
