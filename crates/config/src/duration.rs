//! Durations written as fail2ban writes them: `600`, `10m`, `1h30m`, `1w`, `-1`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A duration in whole seconds; negative means "forever" (fail2ban's `-1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Seconds(pub i64);

impl Seconds {
    /// Milliseconds, saturating; negative stays negative (permanent).
    pub fn as_ms(self) -> i64 {
        self.0.saturating_mul(1000)
    }
}

/// Parse a fail2ban-style duration into seconds.
///
/// Units: `s`/`sec`, `m`/`mm`/`min`, `h`/`hour`, `d`/`day`, `w`/`week`,
/// `mo`/`mon`/`month` (30.4375 days), `y`/`year`
/// (365.25 days). Several terms add up (`1d12h`). A bare number is seconds.
pub fn parse_duration(text: &str) -> Result<i64, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("empty duration".into());
    }
    if let Ok(n) = text.parse::<i64>() {
        return Ok(n);
    }
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let mut total: f64 = 0.0;
    let mut rest = body.trim_start();
    if rest.is_empty() {
        return Err(format!("invalid duration {text:?}"));
    }
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = if number_len == 0 {
            1.0
        } else {
            rest[..number_len]
                .parse()
                .map_err(|_| format!("invalid number in duration {text:?}"))?
        };
        rest = rest[number_len..].trim_start();
        let unit_len = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = rest[unit_len..].trim_start();
        let scale = match unit.to_ascii_lowercase().as_str() {
            "" | "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
            "m" | "mm" | "min" | "mins" | "minute" | "minutes" => 60.0,
            "h" | "hour" | "hours" => 3600.0,
            "d" | "day" | "days" => 86_400.0,
            "w" | "wk" | "week" | "weeks" => 604_800.0,
            "mo" | "mon" | "month" | "months" => 30.4375 * 86_400.0,
            "y" | "yy" | "year" | "years" => 365.25 * 86_400.0,
            other => return Err(format!("unknown unit {other:?} in duration {text:?}")),
        };
        total += number * scale;
        if !total.is_finite() || total > 1e15 {
            return Err(format!("duration {text:?} is too large"));
        }
    }
    let seconds = total.round() as i64;
    Ok(if negative { -seconds } else { seconds })
}

impl<'de> Deserialize<'de> for Seconds {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Int(i64),
            Text(String),
        }
        match Raw::deserialize(deserializer)? {
            Raw::Int(n) => Ok(Seconds(n)),
            Raw::Text(text) => parse_duration(&text)
                .map(Seconds)
                .map_err(serde::de::Error::custom),
        }
    }
}

impl Serialize for Seconds {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::parse_duration;

    #[test]
    fn fail2ban_forms() {
        assert_eq!(parse_duration("600"), Ok(600));
        assert_eq!(parse_duration("-1"), Ok(-1));
        assert_eq!(parse_duration("10m"), Ok(600));
        assert_eq!(parse_duration("1d12h30m"), Ok(131_400));
        assert_eq!(parse_duration("1h 30m"), Ok(5400));
        assert_eq!(parse_duration("1w"), Ok(604_800));
        assert_eq!(parse_duration("2s"), Ok(2));
    }

    #[test]
    fn rejects_nonsense_and_overflow() {
        assert!(parse_duration("").is_err());
        assert!(parse_duration("ten minutes").is_err());
        assert!(parse_duration("5 fortnights").is_err());
        assert!(parse_duration("99999999999999999y").is_err());
    }
}
