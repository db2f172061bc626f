//! Password checks at once. Argon2 takes memory (19 MiB) and a core per check, so no more checks
//! run than there are cores; an attempt waits its turn in a short queue (at most `QUEUE`
//! attempts, at most `QUEUE_WAIT`) instead of being turned away at once, and one address holds at
//! most one check and one place in the queue's head at a time, so a flood from a few addresses
//! cannot take every check. Holds are decided before an attempt gets here (`limiter`): a held
//! attempt never takes a check.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedMutexGuard, OwnedSemaphorePermit, Semaphore};

/// Attempts that may wait for a check at once; the next is told the server is busy.
const QUEUE: usize = 64;
/// The longest an attempt waits for a check.
const QUEUE_WAIT: Duration = Duration::from_secs(3);
/// Addresses remembered before the idle ones are forgotten.
const ADDRESSES: usize = 10_000;

/// The password checks of the process.
#[derive(Clone)]
pub struct Slots {
    checks: Arc<Semaphore>,
    waiting: Arc<AtomicUsize>,
    addresses: Arc<Mutex<HashMap<IpAddr, Arc<tokio::sync::Mutex<()>>>>>,
}

/// A password check held: the check and the address's turn, both given back when dropped.
pub struct Slot {
    _check: OwnedSemaphorePermit,
    _turn: OwnedMutexGuard<()>,
}

impl Slots {
    pub fn new(checks: usize) -> Slots {
        Slots {
            checks: Arc::new(Semaphore::new(checks.max(1))),
            waiting: Arc::new(AtomicUsize::new(0)),
            addresses: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// The address's turn: one attempt of an address at a time goes on to a check.
    fn turn_of(&self, address: IpAddr) -> Arc<tokio::sync::Mutex<()>> {
        let Ok(mut map) = self.addresses.lock() else {
            return Arc::new(tokio::sync::Mutex::new(()));
        };
        if map.len() >= ADDRESSES {
            // Only this map holds an idle address's turn.
            map.retain(|_, turn| Arc::strong_count(turn) > 1);
        }
        map.entry(address).or_default().clone()
    }

    /// A check for an attempt from `address`, after its turn; `None` when the queue is full or
    /// the wait would be longer than `QUEUE_WAIT`.
    pub async fn take(&self, address: IpAddr) -> Option<Slot> {
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= QUEUE {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        let turn = self.turn_of(address);
        let checks = self.checks.clone();
        let slot = tokio::time::timeout(QUEUE_WAIT, async move {
            let turn = turn.lock_owned().await;
            let check = checks.acquire_owned().await.ok()?;
            Some(Slot {
                _check: check,
                _turn: turn,
            })
        })
        .await
        .ok()
        .flatten();
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        slot
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn one_address_holds_one_check_and_others_still_get_theirs() {
        let slots = Slots::new(2);
        let flood: IpAddr = "10.0.0.1".parse().expect("ip");
        let owner: IpAddr = "10.0.0.2".parse().expect("ip");
        let first = slots.take(flood).await.expect("a check");
        // The same address waits for its own turn, even with a check free...
        let again = tokio::time::timeout(Duration::from_millis(200), slots.take(flood)).await;
        assert!(again.is_err(), "a second check for one address");
        // ...which another address takes at once.
        let other = tokio::time::timeout(Duration::from_millis(200), slots.take(owner))
            .await
            .expect("at once");
        assert!(other.is_some());
        drop(first);
        assert!(slots.take(flood).await.is_some(), "its turn again");
    }

    #[tokio::test]
    async fn a_full_queue_turns_the_next_away_at_once() {
        let slots = Slots::new(1);
        let held = slots
            .take("10.0.0.9".parse().expect("ip"))
            .await
            .expect("a check");
        let waiting: Vec<_> = (0..QUEUE)
            .map(|n| {
                let slots = slots.clone();
                tokio::spawn(async move {
                    slots
                        .take(format!("10.1.{}.{}", n / 250, n % 250).parse().expect("ip"))
                        .await
                        .is_some()
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(100)).await;
        let started = std::time::Instant::now();
        assert!(slots.take("10.2.0.1".parse().expect("ip")).await.is_none());
        assert!(
            started.elapsed() < Duration::from_millis(100),
            "turned away at once"
        );
        drop(held);
        let mut served = 0;
        for w in waiting {
            served += usize::from(w.await.unwrap_or(false));
        }
        assert!(served >= 1);
    }
}
