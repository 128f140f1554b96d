//! Reads a skill directory into memory through `clawguard_sys::walk`: every
//! directory is opened with `O_NOFOLLOW` relative to its parent's
//! descriptor, files are opened the same way and read only if `fstat` of the
//! open descriptor says regular, so a symlink (or a swap of a directory for
//! a symlink mid-walk) is never followed. Symlinks are reported, with
//! whether they point out of the skill. Every bound that stops the walk is a
//! `reader.truncated` finding.

use std::os::fd::OwnedFd;
use std::path::Path;
use std::sync::Arc;

use clawguard_sys::regular_file::{self, Follow};
use clawguard_sys::walk::{
    self, Bound, Descend, EntryAt, Errno, FileType, Opened, Trouble, Visitor,
};

use crate::model::Limits;
use crate::source::SkillSource;
use crate::{Severity, SkillsError};

/// Directory names whose contents are not read (vendored dependencies and VCS
/// internals); each skip is reported as an info finding.
const SKIPPED_DIRS: &[&str] = &[".git", "node_modules", "__pycache__", ".venv"];

/// Names read from one directory, per file allowed in the skill.
const DIR_NAMES_PER_FILE: usize = 2;
/// Names read over the whole skill (directories, links and skipped entries
/// too), per file allowed in the skill.
const NAMES_PER_FILE: u64 = 4;

/// Reads the skill rooted at `root` under `limits`.
pub fn read_dir_skill(root: &Path, limits: &Limits) -> Result<SkillSource, SkillsError> {
    let io = |source: Errno| SkillsError::Io {
        path: root.display().to_string(),
        source: std::io::Error::from(source),
    };
    // The root may be a symlink: the user named it. Nothing below is followed.
    let fd = walk::open_dir(root, Follow::Yes).map_err(io)?;
    let dir_name = root
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| root.display().to_string());
    let mut reader = Reader {
        limits,
        source: SkillSource::new(root.display().to_string(), dir_name),
        total_bytes: 0,
    };
    let max_files = limits.max_files as usize;
    let bounds = walk::Limits {
        max_depth: (limits.max_depth as usize).max(1),
        max_dir_names: max_files.saturating_mul(DIR_NAMES_PER_FILE),
        max_names: u64::from(limits.max_files).saturating_mul(NAMES_PER_FILE),
    };
    match walk::walk_dir(Arc::new(fd), b"", (), &bounds, &mut reader) {
        Ok(()) | Err(Stop::Noted) => {}
        Err(Stop::Io(e)) => return Err(io(e)),
    }
    reader.source.files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(reader.source)
}

/// Why the walk ended early.
enum Stop {
    /// A bound was hit and noted as `reader.truncated`.
    Noted,
    /// A directory could not be read.
    Io(Errno),
}

struct Reader<'a> {
    limits: &'a Limits,
    source: SkillSource,
    total_bytes: u64,
}

fn rel_text(path: &[u8]) -> String {
    String::from_utf8_lossy(path).into_owned()
}

impl Reader<'_> {
    /// Notes that the scan is incomplete; the walk then ends.
    fn stop(&mut self, file: &str, why: String) -> Stop {
        self.source.note(
            "reader.truncated",
            Severity::Medium,
            file,
            format!("scan incomplete: {why}; the rest of the skill was not read"),
        );
        Stop::Noted
    }

    fn read_file(&mut self, entry: &EntryAt, rel: String) -> Result<(), Stop> {
        if self.source.files.len() as u32 >= self.limits.max_files {
            return Err(self.stop(&rel, format!("more than {} files", self.limits.max_files)));
        }
        if self.total_bytes >= self.limits.max_total_bytes {
            let why = format!("more than {} bytes", self.limits.max_total_bytes);
            return Err(self.stop(&rel, why));
        }
        // Only what `fstat` of the opened descriptor calls a regular file is
        // read: the entry may have been swapped since it was looked at.
        let Ok(Opened::Regular(file, _)) = entry.open_regular() else {
            return Ok(());
        };
        let cap = self
            .limits
            .max_file_bytes
            .min(self.limits.max_total_bytes - self.total_bytes);
        let Ok(bytes) = regular_file::read_capped(file, cap) else {
            return Ok(());
        };
        let file = self.source.capped_file(rel, bytes, cap);
        self.total_bytes += file.bytes.len() as u64;
        self.source.files.push(file);
        Ok(())
    }
}

impl Visitor for Reader<'_> {
    type Ctx = ();
    type Break = Stop;

    fn directory(
        &mut self,
        _: &(),
        _: &Arc<OwnedFd>,
        path: &[u8],
        _: usize,
    ) -> Result<Descend, Stop> {
        let name = path.rsplit(|&b| b == b'/').next().unwrap_or(path);
        if !path.is_empty() && SKIPPED_DIRS.iter().any(|d| d.as_bytes() == name) {
            self.source.note(
                "reader.skipped-dir",
                Severity::Info,
                &rel_text(path),
                "directory not scanned (vendored dependencies or VCS data)".into(),
            );
            return Ok(Descend::Skip);
        }
        Ok(Descend::Enter)
    }

    fn entry(&mut self, _: &(), entry: EntryAt, path: Vec<u8>, _: usize) -> Result<(), Stop> {
        let rel = rel_text(&path);
        let Ok(stat) = entry.lstat() else {
            return Ok(()); // vanished mid-walk
        };
        match FileType::from_raw_mode(stat.st_mode) {
            FileType::Symlink => {
                let target = entry
                    .read_link()
                    .map(|t| String::from_utf8_lossy(&t).into_owned())
                    .unwrap_or_default();
                let (rule, severity, what) = if link_escapes(&rel, &target) {
                    (
                        "reader.symlink-escape",
                        Severity::High,
                        "points out of the skill",
                    )
                } else {
                    ("reader.symlink", Severity::Low, "stays inside the skill")
                };
                self.source.note(
                    rule,
                    severity,
                    &rel,
                    format!("symlink to `{target}` {what}; not followed"),
                );
                Ok(())
            }
            FileType::RegularFile => self.read_file(&entry, rel),
            // Listed as something else, a directory now: swapped mid-walk.
            FileType::Directory => Ok(()),
            _ => {
                self.source.note(
                    "reader.special-file",
                    Severity::Low,
                    &rel,
                    "device, fifo or socket in a skill; not read".into(),
                );
                Ok(())
            }
        }
    }

    fn bound(&mut self, path: &[u8], bound: Bound) -> Result<(), Stop> {
        let why = match bound {
            Bound::Depth(_) => format!("nesting deeper than {}", self.limits.max_depth),
            Bound::DirNames(n) => format!("more than {n} names in one directory"),
            Bound::Names(n) => format!("more than {n} entries"),
        };
        Err(self.stop(&rel_text(path), why))
    }

    fn trouble(&mut self, _: &(), _: &[u8], trouble: Trouble) -> Result<(), Stop> {
        match trouble {
            Trouble::ReadDir(e) => Err(Stop::Io(e)),
            // Gone, or not openable as a directory: skipped, as before.
            Trouble::OpenDir(_, _) | Trouble::Vanished => Ok(()),
        }
    }
}

/// Whether a symlink at skill-relative `rel` with `target` resolves outside
/// the skill root (lexically; the link is never followed).
pub(crate) fn link_escapes(rel: &str, target: &str) -> bool {
    if target.starts_with('/') || target.is_empty() {
        return true;
    }
    let mut depth: i64 = rel.split('/').count() as i64 - 1;
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                depth -= 1;
                if depth < 0 {
                    return true;
                }
            }
            _ => depth += 1,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::link_escapes;

    #[test]
    fn escapes_are_lexical() {
        assert!(link_escapes("a", "/etc/passwd"));
        assert!(link_escapes("a", "../x"));
        assert!(link_escapes("d/a", "../../x"));
        assert!(!link_escapes("d/a", "../b"));
        assert!(!link_escapes("a", "scripts/run.sh"));
    }
}
