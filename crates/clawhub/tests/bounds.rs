//! Every bound of the walk, and hostile entries in a skill: errors, never a
//! hang or an unbounded read.

use std::path::Path;

use clawguard_clawhub::{Limits, list_skill_files, skill_fingerprint};

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn mkfifo(path: &Path) {
    nix::unistd::mkfifo(path, nix::sys::stat::Mode::from_bits_truncate(0o600)).unwrap();
}

fn error(dir: &Path, limits: &Limits) -> String {
    list_skill_files(dir, limits).unwrap_err().to_string()
}

#[test]
fn files_bytes_depth_and_ignore_file_size_are_bounded() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..6 {
        write(dir.path(), &format!("f{i}"), "xx");
    }
    let small = |f: fn(&mut Limits)| {
        let mut limits = Limits::default();
        f(&mut limits);
        limits
    };
    assert!(error(dir.path(), &small(|l| l.max_files = 5)).contains("more than 5 files"));
    assert!(error(dir.path(), &small(|l| l.max_bytes = 11)).contains("more than 11 bytes"));
    assert_eq!(
        list_skill_files(dir.path(), &Limits::default())
            .unwrap()
            .len(),
        6
    );

    write(dir.path(), "a/b/c/d", "x");
    assert!(error(dir.path(), &small(|l| l.max_depth = 2)).contains("deeper than 2 levels"));
    assert!(list_skill_files(dir.path(), &small(|l| l.max_depth = 3)).is_ok());

    write(dir.path(), ".gitignore", &"x\n".repeat(100));
    assert!(
        error(dir.path(), &small(|l| l.max_ignore_file_bytes = 199)).contains("larger than 199")
    );
    assert!(list_skill_files(dir.path(), &small(|l| l.max_ignore_file_bytes = 200)).is_ok());
}

#[test]
fn fifos_symlinks_and_odd_ignore_files_neither_hang_nor_count() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "SKILL.md", "s");
    let clean = skill_fingerprint(dir.path(), &Limits::default()).unwrap();
    // A FIFO, a symlink to a file and one to a directory are not content
    // (ClawHub's walk takes only regular files and never follows links).
    mkfifo(&dir.path().join("pipe"));
    std::os::unix::fs::symlink("SKILL.md", dir.path().join("link")).unwrap();
    std::os::unix::fs::symlink("/etc", dir.path().join("etc")).unwrap();
    assert_eq!(
        skill_fingerprint(dir.path(), &Limits::default()).unwrap(),
        clean
    );
    // ClawHub would follow a symlinked ignore file, or block on a FIFO:
    // clawguard gives no fingerprint instead.
    std::os::unix::fs::symlink("/etc/hostname", dir.path().join(".clawhubignore")).unwrap();
    assert!(error(dir.path(), &Limits::default()).contains("a symlink"));
    std::fs::remove_file(dir.path().join(".clawhubignore")).unwrap();
    mkfifo(&dir.path().join(".gitignore"));
    assert!(error(dir.path(), &Limits::default()).contains("not a regular file"));
    // A directory named like an ignore file is skipped, as ClawHub skips it.
    std::fs::remove_file(dir.path().join(".gitignore")).unwrap();
    std::fs::create_dir(dir.path().join(".gitignore")).unwrap();
    assert_eq!(
        skill_fingerprint(dir.path(), &Limits::default()).unwrap(),
        clean
    );
}

#[test]
fn a_name_that_is_not_utf8_has_no_fingerprint() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "SKILL.md", "s");
    let name = std::ffi::OsStr::from_bytes(b"bad\xff");
    std::fs::write(dir.path().join(name), "x").unwrap();
    assert!(error(dir.path(), &Limits::default()).contains("not UTF-8"));
}

/// Empty directories, ignored files and dot-entries are not hashed files,
/// but each is read: the whole walk has a budget of entries.
#[test]
fn entries_over_the_whole_walk_are_bounded() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "SKILL.md", "s");
    write(dir.path(), ".clawhubignore", "*.log\n");
    for d in 0..4 {
        std::fs::create_dir(dir.path().join(format!("empty{d}"))).unwrap();
        for f in 0..5 {
            write(dir.path(), &format!("logs{d}/f{f}.log"), "");
            write(dir.path(), &format!("logs{d}/.hidden{f}"), "");
        }
    }
    // 2 files + 8 directories at the top, 40 entries below: 50 in all, of
    // which one file is hashed.
    let limits = |max_entries| Limits {
        max_entries,
        ..Limits::default()
    };
    assert_eq!(list_skill_files(dir.path(), &limits(50)).unwrap().len(), 1);
    let message = error(dir.path(), &limits(49));
    assert!(message.contains("more than 49 entries"), "{message}");
    assert!(skill_fingerprint(dir.path(), &limits(49)).is_err());
}
