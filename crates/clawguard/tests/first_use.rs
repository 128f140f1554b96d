//! A new user's first configs, through the binary: a minimal file loads, a
//! proxy is given as a plain address, a built-in jail is turned off by name,
//! and a bad value is named by file, line and key; `--config` is a regular
//! file read within a bound.

mod common;

use std::path::Path;
use std::process::Output;
use std::time::Duration;

use common::{clawguard, clawguard_command, output_within};

fn check_config(dir: &Path, body: &str) -> Output {
    let path = dir.join("clawguard.toml");
    // No `version`: it defaults to 1.
    std::fs::write(
        &path,
        format!(
            "[fail2ban]\ndir = \"{}\"\n{body}",
            dir.join("no-fail2ban").display()
        ),
    )
    .unwrap();
    clawguard(
        dir,
        &["--config", path.to_str().unwrap(), "check-config", "--json"],
    )
}

#[test]
fn minimal_config_with_a_plain_proxy_address_and_sshd_off_loads() {
    let dir = tempfile::tempdir().unwrap();
    let out = check_config(
        dir.path(),
        "[ban]\nmaxretry = 3\ntrusted_proxies = [\"127.0.0.1\", \"::1\"]\n[jail.sshd]\nenabled = false\n",
    );
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["config"]["version"], 1);
    assert_eq!(doc["config"]["ban"]["maxretry"], 3);
    assert_eq!(
        doc["config"]["ban"]["trusted_proxies"],
        serde_json::json!(["127.0.0.1/32", "::1/128"])
    );
    let names: Vec<&str> = doc["jails"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["openclaw-gateway"], "{doc}");
}

#[test]
fn bad_values_name_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    for (body, line, key) in [
        ("[ban]\nfindtime = 0\n", 4, "ban.findtime"),
        (
            "[jail.sshd]\njournalmatch = \"sshd.service\"\n",
            4,
            "jail.sshd.journalmatch",
        ),
        (
            "[ban]\ntrusted_proxies = [\"gw.example\"]\n",
            4,
            "gw.example",
        ),
    ] {
        let out = check_config(dir.path(), body);
        assert_eq!(out.status.code(), Some(2), "{body}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("clawguard.toml:{line}:")),
            "{body}: {err}"
        );
        assert!(err.contains(key), "{body}: {err}");
    }
}

#[test]
fn config_that_is_a_fifo_or_a_device_is_refused_promptly() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo.toml");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::from_bits_truncate(0o600)).unwrap();
    for path in [fifo.as_path(), Path::new("/dev/zero")] {
        // Bounded: a hang (FIFO) or an endless read (/dev/zero) fails here.
        let out = output_within(
            clawguard_command(dir.path())
                .arg("--config")
                .arg(path)
                .arg("check-config"),
            Duration::from_secs(20),
        );
        let (status, err) = (out.status, String::from_utf8_lossy(&out.stderr));
        assert_eq!(status.code(), Some(2), "{}: {err}", path.display());
        assert!(
            err.contains("not a regular file"),
            "{}: {err}",
            path.display()
        );
    }
}
