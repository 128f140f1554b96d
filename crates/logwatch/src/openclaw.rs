//! OpenClaw gateway log file names: `openclaw-YYYY-MM-DD.log` and
//! `openclaw-<profile>-YYYY-MM-DD.log` (a new file per day; the newest per profile is followed).

use std::path::Path;

use crate::file_source::{Component, Pattern};

/// Splits an OpenClaw log file name into (profile, date); the default profile is `""`.
/// Size-rotated files (`….1.log`) and other names give `None`.
pub fn parse_openclaw_file_name(name: &str) -> Option<(&str, &str)> {
    let stem = name.strip_prefix("openclaw-")?.strip_suffix(".log")?;
    // The date is the last 10 characters: YYYY-MM-DD.
    let date_start = stem.len().checked_sub(10)?;
    let date = stem.get(date_start..)?;
    let bytes = date.as_bytes();
    let date_ok = bytes.iter().enumerate().all(|(i, b)| match i {
        4 | 7 => *b == b'-',
        _ => b.is_ascii_digit(),
    });
    if !date_ok {
        return None;
    }
    let profile = match stem.get(..date_start)? {
        "" => "",
        with_dash => with_dash.strip_suffix('-').filter(|p| !p.is_empty())?,
    };
    Some((profile, date))
}

/// The file pattern for OpenClaw logs in `dir` (the directory itself is taken literally).
pub(crate) fn pattern(dir: &Path) -> Pattern {
    let mut components: Vec<Component> = dir
        .components()
        .skip(1)
        .map(|c| Component::Literal(c.as_os_str().to_owned()))
        .collect();
    // The constant pattern always parses; fall back to "no match" rather than panic.
    if let Ok(glob) = glob::Pattern::new("openclaw-*.log") {
        components.push(Component::Glob(glob));
    }
    Pattern { components }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names() {
        assert_eq!(
            parse_openclaw_file_name("openclaw-2026-02-16.log"),
            Some(("", "2026-02-16"))
        );
        assert_eq!(
            parse_openclaw_file_name("openclaw-work-2026-02-16.log"),
            Some(("work", "2026-02-16"))
        );
        assert_eq!(
            parse_openclaw_file_name("openclaw-a-b-2026-02-16.log"),
            Some(("a-b", "2026-02-16"))
        );
        assert_eq!(parse_openclaw_file_name("openclaw-2026-02-16.1.log"), None);
        assert_eq!(parse_openclaw_file_name("openclaw-x2026-02-16.log"), None);
        assert_eq!(parse_openclaw_file_name("openclaw--2026-02-16.log"), None);
        assert_eq!(parse_openclaw_file_name("openclaw-.log"), None);
        assert_eq!(parse_openclaw_file_name("other-2026-02-16.log"), None);
    }
}
