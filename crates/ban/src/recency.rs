//! A map keyed by ban key with a size cap that evicts the entry seen longest
//! ago, in O(log n) per operation so a flood of new keys stays cheap.

use std::collections::{BTreeMap, HashMap};

use ipnet::IpNet;

#[derive(Debug, Clone)]
struct Slot<V> {
    value: V,
    stamp: (i64, u64),
}

/// Entries ordered by the time they were last touched.
#[derive(Debug, Clone)]
pub(crate) struct RecencyMap<V> {
    entries: HashMap<IpNet, Slot<V>>,
    order: BTreeMap<(i64, u64), IpNet>,
    next_seq: u64,
    cap: usize,
}

impl<V> RecencyMap<V> {
    pub(crate) fn new(cap: usize) -> Self {
        RecencyMap {
            entries: HashMap::new(),
            order: BTreeMap::new(),
            next_seq: 0,
            cap: cap.max(1),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(crate) fn get(&self, key: &IpNet) -> Option<&V> {
        self.entries.get(key).map(|s| &s.value)
    }

    pub(crate) fn remove(&mut self, key: &IpNet) -> Option<V> {
        let slot = self.entries.remove(key)?;
        self.order.remove(&slot.stamp);
        Some(slot.value)
    }

    /// Changes the cap, evicting the oldest entries if needed.
    #[cfg(test)]
    pub(crate) fn set_cap(&mut self, cap: usize) {
        self.cap = cap.max(1);
        while self.entries.len() > self.cap {
            self.evict_oldest();
        }
    }

    fn evict_oldest(&mut self) {
        if let Some((_, key)) = self.order.pop_first() {
            self.entries.remove(&key);
        }
    }

    /// Gives mutable access to the entry for `key`, creating it with
    /// `make` (and evicting the oldest entry when full), and marks it as
    /// seen at `seen_ms`.
    pub(crate) fn touch(&mut self, key: IpNet, seen_ms: i64, make: impl FnOnce() -> V) -> &mut V {
        let seq = self.next_seq;
        self.next_seq = self.next_seq.wrapping_add(1);
        let stamp = (seen_ms, seq);
        if let Some(old) = self.entries.get(&key).map(|s| s.stamp) {
            // Never move an entry back in time (failures may arrive out of order).
            let stamp = if old.0 > seen_ms { (old.0, seq) } else { stamp };
            self.order.remove(&old);
            self.order.insert(stamp, key);
            let slot = self.entries.entry(key).or_insert_with(|| Slot {
                value: make(),
                stamp,
            });
            slot.stamp = stamp;
            return &mut slot.value;
        }
        while self.entries.len() >= self.cap {
            self.evict_oldest();
        }
        self.order.insert(stamp, key);
        &mut self
            .entries
            .entry(key)
            .or_insert(Slot {
                value: make(),
                stamp,
            })
            .value
    }

    /// Removes every entry last touched before `cutoff_ms`.
    pub(crate) fn remove_older_than(&mut self, cutoff_ms: i64) {
        while let Some((stamp, key)) = self.order.first_key_value() {
            if stamp.0 >= cutoff_ms {
                break;
            }
            let key = *key;
            self.order.pop_first();
            self.entries.remove(&key);
        }
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&IpNet, &V)> {
        self.entries.iter().map(|(k, s)| (k, &s.value))
    }

    pub(crate) fn retain(&mut self, mut keep: impl FnMut(&IpNet, &V) -> bool) {
        let order = &mut self.order;
        self.entries.retain(|key, slot| {
            let kept = keep(key, &slot.value);
            if !kept {
                order.remove(&slot.stamp);
            }
            kept
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(i: u8) -> IpNet {
        format!("192.0.2.{i}/32").parse().expect("test net")
    }

    #[test]
    fn evicts_the_entry_seen_longest_ago() {
        let mut map = RecencyMap::new(2);
        *map.touch(key(1), 10, || 0) += 1;
        *map.touch(key(2), 20, || 0) += 1;
        *map.touch(key(1), 30, || 0) += 1;
        *map.touch(key(3), 40, || 0) += 1;
        assert_eq!(map.len(), 2);
        assert_eq!(map.get(&key(1)), Some(&2));
        assert_eq!(map.get(&key(2)), None);
        assert_eq!(map.get(&key(3)), Some(&1));
        map.remove_older_than(35);
        assert_eq!(map.get(&key(1)), None);
        assert_eq!(map.len(), 1);
        map.set_cap(1);
        *map.touch(key(4), 5, || 7) += 0;
        assert_eq!(map.get(&key(3)), None);
        assert_eq!(map.order.len(), map.entries.len());
    }
}
