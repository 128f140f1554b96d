//! Turning a filter's merged files into a [`FilterDef`], the way fail2ban's
//! `FilterReader` combines `[Definition]`, `[Init]`, parameters from the use
//! site (`sshd[mode=aggressive]`) and the jail's own options.
//!
//! Steps: parameters become "init options"; with a jail, `logtype` is set
//! from its backend (`journal` for `systemd…`, else `file`) unless given, and
//! `[Init]` values join the init options (also as `known/KEY`). The filter
//! options (`prefregex`, `failregex`, …) are read from `[Definition]` with the
//! jail's options and init options as variables; an option the jail sets
//! itself is not read from the filter. Then `<tag>`s are substituted using
//! those values, then any `[Definition]`/`[DEFAULT]` option, or
//! `section/option`, `known/option`, `default/option`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use clawguard_filter::FilterDef;

use crate::error::{F2bError, Location};
use crate::spec::split_journalmatch;
use crate::store::{Budget, Store, Vars};
use crate::tags::{self, TagError};

/// The options fail2ban reads from a filter's `[Definition]`.
pub(crate) const FILTER_OPTIONS: [&str; 7] = [
    "usedns",
    "prefregex",
    "ignoreregex",
    "failregex",
    "maxlines",
    "datepattern",
    "journalmatch",
];

const DEFINITION: &str = "Definition";
/// Largest `maxlines` accepted (stock filters use at most 10).
const MAX_MAXLINES: i64 = 10_000;
const INIT: &str = "Init";

/// What a jail passes to its filter.
#[derive(Debug, Clone, Default)]
pub(crate) struct JailInputs {
    /// The jail's `backend` (decides `logtype`).
    pub backend: String,
    /// The jail's options as fail2ban passes them (its "pOpts").
    pub vars: Vars,
}

/// A combined option: its final text and where it was defined.
#[derive(Debug, Clone)]
pub(crate) struct CombinedValue {
    pub text: String,
    pub origin: Option<Location>,
}

/// Combined, tag-substituted filter options.
pub(crate) type Combined = BTreeMap<String, CombinedValue>;

/// Reads the filter options (all `[Definition]` options when `all`).
pub(crate) fn combine(
    store: &Store,
    params: &[(String, String)],
    jail: Option<&JailInputs>,
    all: bool,
    budget: &Budget,
) -> Result<Combined, F2bError> {
    let mut init: Vars = params
        .iter()
        .map(|(k, v)| (k.to_lowercase(), v.clone()))
        .collect();
    if let Some(jail) = jail {
        let own_logtype = store
            .section(DEFINITION)
            .is_some_and(|s| s.options.contains_key("logtype"));
        if init.get("logtype").is_none_or(|v| v.is_empty()) && !own_logtype {
            let logtype = if jail.backend.starts_with("systemd") {
                "journal"
            } else {
                "file"
            };
            init.insert("logtype".into(), logtype.into());
        }
        // In a jail fail2ban reads the filter twice; by the second reading the
        // [Init] values are among the variables.
        add_init_options(store, &mut init, budget)?;
    }
    let mut vars: Vars = jail.map(|j| j.vars.clone()).unwrap_or_default();
    vars.extend(init.iter().map(|(k, v)| (k.clone(), v.clone())));

    let mut combined = Combined::new();
    for key in FILTER_OPTIONS {
        if vars.contains_key(key) {
            continue;
        }
        if let Some(v) = store.get(DEFINITION, key, &vars, None, budget)? {
            combined.insert(
                key.to_string(),
                CombinedValue {
                    text: v.text,
                    origin: v.origin,
                },
            );
        }
    }
    if jail.is_none() {
        add_init_options(store, &mut init, budget)?;
    }
    if all && store.has_section(DEFINITION) {
        let mut keys: BTreeSet<String> = store.own_keys(DEFINITION).into_iter().collect();
        keys.extend(store.defaults.keys().cloned());
        for key in keys {
            if combined.contains_key(&key) {
                continue;
            }
            if let Some(v) = store.get(DEFINITION, &key, &Vars::new(), None, budget)? {
                combined.insert(
                    key,
                    CombinedValue {
                        text: v.text,
                        origin: v.origin,
                    },
                );
            }
        }
    }
    for (k, v) in init {
        combined.insert(
            k,
            CombinedValue {
                text: v,
                origin: None,
            },
        );
    }
    substitute_all(store, combined, &vars, budget)
}

/// Adds `[Init]` options: `known/KEY` always, `KEY` unless already given.
fn add_init_options(store: &Store, init: &mut Vars, budget: &Budget) -> Result<(), F2bError> {
    for key in store.own_keys(INIT) {
        let Some(v) = store.get(INIT, &key, &Vars::new(), None, budget)? else {
            continue;
        };
        if !key.starts_with("known/") {
            init.insert(format!("known/{key}"), v.text.clone());
        }
        init.entry(key).or_insert(v.text);
    }
    Ok(())
}

/// fail2ban's `get_ex`: `section/option` references, then `[Definition]`
/// with the filter's variables.
fn get_extended(
    store: &Store,
    name: &str,
    vars: &Vars,
    budget: &Budget,
) -> Result<Option<String>, F2bError> {
    if let Some((sec, opt)) = split_extended(name) {
        let lower = sec.to_lowercase();
        let candidates: Vec<String> = match lower.as_str() {
            "known" => vec![
                format!("{}{DEFINITION}", crate::store::KNOWN_PREFIX),
                DEFINITION.into(),
            ],
            "default" => vec![crate::ini::DEFAULT_SECTION.into()],
            _ => vec![sec.to_string()],
        };
        for section in candidates {
            if let Some(v) = store.get(&section, opt, &Vars::new(), None, budget)? {
                return Ok(Some(v.text));
            }
        }
    }
    Ok(store
        .get(DEFINITION, name, vars, None, budget)?
        .map(|v| v.text))
}

/// `^([\w\-]+)/([^\s>]+)$`.
fn split_extended(name: &str) -> Option<(&str, &str)> {
    let (sec, opt) = name.split_once('/')?;
    let sec_ok = !sec.is_empty()
        && sec
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    let opt_ok = !opt.is_empty() && !opt.chars().any(|c| c.is_whitespace() || c == '>');
    (sec_ok && opt_ok).then_some((sec, opt))
}

/// Substitutes `<tag>`s in every combined value.
fn substitute_all(
    store: &Store,
    combined: Combined,
    vars: &Vars,
    budget: &Budget,
) -> Result<Combined, F2bError> {
    // Conditional options (`key?family=inet6`) shadow their base names.
    let ignore: BTreeSet<String> = combined
        .keys()
        .filter_map(|k| k.split_once('?').map(|(base, _)| base.to_string()))
        .collect();
    let snapshot = combined.clone();
    let mut memo: HashMap<String, Option<String>> = HashMap::new();
    let mut out = Combined::new();
    for (key, value) in combined {
        if ignore.contains(&key) {
            out.insert(key, value);
            continue;
        }
        let mut lookup = |name: &str| -> Result<Option<String>, F2bError> {
            if let Some(v) = snapshot.get(name) {
                return Ok(Some(v.text.clone()));
            }
            if let Some(v) = memo.get(name) {
                return Ok(v.clone());
            }
            let found = get_extended(store, name, vars, budget)?;
            memo.insert(name.to_string(), found.clone());
            Ok(found)
        };
        let location = value.origin.clone().unwrap_or_else(|| Location {
            path: "<filter parameters>".into(),
            line: 0,
        });
        let text = tags::substitute(&key, &value.text, &ignore, &mut lookup, budget, &location)
            .map_err(|e| match e {
                TagError::Lookup(inner) => inner,
                TagError::Bad(message) => F2bError::Value {
                    location: location.clone(),
                    key: key.clone(),
                    message,
                },
            })?;
        out.insert(
            key,
            CombinedValue {
                text,
                origin: value.origin,
            },
        );
    }
    Ok(out)
}

/// Non-blank lines of a list option.
fn lines(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split('\n')
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
}

/// Builds the [`FilterDef`]: filter values first, then the jail's own
/// (`failregex`, `ignoreregex`, `journalmatch` add; the others replace).
pub(crate) fn to_filter_def(
    name: &str,
    combined: &Combined,
    jail: Option<&JailInputs>,
) -> Result<FilterDef, F2bError> {
    let jail_value = |key: &str| jail.and_then(|j| j.vars.get(key));
    let scalar = |key: &str| -> Option<(String, Option<Location>)> {
        jail_value(key)
            .map(|v| (v.clone(), None))
            .or_else(|| {
                combined
                    .get(key)
                    .map(|v| (v.text.clone(), v.origin.clone()))
            })
            .filter(|(v, _)| !v.trim().is_empty())
    };
    let list = |key: &str| -> Vec<String> {
        let mut out: Vec<String> = combined
            .get(key)
            .map(|v| lines(&v.text).collect())
            .unwrap_or_default();
        if let Some(extra) = jail_value(key) {
            out.extend(lines(extra));
        }
        out
    };
    let value_error = |key: &str, origin: Option<Location>, message: String| F2bError::Value {
        location: origin.unwrap_or_else(|| Location {
            path: format!("<jail options for filter {name}>").into(),
            line: 0,
        }),
        key: key.to_string(),
        message,
    };
    // fail2ban takes max(1, maxlines); the upper bound protects line buffers.
    let maxlines = match scalar("maxlines") {
        None => 1,
        Some((text, origin)) => match text.trim().parse::<i64>() {
            Ok(n) if n <= MAX_MAXLINES => n.max(1) as usize,
            Ok(_) => {
                return Err(value_error(
                    "maxlines",
                    origin,
                    format!("{} is above the limit of {MAX_MAXLINES}", text.trim()),
                ));
            }
            Err(_) => {
                return Err(value_error(
                    "maxlines",
                    origin,
                    format!("invalid integer {:?}", text.trim()),
                ));
            }
        },
    };
    let mut journalmatch = Vec::new();
    for source in [
        combined
            .get("journalmatch")
            .map(|v| (v.text.clone(), v.origin.clone())),
        jail_value("journalmatch").map(|v| (v.clone(), None)),
    ]
    .into_iter()
    .flatten()
    {
        let (text, origin) = source;
        let alternatives = split_journalmatch(&text)
            .map_err(|message| value_error("journalmatch", origin, message))?;
        journalmatch.extend(alternatives);
    }
    Ok(FilterDef {
        name: name.to_string(),
        prefregex: scalar("prefregex").map(|(v, _)| v),
        failregex: list("failregex"),
        ignoreregex: list("ignoreregex"),
        datepattern: scalar("datepattern").map(|(v, _)| v),
        maxlines,
        journalmatch,
    })
}
