//! The skill auditor's own watch on the skill roots (inotify, recursive,
//! bounded), so skills are audited again when they change whether or not
//! the fim engine runs. It only says which paths changed; the rescan queue
//! decides which skill to audit and when.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use inotify::{EventMask, Inotify, WatchDescriptor, WatchMask};

/// Most directories watched in all.
pub const MAX_WATCHES: usize = 4096;
/// Most inotify events read in one poll; the rest wait in the kernel's
/// queue for the next one (a user touching files in a loop cannot keep the
/// auditor from auditing).
pub const MAX_EVENTS_PER_POLL: usize = 4096;
/// Deepest level watched below a root (skills sit 1-2 levels down; their
/// files a few more).
pub const MAX_DEPTH: usize = 8;

const MASK: WatchMask = WatchMask::CREATE
    .union(WatchMask::CLOSE_WRITE)
    .union(WatchMask::DELETE)
    .union(WatchMask::MOVED_FROM)
    .union(WatchMask::MOVED_TO)
    .union(WatchMask::ATTRIB)
    .union(WatchMask::DONT_FOLLOW)
    .union(WatchMask::ONLYDIR);

/// A recursive watch on some roots.
pub struct SkillWatch {
    inotify: Inotify,
    dirs: HashMap<WatchDescriptor, (PathBuf, usize)>,
    /// Roots that did not exist yet; looked for again by [`SkillWatch::poll`].
    missing: Vec<PathBuf>,
    limit_reported: bool,
    buffer: Vec<u8>,
}

impl SkillWatch {
    pub fn new(roots: &[PathBuf]) -> std::io::Result<SkillWatch> {
        let mut watch = SkillWatch {
            inotify: Inotify::init()?,
            dirs: HashMap::new(),
            missing: Vec::new(),
            limit_reported: false,
            buffer: vec![0; 64 * 1024],
        };
        for root in roots {
            if root.is_dir() {
                watch.add_tree(root, 0);
            } else {
                watch.missing.push(root.clone());
            }
        }
        Ok(watch)
    }

    /// Directories watched now.
    pub fn watched(&self) -> usize {
        self.dirs.len()
    }

    fn add_tree(&mut self, dir: &Path, depth: usize) {
        let mut stack = vec![(dir.to_path_buf(), depth)];
        while let Some((dir, depth)) = stack.pop() {
            if self.dirs.len() >= MAX_WATCHES {
                if !self.limit_reported {
                    self.limit_reported = true;
                    tracing::warn!(
                        "skill auditor: {MAX_WATCHES} directories watched; deeper changes are \
                         seen only through the fim engine or the next scan"
                    );
                }
                return;
            }
            let Ok(wd) = self.inotify.watches().add(&dir, MASK) else {
                continue;
            };
            self.dirs.insert(wd, (dir.clone(), depth));
            if depth >= MAX_DEPTH {
                continue;
            }
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten().take(MAX_WATCHES) {
                // `file_type` does not follow symlinks: a link is never entered.
                if entry.file_type().is_ok_and(|t| t.is_dir()) {
                    let name = entry.file_name();
                    if name != "node_modules" && name != ".git" {
                        stack.push((entry.path(), depth + 1));
                    }
                }
            }
        }
    }

    /// Paths that changed since the last call (never blocks).
    pub fn poll(&mut self) -> Vec<PathBuf> {
        let mut changed = Vec::new();
        let appeared: Vec<PathBuf> = self
            .missing
            .iter()
            .filter(|root| root.is_dir())
            .cloned()
            .collect();
        if !appeared.is_empty() {
            self.missing.retain(|root| !root.is_dir());
            for root in appeared {
                self.add_tree(&root, 0);
                changed.extend(children(&root));
            }
        }
        let mut new_dirs = Vec::new();
        let mut moved_away: Vec<PathBuf> = Vec::new();
        let mut read = 0usize;
        while read < MAX_EVENTS_PER_POLL {
            let events = match self.inotify.read_events(&mut self.buffer) {
                Ok(events) => events,
                Err(_) => break, // WouldBlock: nothing more now
            };
            let mut any = false;
            for event in events {
                any = true;
                read += 1;
                if event.mask.contains(EventMask::Q_OVERFLOW) {
                    // Lost events: say every watched directory changed.
                    changed.extend(self.dirs.values().map(|(dir, _)| dir.join(".")));
                    continue;
                }
                if event.mask.contains(EventMask::IGNORED) {
                    // The kernel dropped this watch (its directory is gone).
                    self.dirs.remove(&event.wd);
                    continue;
                }
                let Some((dir, depth)) = self.dirs.get(&event.wd) else {
                    continue;
                };
                let path = match event.name {
                    Some(name) => dir.join(name),
                    None => dir.clone(),
                };
                if event.mask.contains(EventMask::ISDIR)
                    && event
                        .mask
                        .intersects(EventMask::MOVED_FROM | EventMask::DELETE)
                {
                    moved_away.push(path.clone());
                }
                if event.mask.contains(EventMask::ISDIR)
                    && event
                        .mask
                        .intersects(EventMask::CREATE | EventMask::MOVED_TO)
                {
                    new_dirs.push((path.clone(), depth + 1));
                }
                changed.push(path);
            }
            if !any {
                break;
            }
        }
        // A directory moved or deleted out of the tree: its kernel watch goes
        // too, so the bound counts what the kernel holds (a user moving
        // watched directories away cannot use up root's inotify watches).
        let gone: Vec<WatchDescriptor> = self
            .dirs
            .iter()
            .filter(|(_, (dir, _))| {
                !dir.is_dir() || moved_away.iter().any(|away| dir.starts_with(away))
            })
            .map(|(wd, _)| wd.clone())
            .collect();
        for wd in gone {
            self.dirs.remove(&wd);
            let _ = self.inotify.watches().remove(wd);
        }
        for (dir, depth) in new_dirs {
            if depth <= MAX_DEPTH {
                self.add_tree(&dir, depth);
                // Files written before the watch was in place.
                changed.extend(children(&dir));
            }
        }
        changed.truncate(MAX_EVENTS_PER_POLL);
        changed
    }
}

fn children(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|entries| entries.flatten().take(64).map(|e| e.path()).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_moved_out_of_the_tree_release_their_watches() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("skills");
        let away = dir.path().join("away");
        std::fs::create_dir_all(&away).unwrap();
        std::fs::create_dir_all(root.join("x")).unwrap();
        let mut watch = SkillWatch::new(std::slice::from_ref(&root)).unwrap();
        // Each round adds 50 watched directories and moves them away.
        for round in 0..20 {
            for n in 0..50 {
                std::fs::create_dir_all(root.join(format!("x/d{n}"))).unwrap();
            }
            for _ in 0..20 {
                watch.poll();
                if watch.watched() >= 52 {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            std::fs::rename(root.join("x"), away.join(format!("x{round}"))).unwrap();
            std::fs::create_dir_all(root.join("x")).unwrap();
            for _ in 0..20 {
                watch.poll();
                if watch.watched() <= 2 {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
        }
        // Kernel watches held now: the ones in the map, no leftovers. The
        // inotify fd's fdinfo lists one line per kernel watch.
        let fd = std::os::fd::AsRawFd::as_raw_fd(&watch.inotify);
        let info = std::fs::read_to_string(format!("/proc/self/fdinfo/{fd}")).unwrap();
        let kernel = info
            .lines()
            .filter(|l| l.starts_with("inotify wd:"))
            .count();
        assert!(
            kernel <= 3,
            "{kernel} kernel watches left after moving 1000 directories away"
        );
    }

    #[test]
    fn sees_files_in_new_skill_directories_and_roots_that_appear_later() {
        let dir = tempfile::tempdir().unwrap();
        let present = dir.path().join("a/skills");
        let later = dir.path().join("b/skills");
        std::fs::create_dir_all(&present).unwrap();
        let mut watch = SkillWatch::new(&[present.clone(), later.clone()]).unwrap();
        std::fs::create_dir_all(present.join("weather/scripts")).unwrap();
        std::fs::write(present.join("weather/scripts/run.sh"), "echo hi\n").unwrap();
        std::fs::create_dir_all(later.join("evil")).unwrap();
        std::fs::write(later.join("evil/SKILL.md"), "x").unwrap();
        let mut seen = Vec::new();
        for _ in 0..50 {
            seen.extend(watch.poll());
            let weather = seen.iter().any(|p| p.starts_with(present.join("weather")));
            let evil = seen.iter().any(|p| p.starts_with(later.join("evil")));
            if weather && evil {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        panic!("not seen: {seen:?}");
    }
}
