//! Finds installed skills the way OpenClaw loads them, for every user.

use std::path::{Path, PathBuf};

use clawguard_sys::regular_file::{self, Follow};

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

/// Every skill, hook or plugin directory under `roots` (a directory holding
/// `SKILL.md`, `HOOK.md` or `openclaw.plugin.json`, up to six levels down;
/// symlinks are not followed).
pub fn installed_skill_dirs(roots: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for root in roots {
        let mut stack = vec![(root.clone(), 0usize)];
        let mut visited = 0;
        while let Some((dir, depth)) = stack.pop() {
            visited += 1;
            if visited > MAX_DIRS_PER_ROOT {
                break;
            }
            if depth > 0 && is_skill_dir(&dir) {
                out.push(dir);
                continue;
            }
            if depth >= MAX_SKILL_DEPTH {
                continue;
            }
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            let mut subdirs: Vec<PathBuf> = entries
                .flatten()
                .take(MAX_DIRS_PER_ROOT)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .filter(|e| {
                    let n = e.file_name();
                    n != "node_modules" && n != ".git"
                })
                .map(|e| e.path())
                .collect();
            subdirs.sort();
            for s in subdirs.into_iter().rev() {
                stack.push((s, depth + 1));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

fn is_skill_dir(dir: &Path) -> bool {
    [
        "SKILL.md",
        "skill.md",
        "skills.md",
        "HOOK.md",
        "openclaw.plugin.json",
    ]
    .iter()
    .any(|n| dir.join(n).symlink_metadata().is_ok_and(|m| m.is_file()))
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
