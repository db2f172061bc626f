//! Calendar days, the only time precision Orientir keeps for responses (privacy) and the
//! precision campaigns are planned in. Callers pass "today" in; nothing here reads a clock.

use std::fmt;
use std::str::FromStr;

/// A day of the proleptic Gregorian calendar, counted from 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(i64);

impl Day {
    pub fn from_unix_days(days: i64) -> Day {
        Day(days)
    }

    /// The day containing a Unix timestamp in seconds (UTC).
    pub fn from_unix_seconds(seconds: i64) -> Day {
        Day(seconds.div_euclid(86_400))
    }

    pub fn from_ymd(year: i64, month: u32, day: u32) -> Option<Day> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        // Howard Hinnant's days_from_civil.
        let y = if month <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(Day(era * 146_097 + doe - 719_468))
    }

    /// (year, month, day).
    pub fn ymd(self) -> (i64, u32, u32) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = (if mp < 10 { mp + 3 } else { mp - 9 }) as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        (year, month, day)
    }

    pub fn plus_days(self, days: i64) -> Day {
        Day(self.0 + days)
    }

    /// Days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Day) -> i64 {
        later.0 - self.0
    }

    /// Monday 0 … Sunday 6 (1970-01-01 was a Thursday).
    pub fn weekday(self) -> u32 {
        (self.0 + 3).rem_euclid(7) as u32
    }

    /// The day `days` working days (Monday to Friday) after this one: a question asked on a
    /// Friday with a target of one working day is due on Monday.
    pub fn plus_working_days(self, days: u32) -> Day {
        let mut day = self;
        let mut left = days;
        while left > 0 {
            day = day.plus_days(1);
            if day.weekday() < 5 {
                left -= 1;
            }
        }
        day
    }

    /// The first day of this day's month.
    pub fn month_start(self) -> Day {
        let (y, m, _) = self.ymd();
        Day::from_ymd(y, m, 1).unwrap_or(self)
    }
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

/// A text that is not an ISO `YYYY-MM-DD` date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("«{0}» is not a date of the form YYYY-MM-DD")]
pub struct BadDay(pub String);

impl FromStr for Day {
    type Err = BadDay;

    fn from_str(s: &str) -> Result<Day, BadDay> {
        let bad = || BadDay(s.to_owned());
        let mut parts = s.splitn(3, '-');
        let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let (y, m, d) = (
            y.parse().map_err(|_| bad())?,
            m.parse().map_err(|_| bad())?,
            d.parse().map_err(|_| bad())?,
        );
        Day::from_ymd(y, m, d).ok_or_else(bad)
    }
}

/// Days as stored (text), so that a storage row can hold a `Day`.
impl TryFrom<String> for Day {
    type Error = BadDay;

    fn try_from(text: String) -> Result<Day, BadDay> {
        text.parse()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn working_days_skip_the_weekend() {
        let friday: Day = "2026-12-04".parse().expect("day");
        assert_eq!(friday.weekday(), 4);
        assert_eq!(friday.plus_working_days(1).to_string(), "2026-12-07");
        assert_eq!(friday.plus_working_days(3).to_string(), "2026-12-09");
        let saturday: Day = "2026-12-05".parse().expect("day");
        assert_eq!(saturday.plus_working_days(1).to_string(), "2026-12-07");
        assert_eq!(friday.plus_working_days(0), friday);
        assert_eq!(friday.month_start().to_string(), "2026-12-01");
    }

    #[test]
    fn days_round_trip_through_text() {
        for text in ["1970-01-01", "2000-02-29", "2026-11-22", "2100-12-31"] {
            let day: Day = text.parse().expect("valid date");
            assert_eq!(day.to_string(), text);
        }
        assert_eq!(Day::from_ymd(1970, 1, 2), Some(Day::from_unix_days(1)));
        assert_eq!(
            Day::from_unix_seconds(1_795_350_000).to_string(),
            "2026-11-22"
        );
    }

    #[test]
    fn impossible_dates_are_refused() {
        for text in ["2026-02-29", "2026-13-01", "26-01-01", "2026-1-1", "вчера"] {
            assert!(text.parse::<Day>().is_err(), "{text} accepted");
        }
    }
}
