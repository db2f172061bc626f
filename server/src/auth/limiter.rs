//! Failed sign-ins are limited per account and per address, in memory: after too many failures in
//! a window, further attempts are refused until the window has passed, whether or not the
//! account exists (so the limit reveals nothing either). An attempt is counted as a failure when
//! it begins, under the lock, and taken back if it succeeds: attempts sent in parallel cannot all
//! slip under the limit before the first of them has been checked.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

pub const WINDOW: Duration = Duration::from_secs(15 * 60);
pub const PER_ACCOUNT: u32 = 5;
pub const PER_ADDRESS: u32 = 20;
const MAX_KEYS: usize = 100_000;

#[derive(Default)]
pub struct Limiter {
    failures: HashMap<String, (u32, Instant)>,
}

fn keys(login: &str, address: IpAddr) -> [(String, u32); 2] {
    [
        (format!("login:{}", login.to_lowercase()), PER_ACCOUNT),
        (format!("addr:{address}"), PER_ADDRESS),
    ]
}

impl Limiter {
    /// How long to wait when either limit is reached.
    pub fn blocked(&mut self, login: &str, address: IpAddr, now: Instant) -> Option<Duration> {
        keys(login, address)
            .into_iter()
            .filter_map(|(key, max)| {
                let (count, since) = *self.failures.get(&key)?;
                let elapsed = now.duration_since(since);
                if elapsed >= WINDOW {
                    self.failures.remove(&key);
                    return None;
                }
                (count >= max).then(|| WINDOW - elapsed)
            })
            .max()
    }

    /// Starts an attempt: refused with the time to wait when either limit is reached, else
    /// counted as a failure until `succeeded` takes it back.
    pub fn begin(&mut self, login: &str, address: IpAddr, now: Instant) -> Result<(), Duration> {
        match self.blocked(login, address, now) {
            Some(wait) => Err(wait),
            None => {
                self.failed(login, address, now);
                Ok(())
            }
        }
    }

    pub fn failed(&mut self, login: &str, address: IpAddr, now: Instant) {
        if self.failures.len() >= MAX_KEYS {
            self.failures
                .retain(|_, (_, since)| now.duration_since(*since) < WINDOW);
        }
        for (key, _) in keys(login, address) {
            let entry = self.failures.entry(key).or_insert((0, now));
            if now.duration_since(entry.1) >= WINDOW {
                *entry = (0, now);
            }
            entry.0 += 1;
        }
    }

    /// A successful sign-in clears the account's failures and takes back the address's count of
    /// this attempt.
    pub fn succeeded(&mut self, login: &str, address: IpAddr) {
        self.failures
            .remove(&format!("login:{}", login.to_lowercase()));
        if let Some(entry) = self.failures.get_mut(&format!("addr:{address}")) {
            entry.0 = entry.0.saturating_sub(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_held_after_five_failures_until_the_window_passes() {
        let mut limiter = Limiter::default();
        let address: IpAddr = "10.0.0.1".parse().expect("ip");
        let start = Instant::now();
        for _ in 0..PER_ACCOUNT {
            assert_eq!(limiter.blocked("ivanova", address, start), None);
            limiter.failed("ivanova", address, start);
        }
        assert!(limiter.blocked("Ivanova", address, start).is_some());
        assert_eq!(
            limiter.blocked("petrov", "10.0.0.2".parse().expect("ip"), start),
            None,
            "another account from another address is not held"
        );
        assert_eq!(limiter.blocked("ivanova", address, start + WINDOW), None);
    }

    #[test]
    fn attempts_begun_together_count_before_any_is_checked() {
        let mut limiter = Limiter::default();
        let address: IpAddr = "10.0.0.3".parse().expect("ip");
        let now = Instant::now();
        let begun = (0..40)
            .filter(|_| limiter.begin("ivanova", address, now).is_ok())
            .count();
        assert_eq!(begun, PER_ACCOUNT as usize);
        // A right password takes its attempt back from the address.
        let other: IpAddr = "10.0.0.4".parse().expect("ip");
        assert!(limiter.begin("petrov", other, now).is_ok());
        limiter.succeeded("petrov", other);
        assert_eq!(
            limiter.failures.get(&format!("addr:{other}")).map(|e| e.0),
            Some(0)
        );
    }

    #[test]
    fn an_address_is_held_after_twenty_failures_on_any_accounts() {
        let mut limiter = Limiter::default();
        let address: IpAddr = "10.0.0.9".parse().expect("ip");
        let now = Instant::now();
        for n in 0..PER_ADDRESS {
            limiter.failed(&format!("user{n}"), address, now);
        }
        assert!(limiter.blocked("someone-else", address, now).is_some());
    }
}
