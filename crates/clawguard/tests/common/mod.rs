//! What the binary's integration tests share: running `clawguard` as a user
//! would, its JSON output, and starting, watching and stopping a daemon.
//! Cross-crate support (skip-or-fail, network namespaces, journal files)
//! lives in `clawguard-testkit`.

// Each test file is its own crate and uses only some of these.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

pub const BIN: &str = env!("CARGO_BIN_EXE_clawguard");

/// The binary with `--state-dir DIR/state` (never a `CLAWGUARD_STATE_DIR`
/// from the environment). As root it runs in a fresh network namespace
/// (`unshare -n`), so a test can never touch the host's own firewall.
pub fn clawguard_command(dir: &Path) -> Command {
    let mut command = if clawguard_testkit::is_root() {
        let mut c = Command::new("unshare");
        c.args(["-n", BIN]);
        c
    } else {
        Command::new(BIN)
    };
    command
        .arg("--state-dir")
        .arg(dir.join("state"))
        .env_remove("CLAWGUARD_STATE_DIR");
    command
}

/// `clawguard --state-dir DIR/state ARGS…`, run to its end.
pub fn clawguard(dir: &Path, args: &[&str]) -> Output {
    clawguard_command(dir)
        .args(args)
        .output()
        .expect("run clawguard")
}

/// Runs `command` (stdin empty) with a deadline: a hang is a failure, not a
/// stuck test.
#[track_caller]
pub fn output_within(command: &mut Command, limit: Duration) -> Output {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run clawguard");
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{command:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// The one JSON document on stdout of a run that succeeded.
#[track_caller]
pub fn json_ok(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("exactly one JSON document on stdout")
}

/// The one JSON document on stdout, whatever the exit code.
#[track_caller]
pub fn stdout_json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not one JSON document ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `DIR/clawguard.toml`: version 1, a fail2ban directory that does not
/// exist, then `body`. Returns its path.
pub fn write_config(dir: &Path, body: &str) -> String {
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

/// The text of a daemon test config with one jail, `app`, reading the plain
/// file `log` with `filter`: no fail2ban import, the fim and skill engines
/// and the built-in jails off. `top` goes after the engines' sections (more
/// sections, or keys of a `[ban]` table it opens); `jail` adds keys to
/// `[jail.app]`.
pub fn app_jail_config(dir: &Path, filter: &Path, log: &Path, top: &str, jail: &str) -> String {
    format!(
        r#"version = 1
[fail2ban]
dir = "{nodir}"
[fim]
enabled = false
[skills]
enabled = false
{top}
[jail.sshd]
enabled = false
filter = "sshd"
[jail.openclaw-gateway]
enabled = false
filter = "openclaw-gateway"
[jail.app]
filter = "{filter}"
backend = "files"
logpath = ["{log}"]
{jail}"#,
        nodir = dir.join("no-fail2ban").display(),
        filter = filter.display(),
        log = log.display(),
    )
}

/// A file's text, empty while it does not exist.
pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// Polls `ok` until it holds; panics after `timeout`.
#[track_caller]
pub fn wait_for(what: &str, timeout: Duration, mut ok: impl FnMut() -> bool) {
    let start = Instant::now();
    while start.elapsed() < timeout {
        if ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out after {timeout:?} waiting for {what}");
}

/// Makes `command` (the binary, or a wrapper whose last argument is the
/// binary) start the daemon: `--config CONFIG --state-dir STATE run`,
/// logging at info level into `log`.
pub fn daemon<'a>(
    command: &'a mut Command,
    config: &Path,
    state: &Path,
    log: &Path,
) -> &'a mut Command {
    let file = std::fs::File::create(log).unwrap();
    command
        .arg("--config")
        .arg(config)
        .arg("--state-dir")
        .arg(state)
        .arg("run")
        .env("RUST_LOG", "info")
        .stdin(Stdio::null())
        .stdout(file.try_clone().unwrap())
        .stderr(file)
}

/// `DIR/app.conf`: a fail2ban filter matching the lines `fail` writes.
pub fn write_app_filter(dir: &Path) -> PathBuf {
    let filter = dir.join("app.conf");
    std::fs::write(
        &filter,
        "[Definition]\nfailregex = ^fail <HOST>$\ndatepattern = {NONE}\n",
    )
    .unwrap();
    filter
}

/// A child process that is killed when the test ends, also when an
/// assertion fails first.
pub struct KillOnDrop(pub Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// SIGTERM, then a bounded wait for the exit; on timeout the daemon is
/// killed and the test fails with its log.
#[track_caller]
pub fn stop_daemon(child: &mut Child, limit: Duration, log: &Path) -> ExitStatus {
    kill(Pid::from_raw(child.id() as i32), Signal::SIGTERM).unwrap();
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("daemon ignored SIGTERM for {limit:?}; log:\n{}", read(log));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Appends `times` lines `fail ADDRESS` (what the tests' `app` filter
/// matches) to `log`.
pub fn fail(log: &Path, address: &str, times: usize) {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new().append(true).open(log).unwrap();
    for _ in 0..times {
        writeln!(file, "fail {address}").unwrap();
    }
}

/// Active bans in the state database (`ban list --json` run by `command`,
/// the binary or a wrapper that ends with it), as `address/prefix` texts.
#[track_caller]
pub fn stored_bans(mut command: Command, state_dir: &Path) -> Vec<String> {
    let out = command
        .arg("--state-dir")
        .arg(state_dir)
        .args(["ban", "list", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "ban list: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    doc["bans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["target"].as_str().unwrap().to_string())
        .collect()
}
