//! Finds installed skills the way OpenClaw loads them, for every user.

use std::ffi::{CStr, OsStr};
use std::os::fd::OwnedFd;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clawguard_sys::regular_file::{self, Follow};
use clawguard_sys::walk::{self, Bound, Descend, EntryAt, FileType, Trouble, Visitor};

/// Deepest level at which OpenClaw finds a `SKILL.md` under a root.
const MAX_SKILL_DEPTH: usize = 6;
/// Most directories visited under one root.
const MAX_DIRS_PER_ROOT: usize = 20_000;
/// Largest `openclaw.json` read.
const MAX_CONFIG_BYTES: u64 = 4 << 20;

/// The skill roots of one home directory, highest precedence first:
/// `<workspace>/skills`, `<workspace>/.agents/skills`, `~/.agents/skills`,
/// `~/.openclaw/skills`, then `skills.load.extraDirs` from `openclaw.json`
/// and the hook directories. Only existing directories are returned.
pub fn skill_roots_for_home(home: &Path) -> Vec<PathBuf> {
    let mut roots = Vec::new();
    let mut state_dirs = vec![home.join(".openclaw"), home.join(".clawdbot")];
    if let Ok(entries) = std::fs::read_dir(home) {
        for e in entries.flatten().take(4096) {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with(".openclaw-") {
                state_dirs.push(e.path());
            }
        }
    }
    for state in &state_dirs {
        if !state.is_dir() {
            continue;
        }
        let config = read_openclaw_config(&state.join("openclaw.json"));
        let mut workspaces = vec![state.join("workspace")];
        if let Ok(entries) = std::fs::read_dir(state) {
            for e in entries.flatten().take(4096) {
                if e.file_name().to_string_lossy().starts_with("workspace-") {
                    workspaces.push(e.path());
                }
            }
        }
        if let Some(cfg) = &config
            && let Some(ws) = cfg
                .pointer("/agents/defaults/workspace")
                .and_then(|v| v.as_str())
        {
            workspaces.insert(0, expand_home(ws, home));
        }
        for ws in &workspaces {
            roots.push(ws.join("skills"));
            roots.push(ws.join(".agents/skills"));
            roots.push(ws.join("hooks"));
        }
        roots.push(home.join(".agents/skills"));
        roots.push(state.join("skills"));
        roots.push(state.join("hooks"));
        if let Some(extra) = config
            .as_ref()
            .and_then(|c| c.pointer("/skills/load/extraDirs"))
            .and_then(|v| v.as_array())
        {
            for d in extra.iter().filter_map(|d| d.as_str()).take(64) {
                roots.push(expand_home(d, home));
            }
        }
    }
    roots.push(home.join(".agents/skills"));
    let mut seen = std::collections::BTreeSet::new();
    roots.retain(|r| r.is_dir() && seen.insert(r.clone()));
    roots
}

fn expand_home(p: &str, home: &Path) -> PathBuf {
    match p.strip_prefix("~/") {
        Some(rest) => home.join(rest),
        None if p == "~" => home.to_path_buf(),
        None => PathBuf::from(p),
    }
}

fn read_openclaw_config(path: &Path) -> Option<serde_json::Value> {
    // A user's own file, read as root: regular files only, non-blocking (a
    // FIFO planted here must not hang discovery), bounded.
    let text = regular_file::read_text(path, Follow::Yes, MAX_CONFIG_BYTES).ok()?;
    // Too deep for the parsers: read as if absent (its extra dirs unknown).
    crate::nesting::check_json_depth(&text).ok()?;
    serde_json::from_str(&text)
        .ok()
        .or_else(|| json5::from_str(&text).ok())
}

/// Where skills are installed on this host: the skill roots of every user
/// with an OpenClaw state directory (and of `$HOME`), plus `extra_dirs`.
pub fn host_skill_roots(extra_dirs: &[PathBuf]) -> Vec<PathBuf> {
    use clawguard_sys::passwd;
    let passwd = passwd::read(Path::new(passwd::PASSWD_PATH)).unwrap_or_default();
    let mut homes = user_homes(&passwd);
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from)
        && !homes.contains(&home)
    {
        homes.push(home);
    }
    let mut roots: Vec<PathBuf> = homes.iter().flat_map(|h| skill_roots_for_home(h)).collect();
    roots.extend(extra_dirs.iter().cloned());
    roots
}

/// Every skill, hook or plugin directory under `roots` (a directory holding
/// `SKILL.md`, `HOOK.md` or `openclaw.plugin.json`, up to six levels down).
/// Walked with `clawguard_sys::walk`: a root may be reached through a
/// symlink (it was configured), nothing below one is followed.
pub fn installed_skill_dirs(roots: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let bounds = walk::Limits {
        max_depth: MAX_SKILL_DEPTH,
        max_dir_names: MAX_DIRS_PER_ROOT,
        max_names: u64::MAX,
    };
    for root in roots {
        let Ok(fd) = walk::open_dir(root, Follow::Yes) else {
            continue;
        };
        let mut finder = SkillFinder {
            root,
            visited: 0,
            found: &mut out,
        };
        // The only break is the directory budget; what was found stands.
        let _ = walk::walk_dir(Arc::new(fd), b"", (), &bounds, &mut finder);
    }
    out.sort();
    out.dedup();
    out
}

struct SkillFinder<'a> {
    root: &'a Path,
    /// Directories looked at under this root.
    visited: usize,
    found: &'a mut Vec<PathBuf>,
}

impl Visitor for SkillFinder<'_> {
    type Ctx = ();
    type Break = ();

    fn keep_name(&mut self, name: &CStr) -> bool {
        !matches!(name.to_bytes(), b"node_modules" | b".git")
    }

    fn directory(
        &mut self,
        _: &(),
        dir: &Arc<OwnedFd>,
        path: &[u8],
        depth: usize,
    ) -> Result<Descend, ()> {
        self.visited += 1;
        if self.visited > MAX_DIRS_PER_ROOT {
            return Err(());
        }
        if depth > 0 && is_skill_dir(dir) {
            self.found.push(self.root.join(OsStr::from_bytes(path)));
            return Ok(Descend::Skip);
        }
        Ok(Descend::Enter)
    }

    fn entry(&mut self, _: &(), _: EntryAt, _: Vec<u8>, _: usize) -> Result<(), ()> {
        Ok(())
    }

    fn bound(&mut self, _: &[u8], _: Bound) -> Result<(), ()> {
        Ok(())
    }

    fn trouble(&mut self, _: &(), _: &[u8], _: Trouble) -> Result<(), ()> {
        Ok(())
    }
}

/// Whether the open directory holds a marker file (a regular file, not a link).
fn is_skill_dir(dir: &Arc<OwnedFd>) -> bool {
    [
        c"SKILL.md",
        c"skill.md",
        c"skills.md",
        c"HOOK.md",
        c"openclaw.plugin.json",
    ]
    .iter()
    .any(|name| {
        EntryAt::new(Arc::clone(dir), (*name).to_owned())
            .lstat()
            .is_ok_and(|st| FileType::from_raw_mode(st.st_mode) == FileType::RegularFile)
    })
}

/// Home directories of every user: `/etc/passwd` entries whose home exists
/// (system accounts without an OpenClaw or agents directory are skipped).
pub fn user_homes(passwd: &str) -> Vec<PathBuf> {
    let mut homes: Vec<PathBuf> = clawguard_sys::passwd::users(passwd)
        .filter(|user| user.has_home())
        .map(|user| PathBuf::from(user.home))
        .filter(|h| {
            h.join(".openclaw").is_dir()
                || h.join(".agents").is_dir()
                || h.join(".clawdbot").is_dir()
        })
        .collect();
    homes.sort();
    homes.dedup();
    homes
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn touch(path: &Path) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "x").unwrap();
    }

    #[test]
    fn skill_dirs_are_found_without_following_links() {
        let outside = tempfile::tempdir().unwrap();
        touch(&outside.path().join("evil/SKILL.md"));
        let tree = tempfile::tempdir().unwrap();
        let root = tree.path().join("skills");
        touch(&root.join("a/SKILL.md"));
        // Inside a skill, nothing more is looked for.
        touch(&root.join("a/nested/SKILL.md"));
        touch(&root.join("group/b/HOOK.md"));
        touch(&root.join("p/openclaw.plugin.json"));
        touch(&root.join("node_modules/dep/SKILL.md"));
        touch(&root.join("x/.git/y/SKILL.md"));
        // Six levels down is found, seven is not.
        touch(&root.join("1/2/3/4/5/six/SKILL.md"));
        touch(&root.join("1/2/3/4/5/6/seven/SKILL.md"));
        // A link to a skill, and a marker that is a link, are not skills.
        symlink(outside.path().join("evil"), root.join("linked")).unwrap();
        symlink(outside.path(), root.join("group/out")).unwrap();
        std::fs::create_dir_all(root.join("marker-link")).unwrap();
        symlink(
            outside.path().join("evil/SKILL.md"),
            root.join("marker-link/SKILL.md"),
        )
        .unwrap();
        // The root itself may be reached through a link.
        symlink(&root, tree.path().join("root-link")).unwrap();

        let found = installed_skill_dirs(&[tree.path().join("root-link")]);
        let rel: Vec<String> = found
            .iter()
            .map(|p| {
                p.strip_prefix(tree.path().join("root-link"))
                    .unwrap()
                    .display()
                    .to_string()
            })
            .collect();
        assert_eq!(rel, ["1/2/3/4/5/six", "a", "group/b", "p"]);
    }
}
