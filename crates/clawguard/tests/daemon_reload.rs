//! SIGHUP against a running daemon (issue 8, items 14, 15 and 16): a config
//! that parses but does not build, a malformed duration, or a deleted config
//! file is refused; the daemon keeps running its configuration (its jails and
//! its ignoreip) and still stops on SIGTERM.
//!
//! The daemon runs `--detect-only` (bans are recorded in SQLite, not
//! enforced), so no privilege is needed.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use common::{
    BIN, app_jail_config, daemon, fail, read, stop_daemon, stored_bans, write_app_filter,
};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

struct Daemon {
    child: Child,
    log: PathBuf,
}

impl Daemon {
    fn start(config: &Path, state: &Path, log: PathBuf) -> Daemon {
        let child = daemon(&mut Command::new(BIN), config, state, &log)
            .arg("--detect-only")
            .spawn()
            .expect("start the daemon");
        let daemon = Daemon { child, log };
        daemon.wait_log("clawguard running", 1);
        daemon
    }

    fn log(&self) -> String {
        read(&self.log)
    }

    /// Waits until `needle` occurs `count` times in the log (bounded: 20 s).
    fn wait_log(&self, needle: &str, count: usize) {
        let start = Instant::now();
        while self.log().matches(needle).count() < count {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "timed out waiting for {count}× {needle:?}; log:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn signal(&self, signal: Signal) {
        kill(Pid::from_raw(self.child.id() as i32), signal).unwrap();
    }

    fn assert_alive(&mut self) {
        if let Some(status) = self.child.try_wait().unwrap() {
            panic!("daemon exited with {status}; log:\n{}", self.log());
        }
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Active bans in the state database, by address.
fn banned(state: &Path) -> Vec<String> {
    stored_bans(Command::new(BIN), state)
}

fn wait_banned(state: &Path, target: &str, daemon: &Daemon) {
    let start = Instant::now();
    while !banned(state).iter().any(|b| b.starts_with(target)) {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{target} not banned; log:\n{}",
            daemon.log()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn sighup_refuses_what_does_not_build_and_keeps_running() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let state = d.join("state");
    let app_log = d.join("app.log");
    std::fs::write(&app_log, "").unwrap();
    let filter = write_app_filter(d);
    let bad_filter = d.join("bad.conf");
    std::fs::write(
        &bad_filter,
        "[Definition]\nfailregex = ^(unclosed <HOST>$\n",
    )
    .unwrap();
    let config = d.join("clawguard.toml");
    let write = |extra: &str, filter: &Path| {
        let top = format!("[ban]\nignoreip = [\"192.0.2.50\"]\n{extra}");
        std::fs::write(
            &config,
            app_jail_config(d, filter, &app_log, &top, "maxretry = 2\n"),
        )
        .unwrap();
    };
    write("", &filter);
    let mut daemon = Daemon::start(&config, &state, d.join("daemon.log"));

    let gateway_glob = format!(
        "[jail.gw]\nfilter = \"openclaw-gateway\"\nbackend = \"openclaw\"\nlogpath = [\"{}/oc-nothing-*\"]\n",
        d.display()
    );
    let bad: [(&str, String, &Path); 5] = [
        ("a bad regex", String::new(), &bad_filter),
        (
            "a formula dividing by zero",
            "[ban.increment]\nenabled = true\nformula = \"ban.Time / 0\"\n".into(),
            &filter,
        ),
        ("a gateway glob matching nothing", gateway_glob, &filter),
        (
            "a duration with a comma",
            "bantime = \"1h, 30m\"\n".into(),
            &filter,
        ),
        (
            "a duration with a trailing '-'",
            "bantime = \"1h-\"\n".into(),
            &filter,
        ),
    ];
    for (n, (what, extra, filter)) in bad.iter().enumerate() {
        write(extra, filter);
        daemon.signal(Signal::SIGHUP);
        daemon.wait_log("reload refused", n + 1);
        std::thread::sleep(Duration::from_millis(200));
        daemon.assert_alive();
        assert!(
            !daemon.log().contains("configuration reloaded"),
            "{what} was swapped in:\n{}",
            daemon.log()
        );
    }

    // The running configuration still works, ignoreip included.
    fail(&app_log, "192.0.2.50", 3);
    fail(&app_log, "192.0.2.9", 3);
    wait_banned(&state, "192.0.2.9", &daemon);
    assert!(
        !banned(&state).iter().any(|b| b.starts_with("192.0.2.50")),
        "{:?}",
        banned(&state)
    );

    // The config file is deleted: no silent fall-back to built-in defaults.
    std::fs::remove_file(&config).unwrap();
    daemon.signal(Signal::SIGHUP);
    daemon.wait_log("reload refused", bad.len() + 1);
    let log = daemon.log();
    assert!(log.contains("is gone"), "{log}");
    assert!(!log.contains("configuration reloaded"), "{log}");
    fail(&app_log, "192.0.2.50", 3);
    fail(&app_log, "192.0.2.10", 3);
    wait_banned(&state, "192.0.2.10", &daemon);
    assert!(!banned(&state).iter().any(|b| b.starts_with("192.0.2.50")));

    // A good config still reloads, and SIGTERM still stops the daemon.
    write("", &filter);
    daemon.signal(Signal::SIGHUP);
    daemon.wait_log("configuration reloaded", 1);
    let status = stop_daemon(&mut daemon.child, Duration::from_secs(10), &daemon.log);
    assert!(status.success(), "{status}; log:\n{}", daemon.log());
}
