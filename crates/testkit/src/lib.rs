//! Support shared by the workspace's integration tests: the rule for tests
//! that need root or outside tools (skip with a printed reason, or fail when
//! `CLAWGUARD_REQUIRE_PRIVILEGED=1`), throwaway network namespaces, journal
//! files built with `systemd-journal-remote`, and the Node tools from
//! `.ci/node-tools.sh`.
//!
//! Dev-only: crates take it as a dev-dependency, nothing shipped links it.

pub mod http_receiver;
pub mod journal;
pub mod netns;
pub mod node;

use std::fmt::Display;
use std::path::Path;
use std::process::{Command, Output};

pub use netns::{Netns, try_connect};

/// Whether `CLAWGUARD_REQUIRE_PRIVILEGED=1` (as CI sets it): then a test that
/// cannot run here fails instead of skipping.
pub fn privileged_required() -> bool {
    std::env::var("CLAWGUARD_REQUIRE_PRIVILEGED").as_deref() == Ok("1")
}

/// A test cannot run here: prints why (the caller then returns), or panics
/// when `CLAWGUARD_REQUIRE_PRIVILEGED=1`, so CI never passes a skipped test.
#[track_caller]
pub fn skip_or_fail(reason: impl Display) {
    if privileged_required() {
        panic!("privileged test cannot run: {reason}");
    }
    eprintln!("skipping privileged test: {reason}");
}

pub fn is_root() -> bool {
    nix::unistd::geteuid().is_root()
}

/// True as root; otherwise `skip_or_fail` with `why` root is needed.
#[track_caller]
pub fn require_root(why: &str) -> bool {
    if is_root() {
        return true;
    }
    skip_or_fail(format!("not running as root ({why})"));
    false
}

/// `program arg` runs and exits 0 (e.g. `ip -V`, `nft --version`).
pub fn tool_works(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// `program` is in one of the system's binary directories.
pub fn installed(program: &str) -> bool {
    ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]
        .iter()
        .any(|dir| Path::new(dir).join(program).exists())
}

/// True when every one of `programs` is installed; otherwise `skip_or_fail`
/// names the first missing one.
#[track_caller]
pub fn require_installed(programs: &[&str]) -> bool {
    match programs.iter().find(|program| !installed(program)) {
        None => true,
        Some(missing) => {
            skip_or_fail(format!("{missing} is not installed"));
            false
        }
    }
}

/// Runs `program args`; panics with its stderr unless it exits 0.
#[track_caller]
pub fn run_ok(program: &str, args: &[&str]) -> Output {
    output_ok(Command::new(program).args(args))
}

/// Runs `command` to its end; panics with its stderr unless it exits 0.
#[track_caller]
pub fn output_ok(command: &mut Command) -> Output {
    let out = command
        .output()
        .unwrap_or_else(|e| panic!("run {command:?}: {e}"));
    assert!(
        out.status.success(),
        "{command:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The `jail.local` from the guide users follow (fail2ban's format), loaded
/// unchanged by the f2b and jails tests.
pub const GUIDE_JAIL_LOCAL: &str = "\
[sshd]
enabled = true
port = ssh
filter = sshd
logpath = /var/log/auth.log
maxretry = 3
bantime = 3600
findtime = 600

[openclaw-api]
enabled = true
port = 443
filter = openclaw-api
logpath = /opt/openclaw/logs/access.log
maxretry = 10
bantime = 1800
findtime = 300
";

/// Copies the directories and regular files under `from` to `to` (links and
/// special files are left out).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        let kind = entry.file_type().expect("file type");
        if kind.is_dir() {
            copy_dir(&entry.path(), &target);
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}
