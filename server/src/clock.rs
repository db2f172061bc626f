//! The only clocks Orientir reads: today's date (campaign windows, drafts, accounts) and the unix
//! time in seconds (session expiry). Everything else takes the day as an argument.

use surveys::calendar::Day;

/// Seconds since the unix epoch, now.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// A moment (unix seconds) as `YYYY-MM-DD HH:MM`, UTC.
pub fn moment(at: i64) -> String {
    let minutes = at.rem_euclid(86_400) / 60;
    format!(
        "{} {:02}:{:02}",
        Day::from_unix_seconds(at),
        minutes / 60,
        minutes % 60
    )
}

/// Today in UTC.
pub fn today() -> Day {
    Day::from_unix_seconds(now())
}
