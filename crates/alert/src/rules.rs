//! Event rules (`[[alert.rule]]`): select events by kind, engine, severity
//! and fields, then change their severity, route them to named sinks, or
//! drop them. First match wins unless the rule says `continue`. Pure.

use clawguard_config::{EventRule, SinkConfig};
use clawguard_event::{Engine, Event, Severity};
use regex::Regex;

/// Most bytes a field regex may compile to.
const FIELD_REGEX_SIZE_LIMIT: usize = 1 << 20;

/// A compiled rule set.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    rules: Vec<Rule>,
    /// Whether any rule looks at fields (then events are serialized once).
    needs_fields: bool,
}

#[derive(Debug, Clone)]
struct Rule {
    kinds: Vec<String>,
    engines: Vec<Engine>,
    min_severity: Option<Severity>,
    fields: Vec<(String, Regex)>,
    severity: Option<Severity>,
    sinks: Option<Vec<String>>,
    drop: bool,
    continue_matching: bool,
}

/// What the rules made of one event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Routing {
    pub severity: Severity,
    /// Only these sinks; `None` is every sink.
    pub sinks: Option<Vec<String>>,
    pub dropped: bool,
}

impl Rules {
    /// Compile `[[alert.rule]]`. Errors name the rule by index and field.
    pub fn compile(rules: &[EventRule]) -> Result<Rules, String> {
        let mut out = Vec::with_capacity(rules.len());
        for (i, rule) in rules.iter().enumerate() {
            let mut fields = Vec::with_capacity(rule.fields.len());
            for (field, pattern) in &rule.fields {
                let regex = regex::RegexBuilder::new(&format!("^(?:{pattern})$"))
                    .size_limit(FIELD_REGEX_SIZE_LIMIT)
                    .build()
                    .map_err(|e| format!("alert.rule[{i}].fields.{field}: {e}"))?;
                fields.push((field.clone(), regex));
            }
            out.push(Rule {
                kinds: rule.kinds.clone(),
                engines: rule.engines.clone(),
                min_severity: rule.min_severity,
                fields,
                severity: rule.severity,
                sinks: rule.sinks.clone(),
                drop: rule.drop,
                continue_matching: rule.continue_matching,
            });
        }
        let needs_fields = out.iter().any(|r| !r.fields.is_empty());
        Ok(Rules {
            rules: out,
            needs_fields,
        })
    }

    /// Apply the rules to one event.
    pub fn route(&self, event: &Event) -> Routing {
        let mut routing = Routing {
            severity: event.severity(),
            sinks: None,
            dropped: false,
        };
        let body = if self.needs_fields {
            serde_json::to_value(event).ok()
        } else {
            None
        };
        for rule in &self.rules {
            if !rule.matches(event, routing.severity, body.as_ref()) {
                continue;
            }
            if let Some(severity) = rule.severity {
                routing.severity = severity;
            }
            if let Some(sinks) = &rule.sinks {
                routing.sinks = Some(sinks.clone());
            }
            if rule.drop {
                routing.dropped = true;
            }
            if !rule.continue_matching {
                break;
            }
        }
        routing
    }
}

impl Rule {
    fn matches(&self, event: &Event, severity: Severity, body: Option<&serde_json::Value>) -> bool {
        if !self.kinds.is_empty() && !self.kinds.iter().any(|k| k == event.kind_id()) {
            return false;
        }
        if !self.engines.is_empty() && !self.engines.contains(&event.engine()) {
            return false;
        }
        if self.min_severity.is_some_and(|min| severity < min) {
            return false;
        }
        self.fields.iter().all(|(field, regex)| {
            let Some(value) = body.and_then(|b| b.get(field)) else {
                return false;
            };
            match value {
                serde_json::Value::String(text) => regex.is_match(text),
                other => regex.is_match(&other.to_string()),
            }
        })
    }
}

/// Whether `sink` takes an alert of `engine` with this routing.
pub fn sink_accepts(sink: &SinkConfig, engine: Engine, routing: &Routing) -> bool {
    if routing.dropped || !sink.enabled || routing.severity < sink.min_severity {
        return false;
    }
    if !sink.engines.is_empty() && !sink.engines.contains(&engine) {
        return false;
    }
    match &routing.sinks {
        Some(names) => names.iter().any(|n| n == &sink.name),
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clawguard_event::EventKind;
    use std::collections::BTreeMap;

    fn banned(jail: &str) -> Event {
        Event::new(
            0,
            EventKind::Banned {
                jail: jail.into(),
                target: "203.0.113.7/32".parse().unwrap(),
                until_ms: None,
                failures: 5,
                ban_count: 1,
                manual: false,
            },
        )
    }

    fn rule(edit: impl FnOnce(&mut EventRule)) -> EventRule {
        let mut r = EventRule::default();
        edit(&mut r);
        r
    }

    #[test]
    fn first_match_wins_and_continue_goes_on() {
        let rules = Rules::compile(&[
            rule(|r| {
                r.kinds = vec!["banned".into()];
                r.severity = Some(Severity::Critical);
            }),
            rule(|r| r.drop = true),
        ])
        .unwrap();
        let routed = rules.route(&banned("sshd"));
        assert_eq!(routed.severity, Severity::Critical);
        assert!(!routed.dropped);

        let rules = Rules::compile(&[
            rule(|r| {
                r.severity = Some(Severity::Low);
                r.continue_matching = true;
            }),
            rule(|r| r.sinks = Some(vec!["pager".into()])),
        ])
        .unwrap();
        let routed = rules.route(&banned("sshd"));
        assert_eq!(routed.severity, Severity::Low);
        assert_eq!(routed.sinks, Some(vec!["pager".to_string()]));
    }

    #[test]
    fn fields_match_whole_values() {
        let rules = Rules::compile(&[rule(|r| {
            r.fields = BTreeMap::from([("jail".to_string(), "ssh".to_string())]);
            r.drop = true;
        })])
        .unwrap();
        assert!(
            !rules.route(&banned("sshd")).dropped,
            "ssh must not match sshd"
        );
        assert!(rules.route(&banned("ssh")).dropped);
        let rules = Rules::compile(&[rule(|r| {
            r.fields = BTreeMap::from([("failures".to_string(), "[0-9]".to_string())]);
            r.drop = true;
        })])
        .unwrap();
        assert!(rules.route(&banned("x")).dropped, "numbers match as text");
    }

    #[test]
    fn a_bad_field_regex_names_the_rule() {
        let err = Rules::compile(&[rule(|r| {
            r.fields = BTreeMap::from([("jail".to_string(), "(".to_string())]);
        })])
        .unwrap_err();
        assert!(err.starts_with("alert.rule[0].fields.jail"), "{err}");
    }

    #[test]
    fn sinks_filter_by_severity_engine_and_routing() {
        let mut sink = SinkConfig::journal("ops");
        sink.min_severity = Severity::Medium;
        let routing = |severity, sinks: Option<Vec<String>>| Routing {
            severity,
            sinks,
            dropped: false,
        };
        assert!(sink_accepts(
            &sink,
            Engine::Ban,
            &routing(Severity::Medium, None)
        ));
        assert!(!sink_accepts(
            &sink,
            Engine::Ban,
            &routing(Severity::Low, None)
        ));
        assert!(!sink_accepts(
            &sink,
            Engine::Ban,
            &routing(Severity::High, Some(vec!["other".into()]))
        ));
        sink.engines = vec![Engine::Fim];
        assert!(!sink_accepts(
            &sink,
            Engine::Ban,
            &routing(Severity::High, None)
        ));
    }
}
