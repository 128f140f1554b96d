//! Which skill to audit again when files change under it, and when.
//!
//! The fim engine reports single files (`…/skills/weather/scripts/run.sh`);
//! the auditor works on whole skills (`…/skills/weather`). An install or an
//! edit touches many files in a burst, so a skill is audited once the burst
//! has been quiet for [`QUIET_MS`]. Pure: the caller passes the clock.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Component, Path, PathBuf};

/// A skill is audited once no file under it changed for this long.
pub const QUIET_MS: i64 = 1_000;
/// Most skills waiting at once; beyond it the oldest is audited early.
pub const MAX_PENDING: usize = 256;

/// The directories OpenClaw loads skills, hooks and plugins from.
const CONTAINERS: [&str; 3] = ["skills", "hooks", "extensions"];

/// The skill directory a changed path belongs to: the entry right below the
/// last `skills`, `hooks` or `extensions` directory of the path. `None` for
/// paths outside any such directory, or naming the container itself.
pub fn skill_root_of(path: &Path) -> Option<PathBuf> {
    let components: Vec<Component<'_>> = path.components().collect();
    let at = components.iter().rposition(|c| {
        matches!(c, Component::Normal(name) if CONTAINERS.iter().any(|k| OsStr::new(k) == *name))
    })?;
    let name = components.get(at + 1)?;
    if !matches!(name, Component::Normal(_)) {
        return None;
    }
    Some(components[..=at + 1].iter().collect())
}

/// Skills with changes not yet audited.
#[derive(Debug, Default)]
pub struct RescanQueue {
    /// Skill directory → time of its last change.
    pending: BTreeMap<PathBuf, i64>,
}

impl RescanQueue {
    /// Records a change at `path` (ignored outside skills). When the queue
    /// is full, the longest-waiting skill leaves it and is returned: audit
    /// it now.
    pub fn note(&mut self, path: &Path, now_ms: i64) -> Option<PathBuf> {
        let root = skill_root_of(path)?;
        let mut evicted = None;
        if !self.pending.contains_key(&root) && self.pending.len() >= MAX_PENDING {
            evicted = self.oldest();
            if let Some(oldest) = &evicted {
                self.pending.remove(oldest);
            }
        }
        self.pending.insert(root, now_ms);
        evicted
    }

    /// The skills whose changes have been quiet for [`QUIET_MS`]; they leave
    /// the queue.
    pub fn due(&mut self, now_ms: i64) -> Vec<PathBuf> {
        let ready: Vec<PathBuf> = self
            .pending
            .iter()
            .filter(|(_, last)| now_ms.saturating_sub(**last) >= QUIET_MS)
            .map(|(root, _)| root.clone())
            .collect();
        for root in &ready {
            self.pending.remove(root);
        }
        ready
    }

    pub fn len(&self) -> usize {
        self.pending.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    fn oldest(&self) -> Option<PathBuf> {
        self.pending
            .iter()
            .min_by_key(|(_, t)| **t)
            .map(|(root, _)| root.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_skill_is_the_entry_below_the_container() {
        let root = |p: &str| skill_root_of(Path::new(p)).map(|r| r.display().to_string());
        assert_eq!(
            root("/root/.openclaw/workspace/skills/weather/scripts/run.sh").as_deref(),
            Some("/root/.openclaw/workspace/skills/weather")
        );
        assert_eq!(
            root("/home/a/.openclaw/hooks/notify/HOOK.md").as_deref(),
            Some("/home/a/.openclaw/hooks/notify")
        );
        // A skill bundling its own skills/ folder: the innermost one counts.
        assert_eq!(
            root("/s/skills/outer/skills/inner/SKILL.md").as_deref(),
            Some("/s/skills/outer/skills/inner")
        );
        assert_eq!(root("/home/a/.openclaw/skills"), None);
        assert_eq!(root("/etc/ssh/sshd_config"), None);
    }

    #[test]
    fn a_burst_is_audited_once_after_it_goes_quiet() {
        let mut q = RescanQueue::default();
        for (i, file) in ["SKILL.md", "scripts/a.sh", "scripts/b.sh"]
            .iter()
            .enumerate()
        {
            assert_eq!(
                q.note(&Path::new("/h/skills/w").join(file), 100 * i as i64),
                None
            );
        }
        assert_eq!(q.note(Path::new("/etc/passwd"), 250), None);
        assert_eq!(q.len(), 1);
        assert!(q.due(200 + QUIET_MS - 1).is_empty());
        assert_eq!(q.due(200 + QUIET_MS), vec![PathBuf::from("/h/skills/w")]);
        assert!(q.is_empty());
        assert!(q.due(10 * QUIET_MS).is_empty());
    }

    #[test]
    fn the_queue_is_bounded() {
        let mut q = RescanQueue::default();
        let mut evicted = Vec::new();
        for i in 0..(MAX_PENDING + 50) {
            let path = PathBuf::from(format!("/h/skills/s{i:04}/SKILL.md"));
            evicted.extend(q.note(&path, i as i64));
            assert!(q.len() <= MAX_PENDING);
        }
        // The oldest skills left early, to be audited at once; none is lost.
        assert_eq!(evicted.len(), 50);
        assert_eq!(evicted[0], PathBuf::from("/h/skills/s0000"));
        assert_eq!(q.due(i64::MAX).len(), MAX_PENDING);
    }
}
