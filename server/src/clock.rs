//! The only clocks Orientir reads: today's date (campaign windows, drafts, accounts) and the unix
//! time in seconds (session expiry). Everything else takes the day as an argument.

use surveys::calendar::Day;

/// Seconds since the unix epoch, now.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Today in UTC.
pub fn today() -> Day {
    Day::from_unix_seconds(now())
}
