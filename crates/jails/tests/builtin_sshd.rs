//! clawguard's own sshd filter (used where no fail2ban filter exists): the
//! usual failure lines match with the right host, benign lines don't, and a
//! user name cannot frame an innocent address.

use clawguard_filter::{Filter, LineKind};

const NOW_MS: i64 = 1_767_225_600_000; // 2026-01-01

fn hosts(line: &str) -> (LineKind, Vec<String>) {
    let def = clawguard_f2b::load_builtin_filter("sshd").expect("built-in sshd filter loads");
    let mut filter = Filter::compile(&def).expect("built-in sshd filter compiles");
    let result = filter.process_line(line, NOW_MS);
    (
        result.kind,
        result.failures.iter().map(|f| f.addr.to_string()).collect(),
    )
}

#[test]
fn failure_lines_match_with_their_host() {
    let cases = [
        "Jan  1 00:00:01 gw1 sshd[123]: Failed password for root from 203.0.113.9 port 4242 ssh2",
        "Jan  1 00:00:01 gw1 sshd[123]: Failed password for invalid user admin from 203.0.113.9 port 4242 ssh2",
        "Jan  1 00:00:01 gw1 sshd[123]: Invalid user admin from 203.0.113.9 port 4242",
        "Jan  1 00:00:01 gw1 sshd[123]: User root from 203.0.113.9 not allowed because not listed in AllowUsers",
        "Jan  1 00:00:01 gw1 sshd[123]: error: maximum authentication attempts exceeded for root from 203.0.113.9 port 4242 ssh2 [preauth]",
        // `sshd -E FILE` writes bare messages.
        "Invalid user nosuchuser from 203.0.113.9 port 32782",
    ];
    for line in cases {
        assert_eq!(
            hosts(line),
            (LineKind::Matched, vec!["203.0.113.9".to_string()]),
            "{line}"
        );
    }
    let v6 = "Jan  1 00:00:01 gw1 sshd[9]: Failed password for root from 2001:db8::7 port 22 ssh2";
    assert_eq!(hosts(v6).1, vec!["2001:db8::7".to_string()]);
}

/// Lines fail2ban's normal mode reads as context (`F-NOFAIL`), not as
/// failures: the PAM line beside every `Failed password`, and the disconnect
/// that ends an attempt. Counting them would make one wrong password two
/// failures, so `maxretry` would mean half what it means in fail2ban.
#[test]
fn context_lines_are_not_failures() {
    for line in [
        "Jan  1 00:00:01 gw1 sshd[123]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.9  user=root",
        "Jan  1 00:00:01 gw1 sshd[123]: Connection closed by authenticating user root 203.0.113.9 port 4242 [preauth]",
        "Jan  1 00:00:01 gw1 sshd-session[123]: Disconnected from invalid user test 203.0.113.9 port 4242 [preauth]",
        "Connection closed by invalid user nosuchuser 203.0.113.9 port 32782 [preauth]",
    ] {
        assert_eq!(hosts(line), (LineKind::Ignored, vec![]), "{line}");
    }
}

#[test]
fn benign_lines_do_not_match() {
    for line in [
        "Jan  1 00:00:01 gw1 sshd[123]: Accepted publickey for deploy from 203.0.113.9 port 4242 ssh2: ED25519 SHA256:x",
        "Jan  1 00:00:01 gw1 sshd[123]: Received disconnect from 203.0.113.9 port 4242:11: disconnected by user",
        "Jan  1 00:00:01 gw1 CRON[5]: pam_unix(cron:session): session opened for user root by (uid=0)",
        "Jan  1 00:00:01 gw1 su[5]: Invalid user x from 203.0.113.9 port 1",
        "Jan  1 00:00:01 gw1 sshd[123]: Server listening on 0.0.0.0 port 22.",
    ] {
        assert_eq!(hosts(line), (LineKind::Missed, vec![]), "{line}");
    }
}

#[test]
fn a_user_name_cannot_frame_an_innocent_address() {
    let cases = [
        "Jan  1 00:00:01 gw1 sshd[1]: Failed password for invalid user x from 198.51.100.7 from 203.0.113.9 port 22 ssh2",
        "Jan  1 00:00:01 gw1 sshd[1]: Failed password for invalid user x from 198.51.100.7 port 22 ssh2 from 203.0.113.9 port 22 ssh2",
        "Jan  1 00:00:01 gw1 sshd[1]: Invalid user x from 198.51.100.7 from 203.0.113.9 port 22",
    ];
    for line in cases {
        let (_, found) = hosts(line);
        assert!(
            !found.contains(&"198.51.100.7".to_string()),
            "framed the innocent address: {line}"
        );
        assert_eq!(found, vec!["203.0.113.9".to_string()], "{line}");
    }
    // Context lines count nothing, so a framed one can blame nobody.
    for line in [
        "Jan  1 00:00:01 gw1 sshd[1]: Connection closed by invalid user x 198.51.100.7 port 22 [preauth] 203.0.113.9 port 22 [preauth]",
        "Jan  1 00:00:01 gw1 sshd[1]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.9  user=x rhost=198.51.100.7",
    ] {
        assert_eq!(hosts(line).1, Vec::<String>::new(), "{line}");
    }
}

/// One wrong password as OpenSSH writes it (PAM line, then `Failed
/// password`, then the disconnect) is one failure, as in fail2ban.
#[test]
fn one_wrong_password_is_one_failure() {
    let def = clawguard_f2b::load_builtin_filter("sshd").expect("built-in sshd filter loads");
    let mut filter = Filter::compile(&def).expect("built-in sshd filter compiles");
    let attempt = [
        "Jan  1 00:00:01 gw1 sshd[123]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.9  user=root",
        "Jan  1 00:00:03 gw1 sshd[123]: Failed password for root from 203.0.113.9 port 4242 ssh2",
        "Jan  1 00:00:04 gw1 sshd[123]: Connection closed by authenticating user root 203.0.113.9 port 4242 [preauth]",
    ];
    let failures: usize = attempt
        .iter()
        .map(|line| filter.process_line(line, NOW_MS).failures.len())
        .sum();
    assert_eq!(failures, 1);
}
