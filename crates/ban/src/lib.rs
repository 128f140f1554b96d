//! The ban decision core: fail2ban's failure counting, ban, increment, ignore
//! and expiry rules as pure functions of their inputs.
//!
//! Nothing here does IO or reads a clock: every call takes `now_ms` (Unix
//! epoch milliseconds), so live operation passes wall time and log replay
//! passes log time. Results are returned as values ([`Decision`],
//! [`BanOrder`]); applying them (nftables, database, alerts) is the caller's
//! job.
//!
//! Semantics follow fail2ban 1.0.2 (`failmanager.py`, `banmanager.py`,
//! `observer.py`, `jail.py`):
//! - a failure older than `now − findtime` is dropped (`<`: a failure exactly
//!   `findtime` old still counts), a failure from the future is taken as `now`;
//! - a ban ends after `now > end` (`>`: at `end` itself it is still active);
//! - each jail bans independently: a ban in one jail never blocks another
//!   (fail2ban #2271);
//! - `bantime.increment` uses the per-key ban history the caller restores.
//!
//! One deliberate difference: fail2ban estimates the failure count when the
//! first failure falls out of `findtime` (it scales the count by rate); this
//! core keeps the actual failure times (at most `maxretry` per key) and
//! counts exactly those inside the sliding window.

mod address;
mod formula;
mod policy;
mod recency;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::IpAddr;

use ipnet::IpNet;

pub use address::{
    IgnoreList, IgnoreProblem, MAX_IGNORE_ENTRIES, MAX_IGNORE_FILE_BYTES, ban_key, is_loopback,
    normalize, overlaps_loopback, parse_ignore_list, parse_net,
};
pub use formula::{FormulaError, MAX_FORMULA_DEPTH, MAX_FORMULA_LEN};
pub use policy::{
    BanError, DEFAULT_FORMULA, Increment, JailPolicy, MANUAL_JAIL, MAX_BAN_MS, MAX_MAXRETRY,
};

use policy::Jail;
use recency::RecencyMap;

/// Default cap on keys with pending failures, per jail.
pub const DEFAULT_MAX_TRACKED_KEYS: usize = 100_000;
/// Default cap on keys with remembered ban history, per jail.
pub const DEFAULT_MAX_HISTORY_KEYS: usize = 100_000;
/// Default cap on active bans, per jail.
pub const DEFAULT_MAX_ACTIVE_BANS: usize = 1_000_000;

/// Memory bounds of the engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Keys with pending failures per jail; the key seen longest ago is evicted.
    pub max_tracked_keys: usize,
    /// Keys with ban history per jail; the key banned longest ago is forgotten.
    pub max_history_keys: usize,
    /// Active bans per jail; beyond it new bans are refused, never evicted.
    pub max_active_bans: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_tracked_keys: DEFAULT_MAX_TRACKED_KEYS,
            max_history_keys: DEFAULT_MAX_HISTORY_KEYS,
            max_active_bans: DEFAULT_MAX_ACTIVE_BANS,
        }
    }
}

/// A ban to apply (or that was lifted, when returned by [`Engine::expire`]
/// and [`Engine::unban`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BanOrder {
    /// The banned address or net (an IPv6 attacker's /64 by default).
    pub key: IpNet,
    /// Jail that banned it ([`MANUAL_JAIL`] for manual bans without a jail).
    pub jail: String,
    /// Start of the ban.
    pub start_ms: i64,
    /// End of the ban; `None` = permanent. The ban is active while `now <= end`.
    pub end_ms: Option<i64>,
    /// How many bans of this key this one is (1 = first), as fail2ban's `bancount`.
    pub ban_count: u32,
    /// Weighted failures that led to it (0 for manual and restored bans).
    pub failures: u32,
}

impl BanOrder {
    /// Ban duration in milliseconds; `None` = permanent.
    pub fn duration_ms(&self) -> Option<i64> {
        self.end_ms.map(|end| end.saturating_sub(self.start_ms))
    }
}

/// Why a failure or ban was not acted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IgnoreReason {
    /// Loopback addresses (and nets containing one) are never banned.
    Loopback,
    /// A saved ban wider than one address covers this net, which no ban may
    /// cover (loopback, link-local, an own address, an `ignoreip` entry).
    CoversExempt(IpNet),
    /// One of the host's own addresses (`ignoreself`).
    OwnAddress,
    /// Covered by this `ignoreip` entry.
    IgnoreList(IpNet),
    /// The failure is older than `now − findtime`.
    Stale,
    /// The ban would already have ended by `now`.
    Expired,
    /// The jail holds [`Limits::max_active_bans`] bans already.
    BanCapacity,
}

/// What the caller should do after a call.
#[must_use]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Failure recorded; no ban yet.
    Nothing,
    /// Not counted or not banned, for this reason.
    Ignored(IgnoreReason),
    /// Ban this key until `end_ms`.
    Ban(BanOrder),
    /// The key was already banned in this jail; its end moves later to
    /// `end_ms` (fail2ban's prolong). Update the existing ban.
    Prolong(BanOrder),
    /// The key is already banned in this jail until at least that time.
    AlreadyBanned,
}

/// Ban history of one key in one jail (fail2ban's `bips` row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct History {
    /// Bans so far.
    pub ban_count: u32,
    /// Start of the latest ban.
    pub last_ban_ms: i64,
}

/// Failure times of one key, oldest first; at most `maxretry` entries.
#[derive(Debug, Clone, Default)]
struct Failures {
    /// (time, weight) pairs sorted by time.
    times: Vec<(i64, u32)>,
}

impl Failures {
    /// Adds a failure and drops those outside the window that ends at the
    /// newest failure; returns the weighted count inside the window and the
    /// newest failure time (fail2ban's ticket time).
    fn add(&mut self, time_ms: i64, weight: u32, find_time_ms: i64, cap: usize) -> (u32, i64) {
        let at = self.times.partition_point(|(t, _)| *t <= time_ms);
        self.times.insert(at, (time_ms, weight));
        let newest = self.times.last().map_or(time_ms, |(t, _)| *t);
        let cutoff = newest.saturating_sub(find_time_ms);
        self.times.retain(|(t, _)| *t >= cutoff);
        if self.times.len() > cap {
            let excess = self.times.len() - cap;
            self.times.drain(..excess);
        }
        let total = self
            .times
            .iter()
            .fold(0u32, |sum, (_, w)| sum.saturating_add(*w));
        (total, newest)
    }
}

#[derive(Debug, Clone)]
struct JailState {
    failures: RecencyMap<Failures>,
    history: RecencyMap<History>,
    bans: HashMap<IpNet, BanOrder>,
    /// `(end_ms, key)` of every timed ban in `bans`, so expiring costs
    /// O(ended · log n) rather than a walk over every active ban.
    ends: BTreeSet<(i64, IpNet)>,
}

impl JailState {
    fn new(limits: &Limits) -> JailState {
        JailState {
            failures: RecencyMap::new(limits.max_tracked_keys),
            history: RecencyMap::new(limits.max_history_keys),
            bans: HashMap::new(),
            ends: BTreeSet::new(),
        }
    }

    /// Adds or replaces the ban of `order.key`.
    fn put_ban(&mut self, order: BanOrder) {
        if let Some(old_end) = self.bans.get(&order.key).and_then(|old| old.end_ms) {
            self.ends.remove(&(old_end, order.key));
        }
        if let Some(end) = order.end_ms {
            self.ends.insert((end, order.key));
        }
        self.bans.insert(order.key, order);
    }

    fn take_ban(&mut self, key: &IpNet) -> Option<BanOrder> {
        let ban = self.bans.remove(key)?;
        if let Some(end) = ban.end_ms {
            self.ends.remove(&(end, ban.key));
        }
        Some(ban)
    }
}

/// The decision engine: jail policies, pending failures, ban history and
/// active bans.
#[derive(Debug, Clone)]
pub struct Engine {
    jails: BTreeMap<String, Jail>,
    states: HashMap<String, JailState>,
    own_addresses: Vec<IpAddr>,
    limits: Limits,
    rng_state: u64,
}

fn compile_all(policies: Vec<JailPolicy>) -> Result<BTreeMap<String, Jail>, BanError> {
    let mut jails = BTreeMap::new();
    for policy in policies {
        let name = policy.name.clone();
        if jails.insert(name.clone(), Jail::compile(policy)?).is_some() {
            return Err(BanError::DuplicateJail(name));
        }
    }
    Ok(jails)
}

impl Engine {
    /// Builds an engine. `rng_seed` drives `bantime.rndtime`; pass a random
    /// seed in production and a fixed one in tests.
    pub fn new(
        policies: Vec<JailPolicy>,
        limits: Limits,
        rng_seed: u64,
    ) -> Result<Engine, BanError> {
        let jails = compile_all(policies)?;
        let mut states = HashMap::new();
        for name in jails.keys() {
            states.insert(name.clone(), JailState::new(&limits));
        }
        states.insert(MANUAL_JAIL.to_string(), JailState::new(&limits));
        Ok(Engine {
            jails,
            states,
            own_addresses: Vec::new(),
            limits,
            rng_state: rng_seed,
        })
    }

    /// Sets the host's own addresses, used by `ignoreself`.
    pub fn set_own_addresses(&mut self, addresses: Vec<IpAddr>) {
        self.own_addresses = addresses.into_iter().map(normalize).collect();
    }

    /// Replaces the jail policies (SIGHUP). Pending failures, history and
    /// bans of jails that remain are kept; removed jails lose their state and
    /// their active bans are returned so the caller can lift them, as
    /// fail2ban does when a jail stops. On error nothing changes.
    pub fn reconfigure(&mut self, policies: Vec<JailPolicy>) -> Result<Vec<BanOrder>, BanError> {
        let jails = compile_all(policies)?;
        let mut lifted = Vec::new();
        self.states.retain(|name, state| {
            let keep = name == MANUAL_JAIL || jails.contains_key(name);
            if !keep {
                lifted.extend(state.bans.drain().map(|(_, ban)| ban));
            }
            keep
        });
        for name in jails.keys() {
            self.states
                .entry(name.clone())
                .or_insert_with(|| JailState::new(&self.limits));
        }
        self.jails = jails;
        lifted.sort_by(|a, b| (&a.jail, a.key).cmp(&(&b.jail, b.key)));
        Ok(lifted)
    }

    fn jail(&self, name: &str) -> Result<&Jail, BanError> {
        self.jails
            .get(name)
            .ok_or_else(|| BanError::UnknownJail(name.to_string()))
    }

    fn next_random(&mut self) -> f64 {
        // splitmix64: small, deterministic for a given seed.
        self.rng_state = self.rng_state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.rng_state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Earlier bans of `key` that count for `jail`: (count, latest start).
    fn prior_bans(&self, jail: &Jail, key: &IpNet) -> (u32, Option<i64>) {
        let overall = jail
            .policy
            .increment
            .as_ref()
            .is_some_and(|inc| inc.overall_jails);
        let mut count = 0u32;
        let mut last = None;
        for (name, state) in &self.states {
            if !overall && *name != jail.policy.name {
                continue;
            }
            if let Some(h) = state.history.get(key) {
                count = count.saturating_add(h.ban_count);
                last = last.max(Some(h.last_ban_ms));
            }
        }
        (count, last)
    }

    /// Records `count` failures (a line with `suppressed=N` stands for N+1)
    /// of `addr` in `jail` at log time `time_ms`.
    pub fn failure(
        &mut self,
        jail: &str,
        addr: IpAddr,
        count: u32,
        time_ms: i64,
        now_ms: i64,
    ) -> Result<Decision, BanError> {
        let rule = self.jail(jail)?;
        let addr = normalize(addr);
        let policy = &rule.policy;
        if is_loopback(addr) {
            return Ok(Decision::Ignored(IgnoreReason::Loopback));
        }
        if let Some(hit) = rule.ignore_match(addr, &self.own_addresses) {
            return Ok(Decision::Ignored(
                hit.map_or(IgnoreReason::OwnAddress, IgnoreReason::IgnoreList),
            ));
        }
        let key = rule.key_of(addr, &self.own_addresses);
        if overlaps_loopback(&key) {
            return Ok(Decision::Ignored(IgnoreReason::Loopback));
        }
        let time_ms = time_ms.min(now_ms);
        if time_ms < now_ms.saturating_sub(policy.find_time_ms) {
            return Ok(Decision::Ignored(IgnoreReason::Stale));
        }

        // fail2ban's observer: known offenders' failures weigh more, but
        // only failures after their latest ban.
        let (own_prior, own_last) = self
            .states
            .get(jail)
            .and_then(|s| s.history.get(&key))
            .map_or((0, None), |h| (h.ban_count, Some(h.last_ban_ms)));
        let weight = if own_last.is_some_and(|last| time_ms <= last) {
            1
        } else {
            rule.failure_weight(own_prior)
        };
        let weighted = count.max(1).saturating_mul(weight);
        let max_retry = policy.max_retry;
        let find_time_ms = policy.find_time_ms;
        let plain_ban_ms = policy.ban_time_ms;
        let (prior, _) = self.prior_bans(rule, &key);
        let random = self.next_random();
        let Some(rule) = self.jails.get(jail) else {
            return Err(BanError::UnknownJail(jail.to_string()));
        };
        let duration = rule.ban_duration_ms(prior, random);
        let Some(state) = self.states.get_mut(jail) else {
            return Err(BanError::UnknownJail(jail.to_string()));
        };

        let (total, newest_ms) = state.failures.touch(key, time_ms, Failures::default).add(
            time_ms,
            weighted,
            find_time_ms,
            max_retry as usize,
        );
        // A ban runs from the newest failure, as fail2ban's ticket time.
        let time_ms = newest_ms;
        let banned = state.bans.get(&key).cloned();
        if total < max_retry {
            return Ok(match banned {
                Some(_) => Decision::AlreadyBanned,
                None => Decision::Nothing,
            });
        }
        state.failures.remove(&key);

        if let Some(mut existing) = banned {
            // fail2ban prolongs an active ban to `new failure + bantime`
            // when that ends later; the ban count does not change.
            let new_end = (plain_ban_ms >= 0).then(|| time_ms.saturating_add(plain_ban_ms));
            let later = match (existing.end_ms, new_end) {
                (None, _) => false,
                (Some(_), None) => true,
                (Some(old), Some(new)) => new > old,
            };
            if !later {
                return Ok(Decision::AlreadyBanned);
            }
            existing.end_ms = new_end;
            state.put_ban(existing.clone());
            return Ok(Decision::Prolong(existing));
        }

        let end_ms = duration.map(|d| time_ms.saturating_add(d));
        if end_ms.is_some_and(|end| end < now_ms) {
            return Ok(Decision::Ignored(IgnoreReason::Expired));
        }
        if state.bans.len() >= self.limits.max_active_bans {
            return Ok(Decision::Ignored(IgnoreReason::BanCapacity));
        }
        let order = BanOrder {
            key,
            jail: jail.to_string(),
            start_ms: time_ms,
            end_ms,
            ban_count: prior.saturating_add(1),
            failures: total,
        };
        record_ban(state, &order, own_prior);
        Ok(Decision::Ban(order))
    }

    /// Bans `target` by hand, in `jail` or (when `None`) in [`MANUAL_JAIL`].
    /// `duration_ms`: `Some(d)` with `d < 0` is permanent; `None` uses the
    /// jail's (incremented) bantime, or permanent without a jail. `ignoreip`
    /// does not apply ("user knows best", as fail2ban), loopback does.
    pub fn manual_ban(
        &mut self,
        target: IpNet,
        jail: Option<&str>,
        duration_ms: Option<i64>,
        now_ms: i64,
    ) -> Result<Decision, BanError> {
        let key = address::normalize_net(target);
        if overlaps_loopback(&key) {
            return Ok(Decision::Ignored(IgnoreReason::Loopback));
        }
        let jail_name = jail.unwrap_or(MANUAL_JAIL);
        let (prior, duration) = match jail {
            Some(name) => {
                let rule = self.jail(name)?;
                let (prior, _) = self.prior_bans(rule, &key);
                let random = self.next_random();
                let rule = self.jail(name)?;
                let duration = match duration_ms {
                    Some(d) => (d >= 0).then(|| d.min(MAX_BAN_MS)),
                    None => rule.ban_duration_ms(prior, random),
                };
                (prior, duration)
            }
            None => {
                let prior = self
                    .states
                    .get(MANUAL_JAIL)
                    .and_then(|s| s.history.get(&key))
                    .map_or(0, |h| h.ban_count);
                let duration = duration_ms.and_then(|d| (d >= 0).then(|| d.min(MAX_BAN_MS)));
                (prior, duration)
            }
        };
        let own_prior = self
            .states
            .get(jail_name)
            .and_then(|s| s.history.get(&key))
            .map_or(0, |h| h.ban_count);
        let max_active = self.limits.max_active_bans;
        let Some(state) = self.states.get_mut(jail_name) else {
            return Err(BanError::UnknownJail(jail_name.to_string()));
        };
        let end_ms = duration.map(|d| now_ms.saturating_add(d));
        if let Some(existing) = state.bans.get(&key) {
            let later = match (existing.end_ms, end_ms) {
                (None, _) => false,
                (Some(_), None) => true,
                (Some(old), Some(new)) => new > old,
            };
            if !later {
                return Ok(Decision::AlreadyBanned);
            }
            let prolonged = BanOrder {
                end_ms,
                ..existing.clone()
            };
            state.put_ban(prolonged.clone());
            return Ok(Decision::Prolong(prolonged));
        }
        if state.bans.len() >= max_active {
            return Ok(Decision::Ignored(IgnoreReason::BanCapacity));
        }
        state.failures.remove(&key);
        let order = BanOrder {
            key,
            jail: jail_name.to_string(),
            start_ms: now_ms,
            end_ms,
            ban_count: prior.saturating_add(1),
            failures: 0,
        };
        record_ban(state, &order, own_prior);
        Ok(Decision::Ban(order))
    }

    /// Lifts active bans whose key overlaps `target` (in `jail`, or in all
    /// jails when `None`) and forgets the pending failures of those keys.
    /// Ban history is kept. Returns the lifted bans.
    pub fn unban(&mut self, target: IpNet, jail: Option<&str>) -> Result<Vec<BanOrder>, BanError> {
        let target = address::normalize_net(target);
        if let Some(name) = jail
            && !self.states.contains_key(name)
        {
            return Err(BanError::UnknownJail(name.to_string()));
        }
        let overlaps = |key: &IpNet| key.contains(&target) || target.contains(key);
        let mut lifted = Vec::new();
        for (name, state) in &mut self.states {
            if jail.is_some_and(|j| j != name) {
                continue;
            }
            let keys: Vec<IpNet> = state.bans.keys().filter(|k| overlaps(k)).copied().collect();
            for key in keys {
                if let Some(ban) = state.take_ban(&key) {
                    lifted.push(ban);
                }
            }
            state.failures.retain(|key, _| !overlaps(key));
        }
        lifted.sort_by(|a, b| (&a.jail, a.key).cmp(&(&b.jail, b.key)));
        Ok(lifted)
    }

    /// Removes and returns the bans that have ended (`now > end`), and drops
    /// pending failures older than `findtime`.
    pub fn expire(&mut self, now_ms: i64) -> Vec<BanOrder> {
        let mut ended = Vec::new();
        for (name, state) in &mut self.states {
            while let Some(&(end, key)) = state.ends.first()
                && now_ms > end
            {
                state.ends.pop_first();
                if let Some(ban) = state.bans.remove(&key) {
                    ended.push(ban);
                }
            }
            if let Some(jail) = self.jails.get(name) {
                // fail2ban's cleanup drops tickets with `time <= now - findtime`.
                let cutoff = now_ms.saturating_sub(jail.policy.find_time_ms);
                state.failures.remove_older_than(cutoff.saturating_add(1));
            }
        }
        ended.sort_by(|a, b| (a.end_ms, &a.jail, a.key).cmp(&(b.end_ms, &b.jail, b.key)));
        ended
    }

    /// Earliest end among active bans, for scheduling the next [`Engine::expire`].
    pub fn next_expiry_ms(&self) -> Option<i64> {
        self.states
            .values()
            .filter_map(|s| s.ends.first().map(|(end, _)| *end))
            .min()
    }

    /// Re-enters a ban saved before a restart. It keeps its end time, cut to
    /// the jail's current longest ban (fail2ban's `getMaxBanTime`); bans that
    /// ended, loopback and ignored keys are refused. A `Ban` result must be
    /// re-applied by the caller.
    pub fn restore_ban(&mut self, ban: BanOrder, now_ms: i64) -> Result<Decision, BanError> {
        let key = address::normalize_net(ban.key);
        if overlaps_loopback(&key) {
            return Ok(Decision::Ignored(IgnoreReason::Loopback));
        }
        let mut end_ms = ban.end_ms;
        if ban.jail != MANUAL_JAIL {
            let rule = self.jail(&ban.jail)?;
            if let Some(net) = rule.covered_exempt(&key, &self.own_addresses) {
                return Ok(Decision::Ignored(IgnoreReason::CoversExempt(net)));
            }
            if let Some(hit) = rule.ignores_key(&key, &self.own_addresses) {
                return Ok(Decision::Ignored(
                    hit.map_or(IgnoreReason::OwnAddress, IgnoreReason::IgnoreList),
                ));
            }
            if let Some(max) = rule.max_ban_ms() {
                let capped = ban.start_ms.saturating_add(max);
                end_ms = Some(end_ms.map_or(capped, |end| end.min(capped)));
            }
        }
        if end_ms.is_some_and(|end| end <= now_ms) {
            return Ok(Decision::Ignored(IgnoreReason::Expired));
        }
        let max_active = self.limits.max_active_bans;
        let Some(state) = self.states.get_mut(&ban.jail) else {
            return Err(BanError::UnknownJail(ban.jail));
        };
        if !state.bans.contains_key(&key) && state.bans.len() >= max_active {
            return Ok(Decision::Ignored(IgnoreReason::BanCapacity));
        }
        let mut order = BanOrder { key, end_ms, ..ban };
        // A late restore (the database opened after bans were made in
        // memory) merges with the live ban: never shorter, never fewer.
        if let Some(live) = state.bans.get(&key) {
            order = merge_bans(live, order);
        }
        let history = state.history.touch(key, order.start_ms, || History {
            ban_count: 0,
            last_ban_ms: order.start_ms,
        });
        history.ban_count = history.ban_count.max(order.ban_count);
        history.last_ban_ms = history.last_ban_ms.max(order.start_ms);
        state.put_ban(order.clone());
        Ok(Decision::Ban(order))
    }

    /// Restores the ban history of `key` in `jail` (fail2ban's `bips`), used
    /// by `bantime.increment` and the repeat-offender weighting.
    pub fn restore_history(
        &mut self,
        key: IpNet,
        jail: &str,
        history: History,
    ) -> Result<(), BanError> {
        let key = address::normalize_net(key);
        let Some(state) = self.states.get_mut(jail) else {
            return Err(BanError::UnknownJail(jail.to_string()));
        };
        // Merged, so a late restore keeps the bans counted since start-up.
        let kept = state.history.touch(key, history.last_ban_ms, || history);
        kept.ban_count = kept.ban_count.max(history.ban_count);
        kept.last_ban_ms = kept.last_ban_ms.max(history.last_ban_ms);
        Ok(())
    }

    /// Active bans, in no particular order (for saving state).
    pub fn active_bans(&self) -> impl Iterator<Item = &BanOrder> {
        self.states.values().flat_map(|s| s.bans.values())
    }

    /// Ban history entries as (jail, key, history) (for saving state).
    pub fn history(&self) -> impl Iterator<Item = (&str, &IpNet, &History)> {
        self.states
            .iter()
            .flat_map(|(name, s)| s.history.iter().map(move |(k, h)| (name.as_str(), k, h)))
    }

    /// Number of keys with pending failures in `jail` (0 for unknown jails).
    pub fn tracked_keys(&self, jail: &str) -> usize {
        self.states.get(jail).map_or(0, |s| s.failures.len())
    }
}

/// Two bans of one key as one: the later end (permanent wins), the larger
/// counts and the latest start.
fn merge_bans(live: &BanOrder, restored: BanOrder) -> BanOrder {
    let end_ms = match (live.end_ms, restored.end_ms) {
        (Some(a), Some(b)) => Some(a.max(b)),
        _ => None,
    };
    BanOrder {
        end_ms,
        start_ms: live.start_ms.max(restored.start_ms),
        ban_count: live.ban_count.max(restored.ban_count),
        failures: live.failures.max(restored.failures),
        ..restored
    }
}

fn record_ban(state: &mut JailState, order: &BanOrder, own_prior: u32) {
    let history = History {
        ban_count: own_prior.saturating_add(1),
        last_ban_ms: order.start_ms,
    };
    *state.history.touch(order.key, order.start_ms, || history) = history;
    state.put_ban(order.clone());
}

#[cfg(test)]
mod tests;
