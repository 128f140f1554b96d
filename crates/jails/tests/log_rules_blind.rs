//! The built-in OpenClaw log rules scored on a blind set: 70 gateway
//! records (27 that must alert, 43 near-misses that must not) written by
//! someone who never saw the rules, from the real openclaw 2026.9.6 code and
//! a real running gateway (`log_rules_blind/cases.jsonl`, provenance in each
//! case's `why`). Six lines whose class is arguable are in
//! `ambiguous.jsonl`, labelled after the fact (`expect` there is the
//! decision). Each record is matched exactly as the daemon
//! matches a gateway log line. `bench/logrules-blind.sh` prints the figures.

use std::path::Path;

use clawguard_config::Config;
use clawguard_jails::log_rules::{self, match_text};

const CLASSES: [(&str, &str); 4] = [
    ("A", "openclaw-device-upgrade"),
    ("B", "openclaw-pairing-auto-approved"),
    ("C", "openclaw-untrusted-proxy-headers"),
    ("D", "openclaw-dangerous-config"),
];

fn score(text: &str) -> serde_json::Value {
    let config = Config::parse(
        "[fail2ban]\ndir = \"/nonexistent\"\n",
        Path::new("builtin.toml"),
    )
    .expect("the built-in config");
    let catalog = clawguard_jails::catalog::resolve(&config).expect("catalog");
    let rules = log_rules::build(&config, &catalog).expect("the built-in rules build");
    let (mut tp, mut fn_, mut fp, mut tn, mut wrong_class) = (0, 0, 0, 0, 0);
    let mut misses = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: serde_json::Value = serde_json::from_str(line).expect("a JSON case");
        let id = case["id"].as_str().unwrap_or("?").to_string();
        let expect = case["expect"].as_str().unwrap_or("none");
        let record = serde_json::to_string(&case["record"]).expect("record");
        let hits: Vec<&str> = rules
            .iter()
            .filter(|r| r.is_match(&match_text(record.as_bytes(), r.text_of)))
            .map(|r| r.name.as_str())
            .collect();
        let want = CLASSES.iter().find(|(c, _)| *c == expect).map(|(_, r)| *r);
        match (want, hits.as_slice()) {
            (None, []) => tn += 1,
            (None, got) => {
                fp += 1;
                misses.push(serde_json::json!({"id": id, "expect": expect, "got": got}));
            }
            (Some(_), []) => {
                fn_ += 1;
                misses.push(serde_json::json!({"id": id, "expect": expect, "got": []}));
            }
            (Some(rule), got) if got == [rule] => tp += 1,
            (Some(_), got) => {
                wrong_class += 1;
                misses.push(serde_json::json!({"id": id, "expect": expect, "got": got}));
            }
        }
    }
    serde_json::json!({
            "cases": tp + fn_ + fp + tn + wrong_class,
            "positives_caught": tp,
            "positives_missed": fn_,
            "wrong_rule": wrong_class,
            "negatives_clean": tn,
            "false_alerts": fp,
        "misses": misses,
    })
}

const CASES: &str = include_str!("log_rules_blind/cases.jsonl");
const AMBIGUOUS: &str = include_str!("log_rules_blind/ambiguous.jsonl");

#[test]
fn built_in_rules_catch_every_blind_positive_and_no_near_miss() {
    let figures = score(CASES);
    println!("blind set: {figures}");
    assert_eq!(figures["positives_missed"], 0, "{figures}");
    assert_eq!(figures["wrong_rule"], 0, "{figures}");
    assert_eq!(figures["false_alerts"], 0, "{figures}");
    assert_eq!(figures["positives_caught"], 27);
    assert_eq!(figures["negatives_clean"], 43);
}

#[test]
fn the_ambiguous_lines_go_where_they_were_decided() {
    // Decided (`expect`; the set's author suggested `suggested`): automatic
    // approvals of any kind are B (a node's system.run from a trusted CIDR
    // too), a scope grant that elevates a connection is A, a dangerous
    // flag's start-up warning is D, a per-connection metric is nothing.
    let figures = score(AMBIGUOUS);
    println!("ambiguous lines: {figures}");
    assert_eq!(figures["misses"].as_array().unwrap().len(), 0, "{figures}");
}
