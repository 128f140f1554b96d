//! Realtime watching on real trees: fanotify with who-data (root), inotify,
//! and the rescan after a queue overflow. Privileged cases skip with a reason,
//! or fail when CLAWGUARD_REQUIRE_PRIVILEGED=1.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::{Receiver, sync_channel};
use std::time::{Duration, Instant};

use clawguard_event::{Event, EventKind, FileChange};
use clawguard_fim::engine::Fim;
use clawguard_fim::hash::HashAlgo;
use clawguard_fim::policy::Policy;
use clawguard_fim::realtime::{self, RealtimeLimits, Watcher};
use clawguard_fim::walk::WalkLimits;
use clawguard_testkit::{require_root, skip_or_fail};

struct Setup {
    _dir: tempfile::TempDir,
    tree: PathBuf,
    fim: Fim,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree");
    std::fs::create_dir_all(tree.join("skills")).unwrap();
    std::fs::write(tree.join("authorized_keys"), b"ssh-ed25519 AAAA test\n").unwrap();
    std::fs::write(tree.join("a"), b"a").unwrap();
    std::fs::write(tree.join("b"), b"b").unwrap();
    let work = dir.path().join("work");
    let fim = Fim {
        policy: Policy::from_paths(std::slice::from_ref(&tree), "R", HashAlgo::Blake3).unwrap(),
        baseline: work.join("baseline.cgfim"),
        signing_key: work.join("signing.key"),
        pinned_key: None,
        state: work.join("fim"),
        limits: WalkLimits::default(),
        max_listed: 1000,
    };
    fim.init(1).unwrap();
    Setup {
        _dir: dir,
        tree,
        fim,
    }
}

struct Running {
    rx: Receiver<Event>,
    stop: Arc<AtomicBool>,
    handle: Option<std::thread::JoinHandle<Result<(), clawguard_fim::FimError>>>,
}

impl Running {
    fn start(watcher: Watcher) -> Running {
        let (tx, rx) = sync_channel(65_536);
        let stop = Arc::new(AtomicBool::new(false));
        let handle = realtime::spawn(watcher, tx, Arc::clone(&stop));
        Running {
            rx,
            stop,
            handle: Some(handle),
        }
    }

    /// Waits (10 s at most) for an event matching `want`; returns it.
    fn wait_for(&self, what: &str, want: impl Fn(&Event) -> bool) -> Event {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut seen = Vec::new();
        while Instant::now() < deadline {
            if let Ok(event) = self.rx.recv_timeout(Duration::from_millis(100)) {
                if want(&event) {
                    return event;
                }
                seen.push(event.summary());
            }
        }
        panic!("no event for {what} within 10 s; saw {seen:#?}");
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
    }
}

fn is_change(event: &Event, path: &Path, expected: &FileChange) -> bool {
    matches!(&event.kind, EventKind::FileChanged { path: p, change, .. }
        if p == &path.display().to_string() && change == expected)
}

/// A setup and a watcher with fanotify, or `None` after `skip_or_fail`.
fn fanotify_setup() -> Option<(Setup, Watcher)> {
    if !require_root("fanotify needs CAP_SYS_ADMIN") {
        return None;
    }
    let s = setup();
    let watcher = Watcher::new(s.fim.clone(), RealtimeLimits::default()).unwrap();
    if !watcher.backends().fanotify {
        skip_or_fail("fanotify is not available on this kernel");
        return None;
    }
    Some((s, watcher))
}

#[test]
fn fanotify_reports_writes_with_who_did_them() {
    let Some((s, watcher)) = fanotify_setup() else {
        return;
    };
    let running = Running::start(watcher);
    let keys = s.tree.join("authorized_keys");
    // The shell stays alive (sleep) so its /proc entry can be read; the
    // trailing builtin keeps the shell from exec'ing `sleep` in its place.
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "echo 'ssh-ed25519 AAAA attacker' >> '{}'; sleep 2; true",
            keys.display()
        ))
        .spawn()
        .unwrap();
    let pid = child.id();
    let event = running.wait_for("the shell's write", |e| {
        is_change(
            e,
            &keys,
            &FileChange::Changed {
                attributes: vec!["content".into()],
            },
        )
    });
    let _ = child.wait();
    let EventKind::FileChanged { actor, .. } = &event.kind else {
        unreachable!()
    };
    let actor = actor.as_ref().expect("fanotify gives the writer's pid");
    assert_eq!(actor.pid, pid);
    assert_eq!(actor.uid, Some(0));
    let exe = actor.exe.as_deref().unwrap_or_default();
    assert!(exe.ends_with("sh"), "exe {exe:?}");
}

#[test]
fn inotify_reports_creation_change_attributes_and_removal() {
    let s = setup();
    let limits = RealtimeLimits {
        fanotify: false,
        ..RealtimeLimits::default()
    };
    let watcher = Watcher::new(s.fim.clone(), limits).unwrap();
    assert!(!watcher.backends().fanotify && watcher.backends().inotify);
    let running = Running::start(watcher);

    let new = s.tree.join("skills/evil.sh");
    std::fs::write(&new, b"#!/bin/sh\n").unwrap();
    running.wait_for("creation", |e| is_change(e, &new, &FileChange::Added));

    std::fs::write(s.tree.join("a"), b"changed").unwrap();
    let event = running.wait_for("content change", |e| {
        is_change(
            e,
            &s.tree.join("a"),
            &FileChange::Changed {
                attributes: vec!["content".into()],
            },
        )
    });
    // inotify does not say who acted.
    assert!(matches!(
        event.kind,
        EventKind::FileChanged { actor: None, .. }
    ));

    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&new, std::fs::Permissions::from_mode(0o755)).unwrap();
    running.wait_for("chmod", |e| {
        is_change(
            e,
            &new,
            &FileChange::Changed {
                attributes: vec!["attributes".into()],
            },
        )
    });

    // A directory created later is watched too.
    let nested = s.tree.join("skills/new-skill");
    std::fs::create_dir(&nested).unwrap();
    running.wait_for("new directory", |e| {
        is_change(e, &nested, &FileChange::Added)
    });
    std::thread::sleep(Duration::from_millis(200));
    let inner = nested.join("SKILL.md");
    std::fs::write(&inner, b"---\nname: x\n---\n").unwrap();
    running.wait_for("file in the new directory", |e| {
        is_change(e, &inner, &FileChange::Added)
    });

    std::fs::remove_file(s.tree.join("b")).unwrap();
    running.wait_for("removal", |e| {
        is_change(e, &s.tree.join("b"), &FileChange::Removed)
    });
}

#[test]
fn files_in_a_new_directory_from_before_its_watch_are_reported() {
    let s = setup();
    let limits = RealtimeLimits {
        fanotify: false,
        ..RealtimeLimits::default()
    };
    let running = Running::start(Watcher::new(s.fim.clone(), limits).unwrap());
    // Built beside the tree and moved in (as installers do): its files
    // exist before the watcher sees the directory, so they get no inotify
    // event of their own.
    let staging = s.tree.parent().unwrap().join("staging-quick");
    std::fs::create_dir_all(staging.join("scripts")).unwrap();
    std::fs::write(staging.join("SKILL.md"), b"---\nname: quick\n---\n").unwrap();
    std::fs::write(staging.join("scripts/run.sh"), b"#!/bin/sh\n").unwrap();
    let skill = s.tree.join("skills/quick");
    std::fs::rename(&staging, &skill).unwrap();
    let mut missing: Vec<PathBuf> = vec![
        skill.clone(),
        skill.join("scripts"),
        skill.join("SKILL.md"),
        skill.join("scripts/run.sh"),
    ];
    // In whatever order they come (bounded: 10 s).
    let deadline = Instant::now() + Duration::from_secs(10);
    while !missing.is_empty() && Instant::now() < deadline {
        if let Ok(event) = running.rx.recv_timeout(Duration::from_millis(100)) {
            missing.retain(|path| !is_change(&event, path, &FileChange::Added));
        }
    }
    assert!(missing.is_empty(), "not reported as added: {missing:?}");
}

#[test]
fn a_large_tree_moved_in_is_reported_up_to_the_bound() {
    let s = setup();
    let limits = RealtimeLimits {
        fanotify: false,
        ..RealtimeLimits::default()
    };
    let running = Running::start(Watcher::new(s.fim.clone(), limits).unwrap());
    let outside = s.tree.parent().unwrap().join("staging");
    std::fs::create_dir(&outside).unwrap();
    let over = realtime::MAX_REPORTED_IN_NEW_DIR + 10;
    for i in 0..over {
        std::fs::write(outside.join(format!("f{i:05}")), b"x").unwrap();
    }
    let moved = s.tree.join("skills/bulk");
    std::fs::rename(&outside, &moved).unwrap();
    let prefix = format!("{}/", moved.display());
    let (mut added, mut noted) = (0, 0);
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut quiet_since = Instant::now();
    // Until the note has come and nothing more for 300 ms (bounded: 10 s).
    while Instant::now() < deadline
        && (noted == 0 || quiet_since.elapsed() < Duration::from_millis(300))
    {
        let Ok(event) = running.rx.recv_timeout(Duration::from_millis(50)) else {
            continue;
        };
        quiet_since = Instant::now();
        match &event.kind {
            EventKind::FileChanged { path, .. } if path.starts_with(&prefix) => added += 1,
            EventKind::EngineError { message, .. }
                if message.contains("entries in a new directory") =>
            {
                noted += 1
            }
            _ => {}
        }
    }
    assert_eq!(noted, 1, "the bound was not reported once");
    assert_eq!(added, realtime::MAX_REPORTED_IN_NEW_DIR);
}

#[test]
fn a_queue_overflow_rescans_the_watched_tree() {
    let max_queued: usize = std::fs::read_to_string("/proc/sys/fs/inotify/max_queued_events")
        .ok()
        .and_then(|t| t.trim().parse().ok())
        .unwrap_or(16384);
    if max_queued > 200_000 {
        return skip_or_fail("max_queued_events is too large to overflow quickly");
    }
    let s = setup();
    let limits = RealtimeLimits {
        fanotify: false,
        ..RealtimeLimits::default()
    };
    // Events queue in the kernel from here on; nothing reads them yet.
    let watcher = Watcher::new(s.fim.clone(), limits).unwrap();
    let (a, b) = (s.tree.join("a"), s.tree.join("b"));
    for i in 0..(max_queued + 1000) {
        // Alternating files: identical consecutive events would coalesce.
        std::fs::write(if i % 2 == 0 { &a } else { &b }, i.to_string()).unwrap();
    }
    // Made after the queue is full: only a rescan can report it.
    let late = s.tree.join("skills/late");
    std::fs::write(&late, b"late").unwrap();

    let running = Running::start(watcher);
    running.wait_for("the overflow notice", |e| {
        matches!(&e.kind, EventKind::EngineError { message, .. } if message.contains("overflow"))
    });
    running.wait_for("the rescan's added file", |e| {
        is_change(e, &late, &FileChange::Added)
    });
    running.wait_for("the rescan's changed file", |e| {
        matches!(&e.kind, EventKind::FileChanged { path, change: FileChange::Changed { attributes }, .. }
            if path == &a.display().to_string() && attributes.iter().any(|x| x == "blake3"))
    });
}

#[test]
fn the_daemon_engine_runs_a_scheduled_check_and_stops() {
    let s = setup();
    // A config whose policy is the test tree, with the test's key and state.
    let state_dir = s.fim.state.parent().unwrap().to_path_buf();
    let config: clawguard_config::FimConfig = toml::from_str(&format!(
        "baseline = \"{}\"\nsigning_key = \"{}\"\ndiff_paths = []\n[[watch]]\npath = \"{}\"\nrealtime = true\n",
        s.fim.baseline.display(),
        s.fim.signing_key.display(),
        s.tree.display()
    ))
    .unwrap();
    assert_eq!(
        Fim::from_config(&config, &state_dir).unwrap().state,
        s.fim.state
    );
    std::fs::write(s.tree.join("a"), b"changed before the daemon").unwrap();
    let (tx, rx) = sync_channel(65_536);
    let stop = Arc::new(AtomicBool::new(false));
    let (handles, _backends) =
        realtime::start_engine(&config, &state_dir, Duration::ZERO, tx, Arc::clone(&stop)).unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut found = false;
    while Instant::now() < deadline && !found {
        if let Ok(event) = rx.recv_timeout(Duration::from_millis(100)) {
            found = matches!(&event.kind, EventKind::FileChanged { path, change: FileChange::Changed { attributes }, .. }
                if path.ends_with("/tree/a") && attributes.iter().any(|x| x == "blake3"));
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for handle in handles {
        handle.join().unwrap().unwrap();
    }
    assert!(found, "the scheduled check did not report the change");
}

#[test]
fn a_fanotify_queue_overflow_rescans_too() {
    let Some((s, watcher)) = fanotify_setup() else {
        return;
    };
    // Another process (our own pid's events are ignored) writes more
    // distinct files than the default queue of 16384 events holds while
    // nobody reads (events on one file merge in the queue).
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "cd '{}' && echo changed > a && i=0; while [ $i -lt 17000 ]; do echo $i > f$i; i=$((i+1)); done",
            s.tree.display()
        ))
        .status()
        .unwrap();
    assert!(status.success());
    let running = Running::start(watcher);
    running.wait_for("the overflow notice", |e| {
        matches!(&e.kind, EventKind::EngineError { message, .. } if message.contains("overflow"))
    });
    // Only the rescan compares hashes with the baseline.
    let a = s.tree.join("a");
    running.wait_for("the rescan's changed file", |e| {
        matches!(&e.kind, EventKind::FileChanged { path, change: FileChange::Changed { attributes }, .. }
            if path == &a.display().to_string() && attributes.iter().any(|x| x == "blake3"))
    });
}
