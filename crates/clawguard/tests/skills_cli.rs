//! `clawguard skills …` as a user runs it: exit codes, the exact JSON shape,
//! SARIF structure, suppressions, approval drift and the install-policy hook.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn corpus(kind: &str, name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../skills/tests/corpus")
        .join(kind)
        .join(name)
        .display()
        .to_string()
}

fn config(dir: &Path) -> String {
    let path = dir.join("clawguard.toml");
    std::fs::write(&path, "version = 1\n").unwrap();
    path.display().to_string()
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clawguard"))
        .arg("--config")
        .arg(config(dir))
        .arg("--state-dir")
        .arg(dir.join("state"))
        .args(args)
        .env_remove("CLAWGUARD_STATE_DIR")
        .output()
        .expect("run clawguard")
}

fn stdout_json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not one JSON document ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn write_skill(root: &Path, files: &[(&str, &str)]) -> PathBuf {
    for (rel, text) in files {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    root.to_path_buf()
}

#[test]
fn scan_json_has_the_exact_shape_and_exit_codes_follow_fail_on() {
    let dir = tempfile::tempdir().unwrap();
    let bad = corpus("malicious", "pipe-shell-raw-ip");
    let good = corpus("benign", "weather");
    let out = run(dir.path(), &["skills", "scan", &bad, &good, "--json"]);
    assert_eq!(
        out.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc = stdout_json(&out);
    let keys = |v: &serde_json::Value| {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(keys(&doc), ["skills"]);
    let skills = doc["skills"].as_array().unwrap();
    assert_eq!(skills.len(), 2);
    for s in skills {
        assert_eq!(keys(s), ["findings", "name", "path", "verdict"]);
        for f in s["findings"].as_array().unwrap() {
            assert_eq!(
                keys(f),
                ["evidence", "file", "line", "message", "rule", "severity"]
            );
            assert!(f["line"].is_u64());
            let sev = f["severity"].as_str().unwrap();
            assert!(
                ["info", "low", "medium", "high", "critical"].contains(&sev),
                "{sev}"
            );
        }
    }
    assert_eq!(skills[0]["verdict"], "block");
    assert_eq!(skills[0]["name"], "pdf-merge-fast");
    assert!(
        skills[0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "download-exec.pipe-shell"
                && f["file"] == "SKILL.md"
                && f["line"] == 11)
    );
    assert_eq!(skills[1]["verdict"], "allow");

    let out = run(
        dir.path(),
        &[
            "skills",
            "scan",
            &bad,
            "--format",
            "json",
            "--fail-on",
            "never",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    stdout_json(&out);
    let out = run(dir.path(), &["skills", "scan", &good]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 skills: 1 allow, 0 warn, 0 block"));

    let warn = write_skill(
        &dir.path().join("warn-skill"),
        &[(
            "SKILL.md",
            "---\nname: warn-skill\ndescription: d\nalways: true\n---\nhi\n",
        )],
    );
    let warn = warn.to_str().unwrap();
    assert_eq!(
        run(dir.path(), &["skills", "scan", warn]).status.code(),
        Some(0)
    );
    assert_eq!(
        run(dir.path(), &["skills", "scan", warn, "--fail-on", "warn"])
            .status
            .code(),
        Some(4)
    );
}

#[test]
fn unreadable_paths_exit_1_and_the_rest_is_still_reported() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("notes.txt");
    std::fs::write(&plain, "hello").unwrap();
    let good = corpus("benign", "weather");
    let out = run(
        dir.path(),
        &["skills", "scan", plain.to_str().unwrap(), &good, "--json"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("notes.txt"));
    assert_eq!(stdout_json(&out)["skills"].as_array().unwrap().len(), 1);
}

#[test]
fn sarif_has_the_structure_github_code_scanning_requires() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        &[
            "skills",
            "scan",
            &corpus("malicious", "clawhavoc-macos"),
            "--format",
            "sarif",
        ],
    );
    assert_eq!(out.status.code(), Some(4));
    let doc = stdout_json(&out);
    assert_eq!(doc["version"], "2.1.0");
    assert!(doc["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run0 = &doc["runs"][0];
    let driver = &run0["tool"]["driver"];
    assert!(driver["name"].is_string());
    let rules = driver["rules"].as_array().unwrap();
    assert!(rules.len() > 40);
    for r in rules {
        assert!(r["id"].is_string() && r["shortDescription"]["text"].is_string());
        let level = r["defaultConfiguration"]["level"].as_str().unwrap();
        assert!(["none", "note", "warning", "error"].contains(&level));
        let score: f64 = r["properties"]["security-severity"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((0.0..=10.0).contains(&score));
    }
    let results = run0["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for res in results {
        let id = res["ruleId"].as_str().unwrap();
        let index = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], id);
        assert!(
            res["message"]["text"]
                .as_str()
                .is_some_and(|t| !t.is_empty())
        );
        let loc = &res["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
        assert!(!uri.starts_with('/') && !uri.is_empty(), "{uri}");
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(res["partialFingerprints"].is_object());
    }
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"] == "lure.terminal-payload" && r["level"] == "error")
    );
}

#[test]
fn suppressions_mark_findings_and_expire() {
    let dir = tempfile::tempdir().unwrap();
    let skill = write_skill(
        &dir.path().join("lab-sync"),
        &[
            (
                "SKILL.md",
                "---\nname: lab-sync\ndescription: d\n---\nRun scripts/sync.py\n",
            ),
            (
                "scripts/sync.py",
                "import requests\nrequests.get('https://lab.internal/x', verify=False)\n",
            ),
        ],
    );
    let skill = skill.to_str().unwrap();
    let sup = dir.path().join("suppress.toml");
    std::fs::write(
        &sup,
        "[[suppress]]\nrule = \"tls.verify-disabled\"\npath = \"lab-sync/scripts/sync.py\"\nreason = \"lab CA, ticket 42\"\nexpires = \"2999-01-01\"\n",
    )
    .unwrap();
    let out = run(
        dir.path(),
        &["skills", "scan", skill, "--json", "--fail-on", "warn"],
    );
    assert_eq!(out.status.code(), Some(4));
    let out = run(
        dir.path(),
        &[
            "skills",
            "scan",
            skill,
            "--json",
            "--fail-on",
            "warn",
            "--suppressions",
            sup.to_str().unwrap(),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let doc = stdout_json(&out);
    let f = &doc["skills"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "tls.verify-disabled")
        .unwrap()
        .clone();
    assert_eq!(f["suppressed"], "lab CA, ticket 42");
    assert_eq!(doc["skills"][0]["verdict"], "allow");

    std::fs::write(
        &sup,
        "[[suppress]]\nrule = \"tls.verify-disabled\"\npath = \"*\"\nreason = \"old\"\nexpires = \"2001-01-01\"\n",
    )
    .unwrap();
    let out = run(
        dir.path(),
        &[
            "skills",
            "scan",
            skill,
            "--json",
            "--suppressions",
            sup.to_str().unwrap(),
        ],
    );
    let doc = stdout_json(&out);
    assert_eq!(doc["skills"][0]["verdict"], "warn");
    assert!(
        doc["skills"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "suppression.expired")
    );

    std::fs::write(
        &sup,
        "[[suppress]]\nrule = \"x\"\npath = \"*\"\nreason = \"\"\n",
    )
    .unwrap();
    let out = run(
        dir.path(),
        &[
            "skills",
            "scan",
            skill,
            "--suppressions",
            sup.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("suppress[0].reason"));
}

#[test]
fn approved_skills_that_change_are_reported_and_reaudited() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let skill_dir = home.join(".openclaw/workspace/skills/notes");
    write_skill(
        &skill_dir,
        &[(
            "SKILL.md",
            "---\nname: notes\ndescription: Take notes\n---\nWrite notes to notes/.\n",
        )],
    );
    let lock = dir.path().join("lock.json");
    let lock_s = lock.to_str().unwrap();
    let home_s = home.to_str().unwrap();
    let out = run(
        dir.path(),
        &[
            "skills",
            "approve",
            skill_dir.to_str().unwrap(),
            "--lockfile",
            lock_s,
            "--json",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout_json(&out)["skills"][0]["approved"], true);
    let lockdoc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&lock).unwrap()).unwrap();
    assert_eq!(lockdoc["version"], 1);

    let scan = |d: &Path| {
        run(
            d,
            &[
                "skills",
                "scan",
                "--installed",
                "--home",
                home_s,
                "--lockfile",
                lock_s,
                "--json",
            ],
        )
    };
    let out = scan(dir.path());
    assert_eq!(out.status.code(), Some(0));
    let doc = stdout_json(&out);
    assert_eq!(doc["skills"].as_array().unwrap().len(), 1);
    assert_eq!(doc["skills"][0]["verdict"], "allow");

    std::fs::write(skill_dir.join("helper.sh"), "echo hi\n").unwrap();
    let out = scan(dir.path());
    assert_eq!(out.status.code(), Some(4));
    let doc = stdout_json(&out);
    let f = doc["skills"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "lockfile.changed")
        .cloned()
        .expect("lockfile.changed");
    assert!(
        f["message"].as_str().unwrap().contains("added: helper.sh"),
        "{f}"
    );

    // A blocked skill is not approved without --force.
    let bad = corpus("malicious", "netcat-exec");
    let out = run(
        dir.path(),
        &["skills", "approve", &bad, "--lockfile", lock_s],
    );
    assert_eq!(out.status.code(), Some(4));
    let out = run(
        dir.path(),
        &["skills", "approve", &bad, "--lockfile", lock_s, "--force"],
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn policy_hook_answers_allow_warn_block_and_fails_closed() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        &["skills", "policy", &corpus("benign", "github-issues")],
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "allow\n");
    let out = run(
        dir.path(),
        &[
            "skills",
            "policy",
            &corpus("malicious", "clawhavoc-windows"),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "block\n");
    assert!(String::from_utf8_lossy(&out.stderr).contains("ioc.clawhavoc"));
    let missing = dir.path().join("gone");
    let out = run(
        dir.path(),
        &["skills", "policy", missing.to_str().unwrap(), "--json"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout_json(&out)["decision"], "block");
}

#[test]
fn staged_archives_are_read_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("staged.tar.gz");
    let src = Path::new(&corpus("malicious", "reverse-shell-devtcp")).to_path_buf();
    let status = Command::new("tar")
        .arg("czf")
        .arg(&archive)
        .arg("-C")
        .arg(src.parent().unwrap())
        .arg(src.file_name().unwrap())
        .status()
        .expect("tar");
    assert!(status.success());
    let out = run(dir.path(), &["skills", "policy", archive.to_str().unwrap()]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "block\n");
    let out = run(
        dir.path(),
        &["skills", "scan", archive.to_str().unwrap(), "--json"],
    );
    let doc = stdout_json(&out);
    assert!(
        doc["skills"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "reverse-shell.dev-tcp" && f["file"] == "scripts/sync.sh")
    );
}

#[test]
fn rules_lists_every_rule_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["skills", "rules", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let doc = stdout_json(&out);
    let ids: Vec<&str> = doc["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len());
    assert!(ids.contains(&"download-exec.pipe-shell"));
}
