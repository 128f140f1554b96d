//! `replay` over a log of many distinct attackers: the cost per line must not
//! grow with the number of active bans (it once did, and a million attackers
//! did not finish in five minutes).

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use clawguard_ban::JailPolicy;
use clawguard_jails::catalog::{FilterPlan, JailSpec, Origin};
use clawguard_jails::filter_test::LogFormat;

const ATTACKERS: u32 = 200_000;
/// 2026-01-02T00:00:00Z: year-less syslog dates resolve to 2026-01-01.
const NOW_MS: i64 = 1_767_312_000_000;

fn sshd_jail(ban_time_ms: i64) -> JailSpec {
    let def = clawguard_f2b::load_builtin_filter("sshd").expect("built-in sshd filter");
    let mut policy = JailPolicy::new("sshd");
    policy.max_retry = 1;
    policy.ban_time_ms = ban_time_ms;
    JailSpec {
        name: "sshd".into(),
        origin: Origin::Builtin,
        filter_spec: "sshd".into(),
        filter: FilterPlan::Regex(def),
        sources: Vec::new(),
        journalmatch: Vec::new(),
        policy,
    }
}

/// One failure per attacker, 100 a second, each from its own IPv6 /64.
fn attack_log() -> String {
    let mut log = String::with_capacity(ATTACKERS as usize * 100);
    for i in 0..ATTACKERS {
        let second = i / 100;
        let _ = writeln!(
            log,
            "Jan  1 {:02}:{:02}:{:02} gw1 sshd[4242]: Failed password for root from 2001:db8:{:x}:{:x}::7 port 22 ssh2",
            second / 3600,
            second / 60 % 60,
            second % 60,
            i >> 16,
            i & 0xffff,
        );
    }
    log
}

fn replay_within(jail: JailSpec, path: std::path::PathBuf, limit: Duration) -> usize {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let report = clawguard_jails::replay::run(&jail, &[], &path, LogFormat::Lines, NOW_MS);
        let _ = tx.send(report.map(|r| r.bans.len()).map_err(|e| e.to_string()));
    });
    let started = Instant::now();
    let result = rx
        .recv_timeout(limit)
        .unwrap_or_else(|_| panic!("replay of {ATTACKERS} attackers took over {limit:?}"));
    eprintln!("replay of {ATTACKERS} attackers: {:?}", started.elapsed());
    result.expect("replay runs")
}

#[test]
fn replay_cost_does_not_grow_with_active_bans() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("auth.log");
    std::fs::write(&path, attack_log()).unwrap();
    // Debug build on a shared 2-core machine: a few seconds; today's
    // quadratic code needs hours.
    let limit = Duration::from_secs(90);
    // 10-minute bans: 60,000 active at a time, expiring all along the run.
    let bans = replay_within(sshd_jail(600_000), path, limit);
    assert_eq!(bans, ATTACKERS as usize);
}
