//! Explicit expectations for every default template, custom patterns,
//! year rollover, zones, bounds and hostile input. Expectations are computed
//! with chrono from the wall-clock text, in UTC (via `set_default_tz("UTC")`)
//! unless the test is about local time.

use std::time::{Duration, Instant};

use chrono::{Local, NaiveDate, TimeZone};
use clawguard_logtime::{DATE_SEARCH_LIMIT_BYTES, DateDetector, DateError};

/// 2005-08-14 10:00:00 UTC.
const NOW_MS: i64 = 1_124_013_600_000;

fn utc_ms(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32, ms: u32) -> i64 {
    NaiveDate::from_ymd_opt(y, mo, d)
        .and_then(|date| date.and_hms_milli_opt(h, mi, s, ms))
        .expect("valid test date")
        .and_utc()
        .timestamp_millis()
}

fn detector(pattern: Option<&str>) -> DateDetector {
    let mut d = DateDetector::new(pattern).expect("pattern compiles");
    d.set_default_tz(Some("UTC")).expect("UTC is valid");
    d
}

/// 2005-01-23 21:59:59 UTC, the date most cases below write in some format.
fn jan23() -> i64 {
    utc_ms(2005, 1, 23, 21, 59, 59, 0)
}

#[test]
fn every_default_template() {
    let cases: &[(&str, &str, i64)] = &[
        // ISO 8601 / simple date, fractions and zones
        ("2005-01-23 21:59:59 sshd", "2005-01-23 21:59:59", jan23()),
        (
            "2005-01-23T21:59:59.981 x",
            "2005-01-23T21:59:59.981",
            jan23() + 981,
        ),
        (
            "2005-01-23T20:59:59.252Z x",
            "2005-01-23T20:59:59.252Z",
            jan23() - 3_600_000 + 252,
        ),
        (
            "2005-01-23T15:59:59-05:00 x",
            "2005-01-23T15:59:59-05:00",
            jan23() - 3_600_000,
        ),
        (
            "2005-01-23 22:59:59 +0100 x",
            "2005-01-23 22:59:59 +0100",
            jan23(),
        ),
        ("2005/01/23 21:59:59 x", "2005/01/23 21:59:59", jan23()),
        ("2005.01.23 21:59:59 x", "2005.01.23 21:59:59", jan23()),
        (
            "2005-01-23 21:59:59,000 proftpd",
            "2005-01-23 21:59:59,000",
            jan23(),
        ),
        // syslog, year-less (resolved against NOW_MS: 2005)
        (
            "Jan 23 21:59:59 host sshd[1]: x",
            "Jan 23 21:59:59",
            jan23(),
        ),
        (
            "Sun Jan 23 21:59:59 2005 x",
            "Sun Jan 23 21:59:59 2005",
            jan23(),
        ),
        (
            "Sun Jan 23 21:59:59.011 2005 x",
            "Sun Jan 23 21:59:59.011 2005",
            jan23() + 11,
        ),
        (
            "Sun Jan 23 2005 21:59:59 x",
            "Sun Jan 23 2005 21:59:59",
            jan23(),
        ),
        (
            "Jul  4 05:06:07 host x",
            "Jul  4 05:06:07",
            utc_ms(2005, 7, 4, 5, 6, 7, 0),
        ),
        // day first
        ("23/01/2005 21:59:59 x", "23/01/2005 21:59:59", jan23()),
        ("23/01/05 21:59:59 x", "23/01/05 21:59:59", jan23()),
        ("23-01-2005 21:59:59 x", "23-01-2005 21:59:59", jan23()),
        // Apache
        (
            "[23/Jan/2005:21:59:59 +0100] x",
            "23/Jan/2005:21:59:59 +0100",
            jan23() - 3_600_000,
        ),
        ("23/Jan/2005:21:59:59 x", "23/Jan/2005:21:59:59", jan23()),
        (
            "23-Jan-2005 21:59:59.02 x",
            "23-Jan-2005 21:59:59.02",
            jan23() + 20,
        ),
        // CPanel, month first
        ("01/23/2005:21:59:59 x", "01/23/2005:21:59:59", jan23()),
        (
            "01-23-2005 21:59:59.252 x",
            "01-23-2005 21:59:59.252",
            jan23() + 252,
        ),
        // epoch
        ("1106517599 x", "1106517599", jan23()),
        ("1106517599.123 x", "1106517599.123", jan23() + 123),
        ("[1106517599.000] x", "1106517599.000", jan23()),
        (
            "type=USER_AUTH msg=audit(1106517599.000:987): x",
            "1106517599.000",
            jan23(),
        ),
        // time only at line start: today, or yesterday if later than now
        ("09:00:00 x", "09:00:00", utc_ms(2005, 8, 14, 9, 0, 0, 0)),
        ("21:59:59 x", "21:59:59", utc_ms(2005, 8, 13, 21, 59, 59, 0)),
        // <09/16/08@05:03:30>
        ("<01/23/05@21:59:59> x", "<01/23/05@21:59:59>", jan23()),
        // MySQL
        ("050123 21:59:59 x", "050123 21:59:59", jan23()),
        (
            "050123  1:59:59 x",
            "050123  1:59:59",
            utc_ms(2005, 1, 23, 1, 59, 59, 0),
        ),
        // Tomcat
        (
            "Jan 23, 2005 9:59:59 PM x",
            "Jan 23, 2005 9:59:59 PM",
            jan23(),
        ),
        // ASSP
        ("Jan-23-05 21:59:59 x", "Jan-23-05 21:59:59", jan23()),
        // compact ISO
        ("20050123T215959 x", "20050123T215959", jan23()),
        ("20050123 215959 x", "20050123 215959", jan23()),
        // zone name / offset in front (monit)
        ("CET Jan 23 22:59:59 x", "CET Jan 23 22:59:59", jan23()),
        (
            "+01:00 Jan 23 22:59:59 2005 x",
            "+01:00 Jan 23 22:59:59 2005",
            jan23(),
        ),
        // TAI64N
        (
            "@4000000041f4104f00000000 x",
            "@4000000041f4104f00000000",
            jan23() - 3_600_000,
        ),
    ];
    for &(line, text, want_ms) in cases {
        let mut d = detector(None);
        let got = d
            .detect(line, NOW_MS)
            .unwrap_or_else(|| panic!("no date in {line:?}"));
        assert_eq!(&line[got.span.clone()], text, "span for {line:?}");
        assert_eq!(got.time_ms, want_ms, "time for {line:?}");
    }
}

#[test]
fn boundaries_of_default_templates() {
    // Not at a word start, or glued to more digits: no date.
    for line in [
        "word-boundaryJan 23 21:59:59 x",
        "Test failure TestJan 23 21:59:59.011 2015 x",
        "Test failure Jan 23 21:59:59123456789 x",
        "1138049999A x",
        "A1138049999 x",
        "123456789 x",
        "no date line",
        "",
    ] {
        assert_eq!(detector(None).detect(line, NOW_MS), None, "{line:?}");
    }
    // An optional year that is not a word is left out.
    let line = "Aug 8 11:25:50 20030f2329b8 Authentication failed";
    let got = detector(None).detect(line, NOW_MS).expect("date");
    assert_eq!(&line[got.span], "Aug 8 11:25:50");
}

#[test]
fn year_rollover() {
    // now = 2026-01-01 00:30 UTC
    let now = utc_ms(2026, 1, 1, 0, 30, 0, 0);
    let mut d = detector(None);
    let at = |d: &mut DateDetector, line: &str| d.detect(line, now).expect("date").time_ms;
    assert_eq!(
        at(&mut d, "Dec 31 23:59:59 h x"),
        utc_ms(2025, 12, 31, 23, 59, 59, 0)
    );
    // Less than a day ahead: clock skew, same year.
    assert_eq!(
        at(&mut d, "Jan  2 00:00:00 h x"),
        utc_ms(2026, 1, 2, 0, 0, 0, 0)
    );
    // More than a day ahead: last year.
    assert_eq!(
        at(&mut d, "Jan  2 00:30:01 h x"),
        utc_ms(2025, 1, 2, 0, 30, 1, 0)
    );
    assert_eq!(
        at(&mut d, "Jun 15 12:00:00 h x"),
        utc_ms(2025, 6, 15, 12, 0, 0, 0)
    );
    // Feb 29 that would move to a non-leap year: no valid date.
    let now_2024 = utc_ms(2024, 1, 10, 0, 0, 0, 0);
    assert_eq!(d.detect("Feb 29 10:00:00 h x", now_2024), None);
    assert_eq!(
        d.detect("Feb 29 10:00:00 h x", utc_ms(2024, 3, 1, 0, 0, 0, 0))
            .map(|m| m.time_ms),
        Some(utc_ms(2024, 2, 29, 10, 0, 0, 0))
    );
}

#[test]
fn invalid_dates_give_none() {
    let mut d = detector(None);
    assert_eq!(d.detect("Feb 30 10:00:00 h x", NOW_MS), None);
    assert_eq!(d.detect("Jan 23 21:59:60 h x", NOW_MS), None);
    let mut d = detector(Some("^%Y-%m-%d %H:%M:%S"));
    assert_eq!(d.detect("0000-01-01 00:00:00 x", NOW_MS), None);
}

#[test]
fn zone_less_dates_are_local_by_default() {
    let mut d = DateDetector::new(None).expect("defaults");
    let got = d.detect("2005-01-23 21:59:59 x", NOW_MS).expect("date");
    let naive = NaiveDate::from_ymd_opt(2005, 1, 23)
        .and_then(|x| x.and_hms_opt(21, 59, 59))
        .expect("valid");
    let want = Local
        .from_local_datetime(&naive)
        .earliest()
        .expect("exists")
        .timestamp_millis();
    assert_eq!(got.time_ms, want);
    // An explicit zone wins over local time.
    let got = d
        .detect("2005-01-23 21:59:59 +0000 x", NOW_MS)
        .expect("date");
    assert_eq!(got.time_ms, jan23());
}

#[test]
fn log_timezone() {
    let line = "2017-01-23 15:00:00 x";
    let base = utc_ms(2017, 1, 23, 15, 0, 0, 0);
    for (zone, offset_min) in [
        ("UTC", 0),
        ("UTC+0300", 180),
        ("UTC-0430", -270),
        ("GMT+12", 720),
        ("CET", 60),
        ("CEST", 120),
        ("+0100", 60),
        ("CET+0130", 150),
    ] {
        let mut d = DateDetector::new(None).expect("defaults");
        d.set_default_tz(Some(zone)).expect("valid zone");
        let got = d.detect(line, NOW_MS).expect("date");
        assert_eq!(got.time_ms, base - offset_min * 60_000, "zone {zone}");
        // The zone in the line wins.
        let got = d.detect("2017-01-23 15:00:00 GMT x", NOW_MS).expect("date");
        assert_eq!(got.time_ms, base, "zone {zone} vs GMT");
    }
    let mut d = DateDetector::new(None).expect("defaults");
    assert!(matches!(
        d.set_default_tz(Some("WRONG-TZ")),
        Err(DateError::InvalidTimeZone { .. })
    ));
    assert!(d.set_default_tz(Some("Europe/Paris")).is_err());
    assert!(d.set_default_tz(None).is_ok());
}

/// (datepattern, line, expected (date text, epoch ms)).
type CustomCase = (&'static str, &'static str, Option<(&'static str, i64)>);

#[test]
fn custom_patterns() {
    let cases: &[CustomCase] = &[
        (
            r"^%Y-%m-%d %H:%M:%S",
            "2005-01-23 21:59:59 x",
            Some(("2005-01-23 21:59:59", jan23())),
        ),
        (r"^%Y-%m-%d %H:%M:%S", "x 2005-01-23 21:59:59", None),
        (
            r"^\[%d/%b/%Y %H:%M:%S\]",
            "[23/Jan/2005 21:59:59] x",
            Some(("[23/Jan/2005 21:59:59]", jan23())),
        ),
        (
            r"^L %d/%m/%Y - %H:%M:%S",
            "L 23/01/2005 - 21:59:59: x",
            Some(("L 23/01/2005 - 21:59:59", jan23())),
        ),
        (
            r"^t=%Y-%m-%dT%H:%M:%S%z",
            "t=2005-01-23T22:59:59+0100 lvl",
            Some(("t=2005-01-23T22:59:59+0100", jan23())),
        ),
        (
            r"^%b %d, %ExY %I:%M:%S %p",
            "Jan 23, 2005 9:59:59 PM x",
            Some(("Jan 23, 2005 9:59:59 PM", jan23())),
        ),
        (
            r"^%b %d, %ExY %I:%M:%S %p",
            "Jan 23, 2005 12:00:01 AM x",
            Some(("Jan 23, 2005 12:00:01 AM", utc_ms(2005, 1, 23, 0, 0, 1, 0))),
        ),
        (
            r"{^LN-BEG}%b-%d-%Exy %H:%M:%S",
            "Jan-23-05 21:59:59 x",
            Some(("Jan-23-05 21:59:59", jan23())),
        ),
        (
            r"%d/%b[^/]*/%Y:%H:%M:%S %z",
            "x [23/Jan/2005:22:59:59 +0100] y",
            Some(("23/Jan/2005:22:59:59 +0100", jan23())),
        ),
        (
            r"^[^\[]*\[({DATE})",
            "client 192.0.2.1 [Sun Jan 23 21:59:59.011 2005] x",
            Some(("Sun Jan 23 21:59:59.011 2005", jan23() + 11)),
        ),
        (
            r"^<\d+>\d+\s+{DATE}",
            "<34>1 2005-01-23T21:59:59Z host app",
            Some(("<34>1 2005-01-23T21:59:59Z", jan23())),
        ),
        (
            r"^%j %Y %H:%M:%S",
            "023 2005 21:59:59 x",
            Some(("023 2005 21:59:59", jan23())),
        ),
        (
            r"^%ExY-%Exm-%Exd %H:%M:%S(?: ?%Exz)?",
            "2005-01-23 22:59:59 CET x",
            Some(("2005-01-23 22:59:59 CET", jan23())),
        ),
        (
            "EPOCH",
            "audit(1106517599.555:101) x",
            Some(("1106517599.555", jan23() + 555)),
        ),
        (
            "LEPOCH",
            "1106517599555 x",
            Some(("1106517599555", jan23() + 555)),
        ),
        (
            "LEPOCH",
            "1106517599555123 x",
            Some(("1106517599555123", jan23() + 555)),
        ),
        (
            r"(?<=\|\s){LEPOCH}(?=\s\|)",
            "auth | 1106517599 | bad",
            Some(("1106517599", jan23())),
        ),
        (
            "{^LN-BEG}TAI64N",
            "@4000000041f4104f00000000 x",
            Some(("@4000000041f4104f00000000", jan23() - 3_600_000)),
        ),
        (
            "TAI64N",
            "x @4000000041f4104f0bebc200 y",
            Some(("@4000000041f4104f0bebc200", jan23() - 3_600_000 + 200)),
        ),
        (
            "ISO8601",
            "2005-01-23T21:59:59Z x",
            Some(("2005-01-23T21:59:59Z", jan23())),
        ),
        (
            "{^LN-BEG}",
            "Jan 23 21:59:59 h",
            Some(("Jan 23 21:59:59", jan23())),
        ),
        ("{^LN-BEG}", "x Jan 23 21:59:59 h", None),
        // `**` removes the word boundary.
        (
            r"**%H:%M:%S %d.%m.%Y**",
            "192.0.2.1x21:59:59 23.01.2005",
            Some(("21:59:59 23.01.2005", jan23())),
        ),
        (r"%H:%M:%S %d.%m.%Y", "192.0.2.1x21:59:59 23.01.2005", None),
        // A literal percent sign.
        (
            r"^%%%Y-%m-%d %H:%M:%S",
            "%2005-01-23 21:59:59 x",
            Some(("%2005-01-23 21:59:59", jan23())),
        ),
    ];
    for &(pattern, line, want) in cases {
        let got = detector(Some(pattern)).detect(line, NOW_MS);
        let got = got.map(|m| (&line[m.span], m.time_ms));
        assert_eq!(got, want, "pattern {pattern:?} line {line:?}");
    }
}

#[test]
fn no_date_pattern_gives_now_and_empty_span() {
    let mut d = detector(Some("{NONE}"));
    let got = d
        .detect("2005-01-23 21:59:59 text", NOW_MS)
        .expect("always matches");
    assert_eq!(got.span, 0..0);
    assert_eq!(got.time_ms, NOW_MS);
}

#[test]
fn several_patterns_in_order() {
    let mut d = detector(Some("^%Y-%m-%d %H:%M:%S\n\n  {^LN-BEG}EPOCH  \n"));
    assert_eq!(
        d.detect("2005-01-23 21:59:59 x", NOW_MS).map(|m| m.time_ms),
        Some(jan23())
    );
    assert_eq!(
        d.detect("1106517599 x", NOW_MS).map(|m| m.time_ms),
        Some(jan23())
    );
    assert_eq!(d.detect("Jan 23 21:59:59 x", NOW_MS), None);
}

#[test]
fn bad_patterns_are_errors() {
    for pattern in [
        "%q",
        "^%Y-%m-%d %H:%M:%S %Exb",
        "(%Y",
        "%H:%M:%S\n%H:%M:%S",
        "%H %H",
    ] {
        let err = DateDetector::new(Some(pattern)).expect_err(pattern);
        assert!(
            matches!(err, DateError::InvalidPattern { .. }),
            "{pattern}: {err}"
        );
        assert!(err.to_string().contains("invalid datepattern"), "{err}");
    }
}

/// Every `datepattern` in the installed fail2ban filters compiles.
#[test]
fn installed_filter_datepatterns_compile() {
    let Ok(dir) = std::fs::read_dir("/etc/fail2ban/filter.d") else {
        eprintln!("skipping: /etc/fail2ban/filter.d not present");
        return;
    };
    let mut checked = 0;
    for entry in dir.flatten() {
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        for line in text.lines() {
            let Some(value) = line.trim_start().strip_prefix("datepattern") else {
                continue;
            };
            let Some(value) = value.trim_start().strip_prefix('=') else {
                continue;
            };
            let value = value.trim();
            // Interpolated values (`%(x)s`, `<x>`) are resolved by the config reader.
            if value.contains("%(") || value.starts_with('<') || line.trim_start().starts_with('#')
            {
                continue;
            }
            let pattern = value.replace("%%", "%");
            DateDetector::new(Some(&pattern))
                .unwrap_or_else(|e| panic!("{}: {e}", entry.path().display()));
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} datepatterns found");
}

#[test]
fn last_template_is_tried_first_and_switches() {
    let mut d = detector(None);
    for i in 0..20 {
        let line = format!("Jan 23 21:59:{i:02} host x");
        let got = d.detect(&line, NOW_MS).expect("date");
        assert_eq!(got.time_ms, jan23() - 59_000 + i * 1000);
    }
    // Format change: found again by searching.
    let got = d
        .detect("2005-01-23 21:59:59 host x", NOW_MS)
        .expect("date");
    assert_eq!(got.span, 0..19);
    let got = d.detect("Jan 23 21:59:59 host x", NOW_MS).expect("date");
    assert_eq!(got.span, 0..15);
}

#[test]
fn huge_line_is_bounded() {
    let mut d = detector(None);
    // No date at all, 10 MB of digits and separators that look date-ish.
    let junk = "12:3 2005-1 Jan 4 ".repeat(10 * 1024 * 1024 / 18);
    let start = Instant::now();
    assert_eq!(d.detect(&junk, NOW_MS), None);
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "took {:?}",
        start.elapsed()
    );
    // A date at the start of a huge line is found.
    let line = format!("Jan 23 21:59:59 {junk}");
    assert_eq!(d.detect(&line, NOW_MS).map(|m| m.span), Some(0..15));
    // A date beyond the limit is not looked for.
    let line = format!(
        "{} 2005-01-23 21:59:59 x",
        "x".repeat(DATE_SEARCH_LIMIT_BYTES)
    );
    assert_eq!(detector(None).detect(&line, NOW_MS), None);
    // A date cut by the limit is not misread as a shorter one.
    let pad = "x".repeat(DATE_SEARCH_LIMIT_BYTES - 17);
    let line = format!("{pad} 2005-01-23 21:59:59 and more text");
    assert_eq!(detector(None).detect(&line, NOW_MS), None);
    // Custom regex with nested quantifiers stays bounded too.
    let mut d = detector(Some(r"^(?:a+)+b{DATE}"));
    let line = "a".repeat(10 * 1024 * 1024);
    let start = Instant::now();
    assert_eq!(d.detect(&line, NOW_MS), None);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "took {:?}",
        start.elapsed()
    );
}

#[test]
fn hostile_input_does_not_panic() {
    let mut d = detector(None);
    let mut custom = detector(Some(
        "^[^\\[]*\\[({DATE})\n{^LN-BEG}\nEPOCH\nLEPOCH\nTAI64N\n%j %U %a %w %y %H",
    ));
    let samples = [
        "\u{0}\u{1}\u{2}",
        "ñññ Jan 23 21:59:59",
        "Jan 23 21:59:59ñ",
        "[ñ Jan 99 99:99:99]",
        "@4000000041f4104fzzzzzzzz",
        "@ffffffffffffffffffffffff x",
        "99999999999 x",
        "99999999999999999 x",
        "2005-13-45 25:61:61 x",
        "366 53 Sun 6 99 23",
        "\u{feff}Jan 23 21:59:59 x",
        "  \t Jan 23 21:59:59",
    ];
    let mut seed: u32 = 12345;
    let mut random = String::new();
    for _ in 0..2000 {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
        let c = char::from_u32(seed >> 16 & 0x7ff).unwrap_or('x');
        random.push(c);
    }
    for line in samples.iter().copied().chain([random.as_str()]) {
        for now in [NOW_MS, 0, -1, i64::MAX / 2, i64::MIN / 2] {
            for det in [&mut d, &mut custom] {
                if let Some(m) = det.detect(line, now) {
                    assert!(
                        line.get(m.span.clone()).is_some(),
                        "span {:?} in {line:?}",
                        m.span
                    );
                }
            }
        }
    }
}

/// Throughput figure for the report; run with `--ignored --nocapture`.
#[test]
#[ignore = "timing only"]
fn throughput() {
    let lines: Vec<String> = (0..200_000)
        .map(|i| {
            format!(
                "Jan {:2} {:02}:{:02}:{:02} host sshd[{}]: Failed password for root from 192.0.2.{} port 22 ssh2",
                1 + i % 28,
                i % 24,
                i % 60,
                i % 60,
                1000 + i,
                i % 250
            )
        })
        .collect();
    for (name, pattern) in [("default", None), ("{^LN-BEG}", Some("{^LN-BEG}"))] {
        let mut d = detector(pattern);
        let start = Instant::now();
        let mut found = 0;
        for line in &lines {
            found += usize::from(d.detect(line, NOW_MS).is_some());
        }
        let elapsed = start.elapsed();
        assert_eq!(found, lines.len());
        eprintln!(
            "{name}: {} lines in {elapsed:?} = {:?}/line",
            lines.len(),
            elapsed / 200_000
        );
    }
    let mut d = detector(None);
    let start = Instant::now();
    for _ in 0..20_000 {
        assert_eq!(
            d.detect(
                "no date in this line at all, just some words about 192.0.2.1 and things",
                NOW_MS
            ),
            None
        );
    }
    eprintln!("no-date line: {:?}/line", start.elapsed() / 20_000);
}

/// The regex-free syslog path gives the same answers as the regex.
#[test]
fn syslog_shortcut_agrees_with_regex() {
    let lines = [
        "Jan 23 21:59:59 host a",
        "jan 23 21:59:59 host lower-case",
        "Jan  3 01:02:03 host padded",
        "Jan 03 01:02:03 host zero",
        "Jan 23 21:59:59",
        "Jan 23 21:59:59: colon",
        "Jan 23 21:59:59.123 fraction",
        "Jan 23 21:59:59 2005 year",
        "Jan 23 21:59:59 1234 not-a-year",
        "Jan 23 21:59:59x glued",
        "Jan 23 21:59:59_ glued",
        "Jan 32 21:59:59 bad day",
        "Jan 00 21:59:59 bad day",
        "Jan 23 31:59:59 bad hour",
        "Jan 23 24:59:59 bad hour",
        "Jan 23 21:59:60 leap",
        "Feb 30 21:59:59 invalid",
        "Jan 23 21:59:59\tTab",
        "Jan 23 21:59:59ñ",
        "Xyz 23 21:59:59 host",
    ];
    for line in lines {
        // Warm up on a syslog line so the shortcut is active, then compare with
        // a detector whose last template is a different one (regex path).
        let mut fast = detector(None);
        assert!(
            fast.detect("Jan 23 21:59:59 host warm-up", NOW_MS)
                .is_some()
        );
        let mut slow = detector(None);
        assert!(
            slow.detect("2005-01-23 21:59:59 host warm-up", NOW_MS)
                .is_some()
        );
        assert_eq!(
            fast.detect(line, NOW_MS),
            slow.detect(line, NOW_MS),
            "{line:?}"
        );
    }
}

#[test]
fn detector_can_move_between_threads() {
    fn assert_send<T: Send>() {}
    assert_send::<DateDetector>();
    let mut d = detector(None);
    let handle =
        std::thread::spawn(move || d.detect("Jan 23 21:59:59 x", NOW_MS).map(|m| m.time_ms));
    assert_eq!(handle.join().expect("thread ran"), Some(jan23()));
}

/// Repeated syslog prefixes reuse their last resolution only for the same
/// text and the same clock: a new clock (year rollover) or a new second
/// resolves again.
#[test]
fn repeated_syslog_prefix_follows_text_and_clock() {
    let mut d = detector(None);
    let line = "Dec 31 23:59:59 host sshd[1]: x";
    let jan1_2006 = utc_ms(2006, 1, 1, 0, 0, 10, 0);
    let dec31_2006 = utc_ms(2006, 12, 31, 23, 59, 59, 0);
    for _ in 0..3 {
        let found = d.detect(line, jan1_2006).expect("a date");
        assert_eq!(found.time_ms, utc_ms(2005, 12, 31, 23, 59, 59, 0));
        assert_eq!(found.span, 0..15);
    }
    assert_eq!(
        d.detect(line, dec31_2006).expect("a date").time_ms,
        dec31_2006
    );
    let next = "Dec 31 23:59:58 host sshd[1]: x";
    assert_eq!(
        d.detect(next, dec31_2006).expect("a date").time_ms,
        dec31_2006 - 1000
    );
    // A new zone drops the memo.
    d.set_default_tz(Some("UTC+0100")).expect("zone");
    assert_eq!(
        d.detect(next, dec31_2006).expect("a date").time_ms,
        dec31_2006 - 1000 - 3_600_000
    );
}
