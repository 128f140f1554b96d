//! Time zone designators as fail2ban understands them: fixed offsets only.
//! A designator is an optional abbreviation (`CET`, `UTC`, …) followed by an
//! optional signed offset (`+01`, `+0130`, `-04:30`); the two add up. Named
//! zones with DST rules (`Europe/Paris`) are not supported, as in fail2ban.

/// Abbreviation → offset east of UTC in minutes. Fixed offsets, no DST
/// switching: `CET` is always +01:00 (use `CEST` for summer time).
const ABBREVIATIONS: &[(&str, i32)] = &[
    ("Y", -720),
    ("X", -660),
    ("NUT", -660),
    ("SST", -660),
    ("W", -600),
    ("CKT", -600),
    ("HAST", -600),
    ("HST", -600),
    ("TAHT", -600),
    ("TKT", -600),
    ("V", -540),
    ("AKST", -540),
    ("GAMT", -540),
    ("GIT", -540),
    ("HADT", -540),
    ("HNY", -540),
    ("U", -480),
    ("AKDT", -480),
    ("CIST", -480),
    ("HAY", -480),
    ("HNP", -480),
    ("PST", -480),
    ("PT", -480),
    ("T", -420),
    ("HAP", -420),
    ("HNR", -420),
    ("MST", -420),
    ("PDT", -420),
    ("S", -360),
    ("CST", -360),
    ("EAST", -360),
    ("GALT", -360),
    ("HAR", -360),
    ("HNC", -360),
    ("MDT", -360),
    ("R", -300),
    ("CDT", -300),
    ("COT", -300),
    ("EASST", -300),
    ("ECT", -300),
    ("EST", -300),
    ("ET", -300),
    ("HAC", -300),
    ("HNE", -300),
    ("PET", -300),
    ("Q", -240),
    ("AST", -240),
    ("BOT", -240),
    ("CLT", -240),
    ("COST", -240),
    ("EDT", -240),
    ("FKT", -240),
    ("GYT", -240),
    ("HAE", -240),
    ("HNA", -240),
    ("PYT", -240),
    ("P", -180),
    ("ADT", -180),
    ("ART", -180),
    ("BRT", -180),
    ("CLST", -180),
    ("FKST", -180),
    ("GFT", -180),
    ("HAA", -180),
    ("PMST", -180),
    ("PYST", -180),
    ("SRT", -180),
    ("UYT", -180),
    ("WGT", -180),
    ("O", -120),
    ("BRST", -120),
    ("FNT", -120),
    ("PMDT", -120),
    ("UYST", -120),
    ("WGST", -120),
    ("N", -60),
    ("AZOT", -60),
    ("CVT", -60),
    ("EGT", -60),
    ("Z", 0),
    ("EGST", 0),
    ("GMT", 0),
    ("UTC", 0),
    ("WET", 0),
    ("WT", 0),
    ("A", 60),
    ("CET", 60),
    ("DFT", 60),
    ("WAT", 60),
    ("WEDT", 60),
    ("WEST", 60),
    ("B", 120),
    ("CAT", 120),
    ("CEDT", 120),
    ("CEST", 120),
    ("EET", 120),
    ("SAST", 120),
    ("WAST", 120),
    ("C", 180),
    ("EAT", 180),
    ("EEDT", 180),
    ("EEST", 180),
    ("IDT", 180),
    ("MSK", 180),
    ("D", 240),
    ("AMT", 240),
    ("AZT", 240),
    ("GET", 240),
    ("GST", 240),
    ("KUYT", 240),
    ("MSD", 240),
    ("MUT", 240),
    ("RET", 240),
    ("SAMT", 240),
    ("SCT", 240),
    ("E", 300),
    ("AMST", 300),
    ("AQTT", 300),
    ("AZST", 300),
    ("HMT", 300),
    ("MAWT", 300),
    ("MVT", 300),
    ("PKT", 300),
    ("TFT", 300),
    ("TJT", 300),
    ("TMT", 300),
    ("UZT", 300),
    ("YEKT", 300),
    ("F", 360),
    ("ALMT", 360),
    ("BIOT", 360),
    ("BTT", 360),
    ("IOT", 360),
    ("KGT", 360),
    ("NOVT", 360),
    ("OMST", 360),
    ("YEKST", 360),
    ("G", 420),
    ("CXT", 420),
    ("DAVT", 420),
    ("HOVT", 420),
    ("ICT", 420),
    ("KRAT", 420),
    ("NOVST", 420),
    ("OMSST", 420),
    ("THA", 420),
    ("WIB", 420),
    ("H", 480),
    ("ACT", 480),
    ("AWST", 480),
    ("BDT", 480),
    ("BNT", 480),
    ("CAST", 480),
    ("HKT", 480),
    ("IRKT", 480),
    ("KRAST", 480),
    ("MYT", 480),
    ("PHT", 480),
    ("SGT", 480),
    ("ULAT", 480),
    ("WITA", 480),
    ("WST", 480),
    ("I", 540),
    ("AWDT", 540),
    ("IRKST", 540),
    ("JST", 540),
    ("KST", 540),
    ("PWT", 540),
    ("TLT", 540),
    ("WDT", 540),
    ("WIT", 540),
    ("YAKT", 540),
    ("K", 600),
    ("AEST", 600),
    ("ChST", 600),
    ("PGT", 600),
    ("VLAT", 600),
    ("YAKST", 600),
    ("YAPT", 600),
    ("L", 660),
    ("AEDT", 660),
    ("LHDT", 660),
    ("MAGT", 660),
    ("NCT", 660),
    ("PONT", 660),
    ("SBT", 660),
    ("VLAST", 660),
    ("VUT", 660),
    ("M", 720),
    ("ANAST", 720),
    ("ANAT", 720),
    ("FJT", 720),
    ("GILT", 720),
    ("MAGST", 720),
    ("MHT", 720),
    ("NZST", 720),
    ("PETST", 720),
    ("PETT", 720),
    ("TVT", 720),
    ("WFT", 720),
    ("FJST", 780),
    ("NZDT", 780),
    ("NFT", 690),
    ("ACDT", 630),
    ("LHST", 630),
    ("ACST", 570),
    ("CCT", 390),
    ("MMT", 390),
    ("NPT", 345),
    ("SLT", 330),
    ("AFT", 270),
    ("IRDT", 270),
    ("IRST", 210),
    ("HAT", -150),
    ("NDT", -150),
    ("HNT", -210),
    ("NST", -210),
    ("NT", -210),
    ("HLV", -270),
    ("VET", -270),
    ("MART", -570),
    ("MIT", -570),
];

/// Offset of a zone abbreviation, case-sensitive like fail2ban.
fn abbreviation_offset(abbr: &str) -> Option<i32> {
    ABBREVIATIONS
        .iter()
        .find(|(name, _)| *name == abbr)
        .map(|&(_, minutes)| minutes)
}

/// Parses a zone designator into minutes east of UTC: `[ABBR][(+|-)hh[[:]mm]]`,
/// where ABBR is one or 3–5 upper-case letters. The empty string is UTC.
/// Returns `None` for anything else, including unknown abbreviations.
pub(crate) fn parse_zone(text: &str) -> Option<i32> {
    let bytes = text.as_bytes();
    let abbr_len = bytes.iter().take_while(|b| b.is_ascii_uppercase()).count();
    let abbr_len = match abbr_len {
        0 | 1 => abbr_len,
        2 => 1, // "AB…": only "A" can be the abbreviation, the rest must be an offset
        3..=5 => abbr_len,
        _ => return None,
    };
    let base = if abbr_len == 0 {
        0
    } else {
        abbreviation_offset(&text[..abbr_len])?
    };
    let rest = &bytes[abbr_len..];
    if rest.is_empty() {
        return Some(base);
    }
    let sign = match rest[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digit = |i: usize| -> Option<i32> {
        rest.get(i)
            .filter(|b| b.is_ascii_digit())
            .map(|b| i32::from(b - b'0'))
    };
    // Hours: first digit 0 or 1, as fail2ban's `[01]\d`.
    let h1 = digit(1).filter(|d| *d <= 1)?;
    let h2 = digit(2)?;
    let hours = h1 * 10 + h2;
    let minutes = match rest.len() {
        3 => 0,
        5 => digit(3)? * 10 + digit(4)?,
        6 if rest[3] == b':' => digit(4)? * 10 + digit(5)?,
        _ => return None,
    };
    Some(base + sign * (hours * 60 + minutes))
}

#[cfg(test)]
mod tests {
    use super::parse_zone;

    #[test]
    fn designators() {
        assert_eq!(parse_zone(""), Some(0));
        assert_eq!(parse_zone("UTC"), Some(0));
        assert_eq!(parse_zone("Z"), Some(0));
        assert_eq!(parse_zone("UTC+0300"), Some(180));
        assert_eq!(parse_zone("UTC-0430"), Some(-270));
        assert_eq!(parse_zone("GMT+12"), Some(720));
        assert_eq!(parse_zone("CET"), Some(60));
        assert_eq!(parse_zone("+0100"), Some(60));
        assert_eq!(parse_zone("CEST-01"), Some(60));
        assert_eq!(parse_zone("CET+0130"), Some(150));
        assert_eq!(parse_zone("-10:45"), Some(-645));
        assert_eq!(parse_zone("+09:45"), Some(585));
        assert_eq!(parse_zone("NPT"), Some(345));
        assert_eq!(parse_zone("WRONG-TZ"), None);
        assert_eq!(parse_zone("cet"), None);
        assert_eq!(parse_zone("ABCD"), None);
        assert_eq!(parse_zone("+2500"), None);
        assert_eq!(parse_zone("+01:0"), None);
        assert_eq!(parse_zone("Europe/Paris"), None);
    }
}
