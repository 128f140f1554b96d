//! Date templates: a compiled regex that finds a date in a line plus the
//! rule that turns the captured text into an instant. Built from fail2ban's
//! `datepattern` dialect (strptime-like `%` codes inside a regex, with the
//! `{^LN-BEG}` / `{UNB}` / `**` boundary markers) or from the special
//! Unix-epoch and TAI64N forms. The regex syntax is Python's `re`, which
//! PCRE2 understands once a few Python-only spellings are rewritten.

use std::sync::{Arc, OnceLock};

use chrono::Datelike;
use pcre2::bytes::{CaptureLocations, Regex, RegexBuilder};

use crate::strptime::{DefaultZone, Field, Parts};

/// How the start of a date must sit in the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WordBegin {
    /// Anywhere.
    No,
    /// At a word start: line start, a word boundary or before a non-word char.
    Word,
    /// At line start, after at most two non-word characters (`{^LN-BEG}`).
    LineStart,
}

/// What the captured text means.
#[derive(Debug)]
enum Value {
    /// strptime fields: (capture group index, field), in group order.
    Fields(Vec<(usize, Field)>),
    /// Seconds since the epoch (or ms/µs for the long form) in a group.
    Epoch { group: usize, long: bool },
    /// A TAI64N label `@4000…` in a group.
    Tai64n { group: usize },
}

/// A compiled date template, shared between detectors.
#[derive(Debug)]
pub(crate) struct Template {
    /// The pattern it was built from, for messages and duplicate checks.
    pub(crate) name: String,
    regex: Regex,
    /// Anchored at line begin or end: the position never needs re-checking.
    pub(crate) line_anchored: bool,
    /// Anchored at line begin (what `{^LN-BEG}` as a datepattern selects).
    pub(crate) line_begin: bool,
    /// Preference in the detector's reordering; 100 for the line-start
    /// variants of the default templates, else 1.
    pub(crate) weight: f64,
    /// The line-start syslog template, which [`syslog_prefix`] can stand in for.
    pub(crate) syslog_shortcut: bool,
    value: Value,
}

/// fail2ban's syslog-style default template, anchored at line start.
const SYSLOG_LINE_START: &str = r"{^LN-BEG}(?:%a )?%b %d %k:%M:%S(?:\.%f)?(?: %ExY)?";

/// Reads the plain syslog prefix `Mon DD HH:MM:SS` (day space-padded or two
/// digits) without a regex. Returns `(month, day, hour, minute, second)` only
/// when the line starts exactly so and what follows cannot extend the date
/// (no fraction, no year, a word boundary): then the syslog template's regex
/// would match exactly the first 15 bytes with these values. Anything else
/// returns `None` and the regex decides.
pub(crate) fn syslog_prefix(line: &str) -> Option<(u32, u32, u32, u32, u32)> {
    let b = line.as_bytes();
    if b.len() < 15 || b[3] != b' ' || b[6] != b' ' || b[9] != b':' || b[12] != b':' {
        return None;
    }
    let month = MONTH_ABBREVIATIONS
        .iter()
        .position(|m| m.as_bytes().eq_ignore_ascii_case(&b[..3]))
        .and_then(|i| u32::try_from(i + 1).ok())?;
    let digit = |i: usize| b[i].is_ascii_digit().then(|| u32::from(b[i] - b'0'));
    let day = match b[4] {
        b' ' => digit(5)?,
        _ => digit(4)? * 10 + digit(5)?,
    };
    let hour = digit(7)? * 10 + digit(8)?;
    let minute = digit(10)? * 10 + digit(11)?;
    let second = digit(13)? * 10 + digit(14)?;
    if !(1..=31).contains(&day) || digit(7)? > 2 || digit(10)? > 5 || digit(13)? > 5 {
        return None;
    }
    match b.get(15) {
        None => {}
        Some(b' ') if !b.get(16).is_some_and(u8::is_ascii_digit) => {}
        Some(&c)
            if c.is_ascii()
                && c != b'.'
                && c != b' '
                && !c.is_ascii_alphanumeric()
                && c != b'_' => {}
        _ => return None,
    }
    Some((month, day, hour, minute, second))
}

const MONTH_ABBREVIATIONS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Upper bound of the 4-digit year accepted by `%ExY`: this century up to
/// three years ahead, from the clock when first needed (as fail2ban does at
/// start-up).
fn exact_year_regex() -> &'static str {
    static CELL: OnceLock<String> = OnceLock::new();
    CELL.get_or_init(|| {
        let max_year = chrono::Utc::now()
            .year()
            .saturating_add(3)
            .clamp(2009, 2099);
        let decade = (max_year / 10) % 10;
        format!("(?P<Y>20[0-{decade}]\\d)")
    })
}

/// The regex for one `%` code (without the `%`), or `None` if unknown.
fn code_regex(code: &str) -> Option<&'static str> {
    Some(match code {
        "%" => "%",
        "a" => "(?P<a>mon|tue|wed|thu|fri|sat|sun)",
        "A" => "(?P<A>wednesday|thursday|saturday|tuesday|monday|friday|sunday)",
        "b" => "(?P<b>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)",
        "B" => {
            "(?P<B>september|february|november|december|january|october|august|march|april|june|july|may)"
        }
        "c" => concat!(
            r"(?P<a>mon|tue|wed|thu|fri|sat|sun)\s+(?P<b>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)",
            r"\s+(?P<d>3[0-1]|[1-2]\d|0[1-9]|[1-9]| [1-9])\s+(?P<H>2[0-3]|[0-1]\d|\d):(?P<M>[0-5]\d|\d)",
            r":(?P<S>6[0-1]|[0-5]\d|\d)\s+(?P<Y>\d\d\d\d)"
        ),
        "d" => r"(?P<d>[1-2]\d|[0 ]?[1-9]|3[0-1])",
        "f" => r"(?P<f>[0-9]{1,6})",
        "G" => r"(?P<G>\d\d\d\d)",
        "H" => r"(?P<H>[0-1]?\d|2[0-3])",
        "I" => r"(?P<I>1[0-2]|0[1-9]|[1-9])",
        "j" => r"(?P<j>36[0-6]|3[0-5]\d|[1-2]\d\d|0[1-9]\d|00[1-9]|[1-9]\d|0[1-9]|[1-9])",
        "k" => r" ?(?P<H>[0-2]?\d)",
        "l" => r" ?(?P<I>1?\d)",
        "m" => r"(?P<m>0?[1-9]|1[0-2])",
        "M" => r"(?P<M>[0-5]?\d)",
        "p" => r"(?P<p>am|pm)",
        "S" => r"(?P<S>[0-5]?\d|6[0-1])",
        "u" => r"(?P<u>[1-7])",
        "U" => r"(?P<U>5[0-3]|[0-4]\d|\d)",
        "V" => r"(?P<V>5[0-3]|0[1-9]|[1-4]\d|\d)",
        "w" => r"(?P<w>[0-6])",
        "W" => r"(?P<W>5[0-3]|[0-4]\d|\d)",
        "x" => r"(?P<m>1[0-2]|0[1-9]|[1-9])/(?P<d>3[0-1]|[1-2]\d|0[1-9]|[1-9]| [1-9])/(?P<y>\d\d)",
        "X" => r"(?P<H>2[0-3]|[0-1]\d|\d):(?P<M>[0-5]\d|\d):(?P<S>6[0-1]|[0-5]\d|\d)",
        "y" => r"(?P<y>\d\d)",
        "Y" => r"(?P<Y>\d{4})",
        "z" => r"(?P<z>Z|UTC|GMT|[+-][01]\d(?::?\d{2})?)",
        "Z" => r"(?P<Z>Z|[A-Z]{3,5})",
        "ExZ" => r"(?P<Z>[A-Z](?:[A-Z]{2,4})?)",
        "Exz" => r"(?P<z>(?:[A-Z](?:[A-Z]{2,4})?)?[+-][01]\d(?::?\d{2})?|[A-Z](?:[A-Z]{2,4})?)",
        "Exd" => r"(?P<d>[1-2]\d|0[1-9]|3[0-1])",
        "Exm" => r"(?P<m>0[1-9]|1[0-2])",
        "ExH" => r"(?P<H>[0-1]\d|2[0-3])",
        "Exk" => r" ?(?P<H>[0-1]?\d|2[0-3])",
        "Exl" => r" ?(?P<I>1[0-2]|\d)",
        "ExM" => r"(?P<M>[0-5]\d)",
        "ExS" => r"(?P<S>[0-5]\d|6[0-1])",
        "ExY" => exact_year_regex(),
        "Exy" => r"(?P<y>\d{2})",
        _ => return None,
    })
}

/// Replaces the `%` codes of a datepattern by their regexes. Returns the
/// regex and whether it needs case-insensitive matching (names of months,
/// weekdays or AM/PM). Unknown codes are an error, as in fail2ban.
fn expand_codes(pattern: &str) -> Result<(String, bool), String> {
    let mut out = String::with_capacity(pattern.len() * 4);
    let mut alpha = false;
    let mut rest = pattern;
    while let Some(pos) = rest.find('%') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let code_len = if after.starts_with("Ex") && after.len() >= 3 && after.is_char_boundary(3) {
            3
        } else {
            after.chars().next().map_or(0, char::len_utf8)
        };
        let code = after.get(..code_len).unwrap_or("");
        let Some(regex) = code_regex(code) else {
            return Err(format!(
                "unknown or incomplete directive %{code} (write a literal percent sign as %%)"
            ));
        };
        if matches!(code, "a" | "A" | "b" | "B" | "p" | "c") {
            alpha = true;
        }
        out.push_str(regex);
        rest = &after[code_len..];
    }
    out.push_str(rest);
    Ok((out, alpha))
}

/// Small regexes that inspect a date regex's text, mirroring the boundary
/// rules of fail2ban's templates.
struct Inspectors {
    no_word_bound_begin: Regex,
    no_word_bound_end: Regex,
    has_plain_group: Regex,
    group_split: Regex,
    line_bound_begin: Regex,
    line_bound_end: Regex,
    star_marker: Regex,
    epoch_placeholder: Regex,
}

fn inspectors() -> Result<&'static Inspectors, String> {
    static CELL: OnceLock<Result<Inspectors, String>> = OnceLock::new();
    CELL.get_or_init(|| {
        let re = |p: &str| {
            RegexBuilder::new()
                .build(p)
                .map_err(|e| format!("internal regex {p:?}: {e}"))
        };
        Ok(Inspectors {
            // Starts with `^` or `**` (possibly inside groups / after a flag group).
            no_word_bound_begin: re(r"^\(*(?:\(\?\w+\))?(?:\^|\(*\*\*|\((?:\?:)?\^)")?,
            // Ends with `$`, `\b`, `\s` or `**`.
            no_word_bound_end: re(r"(?<!\\)(?:\$\)?|\\b|\\s|\*\*\)*)$")?,
            // A capturing group that is not `(?…)` and not an escaped paren.
            has_plain_group: re(r"(?<!\(\?)(?<!\\)\((?!\?)")?,
            // Leading flags/`^`, body, trailing `$`.
            group_split: re(r"^((?:\(\?\w+\))?\^?(?:\(\?\w+\))?)(.*?)(\$?)$")?,
            line_bound_begin: re(r"^(?:\(\?\w+\))?(?:\^|\((?:\?:)?\^(?!\|))")?,
            line_bound_end: re(r"(?<![\\|])(?:\$\)?)$")?,
            star_marker: re(r"^\(*(?:\(\?\w+\))?\(*\*\*|(?<!\\)\*\*\)*$")?,
            epoch_placeholder: re(r"(?i)(?<!\\)\{L?EPOCH\}")?,
        })
    })
    .as_ref()
    .map_err(Clone::clone)
}

fn is_match(re: &Regex, text: &str) -> bool {
    re.is_match(text.as_bytes()).unwrap_or(false)
}

/// Removes the first Python inline global-flag group such as `(?iu)`,
/// returning it separately.
fn take_global_flags(regex: &str) -> (String, Option<String>) {
    let bytes = regex.as_bytes();
    let mut i = 0;
    while let Some(off) = regex[i..].find("(?") {
        let start = i + off;
        let letters = bytes[start + 2..]
            .iter()
            .take_while(|b| b.is_ascii_lowercase())
            .count();
        let close = start + 2 + letters;
        if letters > 0 && bytes.get(close) == Some(&b')') {
            let flags = regex[start..=close].to_string();
            let rest = format!("{}{}", &regex[..start], &regex[close + 1..]);
            return (rest, Some(flags));
        }
        i = start + 2;
    }
    (regex.to_string(), None)
}

/// Adds fail2ban's implicit boundaries and the date group to a template
/// regex. Returns (final regex, line begin anchored, line end anchored).
fn bound_regex(
    regex: &str,
    word_begin: WordBegin,
    word_end: bool,
) -> Result<(String, bool, bool), String> {
    let insp = inspectors()?;
    let (mut regex, flags) = take_global_flags(regex.trim());
    let bound_begin = word_begin != WordBegin::No && !is_match(&insp.no_word_bound_begin, &regex);
    let bound_end = word_end && !is_match(&insp.no_word_bound_end, &regex);
    if !is_match(&insp.has_plain_group, &regex) {
        // The date must be group 1: wrap everything but leading flags/`^` and trailing `$`.
        let mut locs = insp.group_split.capture_locations();
        if let Ok(Some(_)) = insp.group_split.captures_read(&mut locs, regex.as_bytes()) {
            let part = |i: usize| locs.get(i).and_then(|(s, e)| regex.get(s..e)).unwrap_or("");
            regex = format!("{}({}){}", part(1), part(2), part(3));
        }
    }
    let mut line_begin = false;
    if bound_begin {
        if word_begin == WordBegin::LineStart {
            regex = format!(r"^(?:\W{{0,2}})?{regex}");
            line_begin = true;
        } else {
            regex = format!(r"(?=^|\b|\W){regex}");
        }
    }
    if bound_end {
        regex.push_str(r"(?=\b|\W|$)");
    }
    line_begin = line_begin || is_match(&insp.line_bound_begin, &regex);
    let line_end = is_match(&insp.line_bound_end, &regex);
    regex = remove_star_markers(&insp.star_marker, &regex);
    if let Some(flags) = flags {
        regex.insert_str(0, &flags);
    }
    Ok((regex, line_begin, line_end))
}

/// Drops the `**` "no word boundary" markers at the start and end.
fn remove_star_markers(re: &Regex, regex: &str) -> String {
    let mut out = String::with_capacity(regex.len());
    let mut last = 0;
    let mut at = 0;
    while at <= regex.len() {
        let Ok(Some(m)) = re.find_at(regex.as_bytes(), at) else {
            break;
        };
        let (s, e) = (m.start(), m.end());
        out.push_str(&regex[last..s]);
        out.push_str(&regex[s..e].replace("**", ""));
        last = e;
        at = if e > s { e } else { e + 1 };
    }
    out.push_str(&regex[last..]);
    out
}

/// Rewrites Python-only regex spellings for PCRE2: the `u`, `a` and `L`
/// inline flags do not exist there, and `\Z` is `\z`.
fn python_to_pcre(regex: &str) -> String {
    let bytes = regex.as_bytes();
    let mut out = String::with_capacity(regex.len());
    let mut i = 0;
    let mut in_class = false;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\\' {
            if !in_class && bytes.get(i + 1) == Some(&b'Z') {
                out.push_str("\\z");
            } else {
                let end = (i + 1 + regex[i + 1..].chars().next().map_or(0, char::len_utf8))
                    .min(regex.len());
                out.push_str(&regex[i..end]);
                i = end;
                continue;
            }
            i += 2;
            continue;
        }
        if in_class {
            in_class = b != b']';
        } else if b == b'[' {
            in_class = true;
            // A `]` right after `[` or `[^` is literal.
            let mut j = i + 1;
            if bytes.get(j) == Some(&b'^') {
                j += 1;
            }
            if bytes.get(j) == Some(&b']') {
                out.push_str(&regex[i..=j]);
                i = j + 1;
                continue;
            }
        } else if b == b'(' && bytes.get(i + 1) == Some(&b'?') {
            let letters_end = i
                + 2
                + bytes[i + 2..]
                    .iter()
                    .take_while(|c| b"aiLmsux-".contains(c))
                    .count();
            if letters_end > i + 2 && matches!(bytes.get(letters_end), Some(b')' | b':')) {
                let kept: String = regex[i + 2..letters_end]
                    .chars()
                    .filter(|c| !matches!(c, 'a' | 'L' | 'u'))
                    .collect();
                let term = bytes[letters_end];
                if !(kept.is_empty() && term == b')') {
                    out.push_str("(?");
                    out.push_str(kept.trim_end_matches('-'));
                    out.push(char::from(term));
                }
                i = letters_end + 1;
                continue;
            }
        }
        let ch_len = regex[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&regex[i..i + ch_len]);
        i += ch_len;
    }
    out
}

fn compile(regex: &str) -> Result<Regex, String> {
    RegexBuilder::new()
        .jit_if_available(true)
        .build(&python_to_pcre(regex))
        .map_err(|e| format!("regex {regex:?} does not compile: {e}"))
}

const EPOCH_SHORT: &str = r"\d{10,11}\b(?:\.\d{3,6})?";
const EPOCH_LONG: &str = r"\d{10,11}(?:\d{3}(?:\.\d{1,6}|\d{3})?)?";

impl Template {
    fn from_parts(
        name: String,
        regex: &str,
        line_begin: bool,
        line_end: bool,
        value_kind: ValueKind,
    ) -> Result<Template, String> {
        let compiled = compile(regex)?;
        let names = compiled.capture_names();
        let find = |wanted: &str| names.iter().position(|n| n.as_deref() == Some(wanted));
        let value = match value_kind {
            ValueKind::Fields => Value::Fields(
                names
                    .iter()
                    .enumerate()
                    .filter_map(|(i, n)| {
                        n.as_deref()
                            .and_then(Field::from_group_name)
                            .map(|f| (i, f))
                    })
                    .collect(),
            ),
            ValueKind::Epoch { long } => Value::Epoch {
                group: find("_epoch").ok_or("epoch group missing")?,
                long,
            },
            ValueKind::Tai64n => Value::Tai64n {
                group: find("_tai").ok_or("tai64n group missing")?,
            },
        };
        if compiled.captures_len() < 2 {
            return Err(format!("regex {regex:?} has no group for the date"));
        }
        Ok(Template {
            syslog_shortcut: name == SYSLOG_LINE_START,
            name,
            regex: compiled,
            line_anchored: line_begin || line_end,
            line_begin,
            weight: 1.0,
            value,
        })
    }

    /// A strptime-style datepattern (after `%%` → `%` config unescaping).
    pub(crate) fn strptime(pattern: &str) -> Result<Template, String> {
        let mut body = pattern;
        let (mut word_begin, mut word_end) = (WordBegin::Word, true);
        if let Some(rest) = body.strip_prefix("{UNB}") {
            body = rest;
            word_begin = WordBegin::No;
            word_end = false;
        }
        if let (true, Some(rest)) = (word_begin != WordBegin::No, body.strip_prefix("{^LN-BEG}")) {
            body = rest;
            word_begin = WordBegin::LineStart;
        }
        let (mut regex, alpha) = expand_codes(body)?;
        if alpha {
            regex.insert_str(0, "(?iu)");
        }
        let (regex, begin, end) = bound_regex(&regex, word_begin, word_end)?;
        Template::from_parts(pattern.to_string(), &regex, begin, end, ValueKind::Fields)
    }

    /// Plain Unix time: at line start, right after a leading `[`, or in an
    /// SELinux `audit(…:n)` stamp; or, with `line_start`, only near line start.
    pub(crate) fn epoch(line_start: bool, long: bool) -> Result<Template, String> {
        let number = if long { EPOCH_LONG } else { EPOCH_SHORT };
        let base = if long { "LEPOCH" } else { "EPOCH" };
        if line_start {
            let regex = format!(r"((?P<square>(?<=^\[))?(?P<_epoch>{number}))(?(square)(?=\]))");
            let (regex, begin, end) = bound_regex(&regex, WordBegin::LineStart, true)?;
            Template::from_parts(
                format!("{{^LN-BEG}}{base}"),
                &regex,
                begin,
                end,
                ValueKind::Epoch { long },
            )
        } else {
            let regex = format!(
                r"((?:^|(?P<square>(?<=^\[))|(?P<selinux>(?<=\baudit\()))(?P<_epoch>{number}))(?:(?(selinux)(?=:\d+\)))|(?(square)(?=\])))"
            );
            let (regex, begin, end) = bound_regex(&regex, WordBegin::No, true)?;
            Template::from_parts(
                base.to_string(),
                &regex,
                begin,
                end,
                ValueKind::Epoch { long },
            )
        }
    }

    /// A regex with a `{EPOCH}` or `{LEPOCH}` placeholder for the number.
    pub(crate) fn epoch_pattern(pattern: &str) -> Result<Template, String> {
        let insp = inspectors()?;
        let long = pattern.to_ascii_uppercase().contains("LEPOCH");
        let number = if long { EPOCH_LONG } else { EPOCH_SHORT };
        let mut regex = String::from("(");
        let mut last = 0;
        let mut at = 0;
        while let Ok(Some(m)) = insp.epoch_placeholder.find_at(pattern.as_bytes(), at) {
            regex.push_str(&pattern[last..m.start()]);
            regex.push_str(&format!("(?P<_epoch>{number})"));
            last = m.end();
            at = m.end();
        }
        regex.push_str(&pattern[last..]);
        regex.push(')');
        let (regex, begin, end) = bound_regex(&regex, WordBegin::Word, true)?;
        Template::from_parts(
            pattern.to_string(),
            &regex,
            begin,
            end,
            ValueKind::Epoch { long },
        )
    }

    /// Whether a pattern has a `{EPOCH}`/`{LEPOCH}` placeholder.
    pub(crate) fn has_epoch_placeholder(pattern: &str) -> Result<bool, String> {
        Ok(is_match(&inspectors()?.epoch_placeholder, pattern))
    }

    /// A TAI64N label (`@` and 24 lower-case hex digits).
    pub(crate) fn tai64n(line_start: bool) -> Result<Template, String> {
        let word_begin = if line_start {
            WordBegin::LineStart
        } else {
            WordBegin::No
        };
        let (regex, begin, end) = bound_regex("(?P<_tai>@[0-9a-f]{24})", word_begin, true)?;
        let name = if line_start {
            "{^LN-BEG}TAI64N"
        } else {
            "TAI64N"
        };
        Template::from_parts(name.to_string(), &regex, begin, end, ValueKind::Tai64n)
    }

    /// Fresh capture slots for [`Template::search`].
    pub(crate) fn capture_locations(&self) -> CaptureLocations {
        self.regex.capture_locations()
    }

    /// Searches `subject[start..]` (lookbehind may see before `start`).
    /// Returns the whole match's span; the groups are left in `locs`.
    pub(crate) fn search(
        &self,
        locs: &mut CaptureLocations,
        subject: &[u8],
        start: usize,
    ) -> Option<(usize, usize)> {
        match self.regex.captures_read_at(locs, subject, start) {
            Ok(Some(m)) => Some((m.start(), m.end())),
            _ => None,
        }
    }

    /// The instant for the last successful [`Template::search`] on `line`.
    pub(crate) fn value(
        &self,
        locs: &CaptureLocations,
        line: &str,
        zone: DefaultZone,
        now_ms: i64,
    ) -> Option<i64> {
        let text = |group: usize| locs.get(group).and_then(|(s, e)| line.get(s..e));
        match &self.value {
            Value::Fields(fields) => {
                let mut parts = Parts::default();
                for &(group, field) in fields {
                    if let Some(t) = text(group) {
                        parts.set(field, t)?;
                    }
                }
                parts.resolve(zone, now_ms)
            }
            Value::Epoch { group, long } => epoch_ms(text(*group)?, *long),
            Value::Tai64n { group } => tai64n_ms(text(*group)?),
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum ValueKind {
    Fields,
    Epoch { long: bool },
    Tai64n,
}

fn digits_value(digits: &str) -> Option<i64> {
    if digits.is_empty() || digits.len() > 18 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Epoch text to ms: seconds with optional fraction; in the long form 13–14
/// digits are milliseconds and 16–17 digits microseconds.
fn epoch_ms(text: &str, long: bool) -> Option<i64> {
    let (int_part, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text, None),
    };
    let int_value = digits_value(int_part)?;
    if long && text.len() >= 13 {
        if text.len() >= 16 && frac.is_none() {
            return Some(int_value / 1000);
        }
        return Some(int_value);
    }
    let mut millis = 0;
    if let Some(frac) = frac {
        for i in 0..3 {
            let d = frac
                .as_bytes()
                .get(i)
                .map_or(0, |b| i64::from(b.wrapping_sub(b'0')));
            if d > 9 {
                return None;
            }
            millis = millis * 10 + d;
        }
    }
    int_value.checked_mul(1000)?.checked_add(millis)
}

/// TAI64N label to ms, read as fail2ban does: the 15 hex digits after `@4`
/// are Unix seconds (no TAI−UTC correction); the last 8 are nanoseconds.
fn tai64n_ms(text: &str) -> Option<i64> {
    let seconds = i64::from_str_radix(text.get(2..17)?, 16).ok()?;
    let nanos = i64::from_str_radix(text.get(17..25)?, 16).ok()?;
    seconds.checked_mul(1000)?.checked_add(nanos / 1_000_000)
}

/// One entry of fail2ban's default template list.
#[derive(Debug, Clone, Copy)]
enum DefaultSpec {
    Pattern(&'static str),
    Epoch,
    Tai64n,
}

/// fail2ban's default date formats, in priority order.
const DEFAULT_SPECS: [DefaultSpec; 17] = [
    // 2005-01-23T21:59:59.981746, 2005-01-23 21:59:59, 2005/01/23 21:59:59, 2006.12.21 06:43:20
    DefaultSpec::Pattern(r"%ExY(?P<_sep>[-/.])%m(?P=_sep)%d(?:T|  ?)%H:%M:%S(?:[.,]%f)?(?:\s*%z)?"),
    // [Sun ]Jan 23 21:59:59[.011][ 2005]
    DefaultSpec::Pattern(r"(?:%a )?%b %d %k:%M:%S(?:\.%f)?(?: %ExY)?"),
    // [Sun ]Jan 23 2005 21:59:59[.011]
    DefaultSpec::Pattern(r"(?:%a )?%b %d %ExY %k:%M:%S(?:\.%f)?"),
    // 23/01/2005 21:59:59, 23/01/05 21:59:59, 17-07-2008 17:23:25
    DefaultSpec::Pattern(r"%d(?P<_sep>[-/])%m(?P=_sep)(?:%ExY|%Exy) %k:%M:%S"),
    // 31/Oct/2006:09:22:55 -0000, 26-Jul-2007 15:20:52[.252][ +0200]
    DefaultSpec::Pattern(r"%d(?P<_sep>[-/])%b(?P=_sep)%ExY[ :]?%H:%M:%S(?:\.%f)?(?: %z)?"),
    // 05/20/2008:01:57:39
    DefaultSpec::Pattern(r"%m/%d/%ExY:%H:%M:%S"),
    // 01-27-2012 16:22:44[.252]
    DefaultSpec::Pattern(r"%m-%d-%ExY %k:%M:%S(?:\.%f)?"),
    // 1138049999[.123]
    DefaultSpec::Epoch,
    // 21:59:59 at line start
    DefaultSpec::Pattern(r"{^LN-BEG}%H:%M:%S"),
    // <09/16/08@05:03:30>
    DefaultSpec::Pattern(r"^<%m/%d/%Exy@%H:%M:%S>"),
    // MySQL 130322 11:46:11
    DefaultSpec::Pattern(r"%Exy%Exm%Exd  ?%H:%M:%S"),
    // Tomcat Jan 23, 2005 9:59:59 PM
    DefaultSpec::Pattern(r"%b %d, %ExY %I:%M:%S %p"),
    // ASSP Apr-27-13 02:33:06
    DefaultSpec::Pattern(r"^%b-%d-%Exy %k:%M:%S"),
    // 20050123T215959, 20050123 215959
    DefaultSpec::Pattern(r"%ExY%Exm%Exd(?:T|  ?)%ExH%ExM%ExS(?:[.,]%f)?(?:\s*%z)?"),
    // PDT Apr 16 21:05:29
    DefaultSpec::Pattern(r"(?:%Z )?(?:%a )?%b %d %k:%M:%S(?:\.%f)?(?: %ExY)?"),
    // +00:00 Jan 23 21:59:59.011 2005
    DefaultSpec::Pattern(r"(?:%z )?(?:%a )?%b %d %k:%M:%S(?:\.%f)?(?: %ExY)?"),
    // @4000000041f4104f00000000
    DefaultSpec::Tai64n,
];

/// The removable boundary prefix/suffix of a template, for `{DATE}`.
fn unbound(pattern: &str) -> &str {
    let mut p = pattern.strip_prefix("{UNB}").unwrap_or(pattern);
    p = p.strip_prefix("{^LN-BEG}").unwrap_or(p);
    for prefix in [r"(?:^|\b|\W)", r"(^|\b|\W)"] {
        p = p.strip_prefix(prefix).unwrap_or(p);
    }
    p.strip_suffix(r"(?=\b|\W|$)").unwrap_or(p)
}

fn build_default(spec: DefaultSpec) -> Result<Template, String> {
    match spec {
        DefaultSpec::Pattern(p) => Template::strptime(p),
        DefaultSpec::Epoch => Template::epoch(false, false),
        DefaultSpec::Tai64n => Template::tai64n(false),
    }
}

/// The line-start variant fail2ban puts in front of each non-anchored
/// default template, preferred by weight.
fn build_line_start_variant(spec: DefaultSpec) -> Result<Option<Template>, String> {
    let template = match spec {
        DefaultSpec::Pattern(p) if p.starts_with('^') || p.starts_with("{^LN-BEG}") => {
            return Ok(None);
        }
        DefaultSpec::Pattern(p) => Template::strptime(&format!("{{^LN-BEG}}{p}"))?,
        DefaultSpec::Epoch => Template::epoch(true, false)?,
        DefaultSpec::Tai64n => Template::tai64n(true)?,
    };
    Ok(Some(Template {
        weight: 100.0,
        ..template
    }))
}

/// fail2ban's full default list: the line-start variants first, then the
/// 17 formats. Compiled once per process.
pub(crate) fn default_templates() -> Result<&'static [Arc<Template>], String> {
    static CELL: OnceLock<Result<Vec<Arc<Template>>, String>> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut variants = Vec::new();
        let mut plain = Vec::new();
        for spec in DEFAULT_SPECS {
            if let Some(t) = build_line_start_variant(spec)? {
                variants.push(Arc::new(t));
            }
            plain.push(Arc::new(build_default(spec)?));
        }
        variants.extend(plain);
        Ok(variants)
    })
    .as_deref()
    .map_err(Clone::clone)
}

/// Templates for a `{DATE}` datepattern: each default format put in place of
/// `{DATE}`. The epoch and TAI64N formats are left out: fail2ban 1.0.2
/// substitutes their display names there, which never matches a real date.
pub(crate) fn date_placeholder_templates(pattern: &str) -> Result<Vec<Template>, String> {
    let mut out = Vec::new();
    for spec in DEFAULT_SPECS {
        let DefaultSpec::Pattern(p) = spec else {
            continue;
        };
        let wrapped = replace_date_placeholder(pattern, unbound(p));
        out.push(Template::strptime(&wrapped)?);
    }
    Ok(out)
}

/// Replaces every unescaped `{DATE}` (any case) by `with`.
fn replace_date_placeholder(pattern: &str, with: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + with.len());
    let bytes = pattern.as_bytes();
    let mut i = 0;
    let mut last = 0;
    while i + 6 <= bytes.len() {
        if bytes[i..i + 6].eq_ignore_ascii_case(b"{DATE}") && (i == 0 || bytes[i - 1] != b'\\') {
            out.push_str(&pattern[last..i]);
            out.push_str(with);
            i += 6;
            last = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&pattern[last..]);
    out
}

/// Whether a datepattern contains a `{DATE}` placeholder (any case).
pub(crate) fn has_date_placeholder(pattern: &str) -> bool {
    pattern.to_ascii_uppercase().contains("{DATE}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_flags_are_rewritten() {
        assert_eq!(python_to_pcre("(?iu)abc"), "(?i)abc");
        assert_eq!(python_to_pcre("(?u)abc"), "abc");
        assert_eq!(python_to_pcre("(?u:x)"), "(?:x)");
        assert_eq!(python_to_pcre(r"a\Z"), r"a\z");
        assert_eq!(python_to_pcre(r"[\Z(?u)]"), r"[\Z(?u)]");
        assert_eq!(python_to_pcre(r"\(?u)"), r"\(?u)");
    }

    #[test]
    fn unknown_directive_is_an_error() {
        assert!(Template::strptime("%q").is_err());
        assert!(Template::strptime("%Exb").is_err());
        assert!(Template::strptime("100%").is_err());
        assert!(Template::strptime("%%Y %H").is_ok());
    }

    #[test]
    fn epoch_values() {
        assert_eq!(epoch_ms("1138049999", false), Some(1_138_049_999_000));
        assert_eq!(epoch_ms("1138049999.555", false), Some(1_138_049_999_555));
        assert_eq!(epoch_ms("1138049999555", true), Some(1_138_049_999_555));
        assert_eq!(epoch_ms("1138049999555123", true), Some(1_138_049_999_555));
        assert_eq!(epoch_ms("1138049999555.5", true), Some(1_138_049_999_555));
        assert_eq!(
            tai64n_ms("@4000000041f4104f00000000"),
            Some(1_106_513_999_000)
        );
    }
}
