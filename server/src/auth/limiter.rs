//! Failed sign-ins are limited per account and per address, in memory: after too many failures in
//! a window, further attempts are refused until the window has passed, whether or not the
//! account exists (so the limit reveals nothing either).

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

    /// A successful sign-in clears the account's failures (not the address's).
    pub fn succeeded(&mut self, login: &str) {
        self.failures
            .remove(&format!("login:{}", login.to_lowercase()));
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
