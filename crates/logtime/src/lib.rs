//! Finding and parsing timestamps in log lines, with fail2ban's `datepattern`
//! dialect and its default templates. Pure: no IO beyond reading the local
//! timezone through chrono.
//!
//! Behaviour follows fail2ban 1.0.2's date detector: the same template list
//! and order, the same implicit word/line boundaries, the same "try the last
//! template first, then search and bubble the winner up" strategy (so a date
//! deep in a message does not win over the usual one), and the same rules for
//! dates without year, day or zone. Differences are listed on
//! [`DateDetector`].

mod strptime;
mod template;
mod zone;

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use pcre2::bytes::CaptureLocations;

use crate::strptime::DefaultZone;
use crate::template::Template;

/// Only this many leading bytes of a line are searched for a date, so a
/// huge line costs no more than a normal one. fail2ban itself searches the
/// whole line; real dates sit well inside this prefix.
pub const DATE_SEARCH_LIMIT_BYTES: usize = 1024;

/// How long (ms) a template may go unused before any other may take its
/// place when the list is reordered (fail2ban: 5 minutes).
const UNUSED_TEMPLATE_MS: i64 = 300_000;

/// The pattern `ISO8601` stands for (a fail2ban 0.9 special).
const ISO8601_PATTERN: &str = r"%Y-%m-%d[T ]%H:%M:%S(?:\.%f)?(?:%z)?";

/// A timestamp found in a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMatch {
    /// The instant, Unix epoch milliseconds (UTC). For a pattern that
    /// matched no text (`{NONE}`, or an optional date that was absent) this
    /// is the `now_ms` given to [`DateDetector::detect`].
    pub time_ms: i64,
    /// Byte range of the date text in the line, which the filter cuts out.
    /// Empty when the pattern matched no text.
    pub span: Range<usize>,
}

/// Errors building a detector from a `datepattern`.
#[derive(Debug, thiserror::Error)]
pub enum DateError {
    /// A pattern line is not valid (unknown `%` directive, bad regex, duplicate).
    #[error("invalid datepattern {pattern:?}: {reason}")]
    InvalidPattern {
        /// The offending pattern line.
        pattern: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A `logtimezone` value that is not `[ABBR][+-hh[:]mm]`.
    #[error("unknown or unsupported time zone {zone:?} (expected e.g. UTC, CET, UTC+0200, -04:30)")]
    InvalidTimeZone {
        /// The rejected value.
        zone: String,
    },
}

/// A template in this detector's list, with its usage statistics.
struct Slot {
    template: Arc<Template>,
    locs: CaptureLocations,
    /// Times this template was the chosen one.
    hits: u64,
    /// Times its regex matched at all (chosen or not).
    matched: u64,
    last_used_ms: i64,
    /// Where its last chosen match started.
    distance: usize,
}

impl Slot {
    fn new(template: Arc<Template>) -> Slot {
        Slot {
            locs: template.capture_locations(),
            template,
            hits: 0,
            matched: 0,
            last_used_ms: 0,
            distance: NEVER,
        }
    }

    fn weight(&self) -> f64 {
        // Precision loss only beyond 2^52 hits.
        #[allow(clippy::cast_precision_loss)]
        let hits = self.hits as f64;
        #[allow(clippy::cast_precision_loss)]
        let distance = self.distance.max(1) as f64;
        hits * self.template.weight / distance
    }
}

/// Position placeholder for "never matched".
const NEVER: usize = 0x7fff_ffff;

/// The boundary of the last chosen date: offset, character before, character at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Edge {
    pos: usize,
    before: Option<char>,
    at: Option<char>,
}

impl Edge {
    fn of(line: &str, pos: usize) -> Edge {
        Edge {
            pos,
            before: line.get(..pos).and_then(|s| s.chars().next_back()),
            at: line.get(pos..).and_then(|s| s.chars().next()),
        }
    }
}

/// A match chosen or held in reserve: slot, whole-match span, and the
/// search window that produced it (to restore its captures).
#[derive(Debug, Clone, Copy)]
struct Candidate {
    slot: usize,
    start: usize,
    end: usize,
    search_from: usize,
    search_to: usize,
}

/// Finds dates in lines. Stateful only as a cache of the last template that
/// matched (and the usage order of templates).
///
/// Known differences from fail2ban 1.0.2:
/// - Fractions of a second (`%f`, epoch `.123`, TAI64N nanoseconds) are kept
///   to the millisecond; fail2ban drops them for `%f` and TAI64N.
/// - Only the first [`DATE_SEARCH_LIMIT_BYTES`] of a line are searched; a
///   match that runs into that limit is ignored.
/// - Matching is byte-wise (ASCII classes): `\w`, `\b`, `\d` ignore non-ASCII
///   letters and digits.
/// - A date whose text matched but is invalid (30 Feb, unknown zone name)
///   gives `None`; fail2ban still cuts such text out of the line.
/// - `{DATE}` patterns skip the epoch and TAI64N formats (fail2ban puts their
///   display names there, which only matches the literal words).
/// - `ISO8601` is accepted as a pattern (fail2ban 0.9); 1.0.2 reads it as text.
/// - Template usage statistics are per detector, not shared between jails.
pub struct DateDetector {
    slots: Vec<Slot>,
    default_zone: DefaultZone,
    last_slot: Option<usize>,
    last_start: Edge,
    last_end: Edge,
    first_unused: usize,
    /// The last syslog prefix resolved, with the `now_ms` it was resolved
    /// against and the result: consecutive lines mostly share their second.
    last_syslog: Option<SyslogMemo>,
}

type SyslogParts = (u32, u32, u32, u32, u32);

#[derive(Debug, Clone, Copy)]
struct SyslogMemo {
    parts: SyslogParts,
    now_ms: i64,
    time_ms: Option<i64>,
}

impl fmt::Debug for DateDetector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self
            .slots
            .iter()
            .map(|s| s.template.name.as_str())
            .collect();
        f.debug_struct("DateDetector")
            .field("templates", &names)
            .field("default_zone", &self.default_zone)
            .field("last_slot", &self.last_slot)
            .finish_non_exhaustive()
    }
}

fn invalid(pattern: &str, reason: impl Into<String>) -> DateError {
    DateError::InvalidPattern {
        pattern: pattern.to_string(),
        reason: reason.into(),
    }
}

impl DateDetector {
    /// `datepattern` is fail2ban's (one or more patterns, one per line), or
    /// `None` for automatic detection with the default templates.
    pub fn new(datepattern: Option<&str>) -> Result<Self, DateError> {
        let mut detector = DateDetector {
            slots: Vec::new(),
            default_zone: DefaultZone::Local,
            last_slot: None,
            last_syslog: None,
            last_start: Edge {
                pos: 1,
                before: None,
                at: None,
            },
            last_end: Edge {
                pos: NEVER,
                before: None,
                at: None,
            },
            first_unused: 0,
        };
        let lines: Vec<&str> = datepattern
            .map(|p| p.lines().map(str::trim).filter(|l| !l.is_empty()).collect())
            .unwrap_or_default();
        for line in &lines {
            detector.add_pattern(line)?;
        }
        if detector.slots.is_empty() {
            detector.add_defaults(false, "")?;
        }
        Ok(detector)
    }

    /// Reads dates that carry no zone as being in `zone` (fail2ban's
    /// `logtimezone`: `UTC`, `CET`, `UTC+0200`, `-04:30`, …) instead of
    /// local time; `None` restores local time.
    pub fn set_default_tz(&mut self, zone: Option<&str>) -> Result<(), DateError> {
        self.default_zone = match zone {
            None => DefaultZone::Local,
            Some(text) => DefaultZone::Fixed(zone::parse_zone(text).ok_or_else(|| {
                DateError::InvalidTimeZone {
                    zone: text.to_string(),
                }
            })?),
        };
        self.last_syslog = None;
        Ok(())
    }

    fn add_defaults(&mut self, line_begin_only: bool, pattern: &str) -> Result<(), DateError> {
        let ignore_duplicates = !self.slots.is_empty();
        for template in template::default_templates().map_err(|e| invalid(pattern, e))? {
            if line_begin_only && !template.line_begin {
                continue;
            }
            self.push(Arc::clone(template), ignore_duplicates, pattern)?;
        }
        Ok(())
    }

    fn push(
        &mut self,
        template: Arc<Template>,
        ignore_duplicates: bool,
        pattern: &str,
    ) -> Result<(), DateError> {
        if self.slots.iter().any(|s| s.template.name == template.name) {
            if ignore_duplicates {
                return Ok(());
            }
            return Err(invalid(pattern, "duplicate date template"));
        }
        self.slots.push(Slot::new(template));
        Ok(())
    }

    fn add_pattern(&mut self, pattern: &str) -> Result<(), DateError> {
        let key = if pattern.contains('%') {
            pattern.to_string()
        } else {
            pattern.to_ascii_uppercase()
        };
        let err = |e: String| invalid(pattern, e);
        match key.as_str() {
            "{^LN-BEG}" => return self.add_defaults(true, pattern),
            "{DEFAULT}" => return self.add_defaults(false, pattern),
            _ => {}
        }
        if template::has_date_placeholder(&key) {
            let ignore_duplicates = !self.slots.is_empty();
            for t in template::date_placeholder_templates(pattern).map_err(err)? {
                self.push(Arc::new(t), ignore_duplicates, pattern)?;
            }
            return Ok(());
        }
        let template = match key.as_str() {
            "{NONE}" => Template::strptime("{UNB}^"),
            "EPOCH" | "{^LN-BEG}EPOCH" | "^EPOCH" => Template::epoch(key != "EPOCH", false),
            "LEPOCH" | "{^LN-BEG}LEPOCH" | "^LEPOCH" => Template::epoch(key != "LEPOCH", true),
            "TAI64N" | "{^LN-BEG}TAI64N" | "^TAI64N" => Template::tai64n(key != "TAI64N"),
            "ISO8601" => Template::strptime(ISO8601_PATTERN),
            _ if key.contains("EPOCH")
                && Template::has_epoch_placeholder(pattern).map_err(err)? =>
            {
                Template::epoch_pattern(pattern)
            }
            _ => Template::strptime(pattern),
        }
        .map_err(err)?;
        self.push(Arc::new(template), false, pattern)
    }

    /// Find the date in `line`. `now_ms` resolves year-less dates.
    pub fn detect(&mut self, line: &str, now_ms: i64) -> Option<DateMatch> {
        if let Some(found) = self.detect_syslog_prefix(line, now_ms) {
            return found;
        }
        let chosen = self.choose(line, now_ms)?;
        let slot = &self.slots[chosen];
        let (start, end) = slot
            .locs
            .get(1)
            .unwrap_or((chosen_start(slot), chosen_start(slot)));
        if !line.is_char_boundary(start) || !line.is_char_boundary(end) {
            return None;
        }
        if start == end {
            return Some(DateMatch {
                time_ms: now_ms,
                span: start..end,
            });
        }
        let time_ms = slot
            .template
            .value(&slot.locs, line, self.default_zone, now_ms)?;
        Some(DateMatch {
            time_ms,
            span: start..end,
        })
    }

    /// Hot path: when the last template was the line-start syslog one and
    /// the line starts with a plain `Mon DD HH:MM:SS`, read it directly with
    /// the same outcome (and bookkeeping) as the regex. `None` = not handled.
    fn detect_syslog_prefix(&mut self, line: &str, now_ms: i64) -> Option<Option<DateMatch>> {
        let last = self.last_slot?;
        if !self.slots.get(last)?.template.syslog_shortcut {
            return None;
        }
        let (month, day, hour, minute, second) = template::syslog_prefix(line)?;
        self.slots[last].matched += 1;
        self.commit(
            Candidate {
                slot: last,
                start: 0,
                end: 15,
                search_from: 0,
                search_to: line.len(),
            },
            line,
            now_ms,
        );
        let key = (month, day, hour, minute, second);
        let time_ms = match self.last_syslog {
            // Same text, same clock: resolving again gives the same instant.
            Some(memo) if memo.parts == key && memo.now_ms == now_ms => memo.time_ms,
            _ => {
                let time_ms = strptime::Parts::month_day_time(month, day, hour, minute, second)
                    .resolve(self.default_zone, now_ms);
                self.last_syslog = Some(SyslogMemo {
                    parts: key,
                    now_ms,
                    time_ms,
                });
                time_ms
            }
        };
        Some(time_ms.map(|time_ms| DateMatch {
            time_ms,
            span: 0..15,
        }))
    }

    /// Runs one slot's regex over `line[from..to]`, honouring the search limit.
    fn search(&mut self, slot: usize, line: &str, from: usize, to: usize) -> Option<Candidate> {
        let limit = floor_char_boundary(line, line.len().min(DATE_SEARCH_LIMIT_BYTES));
        let to = to.min(limit);
        if from > to {
            return None;
        }
        let subject = &line.as_bytes()[..to];
        let s = &mut self.slots[slot];
        let (start, end) = s.template.search(&mut s.locs, subject, from)?;
        if limit < line.len() && end == limit {
            // The match may only have ended because the text was cut here.
            return None;
        }
        s.matched += 1;
        Some(Candidate {
            slot,
            start,
            end,
            search_from: from,
            search_to: to,
        })
    }

    /// Picks the template for `line` (fail2ban's `matchTime`) and returns its
    /// slot index, with that slot's captures describing the match.
    fn choose(&mut self, line: &str, now_ms: i64) -> Option<usize> {
        let count = self.slots.len();
        let mut chosen: Option<Candidate> = None;
        let mut reserve: Option<Candidate> = None;
        let mut skip_in_search = None;

        // 1. The last template, where the last date was, if the surroundings agree.
        if let Some(last) = self.last_slot.filter(|&i| i < count) {
            let found = if self.slots[last].template.line_anchored {
                skip_in_search = Some(last);
                self.search(last, line, 0, line.len())
            } else {
                let (start, end) = (self.last_start, self.last_end);
                let here_start = Edge::of(line, start.pos);
                let here_end = Edge::of(line, end.pos);
                let not_alnum = |c: Option<char>| c.is_some_and(|c| !c.is_alphanumeric());
                let start_ok = here_start.before == start.before
                    || (here_start.at == start.at && not_alnum(start.at));
                let end_ok = here_end.at == end.at
                    || (here_end.before == end.before && not_alnum(end.before));
                if start_ok && end_ok && line.is_char_boundary(start.pos.min(line.len())) {
                    self.search(last, line, start.pos, end.pos)
                } else {
                    skip_in_search = Some(last);
                    self.search(last, line, 0, line.len())
                }
            };
            if let Some(c) = found {
                let same_place = c.start == self.last_start.pos && c.end == self.last_end.pos;
                if count == 1 || self.slots[last].template.line_anchored || same_place {
                    chosen = Some(c);
                } else {
                    reserve = Some(c);
                }
            }
        }

        // 2. Search the list in order; a match further into the line than
        //    usual is held in reserve in case a closer one turns up.
        if chosen.is_none() {
            for i in 0..count {
                if skip_in_search == Some(i) {
                    continue;
                }
                let Some(c) = self.search(i, line, 0, line.len()) else {
                    continue;
                };
                let slot = &self.slots[i];
                let accept = i + 1 >= count
                    || slot.template.line_anchored
                    || (c.start == 0 && slot.hits > 0 && self.slots[i + 1].matched == 0)
                    || !(c.start > slot.distance || c.start > self.last_start.pos);
                if accept {
                    chosen = Some(c);
                    break;
                }
                if reserve.is_none_or(|r| c.start < r.start) {
                    reserve = Some(c);
                }
            }
            if chosen.is_none() {
                let r = reserve?;
                // Its captures may have been overwritten by a later search.
                let s = &mut self.slots[r.slot];
                s.template
                    .search(&mut s.locs, &line.as_bytes()[..r.search_to], r.search_from)?;
                chosen = Some(r);
            }
        }

        chosen.map(|c| self.commit(c, line, now_ms))
    }

    /// Records `c` as the winner; returns its (possibly moved) slot index.
    fn commit(&mut self, c: Candidate, line: &str, now_ms: i64) -> usize {
        let slot = &mut self.slots[c.slot];
        slot.hits += 1;
        slot.last_used_ms = now_ms;
        slot.distance = c.start;
        if self.first_unused == c.slot {
            self.first_unused += 1;
        }
        self.last_start = Edge::of(line, c.start);
        self.last_end = Edge::of(line, c.end);
        let mut index = c.slot;
        if index != 0 && Some(index) != self.last_slot {
            index = self.bubble_up(index);
        }
        self.last_slot = Some(index);
        index
    }

    /// Moves a template that just won towards the front if it has earned it
    /// (more weighted hits than the one in the way, or that one is stale).
    fn bubble_up(&mut self, from: usize) -> usize {
        let weight = self.slots[from].weight();
        let stale_before = self.slots[from].last_used_ms - UNUSED_TEMPLATE_MS;
        let may_take = |slots: &[Slot], pos: usize| {
            weight > slots[pos].weight() || stale_before > slots[pos].last_used_ms
        };
        let mut to = if self.first_unused < from {
            self.first_unused
        } else {
            from / 2
        };
        if !may_take(&self.slots, to) {
            if to + 1 == from {
                return from;
            }
            to = from - 1;
            if !may_take(&self.slots, to) {
                return from;
            }
        }
        let slot = self.slots.remove(from);
        self.slots.insert(to, slot);
        while self.first_unused < self.slots.len() && self.slots[self.first_unused].hits > 0 {
            self.first_unused += 1;
        }
        to
    }
}

fn chosen_start(slot: &Slot) -> usize {
    slot.locs.get(0).map_or(0, |(s, _)| s)
}

fn floor_char_boundary(s: &str, mut index: usize) -> usize {
    while index > 0 && !s.is_char_boundary(index) {
        index -= 1;
    }
    index
}
