//! Log-line matching: fail2ban filter semantics compiled to Rust `regex` or PCRE2.
//!
//! This crate is a pure decision core: it never does IO. It turns lines into
//! [`LineResult`]s; the caller decides what to do with failures.
//!
//! Per line, in fail2ban's order: find the date and cut it out, `prefregex`
//! (keeping only `<F-CONTENT>` when present), `ignoreregex`, then the
//! `failregex` list, first match wins; multi-line ids (`<F-MLFID>`) merge
//! failures across lines. Lines are bounded ([`MAX_LINE_BYTES`]) and PCRE2
//! searches carry match limits, so no line can stall the engine.

use std::collections::VecDeque;
use std::net::IpAddr;
use std::ops::Range;

use clawguard_logtime::{DateDetector, DateError};

mod engine;
mod mlfid;
mod prefilter;
mod translate;

pub use engine::{EngineChoice, EngineKind};
pub use mlfid::{MLFID_MAX_IDS, MLFID_TTL_MS};
pub use translate::UseDns;

use engine::{CompiledRegex, Slots};
use mlfid::{MlfEntry, MlfidCache};

/// A fail2ban filter after config interpolation. Regex tags such as `<HOST>`,
/// `<ADDR>`, `<F-USER>…</F-USER>` and `<SKIPLINES>` are still present; the
/// config reader (`clawguard-f2b`) has substituted every other `<name>` and
/// `%(name)s` reference.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterDef {
    /// Name the filter was loaded under (`sshd`, `openclaw-api`, a path, …).
    pub name: String,
    /// `prefregex`: must match first; its `<F-CONTENT>` is what failregexes see.
    pub prefregex: Option<String>,
    /// `failregex` list, in order (first match wins); empty entries are skipped.
    pub failregex: Vec<String>,
    /// `ignoreregex` list; empty entries are skipped.
    pub ignoreregex: Vec<String>,
    /// fail2ban `datepattern`, still in fail2ban syntax (`%%` already reduced to `%`).
    pub datepattern: Option<String>,
    /// `maxlines` (1 when unset).
    pub maxlines: usize,
    /// `journalmatch`: a disjunction (`+`) of conjunctions of `FIELD=value`.
    pub journalmatch: Vec<Vec<String>>,
}

/// How a single line was classified, as `fail2ban-regex` counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// A failregex matched (possibly completing a multi-line failure). A match
    /// whose address is still unknown (pending on its multi-line id) or is not
    /// an IP (an `<F-ID>` that isn't one) is `Matched` with no failures, as
    /// `fail2ban-regex` counts it.
    Matched,
    /// An ignoreregex matched, or the line only supplied data (`F-NOFAIL`).
    Ignored,
    /// Nothing matched.
    Missed,
    /// The line was longer than the bound ([`MAX_LINE_BYTES`], or the
    /// source's own) and was not matched: a failure read from the part that
    /// was kept could name an address the whole line does not blame.
    Truncated,
}

/// One failure attributed to one address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The offending address, with `::ffff:a.b.c.d` normalised to IPv4.
    pub addr: IpAddr,
    /// How many failures this line stands for (usually 1).
    pub count: u32,
    /// `<F-USER>` when the filter captured one.
    pub user: Option<String>,
}

/// What one line produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineResult {
    /// Matched, ignored or missed.
    pub kind: LineKind,
    /// Time found in the line, Unix epoch milliseconds (UTC), if any.
    pub time_ms: Option<i64>,
    /// The failures this line produced (at most one today).
    pub failures: Vec<Failure>,
}

pub mod openclaw;

/// Lines longer than this many bytes are not matched ([`LineKind::Truncated`]).
pub const MAX_LINE_BYTES: usize = 16 * 1024;
/// Largest accepted `maxlines`.
pub const MAX_MAXLINES: usize = 256;
/// Most regexes (prefregex + failregex + ignoreregex) one filter may have.
pub const MAX_REGEXES: usize = 512;
/// A line without a date inherits the previous line's date if that is at most this old (fail2ban: 60 s).
const LAST_DATE_REUSE_MS: i64 = 60_000;

/// Compilation knobs that are not part of the filter file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FilterOptions {
    /// `<HOST>` semantics; clawguard runs with `usedns = no`.
    pub use_dns: UseDns,
    /// Which regex engines to use (all give the same results).
    pub engine: EngineChoice,
    /// Disable the literal prefilter (to cross-check it).
    pub no_prefilter: bool,
}

/// Errors compiling a filter.
#[derive(Debug, thiserror::Error)]
pub enum FilterError {
    /// A regex failed to compile in every engine.
    #[error("filter {filter:?}: cannot compile {kind} #{index} {pattern:?}: {reason}")]
    Regex {
        filter: String,
        kind: &'static str,
        index: usize,
        pattern: String,
        reason: String,
    },
    /// A failregex (with the prefregex) captures no address or id.
    #[error(
        "filter {filter:?}: failregex #{index} {pattern:?} has no failure-id group (<HOST>, <ADDR>, <F-ID>, <F-MLFID>, …)"
    )]
    NoFailureId {
        filter: String,
        index: usize,
        pattern: String,
    },
    /// The filter has no (non-empty) failregex.
    #[error("filter {filter:?}: no failregex")]
    NoFailregex { filter: String },
    /// A size bound was exceeded (`maxlines`, number of regexes).
    #[error("filter {filter:?}: {what} {value} exceeds the limit {limit}")]
    Limit {
        filter: String,
        what: &'static str,
        value: usize,
        limit: usize,
    },
    /// The `datepattern` is invalid.
    #[error("filter {filter:?}: {source}")]
    Date {
        filter: String,
        #[source]
        source: DateError,
    },
}

/// A compiled filter with its per-log state (date template cache, `maxlines`
/// buffer, multi-line ids). Use one per log stream.
pub struct Filter {
    name: String,
    dates: DateDetector,
    prefregex: Option<CompiledRegex>,
    failregex: Vec<CompiledRegex>,
    ignoreregex: Vec<CompiledRegex>,
    maxlines: usize,
    /// Date-stripped lines kept for multi-line regexes (`maxlines > 1`).
    lines: VecDeque<String>,
    mlfids: MlfidCache,
    prefilter: Option<aho_corasick::AhoCorasick>,
    last_date_ms: Option<i64>,
    /// Scratch buffers reused across lines.
    buf: String,
    content: String,
    engine_limit_hits: u64,
    truncated_lines: u64,
    last_failregex: Option<usize>,
}

impl std::fmt::Debug for Filter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Filter")
            .field("name", &self.name)
            .field("failregex", &self.failregex.len())
            .field("maxlines", &self.maxlines)
            .finish_non_exhaustive()
    }
}

fn non_empty(list: &[String]) -> impl Iterator<Item = (usize, &String)> {
    list.iter()
        .enumerate()
        .filter(|(_, r)| !r.trim().is_empty())
}

impl Filter {
    /// Compiles `def` with default options (`usedns = no`).
    pub fn compile(def: &FilterDef) -> Result<Filter, FilterError> {
        Self::compile_with(def, FilterOptions::default())
    }

    /// Compiles `def` with explicit options.
    pub fn compile_with(def: &FilterDef, opts: FilterOptions) -> Result<Filter, FilterError> {
        let filter = def.name.clone();
        let maxlines = def.maxlines.max(1);
        if maxlines > MAX_MAXLINES {
            return Err(FilterError::Limit {
                filter,
                what: "maxlines",
                value: maxlines,
                limit: MAX_MAXLINES,
            });
        }
        let total = def.failregex.len() + def.ignoreregex.len() + 1;
        if total > MAX_REGEXES {
            return Err(FilterError::Limit {
                filter,
                what: "regex count",
                value: total,
                limit: MAX_REGEXES,
            });
        }
        let multiline = maxlines > 1;
        let build = |kind: &'static str, index: usize, raw: &str, ml: bool| {
            let expanded = translate::expand_tags(raw, opts.use_dns);
            CompiledRegex::compile(&expanded, ml, opts.engine).map_err(|e| FilterError::Regex {
                filter: def.name.clone(),
                kind,
                index,
                pattern: raw.to_string(),
                reason: e.reason,
            })
        };
        // fail2ban compiles prefregex without MULTILINE, the others with it when maxlines > 1.
        let prefregex = match def.prefregex.as_deref().filter(|p| !p.trim().is_empty()) {
            Some(p) => Some(build("prefregex", 0, p, false)?),
            None => None,
        };
        let mut failregex = Vec::new();
        for (i, raw) in non_empty(&def.failregex) {
            let mut re = build("failregex", i, raw, multiline)?;
            if !multiline && !opts.no_prefilter {
                re.anchored_prefixes =
                    prefilter::anchored_prefixes(&re.expanded).map(engine::AnchoredPrefixes::new);
            }
            let pref_has_id = prefregex.as_ref().is_some_and(|p| p.slots.has_failure_id());
            if !re.slots.has_failure_id() && !pref_has_id {
                return Err(FilterError::NoFailureId {
                    filter: def.name.clone(),
                    index: i,
                    pattern: raw.clone(),
                });
            }
            failregex.push(re);
        }
        if failregex.is_empty() {
            return Err(FilterError::NoFailregex { filter });
        }
        let mut ignoreregex = Vec::new();
        for (i, raw) in non_empty(&def.ignoreregex) {
            // fail2ban compiles ignoreregex without MULTILINE even when maxlines > 1.
            ignoreregex.push(build("ignoreregex", i, raw, false)?);
        }
        let prefilter = if maxlines == 1 && !opts.no_prefilter {
            let sets: Vec<_> = failregex
                .iter()
                .chain(ignoreregex.iter())
                .map(|r| prefilter::required_literals(&r.expanded, false))
                .collect();
            prefilter::build(&sets)
        } else {
            None
        };
        let dates =
            DateDetector::new(def.datepattern.as_deref()).map_err(|source| FilterError::Date {
                filter: def.name.clone(),
                source,
            })?;
        Ok(Filter {
            name: def.name.clone(),
            dates,
            prefregex,
            failregex,
            ignoreregex,
            maxlines,
            lines: VecDeque::with_capacity(maxlines),
            mlfids: MlfidCache::default(),
            prefilter,
            last_date_ms: None,
            buf: String::with_capacity(256),
            content: String::with_capacity(256),
            engine_limit_hits: 0,
            truncated_lines: 0,
            last_failregex: None,
        })
    }

    /// The filter's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Which engine runs each failregex, in order.
    pub fn failregex_engines(&self) -> Vec<EngineKind> {
        self.failregex.iter().map(CompiledRegex::kind).collect()
    }

    /// Whether the literal prefilter is active.
    pub fn has_prefilter(&self) -> bool {
        self.prefilter.is_some()
    }

    /// Index (in the filter's non-empty failregex list) of the regex that
    /// decided the last line, if a failregex matched.
    pub fn last_failregex(&self) -> Option<usize> {
        self.last_failregex
    }

    /// Searches abandoned because PCRE2 hit its match/depth/heap limit (counted as no match).
    pub fn engine_limit_hits(&self) -> u64 {
        self.engine_limit_hits
    }

    /// Lines not matched because they were longer than the bound.
    pub fn truncated_lines(&self) -> u64 {
        self.truncated_lines
    }

    /// Processes raw bytes, decoded lossily; longer than [`MAX_LINE_BYTES`]: not matched.
    pub fn process_bytes(&mut self, line: &[u8], now_ms: i64) -> LineResult {
        if line.len() > MAX_LINE_BYTES {
            return self.skip_truncated();
        }
        let cut = line;
        // Almost every line is valid UTF-8: `from_utf8` checks it word by
        // word, several times faster than the lossy chunk walk.
        match std::str::from_utf8(cut) {
            Ok(text) => self.process_line(text, now_ms),
            Err(_) => self.process_line(&String::from_utf8_lossy(cut), now_ms),
        }
    }

    /// Classifies one log line (without its trailing newline). `now_ms`
    /// resolves year-less dates and ages the multi-line id cache.
    pub fn process_line(&mut self, line: &str, now_ms: i64) -> LineResult {
        if line.len() > MAX_LINE_BYTES {
            return self.skip_truncated();
        }
        let date = self.dates.detect(line, now_ms);
        let mut cut = std::mem::take(&mut self.buf);
        cut.clear();
        let time_ms = match date {
            Some(d)
                if d.span.start < d.span.end
                    && d.span.end <= line.len()
                    && line.is_char_boundary(d.span.start)
                    && line.is_char_boundary(d.span.end) =>
            {
                cut.push_str(&line[..d.span.start]);
                cut.push_str(&line[d.span.end..]);
                self.last_date_ms = Some(d.time_ms);
                Some(d.time_ms)
            }
            Some(_) => {
                cut.push_str(line);
                Some(self.recent_last_date(now_ms).unwrap_or(now_ms))
            }
            None => {
                cut.push_str(line);
                self.recent_last_date(now_ms)
            }
        };
        let result = self.find_failures(&mut cut, time_ms, now_ms);
        self.buf = cut;
        result
    }

    /// Classifies one line whose time is already known (journal entries):
    /// no date detection, nothing is cut from the line.
    pub fn process_dated(&mut self, line: &str, time_ms: i64, now_ms: i64) -> LineResult {
        if line.len() > MAX_LINE_BYTES {
            return self.skip_truncated();
        }
        let mut cut = std::mem::take(&mut self.buf);
        cut.clear();
        cut.push_str(line);
        self.last_date_ms = Some(time_ms);
        let result = self.find_failures(&mut cut, Some(time_ms), now_ms);
        self.buf = cut;
        result
    }

    /// Accounts for a line that was cut (here or by its source) without
    /// matching any of it. The multi-line buffer is dropped too: the cut line
    /// sat between the buffered lines and the next one.
    pub fn skip_truncated(&mut self) -> LineResult {
        self.truncated_lines += 1;
        self.lines.clear();
        self.last_failregex = None;
        LineResult {
            kind: LineKind::Truncated,
            time_ms: None,
            failures: Vec::new(),
        }
    }

    fn recent_last_date(&self, now_ms: i64) -> Option<i64> {
        self.last_date_ms
            .filter(|&t| t > now_ms.saturating_sub(LAST_DATE_REUSE_MS))
    }

    /// fail2ban's `findFailure` on a date-stripped line, first match wins.
    fn find_failures(&mut self, cut: &mut String, time_ms: Option<i64>, now_ms: i64) -> LineResult {
        self.last_failregex = None;
        let missed = LineResult {
            kind: LineKind::Missed,
            time_ms,
            failures: Vec::new(),
        };
        let ignored = LineResult {
            kind: LineKind::Ignored,
            time_ms,
            failures: Vec::new(),
        };
        if self.maxlines == 1 {
            if let Some(pf) = &self.prefilter
                && !pf.is_match(cut.as_bytes())
            {
                return missed;
            }
            cut.push('\n');
        } else {
            if self.lines.len() >= self.maxlines {
                self.lines.pop_front();
            }
            self.lines.push_back(cut.clone());
            cut.clear();
            for l in &self.lines {
                cut.push_str(l);
                cut.push('\n');
            }
        }
        let buf: &str = cut;

        // fail2ban checks ignoreregex up front only when there are few of them.
        if !self.ignoreregex.is_empty()
            && self.ignoreregex.len() + 2 < self.failregex.len()
            && self.any_ignore(buf)
        {
            return ignored;
        }

        let mut pref_values = PrefValues::default();
        let mut content_range: Option<Range<usize>> = None;
        if let Some(pref) = &mut self.prefregex {
            match pref.search(buf) {
                Ok(true) => {}
                Ok(false) => return missed,
                Err(_) => {
                    self.engine_limit_hits += 1;
                    return missed;
                }
            }
            pref_values = PrefValues::capture(pref);
            content_range = pref
                .slots
                .content
                .and_then(|i| pref.group(i))
                .filter(|r| !r.is_empty());
        }
        // The failregexes see the content followed by a newline.
        let mut content = std::mem::take(&mut self.content);
        let subject: &str = match &content_range {
            Some(r) if r.end + 1 == buf.len() => &buf[r.start..],
            Some(r) => {
                content.clear();
                content.push_str(&buf[r.clone()]);
                content.push('\n');
                &content
            }
            None => buf,
        };
        if let Some(r) = &content_range
            && self.maxlines > 1
        {
            self.lines.clear();
            self.lines.push_back(buf[r.clone()].to_string());
        }
        let result = self.run_failregex(subject, buf, &pref_values, time_ms, now_ms);
        self.content = content;
        result.unwrap_or(missed)
    }

    fn any_ignore(&mut self, hay: &str) -> bool {
        for re in &self.ignoreregex {
            match re.is_match(hay) {
                Ok(true) => return true,
                Ok(false) => {}
                Err(_) => self.engine_limit_hits += 1,
            }
        }
        false
    }

    fn run_failregex(
        &mut self,
        subject: &str,
        pref_buf: &str,
        pref: &PrefValues,
        time_ms: Option<i64>,
        now_ms: i64,
    ) -> Option<LineResult> {
        let mut hit = None;
        for (idx, re) in self.failregex.iter_mut().enumerate() {
            if re.cannot_match(subject) {
                continue;
            }
            match re.search(subject) {
                Ok(true) => {
                    hit = Some(idx);
                    break;
                }
                Ok(false) => {}
                Err(_) => self.engine_limit_hits += 1,
            }
        }
        let idx = hit?;
        self.last_failregex = Some(idx);
        let kind_ignored = LineResult {
            kind: LineKind::Ignored,
            time_ms,
            failures: Vec::new(),
        };
        // Multi-line: the matched lines leave the buffer; ignoreregex sees only them.
        let mut ignore_hay: Option<String> = None;
        if self.maxlines > 1 {
            let (matched, unmatched) =
                split_matched_lines(&self.failregex[idx], subject, &self.lines);
            let mut s = String::new();
            for l in &matched {
                s.push_str(l);
                s.push('\n');
            }
            ignore_hay = Some(s);
            self.lines = unmatched;
        }
        if !self.ignoreregex.is_empty() {
            let hay = ignore_hay.as_deref().unwrap_or(subject);
            if self.any_ignore(hay) {
                return Some(kind_ignored);
            }
        }
        let re = &self.failregex[idx];
        let fields = Fields::capture(re, subject, pref, pref_buf);
        let decided = match fields.mlfid {
            Some(id) => match self.merge_multiline(mlfid::bounded_id(id), &fields, now_ms) {
                Merge::NoFail => return Some(kind_ignored),
                Merge::Pending => {
                    return Some(LineResult {
                        kind: LineKind::Matched,
                        time_ms,
                        failures: Vec::new(),
                    });
                }
                Merge::Failure(d) => d,
            },
            None => {
                if fields.nofail {
                    return Some(kind_ignored);
                }
                fields.chosen().decide()
            }
        };
        let kind_if_none = LineKind::Matched;
        let (failures, chose_dns) = decided;
        // An unresolved DNS name yields nothing (fail2ban with usedns=no drops it).
        let kind = if failures.is_empty() && chose_dns {
            LineKind::Missed
        } else {
            kind_if_none
        };
        Some(LineResult {
            kind,
            time_ms,
            failures,
        })
    }

    /// fail2ban's multi-line merge for one `F-MLFID`, first-match mode. The
    /// cached entry is updated in place (fail2ban mutates the cached dict).
    fn merge_multiline(&mut self, id: &str, f: &Fields<'_>, now_ms: i64) -> Merge {
        let flags = MergeFlags {
            nofail: f.nofail || f.mlfgained,
            gained: f.mlfgained,
            forget: f.mlfforget,
        };
        if flags.forget {
            // Forgotten: the merged values are used once, then dropped.
            if let Some(mut entry) = self.mlfids.take(id, now_ms) {
                return merge_cached(&mut entry, f, flags).finish(&mut entry);
            }
        } else if let Some(entry) = self.mlfids.get_mut(id, now_ms) {
            return merge_cached(entry, f, flags).finish(entry);
        }
        let mut fresh = MlfEntry::default();
        f.update_entry(&mut fresh, flags.nofail, flags.gained);
        fresh.add_user(f.user);
        if flags.forget {
            return flags.finish(&mut fresh);
        }
        match self.mlfids.insert(id, fresh, now_ms) {
            Some(entry) => flags.finish(entry),
            None => Merge::Pending,
        }
    }
}

/// The per-match flags of fail2ban's merge (its `nfflgs` bits 1, 8 and 2).
#[derive(Clone, Copy)]
struct MergeFlags {
    nofail: bool,
    gained: bool,
    forget: bool,
}

/// Folds a match into an id's cached values; returns the updated flags.
fn merge_cached(entry: &mut MlfEntry, f: &Fields<'_>, flags: MergeFlags) -> MergeFlags {
    entry.add_user(f.user);
    let had_state = std::mem::take(&mut entry.nofail) | std::mem::take(&mut entry.mlfgained);
    if flags.gained {
        entry.mlfpending = false;
    }
    if !had_state && !entry.mlfpending {
        entry.matches = 0;
    }
    f.update_entry(entry, flags.nofail, flags.gained);
    flags
}

impl MergeFlags {
    /// The common tail: pending failures or several users cancel `nofail`;
    /// then decide between data-only, pending and a failure.
    fn finish(mut self, entry: &mut MlfEntry) -> Merge {
        if std::mem::take(&mut entry.mlfpending) || entry.users.len() > 1 {
            entry.nofail = false;
            entry.mlfgained = false;
            self.nofail = false;
            self.gained = false;
        }
        if !self.nofail {
            entry.matches = entry
                .matches
                .saturating_add(std::mem::take(&mut entry.nofail_matches))
                .saturating_add(u32::from(!self.gained));
        } else if !self.forget {
            entry.nofail_matches = entry.nofail_matches.saturating_add(1);
        }
        if entry.nofail {
            return Merge::NoFail;
        }
        let chosen = Chosen {
            ip4: entry.ip4.as_deref(),
            ip6: entry.ip6.as_deref(),
            dns: entry.dns.as_deref(),
            fid: entry.fid.as_deref(),
            user: entry.user.as_deref(),
        };
        if chosen.ip4.is_none()
            && chosen.ip6.is_none()
            && chosen.dns.is_none()
            && chosen.fid.is_none()
        {
            entry.mlfpending = true;
            return Merge::Pending;
        }
        Merge::Failure(chosen.decide())
    }
}

enum Merge {
    NoFail,
    Pending,
    /// Failures and whether the DNS group decided the address.
    Failure((Vec<Failure>, bool)),
}

/// A prefregex group: `None` when the prefregex has no such group, else its
/// span if it participated in the match.
type PrefGroup = Option<Option<Range<usize>>>;

/// Values the prefregex captured (spans into its buffer).
#[derive(Default)]
struct PrefValues {
    ip4: PrefGroup,
    ip6: PrefGroup,
    dns: PrefGroup,
    fid: PrefGroup,
    mlfid: PrefGroup,
    user: PrefGroup,
    nofail: PrefGroup,
    mlfforget: PrefGroup,
    mlfgained: PrefGroup,
}

impl PrefValues {
    fn capture(re: &CompiledRegex) -> Self {
        let s = &re.slots;
        let g = |slot: Option<usize>| slot.map(|i| re.group(i));
        let has_user = s.user.is_some() || !s.alt_user.is_empty();
        PrefValues {
            ip4: g(s.ip4),
            ip6: g(s.ip6),
            dns: g(s.dns),
            fid: g(s.fid),
            mlfid: g(s.mlfid),
            user: has_user.then(|| user_value(re, s)),
            nofail: g(s.nofail),
            mlfforget: g(s.mlfforget),
            mlfgained: g(s.mlfgained),
        }
    }
}

/// `user`, or the first non-empty `alt_user…` when `user` is empty (fail2ban's ALT merge).
fn user_value(re: &CompiledRegex, s: &Slots) -> Option<Range<usize>> {
    let user = s.user.and_then(|i| re.group(i));
    if user.as_ref().is_some_and(|r| !r.is_empty()) {
        return user;
    }
    for &i in &s.alt_user {
        if let Some(r) = re.group(i).filter(|r| !r.is_empty()) {
            return Some(r);
        }
    }
    user
}

/// The merged group values of one match (failregex over prefregex), borrowed.
struct Fields<'a> {
    ip4: Option<&'a str>,
    ip6: Option<&'a str>,
    dns: Option<&'a str>,
    fid: Option<&'a str>,
    mlfid: Option<&'a str>,
    user: Option<&'a str>,
    /// Truthy (non-empty) flags, as Python tests them.
    nofail: bool,
    mlfforget: bool,
    mlfgained: bool,
}

impl<'a> Fields<'a> {
    fn capture(re: &CompiledRegex, subject: &'a str, pref: &PrefValues, pref_buf: &'a str) -> Self {
        let s = &re.slots;
        // A group the failregex has overrides the prefregex's, even when unset.
        let pick = |slot: Option<usize>, pref_group: &PrefGroup| -> Option<&'a str> {
            match slot {
                Some(i) => re.group(i).and_then(|r| subject.get(r)),
                None => pref_group.clone().flatten().and_then(|r| pref_buf.get(r)),
            }
        };
        let has_user = s.user.is_some() || !s.alt_user.is_empty();
        let user = if has_user {
            user_value(re, s).and_then(|r| subject.get(r))
        } else {
            pref.user.clone().flatten().and_then(|r| pref_buf.get(r))
        };
        let truthy = |v: Option<&str>| v.is_some_and(|v| !v.is_empty());
        Fields {
            ip4: pick(s.ip4, &pref.ip4),
            ip6: pick(s.ip6, &pref.ip6),
            dns: pick(s.dns, &pref.dns),
            fid: pick(s.fid, &pref.fid),
            mlfid: pick(s.mlfid, &pref.mlfid),
            user,
            nofail: truthy(pick(s.nofail, &pref.nofail)),
            mlfforget: truthy(pick(s.mlfforget, &pref.mlfforget)),
            mlfgained: truthy(pick(s.mlfgained, &pref.mlfgained)),
        }
    }

    /// fail2ban's `dict.update` with the non-None values of this match.
    fn update_entry(&self, e: &mut MlfEntry, nofail: bool, gained: bool) {
        let set = |dst: &mut Option<String>, v: Option<&str>| {
            if let Some(v) = v {
                *dst = Some(v.to_string());
            }
        };
        set(&mut e.ip4, self.ip4);
        set(&mut e.ip6, self.ip6);
        set(&mut e.dns, self.dns);
        set(&mut e.fid, self.fid);
        set(&mut e.user, self.user);
        e.nofail = nofail;
        e.mlfgained = gained;
    }

    fn chosen(&self) -> Chosen<'a> {
        Chosen {
            ip4: self.ip4,
            ip6: self.ip6,
            dns: self.dns,
            fid: self.fid,
            user: self.user,
        }
    }
}

/// A decided failure's values.
struct Chosen<'a> {
    ip4: Option<&'a str>,
    ip6: Option<&'a str>,
    dns: Option<&'a str>,
    fid: Option<&'a str>,
    user: Option<&'a str>,
}

impl Chosen<'_> {
    /// fail2ban's choice of address: ip4, else ip6, else dns (never resolved:
    /// only an IP literal counts), else the failure id if it is an IP.
    /// Also tells whether the DNS group was the one chosen.
    fn decide(self) -> (Vec<Failure>, bool) {
        let chose_dns = self.ip4.is_none() && self.ip6.is_none() && self.dns.is_some();
        let text = self.ip4.or(self.ip6).or(self.dns).or(self.fid);
        let Some(addr) = text.and_then(parse_addr) else {
            return (Vec::new(), chose_dns);
        };
        let failure = Failure {
            addr,
            count: 1,
            user: self.user.map(str::to_string),
        };
        (vec![failure], chose_dns)
    }
}

/// Parses an address as fail2ban accepts it (optionally bracketed), mapping
/// `::ffff:a.b.c.d` to IPv4. Zero-padded IPv4 octets (`192.030.0.6`, which
/// fail2ban keeps as a raw, unbannable id) are read as decimal.
pub fn parse_addr(text: &str) -> Option<IpAddr> {
    let t = text.trim();
    let t = t
        .strip_prefix('[')
        .and_then(|x| x.strip_suffix(']'))
        .unwrap_or(t);
    let addr: IpAddr = match t.parse() {
        Ok(a) => a,
        Err(_) => IpAddr::V4(parse_padded_ipv4(t)?),
    };
    Some(match addr {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(v6),
        },
        v4 => v4,
    })
}

/// Dotted quad whose octets may carry leading zeros (at most 3 digits each).
fn parse_padded_ipv4(t: &str) -> Option<std::net::Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut parts = t.split('.');
    for o in &mut octets {
        let p = parts.next()?;
        if p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *o = p.parse().ok()?;
    }
    if parts.next().is_some() {
        return None;
    }
    Some(std::net::Ipv4Addr::from(octets))
}

/// For a multi-line match: (matched lines, remaining lines), as fail2ban
/// splits its buffer (lines captured by `<SKIPLINES>` stay in the buffer).
fn split_matched_lines(
    re: &CompiledRegex,
    subject: &str,
    lines: &VecDeque<String>,
) -> (Vec<String>, VecDeque<String>) {
    let Some(whole) = re.whole() else {
        return (Vec::new(), lines.clone());
    };
    let bytes = subject.as_bytes();
    let upto = (whole.start + 1).min(bytes.len());
    let line_start = memchr::memrchr(b'\n', &bytes[..upto]).map_or(0, |p| p + 1);
    let from = whole.end.saturating_sub(1).min(bytes.len());
    let line_end = memchr::memchr(b'\n', &bytes[from..]).map_or(bytes.len(), |p| from + p + 1);
    let l1 = memchr::memchr_iter(b'\n', &bytes[..line_start]).count();
    let l2 = memchr::memchr_iter(b'\n', &bytes[..line_end]).count();
    let all: Vec<String> = lines.iter().cloned().collect();
    let l1 = l1.min(all.len());
    let l2 = l2.clamp(l1, all.len());
    let mut matched: Vec<String> = all[l1..l2].to_vec();
    let mut unmatched: VecDeque<String> = all[..l1].iter().cloned().collect();
    let mut skipped: Vec<&str> = Vec::new();
    for &g in &re.slots.skiplines {
        if let Some(r) = re.group(g).and_then(|r| subject.get(r)) {
            skipped.extend(r.lines());
        }
    }
    let mut n = 0usize;
    for s in skipped {
        if let Some(m) = matched[n.min(matched.len())..].iter().position(|l| l == s) {
            let at = n + m;
            unmatched.push_back(matched.remove(at));
            n = at;
        }
    }
    unmatched.extend(all[l2..].iter().cloned());
    (matched, unmatched)
}

#[cfg(test)]
mod tests;
