//! A line cut at a length bound never yields a failure from the part that was
//! kept (issue 8, item 7): neither at the filter's 16 KiB bound nor at the
//! reader's 64 KiB one, for fail2ban-dialect filters and the gateway filter.

use clawguard_jails::catalog::FilterPlan;
use clawguard_jails::filter_test::{self, LogFormat, MAX_LINE_BYTES};

/// 2026-11-19 (syslog lines carry no year).
const NOW_MS: i64 = 1_795_000_000_000;

fn sshd_plan() -> FilterPlan {
    FilterPlan::Regex(clawguard_f2b::load_builtin_filter("sshd").unwrap())
}

#[test]
fn a_line_cut_after_the_first_address_blames_nobody() {
    // Padded so the filter's 16 KiB cut lands right after 192.0.2.1;
    // fail2ban-regex reports 203.0.113.5 for the whole line.
    let head = "Nov 25 10:00:01 gw1 sshd[1]: Invalid user ";
    let kept_tail = " from 192.0.2.1";
    let pad = "x".repeat(clawguard_filter::MAX_LINE_BYTES - head.len() - kept_tail.len());
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("auth.log");
    std::fs::write(
        &log,
        format!(
            "{head}{pad}{kept_tail} from 203.0.113.5 port 22\n\
             Nov 25 10:00:02 gw1 sshd[2]: Invalid user b from 198.51.100.3 port 22\n"
        ),
    )
    .unwrap();
    let report = filter_test::run(&sshd_plan(), &[], &log, LogFormat::Auto, NOW_MS, true).unwrap();
    let hosts: Vec<&str> = report.matches.iter().map(|m| m.host.as_str()).collect();
    assert_eq!(hosts, ["198.51.100.3"]);
    assert_eq!((report.lines, report.truncated, report.missed), (2, 1, 1));
}

#[test]
fn a_gateway_line_cut_by_the_reader_blames_nobody() {
    let record = r#"{"0":"{\"subsystem\":\"gateway/ws\"}","1":"unauthorized conn=c1 remote=203.0.113.7 client=cli cli v2026.1.29 reason=password_mismatch","_meta":{"date":"2026-03-13T19:07:12.138Z","logLevelName":"WARN","name":"openclaw"},"time":"2026-03-13T14:07:12.138-05:00"}"#;
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole.log");
    std::fs::write(&whole, format!("{record}\n")).unwrap();
    let report = filter_test::run(
        &FilterPlan::Gateway,
        &[],
        &whole,
        LogFormat::Auto,
        NOW_MS,
        true,
    )
    .unwrap();
    assert_eq!(report.matches.len(), 1, "the record alone is a failure");

    // JSON whitespace past the reader's bound, then bytes that make the whole
    // line invalid: the cut line would parse, the whole one does not.
    let padded = dir.path().join("padded.log");
    let pad = " ".repeat(MAX_LINE_BYTES);
    std::fs::write(&padded, format!("{record}{pad}x\n")).unwrap();
    let report = filter_test::run(
        &FilterPlan::Gateway,
        &[],
        &padded,
        LogFormat::Auto,
        NOW_MS,
        true,
    )
    .unwrap();
    assert!(report.matches.is_empty(), "{:?}", report.matches);
    assert_eq!(report.truncated, 1);
}
