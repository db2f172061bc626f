//! Failed sign-ins are limited, whether or not the account exists (so the limit reveals
//! nothing either): a login from one address waits after five failures, 30 seconds and twice as
//! long after each further one (up to 15 minutes); an address that fails twenty times on any
//! logins waits out 15 minutes; and a login that fails ten times from any addresses — a flood
//! from many addresses — makes every address wait, 30 seconds and twice as long after each further
//! failure, except the addresses that have signed in to that account before: its owner still gets
//! in during an attack on their login. An admin can lift a login's waits. An attempt is counted as
//! a failure when it begins, under the lock, and taken back if it succeeds or is never checked:
//! attempts sent in parallel cannot all slip under the limit before the first of them has been
//! checked. The rule is here, over the failures of an attempt's keys; they are kept in the
//! database (`storage/accounts.rs`), read and written under a row lock, so that the limits hold
//! across every instance serving the region.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::Duration;

/// Failures older than this are forgotten, and no wait is longer.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Failures of one login from one address before it waits.
pub const PER_ACCOUNT: u32 = 5;
/// Failures from one address, on any logins, before the address waits out the window.
pub const PER_ADDRESS: u32 = 20;
/// Failures of one login from any addresses before addresses new to it wait.
pub const PER_LOGIN: u32 = 10;
/// How long an address that signed in to an account stays known to it.
const KNOWN_FOR: Duration = Duration::from_secs(180 * 24 * 3600);
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

/// The keys of a login's failures (from any address, and across addresses) start with this.
pub fn login_key(login: &str) -> String {
    format!("login:{}@", login.to_lowercase())
}

/// The key that marks an address as one the account signed in from.
fn known_key(login: &str, address: IpAddr) -> String {
    format!("known:{}@{address}", login.to_lowercase())
}

/// How a key's failures hold an attempt.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Hold {
    /// A growing wait after the limit, from the last failure.
    Growing,
    /// The rest of the window, from the first failure.
    Window,
}

/// The keys an attempt counts under: the login from this address (a growing wait, so that
/// someone who knows a login cannot lock its owner out elsewhere), the address, and the login
/// from anywhere (which spares the addresses the account is known at); and the mark of a known
/// address, read only.
pub fn attempt_keys(login: &str, address: IpAddr) -> [String; 4] {
    let [a, b, c] = keys(login, address).map(|(key, ..)| key);
    [a, b, c, known_key(login, address)]
}

fn keys(login: &str, address: IpAddr) -> [(String, u32, Hold, bool); 3] {
    [
        (
            format!("{}{address}", login_key(login)),
            PER_ACCOUNT,
            Hold::Growing,
            false,
        ),
        (format!("addr:{address}"), PER_ADDRESS, Hold::Window, false),
        // `*` is no address: the key is the login's across addresses, and an admin's lift of
        // the login (every key under `login_key`) clears it too.
        (
            format!("{}*", login_key(login)),
            PER_LOGIN,
            Hold::Growing,
            true,
        ),
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

    /// Whether the account has signed in from this address lately.
    fn known(&self, login: &str, address: IpAddr, now: i64) -> bool {
        self.failures
            .get(&known_key(login, address))
            .is_some_and(|k| k.count > 0 && since(now, k.last) < KNOWN_FOR)
    }

    /// How long to wait when a limit is reached.
    pub fn blocked(&mut self, login: &str, address: IpAddr, now: i64) -> Option<Duration> {
        let known = self.known(login, address, now);
        keys(login, address)
            .into_iter()
            .filter(|(.., spares_known)| !(known && *spares_known))
            .filter_map(|(key, max, hold, _)| {
                let f = *self.failures.get(&key)?;
                if since(now, f.last) >= WINDOW {
                    self.failures.insert(key, Failures::default());
                    return None;
                }
                if f.count < max {
                    return None;
                }
                let (wait, since) = match hold {
                    Hold::Growing => {
                        let doublings = (f.count - max).min(10);
                        ((FIRST_WAIT * 2u32.pow(doublings)).min(WINDOW), f.last)
                    }
                    Hold::Window => (WINDOW, f.first),
                };
                wait.checked_sub(self::since(now, since))
                    .filter(|left| !left.is_zero())
            })
            .max()
    }

    /// Starts an attempt: refused with the time to wait when a limit is reached, else counted
    /// as a failure until `succeeded` or `withdrawn` takes it back.
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
        for (key, ..) in keys(login, address) {
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

    /// An attempt begun but never checked (no password check was free): its count is taken
    /// back from every key.
    pub fn withdrawn(&mut self, login: &str, address: IpAddr) {
        for (key, ..) in keys(login, address) {
            if let Some(entry) = self.failures.get_mut(&key) {
                entry.count = entry.count.saturating_sub(1);
            }
        }
    }

    /// A successful sign-in clears the login's failures from this address, takes back this
    /// attempt's count from the address and the login, and marks the address as known to the
    /// account.
    pub fn succeeded(&mut self, login: &str, address: IpAddr, now: i64) {
        let [own, ..] = keys(login, address);
        self.withdrawn(login, address);
        self.failures.insert(own.0, Failures::default());
        self.failures.insert(
            known_key(login, address),
            Failures {
                count: 1,
                first: now,
                last: now,
            },
        );
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
        limiter.succeeded("petrov", other, now);
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

    #[test]
    fn a_flood_from_many_addresses_holds_the_login_but_not_its_owner() {
        let mut limiter = Limiter::default();
        let owner: IpAddr = "10.1.0.1".parse().expect("ip");
        let now = 1_000_000;
        assert!(limiter.begin("admin", owner, now).is_ok());
        limiter.succeeded("admin", owner, now);
        // Forty addresses, a few guesses each: the login holds after ten of them.
        let mut checked = 0;
        for n in 0..40 {
            let attacker: IpAddr = format!("10.2.0.{n}").parse().expect("ip");
            for _ in 0..4 {
                if limiter.begin("admin", attacker, now + 1).is_ok() {
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, PER_LOGIN as usize);
        // The owner, from an address the account knows, is not held; a new address is.
        assert_eq!(limiter.blocked("admin", owner, now + 2), None);
        let elsewhere: IpAddr = "10.3.0.1".parse().expect("ip");
        assert!(limiter.blocked("admin", elsewhere, now + 2).is_some());
        // Another login is not held by it.
        assert_eq!(limiter.blocked("petrov", elsewhere, now + 2), None);
        // An attempt never checked is not a failure.
        assert!(limiter.begin("petrov", elsewhere, now).is_ok());
        limiter.withdrawn("petrov", elsewhere);
        assert_eq!(
            limiter
                .failures
                .get(&format!("{}*", login_key("petrov")))
                .map(|f| f.count),
            Some(0)
        );
    }
}
