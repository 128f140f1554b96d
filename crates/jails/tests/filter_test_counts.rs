//! `filter-test` reports every failure a line stands for: a gateway line with
//! ` suppressed=N` is N+1 failures, as the daemon counts it, not one match.

use std::collections::BTreeMap;
use std::path::Path;

use clawguard_jails::catalog::FilterPlan;
use clawguard_jails::filter_test::{self, LogFormat};

#[test]
fn suppressed_gateway_lines_keep_their_count() {
    // Lines the real 2026.9.6 gateway wrote (see crates/filter/tests/fixtures).
    let log = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../filter/tests/fixtures/openclaw-2026.9.6-token.jsonl");
    let report =
        filter_test::run(&FilterPlan::Gateway, &[], &log, LogFormat::Auto, 0, true).unwrap();
    let mut per_host: BTreeMap<&str, u32> = BTreeMap::new();
    for m in &report.matches {
        *per_host.entry(m.host.as_str()).or_default() += m.count;
    }
    // The same totals the filter's own fixture test pins: 3+1 missing tokens
    // from 192.0.2.13 are 5 failures, logged as lines with suppressed=N.
    assert_eq!(
        per_host.into_iter().collect::<Vec<_>>(),
        [("192.0.2.10", 1), ("192.0.2.12", 13), ("192.0.2.13", 5)]
    );
    assert!(report.matches.iter().any(|m| m.count > 1));
    let json = serde_json::to_string(&report).unwrap();
    assert!(json.contains("\"count\":"), "{json}");
}
