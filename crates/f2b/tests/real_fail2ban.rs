//! Tests against the real fail2ban 1.0.2 configuration in /etc/fail2ban and,
//! where installed, fail2ban's own reader as the reference.

use std::path::{Path, PathBuf};
use std::process::Command;

use clawguard_f2b::{Fail2banConfig, builtin_filter};
use clawguard_filter::FilterDef;
use clawguard_testkit::{GUIDE_JAIL_LOCAL, copy_dir, skip_or_fail};

const ETC: &str = "/etc/fail2ban";

/// The system fail2ban directory, or `None` (with the reason on stderr) when
/// it is absent. Panics instead when CLAWGUARD_REQUIRE_PRIVILEGED=1.
fn system_fail2ban() -> Option<PathBuf> {
    let dir = PathBuf::from(ETC);
    if dir.join("jail.conf").is_file() && dir.join("filter.d/sshd.conf").is_file() {
        return Some(dir);
    }
    skip_or_fail("/etc/fail2ban/jail.conf not found (apt-get install fail2ban)");
    None
}

/// Runs fail2ban's own FilterReader on `specs`; `None` if Python/fail2ban is
/// not available.
fn fail2ban_oracle(dir: &Path, specs: &[String]) -> Option<serde_json::Value> {
    run_oracle("fail2ban_filter_dump.py", "fail2ban oracle", dir, specs)
}

/// Runs one of the `tests/data` Python scripts that dump what fail2ban's
/// own readers make of `dir`; `None` (said on stderr) if it cannot run.
fn run_oracle(script: &str, what: &str, dir: &Path, args: &[String]) -> Option<serde_json::Value> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(script);
    let output = Command::new("/usr/bin/python3")
        .arg(script)
        .arg(dir)
        .args(args)
        .output()
        .ok()?;
    if !output.status.success() {
        eprintln!(
            "{what} unavailable: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        return None;
    }
    serde_json::from_slice(&output.stdout).ok()
}

fn as_json(def: &FilterDef) -> serde_json::Value {
    serde_json::json!({
        "prefregex": def.prefregex,
        "failregex": def.failregex,
        "ignoreregex": def.ignoreregex,
        "datepattern": def.datepattern,
        "maxlines": def.maxlines,
        "journalmatch": def.journalmatch,
    })
}

fn filter_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.join("filter.d"))
        .expect("filter.d readable")
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".conf"))
                .map(str::to_string)
        })
        .collect();
    names.sort();
    names
}

#[test]
fn every_stock_filter_loads_and_matches_fail2ban_reader() {
    let Some(dir) = system_fail2ban() else { return };
    let config = Fail2banConfig::load(&dir).expect("load /etc/fail2ban");
    let names = filter_names(&dir);
    assert!(
        names.len() >= 80,
        "expected the stock filters, found {}",
        names.len()
    );
    // selinux-common.conf is include-only: its failregex needs variables that
    // only the including filter defines, so fail2ban cannot load it alone either.
    let unloadable = ["selinux-common"];
    let mut ours = Vec::new();
    for name in &names {
        let result = config.filter(name, None);
        match (&result, unloadable.contains(&name.as_str())) {
            (Err(e), false) => panic!("filter {name}: {e}"),
            (Ok(_), true) => panic!("filter {name} should fail as in fail2ban"),
            (Err(e), true) => assert!(e.to_string().contains("key 'failregex'"), "{e}"),
            (Ok(_), false) => {}
        }
        ours.push(result);
    }
    let Some(oracle) = fail2ban_oracle(&dir, &names) else {
        return;
    };
    let mut mismatches = Vec::new();
    for (name, result) in names.iter().zip(&ours) {
        let expected = &oracle[name.as_str()];
        let def = match (result, expected.get("error")) {
            (Ok(def), None) => def,
            (Err(_), Some(_)) => continue,
            (ours, theirs) => panic!("{name}: ours {ours:?}, fail2ban {theirs:?}"),
        };
        if &as_json(def) != expected {
            mismatches.push(format!(
                "{name}:\n ours:     {}\n fail2ban: {}",
                as_json(def),
                expected
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn sshd_modes_expand_to_fail2ban_counts() {
    let Some(dir) = system_fail2ban() else { return };
    let config = Fail2banConfig::load(&dir).expect("load");
    let expected = [
        ("normal", 22),
        ("ddos", 29),
        ("extra", 26),
        ("aggressive", 33),
    ];
    let mut specs = Vec::new();
    for (mode, count) in expected {
        let spec = format!("sshd[mode={mode}]");
        let def = config.filter(&spec, None).expect("sshd loads");
        assert_eq!(def.failregex.len(), count, "mode {mode}");
        assert!(
            def.prefregex
                .as_deref()
                .is_some_and(|p| p.contains("<F-CONTENT>"))
        );
        assert!(
            def.failregex
                .iter()
                .all(|r| !r.contains("%(") && !r.contains("<mdre"))
        );
        assert_eq!(def.datepattern.as_deref(), Some("{^LN-BEG}"));
        assert_eq!(
            def.journalmatch,
            vec![
                vec!["_SYSTEMD_UNIT=sshd.service".to_string()],
                vec!["_COMM=sshd".to_string()]
            ]
        );
        specs.push(spec);
    }
    if let Some(oracle) = fail2ban_oracle(&dir, &specs) {
        for spec in &specs {
            let ours = as_json(&config.filter(spec, None).expect("sshd"));
            assert_eq!(&ours, &oracle[spec.as_str()], "{spec}");
        }
    }
}

#[test]
fn debian_enables_sshd() {
    let Some(dir) = system_fail2ban() else { return };
    let config = Fail2banConfig::load(&dir).expect("load");
    let jails = config.jails().expect("jails resolve");
    let sshd = jails.iter().find(|j| j.name == "sshd").expect("sshd jail");
    assert!(sshd.enabled, "jail.d/defaults-debian.conf enables sshd");
    assert_eq!(sshd.filter, "sshd[mode=normal]");
    assert_eq!(sshd.port, "ssh");
    assert_eq!(sshd.maxretry, 5);
    assert_eq!(sshd.findtime_s, 600);
    assert_eq!(sshd.bantime_s, 600);
    assert!(
        sshd.source.starts_with("/etc/fail2ban/jail.conf:"),
        "{}",
        sshd.source
    );
    assert!(jails.len() > 50);
    assert!(jails.iter().filter(|j| j.enabled).count() == 1);
    let def = config
        .filter(&sshd.filter, Some(sshd))
        .expect("sshd filter");
    assert_eq!(def.failregex.len(), 22);
}

#[test]
fn copied_config_with_brief_jail_local() {
    let Some(dir) = system_fail2ban() else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    let copy = tmp.path().join("fail2ban");
    copy_dir(&dir, &copy);
    assert!(!copy.join("filter.d/openclaw-api.conf").exists());
    std::fs::write(copy.join("jail.local"), GUIDE_JAIL_LOCAL).expect("write jail.local");

    let config = Fail2banConfig::load(&copy).expect("load copy");
    let jails = config.jails().expect("jails");
    let enabled: Vec<&str> = jails
        .iter()
        .filter(|j| j.enabled)
        .map(|j| j.name.as_str())
        .collect();
    assert_eq!(enabled, ["sshd", "openclaw-api"]);

    let sshd = jails.iter().find(|j| j.name == "sshd").expect("sshd");
    assert_eq!(sshd.port, "ssh");
    assert_eq!(sshd.filter, "sshd");
    assert_eq!(sshd.logpath, ["/var/log/auth.log"]);
    assert_eq!(
        (sshd.maxretry, sshd.bantime_s, sshd.findtime_s),
        (3, 3600, 600)
    );
    assert_eq!(sshd.backend, "auto");

    let api = jails
        .iter()
        .find(|j| j.name == "openclaw-api")
        .expect("openclaw-api");
    assert_eq!(api.port, "443");
    assert_eq!(api.filter, "openclaw-api");
    assert_eq!(api.logpath, ["/opt/openclaw/logs/access.log"]);
    assert_eq!(
        (api.maxretry, api.bantime_s, api.findtime_s),
        (10, 1800, 300)
    );
    assert!(api.source.ends_with("jail.local:10"), "{}", api.source);

    let def = config
        .filter(&api.filter, Some(api))
        .expect("built-in filter");
    assert_eq!(def.name, "openclaw-api");
    assert_eq!(def.failregex.len(), 2);
    assert!(def.failregex.iter().all(|r| r.contains("<HOST>")));
    let datepattern = def.datepattern.clone().expect("datepattern");
    assert!(datepattern.contains("%Y-%m-%dT%H:%M:%S"), "{datepattern}");
    assert!(!datepattern.contains("%%"));
    assert_eq!(def, load_builtin_standalone());
    assert_eq!(
        def,
        clawguard_f2b::load_builtin_filter("openclaw-api").expect("built in")
    );

    let sshd_def = config.filter(&sshd.filter, Some(sshd)).expect("sshd");
    assert_eq!(sshd_def.failregex.len(), 22);
}

/// The built-in filter read on its own, as fail2ban-regex reads a file.
fn load_builtin_standalone() -> FilterDef {
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("openclaw-api.conf");
    std::fs::write(&path, builtin_filter("openclaw-api").expect("built in")).expect("write");
    clawguard_f2b::load_filter_file(&path, &[]).expect("load file")
}

#[test]
fn builtin_filter_is_valid_for_fail2ban_regex() {
    let Some(_) = system_fail2ban() else { return };
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/openclaw-api");
    let filter = Path::new(env!("CARGO_MANIFEST_DIR")).join("builtin/filter.d/openclaw-api.conf");
    let output = match Command::new("fail2ban-regex")
        .args(["-o", "row"])
        .arg(data.join("access.log"))
        .arg(&filter)
        .output()
    {
        Ok(o) => o,
        Err(e) => {
            eprintln!("skipped: fail2ban-regex not runnable: {e}");
            return;
        }
    };
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8_lossy(&output.stdout);
    let hosts: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("['"))
        .filter_map(|l| l.split('\'').next())
        .collect();
    assert_eq!(
        hosts,
        [
            "203.0.113.5",
            "203.0.113.6",
            "203.0.113.7",
            "203.0.113.10",
            "2001:db8::1",
            "198.51.100.4"
        ]
    );
    // Both timestamps are found: 2026-11-25T12:00:00Z and 12:00:05.123Z.
    assert!(text.contains("1795608000"), "{text}");
    assert!(text.contains("1795608005"), "{text}");
}

const DIFFERENTIAL_JAIL_LOCAL: &str = "[DEFAULT]
bantime.increment = true
bantime.maxtime = 1w

[sshd]
mode = aggressive
maxretry = 3
findtime = 1h 30m

[dropbear]
enabled = true
backend = systemd

[nginx-http-auth]
enabled = true
logpath = /var/log/nginx/error.log
failregex = %(known/failregex)s
            ^extra <HOST>$
datepattern = %%Y-%%m-%%d %%H:%%M:%%S
maxlines = 2

[postfix]
enabled = true
mode = aggressive
backend = systemd

[openclaw-api]
enabled = true
port = 443
filter = openclaw-api
logpath = /opt/openclaw/logs/access.log
maxretry = 10
bantime = 1800
findtime = 300
";

/// Runs fail2ban's own JailsReader on `dir`; `None` if unavailable.
fn fail2ban_jail_oracle(dir: &Path) -> Option<serde_json::Value> {
    run_oracle("fail2ban_jail_dump.py", "fail2ban jail oracle", dir, &[])
}

#[test]
fn enabled_jails_match_fail2ban_jail_reader() {
    let Some(dir) = system_fail2ban() else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    let ours_dir = tmp.path().join("ours");
    copy_dir(&dir, &ours_dir);
    std::fs::write(ours_dir.join("jail.local"), DIFFERENTIAL_JAIL_LOCAL).expect("write");

    let config = Fail2banConfig::load(&ours_dir).expect("load");
    let jails = config.jails().expect("jails");
    let mut ours = serde_json::Map::new();
    for jail in jails.iter().filter(|j| j.enabled) {
        let def = config.filter(&jail.filter, Some(jail)).expect("filter");
        ours.insert(
            jail.name.clone(),
            serde_json::json!({
                "backend": jail.backend,
                "failregex": def.failregex,
                "ignoreregex": def.ignoreregex,
                "journalmatch": def.journalmatch,
                "prefregex": def.prefregex,
                "datepattern": def.datepattern,
                "maxlines": def.maxlines,
                "maxretry": jail.maxretry,
                "findtime_s": jail.findtime_s,
                "bantime_s": jail.bantime_s,
            }),
        );
        let increment = jail
            .bantime_increment
            .as_ref()
            .expect("bantime.increment from DEFAULT");
        assert_eq!(increment.maxtime_s, Some(604_800));
    }
    assert_eq!(ours.len(), 5);
    assert_eq!(ours["sshd"]["failregex"].as_array().map(Vec::len), Some(33));
    assert_eq!(ours["nginx-http-auth"]["maxlines"], 2);

    // fail2ban itself needs the built-in filter as a file.
    let theirs_dir = tmp.path().join("theirs");
    copy_dir(&ours_dir, &theirs_dir);
    std::fs::write(
        theirs_dir.join("filter.d/openclaw-api.conf"),
        builtin_filter("openclaw-api").expect("built in"),
    )
    .expect("write");
    let Some(theirs) = fail2ban_jail_oracle(&theirs_dir) else {
        return;
    };
    let theirs = theirs.as_object().expect("object");
    let mut names: Vec<&String> = theirs.keys().collect();
    names.sort();
    let mut our_names: Vec<&String> = ours.keys().collect();
    our_names.sort();
    assert_eq!(our_names, names);
    for (name, expected) in theirs {
        assert_eq!(&ours[name], expected, "jail {name}");
    }
}
