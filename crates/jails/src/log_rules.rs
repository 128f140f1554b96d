//! Log rules (`[alert.log_rule.NAME]`): regexes over the ban engine's log
//! sources. They run in the ban engine's runtime on the very sources the
//! jails read (a source named by a jail and a rule is one reader), and a
//! matching line becomes one `LogMatched` event.
//!
//! What a rule matches is the line as jails see it, except for
//! `backend = "openclaw"`: there the gateway writes JSON records, and a rule
//! sees the record's message text (top-level `message`, else the string
//! arguments after the logger's binding), so text an attacker gets quoted in
//! another field is not matched. A line that is not a JSON object is matched
//! as it is.

use clawguard_sys::text::cut_at_char;
use std::borrow::Cow;

use clawguard_config::{Backend, Config};
use clawguard_event::Severity;
use regex::{RegexSet, RegexSetBuilder};
use serde_json::Value;

use crate::catalog::{Catalog, SourcePlan};

/// Longest line carried in a `LogMatched` event (bytes, cut at a character
/// boundary).
pub const MAX_EVENT_LINE_BYTES: usize = 2048;

/// Longest text a rule's regexes run over: the jails' filter line cap.
pub const MAX_MATCH_BYTES: usize = clawguard_filter::MAX_LINE_BYTES;

/// Most numbered keys (`"0"`, `"1"`, …) of a gateway record looked at.
const MAX_NUMBERED_KEYS: usize = 16;

/// Compiled regexes get at most this much memory each set.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// Why a log rule cannot run.
#[derive(Debug, thiserror::Error)]
#[error("log rule {rule}: {message}")]
pub struct LogRuleError {
    pub rule: String,
    pub message: String,
}

/// What of a line a rule's regexes see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextOf {
    /// The line as the source delivered it.
    Line,
    /// The message text of an OpenClaw gateway JSON record.
    OpenclawMessage,
}

/// One enabled log rule, resolved and compiled.
#[derive(Debug)]
pub struct LiveRule {
    pub name: String,
    pub severity: Severity,
    /// Where its lines come from, resolved as a jail's sources are.
    pub sources: Vec<SourcePlan>,
    pub text_of: TextOf,
    regex: RegexSet,
    ignore: Option<RegexSet>,
    /// Lines matched since this rule was built.
    pub matches: u64,
}

impl LiveRule {
    /// Whether `text` matches a `regex` and no `ignoreregex`.
    pub fn is_match(&self, text: &str) -> bool {
        self.regex.is_match(text) && !self.ignore.as_ref().is_some_and(|i| i.is_match(text))
    }
}

/// The enabled log rules of `config`, compiled, with their sources. None
/// when `[alert] enabled = false`.
pub fn build(config: &Config, catalog: &Catalog) -> Result<Vec<LiveRule>, LogRuleError> {
    if !config.alert.enabled {
        return Ok(Vec::new());
    }
    let mut rules = Vec::new();
    for (name, rule) in &config.alert.log_rule {
        if !rule.is_enabled() {
            continue;
        }
        let error = |message: String| LogRuleError {
            rule: name.clone(),
            message,
        };
        let patterns = rule.regex.as_deref().unwrap_or_default();
        if patterns.is_empty() {
            return Err(error("no regex".into()));
        }
        let regex = compile(patterns).map_err(|e| error(format!("regex: {e}")))?;
        let ignore = match rule.ignoreregex.as_deref() {
            Some(patterns) if !patterns.is_empty() => {
                Some(compile(patterns).map_err(|e| error(format!("ignoreregex: {e}")))?)
            }
            _ => None,
        };
        let sources = crate::catalog::log_rule_sources(catalog, rule);
        if sources.is_empty() {
            return Err(error(
                "no log source (a logpath, or backend = \"systemd\" with a journalmatch)".into(),
            ));
        }
        rules.push(LiveRule {
            name: name.clone(),
            severity: rule.severity(),
            sources,
            text_of: match rule.backend {
                Some(Backend::Openclaw) => TextOf::OpenclawMessage,
                _ => TextOf::Line,
            },
            regex,
            ignore,
            matches: 0,
        });
    }
    Ok(rules)
}

fn compile(patterns: &[String]) -> Result<RegexSet, regex::Error> {
    RegexSetBuilder::new(patterns)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
}

/// The text a rule of kind `text_of` matches for a delivered line, at most
/// [`MAX_MATCH_BYTES`] long.
pub fn match_text(bytes: &[u8], text_of: TextOf) -> Cow<'_, str> {
    let text = match text_of {
        TextOf::OpenclawMessage => match openclaw_message(bytes) {
            Some(message) => Cow::Owned(message),
            None => String::from_utf8_lossy(bytes),
        },
        TextOf::Line => String::from_utf8_lossy(bytes),
    };
    match text {
        Cow::Borrowed(text) => Cow::Borrowed(cut_at_char(text, MAX_MATCH_BYTES)),
        Cow::Owned(text) if text.len() > MAX_MATCH_BYTES => {
            Cow::Owned(cut_at_char(&text, MAX_MATCH_BYTES).to_string())
        }
        owned => owned,
    }
}

/// The message text of a gateway JSON record: its top-level `message`, or
/// else its string arguments after the logger's binding (`"0"` holding
/// `{"subsystem":…}`), joined by spaces. `None` when the line is not a JSON
/// object.
pub fn openclaw_message(line: &[u8]) -> Option<String> {
    // serde_json rejects invalid UTF-8 and nesting deeper than 128.
    let Ok(Value::Object(record)) = serde_json::from_slice::<Value>(line) else {
        return None;
    };
    if let Some(Value::String(message)) = record.get("message") {
        return Some(message.clone());
    }
    let mut numbered: Vec<(u32, &Value)> = Vec::new();
    for (key, value) in &record {
        let numeric = !key.is_empty() && key.len() <= 4 && key.bytes().all(|b| b.is_ascii_digit());
        if let Some(n) = numeric.then(|| key.parse().ok()).flatten() {
            if numbered.len() == MAX_NUMBERED_KEYS {
                break;
            }
            numbered.push((n, value));
        }
    }
    numbered.sort_by_key(|(n, _)| *n);
    let parts: Vec<&str> = numbered
        .iter()
        .filter(|(n, value)| !(*n == 0 && is_binding(value)))
        .filter_map(|(_, value)| value.as_str())
        .collect();
    Some(parts.join(" "))
}

/// A tslog binding: a JSON string holding an object (`{"subsystem":"gateway"}`).
fn is_binding(value: &Value) -> bool {
    value.as_str().is_some_and(|text| {
        text.starts_with('{')
            && serde_json::from_str::<serde_json::Map<String, Value>>(text).is_ok()
    })
}

/// A line as a `LogMatched` event carries it: control characters other than
/// tab replaced by U+FFFD, cut to [`MAX_EVENT_LINE_BYTES`] at a character
/// boundary.
pub fn event_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_EVENT_LINE_BYTES));
    for c in text.chars() {
        let c = if c.is_control() && c != '\t' {
            char::REPLACEMENT_CHARACTER
        } else {
            c
        };
        if out.len() + c.len_utf8() > MAX_EVENT_LINE_BYTES {
            break;
        }
        out.push(c);
    }
    out
}
