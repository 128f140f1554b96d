//! Differential test against ClawHub's own code: generated skill trees are
//! listed and fingerprinted by the `clawhub` npm package (`listSkillFiles`,
//! `hashSkillFiles` from `clawhub/dist/skills.js`) under Node, and by this
//! crate; file set, order and fingerprint must agree.
//!
//! Needs `CLAWGUARD_NODE` and `CLAWGUARD_NPM_TOOLS` (see `.ci/node-tools.sh`);
//! skips with a printed reason without them, and fails instead when
//! `CLAWGUARD_REQUIRE_PRIVILEGED=1`.

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use clawguard_clawhub::{Limits, list_skill_files, skill_fingerprint};
use clawguard_testkit::node::{NodeTools, node_tools};

const TREES: u64 = 300;

/// SplitMix64: deterministic, seeded.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const NAMES: &[&str] = &[
    "SKILL.md",
    "skill.md",
    "Skill.MD",
    "scripts",
    "Scripts",
    "references",
    "assets",
    "README",
    "readme.txt",
    "a",
    "A",
    "b",
    "B",
    "z",
    "Z",
    "_x",
    "-y",
    "~t",
    "+p",
    "(1)",
    "@at",
    "#h",
    "a b",
    "a,b",
    "a-b",
    "a_b",
    "a.b",
    "a+b",
    "1",
    "10",
    "2",
    "02",
    "9z",
    "é",
    "É",
    "e",
    "ß",
    "ss",
    "ü",
    "ue",
    "ñ",
    "日本",
    "Å",
    "ø",
    "é",
    "e\u{301}",
    "Ω",
    "🦀",
    "x.log",
    "keep.log",
    "Y.LOG",
    "build",
    "Build",
    "cache",
    "tmp",
    "docs",
    "bin",
    "top.txt",
    "deploy.sh",
    "run.py",
    "node_modules",
    ".hidden",
    ".env",
    ".git",
    ".clawhub",
    "..dots",
    "...",
    "a$",
    "[x]",
    "x!",
    "q?",
    "back\\slash",
];

const PATTERNS: &[&str] = &[
    "*.log",
    "!keep.log",
    "build/",
    "/top.txt",
    "/top*",
    "docs/**/*.md",
    "**/cache",
    "!scripts/",
    "scripts/*.SH",
    "# comment",
    "\\#h",
    "a?b",
    "[Bb]in/",
    "tmp/**",
    "",
    "  ",
    "foo   ",
    "!/SKILL.md",
    "*.md",
    "!*.MD",
    "references/",
    "!references/keep",
    "assets/*",
    "!assets/1",
    "/a/",
    "a/**/b",
    "*",
    "!*/",
    "é",
    "日本/",
    "Z",
    "z/",
    "**/*.py",
    "deploy.sh",
    "!deploy.sh",
    "docs",
    "/docs/b",
    "ss",
    "*.txt\r",
    "x!",
    "\\!x",
    "1*",
    "!10",
];

/// Writes one random tree under `root`.
fn generate(rng: &mut Rng, root: &Path) {
    fs::create_dir_all(root).unwrap();
    let mut dirs: Vec<PathBuf> = vec![root.to_path_buf()];
    let mut files: Vec<PathBuf> = Vec::new();
    let entries = 3 + rng.below(25);
    for i in 0..entries {
        let parent = dirs[rng.below(dirs.len())].clone();
        let name = rng.pick(NAMES);
        let path = parent.join(name);
        if path.symlink_metadata().is_ok() {
            continue;
        }
        // Directories only up to a few levels.
        let depth = path.strip_prefix(root).unwrap().components().count();
        if rng.below(3) == 0 && depth < 4 {
            fs::create_dir(&path).unwrap();
            dirs.push(path);
        } else {
            fs::write(&path, format!("{i}:{name}\n").repeat(1 + rng.below(3))).unwrap();
            files.push(path);
        }
    }
    // Symlinks to files and directories: never part of the set.
    for _ in 0..rng.below(3) {
        let at = dirs[rng.below(dirs.len())].join(format!("link{}", rng.below(100)));
        if at.symlink_metadata().is_ok() {
            continue;
        }
        let target = if rng.below(2) == 0 && !files.is_empty() {
            files[rng.below(files.len())].clone()
        } else {
            dirs[rng.below(dirs.len())].clone()
        };
        symlink(&target, &at).unwrap();
    }
    for ignore_file in [".gitignore", ".clawhubignore", ".clawdhubignore"] {
        if rng.below(2) == 0 {
            continue;
        }
        let lines: Vec<&str> = (0..1 + rng.below(6)).map(|_| rng.pick(PATTERNS)).collect();
        fs::write(
            root.join(ignore_file),
            lines.join(if rng.below(4) == 0 { "\r\n" } else { "\n" }),
        )
        .unwrap();
    }
}

const SCRIPT: &str = r#"
const { listSkillFiles, hashSkillFiles } = await import(process.argv[2]);
const dirs = process.argv.slice(3);
const out = [];
for (const dir of dirs) {
  try {
    const files = await listSkillFiles(dir);
    const hashed = hashSkillFiles(files);
    // buildSkillFingerprint's own sort, to print the order it hashes.
    const order = hashed.files.map((f) => f.path).sort((a, b) => a.localeCompare(b));
    out.push({ dir, paths: order, fingerprint: hashed.fingerprint });
  } catch (e) {
    out.push({ dir, error: String(e) });
  }
}
process.stdout.write(JSON.stringify(out));
"#;

fn run_node(node: &Path, tools: &Path, work: &Path, dirs: &[PathBuf]) -> serde_json::Value {
    let script = work.join("clawhub-list.mjs");
    fs::write(&script, SCRIPT).unwrap();
    let module = tools.join("clawhub/dist/skills.js");
    let mut cmd = Command::new(node);
    cmd.arg(&script)
        .arg(format!("file://{}", module.display()))
        .args(dirs)
        // The collation follows the default locale: C gives en-US, as on a
        // typical server install.
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_COLLATE")
        .env_remove("LC_MESSAGES");
    let started = Instant::now();
    let output = cmd.output().expect("node runs");
    assert!(
        started.elapsed() < Duration::from_secs(120),
        "node took {:?}",
        started.elapsed()
    );
    assert!(
        output.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("node prints JSON")
}

fn describe(root: &Path) -> String {
    let mut out = String::new();
    for name in [".gitignore", ".clawhubignore", ".clawdhubignore"] {
        if let Ok(text) = fs::read_to_string(root.join(name)) {
            out += &format!("{name}: {text:?}\n");
        }
    }
    out
}

#[test]
fn generated_trees_match_clawhubs_own_listing_order_and_fingerprint() {
    let Some(NodeTools {
        node,
        npm_tools: tools,
    }) = node_tools()
    else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let mut rng = Rng(0x5eed_c1a4_4b0b);
    let dirs: Vec<PathBuf> = (0..TREES)
        .map(|i| {
            let dir = work.path().join(format!("t{i}"));
            generate(&mut rng, &dir);
            dir
        })
        .collect();
    let results = run_node(&node, &tools, work.path(), &dirs);
    let results = results.as_array().unwrap();
    assert_eq!(results.len(), dirs.len());
    let mut compared_files = 0;
    for (dir, theirs) in dirs.iter().zip(results) {
        if let Some(error) = theirs.get("error") {
            panic!("clawhub failed on {}: {error}", dir.display());
        }
        let ours = list_skill_files(dir, &Limits::default()).unwrap();
        let our_paths: Vec<&str> = ours.iter().map(|f| f.path.as_str()).collect();
        let their_paths: Vec<&str> = theirs["paths"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap())
            .collect();
        assert_eq!(
            our_paths,
            their_paths,
            "file set or order differs for {}\n{}",
            dir.display(),
            describe(dir)
        );
        assert_eq!(
            skill_fingerprint(dir, &Limits::default()).unwrap(),
            theirs["fingerprint"].as_str().unwrap(),
            "fingerprint differs for {}",
            dir.display()
        );
        compared_files += our_paths.len();
    }
    eprintln!("compared {} trees, {compared_files} files", dirs.len());
    assert!(
        compared_files > TREES as usize,
        "the trees must not be empty"
    );
}
