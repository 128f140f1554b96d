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

/// Longest duration text accepted, in bytes.
pub const MAX_DURATION_LEN: usize = 64;

/// Parse a fail2ban-style duration into seconds.
///
/// Units: `s`/`sec`, `m`/`mm`/`min`, `h`/`hour`, `d`/`day`, `w`/`week`,
/// `mo`/`mon`/`month` (30.4375 days), `y`/`year`
/// (365.25 days). Several terms add up (`1d12h`, `1h 30m`). A bare number is
/// seconds; a leading `-` negates the whole (fail2ban's `-1`: forever).
/// Anything else (`,`, `+`, a `-` between or after terms) is an error.
pub fn parse_duration(text: &str) -> Result<i64, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("empty duration".into());
    }
    if text.len() > MAX_DURATION_LEN {
        return Err(format!(
            "duration is longer than {MAX_DURATION_LEN} bytes (write e.g. \"10m\", \"1h30m\" or \"-1\")"
        ));
    }
    if let Ok(n) = text.parse::<i64>() {
        return Ok(n);
    }
    let invalid = |why: &str| {
        format!("invalid duration {text:?}: {why} (write e.g. \"10m\", \"1h30m\" or \"-1\")")
    };
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let mut total: f64 = 0.0;
    let mut rest = body.trim_start();
    if rest.is_empty() {
        return Err(invalid("no number"));
    }
    // Every pass consumes a number, a unit or both, or returns an error, so
    // the loop ends after at most `text.len()` passes.
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = if number_len == 0 {
            1.0 // fail2ban reads a bare unit (`h`) as one of it
        } else {
            rest[..number_len]
                .parse()
                .map_err(|_| invalid(&format!("{:?} is not a number", &rest[..number_len])))?
        };
        rest = rest[number_len..].trim_start();
        let unit_len = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        if number_len == 0 && unit_len == 0 {
            let unexpected = rest.chars().next().unwrap_or(' ');
            return Err(invalid(&format!("unexpected {unexpected:?}")));
        }
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
            other => return Err(invalid(&format!("unknown unit {other:?}"))),
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

    /// Each of these looped forever before (issue 8, item 14).
    #[test]
    fn rejects_separators_and_trailing_signs() {
        for text in [
            "1h, 30m", "1h-", "1h+", "1h+30m", "-", "+", ",", "1h,", "10m-5m", "1h -", "--1",
            "1h.", ".", "1.2.3m", "h-", "1h\u{0}", "1h;", "1h/2",
        ] {
            let result = parse_duration(text);
            assert!(result.is_err(), "{text:?} gave {result:?}");
            let message = result.unwrap_err();
            assert!(message.contains("duration"), "{text:?}: {message}");
        }
    }

    /// A bounded property-style run: every input, well-formed or not,
    /// returns quickly (the parser must always make progress).
    #[test]
    fn every_input_terminates_quickly() {
        const ALPHABET: &[char] = &[
            '0', '1', '9', '.', '-', '+', ',', ' ', '\t', 'h', 'm', 's', 'd', 'w', 'o', 'y', 'x',
            'é', '\u{0}', ';', '_', 'M', 'H',
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let start = std::time::Instant::now();
        for _ in 0..200_000 {
            let len = (next() % 12) as usize;
            let text: String = (0..len)
                .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
                .collect();
            let begun = std::time::Instant::now();
            let _ = parse_duration(&text);
            assert!(
                begun.elapsed() < std::time::Duration::from_millis(100),
                "{text:?} took {:?}",
                begun.elapsed()
            );
        }
        assert!(start.elapsed() < std::time::Duration::from_secs(30));
    }
}
