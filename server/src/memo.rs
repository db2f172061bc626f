//! A few computed values kept by key for whoever asks again, the oldest dropped once their total
//! weight passes a limit. For values that never change under their key (the scores of a
//! publication: a publication is never rewritten; figures under the version that every change
//! moves), so nothing is ever invalidated.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

/// A kept value: its key, the value and its weight.
type Entry<K, V> = (K, Arc<V>, usize);

/// Values by key, shared by clones.
pub struct Memo<K, V> {
    entries: Arc<Mutex<VecDeque<Entry<K, V>>>>,
    /// The most total weight kept.
    limit: usize,
}

// By hand: a clone shares the entries, so neither keys nor values need to be `Clone`.
impl<K, V> Clone for Memo<K, V> {
    fn clone(&self) -> Memo<K, V> {
        Memo {
            entries: self.entries.clone(),
            limit: self.limit,
        }
    }
}

impl<K: PartialEq, V> Memo<K, V> {
    pub fn new(limit: usize) -> Memo<K, V> {
        Memo {
            entries: Arc::new(Mutex::new(VecDeque::new())),
            limit,
        }
    }

    /// The value kept under `key`, if any (it becomes the newest).
    pub fn get(&self, key: &K) -> Option<Arc<V>> {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let at = entries.iter().position(|(k, ..)| k == key)?;
        let entry = entries.remove(at)?;
        let value = entry.1.clone();
        entries.push_back(entry);
        Some(value)
    }

    /// Keeps `value` under `key` with its weight, dropping the oldest past the limit (a value
    /// heavier than the limit is not kept).
    pub fn put(&self, key: K, value: Arc<V>, weight: usize) {
        if weight > self.limit {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.retain(|(k, ..)| *k != key);
        entries.push_back((key, value, weight));
        let mut total: usize = entries.iter().map(|(.., w)| w).sum();
        while total > self.limit {
            match entries.pop_front() {
                Some((.., w)) => total -= w,
                None => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_go_first_past_the_limit() {
        let memo: Memo<u32, &str> = Memo::new(10);
        memo.put(1, Arc::new("a"), 4);
        memo.put(2, Arc::new("b"), 4);
        assert_eq!(memo.get(&1).as_deref(), Some(&"a"), "1 is now the newest");
        memo.put(3, Arc::new("c"), 4);
        assert!(memo.get(&2).is_none(), "2 was the oldest");
        assert_eq!(memo.get(&1).as_deref(), Some(&"a"));
        assert_eq!(memo.get(&3).as_deref(), Some(&"c"));
        memo.put(4, Arc::new("d"), 11);
        assert!(memo.get(&4).is_none(), "too heavy to keep");
        memo.put(3, Arc::new("c2"), 1);
        assert_eq!(memo.get(&3).as_deref(), Some(&"c2"), "replaced");
    }
}
