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

/// Each malicious fixture is caught by the rule it was written for (not by
/// accident): fixture → a rule that must be among its unsuppressed findings
/// at high or critical.
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
        ("browser-stealer", "credential.browser-store"),
        ("env-dump-webhook", "exfil.env-dump"),
        ("js-env-dump", "exfil.env-dump"),
        ("crontab-persist", "persistence.crontab"),
        ("systemd-persist", "download-exec.pipe-shell"),
        ("bashrc-persist", "download-exec.pipe-shell"),
        ("authorized-keys", "persistence.authorized-keys"),
        ("sudoers-nopasswd", "persistence.sudoers"),
        ("soul-tamper", "tamper.agent-files"),
        ("firewall-off", "tamper.firewall-off"),
        ("destructive-cleanup", "destructive.delete"),
        ("xmrig-miner", "miner.crypto"),
        ("prompt-override", "prompt-injection.override"),
        ("conceal-actions", "prompt-injection.conceal"),
        ("send-memory", "prompt-injection.send-memory"),
        ("unicode-tags", "hidden.unicode-tags"),
        ("zero-width", "hidden.zero-width"),
        ("bidi-trojan", "hidden.bidi"),
        ("html-comment-injection", "hidden.html-comment"),
        ("typosquat-clawhubb", "typosquat.name"),
        ("typosquat-clawhub-cli", "typosquat.name"),
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
        ("keychain-dump", "credential.keychain-dump"),
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
    for (name, report) in &reports {
        let Some((_, rule)) = expect.iter().find(|(n, _)| n == name) else {
            panic!("fixture {name} has no expected rule in this table");
        };
        assert!(
            report.findings.iter().any(|f| f.rule == *rule
                && f.suppressed.is_none()
                && f.severity >= clawguard_skills::Severity::High),
            "{name}: expected {rule}, got {:?}",
            report
                .findings
                .iter()
                .map(|f| (&f.rule, f.severity))
                .collect::<Vec<_>>()
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
