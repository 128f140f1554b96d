//! ClawHub skill fingerprints: installed skills with `.clawhub/origin.json`
//! carrying a `fingerprint` are hashed again and compared.
//!
//! ClawHub's algorithm: SHA-256 of each file; paths with a dot-segment (a
//! segment starting with `.`, such as `.clawhub/` or `.git/`) skipped;
//! sorted by path; lines `path:sha256hex` joined with `\n`; SHA-256 of that
//! text, in hex. Files are read fd-relative without following symlinks
//! (symlinks are not skill content and are skipped).

use std::ffi::{CStr, CString};
use std::io::Read;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use rustix::fs::{FileType, Mode, OFlags};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::hash::hex;

/// Bounds on one skill (input-driven).
#[derive(Debug, Clone)]
pub struct SkillLimits {
    pub max_files: usize,
    pub max_bytes: u64,
    pub max_depth: usize,
    /// Skills examined per skills directory.
    pub max_skills: usize,
}

impl Default for SkillLimits {
    fn default() -> Self {
        SkillLimits {
            max_files: 10_000,
            max_bytes: 256 << 20,
            max_depth: 32,
            max_skills: 1_000,
        }
    }
}

/// One skill's fingerprint check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FingerprintCheck {
    /// The skill directory.
    pub skill: String,
    pub expected: String,
    pub actual: Option<String>,
    pub matches: bool,
    /// Why no fingerprint could be computed.
    pub error: Option<String>,
}

fn open_dir(parent: impl AsFd, name: &CStr) -> rustix::io::Result<OwnedFd> {
    rustix::fs::openat(
        parent,
        name,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )
}

/// ClawHub's fingerprint of the skill in `dir`.
pub fn fingerprint(dir: &Path, limits: &SkillLimits) -> Result<String, String> {
    let cpath = CString::new(dir.as_os_str().as_bytes()).map_err(|e| e.to_string())?;
    let fd = open_dir(rustix::fs::CWD, &cpath).map_err(|e| format!("cannot open: {e}"))?;
    let mut files: Vec<(String, String)> = Vec::new();
    let mut bytes = 0u64;
    collect(&fd, "", 0, limits, &mut files, &mut bytes)?;
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let text = files
        .iter()
        .map(|(path, digest)| format!("{path}:{digest}"))
        .collect::<Vec<_>>()
        .join("\n");
    Ok(hex(&Sha256::digest(text.as_bytes())))
}

fn collect(
    dir: &OwnedFd,
    prefix: &str,
    depth: usize,
    limits: &SkillLimits,
    files: &mut Vec<(String, String)>,
    bytes: &mut u64,
) -> Result<(), String> {
    if depth > limits.max_depth {
        return Err(format!("deeper than {} levels", limits.max_depth));
    }
    let mut names = Vec::new();
    let mut reader = rustix::fs::Dir::read_from(dir).map_err(|e| e.to_string())?;
    while let Some(entry) = reader.read() {
        let entry = entry.map_err(|e| e.to_string())?;
        let name = entry.file_name().to_owned();
        if name.as_bytes().starts_with(b".") {
            continue; // dot-segment (also `.` and `..`)
        }
        names.push((name, entry.file_type()));
        if names.len() > limits.max_files {
            return Err(format!("more than {} files", limits.max_files));
        }
    }
    for (name, kind) in names {
        let text = name
            .to_str()
            .map_err(|_| format!("{prefix}{:?}: name is not UTF-8", name))?;
        let rel = format!("{prefix}{text}");
        match kind {
            FileType::Directory => {
                let sub = open_dir(dir, &name).map_err(|e| format!("{rel}: {e}"))?;
                collect(&sub, &format!("{rel}/"), depth + 1, limits, files, bytes)?;
            }
            FileType::RegularFile | FileType::Unknown => {
                let fd = match rustix::fs::openat(
                    dir,
                    &name,
                    OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC | OFlags::NONBLOCK,
                    Mode::empty(),
                ) {
                    Ok(fd) => fd,
                    Err(rustix::io::Errno::LOOP) => continue,
                    Err(e) => return Err(format!("{rel}: {e}")),
                };
                let stat = rustix::fs::fstat(&fd).map_err(|e| format!("{rel}: {e}"))?;
                match FileType::from_raw_mode(stat.st_mode) {
                    FileType::RegularFile => {}
                    FileType::Directory => {
                        collect(&fd, &format!("{rel}/"), depth + 1, limits, files, bytes)?;
                        continue;
                    }
                    _ => continue,
                }
                let mut file = std::fs::File::from(fd);
                let mut hasher = Sha256::new();
                let mut buffer = vec![0u8; 64 << 10];
                loop {
                    let n = file.read(&mut buffer).map_err(|e| format!("{rel}: {e}"))?;
                    if n == 0 {
                        break;
                    }
                    *bytes += n as u64;
                    if *bytes > limits.max_bytes {
                        return Err(format!("more than {} bytes", limits.max_bytes));
                    }
                    hasher.update(&buffer[..n]);
                }
                files.push((rel, hex(&hasher.finalize())));
                if files.len() > limits.max_files {
                    return Err(format!("more than {} files", limits.max_files));
                }
            }
            _ => {} // symlinks, FIFOs, sockets, devices: not content
        }
    }
    Ok(())
}

/// The fingerprint recorded in `<skill>/.clawhub/origin.json` (legacy
/// `.clawdhub/`), if any.
pub fn recorded_fingerprint(skill: &Path) -> Option<String> {
    for dir in [".clawhub", ".clawdhub"] {
        let path = skill.join(dir).join("origin.json");
        let Ok(file) = std::fs::File::open(&path) else {
            continue;
        };
        let mut text = String::new();
        if file.take(1 << 20).read_to_string(&mut text).is_err() {
            continue;
        }
        let value: serde_json::Value = serde_json::from_str(&text).ok()?;
        return value
            .get("fingerprint")
            .and_then(|f| f.as_str())
            .map(|f| f.trim().to_ascii_lowercase());
    }
    None
}

/// Checks every skill directly under `skills_dir` that records a fingerprint.
pub fn check_skills_dir(skills_dir: &Path) -> Vec<FingerprintCheck> {
    check_skills_dir_with(skills_dir, &SkillLimits::default())
}

pub fn check_skills_dir_with(skills_dir: &Path, limits: &SkillLimits) -> Vec<FingerprintCheck> {
    let Ok(read) = std::fs::read_dir(skills_dir) else {
        return Vec::new();
    };
    let mut skills: Vec<_> = read
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .take(limits.max_skills)
        .collect();
    skills.sort();
    skills
        .into_iter()
        .filter_map(|skill| {
            let expected = recorded_fingerprint(&skill)?;
            let (actual, error) = match fingerprint(&skill, limits) {
                Ok(actual) => (Some(actual), None),
                Err(e) => (None, Some(e)),
            };
            Some(FingerprintCheck {
                skill: skill.display().to_string(),
                matches: actual.as_deref() == Some(expected.as_str()),
                expected,
                actual,
                error,
            })
        })
        .collect()
}
