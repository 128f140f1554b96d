//! The policy: which paths are recorded, with which attributes.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use clawguard_config::FimConfig;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use crate::FimError;
use crate::attrs::AttrSet;
use crate::entry::{cmp_paths, is_under};
use crate::hash::HashAlgo;

/// One watched path after expansion.
#[derive(Debug, Clone)]
pub struct Watch {
    pub path: Vec<u8>,
    pub attrs: AttrSet,
    pub realtime: bool,
    exclude: GlobSet,
}

/// A compiled policy.
#[derive(Debug, Clone)]
pub struct Policy {
    pub hash: HashAlgo,
    /// Sorted in path order, deduplicated (the last definition of a path wins).
    watches: Vec<Watch>,
    by_path: HashMap<Vec<u8>, usize>,
    /// Indexes of watches not nested in another watch: where walks start.
    roots: Vec<usize>,
    exclude: GlobSet,
    /// Small text files under these get a masked content diff.
    pub diff_roots: Vec<Vec<u8>>,
}

/// What `~*/` and `$OPENCLAW_STATE_DIR` expand to.
#[derive(Debug, Clone, Default)]
pub struct PolicyEnv {
    pub homes: Vec<PathBuf>,
    pub openclaw_state_dir: Option<PathBuf>,
}

impl PolicyEnv {
    /// The homes of the users in /etc/passwd and `OPENCLAW_STATE_DIR`.
    pub fn from_system() -> PolicyEnv {
        use clawguard_sys::passwd;
        let text = passwd::read(std::path::Path::new(passwd::PASSWD_PATH)).unwrap_or_default();
        let mut homes: Vec<PathBuf> = passwd::users(&text)
            .filter(|user| user.has_home())
            .map(|user| PathBuf::from(user.home))
            .collect();
        homes.sort();
        homes.dedup();
        PolicyEnv {
            homes,
            openclaw_state_dir: std::env::var_os("OPENCLAW_STATE_DIR")
                .map(PathBuf::from)
                .filter(|p| p.is_absolute()),
        }
    }
}

fn build_globs(patterns: &[String], key: &str) -> Result<GlobSet, FimError> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = GlobBuilder::new(pattern)
            .literal_separator(true)
            .backslash_escape(true)
            .build()
            .map_err(|e| FimError::Policy(format!("{key}: glob {pattern:?}: {e}")))?;
        builder.add(glob);
    }
    builder
        .build()
        .map_err(|e| FimError::Policy(format!("{key}: {e}")))
}

/// Removes `.`/`//`/trailing `/` from an absolute path, lexically.
pub(crate) fn normalize(path: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(path.len());
    for part in path.split(|&b| b == b'/') {
        if part.is_empty() || part == b"." {
            continue;
        }
        if part == b".." {
            while let Some(b) = out.pop() {
                if b == b'/' {
                    break;
                }
            }
            continue;
        }
        out.push(b'/');
        out.extend_from_slice(part);
    }
    if out.is_empty() {
        out.push(b'/');
    }
    out
}

impl Policy {
    /// The policy of a `[fim]` section.
    pub fn from_config(config: &FimConfig, env: &PolicyEnv) -> Result<Policy, FimError> {
        let hash = HashAlgo::parse(&config.hash)?;
        let mut specs = Vec::new();
        for (i, watch) in config.watch.iter().enumerate() {
            let attrs = AttrSet::parse(&watch.rule)?;
            let exclude = build_globs(&watch.exclude, &format!("fim.watch[{i}].exclude"))?;
            for path in expand(&watch.path, env) {
                specs.push((path, attrs, watch.realtime, exclude.clone()));
            }
        }
        let exclude = build_globs(&config.exclude, "fim.exclude")?;
        let mut policy = Policy::build(hash, specs, exclude);
        policy.diff_roots = config
            .diff_paths
            .iter()
            .flat_map(|p| expand(p, env))
            .collect();
        Ok(policy)
    }

    /// A policy of command-line paths, each with `rule` (for trying it out
    /// without a config).
    pub fn from_paths(paths: &[PathBuf], rule: &str, hash: HashAlgo) -> Result<Policy, FimError> {
        let attrs = AttrSet::parse(rule)?;
        let cwd = std::env::current_dir().map_err(|e| FimError::Io {
            path: ".".into(),
            source: e,
        })?;
        let specs = paths
            .iter()
            .map(|p| {
                let absolute = if p.is_absolute() {
                    p.clone()
                } else {
                    cwd.join(p)
                };
                (
                    normalize(absolute.as_os_str().as_bytes()),
                    attrs,
                    true,
                    GlobSet::empty(),
                )
            })
            .collect();
        Ok(Policy::build(hash, specs, GlobSet::empty()))
    }

    fn build(
        hash: HashAlgo,
        specs: Vec<(Vec<u8>, AttrSet, bool, GlobSet)>,
        exclude: GlobSet,
    ) -> Policy {
        let mut by_path: HashMap<Vec<u8>, Watch> = HashMap::new();
        for (path, attrs, realtime, exclude) in specs {
            by_path.insert(
                path.clone(),
                Watch {
                    path,
                    attrs,
                    realtime,
                    exclude,
                },
            );
        }
        let mut watches: Vec<Watch> = by_path.into_values().collect();
        watches.sort_by(|a, b| cmp_paths(&a.path, &b.path));
        let by_path = watches
            .iter()
            .enumerate()
            .map(|(i, w)| (w.path.clone(), i))
            .collect();
        let mut roots: Vec<usize> = Vec::new();
        for (i, watch) in watches.iter().enumerate() {
            // Sorted order puts an ancestor right before its descendants.
            let nested = roots
                .last()
                .is_some_and(|&r| is_under(&watch.path, &watches[r].path));
            if !nested {
                roots.push(i);
            }
        }
        Policy {
            hash,
            watches,
            by_path,
            roots,
            exclude,
            diff_roots: Vec::new(),
        }
    }

    pub fn watches(&self) -> &[Watch] {
        &self.watches
    }

    /// Where walks start, in path order; no root lies under another.
    pub fn roots(&self) -> impl Iterator<Item = (usize, &Watch)> {
        self.roots.iter().map(|&i| (i, &self.watches[i]))
    }

    /// The watch defined for exactly this path.
    pub fn watch_at(&self, path: &[u8]) -> Option<usize> {
        self.by_path.get(path).copied()
    }

    pub fn watch(&self, index: usize) -> &Watch {
        &self.watches[index]
    }

    /// The deepest watch containing `path`.
    pub fn watch_for(&self, path: &[u8]) -> Option<usize> {
        let mut best: Option<usize> = None;
        for (i, w) in self.watches.iter().enumerate() {
            if is_under(path, &w.path)
                && best.is_none_or(|b| self.watches[b].path.len() < w.path.len())
            {
                best = Some(i);
            }
        }
        best
    }

    /// Whether `path`, under watch `index`, is excluded.
    pub fn excluded(&self, path: &[u8], index: usize) -> bool {
        let local = &self.watches[index].exclude;
        if self.exclude.is_empty() && local.is_empty() {
            return false;
        }
        let path = Path::new(OsStr::from_bytes(path));
        self.exclude.is_match(path) || local.is_match(path)
    }

    /// Whether changes of `path` get a content diff.
    pub fn diffs(&self, path: &[u8]) -> bool {
        self.diff_roots.iter().any(|r| is_under(path, r))
    }

    /// Whether the path is recorded at all (inside a watch, not excluded).
    pub fn covers(&self, path: &[u8]) -> bool {
        self.watch_for(path)
            .is_some_and(|i| !self.excluded(path, i))
    }
}

/// Expands `~*/` (every home) and `$OPENCLAW_STATE_DIR/`.
fn expand(path: &str, env: &PolicyEnv) -> Vec<Vec<u8>> {
    if let Some(rest) = path.strip_prefix("~*/") {
        return env
            .homes
            .iter()
            .map(|home| normalize(home.join(rest).as_os_str().as_bytes()))
            .collect();
    }
    if let Some(rest) = path.strip_prefix("$OPENCLAW_STATE_DIR") {
        return env
            .openclaw_state_dir
            .iter()
            .map(|dir| {
                let mut p = dir.as_os_str().as_bytes().to_vec();
                p.extend_from_slice(rest.as_bytes());
                normalize(&p)
            })
            .collect();
    }
    if path.starts_with('$') {
        return Vec::new();
    }
    vec![normalize(path.as_bytes())]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_drop_nested_watches_and_homes_expand() {
        let mut config = FimConfig::default();
        config.watch.truncate(0);
        for (path, rule) in [
            ("/etc/ssh", "R"),
            ("/etc/ssh/sshd_config.d", "L"),
            ("~*/.ssh/authorized_keys", "R"),
            ("/etc/sshd", "R"),
        ] {
            config.watch.push(
                toml::from_str::<FimConfig>(&format!(
                    "[[watch]]\npath = {path:?}\nrule = {rule:?}\n"
                ))
                .unwrap()
                .watch
                .remove(0),
            );
        }
        let env = PolicyEnv {
            homes: vec!["/home/a".into(), "/root".into()],
            openclaw_state_dir: None,
        };
        let policy = Policy::from_config(&config, &env).unwrap();
        let roots: Vec<String> = policy
            .roots()
            .map(|(_, w)| String::from_utf8_lossy(&w.path).into_owned())
            .collect();
        assert_eq!(
            roots,
            [
                "/etc/ssh",
                "/etc/sshd",
                "/home/a/.ssh/authorized_keys",
                "/root/.ssh/authorized_keys"
            ]
        );
        let inner = policy.watch_for(b"/etc/ssh/sshd_config.d/x.conf").unwrap();
        assert!(!policy.watch(inner).attrs.has(AttrSet::HASH));
        assert!(policy.watch_for(b"/etc/passwd").is_none());
    }

    #[test]
    fn globs_do_not_cross_slashes_with_one_star() {
        let config = FimConfig {
            exclude: vec!["/usr/lib/*.pyc".into(), "**/cache/**".into()],
            ..FimConfig::default()
        };
        let policy = Policy::from_config(&config, &PolicyEnv::default()).unwrap();
        let usr = policy.watch_for(b"/usr/lib/a.pyc").unwrap();
        assert!(policy.excluded(b"/usr/lib/a.pyc", usr));
        assert!(!policy.excluded(b"/usr/lib/x/a.pyc", usr));
        assert!(policy.excluded(b"/usr/lib/x/cache/y", usr));
    }

    #[test]
    fn normalize_is_lexical() {
        assert_eq!(normalize(b"/a//b/./c/../d/"), b"/a/b/d");
        assert_eq!(normalize(b"/"), b"/");
    }
}
