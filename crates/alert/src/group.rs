//! Grouping, dedup and throttling, as Alertmanager does it, for one sink.
//! Pure: time comes in as an argument, nothing here does IO.
//!
//! - A new group waits `group_wait` for more alerts, then sends one
//!   notification with everything it holds.
//! - After that, a group sends at most once per `group_interval`, and only
//!   when something arrived.
//! - An alert (a fingerprint) already sent less than `repeat_interval` ago
//!   does not by itself make a group send again: its events are counted and
//!   go out with the group's next notification, or after `repeat_interval`.
//!
//! Nothing is dropped silently. Past the bounds (groups, alerts per group,
//! samples) events are folded into counts that the next notification
//! carries ("… N more"). The whole state is serde, so the engine persists it
//! with its journal cursor and a restart neither loses nor double-counts.

use std::collections::{BTreeMap, HashMap};

use clawguard_event::{Engine, Severity};
use serde::{Deserialize, Serialize};

use crate::notification::{
    AlertLine, MAX_ALERTS_LISTED, MAX_SAMPLE_BYTES, MAX_SAMPLES, Notification, cut_at_char,
};

/// Most groups held per sink; alerts of further groups go to [`OVERFLOW_GROUP`].
pub const MAX_GROUPS: usize = 256;
/// Most distinct alerts held per group; further ones are only counted.
pub const MAX_ALERTS_PER_GROUP: usize = 256;
/// Most fingerprints remembered as sent (for `repeat_interval`).
pub const MAX_SENT: usize = 20_000;
/// The group that takes alerts once [`MAX_GROUPS`] are held.
pub const OVERFLOW_GROUP: &str = "overflow";

/// One alert: an event after the rules, with its identity.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    pub fingerprint: String,
    pub group_key: String,
    pub group_labels: BTreeMap<String, String>,
    pub labels: BTreeMap<String, String>,
    pub kind: String,
    pub engine: Engine,
    pub severity: Severity,
    pub summary: String,
    /// A log line, for log rules.
    pub sample: Option<String>,
    pub time_ms: i64,
}

/// The three timers, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timing {
    pub group_wait_ms: i64,
    pub group_interval_ms: i64,
    pub repeat_interval_ms: i64,
}

/// Held events of one alert, not yet in a notification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Held {
    pub kind: String,
    pub engine: Engine,
    pub severity: Severity,
    pub summary: String,
    pub labels: BTreeMap<String, String>,
    pub count: u64,
    pub first_ms: i64,
    pub last_ms: i64,
    pub samples: Vec<String>,
}

/// One group of one sink.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub labels: BTreeMap<String, String>,
    /// When the group sends next, if it holds anything.
    pub next_flush_ms: i64,
    /// When it last sent.
    pub last_flush_ms: Option<i64>,
    /// Held alerts by fingerprint.
    pub alerts: BTreeMap<String, Held>,
    /// Events of alerts not held because the group was full.
    pub folded_events: u64,
    pub folded_first_ms: Option<i64>,
    pub folded_last_ms: Option<i64>,
}

impl Group {
    fn is_empty(&self) -> bool {
        self.alerts.is_empty() && self.folded_events == 0
    }
}

/// The grouping state of one sink.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Grouper {
    pub groups: BTreeMap<String, Group>,
    /// Fingerprint → when it was last sent.
    pub sent: HashMap<String, i64>,
}

impl Grouper {
    /// Fold one alert in.
    pub fn push(&mut self, alert: Alert, timing: &Timing, now_ms: i64) {
        let key = if self.groups.contains_key(&alert.group_key) || self.groups.len() < MAX_GROUPS {
            alert.group_key.clone()
        } else {
            OVERFLOW_GROUP.to_string()
        };
        let group = self.groups.entry(key.clone()).or_insert_with(|| Group {
            labels: if key == OVERFLOW_GROUP {
                BTreeMap::from([("group".to_string(), OVERFLOW_GROUP.to_string())])
            } else {
                alert.group_labels.clone()
            },
            next_flush_ms: now_ms + timing.group_wait_ms,
            last_flush_ms: None,
            alerts: BTreeMap::new(),
            folded_events: 0,
            folded_first_ms: None,
            folded_last_ms: None,
        });
        // A group quiet for longer than group_interval starts over with
        // group_wait, so a new burst is sent as one message.
        let normal_due = match group.last_flush_ms {
            Some(last) if now_ms < last + timing.group_interval_ms => {
                last + timing.group_interval_ms
            }
            _ => now_ms + timing.group_wait_ms,
        };
        let recent_repeat = self
            .sent
            .get(&alert.fingerprint)
            .is_some_and(|&at| now_ms < at + timing.repeat_interval_ms);
        if group.is_empty() {
            group.next_flush_ms = normal_due;
        } else if !group.alerts.contains_key(&alert.fingerprint) && !recent_repeat {
            // Something new: a group waiting only for repeats sends sooner.
            group.next_flush_ms = group.next_flush_ms.min(normal_due);
        }
        if let Some(held) = group.alerts.get_mut(&alert.fingerprint) {
            held.count += 1;
            held.first_ms = held.first_ms.min(alert.time_ms);
            held.last_ms = held.last_ms.max(alert.time_ms);
            held.severity = held.severity.max(alert.severity);
            held.summary = alert.summary;
            push_sample(&mut held.samples, alert.sample);
            return;
        }
        if group.alerts.len() >= MAX_ALERTS_PER_GROUP {
            group.folded_events += 1;
            group.folded_first_ms = Some(
                group
                    .folded_first_ms
                    .map_or(alert.time_ms, |t| t.min(alert.time_ms)),
            );
            group.folded_last_ms = Some(
                group
                    .folded_last_ms
                    .map_or(alert.time_ms, |t| t.max(alert.time_ms)),
            );
            return;
        }
        let mut samples = Vec::new();
        push_sample(&mut samples, alert.sample);
        group.alerts.insert(
            alert.fingerprint,
            Held {
                kind: alert.kind,
                engine: alert.engine,
                severity: alert.severity,
                summary: alert.summary,
                labels: alert.labels,
                count: 1,
                first_ms: alert.time_ms,
                last_ms: alert.time_ms,
                samples,
            },
        );
    }

    /// When the next group is due, if any holds something.
    pub fn next_due(&self) -> Option<i64> {
        self.groups
            .values()
            .filter(|g| !g.is_empty())
            .map(|g| g.next_flush_ms)
            .min()
    }

    /// Build the notifications of every group due at `now_ms`. A group
    /// whose every held alert was sent within `repeat_interval` waits until
    /// the first of them may repeat. Empty groups past `group_interval` are
    /// forgotten, and so are sent fingerprints past `repeat_interval`.
    pub fn flush(
        &mut self,
        sink: &str,
        host: &str,
        timing: &Timing,
        now_ms: i64,
    ) -> Vec<Notification> {
        let mut out = Vec::new();
        for (key, group) in &mut self.groups {
            if group.is_empty() || group.next_flush_ms > now_ms {
                continue;
            }
            let recent = |fp: &str| {
                self.sent
                    .get(fp)
                    .filter(|&&at| now_ms < at + timing.repeat_interval_ms)
                    .copied()
            };
            if group.folded_events == 0 {
                let repeats: Vec<i64> = group.alerts.keys().filter_map(|fp| recent(fp)).collect();
                if repeats.len() == group.alerts.len() {
                    let first_repeat = repeats.iter().min().copied().unwrap_or(now_ms);
                    group.next_flush_ms = first_repeat + timing.repeat_interval_ms;
                    continue;
                }
            }
            let mut lines: Vec<AlertLine> = std::mem::take(&mut group.alerts)
                .into_iter()
                .map(|(fingerprint, held)| AlertLine {
                    repeat: recent(&fingerprint).is_some(),
                    fingerprint,
                    kind: held.kind,
                    engine: held.engine,
                    severity: held.severity,
                    summary: held.summary,
                    labels: held.labels,
                    count: held.count,
                    first_ms: held.first_ms,
                    last_ms: held.last_ms,
                    samples: held.samples,
                })
                .collect();
            // New before repeats, then most severe, then most frequent.
            lines.sort_by(|a, b| {
                a.repeat
                    .cmp(&b.repeat)
                    .then(b.severity.cmp(&a.severity))
                    .then(b.count.cmp(&a.count))
                    .then(a.fingerprint.cmp(&b.fingerprint))
            });
            // Only what the message names counts as sent; an alert it
            // only counted goes out on its own next time.
            for line in lines.iter().take(MAX_ALERTS_LISTED) {
                self.sent.insert(line.fingerprint.clone(), now_ms);
            }
            let events = lines.iter().map(|l| l.count).sum::<u64>() + group.folded_events;
            let first_ms = lines
                .iter()
                .map(|l| l.first_ms)
                .chain(group.folded_first_ms)
                .min()
                .unwrap_or(now_ms);
            let last_ms = lines
                .iter()
                .map(|l| l.last_ms)
                .chain(group.folded_last_ms)
                .max()
                .unwrap_or(now_ms);
            let severity = lines
                .iter()
                .map(|l| l.severity)
                .max()
                .unwrap_or(Severity::Info);
            let mut omitted = lines.len().saturating_sub(MAX_ALERTS_LISTED) as u64;
            lines.truncate(MAX_ALERTS_LISTED);
            // Folded events belong to alerts the group had no room for: at
            // least one more alert.
            if group.folded_events > 0 {
                omitted += 1;
            }
            out.push(Notification {
                id: 0,
                sink: sink.to_string(),
                group_key: key.clone(),
                group_labels: group.labels.clone(),
                severity,
                host: host.to_string(),
                created_ms: now_ms,
                alerts: lines,
                omitted_alerts: omitted,
                events,
                first_ms,
                last_ms,
                test: false,
            });
            group.folded_events = 0;
            group.folded_first_ms = None;
            group.folded_last_ms = None;
            group.last_flush_ms = Some(now_ms);
            group.next_flush_ms = now_ms + timing.group_interval_ms;
        }
        self.groups.retain(|_, g| {
            !g.is_empty()
                || g.last_flush_ms
                    .is_some_and(|last| now_ms < last + timing.group_interval_ms)
        });
        self.sent
            .retain(|_, at| now_ms < *at + timing.repeat_interval_ms);
        if self.sent.len() > MAX_SENT {
            // Forget the oldest: at worst one of them is sent again early.
            let mut times: Vec<i64> = self.sent.values().copied().collect();
            times.sort_unstable();
            let cutoff = times[self.sent.len() - MAX_SENT];
            self.sent.retain(|_, at| *at >= cutoff);
        }
        out
    }

    /// Events held and not yet in a notification.
    pub fn held_events(&self) -> u64 {
        self.groups
            .values()
            .map(|g| g.alerts.values().map(|h| h.count).sum::<u64>() + g.folded_events)
            .sum()
    }
}

fn push_sample(samples: &mut Vec<String>, sample: Option<String>) {
    if let Some(line) = sample
        && samples.len() < MAX_SAMPLES
    {
        samples.push(cut_at_char(&line, MAX_SAMPLE_BYTES).to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Timing = Timing {
        group_wait_ms: 10_000,
        group_interval_ms: 60_000,
        repeat_interval_ms: 4 * 3_600_000,
    };

    fn alert(fp: &str, group: &str, at: i64) -> Alert {
        Alert {
            fingerprint: fp.into(),
            group_key: group.into(),
            group_labels: BTreeMap::from([("kind".into(), group.into())]),
            labels: BTreeMap::new(),
            kind: "log_matched".into(),
            engine: Engine::Logs,
            severity: Severity::Medium,
            summary: format!("{fp} at {at}"),
            sample: Some(format!("line {at}")),
            time_ms: at,
        }
    }

    fn total(ns: &[Notification]) -> u64 {
        ns.iter().map(|n| n.events).sum()
    }

    #[test]
    fn a_new_group_waits_group_wait_then_sends_everything_once() {
        let mut g = Grouper::default();
        for i in 0..100 {
            g.push(alert("a", "g", i), &T, i);
        }
        assert!(g.flush("s", "h", &T, 9_999).is_empty());
        assert_eq!(g.next_due(), Some(10_000));
        let sent = g.flush("s", "h", &T, 10_000);
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].events, 100);
        assert_eq!(sent[0].alerts[0].count, 100);
        assert_eq!(sent[0].alerts[0].samples.len(), MAX_SAMPLES);
        assert_eq!(g.next_due(), None);
    }

    #[test]
    fn a_flood_of_one_alert_makes_few_messages_and_loses_no_count() {
        // 10,000 events in a minute, a new fingerprint every 1,000 events.
        let mut g = Grouper::default();
        let mut messages = Vec::new();
        for i in 0..10_000i64 {
            let now = i * 6; // 60 s in all
            g.push(alert(&format!("fp{}", i / 1_000), "g", now), &T, now);
            messages.extend(g.flush("s", "h", &T, now));
        }
        // Then time passes: everything held goes out.
        for step in 1..=10 {
            messages.extend(g.flush("s", "h", &T, 60_000 + step * 60_000));
        }
        assert!(messages.len() <= 3, "{} messages", messages.len());
        assert_eq!(total(&messages), 10_000);
    }

    #[test]
    fn repeats_alone_wait_for_repeat_interval_but_are_counted() {
        let mut g = Grouper::default();
        g.push(alert("a", "g", 0), &T, 0);
        assert_eq!(g.flush("s", "h", &T, 10_000).len(), 1);
        // The same alert again, many times: not sent at group_interval.
        for t in [70_000, 80_000, 90_000] {
            g.push(alert("a", "g", t), &T, t);
        }
        assert!(g.flush("s", "h", &T, 200_000).is_empty());
        assert_eq!(g.held_events(), 3);
        // A new alert in the group takes the repeats along.
        g.push(alert("b", "g", 300_000), &T, 300_000);
        let sent = g.flush("s", "h", &T, 300_000 + 60_000);
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].events, 4);
        assert!(!sent[0].alerts[0].repeat);
        assert!(sent[0].alerts[1].repeat);
    }

    #[test]
    fn repeats_go_out_after_repeat_interval() {
        let mut g = Grouper::default();
        g.push(alert("a", "g", 0), &T, 0);
        g.flush("s", "h", &T, 10_000);
        g.push(alert("a", "g", 20_000), &T, 20_000);
        assert!(g.flush("s", "h", &T, 70_000).is_empty());
        let due = g.next_due().unwrap();
        assert_eq!(due, 10_000 + T.repeat_interval_ms);
        let sent = g.flush("s", "h", &T, due);
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].events, 1);
    }

    #[test]
    fn groups_and_alerts_are_bounded_and_overflow_is_counted() {
        let mut g = Grouper::default();
        let mut pushed = 0u64;
        for grp in 0..(MAX_GROUPS + 10) {
            for a in 0..(MAX_ALERTS_PER_GROUP + 5) {
                g.push(alert(&format!("{grp}-{a}"), &format!("g{grp}"), 0), &T, 0);
                pushed += 1;
            }
        }
        assert!(g.groups.len() <= MAX_GROUPS + 1);
        assert!(
            g.groups
                .values()
                .all(|x| x.alerts.len() <= MAX_ALERTS_PER_GROUP)
        );
        let sent = g.flush("s", "h", &T, 10_000);
        assert_eq!(total(&sent), pushed);
        for n in &sent {
            assert!(n.alerts.len() <= MAX_ALERTS_LISTED);
            assert!(n.omitted_alerts > 0);
        }
    }

    #[test]
    fn alerts_a_message_only_counted_are_not_taken_as_sent() {
        let mut g = Grouper::default();
        for a in 0..(MAX_ALERTS_LISTED + 5) {
            g.push(alert(&format!("a{a:02}"), "g", 0), &T, 0);
        }
        let first = g.flush("s", "h", &T, 10_000);
        assert_eq!(first[0].omitted_alerts, 5);
        let listed: Vec<String> = first[0]
            .alerts
            .iter()
            .map(|l| l.fingerprint.clone())
            .collect();
        let omitted = (0..MAX_ALERTS_LISTED + 5)
            .map(|a| format!("a{a:02}"))
            .find(|fp| !listed.contains(fp))
            .unwrap();
        // An omitted alert again: it goes out at the next interval, new.
        g.push(alert(&omitted, "g", 20_000), &T, 20_000);
        let next = g.flush("s", "h", &T, 70_000);
        assert_eq!(next.len(), 1);
        assert!(!next[0].alerts[0].repeat);
    }

    #[test]
    fn state_round_trips_through_json() {
        let mut g = Grouper::default();
        g.push(alert("a", "g", 0), &T, 0);
        g.flush("s", "h", &T, 10_000);
        g.push(alert("b", "g", 11_000), &T, 11_000);
        let text = serde_json::to_string(&g).unwrap();
        let back: Grouper = serde_json::from_str(&text).unwrap();
        assert_eq!(back, g);
    }
}
