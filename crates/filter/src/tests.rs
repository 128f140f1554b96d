//! Behavioural tests of [`Filter`] on small hand-written filters.

use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use super::*;

const NOW: i64 = 1_700_000_000_000;

/// An sshd-like filter: multi-line id from the syslog prefix, content after it.
fn sshd_like() -> FilterDef {
    FilterDef {
        name: "sshd-like".into(),
        prefregex: Some(
            r"^<F-MLFID>\s*(?:\S+\s+)?sshd\[\d+\]:\s+</F-MLFID>(?:error: )?<F-CONTENT>.+</F-CONTENT>$"
                .into(),
        ),
        failregex: vec![
            // Anchored at the end, so an injected " from <addr>" in a user name
            // can't be taken for the source (as in fail2ban's sshd filter).
            r"^Failed \b(?=\S)\S+ for <F-USER>.+</F-USER> from <HOST>(?: port \d+)?(?: ssh\d*)?$".into(),
            r"^[iI](?:llegal|nvalid) user <F-USER>.*?</F-USER> from <HOST>(?: port \d+)?\s*$".into(),
            r"^Disconnecting: Too many authentication failures".into(),
            r"^<F-NOFAIL><F-MLFFORGET>Connection closed</F-MLFFORGET></F-NOFAIL> by <HOST>(?: port \d+)?(?: \[preauth\])?$".into(),
            r"^<F-MLFFORGET><F-MLFGAINED>Accepted \w+</F-MLFGAINED></F-MLFFORGET> for <F-USER>\S+</F-USER> from <HOST>(?:\s|$)".into(),
            r"^<F-NOFAIL>Connection from</F-NOFAIL> <HOST>".into(),
        ],
        ignoreregex: vec![],
        datepattern: None,
        maxlines: 1,
        journalmatch: vec![],
    }
}

fn v4(a: u8, b: u8, c: u8, d: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(a, b, c, d))
}

fn addrs(r: &LineResult) -> Vec<IpAddr> {
    r.failures.iter().map(|f| f.addr).collect()
}

#[test]
fn failed_password_yields_address_and_user() {
    let mut f = Filter::compile(&sshd_like()).unwrap();
    let r = f.process_line(
        "host sshd[10]: Failed password for root from 192.0.2.5 port 22 ssh2",
        NOW,
    );
    assert_eq!(r.kind, LineKind::Matched);
    assert_eq!(addrs(&r), vec![v4(192, 0, 2, 5)]);
    assert_eq!(r.failures[0].user.as_deref(), Some("root"));
    assert_eq!(f.last_failregex(), Some(0));
}

#[test]
fn injected_from_in_user_name_is_not_the_source() {
    for engine in [
        EngineChoice::Auto,
        EngineChoice::RustPreferred,
        EngineChoice::Pcre2Only,
    ] {
        let opts = FilterOptions {
            engine,
            ..Default::default()
        };
        let mut f = Filter::compile_with(&sshd_like(), opts).unwrap();
        let r = f.process_line(
            "host sshd[11]: Failed password for invalid user x from 198.51.100.7 from 203.0.113.9 port 22 ssh2",
            NOW,
        );
        assert_eq!(addrs(&r), vec![v4(203, 0, 113, 9)], "{r:?}");
        let r = f.process_line(
            "host sshd[12]: Invalid user x from 198.51.100.7 from 203.0.113.9",
            NOW,
        );
        assert_eq!(addrs(&r), vec![v4(203, 0, 113, 9)], "{r:?}");
    }
}

#[test]
fn mapped_ipv6_is_normalised_and_ipv6_kept() {
    let mut f = Filter::compile(&sshd_like()).unwrap();
    let r = f.process_line(
        "host sshd[13]: Failed password for bob from ::ffff:192.0.2.77 port 22 ssh2",
        NOW,
    );
    assert_eq!(addrs(&r), vec![v4(192, 0, 2, 77)]);
    let r = f.process_line(
        "host sshd[14]: Failed password for bob from 2001:db8::1 port 22 ssh2",
        NOW,
    );
    assert_eq!(addrs(&r), vec!["2001:db8::1".parse::<IpAddr>().unwrap()]);
    assert_eq!(
        parse_addr("[::ffff:198.51.100.1]"),
        Some(v4(198, 51, 100, 1))
    );
    assert_eq!(parse_addr("192.030.0.6"), Some(v4(192, 30, 0, 6)));
    assert_eq!(parse_addr("192.0300.0.6"), None);
    assert_eq!(parse_addr("192.256.0.6"), None);
    assert_eq!(parse_addr("example.com"), None);
}

#[test]
fn usedns_no_ignores_host_names() {
    let def = FilterDef {
        name: "dns".into(),
        failregex: vec![r"^login failed from <HOST>$".into()],
        maxlines: 1,
        ..Default::default()
    };
    let mut f = Filter::compile(&def).unwrap();
    let r = f.process_line("login failed from attacker.example.com", NOW);
    assert_eq!(r.kind, LineKind::Missed);
    assert!(r.failures.is_empty());
    // With the DNS branch the name is captured, still never resolved.
    let mut f = Filter::compile_with(
        &def,
        FilterOptions {
            use_dns: UseDns::Raw,
            ..Default::default()
        },
    )
    .unwrap();
    let r = f.process_line("login failed from attacker.example.com", NOW);
    assert_eq!(r.kind, LineKind::Missed);
    assert!(r.failures.is_empty());
    let r = f.process_line("login failed from 192.0.2.1", NOW);
    assert_eq!(addrs(&r), vec![v4(192, 0, 2, 1)]);
}

#[test]
fn nofail_line_supplies_address_for_a_later_pending_failure() {
    let mut f = Filter::compile(&sshd_like()).unwrap();
    let r = f.process_line("host sshd[20]: Connection from 192.0.2.20 port 5000", NOW);
    assert_eq!(r.kind, LineKind::Ignored);
    assert!(r.failures.is_empty());
    // No host in this message: the address comes from the id's earlier line.
    let r = f.process_line(
        "host sshd[20]: Disconnecting: Too many authentication failures [preauth]",
        NOW,
    );
    assert_eq!(r.kind, LineKind::Matched);
    assert_eq!(addrs(&r), vec![v4(192, 0, 2, 20)]);
    // Another id has no address yet: pending, no failure.
    let r = f.process_line(
        "host sshd[21]: Disconnecting: Too many authentication failures [preauth]",
        NOW,
    );
    assert_eq!(r.kind, LineKind::Matched);
    assert!(r.failures.is_empty());
    // The pending failure turns the nofail "Connection closed" into a failure.
    let r = f.process_line(
        "host sshd[21]: Connection closed by 192.0.2.21 port 22 [preauth]",
        NOW,
    );
    assert_eq!(addrs(&r), vec![v4(192, 0, 2, 21)], "{r:?}");
    // Without a pending failure it stays data only.
    let r = f.process_line(
        "host sshd[22]: Connection closed by 192.0.2.22 port 22 [preauth]",
        NOW,
    );
    assert_eq!(r.kind, LineKind::Ignored);
}

#[test]
fn mlfid_ids_expire() {
    let mut f = Filter::compile(&sshd_like()).unwrap();
    f.process_line("host sshd[30]: Connection from 192.0.2.30 port 1", NOW);
    let r = f.process_line(
        "host sshd[30]: Disconnecting: Too many authentication failures",
        NOW + MLFID_TTL_MS + 1,
    );
    assert!(
        r.failures.is_empty(),
        "expired id must not supply the address"
    );
}

#[test]
fn mlfid_cache_stays_bounded() {
    let mut f = Filter::compile(&sshd_like()).unwrap();
    for pid in 0..5_000 {
        f.process_line(
            &format!("host sshd[{pid}]: Connection from 192.0.2.1 port 1"),
            NOW,
        );
        assert!(f.mlfids.len() <= MLFID_MAX_IDS);
    }
}

#[test]
fn accepted_login_is_ignored_as_gained() {
    let mut f = Filter::compile(&sshd_like()).unwrap();
    let r = f.process_line(
        "host sshd[40]: Accepted publickey for alice from 192.0.2.40 port 22 ssh2",
        NOW,
    );
    assert_eq!(r.kind, LineKind::Ignored);
}

#[test]
fn ignoreregex_wins_over_failregex() {
    let def = FilterDef {
        name: "ign".into(),
        failregex: vec![r"^auth failure from <ADDR>".into()],
        ignoreregex: vec![r"from 192\.0\.2\.1\b".into()],
        maxlines: 1,
        ..Default::default()
    };
    let mut f = Filter::compile(&def).unwrap();
    assert_eq!(
        f.process_line("auth failure from 192.0.2.1", NOW).kind,
        LineKind::Ignored
    );
    assert_eq!(
        f.process_line("auth failure from 192.0.2.2", NOW).kind,
        LineKind::Matched
    );
    assert_eq!(f.process_line("other", NOW).kind, LineKind::Missed);
}

#[test]
fn dated_lines_keep_their_time_and_following_undated_lines_inherit_it() {
    let mut f = Filter::compile(&sshd_like()).unwrap();
    let t = NOW - 1_000;
    let r = f.process_dated("host sshd[1]: Failed password for a from 192.0.2.9", t, NOW);
    assert_eq!(r.time_ms, Some(t));
    let r = f.process_line("host sshd[1]: Failed password for a from 192.0.2.9", NOW);
    assert_eq!(r.time_ms, Some(t));
    let r = f.process_line(
        "host sshd[1]: Failed password for a from 192.0.2.9",
        NOW + 120_000,
    );
    assert_eq!(r.time_ms, None);
}

#[test]
fn multi_line_skiplines_match_and_buffer_is_bounded() {
    let def = FilterDef {
        name: "ml".into(),
        failregex: vec![
            r"^session (?P<fid>\d+) start<SKIPLINES>^session (?P=fid) from <ADDR> failed$".into(),
        ],
        maxlines: 3,
        ..Default::default()
    };
    let mut f = Filter::compile(&def).unwrap();
    assert_eq!(
        f.process_line("session 7 start", NOW).kind,
        LineKind::Missed
    );
    assert_eq!(f.process_line("noise", NOW).kind, LineKind::Missed);
    let r = f.process_line("session 7 from 192.0.2.70 failed", NOW);
    assert_eq!(r.kind, LineKind::Matched);
    assert_eq!(addrs(&r), vec![v4(192, 0, 2, 70)]);
    for i in 0..1000 {
        f.process_line(&format!("line {i}"), NOW);
        assert!(f.lines.len() <= 3);
    }
    // Too large a maxlines is refused.
    let mut big = def.clone();
    big.maxlines = MAX_MAXLINES + 1;
    assert!(matches!(
        Filter::compile(&big),
        Err(FilterError::Limit { .. })
    ));
}

#[test]
fn missing_failure_id_is_an_error() {
    let def = FilterDef {
        name: "noid".into(),
        failregex: vec!["^just text$".into()],
        maxlines: 1,
        ..Default::default()
    };
    assert!(matches!(
        Filter::compile(&def),
        Err(FilterError::NoFailureId { .. })
    ));
}

fn sample_lines() -> Vec<String> {
    let mut v = Vec::new();
    let msgs = [
        "Failed password for root from 192.0.2.{n} port 22 ssh2",
        "Failed password for invalid user x from 198.51.100.7 from 203.0.113.{n} port 22 ssh2",
        "Invalid user admin from 192.0.2.{n} port 4444",
        "Connection from 192.0.2.{n} port 5000 on 0.0.0.0 port 22",
        "Disconnecting: Too many authentication failures [preauth]",
        "Connection closed by 192.0.2.{n} port 22 [preauth]",
        "Accepted publickey for alice from 192.0.2.{n} port 22 ssh2",
        "pam_unix(sshd:session): session opened for user alice",
        "Received disconnect from 192.0.2.{n} port 22:11: Bye Bye",
        "Failed password for ünïcødé from 2001:db8::{n} port 22 ssh2",
    ];
    for n in 0..200usize {
        let m = msgs[n % msgs.len()].replace("{n}", &(n % 250).to_string());
        v.push(format!("host sshd[{}]: {m}", n % 7));
        v.push(format!("host CRON[{n}]: (root) CMD (true)"));
    }
    v
}

fn run_all(opts: FilterOptions) -> Vec<LineResult> {
    let mut f = Filter::compile_with(&sshd_like(), opts).unwrap();
    sample_lines()
        .iter()
        .map(|l| f.process_line(l, NOW))
        .collect()
}

#[test]
fn rust_engine_and_pcre2_agree() {
    let rust = run_all(FilterOptions {
        engine: EngineChoice::RustPreferred,
        ..Default::default()
    });
    let pcre = run_all(FilterOptions {
        engine: EngineChoice::Pcre2Only,
        ..Default::default()
    });
    assert_eq!(rust, pcre);
    assert_eq!(rust, run_all(FilterOptions::default()));
    assert!(rust.iter().any(|r| r.kind == LineKind::Matched));
    let opts = FilterOptions {
        engine: EngineChoice::RustPreferred,
        ..Default::default()
    };
    let f = Filter::compile_with(&sshd_like(), opts).unwrap();
    let engines = f.failregex_engines();
    assert!(engines.contains(&EngineKind::Rust));
    assert!(engines.contains(&EngineKind::Pcre2));
}

#[test]
fn prefilter_changes_nothing() {
    let f = Filter::compile(&sshd_like()).unwrap();
    assert!(f.has_prefilter());
    let with = run_all(FilterOptions::default());
    let without = run_all(FilterOptions {
        no_prefilter: true,
        ..Default::default()
    });
    assert_eq!(with, without);
}

#[test]
fn long_lines_are_truncated_and_fast() {
    let mut f = Filter::compile(&sshd_like()).unwrap();
    let mut line = String::from("host sshd[1]: Failed password for ");
    line.push_str(&"a".repeat(10 * 1024 * 1024));
    line.push_str(" from 192.0.2.1 port 22 ssh2");
    let t = Instant::now();
    let r = f.process_line(&line, NOW);
    assert!(
        t.elapsed() < Duration::from_millis(900),
        "{:?}",
        t.elapsed()
    );
    // A line past the limit is not matched at all.
    assert!(r.failures.is_empty());
    assert_eq!(r.kind, LineKind::Truncated);
    assert!(f.buf.capacity() <= 2 * MAX_LINE_BYTES + 64);
}

/// `Invalid user <pad> from 192.0.2.1 from 203.0.113.5 port 22`, padded so
/// the cut at [`MAX_LINE_BYTES`] lands right after the first address: the
/// kept part reads as a failure of 192.0.2.1, while the whole line (and
/// `fail2ban-regex`) names 203.0.113.5. A cut line yields no failure, through
/// every entry point, and is reported as [`LineKind::Truncated`].
#[test]
fn a_cut_line_never_frames_the_address_it_kept() {
    let head = "Jan  1 00:00:01 gw1 sshd[1]: Invalid user ";
    let kept_tail = " from 192.0.2.1";
    let pad = "x".repeat(MAX_LINE_BYTES - head.len() - kept_tail.len());
    let kept = format!("{head}{pad}{kept_tail}");
    assert_eq!(kept.len(), MAX_LINE_BYTES);
    let line = format!("{kept} from 203.0.113.5 port 22");

    let mut f = Filter::compile(&sshd_like()).unwrap();
    // The kept part alone is a failure of the innocent address.
    assert_eq!(addrs(&f.process_line(&kept, NOW)), vec![v4(192, 0, 2, 1)]);
    let results = [
        f.process_line(&line, NOW),
        f.process_bytes(line.as_bytes(), NOW),
        f.process_dated(&line, NOW, NOW),
    ];
    for r in results {
        assert_eq!(addrs(&r), Vec::<IpAddr>::new());
        assert_eq!(r.kind, LineKind::Truncated);
    }
    assert_eq!(f.truncated_lines(), 3);
    // A line of exactly the bound is whole and still matches.
    let whole = format!("{head}{} from 203.0.113.5", &pad[..pad.len() - 2]);
    assert_eq!(whole.len(), MAX_LINE_BYTES);
    assert_eq!(
        addrs(&f.process_line(&whole, NOW)),
        vec![v4(203, 0, 113, 5)]
    );
}

/// In multi-line mode a cut line also drops the lines buffered before it, so
/// no later line can complete a failure with them.
#[test]
fn a_cut_line_clears_the_multi_line_buffer() {
    let def = FilterDef {
        name: "two-lines".into(),
        failregex: vec![r"^user \S+ from <HOST>\n.*denied$".into()],
        maxlines: 2,
        ..FilterDef::default()
    };
    let mut f = Filter::compile(&def).unwrap();
    assert!(
        f.process_line("user a from 192.0.2.9", NOW)
            .failures
            .is_empty()
    );
    let long = "y".repeat(MAX_LINE_BYTES + 1);
    assert_eq!(f.process_line(&long, NOW).kind, LineKind::Truncated);
    assert!(f.process_line("denied", NOW).failures.is_empty());
    // Without the cut line the pair matches.
    assert!(
        f.process_line("user a from 192.0.2.9", NOW)
            .failures
            .is_empty()
    );
    assert_eq!(
        addrs(&f.process_line("denied", NOW)),
        vec![v4(192, 0, 2, 9)]
    );
}

#[test]
fn invalid_utf8_is_processed_lossily() {
    let mut f = Filter::compile(&sshd_like()).unwrap();
    let mut bytes =
        b"host sshd[2]: Failed password for \xff\xfe from 192.0.2.2 port 22 ssh2".to_vec();
    let r = f.process_bytes(&bytes, NOW);
    assert_eq!(addrs(&r), vec![v4(192, 0, 2, 2)]);
    bytes.extend(std::iter::repeat_n(0xffu8, 10 * 1024 * 1024));
    let t = Instant::now();
    let _ = f.process_bytes(&bytes, NOW);
    assert!(t.elapsed() < Duration::from_millis(900));
}

#[test]
fn backtracking_bait_is_bounded() {
    // Nested quantifiers with a lookahead (forces PCRE2): exponential without limits.
    let def = FilterDef {
        name: "redos".into(),
        failregex: vec![r"^(?=x)(?:x+x+)+y from <ADDR>$".into()],
        maxlines: 1,
        ..Default::default()
    };
    let mut f = Filter::compile(&def).unwrap();
    assert_eq!(f.failregex_engines(), vec![EngineKind::Pcre2]);
    let line = format!("{}z y from 192.0.2.1", "x".repeat(64));
    let t = Instant::now();
    let r = f.process_line(&line, NOW);
    assert_eq!(r.kind, LineKind::Missed);
    assert!(
        t.elapsed() < Duration::from_millis(900),
        "{:?}",
        t.elapsed()
    );
    assert!(f.engine_limit_hits() >= 1);
}

#[test]
fn filter_can_move_between_threads() {
    fn assert_send<T: Send>() {}
    assert_send::<Filter>();
}

#[test]
fn too_many_regexes_are_refused() {
    let def = FilterDef {
        name: "many".into(),
        failregex: (0..MAX_REGEXES).map(|i| format!("^x{i} <ADDR>")).collect(),
        maxlines: 1,
        ..Default::default()
    };
    assert!(matches!(
        Filter::compile(&def),
        Err(FilterError::Limit { .. })
    ));
}

#[test]
fn ignoreregex_is_single_line_even_with_maxlines() {
    // `$` in an ignoreregex sees the joined buffer as one text, as in fail2ban.
    let def = FilterDef {
        name: "ml-ign".into(),
        failregex: vec![r"^fail from <ADDR>$".into()],
        ignoreregex: vec![r"^fail from 192\.0\.2\.1$".into()],
        maxlines: 2,
        ..Default::default()
    };
    let mut f = Filter::compile(&def).unwrap();
    assert_eq!(f.process_line("noise", NOW).kind, LineKind::Missed);
    let r = f.process_line("fail from 192.0.2.1", NOW);
    assert_eq!(r.kind, LineKind::Ignored);
}

#[test]
fn syslog_date_is_cut_before_matching_and_sets_the_time() {
    let def = FilterDef {
        name: "anchored".into(),
        // Anchored right after the cut date, as fail2ban's __prefix_line expects.
        failregex: vec![r"^ host sshd\[\d+\]: Failed \S+ for \S+ from <HOST>".into()],
        maxlines: 1,
        ..Default::default()
    };
    let mut f = Filter::compile(&def).unwrap();
    // 2023-11-14T22:13:20Z; the line's year-less date resolves near it.
    let r = f.process_line(
        "Nov 14 10:00:00 host sshd[5]: Failed password for root from 192.0.2.5 port 22 ssh2",
        NOW,
    );
    assert_eq!(r.kind, LineKind::Matched, "{r:?}");
    assert_eq!(addrs(&r), vec![v4(192, 0, 2, 5)]);
    let t = r.time_ms.expect("a time");
    assert!((t - NOW).abs() < 2 * 86_400_000, "{t}");
}
