//! The `jail.local` from the guide users follow loads unchanged from a
//! fail2ban directory and its jails work: `sshd` with clawguard's built-in
//! sshd filter in place of fail2ban's untouched stock one, and
//! `openclaw-api` with clawguard's built-in filter.
//!
//! Needs fail2ban's stock configuration in /etc/fail2ban (`.ci/run` installs
//! it); skips with a reason otherwise, or fails when
//! CLAWGUARD_REQUIRE_PRIVILEGED=1.

use std::path::Path;

use clawguard_jails::catalog::{self, FilterPlan, Origin, SourcePlan};
use clawguard_jails::filter_test::LogFormat;
use clawguard_testkit::{GUIDE_JAIL_LOCAL, copy_dir, skip_or_fail};

fn fail2ban_copy() -> Option<tempfile::TempDir> {
    if !Path::new("/etc/fail2ban/jail.conf").exists() {
        skip_or_fail("/etc/fail2ban is not installed (apt-get install fail2ban)");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    copy_dir(Path::new("/etc/fail2ban"), &dir.path().join("fail2ban"));
    std::fs::write(dir.path().join("fail2ban/jail.local"), GUIDE_JAIL_LOCAL).unwrap();
    Some(dir)
}

fn config_for(dir: &Path) -> clawguard_config::Config {
    let text = format!(
        "version = 1\n[fail2ban]\ndir = \"{}\"\n",
        dir.join("fail2ban").display()
    );
    clawguard_config::Config::parse(&text, &dir.join("clawguard.toml")).unwrap()
}

#[test]
fn guide_jail_local_loads_as_written() {
    let Some(dir) = fail2ban_copy() else { return };
    let catalog = catalog::resolve(&config_for(dir.path())).unwrap();
    let names: Vec<&str> = catalog.jails.iter().map(|j| j.name.as_str()).collect();
    assert_eq!(names, ["openclaw-api", "openclaw-gateway", "sshd"]);

    let sshd = &catalog.jails[2];
    assert!(matches!(&sshd.origin, Origin::Fail2ban(at) if at.contains("jail")));
    assert_eq!(sshd.policy.max_retry, 3);
    assert_eq!(sshd.policy.ban_time_ms, 3_600_000);
    assert_eq!(sshd.policy.find_time_ms, 600_000);
    let FilterPlan::Regex(def) = &sshd.filter else {
        panic!("sshd must use fail2ban's regex filter")
    };
    // The untouched stock sshd filter is replaced by clawguard's built-in
    // one, with the jail's options (docs/config.md, "filter = sshd").
    assert_eq!(
        def.failregex,
        clawguard_f2b::load_builtin_filter("sshd")
            .unwrap()
            .failregex,
        "clawguard's built-in sshd filter"
    );
    // /var/log/auth.log is absent on Debian 12: the usual settings (backend
    // auto + the filter's journalmatch) find sshd in the journal instead.
    if !Path::new("/var/log/auth.log").exists() {
        assert!(
            matches!(&sshd.sources[..], [SourcePlan::Journal { .. }]),
            "{:?}",
            sshd.sources
        );
    }

    let api = &catalog.jails[0];
    assert_eq!(api.policy.max_retry, 10);
    assert_eq!(api.policy.ban_time_ms, 1_800_000);
    assert_eq!(api.policy.find_time_ms, 300_000);
    assert!(matches!(&api.filter, FilterPlan::Regex(def) if def.name == "openclaw-api"));
    assert_eq!(
        api.sources,
        [SourcePlan::File {
            pattern: "/opt/openclaw/logs/access.log".into()
        }]
    );
}

#[test]
fn guide_jails_ban_on_their_logs() {
    let Some(dir) = fail2ban_copy() else { return };
    let config = config_for(dir.path());
    let catalog = catalog::resolve(&config).unwrap();
    let jail = |name: &str| catalog.jails.iter().find(|j| j.name == name).unwrap();
    let now = 1_795_000_000_000; // 2026-11-19

    let auth = dir.path().join("auth.log");
    std::fs::write(
        &auth,
        "Nov 25 12:00:01 gw1 sshd[11]: Failed password for root from 203.0.113.9 port 4242 ssh2\n\
         Nov 25 12:00:02 gw1 sshd[12]: Failed password for root from 203.0.113.9 port 4243 ssh2\n\
         Nov 25 12:00:03 gw1 sshd[13]: Failed password for invalid user x from 198.51.100.7 from 203.0.113.9 port 4244 ssh2\n",
    )
    .unwrap();
    let report =
        clawguard_jails::replay::run(jail("sshd"), &[], &auth, LogFormat::Auto, now).unwrap();
    assert_eq!(report.bans.len(), 1, "{report:?}");
    assert_eq!(report.bans[0].ip, "203.0.113.9/32");

    // A user name ending in ":" must not frame the address before it
    // (fail2ban's stock sshd filter takes 198.51.100.7 here).
    let framed = dir.path().join("framed.log");
    let mut lines = String::new();
    for second in 0..3 {
        lines.push_str(&format!(
            "Nov 25 12:01:0{second} gw1 sshd[2{second}]: Failed password for invalid user a from 198.51.100.7: from 203.0.113.10 port 4244 ssh2\n"
        ));
    }
    std::fs::write(&framed, lines).unwrap();
    let report =
        clawguard_jails::replay::run(jail("sshd"), &[], &framed, LogFormat::Auto, now).unwrap();
    let banned: Vec<&str> = report.bans.iter().map(|b| b.ip.as_str()).collect();
    assert_eq!(banned, ["203.0.113.10/32"], "{report:?}");

    let access = dir.path().join("access.log");
    let mut lines = String::new();
    for second in 0..10 {
        lines.push_str(&format!(
            "203.0.113.5 - - [25/Nov/2026:12:00:{second:02} +0000] \"POST /v1/chat/completions HTTP/1.1\" 401 61 \"-\" \"curl/8.5.0\"\n"
        ));
        lines.push_str(&format!(
            "198.51.100.8 - - [25/Nov/2026:12:00:{second:02} +0000] \"POST /v1/chat/completions HTTP/1.1\" 200 61 \"-\" \"curl/8.5.0\"\n"
        ));
    }
    std::fs::write(&access, lines).unwrap();
    let report =
        clawguard_jails::replay::run(jail("openclaw-api"), &[], &access, LogFormat::Auto, now)
            .unwrap();
    assert_eq!(report.bans.len(), 1, "{report:?}");
    assert_eq!(report.bans[0].ip, "203.0.113.5/32");
    assert_eq!(report.bans[0].failures, 10);
}
