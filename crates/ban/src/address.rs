//! Address rules: normalisation, loopback protection, ban-key aggregation and
//! `ignoreip` parsing.

use std::net::IpAddr;

use ipnet::{IpNet, Ipv4Net, Ipv6Net};

/// Most entries accepted from one `ignoreip` value or `file:` body.
pub const MAX_IGNORE_ENTRIES: usize = 65_536;
/// Largest `ignoreip = file:/path` body read (65,536 entries with comments fit).
pub const MAX_IGNORE_FILE_BYTES: u64 = 4 << 20;

/// Maps `::ffff:a.b.c.d` to `a.b.c.d`; other addresses are unchanged.
pub fn normalize(addr: IpAddr) -> IpAddr {
    addr.to_canonical()
}

/// Whether `addr` is a loopback address, including `::ffff:127.x.x.x`.
pub fn is_loopback(addr: IpAddr) -> bool {
    normalize(addr).is_loopback()
}

const LOOPBACK_V4: Ipv4Net = match Ipv4Net::new(std::net::Ipv4Addr::new(127, 0, 0, 0), 8) {
    Ok(net) => net,
    Err(_) => panic!("valid constant"),
};

/// Whether `net` contains any loopback address (`127.0.0.0/8`, `::1`,
/// `::ffff:127.0.0.0/104`). Such a net must never be banned.
pub fn overlaps_loopback(net: &IpNet) -> bool {
    match net {
        IpNet::V4(v4) => v4.contains(&LOOPBACK_V4) || LOOPBACK_V4.contains(v4),
        IpNet::V6(v6) => {
            let mapped_loopback = Ipv6Net::new(LOOPBACK_V4.network().to_ipv6_mapped(), 104);
            v6.contains(&std::net::Ipv6Addr::LOCALHOST)
                || mapped_loopback.is_ok_and(|m| v6.contains(&m) || m.contains(v6))
        }
    }
}

/// The ban key of `addr`: its network of `ipv4_prefix` or `ipv6_prefix` bits
/// (an IPv6 attacker usually controls a whole /64).
pub fn ban_key(addr: IpAddr, ipv4_prefix: u8, ipv6_prefix: u8) -> IpNet {
    match normalize(addr) {
        IpAddr::V4(v4) => Ipv4Net::new(v4, ipv4_prefix.min(32))
            .map(|n| IpNet::V4(n.trunc()))
            .unwrap_or_else(|_| IpNet::from(IpAddr::V4(v4))),
        IpAddr::V6(v6) => Ipv6Net::new(v6, ipv6_prefix.min(128))
            .map(|n| IpNet::V6(n.trunc()))
            .unwrap_or_else(|_| IpNet::from(IpAddr::V6(v6))),
    }
}

const LINK_LOCAL_V4: Ipv4Net = match Ipv4Net::new(std::net::Ipv4Addr::new(169, 254, 0, 0), 16) {
    Ok(net) => net,
    Err(_) => panic!("valid constant"),
};

const LINK_LOCAL_V6: Ipv6Net =
    match Ipv6Net::new(std::net::Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 0), 10) {
        Ok(net) => net,
        Err(_) => panic!("valid constant"),
    };

const LOOPBACK_V6: Ipv6Net = match Ipv6Net::new(std::net::Ipv6Addr::LOCALHOST, 128) {
    Ok(net) => net,
    Err(_) => panic!("valid constant"),
};

const MAPPED_LOOPBACK_V6: Ipv6Net = match Ipv6Net::new(
    std::net::Ipv6Addr::new(0, 0, 0, 0, 0, 0xffff, 0x7f00, 0),
    104,
) {
    Ok(net) => net,
    Err(_) => panic!("valid constant"),
};

/// Nets no widened ban key may cover on any host: loopback and link-local
/// (a link's router and neighbours live there).
pub const ALWAYS_EXEMPT: [IpNet; 5] = [
    IpNet::V4(LOOPBACK_V4),
    IpNet::V4(LINK_LOCAL_V4),
    IpNet::V6(LOOPBACK_V6),
    IpNet::V6(MAPPED_LOOPBACK_V6),
    IpNet::V6(LINK_LOCAL_V6),
];

/// Leading bits `a` and `b` share; `None` for different families.
fn common_prefix_len(a: IpAddr, b: IpAddr) -> Option<u8> {
    match (a, b) {
        (IpAddr::V4(a), IpAddr::V4(b)) => Some((a.to_bits() ^ b.to_bits()).leading_zeros() as u8),
        (IpAddr::V6(a), IpAddr::V6(b)) => Some((a.to_bits() ^ b.to_bits()).leading_zeros() as u8),
        _ => None,
    }
}

/// The ban key of `addr` ([`ban_key`]) narrowed until it covers none of
/// [`ALWAYS_EXEMPT`] and `exempt` (own addresses, `ignoreip`): the widest
/// prefix around `addr`, at least as long as configured, that overlaps no
/// exempt net. When an exempt net holds `addr` itself (a link-local
/// attacker), the key is the address alone.
pub fn narrowed_ban_key(
    addr: IpAddr,
    ipv4_prefix: u8,
    ipv6_prefix: u8,
    exempt: impl IntoIterator<Item = IpNet>,
) -> IpNet {
    let addr = normalize(addr);
    let (mut prefix, full) = match addr {
        IpAddr::V4(_) => (ipv4_prefix.min(32), 32),
        IpAddr::V6(_) => (ipv6_prefix.min(128), 128),
    };
    if prefix < full {
        for net in ALWAYS_EXEMPT.into_iter().chain(exempt) {
            let Some(common) = common_prefix_len(addr, net.network()) else {
                continue;
            };
            if common >= net.prefix_len() {
                // The net holds the address: only the address is safe.
                prefix = full;
                break;
            }
            // `addr/p` overlaps `net` exactly when p <= common.
            if common >= prefix {
                prefix = common + 1;
            }
        }
    }
    ban_key(addr, prefix, prefix)
}

/// The first of [`ALWAYS_EXEMPT`] and `exempt` that a key wider than one
/// address overlaps (a saved ban from before keys were narrowed).
pub fn covered_exempt(key: &IpNet, exempt: impl IntoIterator<Item = IpNet>) -> Option<IpNet> {
    if key.prefix_len() == key.max_prefix_len() {
        return None;
    }
    ALWAYS_EXEMPT
        .into_iter()
        .chain(exempt)
        .find(|net| key.contains(&net.network()) || net.contains(&key.network()))
}

/// Normalises a net given by an operator: mapped IPv4 becomes IPv4 and host
/// bits are cleared.
pub fn normalize_net(net: IpNet) -> IpNet {
    match net {
        IpNet::V6(v6) if v6.prefix_len() >= 96 => match v6.addr().to_ipv4_mapped() {
            Some(v4) => Ipv4Net::new(v4, v6.prefix_len() - 96)
                .map(|n| IpNet::V4(n.trunc()))
                .unwrap_or(net.trunc()),
            None => net.trunc(),
        },
        _ => net.trunc(),
    }
}

/// One `ignoreip` entry that is not an address or net.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoreProblem {
    /// 1-based line of the entry in the text given.
    pub line: usize,
    /// The entry as written.
    pub entry: String,
}

/// An `ignoreip` value (or the body of an `ignoreip = file:/path` file) split
/// into its parts. Parsing never fails: bad entries are reported, not fatal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IgnoreList {
    /// Addresses and nets to ignore (mapped IPv4 normalised).
    pub nets: Vec<IpNet>,
    /// `file:/path` references; the caller reads each and parses its body
    /// with [`parse_ignore_list`] again.
    pub files: Vec<String>,
    /// Entries that are neither (DNS names are not resolved by the core).
    pub problems: Vec<IgnoreProblem>,
    /// Whether entries beyond [`MAX_IGNORE_ENTRIES`] were dropped.
    pub truncated: bool,
}

/// Parses entries separated by spaces, commas or newlines; `#` starts a
/// comment that runs to the end of the line.
pub fn parse_ignore_list(text: &str) -> IgnoreList {
    let mut list = IgnoreList::default();
    let mut seen = 0usize;
    for (index, line) in text.lines().enumerate() {
        let content = line.split('#').next().unwrap_or("");
        for entry in content
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|e| !e.is_empty())
        {
            seen += 1;
            if seen > MAX_IGNORE_ENTRIES {
                list.truncated = true;
                return list;
            }
            if let Some(path) = entry.strip_prefix("file:") {
                list.files.push(path.to_string());
            } else if let Some(net) = parse_net(entry) {
                list.nets.push(net);
            } else {
                list.problems.push(IgnoreProblem {
                    line: index + 1,
                    entry: entry.to_string(),
                });
            }
        }
    }
    list
}

/// Parses `a.b.c.d`, `a.b.c.d/n`, an IPv6 address or net, with optional
/// brackets around IPv6 addresses.
pub fn parse_net(entry: &str) -> Option<IpNet> {
    if let Some(inner) = entry.strip_prefix('[') {
        let (addr, rest) = inner.split_once(']')?;
        return parse_net(&format!("{addr}{rest}"));
    }
    let trimmed = entry;
    if let Ok(net) = trimmed.parse::<IpNet>() {
        return Some(normalize_net(net));
    }
    trimmed
        .parse::<IpAddr>()
        .ok()
        .map(|a| IpNet::from(normalize(a)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("test address")
    }

    fn net(s: &str) -> IpNet {
        s.parse().expect("test net")
    }

    #[test]
    fn loopback_in_every_form() {
        for a in ["127.0.0.1", "127.255.0.9", "::1", "::ffff:127.0.0.1"] {
            assert!(is_loopback(ip(a)), "{a}");
        }
        for a in ["192.0.2.1", "2001:db8::1", "::ffff:192.0.2.1", "::2"] {
            assert!(!is_loopback(ip(a)), "{a}");
        }
    }

    #[test]
    fn nets_touching_loopback_are_detected() {
        for n in [
            "127.0.0.1/32",
            "127.0.0.0/8",
            "0.0.0.0/0",
            "126.0.0.0/7",
            "::/64",
            "::/0",
            "::ffff:127.0.0.1/128",
            "::ffff:0.0.0.0/96",
        ] {
            assert!(overlaps_loopback(&net(n)), "{n}");
        }
        for n in ["192.0.2.0/24", "2001:db8::/64", "128.0.0.0/1"] {
            assert!(!overlaps_loopback(&net(n)), "{n}");
        }
    }

    #[test]
    fn ipv6_is_keyed_by_its_64() {
        assert_eq!(
            ban_key(ip("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), 32, 64),
            net("2001:db8:1:2::/64")
        );
        assert_eq!(ban_key(ip("192.0.2.77"), 32, 64), net("192.0.2.77/32"));
        assert_eq!(ban_key(ip("192.0.2.77"), 24, 64), net("192.0.2.0/24"));
        assert_eq!(
            ban_key(ip("::ffff:192.0.2.77"), 32, 64),
            net("192.0.2.77/32")
        );
    }

    #[test]
    fn ignore_list_parsing_reports_problems_and_files() {
        let list = parse_ignore_list(
            "127.0.0.1/8 ::1, 192.0.2.0/24\n# comment 198.51.100.1\n\
             [2001:db8::5] file:/etc/clawguard/ignore host.example 203.0.113.9 # tail\n\
             ::ffff:198.51.100.0/120 192.0.2.300",
        );
        assert_eq!(
            list.nets,
            vec![
                net("127.0.0.0/8"),
                net("::1/128"),
                net("192.0.2.0/24"),
                net("2001:db8::5/128"),
                net("203.0.113.9/32"),
                net("198.51.100.0/24"),
            ]
        );
        assert_eq!(list.files, vec!["/etc/clawguard/ignore".to_string()]);
        assert_eq!(
            list.problems,
            vec![
                IgnoreProblem {
                    line: 3,
                    entry: "host.example".into()
                },
                IgnoreProblem {
                    line: 4,
                    entry: "192.0.2.300".into()
                }
            ]
        );
        assert!(!list.truncated);
    }

    #[test]
    fn ignore_list_is_bounded() {
        let text = "192.0.2.1\n".repeat(MAX_IGNORE_ENTRIES + 5);
        let list = parse_ignore_list(&text);
        assert_eq!(list.nets.len(), MAX_IGNORE_ENTRIES);
        assert!(list.truncated);
    }
}
