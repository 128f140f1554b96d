//! Engine rules, each driven by explicit clocks.

use super::*;

const MIN: i64 = 60_000;
const T0: i64 = 1_800_000_000_000;

fn ip(s: &str) -> IpAddr {
    s.parse().expect("test address")
}

fn net(s: &str) -> IpNet {
    s.parse().expect("test net")
}

fn sshd() -> JailPolicy {
    let mut p = JailPolicy::new("sshd");
    p.max_retry = 3;
    p.find_time_ms = 10 * MIN;
    p.ban_time_ms = 10 * MIN;
    p
}

fn engine(policies: Vec<JailPolicy>) -> Engine {
    Engine::new(policies, Limits::default(), 7).expect("valid policies")
}

/// Feeds one failure per time (log time = clock).
fn feed(e: &mut Engine, jail: &str, addr: &str, times: &[i64]) -> Vec<Decision> {
    times
        .iter()
        .map(|t| e.failure(jail, ip(addr), 1, *t, *t).expect("known jail"))
        .collect()
}

fn ban_of(d: &Decision) -> &BanOrder {
    match d {
        Decision::Ban(order) => order,
        other => panic!("expected a ban, got {other:?}"),
    }
}

#[test]
fn maxretry_failures_within_findtime_ban() {
    let mut e = engine(vec![sshd()]);
    let d = feed(&mut e, "sshd", "192.0.2.10", &[T0, T0 + MIN, T0 + 2 * MIN]);
    assert_eq!(d[0], Decision::Nothing);
    assert_eq!(d[1], Decision::Nothing);
    let ban = ban_of(&d[2]);
    assert_eq!(ban.key, net("192.0.2.10/32"));
    assert_eq!(ban.jail, "sshd");
    assert_eq!(ban.start_ms, T0 + 2 * MIN);
    assert_eq!(ban.end_ms, Some(T0 + 12 * MIN));
    assert_eq!(ban.ban_count, 1);
    assert_eq!(ban.failures, 3);
    assert_eq!(ban.duration_ms(), Some(10 * MIN));
    // The ticket is consumed by the ban, as fail2ban's `toBan`.
    assert_eq!(e.tracked_keys("sshd"), 0);
}

#[test]
fn failure_exactly_findtime_old_still_counts() {
    // fail2ban: lines with `time < now - findtime` are dropped and
    // `adjustTime` only rescales when `first < time - findtime`.
    let mut e = engine(vec![sshd()]);
    let d = feed(
        &mut e,
        "sshd",
        "192.0.2.11",
        &[T0, T0 + 5 * MIN, T0 + 10 * MIN],
    );
    assert!(matches!(d[2], Decision::Ban(_)), "{d:?}");

    let mut e = engine(vec![sshd()]);
    let d = feed(
        &mut e,
        "sshd",
        "192.0.2.11",
        &[T0, T0 + 5 * MIN, T0 + 10 * MIN + 1],
    );
    assert_eq!(d[2], Decision::Nothing);
    // The oldest fell out; one more inside the window bans.
    let d = feed(&mut e, "sshd", "192.0.2.11", &[T0 + 11 * MIN]);
    assert!(matches!(d[0], Decision::Ban(_)));
}

#[test]
fn stale_and_future_failure_times() {
    let mut e = engine(vec![sshd()]);
    let now = T0 + 60 * MIN;
    let stale = e.failure("sshd", ip("192.0.2.12"), 1, now - 10 * MIN - 1, now);
    assert_eq!(stale, Ok(Decision::Ignored(IgnoreReason::Stale)));
    let edge = e.failure("sshd", ip("192.0.2.12"), 1, now - 10 * MIN, now);
    assert_eq!(edge, Ok(Decision::Nothing));
    // A time from the future is taken as now.
    e.failure("sshd", ip("192.0.2.12"), 1, now, now)
        .expect("ok")
        .ignore();
    let d = e
        .failure("sshd", ip("192.0.2.12"), 1, now + 99 * MIN, now)
        .expect("ok");
    assert_eq!(ban_of(&d).start_ms, now);
}

#[test]
fn ban_that_would_already_be_over_is_not_issued() {
    let mut p = sshd();
    p.ban_time_ms = MIN;
    let mut e = engine(vec![p]);
    let now = T0 + 9 * MIN;
    for _ in 0..2 {
        assert_eq!(
            e.failure("sshd", ip("192.0.2.13"), 1, T0, now),
            Ok(Decision::Nothing)
        );
    }
    assert_eq!(
        e.failure("sshd", ip("192.0.2.13"), 1, T0, now),
        Ok(Decision::Ignored(IgnoreReason::Expired))
    );
}

#[test]
fn suppressed_count_and_zero_count() {
    let mut e = engine(vec![sshd()]);
    let d = e.failure("sshd", ip("192.0.2.14"), 3, T0, T0).expect("ok");
    assert_eq!(ban_of(&d).failures, 3);
    // A count of 0 still counts once (fail2ban: "at least +1 attempt").
    assert_eq!(
        e.failure("sshd", ip("192.0.2.15"), 0, T0, T0),
        Ok(Decision::Nothing)
    );
    assert_eq!(
        e.failure("sshd", ip("192.0.2.15"), 1, T0, T0),
        Ok(Decision::Nothing)
    );
    assert!(matches!(
        e.failure("sshd", ip("192.0.2.15"), 1, T0, T0),
        Ok(Decision::Ban(_))
    ));
}

#[test]
fn ipv6_is_counted_and_banned_by_its_64() {
    let mut e = engine(vec![sshd()]);
    assert_eq!(
        feed(&mut e, "sshd", "2001:db8:7:1::1", &[T0])[0],
        Decision::Nothing
    );
    assert_eq!(
        feed(&mut e, "sshd", "2001:db8:7:1:ffff::9", &[T0 + 1])[0],
        Decision::Nothing
    );
    // Another /64 is a different key.
    assert_eq!(
        feed(&mut e, "sshd", "2001:db8:7:2::1", &[T0 + 2])[0],
        Decision::Nothing
    );
    let d = feed(&mut e, "sshd", "2001:db8:7:1:1:2:3:4", &[T0 + 3]);
    assert_eq!(ban_of(&d[0]).key, net("2001:db8:7:1::/64"));

    let mut p = sshd();
    p.name = "wide".into();
    p.ipv6_prefix = 48;
    p.ipv4_prefix = 24;
    let mut e = engine(vec![p]);
    feed(&mut e, "wide", "2001:db8:7:1::1", &[T0]);
    feed(&mut e, "wide", "2001:db8:7:2::1", &[T0]);
    let d = feed(&mut e, "wide", "2001:db8:7:3::1", &[T0]);
    assert_eq!(ban_of(&d[0]).key, net("2001:db8:7::/48"));
    feed(&mut e, "wide", "198.51.100.1", &[T0]);
    feed(&mut e, "wide", "198.51.100.2", &[T0]);
    let d = feed(&mut e, "wide", "198.51.100.3", &[T0]);
    assert_eq!(ban_of(&d[0]).key, net("198.51.100.0/24"));
}

#[test]
fn mapped_ipv4_counts_as_ipv4() {
    let mut e = engine(vec![sshd()]);
    feed(&mut e, "sshd", "::ffff:192.0.2.16", &[T0]);
    feed(&mut e, "sshd", "192.0.2.16", &[T0]);
    let d = feed(&mut e, "sshd", "::ffff:192.0.2.16", &[T0]);
    assert_eq!(ban_of(&d[0]).key, net("192.0.2.16/32"));
}

#[test]
fn loopback_is_never_banned() {
    let mut p = sshd();
    p.ignore_self = false;
    p.max_retry = 1;
    let mut e = engine(vec![p.clone()]);
    for a in ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"] {
        assert_eq!(
            e.failure("sshd", ip(a), 9, T0, T0),
            Ok(Decision::Ignored(IgnoreReason::Loopback)),
            "{a}"
        );
    }
    // A key that would contain ::1 (here ::/64) is narrowed until it does not.
    let d = e.failure("sshd", ip("::2"), 1, T0, T0).expect("known jail");
    assert_eq!(ban_of(&d).key, net("::2/127"));
    for target in [
        "127.0.0.1/32",
        "127.0.0.0/8",
        "::1/128",
        "0.0.0.0/0",
        "::/0",
    ] {
        assert_eq!(
            e.manual_ban(net(target), None, None, T0),
            Ok(Decision::Ignored(IgnoreReason::Loopback)),
            "{target}"
        );
    }
    let restored = BanOrder {
        key: net("127.0.0.1/32"),
        jail: "sshd".into(),
        start_ms: T0,
        end_ms: None,
        ban_count: 1,
        failures: 0,
    };
    assert_eq!(
        e.restore_ban(restored, T0),
        Ok(Decision::Ignored(IgnoreReason::Loopback))
    );
    let keys: Vec<IpNet> = e.active_bans().map(|b| b.key).collect();
    assert_eq!(keys, vec![net("::2/127")]);
}

/// A prefix ban never covers the host's own addresses, `ignoreip` entries,
/// loopback or link-local addresses: the key is narrowed to the widest prefix
/// around the attacker that covers none of them (issue 8, item 8).
#[test]
fn prefix_keys_never_cover_exempt_addresses() {
    let mut p = sshd();
    p.max_retry = 1;
    p.ipv4_prefix = 24;
    p.ignore = parse_ignore_list("2001:db8:5:1::10 192.0.2.128/26").nets;
    for ignore_self in [true, false] {
        p.ignore_self = ignore_self;
        let mut e = engine(vec![p.clone()]);
        e.set_own_addresses(vec![ip("2001:db8:5:1::1"), ip("198.51.100.1")]);
        let mut key_of = |a: &str| {
            let d = e.failure("sshd", ip(a), 1, T0, T0).expect("known jail");
            ban_of(&d).key
        };
        for (attacker, want) in [
            // In the host's own /64: the other half of it.
            ("2001:db8:5:1:8000::bad", "2001:db8:5:1:8000::/65"),
            // Next to the host and to an ignored address.
            ("2001:db8:5:1::bad", "2001:db8:5:1::800/117"),
            // Link-local: the address alone, never fe80::/64.
            ("fe80::bad", "fe80::bad/128"),
            ("198.51.100.200", "198.51.100.128/25"),
            ("192.0.2.5", "192.0.2.0/25"),
            ("169.254.7.7", "169.254.7.7/32"),
            // Far from every exempt address: the configured prefix.
            ("2001:db8:9::1", "2001:db8:9::/64"),
            ("203.0.113.9", "203.0.113.0/24"),
        ] {
            let key = key_of(attacker);
            assert_eq!(key, net(want), "{attacker}");
            for exempt in [
                "2001:db8:5:1::1",
                "2001:db8:5:1::10",
                "198.51.100.1",
                "fe80::1",
            ] {
                assert!(
                    !key.contains(&ip(exempt)),
                    "{attacker}: {key} covers {exempt}"
                );
            }
            assert!(!key.contains(&net("192.0.2.128/26")), "{attacker}");
        }
    }

    // Failures of one narrowed key still add up.
    p.max_retry = 2;
    p.ignore_self = true;
    let mut e = engine(vec![p.clone()]);
    e.set_own_addresses(vec![ip("2001:db8:5:1::1")]);
    feed(&mut e, "sshd", "2001:db8:5:1:8000::1", &[T0]);
    let d = feed(&mut e, "sshd", "2001:db8:5:1:8000::2", &[T0 + 1]);
    assert_eq!(ban_of(&d[0]).key, net("2001:db8:5:1:8000::/65"));

    // A saved ban that covers an exempt address is not restored.
    for (key, covers) in [
        ("2001:db8:5:1::/64", "2001:db8:5:1::1/128"),
        ("192.0.2.0/24", "192.0.2.128/26"),
        ("fe80::/64", "fe80::/10"),
    ] {
        let saved = BanOrder {
            key: net(key),
            jail: "sshd".into(),
            start_ms: T0,
            end_ms: None,
            ban_count: 1,
            failures: 3,
        };
        assert_eq!(
            e.restore_ban(saved, T0),
            Ok(Decision::Ignored(IgnoreReason::CoversExempt(net(covers)))),
            "{key}"
        );
    }
}

#[test]
fn ignoreip_and_ignoreself() {
    let mut p = sshd();
    p.ignore = parse_ignore_list("192.0.2.0/28 2001:db8:ff::/48").nets;
    let mut e = engine(vec![p.clone()]);
    e.set_own_addresses(vec![ip("::ffff:203.0.113.1")]);
    assert_eq!(
        e.failure("sshd", ip("192.0.2.5"), 1, T0, T0),
        Ok(Decision::Ignored(IgnoreReason::IgnoreList(net(
            "192.0.2.0/28"
        ))))
    );
    assert_eq!(
        e.failure("sshd", ip("2001:db8:ff:1::1"), 1, T0, T0),
        Ok(Decision::Ignored(IgnoreReason::IgnoreList(net(
            "2001:db8:ff::/48"
        ))))
    );
    assert_eq!(
        e.failure("sshd", ip("203.0.113.1"), 1, T0, T0),
        Ok(Decision::Ignored(IgnoreReason::OwnAddress))
    );
    assert_eq!(
        e.failure("sshd", ip("192.0.2.16"), 1, T0, T0),
        Ok(Decision::Nothing)
    );

    p.ignore_self = false;
    let mut e = engine(vec![p]);
    e.set_own_addresses(vec![ip("203.0.113.1")]);
    assert_eq!(
        e.failure("sshd", ip("203.0.113.1"), 1, T0, T0),
        Ok(Decision::Nothing)
    );
}

#[test]
fn ignored_file_body_is_parsed_by_the_same_function() {
    let value = parse_ignore_list("192.0.2.1 file:/etc/clawguard/ignore.list");
    assert_eq!(value.files, vec!["/etc/clawguard/ignore.list".to_string()]);
    let body = parse_ignore_list("# trusted\n198.51.100.0/24\n2001:db8::/32 # office\n");
    let mut p = sshd();
    p.ignore = value.nets.into_iter().chain(body.nets).collect();
    let mut e = engine(vec![p]);
    assert_eq!(
        e.failure("sshd", ip("198.51.100.9"), 1, T0, T0),
        Ok(Decision::Ignored(IgnoreReason::IgnoreList(net(
            "198.51.100.0/24"
        ))))
    );
}

#[test]
fn banned_key_is_not_banned_again_in_the_same_jail() {
    let mut e = engine(vec![sshd()]);
    feed(&mut e, "sshd", "192.0.2.20", &[T0, T0, T0]);
    let d = feed(&mut e, "sshd", "192.0.2.20", &[T0 + MIN, T0 + MIN]);
    assert_eq!(d, vec![Decision::AlreadyBanned, Decision::AlreadyBanned]);
    assert_eq!(e.active_bans().count(), 1);
}

#[test]
fn failures_while_banned_prolong_like_fail2ban() {
    let mut e = engine(vec![sshd()]);
    feed(&mut e, "sshd", "192.0.2.21", &[T0, T0, T0]);
    // maxretry reached again 5 minutes later: new end T0+15m > T0+10m.
    let d = feed(
        &mut e,
        "sshd",
        "192.0.2.21",
        &[T0 + 5 * MIN, T0 + 5 * MIN, T0 + 5 * MIN],
    );
    match &d[2] {
        Decision::Prolong(order) => {
            assert_eq!(order.start_ms, T0);
            assert_eq!(order.end_ms, Some(T0 + 15 * MIN));
            assert_eq!(order.ban_count, 1);
        }
        other => panic!("expected prolong, got {other:?}"),
    }
    assert!(e.expire(T0 + 15 * MIN).is_empty());
    assert_eq!(e.expire(T0 + 15 * MIN + 1).len(), 1);
}

#[test]
fn jails_ban_independently_fail2ban_2271() {
    let mut short = sshd();
    short.name = "short".into();
    short.ban_time_ms = MIN / 2;
    let mut long = sshd();
    long.name = "long".into();
    long.ban_time_ms = 60 * MIN;
    let mut e = engine(vec![short, long]);
    let d = feed(&mut e, "short", "192.0.2.22", &[T0, T0, T0]);
    assert_eq!(ban_of(&d[2]).end_ms, Some(T0 + MIN / 2));
    let d = feed(&mut e, "long", "192.0.2.22", &[T0, T0, T0]);
    assert_eq!(ban_of(&d[2]).end_ms, Some(T0 + 60 * MIN));
    assert_eq!(e.active_bans().count(), 2);
    let ended = e.expire(T0 + MIN);
    assert_eq!(ended.len(), 1);
    assert_eq!(ended[0].jail, "short");
    assert_eq!(e.next_expiry_ms(), Some(T0 + 60 * MIN));
}

#[test]
fn expiry_is_strictly_after_end() {
    let mut e = engine(vec![sshd()]);
    feed(&mut e, "sshd", "192.0.2.23", &[T0, T0, T0]);
    assert!(e.expire(T0 + 10 * MIN).is_empty());
    let ended = e.expire(T0 + 10 * MIN + 1);
    assert_eq!(ended.len(), 1);
    assert_eq!(ended[0].key, net("192.0.2.23/32"));
    assert_eq!(e.active_bans().count(), 0);
    assert_eq!(e.next_expiry_ms(), None);
    // Counting starts afresh after the ban.
    let now = T0 + 11 * MIN;
    let d = feed(&mut e, "sshd", "192.0.2.23", &[now, now, now]);
    assert_eq!(d[1], Decision::Nothing);
    assert_eq!(ban_of(&d[2]).ban_count, 2);
}

#[test]
fn expire_drops_failures_older_than_findtime() {
    let mut e = engine(vec![sshd()]);
    feed(&mut e, "sshd", "192.0.2.24", &[T0]);
    feed(&mut e, "sshd", "192.0.2.25", &[T0 + MIN]);
    let _ = e.expire(T0 + 10 * MIN - 1);
    assert_eq!(e.tracked_keys("sshd"), 2);
    // fail2ban's cleanup: `time <= now - findtime` goes.
    let _ = e.expire(T0 + 10 * MIN);
    assert_eq!(e.tracked_keys("sshd"), 1);
}

#[test]
fn permanent_bans_never_expire() {
    let mut p = sshd();
    p.ban_time_ms = -1;
    let mut e = engine(vec![p]);
    let d = feed(&mut e, "sshd", "192.0.2.26", &[T0, T0, T0]);
    assert_eq!(ban_of(&d[2]).end_ms, None);
    assert!(e.expire(i64::MAX).is_empty());
    assert_eq!(e.next_expiry_ms(), None);
}

fn incremental() -> JailPolicy {
    let mut p = sshd();
    p.max_retry = 5;
    p.increment = Some(Increment::default());
    p
}

#[test]
fn increment_doubles_later_bans() {
    let mut e = engine(vec![incremental()]);
    let mut now = T0;
    let mut durations = Vec::new();
    for round in 0..4 {
        // Each round: failures until banned, then let the ban expire.
        let mut banned = None;
        for _ in 0..5 {
            if let Decision::Ban(order) = e
                .failure("sshd", ip("192.0.2.30"), 1, now, now)
                .expect("ok")
            {
                banned = Some(order);
                break;
            }
        }
        let order = banned.unwrap_or_else(|| panic!("round {round} did not ban"));
        assert_eq!(order.ban_count, round + 1);
        durations.push(order.duration_ms().expect("not permanent"));
        now = order.end_ms.expect("not permanent") + 1;
        assert_eq!(e.expire(now).len(), 1);
    }
    assert_eq!(durations, vec![10 * MIN, 20 * MIN, 40 * MIN, 80 * MIN]);
}

#[test]
fn known_offenders_need_fewer_failures() {
    let mut e = engine(vec![incremental()]);
    e.restore_history(
        net("192.0.2.31/32"),
        "sshd",
        History {
            ban_count: 1,
            last_ban_ms: T0 - 60 * MIN,
        },
    )
    .expect("known jail");
    // One earlier ban: each failure weighs 2^1/2+1 = 2, so 3 failures ban (maxretry 5).
    let d = feed(&mut e, "sshd", "192.0.2.31", &[T0, T0 + 1, T0 + 2]);
    assert_eq!(d[1], Decision::Nothing);
    let ban = ban_of(&d[2]);
    assert_eq!(ban.failures, 6);
    assert_eq!(ban.ban_count, 2);
    assert_eq!(ban.duration_ms(), Some(20 * MIN));

    // Three earlier bans: weight 5 = maxretry, one failure bans.
    e.restore_history(
        net("192.0.2.32/32"),
        "sshd",
        History {
            ban_count: 3,
            last_ban_ms: T0 - 60 * MIN,
        },
    )
    .expect("known jail");
    let d = feed(&mut e, "sshd", "192.0.2.32", &[T0]);
    assert_eq!(ban_of(&d[0]).duration_ms(), Some(80 * MIN));

    // Failures not after the latest ban weigh 1 (observer: "before last ban").
    e.restore_history(
        net("192.0.2.33/32"),
        "sshd",
        History {
            ban_count: 3,
            last_ban_ms: T0,
        },
    )
    .expect("known jail");
    let d = feed(&mut e, "sshd", "192.0.2.33", &[T0]);
    assert_eq!(d[0], Decision::Nothing);
}

#[test]
fn weighting_is_off_without_increment() {
    let mut p = incremental();
    p.increment = None;
    let mut e = engine(vec![p]);
    e.restore_history(
        net("192.0.2.34/32"),
        "sshd",
        History {
            ban_count: 4,
            last_ban_ms: T0 - 60 * MIN,
        },
    )
    .expect("known jail");
    let d = feed(&mut e, "sshd", "192.0.2.34", &[T0, T0, T0, T0, T0]);
    assert_eq!(d[3], Decision::Nothing);
    let ban = ban_of(&d[4]);
    assert_eq!(ban.duration_ms(), Some(10 * MIN));
    assert_eq!(ban.ban_count, 5);
}

#[test]
fn overalljails_counts_bans_of_every_jail() {
    let mut web = incremental();
    web.name = "web".into();
    web.increment = Some(Increment {
        overall_jails: true,
        ..Increment::default()
    });
    let mut local = incremental();
    local.name = "local".into();
    let mut e = engine(vec![incremental(), web, local]);
    for jail in ["sshd", "local"] {
        e.restore_history(
            net("192.0.2.35/32"),
            jail,
            History {
                ban_count: 1,
                last_ban_ms: T0 - 60 * MIN,
            },
        )
        .expect("known jail");
    }
    // "web" has no own history, so no weighting: 5 failures; but 2 earlier
    // bans overall: 10m * 2^2.
    let d = feed(&mut e, "web", "192.0.2.35", &[T0; 5]);
    let ban = ban_of(&d[4]);
    assert_eq!(ban.duration_ms(), Some(40 * MIN));
    assert_eq!(ban.ban_count, 3);
    // Without overalljails only the jail's own history counts.
    let d = feed(&mut e, "local", "192.0.2.35", &[T0; 3]);
    assert_eq!(ban_of(&d[2]).duration_ms(), Some(20 * MIN));
}

#[test]
fn rndtime_is_deterministic_per_seed_and_bounded() {
    let mut p = incremental();
    p.increment = Some(Increment {
        rnd_time_ms: Some(5 * MIN),
        max_time_ms: Some(15 * MIN),
        ..Increment::default()
    });
    let run = |seed: u64| {
        let mut e = Engine::new(vec![p.clone()], Limits::default(), seed).expect("valid");
        let mut out = Vec::new();
        for i in 0..10u8 {
            let key = net(&format!("192.0.2.{}/32", 100 + i));
            e.restore_history(
                key,
                "sshd",
                History {
                    ban_count: 2,
                    last_ban_ms: T0 - 60 * MIN,
                },
            )
            .expect("known jail");
            let d = e.failure("sshd", key.addr(), 5, T0, T0).expect("ok");
            out.push(ban_of(&d).duration_ms().expect("timed"));
        }
        out
    };
    let a = run(1);
    assert_eq!(a, run(1));
    assert_ne!(a, run(2));
    for d in &a {
        // 40m capped to 15m, plus up to 5m.
        assert!((15 * MIN..20 * MIN).contains(d), "{d}");
    }
}

#[test]
fn manual_ban_and_unban() {
    let mut p = sshd();
    p.ignore = vec![net("198.51.100.0/24")];
    let mut e = engine(vec![p]);
    // Without jail or duration: permanent in the manual jail.
    let d = e
        .manual_ban(net("203.0.113.0/24"), None, None, T0)
        .expect("ok");
    let ban = ban_of(&d);
    assert_eq!((ban.jail.as_str(), ban.end_ms), (MANUAL_JAIL, None));
    // With a jail and no duration: the jail's bantime; ignoreip does not apply.
    let d = e
        .manual_ban(net("198.51.100.7/32"), Some("sshd"), None, T0)
        .expect("ok");
    assert_eq!(ban_of(&d).end_ms, Some(T0 + 10 * MIN));
    // Explicit duration; host bits are cleared.
    let d = e
        .manual_ban(net("2001:db8:5::9/64"), Some("sshd"), Some(MIN), T0)
        .expect("ok");
    assert_eq!(ban_of(&d).key, net("2001:db8:5::/64"));
    assert_eq!(ban_of(&d).end_ms, Some(T0 + MIN));
    assert_eq!(
        e.manual_ban(net("2001:db8:5::/64"), Some("sshd"), Some(MIN), T0),
        Ok(Decision::AlreadyBanned)
    );
    assert!(matches!(
        e.manual_ban(net("2001:db8:5::/64"), Some("sshd"), Some(-1), T0),
        Ok(Decision::Prolong(BanOrder { end_ms: None, .. }))
    ));
    assert_eq!(
        e.manual_ban(net("192.0.2.1/32"), Some("nope"), None, T0),
        Err(BanError::UnknownJail("nope".into()))
    );

    // Unban of one address inside a banned /64 lifts the /64.
    let lifted = e.unban(net("2001:db8:5::1234/128"), None).expect("ok");
    assert_eq!(lifted.len(), 1);
    assert_eq!(lifted[0].key, net("2001:db8:5::/64"));
    // Unban limited to a jail leaves other jails alone.
    assert!(
        e.unban(net("203.0.113.5/32"), Some("sshd"))
            .expect("ok")
            .is_empty()
    );
    assert_eq!(e.unban(net("203.0.113.5/32"), None).expect("ok").len(), 1);
    assert_eq!(e.active_bans().count(), 1);
    assert!(e.unban(net("192.0.2.1/32"), Some("nope")).is_err());
}

#[test]
fn unban_clears_pending_failures() {
    let mut e = engine(vec![sshd()]);
    feed(&mut e, "sshd", "192.0.2.40", &[T0, T0]);
    assert_eq!(e.tracked_keys("sshd"), 1);
    assert!(e.unban(net("192.0.2.40/32"), None).expect("ok").is_empty());
    assert_eq!(e.tracked_keys("sshd"), 0);
    // Two more failures no longer ban.
    let d = feed(&mut e, "sshd", "192.0.2.40", &[T0 + 1, T0 + 2]);
    assert_eq!(d, vec![Decision::Nothing, Decision::Nothing]);
}

#[test]
fn restored_ban_keeps_its_remaining_time() {
    let mut e = engine(vec![sshd()]);
    let saved = BanOrder {
        key: net("192.0.2.50/32"),
        jail: "sshd".into(),
        start_ms: T0,
        end_ms: Some(T0 + 10 * MIN),
        ban_count: 2,
        failures: 0,
    };
    let d = e.restore_ban(saved.clone(), T0 + 4 * MIN).expect("ok");
    assert_eq!(ban_of(&d).end_ms, Some(T0 + 10 * MIN));
    assert!(e.expire(T0 + 10 * MIN).is_empty());
    assert_eq!(e.expire(T0 + 10 * MIN + 1).len(), 1);
    // History came with it: the next ban is the third.
    let now = T0 + 20 * MIN;
    let d = feed(&mut e, "sshd", "192.0.2.50", &[now, now, now]);
    assert_eq!(ban_of(&d[2]).ban_count, 3);

    // Over by now: refused (fail2ban: `timeofban + bantime <= now`).
    assert_eq!(
        e.restore_ban(saved.clone(), T0 + 10 * MIN),
        Ok(Decision::Ignored(IgnoreReason::Expired))
    );
    // Unknown jail is an error for the caller to log.
    let other = BanOrder {
        jail: "gone".into(),
        ..saved.clone()
    };
    assert_eq!(
        e.restore_ban(other, T0),
        Err(BanError::UnknownJail("gone".into()))
    );
}

#[test]
fn restored_ban_is_cut_to_the_jails_current_maximum() {
    let mut e = engine(vec![sshd()]);
    let permanent = BanOrder {
        key: net("192.0.2.51/32"),
        jail: "sshd".into(),
        start_ms: T0,
        end_ms: None,
        ban_count: 1,
        failures: 0,
    };
    let d = e.restore_ban(permanent.clone(), T0 + MIN).expect("ok");
    assert_eq!(ban_of(&d).end_ms, Some(T0 + 10 * MIN));
    // Manual bans keep their permanence.
    let manual = BanOrder {
        jail: MANUAL_JAIL.into(),
        ..permanent
    };
    assert_eq!(ban_of(&e.restore_ban(manual, T0).expect("ok")).end_ms, None);
}

#[test]
fn restored_ban_respects_ignoreip() {
    let mut p = sshd();
    p.ignore = vec![net("192.0.2.0/24")];
    let mut e = engine(vec![p]);
    let saved = BanOrder {
        key: net("192.0.2.52/32"),
        jail: "sshd".into(),
        start_ms: T0,
        end_ms: Some(T0 + MIN),
        ban_count: 1,
        failures: 0,
    };
    assert_eq!(
        e.restore_ban(saved, T0),
        Ok(Decision::Ignored(IgnoreReason::IgnoreList(net(
            "192.0.2.0/24"
        ))))
    );
}

#[test]
fn reconfigure_keeps_state_of_remaining_jails() {
    let mut web = sshd();
    web.name = "web".into();
    let mut e = engine(vec![sshd(), web]);
    feed(&mut e, "sshd", "192.0.2.60", &[T0, T0]);
    feed(&mut e, "sshd", "192.0.2.61", &[T0, T0, T0]);
    feed(&mut e, "web", "192.0.2.62", &[T0, T0, T0]);
    feed(&mut e, "web", "192.0.2.63", &[T0]);

    // Bad config: error, nothing changes.
    let mut bad = sshd();
    bad.max_retry = 0;
    assert!(e.reconfigure(vec![bad]).is_err());
    assert_eq!(e.active_bans().count(), 2);

    let mut stricter = sshd();
    stricter.ban_time_ms = 30 * MIN;
    let lifted = e.reconfigure(vec![stricter]).expect("valid");
    assert_eq!(lifted.len(), 1);
    assert_eq!(lifted[0].jail, "web");
    assert_eq!(e.tracked_keys("web"), 0);
    assert!(e.failure("web", ip("192.0.2.63"), 1, T0, T0).is_err());
    // sshd kept its counter: one more failure bans, with the new bantime.
    let d = feed(&mut e, "sshd", "192.0.2.60", &[T0 + 1]);
    assert_eq!(ban_of(&d[0]).end_ms, Some(T0 + 1 + 30 * MIN));
    // and its active ban.
    assert_eq!(
        feed(&mut e, "sshd", "192.0.2.61", &[T0 + 2])[0],
        Decision::AlreadyBanned
    );
    // A re-added jail starts empty.
    let mut web = sshd();
    web.name = "web".into();
    assert!(e.reconfigure(vec![sshd(), web]).expect("valid").is_empty());
    assert_eq!(
        feed(&mut e, "web", "192.0.2.62", &[T0 + 3])[0],
        Decision::Nothing
    );
}

#[test]
fn construction_errors() {
    assert_eq!(
        Engine::new(vec![sshd(), sshd()], Limits::default(), 0).map(|_| ()),
        Err(BanError::DuplicateJail("sshd".into()))
    );
    let mut e = engine(vec![sshd()]);
    assert_eq!(
        e.failure("nope", ip("192.0.2.1"), 1, T0, T0),
        Err(BanError::UnknownJail("nope".into()))
    );
    let mut p = sshd();
    p.increment = Some(Increment {
        formula: Some("ban.Time * os.getpid()".into()),
        ..Increment::default()
    });
    let err = Engine::new(vec![p], Limits::default(), 0).expect_err("rejected");
    assert!(err.to_string().contains("ban.Time * os.getpid()"), "{err}");
}

#[test]
fn tracked_keys_per_jail_are_capped_oldest_first() {
    let limits = Limits {
        max_tracked_keys: 3,
        ..Limits::default()
    };
    let mut e = Engine::new(vec![sshd()], limits, 0).expect("valid");
    for i in 0..10u8 {
        let t = T0 + i64::from(i);
        e.failure("sshd", ip(&format!("198.51.100.{i}")), 1, t, t)
            .expect("ok")
            .ignore();
    }
    assert_eq!(e.tracked_keys("sshd"), 3);
    // The survivors are the three most recent: 7, 8, 9. Two more failures ban 9.
    let t = T0 + 20;
    let d = feed(&mut e, "sshd", "198.51.100.9", &[t, t]);
    assert!(matches!(d[1], Decision::Ban(_)));
    // 0 was evicted, so it needs three again.
    let d = feed(&mut e, "sshd", "198.51.100.0", &[t, t]);
    assert_eq!(d[1], Decision::Nothing);
}

#[test]
fn stored_failure_times_per_key_stay_within_maxretry() {
    let mut p = sshd();
    p.max_retry = 4;
    p.find_time_ms = 1000 * MIN;
    let mut e = engine(vec![p]);
    let key = net("192.0.2.70/32");
    let mut now = T0;
    for _ in 0..3 {
        e.failure("sshd", key.addr(), 1, now, now)
            .expect("ok")
            .ignore();
        now += MIN;
    }
    let stored = |e: &Engine| {
        e.states["sshd"]
            .failures
            .get(&key)
            .map_or(0, |f| f.times.len())
    };
    assert_eq!(stored(&e), 3);
    // An out-of-order older failure still counts; the ban starts at the
    // newest failure (fail2ban's ticket time), not at the late line's time.
    let d = e.failure("sshd", key.addr(), 1, T0 - MIN, now).expect("ok");
    assert_eq!(ban_of(&d).start_ms, T0 + 2 * MIN);
    assert_eq!(stored(&e), 0);
    // Direct check of the bound with a huge suppressed count.
    let mut f = Failures::default();
    for i in 0..100 {
        let (_, newest) = f.add(T0 + i, 1, 1000 * MIN, 4);
        assert_eq!(newest, T0 + i);
        assert!(f.times.len() <= 4);
    }
}

#[test]
fn active_bans_per_jail_are_capped() {
    let limits = Limits {
        max_active_bans: 2,
        ..Limits::default()
    };
    let mut e = Engine::new(vec![sshd()], limits, 0).expect("valid");
    for i in 0..2u8 {
        let d = e
            .failure("sshd", ip(&format!("203.0.113.{i}")), 3, T0, T0)
            .expect("ok");
        assert!(matches!(d, Decision::Ban(_)));
    }
    assert_eq!(
        e.failure("sshd", ip("203.0.113.9"), 3, T0, T0),
        Ok(Decision::Ignored(IgnoreReason::BanCapacity))
    );
    assert_eq!(
        e.manual_ban(net("203.0.113.9/32"), Some("sshd"), None, T0),
        Ok(Decision::Ignored(IgnoreReason::BanCapacity))
    );
    // The manual jail has its own cap.
    assert!(matches!(
        e.manual_ban(net("203.0.113.9/32"), None, None, T0),
        Ok(Decision::Ban(_))
    ));
}

#[test]
fn history_per_jail_is_capped() {
    let limits = Limits {
        max_history_keys: 2,
        ..Limits::default()
    };
    let mut e = Engine::new(vec![incremental()], limits, 0).expect("valid");
    for i in 0..5u8 {
        let t = T0 + i64::from(i);
        e.manual_ban(net(&format!("203.0.113.{i}/32")), Some("sshd"), Some(1), t)
            .expect("ok")
            .ignore();
    }
    assert_eq!(e.history().filter(|(j, _, _)| *j == "sshd").count(), 2);
}

impl Decision {
    /// Test helper: discard a decision explicitly.
    fn ignore(self) {}
}

/// A late restore (the database opened after bans were made in memory)
/// merges: it never shortens a ban nor lowers a count.
#[test]
fn late_restore_never_shortens_a_newer_ban() {
    let mut e = engine(vec![sshd()]);
    // Made while the database was closed: ends at T0 + 10 min.
    let d = feed(&mut e, "sshd", "192.0.2.60", &[T0, T0, T0]);
    assert_eq!(ban_of(&d[2]).end_ms, Some(T0 + 10 * MIN));
    // The stored one is older and ends sooner, but counted more bans.
    let stored = BanOrder {
        key: net("192.0.2.60/32"),
        jail: "sshd".into(),
        start_ms: T0 - 5 * MIN,
        end_ms: Some(T0 + 5 * MIN),
        ban_count: 4,
        failures: 3,
    };
    let d = e.restore_ban(stored.clone(), T0 + MIN).expect("ok");
    let merged = ban_of(&d);
    assert_eq!(merged.end_ms, Some(T0 + 10 * MIN));
    assert_eq!(merged.ban_count, 4);
    assert!(e.expire(T0 + 5 * MIN + 1).is_empty());
    assert_eq!(e.expire(T0 + 10 * MIN + 1).len(), 1);

    // A stored ban that ends later than the live one lengthens it.
    let d = feed(&mut e, "sshd", "192.0.2.61", &[T0, T0, T0]);
    assert_eq!(ban_of(&d[2]).end_ms, Some(T0 + 10 * MIN));
    let longer = BanOrder {
        key: net("192.0.2.61/32"),
        end_ms: Some(T0 + 12 * MIN),
        start_ms: T0 + 2 * MIN,
        ..stored
    };
    let d = e.restore_ban(longer, T0 + MIN).expect("ok");
    assert_eq!(ban_of(&d).end_ms, Some(T0 + 12 * MIN));

    // A permanent ban stays permanent.
    let manual = BanOrder {
        key: net("192.0.2.62/32"),
        jail: MANUAL_JAIL.into(),
        start_ms: T0,
        end_ms: None,
        ban_count: 1,
        failures: 0,
    };
    ban_of(&e.restore_ban(manual.clone(), T0).expect("ok"));
    let timed = BanOrder {
        end_ms: Some(T0 + 5 * MIN),
        start_ms: T0 - MIN,
        ..manual
    };
    assert_eq!(ban_of(&e.restore_ban(timed, T0).expect("ok")).end_ms, None);
    let ended = e.expire(T0 + 60 * MIN);
    assert!(ended.iter().all(|b| b.jail != MANUAL_JAIL), "{ended:?}");
}

#[test]
fn late_history_restore_keeps_the_larger_count() {
    let mut e = engine(vec![incremental()]);
    let key = net("192.0.2.63/32");
    let count = |e: &Engine| {
        e.history()
            .find(|(j, k, _)| *j == "sshd" && **k == key)
            .map(|(_, _, h)| *h)
            .expect("history")
    };
    e.restore_history(
        key,
        "sshd",
        History {
            ban_count: 3,
            last_ban_ms: T0,
        },
    )
    .expect("known jail");
    // The stored history is older and smaller: nothing is lost.
    e.restore_history(
        key,
        "sshd",
        History {
            ban_count: 1,
            last_ban_ms: T0 - 60 * MIN,
        },
    )
    .expect("known jail");
    assert_eq!(
        count(&e),
        History {
            ban_count: 3,
            last_ban_ms: T0
        }
    );
    // A larger count or a later ban is taken.
    e.restore_history(
        key,
        "sshd",
        History {
            ban_count: 5,
            last_ban_ms: T0 - MIN,
        },
    )
    .expect("known jail");
    assert_eq!(
        count(&e),
        History {
            ban_count: 5,
            last_ban_ms: T0
        }
    );
}
