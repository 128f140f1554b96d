//! Bounded cache of multi-line failure ids (`<F-MLFID>`, e.g. an sshd
//! connection's `host sshd[pid]:` prefix) with what fail2ban merges per id.
//! Like fail2ban: at most [`MLFID_MAX_IDS`] ids, each kept [`MLFID_TTL_MS`]
//! from when it was first stored; when full, the oldest ids are dropped first.

use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

/// FNV-1a: ids are short and the map holds at most [`MLFID_MAX_IDS`] of them,
/// so collision attacks can't cost more than a scan of 100 entries.
#[derive(Default)]
pub(crate) struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FnvMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

/// Most ids remembered at once (fail2ban: 100).
pub const MLFID_MAX_IDS: usize = 100;
/// How long an id is remembered (fail2ban: 5 minutes).
pub const MLFID_TTL_MS: i64 = 5 * 60 * 1000;
/// Most distinct user names remembered per id.
pub const MLFID_MAX_USERS: usize = 16;
/// Longest id kept, in bytes (longer ids are truncated at a char boundary).
pub const MLFID_MAX_ID_BYTES: usize = 512;

/// What fail2ban keeps for one multi-line id (the merged group values).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct MlfEntry {
    pub ip4: Option<String>,
    pub ip6: Option<String>,
    pub dns: Option<String>,
    pub fid: Option<String>,
    pub user: Option<String>,
    pub users: Vec<String>,
    pub nofail: bool,
    pub mlfgained: bool,
    pub mlfpending: bool,
    pub matches: u32,
    pub nofail_matches: u32,
}

impl MlfEntry {
    /// Adds a user to the set (bounded); returns the set size.
    pub fn add_user(&mut self, user: Option<&str>) {
        if let Some(u) = user.filter(|u| !u.is_empty())
            && !self.users.iter().any(|x| x == u)
            && self.users.len() < MLFID_MAX_USERS
        {
            self.users.push(u.to_string());
        }
    }
}

struct Slot {
    seq: u64,
    expires_ms: i64,
    entry: MlfEntry,
}

/// The id cache.
#[derive(Default)]
pub(crate) struct MlfidCache {
    map: FnvMap<Arc<str>, Slot>,
    /// Insertion order; entries whose seq no longer matches the map are stale.
    order: VecDeque<(u64, Arc<str>)>,
    next_seq: u64,
}

impl MlfidCache {
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// The live entry for `id`, dropping it if expired.
    pub fn get_mut(&mut self, id: &str, now_ms: i64) -> Option<&mut MlfEntry> {
        let expired = match self.map.get(id) {
            None => return None,
            Some(slot) => slot.expires_ms <= now_ms,
        };
        if expired {
            self.map.remove(id);
            return None;
        }
        self.map.get_mut(id).map(|s| &mut s.entry)
    }

    /// Removes `id`, returning its entry if it had not expired.
    pub fn take(&mut self, id: &str, now_ms: i64) -> Option<MlfEntry> {
        self.map
            .remove(id)
            .filter(|s| s.expires_ms > now_ms)
            .map(|s| s.entry)
    }

    /// Stores `entry` under `id`, evicting like fail2ban when full; returns the stored entry.
    pub fn insert(&mut self, id: &str, entry: MlfEntry, now_ms: i64) -> Option<&mut MlfEntry> {
        let id = bounded_id(id);
        if self.map.len() >= MLFID_MAX_IDS {
            while let Some((seq, key)) = self.order.pop_front() {
                let live = self.map.get(&key).is_some_and(|s| s.seq == seq);
                if !live {
                    continue;
                }
                let Some(slot) = self.map.remove(&key) else {
                    continue;
                };
                if slot.expires_ms > now_ms && self.map.len() < MLFID_MAX_IDS {
                    break;
                }
            }
        }
        if self.order.len() >= 4 * MLFID_MAX_IDS {
            let map = &self.map;
            self.order
                .retain(|(seq, key)| map.get(key).is_some_and(|s| s.seq == *seq));
        }
        self.next_seq += 1;
        let seq = self.next_seq;
        let expires_ms = now_ms.saturating_add(MLFID_TTL_MS);
        let key: Arc<str> = Arc::from(id);
        let slot = match self.map.entry(Arc::clone(&key)) {
            // Python's dict keeps the key's original position when it is overwritten.
            std::collections::hash_map::Entry::Occupied(o) => {
                let slot = o.into_mut();
                slot.expires_ms = expires_ms;
                slot.entry = entry;
                slot
            }
            std::collections::hash_map::Entry::Vacant(v) => {
                self.order.push_back((seq, key));
                v.insert(Slot {
                    seq,
                    expires_ms,
                    entry,
                })
            }
        };
        Some(&mut slot.entry)
    }
}

/// Truncates an id to [`MLFID_MAX_ID_BYTES`] at a char boundary.
pub(crate) fn bounded_id(id: &str) -> &str {
    if id.len() <= MLFID_MAX_ID_BYTES {
        return id;
    }
    let mut end = MLFID_MAX_ID_BYTES;
    while !id.is_char_boundary(end) {
        end -= 1;
    }
    &id[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_is_bounded_and_expires() {
        let mut c = MlfidCache::default();
        for i in 0..1000 {
            c.insert(&format!("id{i}"), MlfEntry::default(), 0);
            assert!(c.len() <= MLFID_MAX_IDS);
        }
        assert!(c.order.len() <= 4 * MLFID_MAX_IDS + 1);
        assert!(c.get_mut("id999", 1).is_some());
        assert!(c.get_mut("id0", 1).is_none());
        assert!(c.get_mut("id999", MLFID_TTL_MS).is_none());
    }

    #[test]
    fn ids_and_users_are_bounded() {
        let long = "x".repeat(10_000);
        assert_eq!(bounded_id(&long).len(), MLFID_MAX_ID_BYTES);
        let mut e = MlfEntry::default();
        for i in 0..100 {
            e.add_user(Some(&format!("u{i}")));
        }
        assert_eq!(e.users.len(), MLFID_MAX_USERS);
    }
}
