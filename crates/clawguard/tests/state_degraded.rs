//! The daemon when its state database cannot be written (issue 8, item 17):
//! a real SQLite lock held by a second connection past the 5 s busy timeout,
//! and a real full disk (a 1 MiB tmpfs in a private mount namespace holding
//! the state directory). A real daemon in a network namespace this test
//! creates keeps banning in real nftables, survives a restart on the full
//! disk, and once the database is writable again every ban is in it.
//!
//! Needs root, `ip`, `nft`, `unshare` and `nsenter`. Without them the test
//! skips with a printed reason, or fails when CLAWGUARD_REQUIRE_PRIVILEGED=1.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use clawguard_testkit::{Netns, require_installed, require_root};
use common::{
    BIN, app_jail_config, daemon, read, stop_daemon, stored_bans as ban_list, wait_for,
    write_app_filter,
};

fn cannot_run() -> bool {
    !require_root("network namespaces, mounts")
        || !require_installed(&["ip", "nft", "unshare", "nsenter", "sh", "sleep"])
}

/// One network namespace, and the processes started for the test; removed
/// on drop.
struct Lab {
    children: Vec<Child>,
    // Dropped after `Lab::drop` has ended the processes in it.
    netns: Netns,
}

impl Lab {
    fn new(tag: &str) -> Lab {
        Lab {
            children: Vec::new(),
            netns: Netns::create_or_panic(&format!("st{tag}")),
        }
    }

    /// Starts the daemon in the namespace (and in the mount namespace of
    /// `mount_holder`, when given); waits until it runs.
    fn start_daemon(
        &mut self,
        config: &Path,
        state: &Path,
        log: &Path,
        mount_holder: Option<u32>,
    ) -> usize {
        let mut command = match mount_holder {
            Some(pid) => {
                let mut c = Command::new("nsenter");
                c.arg(format!("--mount=/proc/{pid}/ns/mnt"))
                    .args(["--", "ip"]);
                c
            }
            None => Command::new("ip"),
        };
        command.args(["netns", "exec", self.netns.name(), BIN]);
        let child = daemon(&mut command, config, state, log)
            .spawn()
            .expect("start the daemon");
        self.children.push(child);
        wait_for("the daemon to start", Duration::from_secs(20), || {
            read(log).contains("clawguard running")
        });
        self.children.len() - 1
    }

    fn banned(&self) -> String {
        let out = self
            .netns
            .command("nft")
            .args(["list", "set", "inet", "clawguard", "ban4"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn alive(&mut self, index: usize, log: &Path) {
        if let Some(status) = self.children[index].try_wait().unwrap() {
            panic!("daemon exited with {status}; log:\n{}", read(log));
        }
    }

    /// SIGTERM, then a bounded wait for a clean exit.
    fn stop(&mut self, index: usize, log: &Path) {
        let status = stop_daemon(&mut self.children[index], Duration::from_secs(15), log);
        assert!(status.success(), "{status}; log:\n{}", read(log));
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        for child in self.children.iter_mut().rev() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn write_config(dir: &Path, app_log: &Path) -> PathBuf {
    let filter = write_app_filter(dir);
    let config = dir.join("clawguard.toml");
    let text = app_jail_config(
        dir,
        &filter,
        app_log,
        "[firewall]\ncheck_interval = \"1s\"\n",
        "maxretry = 2\nbantime = \"1h\"\n",
    );
    std::fs::write(&config, text).unwrap();
    config
}

/// `clawguard status` as an operator runs it (in the daemon's namespaces):
/// stdout and stderr together.
fn status(lab: &Lab, config: &Path, state: &Path, mount_holder: Option<u32>) -> String {
    let mut command = Command::new("nsenter");
    if let Some(pid) = mount_holder {
        command.arg(format!("--mount=/proc/{pid}/ns/mnt"));
    }
    let out = command
        .arg(format!("--net=/run/netns/{}", lab.netns.name()))
        .arg("--")
        .arg(BIN)
        .arg("--config")
        .arg(config)
        .arg("--state-dir")
        .arg(state)
        .arg("status")
        .output()
        .unwrap();
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn fail(log: &Path, address: &str) {
    common::fail(log, address, 3);
}

/// Active bans in the database, as `address/prefix` texts, read by the
/// CLI in the mount namespace of `mount_holder` when given (SQLite resolves
/// `/proc/PID/root` back to `/`, so the test cannot open it from outside).
fn stored_bans(state_dir: &Path, mount_holder: Option<u32>) -> Vec<String> {
    let command = match mount_holder {
        Some(pid) => {
            let mut c = Command::new("nsenter");
            c.arg(format!("--mount=/proc/{pid}/ns/mnt"))
                .arg("--")
                .arg(BIN);
            c
        }
        None => Command::new(BIN),
    };
    ban_list(command, state_dir)
}

#[test]
fn a_lock_held_past_the_busy_timeout_degrades_and_catches_up() {
    if cannot_run() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let app_log = d.join("app.log");
    std::fs::write(&app_log, "").unwrap();
    let config = write_config(d, &app_log);
    let state = d.join("state");
    let log = d.join("daemon.log");
    let mut lab = Lab::new("l");
    let daemon = lab.start_daemon(&config, &state, &log, None);

    // A second connection takes the write lock and keeps it for 12 s.
    let holder = rusqlite::Connection::open(state.join("clawguard.db")).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let locked_at = Instant::now();

    fail(&app_log, "192.0.2.2");
    wait_for("192.0.2.2 in nftables", Duration::from_secs(20), || {
        lab.banned().contains("192.0.2.2")
    });
    wait_for("the degraded report", Duration::from_secs(5), || {
        read(&log).contains("STATE DEGRADED")
    });
    // Degraded, a new ban does not wait for the lock again.
    let asked = Instant::now();
    fail(&app_log, "192.0.2.3");
    wait_for("192.0.2.3 in nftables", Duration::from_secs(20), || {
        lab.banned().contains("192.0.2.3")
    });
    let degraded_ban_latency = asked.elapsed();
    let report = status(&lab, &config, &state, None);
    assert!(report.contains("DEGRADED since"), "{report}");
    assert!(
        degraded_ban_latency < Duration::from_secs(3),
        "{degraded_ban_latency:?}"
    );
    lab.alive(daemon, &log);

    while locked_at.elapsed() < Duration::from_secs(12) {
        std::thread::sleep(Duration::from_millis(100));
        lab.alive(daemon, &log);
    }
    holder.execute_batch("ROLLBACK").unwrap();
    drop(holder);
    eprintln!("ban latency while degraded: {degraded_ban_latency:?}");

    wait_for("the catch-up", Duration::from_secs(45), || {
        read(&log).contains("STATE RECOVERED")
    });
    let report = status(&lab, &config, &state, None);
    assert!(report.contains("state database (daemon): ok"), "{report}");
    let stored = stored_bans(&state, None);
    for address in ["192.0.2.2/32", "192.0.2.3/32"] {
        assert!(stored.iter().any(|b| b == address), "{stored:?}");
    }
    lab.stop(daemon, &log);
    assert!(lab.banned().contains("192.0.2.3"));
}

#[test]
fn a_full_disk_degrades_survives_a_restart_and_catches_up() {
    if cannot_run() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let app_log = d.join("app.log");
    std::fs::write(&app_log, "").unwrap();
    let config = write_config(d, &app_log);
    let mount = d.join("statefs");
    std::fs::create_dir(&mount).unwrap();
    let mut lab = Lab::new("f");

    // A 1 MiB tmpfs, visible only in the mount namespace of a holder process.
    let holder = Command::new("unshare")
        .args(["-m", "--propagation", "private", "sh", "-c"])
        .arg("mount -t tmpfs -o size=1m,mode=0700 cg-state \"$0\" && touch \"$0/.mounted\" && exec sleep 600")
        .arg(&mount)
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    let holder_pid = holder.id();
    lab.children.push(holder);
    // The test reaches that file system through the holder's root.
    let inside =
        PathBuf::from(format!("/proc/{holder_pid}/root")).join(mount.strip_prefix("/").unwrap());
    wait_for("the tmpfs", Duration::from_secs(10), || {
        inside.join(".mounted").exists()
    });
    assert!(
        !mount.join(".mounted").exists(),
        "the tmpfs leaked into the test's namespace"
    );
    let state = mount.join("state");

    let fill = inside.join("fill");
    let fill_disk = || {
        let mut file = std::fs::File::create(&fill).unwrap();
        let chunk = vec![0u8; 64 * 1024];
        let mut written = 0usize;
        while file.write_all(&chunk).is_ok() {
            written += chunk.len();
            assert!(written < 8 << 20, "the 1 MiB tmpfs took 8 MiB");
        }
    };
    let banned_in_kernel = |lab: &Lab, address: &str| {
        wait_for(
            &format!("{address} in nftables"),
            Duration::from_secs(20),
            || lab.banned().contains(address),
        );
    };

    // 1. A running daemon: a ban stored as usual, then the disk fills.
    let log1 = d.join("daemon1.log");
    let first = lab.start_daemon(&config, &state, &log1, Some(holder_pid));
    fail(&app_log, "192.0.2.2");
    banned_in_kernel(&lab, "192.0.2.2");
    fill_disk();
    fail(&app_log, "192.0.2.3");
    banned_in_kernel(&lab, "192.0.2.3");
    wait_for("the degraded report", Duration::from_secs(10), || {
        read(&log1).contains("STATE DEGRADED")
    });
    lab.alive(first, &log1);
    std::fs::remove_file(&fill).unwrap();
    wait_for("the catch-up", Duration::from_secs(45), || {
        read(&log1).contains("STATE RECOVERED")
    });
    lab.stop(first, &log1);

    // 2. The disk is full before the daemon starts: it starts anyway (the
    // database does not even open), keeps the kernel's bans and bans again.
    fill_disk();
    let log2 = d.join("daemon2.log");
    let second = lab.start_daemon(&config, &state, &log2, Some(holder_pid));
    assert!(
        read(&log2).contains("opening the database at start-up"),
        "{}",
        read(&log2)
    );
    let banned = lab.banned();
    assert!(
        banned.contains("192.0.2.2") && banned.contains("192.0.2.3"),
        "{banned}"
    );
    fail(&app_log, "192.0.2.4");
    banned_in_kernel(&lab, "192.0.2.4");
    let report = status(&lab, &config, &state, Some(holder_pid));
    assert!(report.contains("DEGRADED since"), "{report}");
    lab.alive(second, &log2);
    // Stopped while degraded: its queue (192.0.2.4) is only in nftables now,
    // and the log is rotated away, so nothing reads that failure again.
    lab.stop(second, &log2);
    std::fs::write(&app_log, "").unwrap();

    // 3. Restarted on the still full disk; then space returns.
    let log3 = d.join("daemon3.log");
    let third = lab.start_daemon(&config, &state, &log3, Some(holder_pid));
    assert!(
        read(&log3).contains("opening the database at start-up"),
        "{}",
        read(&log3)
    );
    fail(&app_log, "192.0.2.5");
    banned_in_kernel(&lab, "192.0.2.5");
    lab.alive(third, &log3);
    std::fs::remove_file(&fill).unwrap();
    wait_for("the catch-up", Duration::from_secs(45), || {
        read(&log3).contains("STATE RECOVERED")
    });
    let stored = stored_bans(&state, Some(holder_pid));
    for address in [
        "192.0.2.2/32",
        "192.0.2.3/32",
        "192.0.2.4/32",
        "192.0.2.5/32",
    ] {
        assert!(
            stored.iter().any(|b| b == address),
            "{address} missing from {stored:?}; log:\n{}",
            read(&log3)
        );
    }
    assert!(
        read(&log3).contains("found only in nftables"),
        "{}",
        read(&log3)
    );
    lab.stop(third, &log3);
}

/// A ban that is in nftables but not in the database when the daemon starts
/// with a writable database (the previous daemon stopped while degraded) is
/// stored at that start, not only after a recovery from degraded mode.
#[test]
fn a_start_with_a_writable_database_stores_bans_found_only_in_nftables() {
    if cannot_run() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let app_log = d.join("app.log");
    std::fs::write(&app_log, "").unwrap();
    let config = write_config(d, &app_log);
    let state = d.join("state");
    let mut lab = Lab::new("a");

    // A first run creates the table and the database, then stops.
    let log1 = d.join("daemon1.log");
    let first = lab.start_daemon(&config, &state, &log1, None);
    lab.stop(first, &log1);
    // What a daemon stopped while degraded leaves: a ban only in the kernel.
    let status = lab
        .netns
        .command("nft")
        .args([
            "add",
            "element",
            "inet",
            "clawguard",
            "ban4",
            "{",
            "192.0.2.9",
            "timeout",
            "1h",
            "}",
        ])
        .status()
        .unwrap();
    assert!(status.success());
    assert!(stored_bans(&state, None).is_empty());

    let log2 = d.join("daemon2.log");
    let second = lab.start_daemon(&config, &state, &log2, None);
    let stored = stored_bans(&state, None);
    assert!(
        stored.iter().any(|b| b == "192.0.2.9/32"),
        "{stored:?}; log:\n{}",
        read(&log2)
    );
    assert!(lab.banned().contains("192.0.2.9"));
    lab.stop(second, &log2);
}
