//! `check-config` and the config paths of other verbs (issue 8, items 14, 15
//! and 24): malformed values end with a clear error, quickly; everything
//! start-up would reject, `check-config` rejects too; the jails printed are
//! the jails that will run.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs the binary with a deadline: a hang is a failure, not a stuck test.
/// As root, in a fresh network namespace so the host firewall is never touched.
fn clawguard(dir: &Path, args: &[&str]) -> Output {
    let bin = env!("CARGO_BIN_EXE_clawguard");
    let mut command = if nix::unistd::geteuid().is_root() {
        let mut c = Command::new("unshare");
        c.args(["-n", bin]);
        c
    } else {
        Command::new(bin)
    };
    let mut child = command
        .arg("--state-dir")
        .arg(dir.join("state"))
        .args(args)
        .env_remove("CLAWGUARD_STATE_DIR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run clawguard");
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("clawguard {args:?} did not finish within 20 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn write_config(dir: &Path, body: &str) -> String {
    let path = dir.join("clawguard.toml");
    std::fs::write(
        &path,
        format!(
            "version = 1\n[fail2ban]\ndir = \"{}\"\n{body}",
            dir.join("no-fail2ban").display()
        ),
    )
    .unwrap();
    path.display().to_string()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
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
