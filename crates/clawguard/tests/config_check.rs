//! `check-config` and the config paths of other verbs (issue 8, items 14, 15
//! and 24): malformed values end with a clear error, quickly; everything
//! start-up would reject, `check-config` rejects too; the jails printed are
//! the jails that will run.

mod common;

use std::path::Path;
use std::process::Output;
use std::time::Duration;

use common::{clawguard_command, output_within, stderr, write_config};

/// Runs the binary with a deadline: a hang is a failure, not a stuck test.
fn clawguard(dir: &Path, args: &[&str]) -> Output {
    output_within(clawguard_command(dir).args(args), Duration::from_secs(20))
}

#[test]
fn malformed_durations_are_rejected_quickly() {
    for bad in ["1h, 30m", "1h-", "1h+30m", "10m-5m"] {
        let dir = tempfile::tempdir().unwrap();
        let config = write_config(dir.path(), &format!("[ban]\nbantime = \"{bad}\"\n"));
        let out = clawguard(dir.path(), &["--config", &config, "check-config"]);
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains("clawguard.toml:5:"), "{bad:?}: {err}");
        assert!(err.contains("invalid duration"), "{bad:?}: {err}");
    }

    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "");
    let out = clawguard(
        dir.path(),
        &[
            "--config",
            &config,
            "ban",
            "add",
            "192.0.2.7",
            "--duration",
            "1h-",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--duration"), "{}", stderr(&out));
}

/// A fail2ban-dialect filter file in `dir`, named `name.conf`.
fn write_filter(dir: &Path, name: &str, body: &str) -> String {
    let path = dir.join(format!("{name}.conf"));
    std::fs::write(&path, body).unwrap();
    path.display().to_string()
}

/// Everything start-up rejects, `check-config` rejects, with exit 2 and the
/// reason (it used to exit 0 and print the config).
#[test]
fn check_config_builds_what_startup_builds() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let log = d.join("app.log");
    std::fs::write(&log, "").unwrap();
    let jail = |filter: &str| {
        format!(
            "[jail.app]\nfilter = \"{filter}\"\nbackend = \"files\"\nlogpath = [\"{}\"]\n",
            log.display()
        )
    };
    let bad_regex = write_filter(
        d,
        "bad-regex",
        "[Definition]\nfailregex = ^(unclosed <HOST>$\n",
    );
    let no_host = write_filter(d, "no-host", "[Definition]\nfailregex = ^login failed$\n");
    let bad_date = write_filter(
        d,
        "bad-date",
        "[Definition]\nfailregex = ^fail <HOST>$\ndatepattern = ^%%Y-%%m-%%d (unclosed\n",
    );
    let good = write_filter(d, "good", "[Definition]\nfailregex = ^fail <HOST>$\n");
    let cases = [
        (
            "a regex that does not compile",
            jail(&bad_regex),
            "bad-regex",
        ),
        ("a failregex without <HOST>", jail(&no_host), "no-host"),
        (
            "a datepattern that does not compile",
            jail(&bad_date),
            "invalid datepattern",
        ),
        (
            "a ban-time formula dividing by zero",
            format!(
                "[ban.increment]\nenabled = true\nformula = \"ban.Time / 0\"\n{}",
                jail(&good)
            ),
            "division by zero",
        ),
        (
            "a gateway glob that matches nothing",
            format!(
                "[jail.openclaw-gateway]\nfilter = \"openclaw-gateway\"\nbackend = \"openclaw\"\nlogpath = [\"{}/openclaw-nothing-*\"]\n",
                d.display()
            ),
            "openclaw-nothing-*",
        ),
        (
            "a log rule whose regex does not compile",
            "[alert.log_rule.huge]\nlogpath = [\"/var/log/x.log\"]\nregex = ['(?:\\w{100}){100}']\n"
                .to_string(),
            "log rule huge: regex",
        ),
        (
            "a log rule on a gateway glob that matches nothing",
            format!(
                "[alert.log_rule.gw]\nbackend = \"openclaw\"\nlogpath = [\"{}/openclaw-nothing-*\"]\nregex = ['x']\n",
                d.display()
            ),
            "log rule gw: log source",
        ),
    ];
    for (what, body, expected) in cases {
        let config = write_config(d, &body);
        let out = clawguard(d, &["--config", &config, "check-config"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{what}: {err}");
        assert!(err.contains(expected), "{what}: {err}");
    }

    // The same file with a good filter passes.
    let config = write_config(d, &jail(&good));
    let out = clawguard(d, &["--config", &config, "check-config"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// A fail2ban directory whose sshd jail (maxretry 3) replaces the built-in
/// one (maxretry 5): `check-config` shows the jail that will run.
#[test]
fn check_config_prints_the_jails_as_they_will_run() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let f2b = d.join("fail2ban");
    std::fs::create_dir_all(f2b.join("filter.d")).unwrap();
    let log = d.join("auth.log");
    std::fs::write(&log, "").unwrap();
    std::fs::write(
        f2b.join("jail.conf"),
        format!(
            "[DEFAULT]\nmaxretry = 5\nfindtime = 10m\nbantime = 10m\n\n[sshd]\nenabled = true\nfilter = sshd\nlogpath = {}\nmaxretry = 3\nbantime = 1h\n",
            log.display()
        ),
    )
    .unwrap();
    std::fs::write(
        f2b.join("filter.d/sshd.conf"),
        "[Definition]\nfailregex = ^Failed password for .* from <HOST>\n",
    )
    .unwrap();
    let config = d.join("clawguard.toml");
    std::fs::write(
        &config,
        format!("version = 1\n[fail2ban]\ndir = \"{}\"\n", f2b.display()),
    )
    .unwrap();
    let config = config.display().to_string();

    let out = clawguard(d, &["--config", &config, "check-config"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    let sshd = text
        .split("[jail.sshd]")
        .nth(1)
        .unwrap_or_else(|| panic!("no [jail.sshd] table:\n{text}"));
    let sshd = sshd.split("\n[").next().unwrap();
    assert!(sshd.contains("maxretry = 3"), "[jail.sshd]{sshd}");
    assert!(sshd.contains("bantime = 3600"), "[jail.sshd]{sshd}");
    assert!(!text.contains("maxretry = 5\n\n[jail.openclaw"), "{text}");

    let out = clawguard(d, &["--config", &config, "check-config", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["config"]["jail"]["sshd"]["maxretry"], 3, "{doc}");
    let summary = doc["jails"]
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["name"] == "sshd")
        .unwrap();
    assert_eq!(summary["maxretry"], 3);
}

/// The example the docs point to is a working config: it builds as start-up
/// builds it (jails, filters, ignore lists), not only as TOML.
#[test]
fn the_shipped_example_config_builds() {
    let dir = tempfile::tempdir().unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/clawguard.toml");
    let example = example.display().to_string();
    let out = clawguard_command(dir.path())
        .args(["--config", &example, "check-config"])
        .env("CLAWGUARD_WEBHOOK_SECRET", "example-secret")
        .output()
        .expect("run clawguard");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Without the secret in the environment, check-config names sink and key.
    let out = clawguard_command(dir.path())
        .args(["--config", &example, "check-config"])
        .env_remove("CLAWGUARD_WEBHOOK_SECRET")
        .output()
        .expect("run clawguard");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("ops-webhook") && err.contains("CLAWGUARD_WEBHOOK_SECRET"),
        "{err}"
    );
}
