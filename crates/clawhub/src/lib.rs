//! ClawHub's skill file set and install fingerprint, computed as the
//! `clawhub` CLI computes them (`listSkillFiles`, `hashSkillFiles` and
//! `buildSkillFingerprint` in the package's `dist/skills.js`, 0.23.x).
//!
//! - **File set.** Every regular file under the skill, walked without
//!   following symlinks. Entries whose name starts with `.` and entries named
//!   `node_modules` are skipped at every depth (so no path has a dot-segment).
//!   The rest are matched against `.git/`, `node_modules/`, `.clawhub/`,
//!   `.clawdhub/` and the lines of the skill's own root `.gitignore`,
//!   `.clawhubignore` and `.clawdhubignore`, in that order, with gitignore
//!   semantics, case-insensitively (the npm `ignore` package's default); a
//!   file under an ignored directory stays ignored.
//! - **Fingerprint.** SHA-256 of each file; the list sorted by path with
//!   `a.path.localeCompare(b.path)` (no locale, no options: ICU's collation
//!   for the process's default locale, tertiary strength, punctuation not
//!   ignored); lines `path:sha256hex` joined with `\n`; SHA-256 of that text,
//!   as hex. The sort is stable, so paths the collation calls equal keep the
//!   walk order (libuv lists each directory sorted bytewise, depth first).
//!
//! The collation is CLDR root, which is what Node gives for `C`, `POSIX` and
//! English locales. A skill installed by a `clawhub` running under a locale
//! with its own tailoring (Swedish, Danish, ...) may have been sorted
//! differently and then reads as modified.
//!
//! The walk is `clawguard_sys::walk` (fd-relative, `O_NOFOLLOW`, bounded);
//! only regular files are read, opened with `O_NONBLOCK` so a FIFO cannot
//! stall a walk.

use std::cmp::Ordering;
use std::ffi::{CStr, CString};
use std::io::Read;
use std::os::fd::OwnedFd;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use clawguard_sys::hex;
use clawguard_sys::regular_file::{self, Follow};
use clawguard_sys::walk::{
    self, Bound, Descend, EntryAt, Errno, FileType, Opened, Trouble, Visitor,
};
use icu_collator::options::CollatorOptions;
use icu_collator::{CollatorBorrowed, CollatorPreferences};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use sha2::{Digest, Sha256};

/// The ignore files ClawHub reads from the skill's root, in the order it
/// adds them.
pub const IGNORE_FILES: [&str; 3] = [".gitignore", ".clawhubignore", ".clawdhubignore"];

/// Patterns ClawHub adds before the skill's own ignore files.
const BUILTIN_IGNORES: [&str; 4] = [".git/", "node_modules/", ".clawhub/", ".clawdhub/"];

/// Bounds on one skill (input-driven). Hitting one is an error: a partial
/// file set has no fingerprint.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_files: usize,
    /// Bytes hashed over all files.
    pub max_bytes: u64,
    pub max_depth: usize,
    /// Directory entries read over the whole walk: subdirectories, ignored
    /// files and dot-entries too, which `max_files` does not count.
    pub max_entries: usize,
    /// Bytes per ignore file. Every line becomes a glob: 32 KiB of hostile
    /// patterns compile in about 0.2 s (1 MiB took 5 s); real skills' ignore
    /// files are a few hundred bytes.
    pub max_ignore_file_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_files: 10_000,
            max_bytes: 256 << 20,
            max_depth: 32,
            max_entries: 100_000,
            max_ignore_file_bytes: 32 << 10,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FingerprintError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: name is not UTF-8 (ClawHub cannot hash it either)")]
    NotUtf8 { path: String },
    #[error("{path}: ignore file is {what}; ClawHub would read it, clawguard does not")]
    IgnoreFile { path: String, what: &'static str },
    #[error("{0}")]
    Bound(String),
}

fn io_error(path: &str, e: impl Into<std::io::Error>) -> FingerprintError {
    FingerprintError::Io {
        path: if path.is_empty() {
            ".".into()
        } else {
            path.into()
        },
        source: e.into(),
    }
}

/// One file of the set: skill-relative `/`-separated path and SHA-256 hex.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDigest {
    pub path: String,
    pub sha256: String,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(&Sha256::digest(bytes))
}

/// Which paths of a skill ClawHub counts.
pub struct FileSet {
    rules: Gitignore,
}

impl FileSet {
    /// Rules from the contents of the root ignore files, in
    /// [`IGNORE_FILES`] order (`None` when a file is absent); a file over
    /// `limits.max_ignore_file_bytes` is an error.
    pub fn new(
        ignore_files: [Option<&[u8]>; 3],
        limits: &Limits,
    ) -> Result<FileSet, FingerprintError> {
        for (bytes, name) in ignore_files.iter().zip(IGNORE_FILES) {
            if bytes.is_some_and(|b| b.len() as u64 > limits.max_ignore_file_bytes) {
                return Err(FingerprintError::Bound(format!(
                    "{name}: larger than {} bytes",
                    limits.max_ignore_file_bytes
                )));
            }
        }
        let mut builder = GitignoreBuilder::new("/");
        for line in BUILTIN_IGNORES {
            let _ = builder.add_line(None, line);
        }
        for bytes in ignore_files.into_iter().flatten() {
            // Node reads the file as UTF-8 (U+FFFD for bad bytes) and splits
            // on /\r?\n/.
            let text = String::from_utf8_lossy(bytes);
            for line in text.split('\n') {
                let line = line.strip_suffix('\r').unwrap_or(line);
                // A pattern the glob compiler rejects matches nothing.
                let _ = builder.add_line(None, &fold_case(&node_ignore_trim(line)));
            }
        }
        let rules = builder.build().unwrap_or_else(|_| Gitignore::empty());
        Ok(FileSet { rules })
    }

    /// Whether a directory is skipped by name during ClawHub's walk.
    fn name_skipped(name: &str) -> bool {
        name.starts_with('.') || name == "node_modules"
    }

    fn ignored(&self, rel: &str, is_dir: bool) -> bool {
        self.rules.matched(fold_case(rel), is_dir).is_ignore()
    }

    /// Whether ClawHub counts the regular file at skill-relative `path`.
    pub fn includes(&self, path: &str) -> bool {
        if path.is_empty()
            || path
                .split('/')
                .any(|s| s.is_empty() || Self::name_skipped(s))
        {
            return false;
        }
        // A file under an ignored directory stays ignored, whatever a
        // negation says about the file itself (git and `ignore` agree).
        let mut end = 0;
        while let Some(slash) = path[end..].find('/') {
            end += slash;
            if self.ignored(&path[..end], true) {
                return false;
            }
            end += 1;
        }
        !self.ignored(path, false)
    }
}

/// JavaScript's `\s`.
fn is_js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\u{feff}'
    )
}

/// The npm `ignore` package's first two rewrites, where it departs from
/// git: a leading BOM goes, and trailing whitespace is any JavaScript `\s`
/// (a stray `\r` included), kept as one escaped space after an odd run of
/// backslashes. A line of only whitespace is blank.
fn node_ignore_trim(line: &str) -> String {
    let line = line.strip_prefix('\u{feff}').unwrap_or(line);
    if line.chars().all(is_js_space) {
        return String::new();
    }
    let kept = line.trim_end_matches(is_js_space);
    if kept.len() == line.len() {
        return kept.to_string();
    }
    let backslashes = kept.len() - kept.trim_end_matches('\\').len();
    if backslashes % 2 == 1 {
        // `\` + whitespace: one literal space, written as git escapes it.
        format!("{kept} ")
    } else {
        kept.to_string()
    }
}

/// The npm `ignore` package matches with a JavaScript `i` regex (no `u`
/// flag), which compares characters by their upper case: one UTF-16 unit to
/// one, and never a non-ASCII character to an ASCII one. Patterns and paths
/// both go through this, so globset's ASCII-only case folding is not used.
fn fold_case(text: &str) -> String {
    text.chars()
        .map(|c| {
            let mut upper = c.to_uppercase();
            match (upper.next(), upper.next()) {
                (Some(u), None)
                    if (c as u32) <= 0xFFFF
                        && (u as u32) <= 0xFFFF
                        && (c.is_ascii() || !u.is_ascii()) =>
                {
                    u
                }
                _ => c,
            }
        })
        .collect()
}

fn collator() -> &'static CollatorBorrowed<'static> {
    static COLLATOR: OnceLock<CollatorBorrowed<'static>> = OnceLock::new();
    COLLATOR.get_or_init(|| {
        // Root collation with default options: what V8's localeCompare uses
        // for an `en-US` (or C/POSIX) default locale.
        #[allow(clippy::expect_used)]
        CollatorBorrowed::try_new(CollatorPreferences::default(), CollatorOptions::default())
            .expect("compiled root collation data is built in")
    })
}

/// `a.localeCompare(b)` as Node computes it in an `en-US` process.
pub fn locale_compare(a: &str, b: &str) -> Ordering {
    collator().compare(a, b)
}

/// Component by component, bytewise: the order of a depth-first walk that
/// lists each directory sorted bytewise (libuv's `scandir`).
fn walk_order(a: &str, b: &str) -> Ordering {
    a.split('/').cmp(b.split('/'))
}

/// Puts `files` in ClawHub's order: walk order, then a stable sort by
/// `localeCompare`.
pub fn sort_files(files: &mut [FileDigest]) {
    files.sort_by(|a, b| walk_order(&a.path, &b.path));
    files.sort_by(|a, b| locale_compare(&a.path, &b.path));
}

/// ClawHub's fingerprint of `files` (sorted here; any input order).
pub fn fingerprint(files: &mut [FileDigest]) -> String {
    sort_files(files);
    let text = files
        .iter()
        .map(|f| format!("{}:{}", f.path, f.sha256))
        .collect::<Vec<_>>()
        .join("\n");
    sha256_hex(text.as_bytes())
}

/// Reads a root ignore file: absent or a directory is `None` (ClawHub
/// swallows the read error); a symlink, special file or oversized file is an
/// error, since ClawHub would have read something clawguard will not.
fn read_ignore_file(
    root: &Arc<OwnedFd>,
    name: &str,
    limits: &Limits,
) -> Result<Option<Vec<u8>>, FingerprintError> {
    let cname = CString::new(name).map_err(|e| io_error(name, e))?;
    let file = match EntryAt::new(Arc::clone(root), cname).open_regular() {
        Ok(Opened::Regular(file, _)) => file,
        Ok(Opened::Other(FileType::Directory)) | Err(Errno::NOENT) => return Ok(None),
        Ok(Opened::Symlink) => {
            return Err(FingerprintError::IgnoreFile {
                path: name.into(),
                what: "a symlink",
            });
        }
        Ok(Opened::Other(_)) => {
            return Err(FingerprintError::IgnoreFile {
                path: name.into(),
                what: "not a regular file",
            });
        }
        Err(e) => return Err(io_error(name, e)),
    };
    let bytes = regular_file::read_capped(file, limits.max_ignore_file_bytes)
        .map_err(|e| io_error(name, e))?;
    if bytes.len() as u64 > limits.max_ignore_file_bytes {
        return Err(FingerprintError::Bound(format!(
            "{name}: larger than {} bytes",
            limits.max_ignore_file_bytes
        )));
    }
    Ok(Some(bytes))
}

/// ClawHub's file set of the skill in `dir`, hashed, in ClawHub's order.
/// `dir` itself must not be a symlink.
pub fn list_skill_files(dir: &Path, limits: &Limits) -> Result<Vec<FileDigest>, FingerprintError> {
    let shown = dir.display().to_string();
    let root = walk::open_dir(dir, Follow::No).map_err(|e| io_error(&shown, e))?;
    list_skill_files_at(Arc::new(root), limits)
}

/// [`list_skill_files`] of the skill directory open as `root`.
pub fn list_skill_files_at(
    root: Arc<OwnedFd>,
    limits: &Limits,
) -> Result<Vec<FileDigest>, FingerprintError> {
    let mut contents: [Option<Vec<u8>>; 3] = [None, None, None];
    for (slot, name) in contents.iter_mut().zip(IGNORE_FILES) {
        *slot = read_ignore_file(&root, name, limits)?;
    }
    let set = FileSet::new(
        [
            contents[0].as_deref(),
            contents[1].as_deref(),
            contents[2].as_deref(),
        ],
        limits,
    )?;
    let mut walk = Walk {
        set: &set,
        limits,
        files: Vec::new(),
        bytes: 0,
        buffer: vec![0u8; 64 << 10],
    };
    let bounds = walk::Limits {
        // ClawHub's depth counts the directories below the root.
        max_depth: limits.max_depth.saturating_add(1),
        max_dir_names: limits.max_files,
        max_names: u64::try_from(limits.max_entries).unwrap_or(u64::MAX),
    };
    walk::walk_dir(root, b"", (), &bounds, &mut walk)?;
    let mut files = walk.files;
    sort_files(&mut files);
    Ok(files)
}

/// ClawHub's fingerprint of the skill in `dir`.
pub fn skill_fingerprint(dir: &Path, limits: &Limits) -> Result<String, FingerprintError> {
    let mut files = list_skill_files(dir, limits)?;
    Ok(fingerprint(&mut files))
}

/// ClawHub's fingerprint of the skill directory open as `root`.
pub fn skill_fingerprint_at(
    root: Arc<OwnedFd>,
    limits: &Limits,
) -> Result<String, FingerprintError> {
    let mut files = list_skill_files_at(root, limits)?;
    Ok(fingerprint(&mut files))
}

/// ClawHub's walk over `clawguard_sys::walk`: dot names and `node_modules`
/// are dropped when read, ignored directories are not entered, only regular
/// files are hashed; every bound is an error.
struct Walk<'a> {
    set: &'a FileSet,
    limits: &'a Limits,
    files: Vec<FileDigest>,
    bytes: u64,
    buffer: Vec<u8>,
}

/// A skill-relative path as text (ClawHub hashes only UTF-8 names).
fn rel_text(path: &[u8]) -> Result<&str, FingerprintError> {
    std::str::from_utf8(path).map_err(|_| FingerprintError::NotUtf8 {
        path: String::from_utf8_lossy(path).into_owned(),
    })
}

/// How ClawHub's messages name a directory: `./` for the root, `a/b/` below.
fn dir_prefix(path: &[u8]) -> String {
    if path.is_empty() {
        "./".into()
    } else {
        format!("{}/", String::from_utf8_lossy(path))
    }
}

impl Visitor for Walk<'_> {
    type Ctx = ();
    type Break = FingerprintError;

    fn keep_name(&mut self, name: &CStr) -> bool {
        let bytes = name.to_bytes();
        !(bytes.starts_with(b".") || bytes == b"node_modules")
    }

    fn directory(
        &mut self,
        _: &(),
        _: &Arc<OwnedFd>,
        path: &[u8],
        _: usize,
    ) -> Result<Descend, FingerprintError> {
        // Everything under an ignored directory is ignored: skip the walk.
        if !path.is_empty() && self.set.ignored(rel_text(path)?, true) {
            return Ok(Descend::Skip);
        }
        Ok(Descend::Enter)
    }

    fn entry(
        &mut self,
        _: &(),
        entry: EntryAt,
        path: Vec<u8>,
        _: usize,
    ) -> Result<(), FingerprintError> {
        let rel = rel_text(&path)?;
        if !matches!(entry.listed(), FileType::RegularFile | FileType::Unknown) {
            return Ok(()); // symlinks, FIFOs, sockets, devices: not in ClawHub's set
        }
        match entry.open_regular().map_err(|e| io_error(rel, e))? {
            Opened::Regular(file, _) => self.file(file, rel),
            Opened::Other(FileType::Directory) => Err(io_error(
                rel,
                std::io::Error::other("became a directory during the walk"),
            )),
            Opened::Symlink | Opened::Other(_) => Ok(()),
        }
    }

    fn bound(&mut self, path: &[u8], bound: Bound) -> Result<(), FingerprintError> {
        let prefix = dir_prefix(path);
        Err(FingerprintError::Bound(match bound {
            Bound::Depth(_) => format!("{prefix}: deeper than {} levels", self.limits.max_depth),
            Bound::DirNames(_) => format!(
                "{prefix}: more than {} files in one directory",
                self.limits.max_files
            ),
            Bound::Names(_) => format!(
                "{prefix}: more than {} entries in the skill (directories, ignored and \
                 hidden files included)",
                self.limits.max_entries
            ),
        }))
    }

    fn trouble(&mut self, _: &(), path: &[u8], trouble: Trouble) -> Result<(), FingerprintError> {
        let rel = String::from_utf8_lossy(path);
        match trouble {
            // An ignored directory is never read, so it need not open.
            Trouble::OpenDir(_, _) if self.set.ignored(rel_text(path)?, true) => Ok(()),
            Trouble::OpenDir(_, e) | Trouble::ReadDir(e) => Err(io_error(&rel, e)),
            Trouble::Vanished => Err(io_error(&rel, Errno::NOENT)),
        }
    }
}

impl Walk<'_> {
    fn file(&mut self, mut file: std::fs::File, rel: &str) -> Result<(), FingerprintError> {
        if !self.set.includes(rel) {
            return Ok(());
        }
        let mut hasher = Sha256::new();
        loop {
            let n = file.read(&mut self.buffer).map_err(|e| io_error(rel, e))?;
            if n == 0 {
                break;
            }
            self.bytes += n as u64;
            if self.bytes > self.limits.max_bytes {
                return Err(FingerprintError::Bound(format!(
                    "more than {} bytes",
                    self.limits.max_bytes
                )));
            }
            hasher.update(&self.buffer[..n]);
        }
        self.files.push(FileDigest {
            path: rel.to_string(),
            sha256: hex::encode(&hasher.finalize()),
        });
        if self.files.len() > self.limits.max_files {
            return Err(FingerprintError::Bound(format!(
                "more than {} files",
                self.limits.max_files
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(list: &[&str]) -> Vec<String> {
        let mut files: Vec<FileDigest> = list
            .iter()
            .map(|p| FileDigest {
                path: (*p).into(),
                sha256: String::new(),
            })
            .collect();
        sort_files(&mut files);
        files.into_iter().map(|f| f.path).collect()
    }

    #[test]
    fn order_is_case_insensitive_first_with_punctuation_before_digits_before_letters() {
        // Printed by Node 24 (ICU 78): [..].sort((a, b) => a.localeCompare(b)).
        assert_eq!(
            paths(&[
                "SKILL.md",
                "scripts/deploy.sh",
                "b",
                "B",
                "_x",
                "-y",
                "1",
                "a",
                "é",
                "e"
            ]),
            [
                "_x",
                "-y",
                "1",
                "a",
                "b",
                "B",
                "e",
                "é",
                "scripts/deploy.sh",
                "SKILL.md"
            ]
        );
    }

    #[test]
    fn paths_the_collation_calls_equal_keep_the_walk_order() {
        // Node: "\u00e9".localeCompare("e\u0301") === 0, and the stable sort
        // keeps libuv's bytewise directory order, depth first.
        assert_eq!(locale_compare("\u{e9}", "e\u{301}"), Ordering::Equal);
        assert_eq!(paths(&["\u{e9}", "e\u{301}"]), ["e\u{301}", "\u{e9}"]);
    }

    #[test]
    fn file_set_rules() {
        let set = FileSet::new(
            [
                Some(b"build/\n!keep.log\n*.log\n/top.txt\r\n"),
                None,
                Some(b"!build/x\n"),
            ],
            &Limits::default(),
        )
        .unwrap();
        assert!(set.includes("SKILL.md"));
        assert!(!set.includes(".env"));
        assert!(!set.includes("a/.hidden/x"));
        assert!(!set.includes("a/node_modules/x"));
        assert!(!set.includes("build/x"), "a parent directory ignored wins");
        assert!(!set.includes("A.LOG"), "case-insensitive");
        assert!(!set.includes("top.txt"));
        assert!(set.includes("sub/top.txt"), "anchored");
    }
}
