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

/// The skill a changed path belongs to, given `roots` that hold skills
/// whatever their name (`[skills] extra_dirs`): under such a root, the entry
/// right below it (or a skill nested in that entry, as [`skill_root_of`]
/// finds it); elsewhere [`skill_root_of`].
pub fn skill_dir_of(path: &Path, roots: &[PathBuf]) -> Option<PathBuf> {
    let by_name = skill_root_of(path);
    let Some(root) = roots
        .iter()
        .filter(|root| path.starts_with(root))
        .max_by_key(|root| root.components().count())
    else {
        return by_name;
    };
    let entry = match path.strip_prefix(root).ok()?.components().next()? {
        Component::Normal(name) => root.join(name),
        _ => return None,
    };
    match by_name {
        Some(nested) if nested.starts_with(&entry) => Some(nested),
        _ => Some(entry),
    }
}

/// Skills with changes not yet audited.
#[derive(Debug, Default)]
pub struct RescanQueue {
    /// Skill directory → time of its last change.
    pending: BTreeMap<PathBuf, i64>,
    /// Directories configured to hold skills (see [`skill_dir_of`]).
    roots: Vec<PathBuf>,
}

impl RescanQueue {
    /// Directories that hold skills whatever their name (`[skills]
    /// extra_dirs`); changes under them belong to the entry right below.
    pub fn set_roots(&mut self, roots: Vec<PathBuf>) {
        self.roots = roots;
    }

    /// Records a change at `path` (ignored outside skills). When the queue
    /// is full, the longest-waiting skill leaves it and is returned: audit
    /// it now.
    pub fn note(&mut self, path: &Path, now_ms: i64) -> Option<PathBuf> {
        let root = skill_dir_of(path, &self.roots)?;
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
    fn under_a_configured_root_the_skill_is_the_entry_below_it_whatever_its_name() {
        let roots = [
            PathBuf::from("/srv/vetted"),
            PathBuf::from("/opt/skills/team"),
        ];
        let dir = |p: &str| skill_dir_of(Path::new(p), &roots).map(|r| r.display().to_string());
        assert_eq!(
            dir("/srv/vetted/deploy/scripts/run.sh").as_deref(),
            Some("/srv/vetted/deploy")
        );
        // Not the root itself, though its parent is called `skills`.
        assert_eq!(
            dir("/opt/skills/team/deploy/SKILL.md").as_deref(),
            Some("/opt/skills/team/deploy")
        );
        assert_eq!(
            dir("/srv/vetted/outer/skills/inner/SKILL.md").as_deref(),
            Some("/srv/vetted/outer/skills/inner")
        );
        assert_eq!(dir("/srv/vetted"), None);
        assert_eq!(dir("/h/skills/w/SKILL.md").as_deref(), Some("/h/skills/w"));
        assert_eq!(dir("/srv/other/deploy/SKILL.md"), None);
        let mut q = RescanQueue::default();
        assert_eq!(q.note(Path::new("/srv/vetted/deploy/SKILL.md"), 0), None);
        assert!(q.is_empty());
        q.set_roots(roots.to_vec());
        assert_eq!(q.note(Path::new("/srv/vetted/deploy/SKILL.md"), 0), None);
        assert_eq!(q.due(QUIET_MS), vec![PathBuf::from("/srv/vetted/deploy")]);
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
