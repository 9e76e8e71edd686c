//! A map that remembers which keys were changed since it was last asked, so durable mode
//! (`serve --data DIR`) writes only the records a request touched.
//!
//! Reads go through `Deref` to the inner `BTreeMap`; every way of getting a `&mut` to a value,
//! inserting or removing marks the key. A key marked and then found missing was removed.

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Deref;

/// A `BTreeMap` with a set of changed keys.
#[derive(Debug, Clone)]
pub struct TrackedMap<K: Ord, V> {
    inner: BTreeMap<K, V>,
    dirty: BTreeSet<K>,
}

impl<K: Ord, V> Default for TrackedMap<K, V> {
    fn default() -> Self {
        Self {
            inner: BTreeMap::new(),
            dirty: BTreeSet::new(),
        }
    }
}

impl<K: Ord, V> Deref for TrackedMap<K, V> {
    type Target = BTreeMap<K, V>;

    fn deref(&self) -> &BTreeMap<K, V> {
        &self.inner
    }
}

impl<K: Ord + Clone, V> TrackedMap<K, V> {
    /// A map whose entries count as already stored (nothing dirty).
    pub fn clean(inner: BTreeMap<K, V>) -> Self {
        Self {
            inner,
            dirty: BTreeSet::new(),
        }
    }

    /// A value to change; marks its key.
    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let (k, _) = self.inner.get_key_value(key)?;
        self.dirty.insert(k.clone());
        self.inner.get_mut(key)
    }

    /// Inserts or replaces; marks the key.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        self.dirty.insert(key.clone());
        self.inner.insert(key, value)
    }

    /// Removes; marks the key.
    pub fn remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let (k, v) = self.inner.remove_entry(key)?;
        self.dirty.insert(k);
        Some(v)
    }

    /// Every value, to change; marks every key.
    pub fn values_mut(&mut self) -> std::collections::btree_map::ValuesMut<'_, K, V> {
        self.mark_all();
        self.inner.values_mut()
    }

    /// Keeps the entries `keep` accepts; marks the removed keys.
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &V) -> bool) {
        let dirty = &mut self.dirty;
        self.inner.retain(|k, v| {
            let kept = keep(k, v);
            if !kept {
                dirty.insert(k.clone());
            }
            kept
        });
    }

    /// Marks every present key (after a bulk load that must be written out).
    pub fn mark_all(&mut self) {
        self.dirty.extend(self.inner.keys().cloned());
    }

    /// The keys changed since the last call, forgetting them.
    pub fn take_dirty(&mut self) -> BTreeSet<K> {
        std::mem::take(&mut self.dirty)
    }

    /// Whether anything changed since the last [`TrackedMap::take_dirty`].
    pub fn is_dirty(&self) -> bool {
        !self.dirty.is_empty()
    }
}

impl<K: Ord + Clone, V> FromIterator<(K, V)> for TrackedMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut map = Self::clean(iter.into_iter().collect());
        map.mark_all();
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_way_to_change_marks_the_key_and_reads_do_not() {
        let mut m: TrackedMap<String, i32> = TrackedMap::default();
        m.insert("a".into(), 1);
        m.insert("b".into(), 2);
        m.insert("c".into(), 3);
        assert_eq!(m.take_dirty().len(), 3);

        assert_eq!(m.get("a"), Some(&1));
        assert_eq!(m.values().sum::<i32>(), 6);
        assert!(!m.is_dirty(), "reads leave the map clean");

        if let Some(v) = m.get_mut("a") {
            *v = 10;
        }
        assert!(m.get_mut("zzz").is_none());
        m.remove("b");
        m.retain(|k, _| k != "c");
        let dirty: Vec<String> = m.take_dirty().into_iter().collect();
        assert_eq!(dirty, ["a", "b", "c"]);

        m.insert("d".into(), 4);
        m.take_dirty();
        for v in m.values_mut() {
            *v += 1;
        }
        assert_eq!(m.take_dirty().len(), 2);
        assert_eq!(m.get("d"), Some(&5));
    }
}
