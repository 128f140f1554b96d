//! Quality on the fixture corpus (`tests/corpus/{malicious,benign}`): recall
//! of malicious skills at `block`, false positives of benign skills at
//! `block` and `warn`. Prints the figures (`cargo test -p clawguard-skills
//! --test corpus -- --nocapture`).

use std::path::{Path, PathBuf};

use clawguard_skills::{Limits, SkillReport, Verdict, scan_path};

fn corpus(kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(kind);
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

fn scan_all(kind: &str) -> Vec<(String, SkillReport)> {
    corpus(kind)
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let report = scan_path(&p, &Limits::default()).unwrap();
            (name, report)
        })
        .collect()
}

#[test]
fn corpus_quality_meets_the_targets() {
    let malicious = scan_all("malicious");
    let benign = scan_all("benign");
    assert!(
        malicious.len() >= 40,
        "{} malicious fixtures",
        malicious.len()
    );
    assert!(benign.len() >= 40, "{} benign fixtures", benign.len());

    let missed: Vec<&str> = malicious
        .iter()
        .filter(|(_, r)| r.verdict != Verdict::Block)
        .map(|(n, _)| n.as_str())
        .collect();
    let benign_block: Vec<&str> = benign
        .iter()
        .filter(|(_, r)| r.verdict == Verdict::Block)
        .map(|(n, _)| n.as_str())
        .collect();
    let benign_warn: Vec<&str> = benign
        .iter()
        .filter(|(_, r)| r.verdict == Verdict::Warn)
        .map(|(n, _)| n.as_str())
        .collect();
    let recall = 100.0 * (malicious.len() - missed.len()) as f64 / malicious.len() as f64;
    let warn_rate = 100.0 * benign_warn.len() as f64 / benign.len() as f64;
    println!(
        "corpus: malicious {} (block recall {recall:.1}%), benign {} (block {}, warn {} = {warn_rate:.1}%)",
        malicious.len(),
        benign.len(),
        benign_block.len(),
        benign_warn.len()
    );
    println!(
        "missed malicious: {missed:?}; benign blocked: {benign_block:?}; benign warned: {benign_warn:?}"
    );
    assert!(
        recall >= 95.0,
        "recall {recall:.1}% < 95%: missed {missed:?}"
    );
    assert!(benign_block.is_empty(), "benign blocked: {benign_block:?}");
    assert!(
        warn_rate <= 10.0,
        "benign warn {warn_rate:.1}% > 10%: {benign_warn:?}"
    );
}

/// Each malicious fixture is seen by the rule it was written for (not by
/// accident): fixture → a rule that must be among its unsuppressed findings
/// at medium or above. Whether the fixture blocks is the quality test's
/// question: since issue 11 a word-level rule in a document warns, and the
/// behaviour pass (what is asked, where the data goes) decides the block.
#[test]
fn malicious_fixtures_hit_their_rule() {
    let expect: &[(&str, &str)] = &[
        ("clawhavoc-macos", "lure.terminal-payload"),
        (
            "clawhavoc-windows",
            "download-exec.password-archive-executable",
        ),
        ("pipe-shell-raw-ip", "download-exec.pipe-shell"),
        ("wget-pipe-script", "download-exec.pipe-shell"),
        ("bash-c-curl", "download-exec.shell-substitution"),
        ("powershell-iex", "download-exec.powershell"),
        ("install-spec-raw-ip", "install.untrusted-source"),
        ("python-exec-b64", "obfuscation.decoded-payload"),
        ("js-eval-atob", "obfuscation.decoded-payload"),
        ("python-hex-escapes", "reverse-shell.socket-pty"),
        ("js-charcodes", "obfuscation.decoded-payload"),
        ("python-reversed", "obfuscation.decoded-payload"),
        ("python-concat", "obfuscation.decoded-payload"),
        ("reverse-shell-devtcp", "reverse-shell.dev-tcp"),
        ("netcat-exec", "reverse-shell.netcat"),
        ("python-socket-pty", "reverse-shell.socket-pty"),
        ("mcp-bore-backdoor", "network.tunnel-endpoint"),
        ("ngrok-exfil", "exfil.credential-to-sink"),
        ("openclaw-to-discord", "exfil.credential-to-sink"),
        ("clawdbot-env-telegram", "exfil.credential-to-sink"),
        ("ssh-key-paste", "exfil.credential-to-sink"),
        ("aws-creds-upload", "exfil.credential-to-sink"),
        ("wallet-stealer", "exfil.credential-to-sink"),
        ("browser-stealer", "behaviour.secret-to-outside"),
        ("env-dump-webhook", "exfil.env-dump"),
        ("js-env-dump", "behaviour.secret-to-outside"),
        ("crontab-persist", "persistence.crontab"),
        ("systemd-persist", "download-exec.pipe-shell"),
        ("bashrc-persist", "download-exec.pipe-shell"),
        ("authorized-keys", "behaviour.backdoor-key"),
        ("soul-tamper", "behaviour.agent-file-orders"),
        ("firewall-off", "tamper.firewall-off"),
        ("destructive-cleanup", "behaviour.wipe"),
        ("xmrig-miner", "miner.crypto"),
        ("prompt-override", "prompt-injection.override"),
        ("conceal-actions", "behaviour.conceal-risky-action"),
        ("send-memory", "behaviour.agent-exfiltration"),
        ("unicode-tags", "hidden.unicode-tags"),
        ("zero-width", "hidden.zero-width"),
        ("bidi-trojan", "hidden.bidi"),
        ("html-comment-injection", "hidden.html-comment"),
        ("fingerprint-mismatch", "manifest.fingerprint-mismatch"),
        ("always-hidden-reference", "download-exec.pipe-shell"),
        ("tls-off-exfil", "exfil.credential-upload"),
        (
            "password-zip-exe",
            "download-exec.password-archive-executable",
        ),
        ("powershell-encoded", "obfuscation.decoded-payload"),
        ("fetch-run-quarantine", "download-exec.fetch-then-run"),
        ("plugin-exec", "download-exec.pipe-shell"),
        ("hook-cred-exfil", "exfil.credential-to-sink"),
        ("npm-postinstall", "download-exec.pipe-shell"),
        ("nested-base64", "obfuscation.base64-pipe-shell"),
        ("keychain-dump", "behaviour.secret-to-outside"),
        ("ioc-download-host", "ioc.clawhavoc"),
        // Guards for the context rules learnt on real ClawHub skills: the
        // user's own bot is no excuse when the token is written out, a
        // homepage does not vouch for a look-alike host, and a quoted
        // injection the agent is told to follow is still one.
        ("telegram-config-exfil", "exfil.credential-to-sink"),
        ("installer-lookalike", "download-exec.pipe-shell"),
        ("injection-quoted-imperative", "prompt-injection.override"),
    ];
    let reports = scan_all("malicious");
    let mut wrong = Vec::new();
    for (name, report) in &reports {
        let Some((_, rule)) = expect.iter().find(|(n, _)| n == name) else {
            panic!("fixture {name} has no expected rule in this table");
        };
        if !report.findings.iter().any(|f| {
            f.rule == *rule
                && f.suppressed.is_none()
                && f.severity >= clawguard_skills::Severity::Medium
        }) {
            let got: Vec<_> = report
                .findings
                .iter()
                .map(|f| (&f.rule, f.severity))
                .collect();
            wrong.push(format!("{name}: expected {rule}, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Risky but not shown to be malicious (issue 11): a name that imitates
/// ClawHub with nothing behind it, `NOPASSWD:ALL` for a stated purpose. They
/// warn, with the rule that saw them; they never pass silently, nor block
/// on a word.
#[test]
fn risky_fixtures_warn_and_say_why() {
    let expect = [
        ("sudoers-nopasswd", "persistence.sudoers"),
        ("typosquat-clawhub-cli", "typosquat.name"),
        ("typosquat-clawhubb", "typosquat.name"),
    ];
    let reports = scan_all("risky");
    assert_eq!(reports.len(), expect.len());
    for (name, report) in &reports {
        let (_, rule) = expect.iter().find(|(n, _)| n == name).expect("listed");
        assert_eq!(
            report.verdict,
            Verdict::Warn,
            "{name}: {:?}",
            report.findings
        );
        assert!(
            report.findings.iter().any(|f| f.rule == *rule),
            "{name}: {:?}",
            report.findings
        );
    }
}

/// A vendor's own installer piped to a shell (from the skill's homepage, or
/// its own GitHub repository) is a warning for a person to read, not a block.
#[test]
fn the_publishers_own_installer_warns() {
    let benign = scan_all("benign");
    for name in ["vendor-installer", "own-repo-installer"] {
        let (_, report) = benign
            .iter()
            .find(|(n, _)| n == name)
            .expect("fixture present");
        assert_eq!(
            report.verdict,
            Verdict::Warn,
            "{name}: {:?}",
            report.findings
        );
    }
}
