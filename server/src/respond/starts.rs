//! New drafts per address and hour. A draft begins when a page is posted without the draft
//! cookie; a script that drops its cookies makes one per post (2,000 were made at 683/s). Each
//! address may begin, per hour, as many drafts of a code as the whole group could need — the
//! group's expected count with its surplus allowance and some to spare, since a school is often
//! one address — and a few per personal code; and at most `PER_ADDRESS` drafts in all. Counted
//! per instance, in memory: the bound is on the waste one address can cause, not a quota.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The window the counts are kept for.
pub const WINDOW: Duration = Duration::from_secs(3600);
/// New drafts of one personal code from one address in the window (a device or two).
const PER_PERSONAL_CODE: u32 = 10;
/// Spare new drafts of a group code beyond what its group could need (abandoned starts).
const SPARE: u32 = 50;
/// Addresses and codes remembered before the old ones are forgotten.
const REMEMBERED: usize = 200_000;

/// Counts of new drafts per key and the start of each key's window.
#[derive(Clone)]
pub struct DraftStarts {
    counts: Arc<Mutex<HashMap<String, (u32, Instant)>>>,
    /// New drafts of all codes one address may begin in the window; 0: no limit at all.
    per_address: u32,
}

impl Default for DraftStarts {
    fn default() -> DraftStarts {
        DraftStarts::new(5_000)
    }
}

impl DraftStarts {
    pub fn new(per_address: u32) -> DraftStarts {
        DraftStarts {
            counts: Arc::default(),
            per_address,
        }
    }

    /// How many new drafts of a code one address may begin in the window: a group code's whole
    /// group with its surplus and spares, or a few for a personal code.
    pub fn allowance(personal: bool, expected: u32, surplus_limit: u32) -> u32 {
        if personal {
            PER_PERSONAL_CODE
        } else if expected == 0 {
            // The group's size is not known: only the address's own limit applies.
            u32::MAX
        } else {
            expected
                .max(surplus_limit)
                .saturating_mul(2)
                .saturating_add(SPARE)
        }
    }

    /// Counts a new draft of `code` from `address`; `Err` with the time left when the address
    /// has begun its allowance of that code, or of all codes, in the window.
    pub fn begin(
        &self,
        address: IpAddr,
        code: &str,
        allowance: u32,
        now: Instant,
    ) -> Result<(), Duration> {
        if self.per_address == 0 {
            return Ok(());
        }
        let Ok(mut map) = self.counts.lock() else {
            return Ok(());
        };
        if map.len() >= REMEMBERED {
            map.retain(|_, (_, since)| now.duration_since(*since) < WINDOW);
        }
        let keys = [
            (format!("{address} {code}"), allowance),
            (address.to_string(), self.per_address),
        ];
        for (key, max) in &keys {
            if let Some((count, since)) = map.get(key) {
                let age = now.duration_since(*since);
                if age < WINDOW && *count >= *max {
                    return Err(WINDOW - age);
                }
            }
        }
        for (key, _) in keys {
            let entry = map.entry(key).or_insert((0, now));
            if now.duration_since(entry.1) >= WINDOW {
                *entry = (0, now);
            }
            entry.0 += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_begins_what_its_group_could_need_and_no_more() {
        let starts = DraftStarts::default();
        let school: IpAddr = "10.0.0.1".parse().expect("ip");
        let now = Instant::now();
        let allowance = DraftStarts::allowance(false, 600, 720);
        assert_eq!(allowance, 1_490);
        for _ in 0..allowance {
            assert!(starts.begin(school, "ABCD", allowance, now).is_ok());
        }
        let wait = starts
            .begin(school, "ABCD", allowance, now)
            .expect_err("held");
        assert_eq!(wait, WINDOW);
        // Another code of the same address, and the same code elsewhere, go on.
        assert!(starts.begin(school, "EFGH", allowance, now).is_ok());
        let other: IpAddr = "10.0.0.2".parse().expect("ip");
        assert!(starts.begin(other, "ABCD", allowance, now).is_ok());
        // An hour later the address begins again.
        assert!(starts
            .begin(school, "ABCD", allowance, now + WINDOW)
            .is_ok());
        assert_eq!(DraftStarts::allowance(true, 1, 1), PER_PERSONAL_CODE);
        assert_eq!(
            DraftStarts::allowance(false, 0, 0),
            u32::MAX,
            "a group of unknown size"
        );
    }
}
