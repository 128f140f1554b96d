//! Content diffs of small text files, with secrets masked.
//!
//! For files under `fim.diff_paths`, `init`, `update` and `accept` keep a
//! **masked** copy in `<state_dir>/fim/content/` (0600; secrets never reach
//! the disk unmasked), and `check` shows the line diff between that copy and
//! the current (masked) content of each changed file. Files are opened with
//! `openat2(RESOLVE_NO_SYMLINKS)`, so no symlink anywhere in the path is
//! followed; only regular, valid UTF-8 files without NUL bytes of at most
//! [`MAX_DIFF_BYTES`] are kept.

use std::ffi::OsStr;
use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use clawguard_sys::regular_file::{self, Follow};
use regex::Regex;
use rustix::fs::{Mode, OFlags, ResolveFlags};
use serde::Serialize;

/// Largest file that gets a stored copy and a diff.
pub const MAX_DIFF_BYTES: u64 = 64 << 10;
/// Lines of diff output per file.
pub const MAX_DIFF_LINES: usize = 200;
/// Files with a diff per report.
pub const MAX_DIFFS: usize = 100;
/// Bound on the LCS table (lines × lines).
const MAX_LCS_CELLS: usize = 4_000_000;

/// The diff of one changed file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContentDiff {
    pub path: String,
    /// `-old` / `+new` lines, secrets masked; a note when no diff is possible.
    pub lines: Vec<String>,
}

fn patterns() -> &'static [(Regex, &'static str)] {
    static PATTERNS: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        [
            // Bearer tokens anywhere (before the key pattern eats `Bearer`).
            (r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+", "${1}****"),
            // key = value, key: value, "key": "value" for secret-looking keys.
            (
                r#"(?i)((?:pass(?:word|wd|phrase)?|secret|token|api[_-]?key|apikey|private[_-]?key|credential|auth(?:orization)?|bearer|cookie|session)[A-Za-z0-9_.\-"']*\s*[:=]\s*)("[^"]*"|'[^']*'|\S+)"#,
                "${1}****",
            ),
            // Password hashes in shadow-style files (name:$id$...:).
            (r"^([^:\s]+:)(\$[^:]*)", "${1}****"),
            // Long opaque strings (keys, tokens, base64 blobs).
            (r"[A-Za-z0-9+/_=-]{32,}", "****"),
        ]
        .into_iter()
        .filter_map(|(re, with)| Regex::new(re).ok().map(|re| (re, with)))
        .collect()
    })
}

/// Masks secrets line by line; PEM private key bodies entirely.
pub fn mask(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_key = false;
    for line in text.lines() {
        if line.contains("-----BEGIN") && line.contains("PRIVATE KEY") {
            in_key = true;
            out.push_str(line);
            out.push('\n');
            continue;
        }
        if in_key {
            if line.contains("-----END") {
                in_key = false;
                out.push_str(line);
            } else {
                out.push_str("****");
            }
            out.push('\n');
            continue;
        }
        let mut masked = line.to_string();
        for (re, with) in patterns() {
            masked = re.replace_all(&masked, *with).into_owned();
        }
        out.push_str(&masked);
        out.push('\n');
    }
    out
}

/// Reads a small text file without following any symlink; `None` when it
/// is not eligible (missing, special, large, binary, not UTF-8).
pub fn read_text(path: &[u8]) -> Option<String> {
    let fd = rustix::fs::openat2(
        rustix::fs::CWD,
        Path::new(OsStr::from_bytes(path)),
        OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NONBLOCK | OFlags::NOCTTY,
        Mode::empty(),
        ResolveFlags::NO_SYMLINKS | ResolveFlags::NO_MAGICLINKS,
    )
    .ok()?;
    let stat = rustix::fs::fstat(&fd).ok()?;
    if stat.st_mode & 0o170000 != 0o100000 || u64::try_from(stat.st_size).ok()? > MAX_DIFF_BYTES {
        return None;
    }
    let mut bytes = Vec::new();
    std::fs::File::from(fd)
        .take(MAX_DIFF_BYTES + 1)
        .read_to_end(&mut bytes)
        .ok()?;
    if bytes.len() as u64 > MAX_DIFF_BYTES || bytes.contains(&0) {
        return None;
    }
    String::from_utf8(bytes).ok()
}

/// Where the masked copy of `path` lives.
pub fn stored_copy(state: &Path, path: &[u8]) -> PathBuf {
    state
        .join("content")
        .join(blake3::hash(path).to_hex().as_str())
}

/// Stores the masked copy of `path` (or removes a stale one).
pub fn store(state: &Path, path: &[u8]) -> std::io::Result<()> {
    let dest = stored_copy(state, path);
    let Some(text) = read_text(path) else {
        return match std::fs::remove_file(&dest) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        };
    };
    if let Some(dir) = dest.parent() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
    }
    let mut tmp = dest.as_os_str().to_owned();
    tmp.push(".new");
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&tmp)
        .and_then(|mut f| std::io::Write::write_all(&mut f, mask(&text).as_bytes()))?;
    std::fs::rename(&tmp, &dest)
}

/// The diff between the stored copy and the current content, if both exist.
pub fn diff_against_stored(state: &Path, path: &[u8]) -> Option<ContentDiff> {
    let old =
        regular_file::read_text(&stored_copy(state, path), Follow::No, MAX_DIFF_BYTES).ok()?;
    let display = crate::entry::display_path(path);
    let Some(new) = read_text(path) else {
        return Some(ContentDiff {
            path: display,
            lines: vec!["(now binary, larger than 64 KiB, or unreadable: no diff)".into()],
        });
    };
    Some(ContentDiff {
        path: display,
        lines: line_diff(&old, &mask(&new)),
    })
}

/// `-`/`+` lines between two texts (longest common subsequence), bounded.
pub fn line_diff(old: &str, new: &str) -> Vec<String> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    if a.len().saturating_mul(b.len()) > MAX_LCS_CELLS {
        return vec!["(too many lines to diff)".into()];
    }
    // lcs[i][j]: LCS length of a[i..] and b[j..].
    let width = b.len() + 1;
    let mut lcs = vec![0u32; (a.len() + 1) * width];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i * width + j] = if a[i] == b[j] {
                lcs[(i + 1) * width + j + 1] + 1
            } else {
                lcs[(i + 1) * width + j].max(lcs[i * width + j + 1])
            };
        }
    }
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while (i < a.len() || j < b.len()) && out.len() < MAX_DIFF_LINES {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            i += 1;
            j += 1;
        } else if i < a.len()
            && (j == b.len() || lcs[(i + 1) * width + j] >= lcs[i * width + j + 1])
        {
            out.push(format!("-{}", a[i]));
            i += 1;
        } else {
            out.push(format!("+{}", b[j]));
            j += 1;
        }
    }
    if out.len() >= MAX_DIFF_LINES {
        out.push(format!("(diff cut at {MAX_DIFF_LINES} lines)"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_masked() {
        let text = "user = bob\npassword = hunter2\n\"apiKey\": \"sk-abc\",\nroot:$6$salt$hash:19000:0:99999:7:::\nAuthorization: Bearer abc.def\nkey AAAAB3NzaC1yc2EAAAADAQABAAABAQC7xyzxyzxyzxyzxyzxyz\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE\n-----END OPENSSH PRIVATE KEY-----\n";
        let masked = mask(text);
        for secret in [
            "hunter2",
            "sk-abc",
            "$6$salt",
            "abc.def",
            "AAAAB3NzaC1yc2E",
            "b3BlbnNzaC1rZXktdjE",
        ] {
            assert!(!masked.contains(secret), "{secret} leaked:\n{masked}");
        }
        assert!(masked.contains("user = bob"));
        assert!(masked.contains("password = ****"));
    }

    #[test]
    fn line_diff_shows_changed_lines() {
        assert_eq!(line_diff("a\nb\nc\n", "a\nB\nc\nd\n"), ["-b", "+B", "+d"]);
        assert!(line_diff("same\n", "same\n").is_empty());
    }
}
