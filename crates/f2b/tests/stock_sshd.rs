//! fail2ban's stock sshd filter can be made to take an address from the user
//! name; jails get clawguard's built-in sshd filter in its place while the
//! stock one is untouched (issue 8, item 9).
//!
//! Needs fail2ban's stock configuration in /etc/fail2ban (`.ci/run` installs
//! it); skips with a reason otherwise, or fails when
//! CLAWGUARD_REQUIRE_PRIVILEGED=1.

use std::path::Path;

use clawguard_f2b::Fail2banConfig;
use clawguard_filter::{Filter, FilterDef};
use clawguard_testkit::skip_or_fail;

/// 2026-11-19, after the sample dates (syslog lines carry no year).
const NOW_MS: i64 = 1_795_000_000_000;

/// User names chosen so that the stock filter (and `fail2ban-regex`) reads
/// 192.0.2.1, the address before the real ` from <source> port N ssh2` tail.
const FRAMING: [&str; 3] = [
    "Failed password for invalid user a from 192.0.2.1: from 203.0.113.5 port 22 ssh2",
    "Failed password for invalid user a from 192.0.2.1 port 1 ssh2: from 203.0.113.5 port 22 ssh2",
    "Failed keyboard-interactive/pam for invalid user a from 192.0.2.1: x from 203.0.113.5 port 22 ssh2",
];

fn stock_copy() -> Option<tempfile::TempDir> {
    if !Path::new("/etc/fail2ban/filter.d/sshd.conf").exists() {
        skip_or_fail("/etc/fail2ban/filter.d/sshd.conf is missing (apt-get install fail2ban)");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let filter_d = dir.path().join("filter.d");
    std::fs::create_dir(&filter_d).unwrap();
    for name in ["sshd.conf", "common.conf"] {
        std::fs::copy(
            Path::new("/etc/fail2ban/filter.d").join(name),
            filter_d.join(name),
        )
        .unwrap();
    }
    Some(dir)
}

fn hosts(def: &FilterDef, message: &str) -> Vec<String> {
    let mut filter = Filter::compile(def).unwrap();
    let line = format!("Nov 25 10:00:01 gw1 sshd[101]: {message}");
    let result = filter.process_line(&line, NOW_MS);
    result.failures.iter().map(|f| f.addr.to_string()).collect()
}

#[test]
fn the_stock_filter_frames_and_the_jail_filter_does_not() {
    let Some(dir) = stock_copy() else { return };
    let config = Fail2banConfig::load(dir.path()).unwrap();
    let stock = config.filter("sshd", None).unwrap();
    let jail = config.jail_filter("sshd", None).unwrap();
    assert_eq!(
        jail,
        clawguard_f2b::load_builtin_filter("sshd").unwrap(),
        "an untouched `filter = sshd` runs the built-in filter"
    );
    assert!(!config.stock_sshd_kept("sshd"));
    assert!(!config.stock_sshd_kept("sshd[mode=normal]"));
    for message in FRAMING {
        // fail2ban-regex 1.0.2 reports 192.0.2.1 for each of these.
        assert_eq!(hosts(&stock, message), ["192.0.2.1"], "{message}");
        assert_eq!(hosts(&jail, message), ["203.0.113.5"], "{message}");
    }
    let plain = "Failed password for root from 203.0.113.5 port 22 ssh2";
    assert_eq!(hosts(&jail, plain), ["203.0.113.5"]);
}

#[test]
fn a_customised_or_moded_stock_filter_is_kept_and_reported() {
    let Some(dir) = stock_copy() else { return };
    let config = Fail2banConfig::load(dir.path()).unwrap();
    let aggressive = "sshd[mode=aggressive]";
    assert_eq!(
        config.jail_filter(aggressive, None).unwrap(),
        config.filter(aggressive, None).unwrap()
    );
    assert!(config.stock_sshd_kept(aggressive));

    std::fs::write(
        dir.path().join("filter.d/sshd.local"),
        "[Definition]\nignoreregex = ^Failed \\S+ for deploy\n",
    )
    .unwrap();
    let config = Fail2banConfig::load(dir.path()).unwrap();
    assert_eq!(
        config.jail_filter("sshd", None).unwrap(),
        config.filter("sshd", None).unwrap()
    );
    assert!(config.stock_sshd_kept("sshd"));
}
