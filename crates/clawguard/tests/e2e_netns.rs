//! End to end, in network namespaces this test creates: a real sshd in a
//! server namespace logs the failed logins of an attacker namespace; the
//! clawguard daemon in the server namespace reads the log and bans the
//! attacker in nftables. The attacker's TCP connects are then dropped while a
//! second client still connects. The ban survives `kill -9` of the daemon
//! plus a flushed ruleset, SIGHUP reloads, and SIGTERM stops cleanly.
//!
//! Needs root, `ip`, `nft`, `sshd` and `ssh`. Without them the test skips
//! with a printed reason, or fails when CLAWGUARD_REQUIRE_PRIVILEGED=1.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use clawguard_testkit::{Netns, require_installed, require_root, run_ok};
use common::{BIN, read, stop_daemon, wait_for};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

/// Network namespaces and the processes in them, removed on drop.
struct Lab {
    children: Vec<Child>,
    // Dropped after `Lab::drop` has ended the processes in them.
    srv: Netns,
    atk: Netns,
    cli: Netns,
}

impl Lab {
    fn ns(&self, role: &str) -> &Netns {
        match role {
            "srv" => &self.srv,
            "atk" => &self.atk,
            "cli" => &self.cli,
            other => panic!("no namespace {other}"),
        }
    }

    fn new() -> Lab {
        let lab = Lab {
            children: Vec::new(),
            srv: Netns::create_or_panic("srv"),
            atk: Netns::create_or_panic("atk"),
            cli: Netns::create_or_panic("cli"),
        };
        let tag = std::process::id();
        // srv <-> atk on 192.0.2.0/24, srv <-> cli on 198.51.100.0/24.
        for (peer, srv_addr, peer_addr) in [
            ("atk", "192.0.2.1/24", "192.0.2.2/24"),
            ("cli", "198.51.100.1/24", "198.51.100.2/24"),
        ] {
            let (a, b) = (format!("cgs{peer}{tag}"), format!("cgp{peer}{tag}"));
            let (a, b) = (&a[..a.len().min(15)], &b[..b.len().min(15)]);
            lab.srv.veth(a, lab.ns(peer), b);
            lab.srv.add_address(a, srv_addr);
            lab.ns(peer).add_address(b, peer_addr);
            lab.srv.link_up(a);
            lab.ns(peer).link_up(b);
        }
        lab
    }

    fn spawn_in(&mut self, role: &str, program: &str, args: &[&str], log: &Path) -> usize {
        let log = std::fs::File::create(log).unwrap();
        let child = self
            .ns(role)
            .command(program)
            .args(args)
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .stdin(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("spawn {program}: {e}"));
        self.children.push(child);
        self.children.len() - 1
    }

    /// TCP connect from `role` to `addr:port`, bounded by 1.5 s.
    fn connects(&self, role: &str, addr: &str, port: u16) -> bool {
        let script = format!("exec 3<>/dev/tcp/{addr}/{port}");
        self.ns(role)
            .command("timeout")
            .args(["1.5", "bash", "-c", &script])
            .stderr(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
    }

    fn banned_set(&self) -> String {
        let out = self
            .srv
            .command("nft")
            .args(["list", "set", "inet", "clawguard", "ban4"])
            .output()
            .expect("run nft");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

#[test]
fn attacker_is_banned_and_stays_banned_across_restarts() {
    if !require_root("network namespaces")
        || !require_installed(&["ip", "nft", "sshd", "ssh", "ssh-keygen", "bash", "timeout"])
    {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let key = d.join("hostkey");
    run_ok(
        "ssh-keygen",
        &["-q", "-t", "ed25519", "-N", "", "-f", key.to_str().unwrap()],
    );
    std::fs::create_dir_all("/run/sshd").unwrap();
    let sshd_log = d.join("sshd.log");
    std::fs::write(&sshd_log, "").unwrap();
    let config = d.join("clawguard.toml");
    std::fs::write(
        &config,
        format!(
            r#"version = 1
[firewall]
check_interval = "1s"
[fail2ban]
dir = "{nodir}"
[jail.sshd]
filter = "sshd"
backend = "files"
logpath = ["{log}"]
maxretry = 3
findtime = "10m"
bantime = "1h"
[jail.openclaw-gateway]
enabled = false
filter = "openclaw-gateway"
"#,
            nodir = d.join("no-fail2ban").display(),
            log = sshd_log.display()
        ),
    )
    .unwrap();
    let state = d.join("state");
    let bin = BIN;

    let mut lab = Lab::new();
    let sshd_args = [
        "-D",
        "-p",
        "2222",
        "-h",
        key.to_str().unwrap(),
        "-o",
        "PidFile=none",
        "-o",
        "UsePAM=no",
        "-E",
        sshd_log.to_str().unwrap(),
    ];
    lab.spawn_in("srv", "/usr/sbin/sshd", &sshd_args, &d.join("sshd.out"));
    wait_for("sshd to listen", Duration::from_secs(10), || {
        lab.connects("cli", "198.51.100.1", 2222)
    });
    let daemon_args = [
        "--config",
        config.to_str().unwrap(),
        "--state-dir",
        state.to_str().unwrap(),
        "run",
    ];
    let daemon_log: PathBuf = d.join("daemon.log");
    let daemon = lab.spawn_in("srv", bin, &daemon_args, &daemon_log);
    wait_for("the daemon to start", Duration::from_secs(20), || {
        read(&daemon_log).contains("clawguard running")
    });

    // The attacker fails to log in until banned; each attempt is bounded.
    let start = Instant::now();
    let mut attempts = 0;
    while !lab.banned_set().contains("192.0.2.2") {
        assert!(
            attempts < 10 && start.elapsed() < Duration::from_secs(60),
            "attacker not banned after {attempts} attempts; daemon log:\n{}\nsshd log:\n{}",
            read(&daemon_log),
            read(&sshd_log)
        );
        let _ = lab
            .atk
            .command("timeout")
            .args([
                "5",
                "ssh",
                "-o",
                "BatchMode=yes",
                "-o",
                "StrictHostKeyChecking=no",
                "-o",
                "UserKnownHostsFile=/dev/null",
                "-o",
                "ConnectTimeout=2",
                "-p",
                "2222",
                "nosuchuser@192.0.2.1",
                "true",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        attempts += 1;
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(
        !lab.connects("atk", "192.0.2.1", 2222),
        "banned attacker still connects"
    );
    assert!(
        lab.connects("cli", "198.51.100.1", 2222),
        "innocent client is blocked"
    );

    // SIGHUP reloads without losing the ban.
    let pid = Pid::from_raw(lab.children[daemon].id() as i32);
    kill(pid, Signal::SIGHUP).unwrap();
    wait_for("the reload", Duration::from_secs(10), || {
        read(&daemon_log).contains("configuration reloaded")
    });
    assert!(lab.banned_set().contains("192.0.2.2"));

    // kill -9, then wipe the ruleset: the restarted daemon restores the ban.
    let _ = lab.children[daemon].kill();
    let _ = lab.children[daemon].wait();
    lab.srv.exec(&["nft", "flush", "ruleset"]);
    assert!(
        lab.connects("atk", "192.0.2.1", 2222),
        "flush should have lifted the ban"
    );
    let daemon_log2 = d.join("daemon2.log");
    let daemon2 = lab.spawn_in("srv", bin, &daemon_args, &daemon_log2);
    wait_for("the restored ban", Duration::from_secs(20), || {
        lab.banned_set().contains("192.0.2.2")
    });
    assert!(
        !lab.connects("atk", "192.0.2.1", 2222),
        "ban not enforced after restart"
    );
    assert!(
        lab.connects("cli", "198.51.100.1", 2222),
        "client blocked after restart"
    );

    // A flush while it runs is repaired within seconds.
    lab.srv.exec(&["nft", "flush", "ruleset"]);
    wait_for("the table to be restored", Duration::from_secs(10), || {
        lab.banned_set().contains("192.0.2.2")
    });

    // SIGTERM stops cleanly, leaving the ban in the kernel.
    let status = stop_daemon(
        &mut lab.children[daemon2],
        Duration::from_secs(10),
        &daemon_log2,
    );
    assert!(status.success(), "daemon exited with {status}");
    assert!(lab.banned_set().contains("192.0.2.2"));

    // `firewall remove` takes the table out.
    lab.srv.exec(&[bin, "firewall", "remove"]);
    let out = lab.srv.exec(&["nft", "list", "tables"]);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("clawguard"));
}
