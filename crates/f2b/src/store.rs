//! Several parsed files merged the way fail2ban merges them, and `%(…)s`
//! interpolation over the result.
//!
//! Later files override earlier ones key by key. When a key of an existing
//! section is overridden, its previous value is kept in a hidden section
//! `KNOWN/<section>` so `%(known/key)s` can extend it. `[Name?cond]`
//! sections are merged into `Name` with keys renamed `key?cond`.
//!
//! Interpolation follows Python's `BasicInterpolation` plus fail2ban's
//! additions: `%%` is `%`, `%(key)s` looks in the caller's variables, then the
//! section, then `[DEFAULT]`; `%(__name__)s` is the section name;
//! `%(section/key)s`, `%(default/key)s` and `%(known/key)s` reach other
//! sections. Nesting deeper than 10 levels is an error (as in Python), and
//! output size and work are bounded so hostile input fails fast.

use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};

use crate::error::{F2bError, Location};
use crate::ini::{DEFAULT_SECTION, IniFile};
use std::path::Path;

/// Python's `configparser.MAX_INTERPOLATION_DEPTH`.
const MAX_INTERPOLATION_DEPTH: usize = 10;
/// Largest value interpolation or tag substitution may produce.
pub(crate) const MAX_VALUE_BYTES: usize = 1 << 20;
/// Most `%(…)s` references followed while interpolating one value.
const MAX_INTERPOLATION_STEPS: usize = 100_000;
/// Work one public call may spend on interpolation and tag substitution
/// (bytes produced plus references followed); the stock Debian
/// configuration needs about 100 KB for all its jails.
const WORK_BUDGET: u64 = 64 << 20;

/// Remaining interpolation work for one public call (see [`WORK_BUDGET`]).
#[derive(Debug)]
pub(crate) struct Budget {
    remaining: Cell<u64>,
}

impl Budget {
    pub(crate) fn new() -> Self {
        Self {
            remaining: Cell::new(WORK_BUDGET),
        }
    }

    /// Spends `units`; an error naming `location` once the budget is gone.
    pub(crate) fn charge(&self, units: usize, location: &Location) -> Result<(), F2bError> {
        let units = units as u64;
        let left = self.remaining.get();
        if units > left {
            self.remaining.set(0);
            return Err(F2bError::Limit {
                path: location.path.clone(),
                what: format!(
                    "interpolation needs more than {WORK_BUDGET} units of work (line {})",
                    location.line
                ),
            });
        }
        self.remaining.set(left - units);
        Ok(())
    }
}

/// Prefix of the hidden sections holding overridden values.
pub(crate) const KNOWN_PREFIX: &str = "KNOWN/";

/// A stored value and the line that defined it (`None` for values supplied by
/// the reader itself, such as `fail2ban_version`).
#[derive(Debug, Clone)]
pub(crate) struct Value {
    pub text: String,
    pub origin: Option<Location>,
}

/// A merged section.
#[derive(Debug, Clone)]
pub(crate) struct Section {
    pub name: String,
    /// Header of the first file that defined the section.
    pub header: Location,
    pub options: BTreeMap<String, Value>,
}

/// Merged configuration: defaults plus sections in first-seen order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Store {
    pub defaults: BTreeMap<String, Value>,
    sections: Vec<Section>,
    index: HashMap<String, usize>,
}

/// Variables offered by the caller; they win over section values
/// (Python's `vars=` argument). Keys are lower-case.
pub(crate) type Vars = BTreeMap<String, String>;

/// A resolved value and where its text came from.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    pub text: String,
    pub origin: Option<Location>,
}

/// Splits `Name?cond` section names (fail2ban's `^(\w+)(\?.+)$`).
fn split_conditional(name: &str) -> Option<(&str, &str)> {
    let at = name.find('?')?;
    let (base, cond) = name.split_at(at);
    let word = !base.is_empty() && base.chars().all(|c| c.is_alphanumeric() || c == '_');
    (word && cond.len() > 1).then_some((base, cond))
}

/// `[\w\-]+/rest` as fail2ban's section-option reference regexes use it.
fn split_section_ref(name: &str) -> Option<(&str, &str)> {
    let (sec, opt) = name.split_once('/')?;
    let sec_ok = !sec.is_empty()
        && sec
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    (sec_ok && !opt.is_empty()).then_some((sec, opt))
}

/// What interpolation is working on, for lookups and error messages.
struct Scope<'a> {
    section: &'a str,
    vars: &'a Vars,
    overlay: Option<&'a Vars>,
    key: &'a str,
    origin: Location,
    steps: usize,
    budget: &'a Budget,
}

impl Store {
    /// Merges one parsed file on top of what is already there.
    pub(crate) fn merge(&mut self, path: &Path, file: &IniFile) {
        for entry in &file.defaults {
            self.defaults.insert(
                entry.key.clone(),
                Value {
                    text: entry.value.clone(),
                    origin: Some(Location {
                        path: path.to_path_buf(),
                        line: entry.line,
                    }),
                },
            );
        }
        for raw in &file.sections {
            let (name, suffix) = match split_conditional(&raw.name) {
                Some((base, cond)) => (base.to_string(), cond.to_string()),
                None => (raw.name.clone(), String::new()),
            };
            let header = Location {
                path: path.to_path_buf(),
                line: raw.line,
            };
            let mut incoming = BTreeMap::new();
            for entry in &raw.entries {
                incoming.insert(
                    format!("{}{}", entry.key, suffix),
                    Value {
                        text: entry.value.clone(),
                        origin: Some(Location {
                            path: path.to_path_buf(),
                            line: entry.line,
                        }),
                    },
                );
            }
            if let Some(&idx) = self.index.get(&name) {
                let previous: BTreeMap<String, Value> = self.sections[idx]
                    .options
                    .iter()
                    .filter(|(k, _)| incoming.contains_key(*k))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                if !name.starts_with(KNOWN_PREFIX) {
                    let known =
                        self.section_mut_or_insert(&format!("{KNOWN_PREFIX}{name}"), &header);
                    known.options.extend(previous);
                }
                self.sections[idx].options.extend(incoming);
            } else {
                let section = self.section_mut_or_insert(&name, &header);
                section.options = incoming;
            }
        }
    }

    fn section_mut_or_insert(&mut self, name: &str, header: &Location) -> &mut Section {
        let idx = match self.index.get(name) {
            Some(&idx) => idx,
            None => {
                self.sections.push(Section {
                    name: name.to_string(),
                    header: header.clone(),
                    options: BTreeMap::new(),
                });
                self.index.insert(name.to_string(), self.sections.len() - 1);
                self.sections.len() - 1
            }
        };
        &mut self.sections[idx]
    }

    /// Sets a default supplied by the reader (no file location).
    pub(crate) fn set_default(&mut self, key: &str, text: &str) {
        self.defaults.insert(
            key.to_string(),
            Value {
                text: text.to_string(),
                origin: None,
            },
        );
    }

    /// Sections a user wrote (hidden `KNOWN/…` sections left out), in order.
    pub(crate) fn user_sections(&self) -> impl Iterator<Item = &Section> {
        self.sections
            .iter()
            .filter(|s| !s.name.starts_with(KNOWN_PREFIX))
    }

    pub(crate) fn section(&self, name: &str) -> Option<&Section> {
        self.index.get(name).map(|&i| &self.sections[i])
    }

    pub(crate) fn has_section(&self, name: &str) -> bool {
        name == DEFAULT_SECTION || self.index.contains_key(name)
    }

    /// Raw lookup in the order vars → overlay → section → defaults.
    fn lookup(
        &self,
        section: &str,
        vars: &Vars,
        overlay: Option<&Vars>,
        key: &str,
    ) -> Option<Resolved> {
        if let Some(text) = vars.get(key) {
            return Some(Resolved {
                text: text.clone(),
                origin: None,
            });
        }
        if let Some(text) = overlay.and_then(|o| o.get(key)) {
            return Some(Resolved {
                text: text.clone(),
                origin: None,
            });
        }
        let own = self.section(section).and_then(|s| s.options.get(key));
        own.or_else(|| self.defaults.get(key)).map(|v| Resolved {
            text: v.text.clone(),
            origin: v.origin.clone(),
        })
    }

    /// Python `get(section, key, vars=…)`: the interpolated value, or `None`
    /// when the section or key does not exist.
    pub(crate) fn get(
        &self,
        section: &str,
        key: &str,
        vars: &Vars,
        overlay: Option<&Vars>,
        budget: &Budget,
    ) -> Result<Option<Resolved>, F2bError> {
        if !self.has_section(section) {
            return Ok(None);
        }
        let key = key.to_lowercase();
        let Some(raw) = self.lookup(section, vars, overlay, &key) else {
            return Ok(None);
        };
        let origin = raw
            .origin
            .clone()
            .or_else(|| self.section(section).map(|s| s.header.clone()))
            .unwrap_or_else(|| Location {
                path: "<reader>".into(),
                line: 0,
            });
        let mut scope = Scope {
            section,
            vars,
            overlay,
            key: &key,
            origin,
            steps: 0,
            budget,
        };
        let mut out = String::new();
        self.interpolate_into(&mut scope, &raw.text, 1, &mut out)?;
        Ok(Some(Resolved {
            text: out,
            origin: raw.origin,
        }))
    }

    /// Own keys of a section (without defaults), if it exists.
    pub(crate) fn own_keys(&self, section: &str) -> Vec<String> {
        self.section(section)
            .map(|s| s.options.keys().cloned().collect())
            .unwrap_or_default()
    }

    fn value_error(scope: &Scope<'_>, message: String) -> F2bError {
        F2bError::Value {
            location: scope.origin.clone(),
            key: scope.key.to_string(),
            message,
        }
    }

    fn interpolate_into(
        &self,
        scope: &mut Scope<'_>,
        text: &str,
        depth: usize,
        out: &mut String,
    ) -> Result<(), F2bError> {
        if depth > MAX_INTERPOLATION_DEPTH {
            return Err(Self::value_error(
                scope,
                format!(
                    "interpolation nested deeper than {MAX_INTERPOLATION_DEPTH} levels (self-reference?) in {:?}",
                    clip(text)
                ),
            ));
        }
        let mut rest = text;
        while let Some(at) = rest.find('%') {
            out.push_str(&rest[..at]);
            rest = &rest[at..];
            if let Some(after) = rest.strip_prefix("%%") {
                out.push('%');
                rest = after;
            } else if let Some(after) = rest.strip_prefix("%(") {
                let Some(close) = after.find(')') else {
                    return Err(Self::value_error(
                        scope,
                        format!("bad interpolation reference {:?}", clip(rest)),
                    ));
                };
                let name = &after[..close];
                let Some(tail) = after[close + 1..].strip_prefix('s') else {
                    return Err(Self::value_error(
                        scope,
                        format!("bad interpolation reference {:?}", clip(rest)),
                    ));
                };
                if name.is_empty() {
                    return Err(Self::value_error(
                        scope,
                        format!("bad interpolation reference {:?}", clip(rest)),
                    ));
                }
                scope.steps += 1;
                if scope.steps > MAX_INTERPOLATION_STEPS {
                    return Err(Self::value_error(
                        scope,
                        format!(
                            "interpolation needs more than {MAX_INTERPOLATION_STEPS} substitutions"
                        ),
                    ));
                }
                let Some(replacement) = self.resolve_reference(scope, name) else {
                    return Err(Self::value_error(
                        scope,
                        format!("'%({name})s' refers to an option that is not defined"),
                    ));
                };
                scope.budget.charge(1 + replacement.len(), &scope.origin)?;
                if replacement.contains('%') {
                    self.interpolate_into(scope, &replacement, depth + 1, out)?;
                } else {
                    out.push_str(&replacement);
                }
                if out.len() > MAX_VALUE_BYTES {
                    return Err(Self::value_error(
                        scope,
                        format!("interpolated value grows beyond {MAX_VALUE_BYTES} bytes"),
                    ));
                }
                rest = tail;
            } else {
                return Err(Self::value_error(
                    scope,
                    format!("'%' must be followed by '%' or '(', found {:?}", clip(rest)),
                ));
            }
        }
        out.push_str(rest);
        if out.len() > MAX_VALUE_BYTES {
            return Err(Self::value_error(
                scope,
                format!("interpolated value grows beyond {MAX_VALUE_BYTES} bytes"),
            ));
        }
        Ok(())
    }

    /// The raw text a `%(name)s` reference stands for.
    fn resolve_reference(&self, scope: &Scope<'_>, name: &str) -> Option<String> {
        let var = name.to_lowercase();
        if var == "__name__" {
            return Some(scope.section.to_string());
        }
        if let Some(found) = self.lookup(scope.section, scope.vars, scope.overlay, &var) {
            return Some(found.text);
        }
        // fail2ban maps `section/option` under the name as written while Python
        // looks it up lower-cased, so only all-lower-case references resolve.
        if name != var {
            return None;
        }
        let (sec, opt) = split_section_ref(name)?;
        let from_defaults = || self.defaults.get(opt).map(|v| v.text.clone());
        match sec.to_lowercase().as_str() {
            "default" => from_defaults(),
            "known" => self
                .section(&format!("{KNOWN_PREFIX}{}", scope.section))
                .and_then(|s| s.options.get(opt))
                .map(|v| v.text.clone())
                .or_else(from_defaults),
            _ => {
                let section = self.section(sec)?;
                section
                    .options
                    .get(opt)
                    .map(|v| v.text.clone())
                    .or_else(from_defaults)
            }
        }
    }
}

/// First characters of `text` for error messages.
pub(crate) fn clip(text: &str) -> String {
    const MAX: usize = 80;
    if text.chars().count() <= MAX {
        return text.to_string();
    }
    let mut s: String = text.chars().take(MAX).collect();
    s.push('…');
    s
}
