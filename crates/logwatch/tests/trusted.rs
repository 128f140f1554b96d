//! OpenClaw gateway logs are read only from files and directories of root or a
//! gateway user that no one else can write (issue 8, item 6): a log planted by
//! `nobody`, or one that is group-writable, delivers no line, while a
//! legitimate root-owned log still does.
//!
//! Needs root (to chown to `nobody`); otherwise it prints why and returns,
//! unless CLAWGUARD_REQUIRE_PRIVILEGED=1, which turns the skip into a failure.

mod support;

use std::os::unix::fs::{PermissionsExt, chown};
use std::path::Path;
use std::time::Duration;

use clawguard_logwatch::{SourceSpec, StartAt, TrustedOpenError, TrustedOwners, open_trusted};
use clawguard_testkit::require_root;
use support::{source, start, texts};

const NOBODY: u32 = 65_534;
const FAILURE: &str = r#"{"0":"{\"subsystem\":\"gateway/ws\"}","1":"unauthorized conn=c1 remote=192.0.2.77 client=cli cli v2026.1.29 reason=password_mismatch","time":"2026-12-07T01:00:00.000Z"}"#;

fn is_root() -> bool {
    require_root("needed to chown test files to nobody")
}

fn write(path: &Path, text: &str, mode: u32, owner: Option<u32>) {
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    if let Some(uid) = owner {
        chown(path, Some(uid), Some(uid)).unwrap();
    }
}

fn mkdir(path: &Path, mode: u32, owner: Option<u32>) {
    std::fs::create_dir(path).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    if let Some(uid) = owner {
        chown(path, Some(uid), Some(uid)).unwrap();
    }
}

/// Directories as a hostile local user and a careless setup leave them.
struct Layout {
    _root: tempfile::TempDir,
    legit: std::path::PathBuf,
    planted: std::path::PathBuf,
    group_writable: std::path::PathBuf,
    foreign_file: std::path::PathBuf,
}

fn layout() -> Layout {
    let root = tempfile::tempdir().unwrap();
    let base = root.path();
    let name = "openclaw-2026-12-07.log";
    // The gateway's own directory and log (root runs the gateway here).
    let legit = base.join("openclaw");
    mkdir(&legit, 0o755, None);
    write(
        &legit.join(name),
        &format!("{FAILURE} legit\n"),
        0o644,
        None,
    );
    // `nobody` made its own directory and log, as in /tmp/openclaw-x.
    let planted = base.join("openclaw-x");
    mkdir(&planted, 0o755, Some(NOBODY));
    write(
        &planted.join(name),
        &format!("{FAILURE} planted\n"),
        0o644,
        Some(NOBODY),
    );
    // Root's file, but anyone in its group may write it.
    let group_writable = base.join("openclaw-g");
    mkdir(&group_writable, 0o755, None);
    write(
        &group_writable.join(name),
        &format!("{FAILURE} group\n"),
        0o664,
        None,
    );
    // A root directory holding a file of nobody's.
    let foreign_file = base.join("openclaw-f");
    mkdir(&foreign_file, 0o755, None);
    write(
        &foreign_file.join(name),
        &format!("{FAILURE} foreign\n"),
        0o644,
        Some(NOBODY),
    );
    Layout {
        _root: root,
        legit,
        planted,
        group_writable,
        foreign_file,
    }
}

#[tokio::test]
async fn only_trusted_gateway_logs_are_read() {
    if !is_root() {
        return;
    }
    let l = layout();
    let spec = SourceSpec::OpenClaw {
        owners: None,
        dirs: vec![
            l.legit.clone(),
            l.planted.clone(),
            l.group_writable.clone(),
            l.foreign_file.clone(),
        ],
    };
    let mut running = start(vec![source(spec, vec![], StartAt::Beginning)]);
    let lines = running.recv_n(1, Duration::from_secs(5)).await;
    assert!(texts(&lines)[0].ends_with(" legit"), "{:?}", texts(&lines));
    running.expect_quiet(Duration::from_millis(700)).await;
    // Later writes change nothing: the planted files stay unread.
    let name = "openclaw-2026-12-07.log";
    for dir in [&l.planted, &l.group_writable, &l.foreign_file] {
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(dir.join(name))
            .unwrap();
        std::io::Write::write_all(&mut f, format!("{FAILURE} later\n").as_bytes()).unwrap();
    }
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(l.legit.join(name))
        .unwrap();
    std::io::Write::write_all(&mut f, format!("{FAILURE} legit again\n").as_bytes()).unwrap();
    let lines = running.recv_n(1, Duration::from_secs(5)).await;
    assert!(
        texts(&lines)[0].ends_with(" legit again"),
        "{:?}",
        texts(&lines)
    );
    running.expect_quiet(Duration::from_millis(700)).await;
    running.stop().await;
}

#[test]
fn refusals_name_the_file_and_the_reason() {
    if !is_root() {
        return;
    }
    let l = layout();
    let owners = TrustedOwners::new([]);
    let name = "openclaw-2026-12-07.log";
    assert!(open_trusted(&l.legit.join(name), &owners).is_ok());
    for (path, at, reason) in [
        (
            l.planted.join(name),
            l.planted.clone(),
            "owned by uid 65534",
        ),
        (
            l.group_writable.join(name),
            l.group_writable.join(name),
            "writable by group or others (mode 0664)",
        ),
        (
            l.foreign_file.join(name),
            l.foreign_file.join(name),
            "owned by uid 65534",
        ),
    ] {
        match open_trusted(&path, &owners) {
            Err(TrustedOpenError::Refused(refusal)) => {
                assert_eq!(refusal.path, at);
                assert!(refusal.reason.starts_with(reason), "{refusal}");
            }
            other => panic!("{}: {other:?}", path.display()),
        }
    }
    // A gateway user (owner of a state dir in their home) is trusted.
    let home = l.planted.join("home");
    mkdir(&home, 0o755, Some(NOBODY));
    mkdir(&home.join(".openclaw"), 0o700, Some(NOBODY));
    let passwd = format!(
        "nobody:x:{NOBODY}:{NOBODY}:nobody:{}:/bin/sh\n",
        home.display()
    );
    let users = clawguard_logwatch::gateway_users(&passwd);
    assert!(users.contains(&NOBODY));
    let owners = TrustedOwners::new(users);
    assert!(open_trusted(&l.planted.join(name), &owners).is_ok());
    // Not when the state dir belongs to someone else.
    chown(home.join(".openclaw"), Some(0), Some(0)).unwrap();
    assert!(!clawguard_logwatch::gateway_users(&passwd).contains(&NOBODY));
    // A symlink in place of a directory is never followed.
    let link = l.legit.join("link");
    std::os::unix::fs::symlink(&l.legit, &link).unwrap();
    assert!(matches!(
        open_trusted(&link.join(name), &TrustedOwners::new([])),
        Err(TrustedOpenError::Refused(_))
    ));
}

/// Set only in the child run by [`configured_owners_replace_detection`].
const CHILD_MARK: &str = "CLAWGUARD_TEST_CONFIGURED_OWNERS_CHILD";
/// A uid with no account and no state directory: trusted only when configured.
const CONFIGURED: u32 = 4242;

#[test]
fn configured_owners_replace_detection() {
    if !is_root() {
        return;
    }
    // `nobody` owns an OpenClaw state dir (through $OPENCLAW_STATE_DIR), as any
    // local user can: auto-detection then trusts it. The environment is set for
    // a child run of this test binary only (tests here share one process).
    let state = tempfile::tempdir().unwrap();
    let state_dir = state.path().join("state");
    mkdir(&state_dir, 0o700, Some(NOBODY));
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "configured_owners_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("OPENCLAW_STATE_DIR", &state_dir)
        .env(CHILD_MARK, "1")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
    assert!(text.contains("1 passed"), "{text}");
}

#[tokio::test]
async fn configured_owners_child() {
    if std::env::var_os(CHILD_MARK).is_none() {
        return; // run by configured_owners_replace_detection
    }
    assert!(TrustedOwners::discover().contains(NOBODY));
    let root = tempfile::tempdir().unwrap();
    let name = "openclaw-2026-12-07.log";
    let ours = root.path().join("openclaw");
    mkdir(&ours, 0o755, Some(CONFIGURED));
    write(
        &ours.join(name),
        &format!("{FAILURE} configured\n"),
        0o644,
        Some(CONFIGURED),
    );
    let planted = root.path().join("openclaw-x");
    mkdir(&planted, 0o755, Some(NOBODY));
    write(
        &planted.join(name),
        &format!("{FAILURE} planted\n"),
        0o644,
        Some(NOBODY),
    );
    let dirs = vec![ours.clone(), planted.clone()];
    // `status`: with owners configured, the state-dir owner's log is refused.
    let refused = clawguard_logwatch::refused_openclaw_logs(&dirs, Some(&[CONFIGURED]));
    let paths: Vec<_> = refused.iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths, vec![planted.join(name)], "{refused:?}");
    // Auto-detection would have trusted it instead of the configured user.
    let refused = clawguard_logwatch::refused_openclaw_logs(&dirs, None);
    let paths: Vec<_> = refused.iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths, vec![ours.join(name)], "{refused:?}");
    // The source reads the configured user's log and nothing of nobody's.
    let spec = SourceSpec::OpenClaw {
        dirs,
        owners: Some(vec![CONFIGURED]),
    };
    let mut running = start(vec![source(spec, vec![], StartAt::Beginning)]);
    let lines = running.recv_n(1, Duration::from_secs(5)).await;
    assert!(
        texts(&lines)[0].ends_with(" configured"),
        "{:?}",
        texts(&lines)
    );
    running.expect_quiet(Duration::from_millis(700)).await;
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(planted.join(name))
        .unwrap();
    std::io::Write::write_all(&mut f, format!("{FAILURE} planted later\n").as_bytes()).unwrap();
    running.expect_quiet(Duration::from_millis(700)).await;
    running.stop().await;
}
