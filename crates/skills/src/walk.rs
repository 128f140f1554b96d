//! Reads a skill directory into memory, fd-relative: every directory and file
//! is opened with `O_NOFOLLOW` relative to its parent's descriptor, so a
//! symlink (or a swap of a directory for a symlink mid-walk) is never
//! followed. Symlinks are reported, with whether they point out of the skill.

use std::ffi::OsStr;
use std::io::Read;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use nix::dir::Dir;
use nix::fcntl::{AtFlags, OFlag, openat, readlinkat};
use nix::sys::stat::{Mode, SFlag, fstat, fstatat};

use crate::model::Limits;
use crate::source::SkillSource;
use crate::{Severity, SkillsError};

/// Directory names whose contents are not read (vendored dependencies and VCS
/// internals); each skip is reported as an info finding.
const SKIPPED_DIRS: &[&str] = &[".git", "node_modules", "__pycache__", ".venv"];

/// Reads the skill rooted at `root` under `limits`.
pub fn read_dir_skill(root: &Path, limits: &Limits) -> Result<SkillSource, SkillsError> {
    let io = |source: nix::Error| SkillsError::Io {
        path: root.display().to_string(),
        source: std::io::Error::from(source),
    };
    let fd = nix::fcntl::open(
        root,
        OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC,
        Mode::empty(),
    )
    .map_err(io)?;
    let dir_name = root
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| root.display().to_string());
    let mut walker = Walker {
        limits,
        source: SkillSource::new(root.display().to_string(), dir_name),
        total_bytes: 0,
        stopped: false,
    };
    walker.walk(fd, "", 0).map_err(io)?;
    walker.source.files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(walker.source)
}

struct Walker<'a> {
    limits: &'a Limits,
    source: SkillSource,
    total_bytes: u64,
    stopped: bool,
}

impl Walker<'_> {
    fn stop(&mut self, file: &str, why: String) {
        if !self.stopped {
            self.stopped = true;
            self.source.note(
                "reader.truncated",
                Severity::Medium,
                file,
                format!("scan incomplete: {why}; the rest of the skill was not read"),
            );
        }
    }

    fn walk(&mut self, dir_fd: OwnedFd, prefix: &str, depth: u32) -> nix::Result<()> {
        let mut dir = Dir::from_fd(dir_fd)?;
        let mut names: Vec<Vec<u8>> = Vec::new();
        for entry in dir.iter() {
            let entry = entry?;
            let name = entry.file_name().to_bytes();
            if name == b"." || name == b".." {
                continue;
            }
            // Bound the listing itself: a directory with millions of entries
            // must not exhaust memory.
            if names.len() as u64 > u64::from(self.limits.max_files) * 2 {
                break;
            }
            names.push(name.to_vec());
        }
        names.sort();
        for name in names {
            if self.stopped {
                return Ok(());
            }
            let os_name = OsStr::from_bytes(&name);
            let rel = if prefix.is_empty() {
                String::from_utf8_lossy(&name).into_owned()
            } else {
                format!("{prefix}/{}", String::from_utf8_lossy(&name))
            };
            let Ok(st) = fstatat(dir.as_fd(), os_name, AtFlags::AT_SYMLINK_NOFOLLOW) else {
                continue; // vanished mid-walk
            };
            let kind = SFlag::from_bits_truncate(st.st_mode) & SFlag::S_IFMT;
            if kind == SFlag::S_IFLNK {
                let target = readlinkat(dir.as_fd(), os_name)
                    .map(|t| t.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let escapes = link_escapes(&rel, &target);
                let (rule, severity, what) = if escapes {
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
            } else if kind == SFlag::S_IFDIR {
                if SKIPPED_DIRS.iter().any(|d| d.as_bytes() == name.as_slice()) {
                    self.source.note(
                        "reader.skipped-dir",
                        Severity::Info,
                        &rel,
                        "directory not scanned (vendored dependencies or VCS data)".into(),
                    );
                    continue;
                }
                if depth + 1 >= self.limits.max_depth {
                    self.stop(
                        &rel,
                        format!("nesting deeper than {}", self.limits.max_depth),
                    );
                    return Ok(());
                }
                let Ok(sub) = openat(
                    dir.as_fd(),
                    os_name,
                    OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC,
                    Mode::empty(),
                ) else {
                    continue;
                };
                self.walk(sub, &rel, depth + 1)?;
            } else if kind == SFlag::S_IFREG {
                self.read_file(dir.as_fd(), os_name, rel)?;
            } else {
                self.source.note(
                    "reader.special-file",
                    Severity::Low,
                    &rel,
                    "device, fifo or socket in a skill; not read".into(),
                );
            }
        }
        Ok(())
    }

    fn read_file(
        &mut self,
        dir: std::os::fd::BorrowedFd<'_>,
        name: &OsStr,
        rel: String,
    ) -> nix::Result<()> {
        if self.source.files.len() as u32 >= self.limits.max_files {
            self.stop(&rel, format!("more than {} files", self.limits.max_files));
            return Ok(());
        }
        if self.total_bytes >= self.limits.max_total_bytes {
            self.stop(
                &rel,
                format!("more than {} bytes", self.limits.max_total_bytes),
            );
            return Ok(());
        }
        let Ok(fd) = openat(
            dir,
            name,
            OFlag::O_RDONLY | OFlag::O_NOFOLLOW | OFlag::O_NONBLOCK | OFlag::O_CLOEXEC,
            Mode::empty(),
        ) else {
            return Ok(());
        };
        // Re-check on the open descriptor: the entry may have been swapped.
        let st = fstat(fd.as_fd())?;
        if SFlag::from_bits_truncate(st.st_mode) & SFlag::S_IFMT != SFlag::S_IFREG {
            return Ok(());
        }
        let cap = self
            .limits
            .max_file_bytes
            .min(self.limits.max_total_bytes - self.total_bytes);
        let mut bytes = Vec::new();
        let file = std::fs::File::from(fd);
        if file.take(cap + 1).read_to_end(&mut bytes).is_err() {
            return Ok(());
        }
        let file = self.source.capped_file(rel, bytes, cap);
        self.total_bytes += file.bytes.len() as u64;
        self.source.files.push(file);
        Ok(())
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
