//! Jail policy (the fail2ban jail options the decision core needs), its
//! validation, and the `bantime.increment` arithmetic.

use std::net::IpAddr;

use ipnet::IpNet;
use thiserror::Error;

use crate::formula::{Formula, FormulaError, FormulaInput};

/// fail2ban's default `bantime.formula`.
pub const DEFAULT_FORMULA: &str = "ban.Time * (1<<(ban.Count if ban.Count<20 else 20)) * banFactor";
/// Largest accepted `maxretry`; it also bounds the failure times stored per key.
pub const MAX_MAXRETRY: u32 = 1000;
/// Longest ban the core will compute (100 years), so arithmetic never overflows.
pub const MAX_BAN_MS: i64 = 100 * 366 * 24 * 3600 * 1000;
/// Name under which bans without a jail are kept; no jail may use it.
pub const MANUAL_JAIL: &str = "manual";

/// The options of one jail that decide bans.
#[derive(Debug, Clone, PartialEq)]
pub struct JailPolicy {
    /// Jail name (`sshd`, `openclaw-gateway`, …).
    pub name: String,
    /// `maxretry`: failures within `findtime` that trigger a ban (1..=[`MAX_MAXRETRY`]).
    pub max_retry: u32,
    /// `findtime` in milliseconds (> 0).
    pub find_time_ms: i64,
    /// `bantime` in milliseconds; negative means permanent.
    pub ban_time_ms: i64,
    /// `bantime.increment` settings; `None` when increment is off.
    pub increment: Option<Increment>,
    /// Prefix an IPv4 address is widened to for counting and banning (8..=32, default 32).
    pub ipv4_prefix: u8,
    /// Prefix an IPv6 address is widened to for counting and banning (16..=128, default 64).
    pub ipv6_prefix: u8,
    /// `ignoreip` after parsing (including the bodies of `file:` entries).
    pub ignore: Vec<IpNet>,
    /// `ignoreself`: never ban the host's own addresses.
    pub ignore_self: bool,
}

impl JailPolicy {
    /// A policy with fail2ban's defaults (`maxretry = 5`, `findtime = 10m`,
    /// `bantime = 10m`, increment off, /32 and /64, `ignoreself = true`).
    pub fn new(name: impl Into<String>) -> JailPolicy {
        JailPolicy {
            name: name.into(),
            max_retry: 5,
            find_time_ms: 600_000,
            ban_time_ms: 600_000,
            increment: None,
            ipv4_prefix: 32,
            ipv6_prefix: 64,
            ignore: Vec::new(),
            ignore_self: true,
        }
    }
}

/// `bantime.*` options used when `bantime.increment = true`.
#[derive(Debug, Clone, PartialEq)]
pub struct Increment {
    /// `bantime.factor` (default 1).
    pub factor: f64,
    /// `bantime.formula`; `None` means [`DEFAULT_FORMULA`].
    pub formula: Option<String>,
    /// `bantime.multipliers`; when non-empty it replaces the formula.
    pub multipliers: Vec<u64>,
    /// `bantime.maxtime` in milliseconds.
    pub max_time_ms: Option<i64>,
    /// `bantime.rndtime` in milliseconds.
    pub rnd_time_ms: Option<i64>,
    /// `bantime.overalljails`: count earlier bans from every jail.
    pub overall_jails: bool,
}

impl Default for Increment {
    fn default() -> Self {
        Increment {
            factor: 1.0,
            formula: None,
            multipliers: Vec::new(),
            max_time_ms: None,
            rnd_time_ms: None,
            overall_jails: false,
        }
    }
}

/// Errors raised by the ban core.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum BanError {
    #[error("unknown jail {0:?}")]
    UnknownJail(String),
    #[error("jail {0:?} is defined twice")]
    DuplicateJail(String),
    #[error("jail name {0:?} is reserved for manual bans")]
    ReservedJailName(String),
    #[error("jail {jail:?}: invalid {option} = {value}: {reason}")]
    InvalidOption {
        jail: String,
        option: &'static str,
        value: String,
        reason: &'static str,
    },
    #[error("jail {jail:?}: unsupported bantime.formula {formula:?}: {source}")]
    Formula {
        jail: String,
        formula: String,
        source: FormulaError,
    },
}

/// How the increment part of the ban time is computed.
#[derive(Debug, Clone, PartialEq)]
enum Growth {
    Formula(Formula),
    Multipliers(Vec<u64>),
}

/// A validated policy, ready for use.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Jail {
    pub(crate) policy: JailPolicy,
    growth: Option<Growth>,
}

fn invalid(
    jail: &str,
    option: &'static str,
    value: impl ToString,
    reason: &'static str,
) -> BanError {
    BanError::InvalidOption {
        jail: jail.to_string(),
        option,
        value: value.to_string(),
        reason,
    }
}

impl Jail {
    pub(crate) fn compile(policy: JailPolicy) -> Result<Jail, BanError> {
        let name = policy.name.as_str();
        if name == MANUAL_JAIL {
            return Err(BanError::ReservedJailName(policy.name));
        }
        if policy.max_retry == 0 || policy.max_retry > MAX_MAXRETRY {
            return Err(invalid(
                name,
                "maxretry",
                policy.max_retry,
                "must be 1..=1000",
            ));
        }
        if policy.find_time_ms <= 0 || policy.find_time_ms > MAX_BAN_MS {
            return Err(invalid(
                name,
                "findtime",
                policy.find_time_ms,
                "must be positive",
            ));
        }
        if policy.ban_time_ms == 0 || policy.ban_time_ms > MAX_BAN_MS {
            return Err(invalid(
                name,
                "bantime",
                policy.ban_time_ms,
                "must be non-zero and at most 100 years",
            ));
        }
        if !(8..=32).contains(&policy.ipv4_prefix) {
            return Err(invalid(
                name,
                "ipv4 prefix",
                policy.ipv4_prefix,
                "must be 8..=32",
            ));
        }
        if !(16..=128).contains(&policy.ipv6_prefix) {
            return Err(invalid(
                name,
                "ipv6 prefix",
                policy.ipv6_prefix,
                "must be 16..=128",
            ));
        }
        let growth = match &policy.increment {
            None => None,
            Some(inc) => {
                if !inc.factor.is_finite() || inc.factor <= 0.0 {
                    return Err(invalid(
                        name,
                        "bantime.factor",
                        inc.factor,
                        "must be a positive number",
                    ));
                }
                if let Some(max) = inc.max_time_ms
                    && max <= 0
                {
                    return Err(invalid(name, "bantime.maxtime", max, "must be positive"));
                }
                if let Some(rnd) = inc.rnd_time_ms
                    && !(0..=MAX_BAN_MS).contains(&rnd)
                {
                    return Err(invalid(
                        name,
                        "bantime.rndtime",
                        rnd,
                        "must be 0..=100 years",
                    ));
                }
                if inc.multipliers.is_empty() {
                    let text = inc.formula.as_deref().unwrap_or(DEFAULT_FORMULA);
                    let formula_error = |source| BanError::Formula {
                        jail: name.to_string(),
                        formula: text.to_string(),
                        source,
                    };
                    let formula = Formula::compile(text).map_err(formula_error)?;
                    // A trial run catches formulas that can never produce a number.
                    formula
                        .eval(FormulaInput {
                            time_s: policy.ban_time_ms as f64 / 1000.0,
                            count: 1,
                            factor: inc.factor,
                        })
                        .map_err(formula_error)?;
                    Some(Growth::Formula(formula))
                } else {
                    Some(Growth::Multipliers(inc.multipliers.clone()))
                }
            }
        };
        Ok(Jail { policy, growth })
    }

    /// Whether `addr` (already normalised) is exempt through `ignoreip` or
    /// `ignoreself`; returns the matching `ignoreip` net or `None` for self.
    pub(crate) fn ignore_match(&self, addr: IpAddr, own: &[IpAddr]) -> Option<Option<IpNet>> {
        if self.policy.ignore_self && own.contains(&addr) {
            return Some(None);
        }
        self.policy
            .ignore
            .iter()
            .find(|net| net.contains(&addr))
            .map(|net| Some(*net))
    }

    /// The ban key of `addr` (already normalised and not exempt itself): its
    /// prefix, narrowed so it covers no own address, `ignoreip` entry,
    /// loopback or link-local address. Own addresses count whatever
    /// `ignoreself` says: widening is clawguard's choice, not the operator's.
    pub(crate) fn key_of(&self, addr: IpAddr, own: &[IpAddr]) -> IpNet {
        crate::address::narrowed_ban_key(
            addr,
            self.policy.ipv4_prefix,
            self.policy.ipv6_prefix,
            self.exempt_nets(own),
        )
    }

    /// The exempt net a saved ban `key` (wider than one address) covers.
    pub(crate) fn covered_exempt(&self, key: &IpNet, own: &[IpAddr]) -> Option<IpNet> {
        crate::address::covered_exempt(key, self.exempt_nets(own))
    }

    fn exempt_nets<'a>(&'a self, own: &'a [IpAddr]) -> impl Iterator<Item = IpNet> + 'a {
        own.iter()
            .map(|a| IpNet::from(*a))
            .chain(self.policy.ignore.iter().copied())
    }

    /// Whether a whole ban key lies inside `ignoreip` or holds an own address.
    pub(crate) fn ignores_key(&self, key: &IpNet, own: &[IpAddr]) -> Option<Option<IpNet>> {
        if self.policy.ignore_self && own.iter().any(|a| key.contains(a)) {
            return Some(None);
        }
        self.policy
            .ignore
            .iter()
            .find(|net| net.contains(key))
            .map(|net| Some(*net))
    }

    /// The longest ban this jail can give; `None` = permanent allowed.
    /// Restored bans are cut to it, as fail2ban's `getMaxBanTime`.
    pub(crate) fn max_ban_ms(&self) -> Option<i64> {
        match &self.policy.increment {
            Some(inc) => inc.max_time_ms,
            None => (self.policy.ban_time_ms >= 0).then_some(self.policy.ban_time_ms),
        }
    }

    /// The weight of one new failure of an address with `prior_bans` earlier
    /// bans in this jail (fail2ban's observer `failureFound`).
    pub(crate) fn failure_weight(&self, prior_bans: u32) -> u32 {
        if self.policy.increment.is_none() || prior_bans == 0 {
            return 1;
        }
        let shift = prior_bans.min(20);
        ((1u32 << shift) / 2 + 1).min(self.policy.max_retry)
    }

    /// Ban duration in milliseconds (`None` = permanent) for a ban preceded
    /// by `prior_bans` bans; `random` is in `[0, 1)` and feeds `rndtime`.
    pub(crate) fn ban_duration_ms(&self, prior_bans: u32, random: f64) -> Option<i64> {
        let base = self.policy.ban_time_ms;
        if base < 0 {
            return None;
        }
        let (Some(inc), Some(growth)) = (&self.policy.increment, &self.growth) else {
            return Some(base);
        };
        if prior_bans == 0 {
            return Some(base);
        }
        let base_s = base as f64 / 1000.0;
        let grown_s = match growth {
            Growth::Multipliers(list) => {
                let index = (prior_bans as usize).min(list.len().saturating_sub(1));
                let multiplier = list.get(index).copied().unwrap_or(1);
                base_s * inc.factor * multiplier as f64
            }
            Growth::Formula(formula) => {
                let input = FormulaInput {
                    time_s: base_s,
                    count: prior_bans,
                    factor: inc.factor,
                };
                // fail2ban keeps the plain bantime when the formula fails.
                formula.eval(input).unwrap_or(base_s).max(base_s)
            }
        };
        let mut ms = clamp_ms(grown_s * 1000.0);
        if let Some(max) = inc.max_time_ms {
            ms = ms.min(max);
        }
        if let Some(rnd) = inc.rnd_time_ms {
            ms = ms.saturating_add(clamp_ms(random.clamp(0.0, 1.0) * rnd as f64));
        }
        Some(ms.clamp(0, MAX_BAN_MS))
    }
}

fn clamp_ms(value: f64) -> i64 {
    if value.is_nan() {
        0
    } else {
        value.round().clamp(0.0, MAX_BAN_MS as f64) as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jail_with(inc: Increment) -> Jail {
        let mut policy = JailPolicy::new("sshd");
        policy.increment = Some(inc);
        Jail::compile(policy).expect("valid policy")
    }

    #[test]
    fn default_formula_and_factor() {
        let jail = jail_with(Increment::default());
        assert_eq!(jail.ban_duration_ms(0, 0.0), Some(600_000));
        assert_eq!(jail.ban_duration_ms(1, 0.0), Some(1_200_000));
        assert_eq!(jail.ban_duration_ms(2, 0.0), Some(2_400_000));
        assert_eq!(jail.ban_duration_ms(25, 0.0), Some(600_000 << 20));
        let jail = jail_with(Increment {
            factor: 3.0,
            ..Increment::default()
        });
        assert_eq!(jail.ban_duration_ms(1, 0.0), Some(3_600_000));
    }

    #[test]
    fn formula_result_never_below_bantime() {
        let jail = jail_with(Increment {
            factor: 0.1,
            ..Increment::default()
        });
        assert_eq!(jail.ban_duration_ms(1, 0.0), Some(600_000));
    }

    #[test]
    fn exponential_formula() {
        let jail = jail_with(Increment {
            formula: Some(
                "ban.Time * math.exp(float(ban.Count+1)*banFactor)/math.exp(1*banFactor)".into(),
            ),
            ..Increment::default()
        });
        let expected = (600.0 * 1.0f64.exp() * 1000.0).round() as i64;
        assert_eq!(jail.ban_duration_ms(1, 0.0), Some(expected));
    }

    #[test]
    fn multipliers_index_by_prior_bans_and_stick_at_last() {
        let jail = jail_with(Increment {
            multipliers: vec![1, 5, 30],
            factor: 2.0,
            ..Increment::default()
        });
        assert_eq!(jail.ban_duration_ms(0, 0.0), Some(600_000));
        assert_eq!(jail.ban_duration_ms(1, 0.0), Some(6_000_000));
        assert_eq!(jail.ban_duration_ms(2, 0.0), Some(36_000_000));
        assert_eq!(jail.ban_duration_ms(9, 0.0), Some(36_000_000));
    }

    #[test]
    fn maxtime_caps_and_rndtime_adds() {
        let jail = jail_with(Increment {
            max_time_ms: Some(1_000_000),
            rnd_time_ms: Some(10_000),
            ..Increment::default()
        });
        assert_eq!(jail.ban_duration_ms(5, 0.0), Some(1_000_000));
        assert_eq!(jail.ban_duration_ms(5, 0.5), Some(1_005_000));
        // fail2ban applies neither to a first ban.
        assert_eq!(jail.ban_duration_ms(0, 0.5), Some(600_000));
    }

    #[test]
    fn permanent_bantime_is_never_incremented() {
        let mut policy = JailPolicy::new("sshd");
        policy.ban_time_ms = -1;
        policy.increment = Some(Increment::default());
        let jail = Jail::compile(policy).expect("valid");
        assert_eq!(jail.ban_duration_ms(3, 0.0), None);
        assert_eq!(jail.max_ban_ms(), None);
    }

    #[test]
    fn observer_weight_for_known_offenders() {
        let mut policy = JailPolicy::new("sshd");
        policy.max_retry = 6;
        policy.increment = Some(Increment::default());
        let jail = Jail::compile(policy.clone()).expect("valid");
        assert_eq!(jail.failure_weight(0), 1);
        assert_eq!(jail.failure_weight(1), 2);
        assert_eq!(jail.failure_weight(2), 3);
        assert_eq!(jail.failure_weight(3), 5);
        assert_eq!(jail.failure_weight(4), 6);
        assert_eq!(jail.failure_weight(40), 6);
        policy.increment = None;
        let jail = Jail::compile(policy).expect("valid");
        assert_eq!(jail.failure_weight(3), 1);
    }

    #[test]
    fn unsupported_formula_names_the_formula() {
        let mut policy = JailPolicy::new("sshd");
        policy.increment = Some(Increment {
            formula: Some("__import__('os').system('x')".into()),
            ..Increment::default()
        });
        let err = Jail::compile(policy).expect_err("rejected");
        assert!(
            err.to_string().contains("__import__('os').system('x')"),
            "{err}"
        );
        assert!(matches!(err, BanError::Formula { .. }));
    }

    #[test]
    fn invalid_options_are_rejected() {
        let base = JailPolicy::new("sshd");
        let cases: [fn(&mut JailPolicy); 10] = [
            |p| p.max_retry = 0,
            |p| p.max_retry = MAX_MAXRETRY + 1,
            |p| p.find_time_ms = 0,
            |p| p.ban_time_ms = 0,
            |p| p.ipv4_prefix = 33,
            |p| p.ipv4_prefix = 0,
            |p| p.ipv6_prefix = 129,
            |p| p.name = MANUAL_JAIL.into(),
            |p| {
                p.increment = Some(Increment {
                    factor: f64::NAN,
                    ..Increment::default()
                })
            },
            |p| {
                p.increment = Some(Increment {
                    formula: Some("ban.Time / 0".into()),
                    ..Increment::default()
                })
            },
        ];
        for (i, change) in cases.iter().enumerate() {
            let mut policy = base.clone();
            change(&mut policy);
            assert!(Jail::compile(policy).is_err(), "case {i} accepted");
        }
    }
}
