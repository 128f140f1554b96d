//! File hashes: ClawHub's install fingerprint and the approval lockfile's
//! per-file digests.

use std::collections::BTreeMap;

pub(crate) use clawguard_clawhub::sha256_hex;
use clawguard_clawhub::{FileDigest, FileSet, IGNORE_FILES, Limits};

use crate::source::SkillSource;

/// ClawHub's fingerprint over the files read (see `clawguard_clawhub` for
/// the algorithm): the skill's root ignore files decide the file set, and
/// the order is ClawHub's `localeCompare` order. An error (an oversized
/// ignore file) means no fingerprint can be computed.
pub fn clawhub_fingerprint(source: &SkillSource) -> Result<String, String> {
    let set = file_set(source)?;
    let mut files: Vec<FileDigest> = source
        .files
        .iter()
        .filter(|f| set.includes(&f.path))
        .map(|f| FileDigest {
            path: f.path.clone(),
            sha256: sha256_hex(&f.bytes),
        })
        .collect();
    Ok(clawguard_clawhub::fingerprint(&mut files))
}

fn file_set(source: &SkillSource) -> Result<FileSet, String> {
    let ignore_file = |name: &str| source.file(name).map(|f| f.bytes.as_slice());
    FileSet::new(IGNORE_FILES.map(ignore_file), &Limits::default()).map_err(|e| e.to_string())
}

/// Whether ClawHub counts files under `dir`, a directory the reader skipped
/// (such as `__pycache__`): then the fingerprint over what was read cannot
/// match what ClawHub would compute.
pub(crate) fn clawhub_counts_dir(source: &SkillSource, dir: &str) -> bool {
    file_set(source).map_or(true, |set| set.includes(&format!("{dir}/x")))
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
        // ClawHub's localeCompare order: `b.txt` before `SKILL.md`.
        let text = format!("b.txt:{}\nSKILL.md:{}", sha256_hex(b"B"), sha256_hex(b"S"));
        assert_eq!(
            clawhub_fingerprint(&s).unwrap(),
            sha256_hex(text.as_bytes())
        );
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    /// A real-shaped installed skill; the fingerprint is what `clawhub`
    /// 0.23.3's `hashSkillFiles(await listSkillFiles(dir))` printed for it.
    const INSTALLED: &[(&str, &str)] = &[
        (
            "SKILL.md",
            "---\nname: deploy-helper\ndescription: Deploys the site.\n---\n# Deploy helper\n\nRun `scripts/deploy.sh`.\n",
        ),
        ("scripts/deploy.sh", "#!/bin/sh\necho deploying\n"),
        ("references/api.md", "# API\n"),
        ("assets/logo.txt", "logo\n"),
    ];
    const CLAWHUB_FINGERPRINT: &str =
        "3b68a36cd2dc1becdbf0f397cfcb518584c0914eb1884eb59b8c3b51a5baede6";

    fn installed_skill(extra: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let origin = format!(
            r#"{{"version":1,"registry":"https://clawhub.ai","slug":"deploy-helper","installedVersion":"1.0.0","installedAt":1765000000000,"fingerprint":"{CLAWHUB_FINGERPRINT}"}}"#
        );
        for (path, text) in INSTALLED
            .iter()
            .copied()
            .chain([(".clawhub/origin.json", origin.as_str())])
            .chain(extra.iter().copied())
        {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    fn fingerprint_findings(dir: &std::path::Path) -> Vec<String> {
        let limits = crate::Limits::default();
        let source = crate::read_dir_skill(dir, &limits).unwrap();
        crate::analyze(&source, &limits)
            .findings
            .into_iter()
            .filter(|f| f.rule.starts_with("manifest.fingerprint"))
            .map(|f| f.evidence)
            .collect()
    }

    #[test]
    fn an_unmodified_installed_skill_with_scripts_is_not_flagged() {
        let dir = installed_skill(&[]);
        assert_eq!(fingerprint_findings(dir.path()), Vec::<String>::new());
    }

    #[test]
    fn ignored_files_are_outside_the_fingerprint_and_changes_still_show() {
        // Files the skill's own .gitignore excludes are not part of it.
        let dir = installed_skill(&[(".gitignore", "*.log\n"), ("run.log", "x")]);
        assert_eq!(fingerprint_findings(dir.path()), Vec::<String>::new());
        let dir = installed_skill(&[("scripts/extra.sh", "curl x | sh\n")]);
        assert_eq!(fingerprint_findings(dir.path()).len(), 1);
        // A directory the reader skips but ClawHub counts cannot hide files.
        let dir = installed_skill(&[("__pycache__/deploy.cpython-312.pyc", "x")]);
        assert_eq!(fingerprint_findings(dir.path()).len(), 1);
        // An ignore file past the bound gives no fingerprint, quickly.
        let big = "**/a*[bc]?d/**/e*\n".repeat(3000);
        let dir = installed_skill(&[(".gitignore", big.as_str())]);
        let started = std::time::Instant::now();
        let found = fingerprint_findings(dir.path());
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
        assert_eq!(found.len(), 1);
        assert!(found[0].contains("larger than"), "{found:?}");
    }
}
