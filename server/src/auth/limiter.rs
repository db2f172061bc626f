//! Failed sign-ins are limited, whether or not the account exists (so the limit reveals
//! nothing either): a login from one address waits after five failures, 30 seconds and twice as
//! long after each further one (up to 15 minutes), which slows guessing without locking the
//! owner out from elsewhere; an address that fails twenty times on any logins waits out 15
//! minutes; an admin can lift a login's waits. An attempt is counted as a failure when
//! it begins, under the lock, and taken back if it succeeds: attempts sent in parallel cannot all
//! slip under the limit before the first of them has been checked. The rule is here, over the
//! failures of an attempt's keys; they are kept in the database (`storage/accounts.rs`), read and
//! written under a row lock, so that the limits hold across every instance serving the region.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::Duration;

/// Failures older than this are forgotten, and no wait is longer.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Failures of one login from one address before it waits.
pub const PER_ACCOUNT: u32 = 5;
/// Failures from one address, on any logins, before the address waits out the window.
pub const PER_ADDRESS: u32 = 20;
/// The first wait of a login from an address; each further failure doubles it, up to `WINDOW`.
const FIRST_WAIT: Duration = Duration::from_secs(30);

/// Failures under one key: how many, the first and the last (unix seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Failures {
    pub count: u32,
    pub first: i64,
    pub last: i64,
}

/// The failures of the keys an attempt counts under.
#[derive(Default)]
pub struct Limiter {
    failures: HashMap<String, Failures>,
}

/// How long from `then` to `now`.
fn since(now: i64, then: i64) -> Duration {
    Duration::from_secs(u64::try_from(now - then).unwrap_or(0))
}

/// The keys of a login's failures from any address start with this.
pub fn login_key(login: &str) -> String {
    format!("login:{}@", login.to_lowercase())
}

/// The keys an attempt counts under: the login from this address (a growing wait, so that
/// someone who knows a login cannot lock its owner out elsewhere), and the address.
pub fn attempt_keys(login: &str, address: IpAddr) -> [String; 2] {
    keys(login, address).map(|(key, _, _)| key)
}

fn keys(login: &str, address: IpAddr) -> [(String, u32, bool); 2] {
    [
        (format!("{}{address}", login_key(login)), PER_ACCOUNT, true),
        (format!("addr:{address}"), PER_ADDRESS, false),
    ]
}

impl Limiter {
    /// The limiter over stored failures.
    pub fn with(failures: impl IntoIterator<Item = (String, Failures)>) -> Limiter {
        Limiter {
            failures: failures.into_iter().collect(),
        }
    }

    /// The failures to store back: every key with its count (0 when cleared).
    pub fn into_failures(self) -> HashMap<String, Failures> {
        self.failures
    }

    /// How long to wait when either limit is reached.
    pub fn blocked(&mut self, login: &str, address: IpAddr, now: i64) -> Option<Duration> {
        keys(login, address)
            .into_iter()
            .filter_map(|(key, max, growing)| {
                let f = *self.failures.get(&key)?;
                if since(now, f.last) >= WINDOW {
                    self.failures.insert(key, Failures::default());
                    return None;
                }
                if f.count < max {
                    return None;
                }
                let (wait, since) = if growing {
                    let doublings = (f.count - max).min(10);
                    ((FIRST_WAIT * 2u32.pow(doublings)).min(WINDOW), f.last)
                } else {
                    (WINDOW, f.first)
                };
                wait.checked_sub(self::since(now, since))
                    .filter(|left| !left.is_zero())
            })
            .max()
    }

    /// Starts an attempt: refused with the time to wait when either limit is reached, else
    /// counted as a failure until `succeeded` takes it back.
    pub fn begin(&mut self, login: &str, address: IpAddr, now: i64) -> Result<(), Duration> {
        match self.blocked(login, address, now) {
            Some(wait) => Err(wait),
            None => {
                self.failed(login, address, now);
                Ok(())
            }
        }
    }

    pub fn failed(&mut self, login: &str, address: IpAddr, now: i64) {
        for (key, _, _) in keys(login, address) {
            let entry = self.failures.entry(key).or_insert(Failures {
                count: 0,
                first: now,
                last: now,
            });
            if entry.count == 0 || since(now, entry.last) >= WINDOW {
                *entry = Failures {
                    count: 0,
                    first: now,
                    last: now,
                };
            }
            entry.count += 1;
            entry.last = now;
        }
    }

    /// A successful sign-in clears the login's failures from this address and takes back the
    /// address's count of this attempt.
    pub fn succeeded(&mut self, login: &str, address: IpAddr) {
        self.failures.insert(
            format!("{}{address}", login_key(login)),
            Failures::default(),
        );
        if let Some(entry) = self.failures.get_mut(&format!("addr:{address}")) {
            entry.count = entry.count.saturating_sub(1);
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
        let start = 1_000_000;
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
        assert_eq!(
            limiter.blocked("ivanova", address, start + WINDOW.as_secs() as i64),
            None
        );
    }

    #[test]
    fn the_wait_grows_with_each_failure_and_spares_the_owner_elsewhere() {
        let mut limiter = Limiter::default();
        let attacker: IpAddr = "10.0.0.5".parse().expect("ip");
        let owner: IpAddr = "10.0.0.6".parse().expect("ip");
        let start = 1_000_000;
        for _ in 0..PER_ACCOUNT {
            limiter.failed("ivanova", attacker, start);
        }
        assert_eq!(
            limiter.blocked("ivanova", attacker, start),
            Some(FIRST_WAIT)
        );
        let later = start + FIRST_WAIT.as_secs() as i64;
        assert_eq!(limiter.blocked("ivanova", attacker, later), None);
        limiter.failed("ivanova", attacker, later);
        assert_eq!(
            limiter.blocked("ivanova", attacker, later),
            Some(FIRST_WAIT * 2)
        );
        // The owner, from their own address, is not held by any of it.
        assert_eq!(limiter.blocked("ivanova", owner, later), None);
    }

    #[test]
    fn attempts_begun_together_count_before_any_is_checked() {
        let mut limiter = Limiter::default();
        let address: IpAddr = "10.0.0.3".parse().expect("ip");
        let now = 1_000_000;
        let begun = (0..40)
            .filter(|_| limiter.begin("ivanova", address, now).is_ok())
            .count();
        assert_eq!(begun, PER_ACCOUNT as usize);
        // A right password takes its attempt back from the address.
        let other: IpAddr = "10.0.0.4".parse().expect("ip");
        assert!(limiter.begin("petrov", other, now).is_ok());
        limiter.succeeded("petrov", other);
        assert_eq!(
            limiter
                .failures
                .get(&format!("addr:{other}"))
                .map(|f| f.count),
            Some(0)
        );
    }

    #[test]
    fn an_address_is_held_after_twenty_failures_on_any_accounts() {
        let mut limiter = Limiter::default();
        let address: IpAddr = "10.0.0.9".parse().expect("ip");
        let now = 1_000_000;
        for n in 0..PER_ADDRESS {
            limiter.failed(&format!("user{n}"), address, now);
        }
        assert!(limiter.blocked("someone-else", address, now).is_some());
    }
}
