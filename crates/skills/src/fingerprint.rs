//! File hashes: ClawHub's install fingerprint and the approval lockfile's
//! per-file digests.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use crate::source::SkillSource;

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        let _ = write!(out, "{b:02x}");
    }
    out
}

fn has_dot_segment(path: &str) -> bool {
    path.split('/').any(|seg| seg.starts_with('.'))
}

/// ClawHub's fingerprint (`packages/clawhub/src/skills.ts`): SHA-256 of each
/// file, paths with a dot-segment skipped, sorted by path, lines
/// `path:sha256hex` joined with `\n`, SHA-256 of that text, as hex.
pub fn clawhub_fingerprint(source: &SkillSource) -> String {
    let mut lines: Vec<String> = source
        .files
        .iter()
        .filter(|f| !has_dot_segment(&f.path))
        .map(|f| format!("{}:{}", f.path, sha256_hex(&f.bytes)))
        .collect();
    lines.sort();
    sha256_hex(lines.join("\n").as_bytes())
}

/// SHA-256 of every file read, by skill-relative path (dot paths included:
/// the lockfile guards everything OpenClaw could load).
pub fn file_hashes(source: &SkillSource) -> BTreeMap<String, String> {
    source
        .files
        .iter()
        .map(|f| (f.path.clone(), sha256_hex(&f.bytes)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SkillFile;

    #[test]
    fn fingerprint_matches_the_documented_algorithm() {
        let mut s = SkillSource::new("x", "x");
        for (p, b) in [
            ("b.txt", "B"),
            ("SKILL.md", "S"),
            (".clawhub/origin.json", "{}"),
            ("a/.hidden", "h"),
        ] {
            s.files.push(SkillFile {
                path: p.into(),
                bytes: b.as_bytes().to_vec(),
                truncated: false,
            });
        }
        let text = format!("SKILL.md:{}\nb.txt:{}", sha256_hex(b"S"), sha256_hex(b"B"));
        assert_eq!(clawhub_fingerprint(&s), sha256_hex(text.as_bytes()));
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
