//! Turning the named fields a date regex captured (`Y`, `m`, `d`, `H`, …)
//! into an instant, with fail2ban's rules for missing parts: no year means
//! the year of "now" (a date more than a day ahead belongs to the previous
//! year), no day means today (a time ahead of now means yesterday), two-digit
//! years are 20xx, and a date without zone is in the default zone.

use chrono::{Datelike, Duration, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, TimeZone};

use crate::zone::parse_zone;

const MS_PER_DAY: i64 = 86_400_000;

/// The named capture groups that carry date parts (strptime directive letters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Year4,
    Year2,
    Month,
    MonthName,
    MonthAbbr,
    Day,
    Hour24,
    Hour12,
    AmPm,
    Minute,
    Second,
    Fraction,
    WeekdayName,
    WeekdayAbbr,
    WeekdayNumber,
    DayOfYear,
    WeekOfYearSunday,
    WeekOfYearMonday,
    ZoneOffset,
    ZoneName,
}

impl Field {
    /// The field a capture group name stands for, if any.
    pub(crate) fn from_group_name(name: &str) -> Option<Field> {
        Some(match name {
            "Y" => Field::Year4,
            "y" => Field::Year2,
            "m" => Field::Month,
            "B" => Field::MonthName,
            "b" => Field::MonthAbbr,
            "d" => Field::Day,
            "H" => Field::Hour24,
            "I" => Field::Hour12,
            "p" => Field::AmPm,
            "M" => Field::Minute,
            "S" => Field::Second,
            "f" => Field::Fraction,
            "A" => Field::WeekdayName,
            "a" => Field::WeekdayAbbr,
            "w" => Field::WeekdayNumber,
            "j" => Field::DayOfYear,
            "U" => Field::WeekOfYearSunday,
            "W" => Field::WeekOfYearMonday,
            "z" => Field::ZoneOffset,
            "Z" => Field::ZoneName,
            _ => return None,
        })
    }
}

/// How zone-less dates are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DefaultZone {
    /// The host's local time (chrono `Local`, which honours `TZ`).
    Local,
    /// A fixed offset east of UTC, in minutes (fail2ban's `logtimezone`).
    Fixed(i32),
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

fn number(text: &str) -> Option<u32> {
    let text = text.trim_start_matches(' ');
    if text.is_empty() || text.len() > 9 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Index (0-based) of a full or 3-letter name in `names`, ignoring case.
fn name_index(names: &[&str], text: &str, full: bool) -> Option<u32> {
    names
        .iter()
        .position(|name| {
            if full {
                name.eq_ignore_ascii_case(text)
            } else {
                text.len() == 3 && name.get(..3).is_some_and(|n| n.eq_ignore_ascii_case(text))
            }
        })
        .and_then(|i| u32::try_from(i).ok())
}

/// Date parts collected from one match; `None` where the pattern had none.
#[derive(Debug, Default)]
pub(crate) struct Parts {
    year: Option<i32>,
    month: Option<u32>,
    day: Option<u32>,
    hour: u32,
    minute: u32,
    second: u32,
    millis: u32,
    weekday: Option<u32>,
    day_of_year: Option<i64>,
    week: Option<(u32, bool)>,
    zone_minutes: Option<i32>,
    hour12: Option<u32>,
    pm: bool,
}

impl Parts {
    /// Parts of a year-less `Mon DD HH:MM:SS` date.
    pub(crate) fn month_day_time(
        month: u32,
        day: u32,
        hour: u32,
        minute: u32,
        second: u32,
    ) -> Parts {
        Parts {
            month: Some(month),
            day: Some(day),
            hour,
            minute,
            second,
            ..Parts::default()
        }
    }

    /// Records one captured field. `None` means the text cannot be a valid
    /// value (fail2ban fails the whole date then).
    pub(crate) fn set(&mut self, field: Field, text: &str) -> Option<()> {
        match field {
            Field::Year4 => self.year = Some(i32::try_from(number(text)?).ok()?),
            Field::Year2 => {
                let year = i32::try_from(number(text)?).ok()?;
                self.year = Some(if year <= 2000 { year + 2000 } else { year });
            }
            Field::Month => self.month = Some(number(text)?),
            Field::MonthName => self.month = Some(name_index(&MONTHS, text, true)? + 1),
            Field::MonthAbbr => self.month = Some(name_index(&MONTHS, text, false)? + 1),
            Field::Day => self.day = Some(number(text)?),
            Field::Hour24 => {
                self.hour = number(text)?;
                self.hour12 = None;
            }
            Field::Hour12 => self.hour12 = Some(number(text)?),
            Field::AmPm => self.pm = text.eq_ignore_ascii_case("pm"),
            Field::Minute => self.minute = number(text)?,
            Field::Second => self.second = number(text)?,
            Field::Fraction => {
                let digits = text.as_bytes();
                if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
                    return None;
                }
                let mut millis = 0u32;
                for i in 0..3 {
                    millis = millis * 10 + digits.get(i).map_or(0, |d| u32::from(d - b'0'));
                }
                self.millis = millis;
            }
            Field::WeekdayName => self.weekday = Some(name_index(&WEEKDAYS, text, true)?),
            Field::WeekdayAbbr => self.weekday = Some(name_index(&WEEKDAYS, text, false)?),
            Field::WeekdayNumber => {
                let n = number(text)?;
                if n > 6 {
                    return None;
                }
                // strptime %w: 0 is Sunday; internally Monday is 0.
                self.weekday = Some((n + 6) % 7);
            }
            Field::DayOfYear => self.day_of_year = Some(i64::from(number(text)?)),
            Field::WeekOfYearSunday => self.week = Some((number(text)?, false)),
            Field::WeekOfYearMonday => self.week = Some((number(text)?, true)),
            Field::ZoneOffset | Field::ZoneName => {
                self.zone_minutes = Some(match text {
                    "Z" | "UTC" | "GMT" => 0,
                    _ => parse_zone(text)?,
                });
            }
        }
        Some(())
    }

    /// The instant in epoch milliseconds, or `None` if the parts do not form
    /// a valid date (e.g. 30 February, second 60).
    pub(crate) fn resolve(self, default_zone: DefaultZone, now_ms: i64) -> Option<i64> {
        let zone = match self.zone_minutes {
            Some(minutes) => DefaultZone::Fixed(minutes),
            None => default_zone,
        };
        let hour = match self.hour12 {
            Some(12) if !self.pm => 0,
            Some(h) if self.pm && h != 12 => h + 12,
            Some(h) => h,
            None => self.hour,
        };
        let assume_year = self.year.is_none();
        if self.year.is_some_and(|y| !(1..=9999).contains(&y)) {
            return None;
        }
        let year = match self.year {
            Some(year) => year,
            None => naive_in_zone(now_ms, zone)?.year(),
        };
        let (mut month, mut day) = (self.month, self.day);
        if month.is_none() || day.is_none() {
            let mut day_of_year = self.day_of_year;
            if let (None, Some((week, monday_first)), Some(weekday)) =
                (day_of_year, self.week, self.weekday)
            {
                day_of_year = Some(day_of_year_from_week(year, week, weekday, monday_first)?);
            }
            if let Some(ordinal) = day_of_year {
                let date = NaiveDate::from_ymd_opt(year, 1, 1)?
                    .checked_add_signed(Duration::days(ordinal - 1))?;
                month = Some(date.month());
                day = Some(date.day());
            }
        }
        let assume_today = month.is_none() && day.is_none();
        let (month, day) = match (month, day) {
            (Some(m), Some(d)) => (m, d),
            (None, None) => {
                let today = naive_in_zone(now_ms, zone)?;
                (today.month(), today.day())
            }
            // fail2ban cannot build a date from a month without a day or the reverse.
            _ => return None,
        };
        if hour > 23 || self.minute > 59 || self.second > 59 {
            return None;
        }
        let time =
            chrono::NaiveTime::from_hms_milli_opt(hour, self.minute, self.second, self.millis)?;
        let naive = NaiveDate::from_ymd_opt(year, month, day)?.and_time(time);
        let mut time_ms = to_epoch_ms(naive, zone)?;
        if assume_today && time_ms > now_ms {
            // A time of day later than now is from yesterday.
            time_ms = to_epoch_ms(naive.checked_sub_signed(Duration::days(1))?, zone)?;
        }
        if assume_year && time_ms > now_ms.saturating_add(MS_PER_DAY) {
            // More than a day ahead (a day of slack for zone confusion): last year.
            let last_year = naive.with_year(year - 1)?;
            time_ms = to_epoch_ms(last_year, zone)?;
        }
        Some(time_ms)
    }
}

/// The wall-clock time of `now_ms` in `zone`.
fn naive_in_zone(now_ms: i64, zone: DefaultZone) -> Option<NaiveDateTime> {
    let utc = chrono::DateTime::from_timestamp_millis(now_ms)?;
    Some(match zone {
        DefaultZone::Local => {
            // The local offset only changes at minute boundaries; cache it per
            // UTC minute (chrono's `Local` asks the clock on every call).
            let minute = now_ms.div_euclid(60_000);
            let offset_ms = match NOW_OFFSET.get() {
                (cached, offset) if cached == minute => offset,
                _ => {
                    let local = utc.with_timezone(&chrono::Local).naive_local();
                    let offset = local.and_utc().timestamp_millis() - now_ms;
                    NOW_OFFSET.set((minute, offset));
                    offset
                }
            };
            chrono::DateTime::from_timestamp_millis(now_ms + offset_ms)?.naive_utc()
        }
        DefaultZone::Fixed(minutes) => utc
            .with_timezone(&FixedOffset::east_opt(minutes * 60)?)
            .naive_local(),
    })
}

/// Wall-clock time in `zone` to epoch ms. Ambiguous local times (DST end)
/// take the earlier instant; skipped ones (DST start) move an hour forward,
/// as the C library's `mktime` does.
pub(crate) fn to_epoch_ms(naive: NaiveDateTime, zone: DefaultZone) -> Option<i64> {
    match zone {
        DefaultZone::Fixed(minutes) => {
            Some(naive.and_utc().timestamp_millis() - i64::from(minutes) * 60_000)
        }
        DefaultZone::Local => {
            // Zone transitions fall on minute boundaries, so every second of a
            // local minute resolves with the same offset: cache it per minute.
            let wall_ms = naive.and_utc().timestamp_millis();
            let minute = wall_ms.div_euclid(60_000);
            if let (cached, Some(delta)) = LOCAL_DELTA.get()
                && cached == minute
            {
                return Some(wall_ms + delta);
            }
            let start = chrono::DateTime::from_timestamp_millis(minute * 60_000)?.naive_utc();
            let delta = local_to_epoch_ms(start).map(|ms| ms - minute * 60_000);
            LOCAL_DELTA.set((minute, delta));
            delta.map(|d| wall_ms + d)
        }
    }
}

thread_local! {
    /// (UTC minute of `now`, local offset in ms) of the last `naive_in_zone` call.
    static NOW_OFFSET: std::cell::Cell<(i64, i64)> = const { std::cell::Cell::new((i64::MIN, 0)) };
    /// (local wall-clock minute, epoch − wall ms) of the last local conversion.
    static LOCAL_DELTA: std::cell::Cell<(i64, Option<i64>)> = const { std::cell::Cell::new((i64::MIN, None)) };
}

fn local_to_epoch_ms(naive: NaiveDateTime) -> Option<i64> {
    match chrono::Local.from_local_datetime(&naive) {
        LocalResult::Single(t) => Some(t.timestamp_millis()),
        LocalResult::Ambiguous(earliest, _) => Some(earliest.timestamp_millis()),
        LocalResult::None => chrono::Local
            .from_local_datetime(&naive.checked_add_signed(Duration::hours(1))?)
            .earliest()
            .map(|t| t.timestamp_millis()),
    }
}

/// Day of the year (1-based, may run past either end of the year) from a week number
/// and weekday (Monday = 0), with weeks starting on Monday (`%W`) or
/// Sunday (`%U`); days before the first such weekday are week 0.
fn day_of_year_from_week(year: i32, week: u32, weekday: u32, monday_first: bool) -> Option<i64> {
    let jan1 = NaiveDate::from_ymd_opt(year, 1, 1)?;
    let mut jan1_weekday = jan1.weekday().num_days_from_monday();
    let mut weekday = weekday;
    if !monday_first {
        jan1_weekday = (jan1_weekday + 1) % 7;
        weekday = (weekday + 1) % 7;
    }
    let ordinal = if week == 0 {
        1 + i64::from(weekday) - i64::from(jan1_weekday)
    } else {
        let week0_days = (7 - i64::from(jan1_weekday)) % 7;
        1 + week0_days + 7 * (i64::from(week) - 1) + i64::from(weekday)
    };
    Some(ordinal)
}
