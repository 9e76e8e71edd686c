//! Dropping expired SRP exchanges, challenge sessions, identity-pool credentials, refresh
//! tokens and revocation marks without scanning them on every request.
//!
//! Each InitiateAuth that starts SRP or a challenge adds an entry that lives until it is
//! answered or expires (minutes); each GetCredentialsForIdentity adds credentials that are
//! remembered until an hour after they expire. Entries that clients abandon must go, and
//! scanning the whole map for them on every request made abandoned exchanges slow every later
//! sign-in (a USER_SRP_AUTH-only load fell from 6,300 to 1,000 requests/s within a minute). So
//! each map has an [`Expiry`] queue: the key and expiry time of every entry, soonest first.
//! Dropping what has expired pops only those, and a key already taken out of the map (the
//! exchange was answered) is simply forgotten when its time comes. Expiry itself is also
//! checked when an entry is used, so this is only about memory and time.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::hash::Hash;

/// The keys of one map, by the time they expire.
#[derive(Debug)]
pub struct Expiry<K> {
    queue: BinaryHeap<Reverse<(i64, K)>>,
}

impl<K: Ord> Default for Expiry<K> {
    fn default() -> Self {
        Self {
            queue: BinaryHeap::new(),
        }
    }
}

impl<K: Ord + Hash + Clone> Expiry<K> {
    /// Inserts an entry into `map` and notes when it expires (Unix seconds).
    pub fn insert<V>(&mut self, map: &mut HashMap<K, V>, key: K, value: V, expires_at: i64) {
        self.queue.push(Reverse((expires_at, key.clone())));
        map.insert(key, value);
    }

    /// Removes from `map` every noted entry that expires at or before `now`.
    pub fn drop_expired<V>(&mut self, map: &mut HashMap<K, V>, now: i64) {
        while let Some(Reverse((expires_at, _))) = self.queue.peek() {
            if *expires_at > now {
                break;
            }
            if let Some(Reverse((_, key))) = self.queue.pop() {
                map.remove(&key);
            }
        }
    }

    /// Notes when a key kept elsewhere (a durable map) expires.
    pub fn note(&mut self, key: K, expires_at: i64) {
        self.queue.push(Reverse((expires_at, key)));
    }

    /// Takes every noted key whose time is at or before `now`, soonest first.
    pub fn due(&mut self, now: i64) -> Vec<K> {
        let mut due = Vec::new();
        while let Some(Reverse((expires_at, _))) = self.queue.peek() {
            if *expires_at > now {
                break;
            }
            if let Some(Reverse((_, key))) = self.queue.pop() {
                due.push(key);
            }
        }
        due
    }

    /// How many keys are waiting for their time (answered ones included).
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.queue.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expired_entries_go_and_live_ones_stay() {
        let mut expiry = Expiry::default();
        let mut map = HashMap::new();
        expiry.insert(&mut map, "late", 1, 300);
        expiry.insert(&mut map, "early", 2, 100);
        expiry.insert(&mut map, "middle", 3, 200);
        expiry.drop_expired(&mut map, 99);
        assert_eq!(map.len(), 3);
        expiry.drop_expired(&mut map, 200);
        assert_eq!(map.keys().copied().collect::<Vec<_>>(), ["late"]);
        assert_eq!(expiry.len(), 1);
    }

    #[test]
    fn an_answered_entry_is_forgotten_when_its_time_comes() {
        let mut expiry = Expiry::default();
        let mut map = HashMap::new();
        expiry.insert(&mut map, [1u8; 32], "answered", 100);
        expiry.insert(&mut map, [2u8; 32], "waiting", 500);
        map.remove(&[1u8; 32]);
        expiry.drop_expired(&mut map, 100);
        assert_eq!(expiry.len(), 1);
        assert_eq!(map.get(&[2u8; 32]), Some(&"waiting"));
    }

    #[test]
    fn the_queue_holds_one_validity_window_and_the_map_only_live_entries() {
        // 100,000 requests, each adding an entry that lives 60 seconds and then dropping what
        // has expired, one request per millisecond: the queue never holds more than the
        // entries of one validity window, and the map ends with exactly the live ones.
        let mut expiry = Expiry::default();
        let mut map = HashMap::new();
        let mut largest = 0;
        for i in 0..100_000i64 {
            let now = i / 1000;
            expiry.drop_expired(&mut map, now);
            expiry.insert(&mut map, i, (), now + 60);
            largest = largest.max(expiry.len());
        }
        assert!(largest <= 61_000, "queue grew to {largest}");
        assert_eq!(map.len(), expiry.len());
        assert!(map.keys().all(|k| k / 1000 + 60 > 99));
    }
}
