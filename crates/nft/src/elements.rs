//! Set elements: turning [`BanOp`]s into `NEWSETELEM` / `DESTROYSETELEM` messages packed into
//! size-bounded transactions, and turning element dumps back into [`KernelBan`]s. No IO.
//!
//! Host nets (/32, /128) go to the hash sets `ban4`/`ban6`. Other prefixes go to the interval
//! sets `net4`/`net6`, encoded the way the kernel's rbtree backend expects: a start element
//! (the network address, carrying the timeout) and an end element flagged
//! `NFT_SET_ELEM_INTERVAL_END` holding the first address after the range. A range that reaches
//! the top of the address space has no end element (the interval is open upwards).

use std::collections::{BTreeMap, HashMap};
use std::net::{Ipv4Addr, Ipv6Addr};

use ipnet::{IpNet, Ipv4Net, Ipv4Subnets, Ipv6Net, Ipv6Subnets};

use crate::proto::*;
use crate::ruleset::{SetKind, TABLE};
use crate::wire::{
    BATCH_END_LEN, BatchBuilder, DecodeError, EncodeError, EncodedBatch, NLA_MAX_LEN, NlWriter,
    attr_table, attrs, be_u32, be_u64, nfnl_attrs,
};
use crate::{BanOp, KernelBan};

/// Shortest timeout sent to the kernel. The kernel converts milliseconds to jiffies; anything
/// shorter than one jiffy (10 ms at HZ=100) could round to 0, which would mean "no timeout",
/// i.e. a permanent ban.
pub(crate) const MIN_TIMEOUT_MS: u64 = 10;
/// Longest timeout sent to the kernel (100 years); the kernel rejects values whose conversion
/// to nanoseconds would overflow.
pub(crate) const MAX_TIMEOUT_MS: u64 = 100 * 365 * 24 * 3600 * 1000;
/// Largest element-list nest per message, kept below the 65535-byte attribute limit.
pub(crate) const MAX_ELEMENTS_NEST: usize = 60_000;
/// Bytes reserved for a message header plus table/set attributes and the list nest header.
const MESSAGE_OVERHEAD: usize = 64;

/// Canonical form of a net: host bits cleared, IPv4-mapped IPv6 (`::ffff:a.b.c.d`, prefix ≥ 96)
/// turned into the IPv4 net it stands for, since mapped addresses never appear in IPv6 headers.
pub fn canonical(net: IpNet) -> IpNet {
    match net.trunc() {
        IpNet::V6(v6) if v6.prefix_len() >= 96 => match v6.addr().to_ipv4_mapped() {
            Some(v4) => Ipv4Net::new(v4, v6.prefix_len() - 96)
                .map(IpNet::V4)
                .unwrap_or(IpNet::V6(v6)),
            None => IpNet::V6(v6),
        },
        other => other,
    }
}

/// The set a canonical net belongs to.
pub(crate) fn set_for(net: &IpNet) -> SetKind {
    match net {
        IpNet::V4(n) if n.prefix_len() == 32 => SetKind::Ban4,
        IpNet::V4(_) => SetKind::Net4,
        IpNet::V6(n) if n.prefix_len() == 128 => SetKind::Ban6,
        IpNet::V6(_) => SetKind::Net6,
    }
}

/// A set key: 4 (IPv4) or 16 (IPv6) bytes in network order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Key {
    len: u8,
    bytes: [u8; 16],
}

impl Key {
    fn v4(addr: u32) -> Self {
        let mut bytes = [0u8; 16];
        bytes[..4].copy_from_slice(&addr.to_be_bytes());
        Self { len: 4, bytes }
    }

    fn v6(addr: u128) -> Self {
        Self {
            len: 16,
            bytes: addr.to_be_bytes(),
        }
    }

    fn from_slice(raw: &[u8]) -> Option<Self> {
        match raw.len() {
            4 => Some(Self::v4(u32::from_be_bytes(raw.try_into().ok()?))),
            16 => Some(Self::v6(u128::from_be_bytes(raw.try_into().ok()?))),
            _ => None,
        }
    }

    pub(crate) fn as_slice(&self) -> &[u8] {
        &self.bytes[..self.len as usize]
    }

    fn as_u128(&self) -> u128 {
        if self.len == 4 {
            u128::from(u32::from_be_bytes([
                self.bytes[0],
                self.bytes[1],
                self.bytes[2],
                self.bytes[3],
            ]))
        } else {
            u128::from_be_bytes(self.bytes)
        }
    }
}

/// One ban operation reduced to kernel elements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unit {
    /// Index of the originating op in the caller's slice.
    pub(crate) op_index: usize,
    pub(crate) net: IpNet,
    pub(crate) set: SetKind,
    pub(crate) remove: bool,
    start: Key,
    /// First address after the range; `None` for hosts and ranges reaching the top.
    end: Option<Key>,
    timeout_ms: Option<u64>,
}

impl Unit {
    pub(crate) fn new(op_index: usize, op: &BanOp) -> Self {
        let (net, remove, timeout_ms) = match op {
            BanOp::Add { net, timeout_ms } => (
                canonical(*net),
                false,
                timeout_ms.map(|t| t.clamp(MIN_TIMEOUT_MS, MAX_TIMEOUT_MS)),
            ),
            BanOp::Remove { net } => (canonical(*net), true, None),
        };
        let set = set_for(&net);
        let (start, end) = match net {
            IpNet::V4(n) => {
                let start = u32::from(n.network());
                let end = set
                    .is_interval()
                    .then(|| u32::from(n.broadcast()).checked_add(1))
                    .flatten();
                (Key::v4(start), end.map(Key::v4))
            }
            IpNet::V6(n) => {
                let start = u128::from(n.network());
                let end = set
                    .is_interval()
                    .then(|| u128::from(n.broadcast()).checked_add(1))
                    .flatten();
                (Key::v6(start), end.map(Key::v6))
            }
        };
        Self {
            op_index,
            net,
            set,
            remove,
            start,
            end,
            timeout_ms,
        }
    }
}

impl Unit {
    /// Inclusive `[low, high]` of the unit's range as integers.
    fn bounds(&self) -> (u128, u128) {
        let top = if self.set.is_v6() {
            u128::MAX
        } else {
            u128::from(u32::MAX)
        };
        let high = self.end.map_or(top, |end| end.as_u128() - 1);
        (self.start.as_u128(), high)
    }
}

/// One range of an interval set in the userspace model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Range {
    /// Inclusive upper bound.
    pub(crate) high: u128,
    /// When the kernel expires it, in ms on the caller's monotonic clock; `None` = permanent.
    pub(crate) deadline_ms: Option<u64>,
}

/// Ranges of one interval set by lower bound.
pub(crate) type RangeMap = BTreeMap<u128, Range>;

/// Ranges of an interval set read with the kernel's lookup semantics: a start element covers
/// keys up to the next end element (exclusive), up to the next start, or to the top of the
/// address space. `now_ms` turns remaining timeouts into deadlines.
pub(crate) fn present_ranges(kind: SetKind, mut raws: Vec<RawElement>, now_ms: u64) -> RangeMap {
    raws.sort_by_key(|r| (r.key, !r.interval_end));
    let top = if kind.is_v6() {
        u128::MAX
    } else {
        u128::from(u32::MAX)
    };
    let deadline = |expires: Option<u64>| expires.map(|e| now_ms.saturating_add(e));
    let mut out = BTreeMap::new();
    let mut open: Option<(u128, Option<u64>)> = None;
    for raw in raws {
        let key = raw.key.as_u128();
        if let Some((start, expires)) = open.take()
            && key > start
        {
            out.insert(
                start,
                Range {
                    high: key - 1,
                    deadline_ms: deadline(expires),
                },
            );
        }
        if !raw.interval_end {
            open = Some((key, raw.expires_in_ms));
        }
    }
    if let Some((start, expires)) = open {
        out.insert(
            start,
            Range {
                high: top,
                deadline_ms: deadline(expires),
            },
        );
    }
    out
}

fn expired(range: &Range, now_ms: u64) -> bool {
    range.deadline_ms.is_some_and(|d| d <= now_ms)
}

/// A live range overlapping `[low, high]`, dropping expired ones met on the way (the kernel
/// treats expired elements as absent).
fn live_overlap(ranges: &mut RangeMap, low: u128, high: u128, now_ms: u64) -> Option<(u128, u128)> {
    loop {
        let below = ranges
            .range(..=low)
            .next_back()
            .filter(|(_, r)| r.high >= low)
            .map(|(l, r)| (*l, *r));
        let above = ranges
            .range(low..)
            .next()
            .filter(|(l, _)| **l <= high)
            .map(|(l, r)| (*l, *r));
        let (found_low, found) = below.or(above)?;
        if !expired(&found, now_ms) {
            return Some((found_low, found.high));
        }
        ranges.remove(&found_low);
    }
}

/// An interval addition refused before reaching the kernel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Conflict {
    pub(crate) unit: Unit,
    /// The existing (or earlier added) range it overlaps.
    pub(crate) existing: IpNet,
}

fn range_net(kind: SetKind, low: u128, high: u128) -> IpNet {
    let mut nets = Vec::new();
    range_to_bans(kind.is_v6(), low, high, None, &mut nets);
    nets.first()
        .map(|b| b.net)
        .unwrap_or_else(|| canonical(IpNet::from(std::net::IpAddr::from(Ipv6Addr::from(low)))))
}

/// Checks interval units against the sets' current ranges, in order, the way nft does in
/// userspace (the kernel's rbtree only catches some overlaps; a range containing another, or
/// sharing its start, would be accepted and leave a set whose lookups miss part of a range):
///
/// - a removal is kept only if exactly that range is present (deleting an absent range's end
///   element could cut another range ending at the same address); otherwise it is a no-op;
/// - an addition of an identical range is kept (it refreshes the timeout);
/// - an addition overlapping a different range becomes a [`Conflict`]; to widen a ban, remove
///   the narrower range in the same call (removals are applied first).
///
/// Host units pass through untouched.
pub(crate) fn screen_interval_units(
    units: Vec<Unit>,
    present: &mut HashMap<SetKind, RangeMap>,
    now_ms: u64,
) -> (Vec<Unit>, Vec<Conflict>) {
    let mut kept = Vec::with_capacity(units.len());
    let mut conflicts = Vec::new();
    for unit in units {
        if !unit.set.is_interval() {
            kept.push(unit);
            continue;
        }
        let ranges = present.entry(unit.set).or_default();
        let (low, high) = unit.bounds();
        let exact = ranges
            .get(&low)
            .is_some_and(|r| r.high == high && !expired(r, now_ms));
        if unit.remove {
            if exact {
                ranges.remove(&low);
                kept.push(unit);
            }
            continue;
        }
        let range = Range {
            high,
            deadline_ms: unit.timeout_ms.map(|t| now_ms.saturating_add(t)),
        };
        if exact {
            ranges.insert(low, range);
            kept.push(unit);
            continue;
        }
        match live_overlap(ranges, low, high, now_ms) {
            Some((l, h)) => conflicts.push(Conflict {
                existing: range_net(unit.set, l, h),
                unit,
            }),
            None => {
                ranges.insert(low, range);
                kept.push(unit);
            }
        }
    }
    (kept, conflicts)
}

/// Interval sets touched by `units` (their ranges must be read before changing them).
pub(crate) fn interval_sets_touched(units: &[Unit]) -> Vec<SetKind> {
    let mut kinds: Vec<SetKind> = units
        .iter()
        .filter(|u| u.set.is_interval())
        .map(|u| u.set)
        .collect();
    kinds.sort();
    kinds.dedup();
    kinds
}

/// Turns ops into units. For each canonical net only the last op counts (an add followed by a
/// remove of the same net is a remove); removals are ordered before additions so a range can be
/// replaced by an overlapping one in one call.
pub(crate) fn units_from_ops(ops: &[BanOp]) -> Vec<Unit> {
    let mut last: HashMap<IpNet, usize> = HashMap::with_capacity(ops.len());
    for (index, op) in ops.iter().enumerate() {
        let net = match op {
            BanOp::Add { net, .. } | BanOp::Remove { net } => canonical(*net),
        };
        last.insert(net, index);
    }
    let survivors = ops.iter().enumerate().filter_map(|(index, op)| {
        let unit = Unit::new(index, op);
        (last.get(&unit.net) == Some(&index)).then_some(unit)
    });
    let (mut removes, adds): (Vec<Unit>, Vec<Unit>) = survivors.partition(|u| u.remove);
    removes.extend(adds);
    removes
}

fn encode_element(
    w: &mut NlWriter,
    key: &Key,
    interval_end: bool,
    timeout_ms: Option<u64>,
) -> Result<(), EncodeError> {
    let elem = w.begin_nested(NFTA_LIST_ELEM);
    if interval_end {
        w.attr_u32_be(NFTA_SET_ELEM_FLAGS, NFT_SET_ELEM_INTERVAL_END)?;
    }
    let key_nest = w.begin_nested(NFTA_SET_ELEM_KEY);
    w.attr_bytes(NFTA_DATA_VALUE, key.as_slice())?;
    w.end_nested(key_nest)?;
    if let Some(timeout) = timeout_ms {
        w.attr_u64_be(NFTA_SET_ELEM_TIMEOUT, timeout)?;
    }
    w.end_nested(elem)
}

fn encode_unit(w: &mut NlWriter, unit: &Unit) -> Result<(), EncodeError> {
    let timeout = if unit.remove { None } else { unit.timeout_ms };
    encode_element(w, &unit.start, false, timeout)?;
    if let Some(end) = &unit.end {
        encode_element(w, end, true, None)?;
    }
    Ok(())
}

/// Size limits for one transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PackLimits {
    /// Whole batch, begin and end messages included (bounded by the socket send buffer).
    pub(crate) max_batch_bytes: usize,
    /// Command messages per batch (each one is acked; bounded by the receive buffer).
    pub(crate) max_commands: usize,
    /// Element list per message (below the `u16` attribute length).
    pub(crate) max_nest_bytes: usize,
}

/// One transaction of element changes and which units each command message carries.
#[derive(Debug)]
pub(crate) struct PackedBatch {
    pub(crate) batch: EncodedBatch,
    /// Unit indices per command, in command order.
    pub(crate) commands: Vec<Vec<usize>>,
}

struct OpenMessage {
    start: crate::wire::MessageStart,
    nest: crate::wire::NestStart,
    set: SetKind,
    remove: bool,
}

fn close(batch: &mut BatchBuilder, open: OpenMessage) -> Result<(), EncodeError> {
    batch.writer().end_nested(open.nest)?;
    batch.end_command(open.start)
}

/// Packs as many of `pending` (indices into `units`) as fit into one transaction. In `singles`
/// mode every unit gets its own message, so a rejection names exactly one unit. Returns the
/// batch and the number of pending units it holds (always ≥ 1 when `pending` is not empty,
/// provided the limits admit one element).
pub(crate) fn pack_batch(
    base_seq: u32,
    units: &[Unit],
    pending: &[usize],
    singles: bool,
    limits: PackLimits,
) -> Result<(PackedBatch, usize), EncodeError> {
    let mut batch = BatchBuilder::new(base_seq);
    let mut commands: Vec<Vec<usize>> = Vec::new();
    let mut open: Option<OpenMessage> = None;
    let mut consumed = 0;
    let nest_limit = limits.max_nest_bytes.min(NLA_MAX_LEN);
    'units: for &index in pending {
        let Some(unit) = units.get(index) else {
            continue;
        };
        // At most two rounds: the current message, then a fresh one.
        for _ in 0..2 {
            let reuse = open.as_ref().is_some_and(|o| {
                o.set == unit.set
                    && o.remove == unit.remove
                    && !(singles && commands.last().is_some_and(|c| !c.is_empty()))
            });
            if !reuse {
                if let Some(previous) = open.take() {
                    close(&mut batch, previous)?;
                }
                if commands.len() >= limits.max_commands
                    || batch.len() + MESSAGE_OVERHEAD + BATCH_END_LEN > limits.max_batch_bytes
                {
                    break 'units;
                }
                let msg = if unit.remove {
                    NFT_MSG_DESTROYSETELEM
                } else {
                    NFT_MSG_NEWSETELEM
                };
                let flags = if unit.remove { 0 } else { NLM_F_CREATE };
                let start = batch.begin_command(msg, NFPROTO_INET, flags);
                let w = batch.writer();
                w.attr_str(NFTA_SET_ELEM_LIST_TABLE, TABLE)?;
                w.attr_str(NFTA_SET_ELEM_LIST_SET, unit.set.name())?;
                let nest = w.begin_nested(NFTA_SET_ELEM_LIST_ELEMENTS);
                open = Some(OpenMessage {
                    start,
                    nest,
                    set: unit.set,
                    remove: unit.remove,
                });
                commands.push(Vec::new());
            }
            let Some(current) = open.as_ref() else {
                break 'units;
            };
            let mark = batch.len();
            encode_unit(batch.writer(), unit)?;
            let fits = batch.writer().nested_len(current.nest) <= nest_limit
                && batch.len() + BATCH_END_LEN <= limits.max_batch_bytes;
            if fits {
                if let Some(last) = commands.last_mut() {
                    last.push(index);
                }
                consumed += 1;
                continue 'units;
            }
            batch.writer().truncate(mark);
            let empty = commands.last().is_none_or(Vec::is_empty);
            if let Some(current) = open.take() {
                if empty {
                    // Not even one unit fits in a fresh message: the batch is full.
                    batch.abandon_command(current.start);
                    commands.pop();
                    break 'units;
                }
                close(&mut batch, current)?;
            }
        }
        break;
    }
    if let Some(last) = open.take() {
        close(&mut batch, last)?;
    }
    Ok((
        PackedBatch {
            batch: batch.finish()?,
            commands,
        },
        consumed,
    ))
}

/// Dump request for all elements of one set.
pub(crate) fn encode_element_dump(kind: SetKind, seq: u32) -> Result<Vec<u8>, EncodeError> {
    crate::wire::encode_dump_request(NFT_MSG_GETSETELEM, NFPROTO_INET, seq, |w| {
        w.attr_str(NFTA_SET_ELEM_LIST_TABLE, TABLE)?;
        w.attr_str(NFTA_SET_ELEM_LIST_SET, kind.name())
    })
}

/// An element as dumped by the kernel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawElement {
    key: Key,
    interval_end: bool,
    expires_in_ms: Option<u64>,
}

impl RawElement {
    /// What makes two dumped elements the same element.
    pub(crate) fn identity(&self) -> (Key, bool) {
        (self.key, self.interval_end)
    }
}

/// Decodes one `NEWSETELEM` dump message, appending its elements.
pub(crate) fn parse_element_dump(
    payload: &[u8],
    key_len: usize,
    out: &mut Vec<RawElement>,
) -> Result<(), DecodeError> {
    let t = attr_table::<4>(nfnl_attrs(payload)?)?;
    let Some(list) = t[NFTA_SET_ELEM_LIST_ELEMENTS as usize] else {
        return Ok(());
    };
    for elem in attrs(list) {
        let elem = elem?;
        if elem.kind != NFTA_LIST_ELEM {
            continue;
        }
        let e = attr_table::<6>(elem.payload)?;
        let raw_key = e[NFTA_SET_ELEM_KEY as usize]
            .map(attr_table::<2>)
            .transpose()?
            .and_then(|k| k[NFTA_DATA_VALUE as usize])
            .ok_or_else(|| DecodeError("set element without key".into()))?;
        let key = Key::from_slice(raw_key)
            .filter(|k| k.len as usize == key_len)
            .ok_or_else(|| DecodeError(format!("set element key of {} bytes", raw_key.len())))?;
        let flags = e[NFTA_SET_ELEM_FLAGS as usize]
            .map(be_u32)
            .transpose()?
            .unwrap_or(0);
        let expires_in_ms = e[NFTA_SET_ELEM_EXPIRATION as usize]
            .map(be_u64)
            .transpose()?;
        out.push(RawElement {
            key,
            interval_end: flags & NFT_SET_ELEM_INTERVAL_END != 0,
            expires_in_ms,
        });
    }
    Ok(())
}

fn range_to_bans(
    v6: bool,
    low: u128,
    high: u128,
    expires_in_ms: Option<u64>,
    out: &mut Vec<KernelBan>,
) {
    if v6 {
        let nets = Ipv6Subnets::new(Ipv6Addr::from(low), Ipv6Addr::from(high), 0);
        out.extend(nets.map(|n: Ipv6Net| KernelBan {
            net: IpNet::V6(n),
            expires_in_ms,
        }));
    } else {
        // Keys of an IPv4 set are 4 bytes, so both bounds fit in u32.
        let (Ok(low), Ok(high)) = (u32::try_from(low), u32::try_from(high)) else {
            return;
        };
        let nets = Ipv4Subnets::new(Ipv4Addr::from(low), Ipv4Addr::from(high), 0);
        out.extend(nets.map(|n: Ipv4Net| KernelBan {
            net: IpNet::V4(n),
            expires_in_ms,
        }));
    }
}

/// Turns a set's dumped elements into bans. Interval sets are read with the kernel's lookup
/// semantics: a start element covers keys up to the next end element (exclusive), up to the
/// next start, or to the top of the address space. Ranges that are not one CIDR (added by
/// someone else) come back as their minimal CIDR cover.
pub(crate) fn assemble_bans(kind: SetKind, mut raws: Vec<RawElement>) -> Vec<KernelBan> {
    let v6 = kind.is_v6();
    // A dump of a hash set that is being resized (right after a large insert) can return an
    // element twice; keep one of each.
    raws.sort_by_key(|r| (r.key, !r.interval_end));
    raws.dedup_by_key(|r| r.identity());
    let mut out = Vec::with_capacity(raws.len());
    if !kind.is_interval() {
        for raw in raws.into_iter().filter(|r| !r.interval_end) {
            let key = raw.key.as_u128();
            range_to_bans(v6, key, key, raw.expires_in_ms, &mut out);
        }
        return out;
    }
    // Sorted with the end before the start at the same key: [a, b) followed by [b, c).
    let top = if v6 { u128::MAX } else { u128::from(u32::MAX) };
    let mut open: Option<(u128, Option<u64>)> = None;
    for raw in raws {
        let key = raw.key.as_u128();
        if raw.interval_end {
            if let Some((start, expires)) = open.take()
                && key > start
            {
                range_to_bans(v6, start, key - 1, expires, &mut out);
            }
        } else {
            if let Some((start, expires)) = open.take()
                && key > start
            {
                range_to_bans(v6, start, key - 1, expires, &mut out);
            }
            open = Some((key, raw.expires_in_ms));
        }
    }
    if let Some((start, expires)) = open {
        range_to_bans(v6, start, top, expires, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{Attr, parse_messages};

    fn net(s: &str) -> IpNet {
        s.parse().unwrap()
    }

    fn add(s: &str, timeout_ms: Option<u64>) -> BanOp {
        BanOp::Add {
            net: net(s),
            timeout_ms,
        }
    }

    const LIMITS: PackLimits = PackLimits {
        max_batch_bytes: 1 << 20,
        max_commands: 1024,
        max_nest_bytes: MAX_ELEMENTS_NEST,
    };

    #[test]
    fn canonical_forms() {
        assert_eq!(canonical(net("192.0.2.77/24")), net("192.0.2.0/24"));
        assert_eq!(canonical(net("::ffff:192.0.2.1/128")), net("192.0.2.1/32"));
        assert_eq!(canonical(net("::ffff:192.0.2.0/120")), net("192.0.2.0/24"));
        assert_eq!(canonical(net("2001:db8::1/64")), net("2001:db8::/64"));
        // A /64 containing the mapped range is not a mapped net.
        assert_eq!(canonical(net("::/64")), net("::/64"));
    }

    #[test]
    fn sets_are_chosen_by_prefix() {
        assert_eq!(set_for(&net("192.0.2.1/32")), SetKind::Ban4);
        assert_eq!(set_for(&net("192.0.2.0/24")), SetKind::Net4);
        assert_eq!(set_for(&net("2001:db8::1/128")), SetKind::Ban6);
        assert_eq!(set_for(&net("2001:db8::/64")), SetKind::Net6);
    }

    #[test]
    fn interval_end_is_first_address_after_range() {
        let unit = Unit::new(0, &add("198.51.100.0/24", Some(1000)));
        assert_eq!(unit.start.as_slice(), &[198, 51, 100, 0]);
        assert_eq!(unit.end.unwrap().as_slice(), &[198, 51, 101, 0]);
        let unit = Unit::new(0, &add("2001:db8::/64", None));
        let mut expected = [0u8; 16];
        expected[..8].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1]);
        assert_eq!(unit.end.unwrap().as_slice(), &expected);
        let host = Unit::new(0, &add("203.0.113.9/32", None));
        assert!(host.end.is_none());
    }

    #[test]
    fn top_of_address_space_has_no_end_element() {
        assert!(Unit::new(0, &add("255.255.255.0/24", None)).end.is_none());
        assert!(Unit::new(0, &add("0.0.0.0/0", None)).end.is_none());
        assert!(
            Unit::new(0, &add("ffff:ffff:ffff:ffff::/64", None))
                .end
                .is_none()
        );
        assert!(Unit::new(0, &add("::/0", None)).end.is_none());
    }

    #[test]
    fn timeouts_are_clamped() {
        assert_eq!(
            Unit::new(0, &add("192.0.2.1/32", Some(0))).timeout_ms,
            Some(MIN_TIMEOUT_MS)
        );
        assert_eq!(
            Unit::new(0, &add("192.0.2.1/32", Some(u64::MAX))).timeout_ms,
            Some(MAX_TIMEOUT_MS)
        );
        assert_eq!(Unit::new(0, &add("192.0.2.1/32", None)).timeout_ms, None);
    }

    #[test]
    fn last_op_per_net_wins_and_removes_go_first() {
        let ops = vec![
            add("192.0.2.1/32", Some(1000)),
            BanOp::Remove {
                net: net("192.0.2.1/32"),
            },
            add("192.0.2.2/32", None),
            BanOp::Remove {
                net: net("198.51.100.0/24"),
            },
            add("::ffff:192.0.2.2/128", Some(5000)), // same as 192.0.2.2 after canonicalisation
        ];
        let units = units_from_ops(&ops);
        let summary: Vec<(usize, bool)> = units.iter().map(|u| (u.op_index, u.remove)).collect();
        assert_eq!(summary, vec![(1, true), (3, true), (4, false)]);
    }

    /// Exact bytes of a NEWSETELEM message with one interval, compared with what
    /// `nft --debug=mnl add element inet t n { 2001:db8::/64 timeout 1h }` sends (minus nft's
    /// extra zero end-marker and set id).
    #[test]
    fn element_message_bytes_match_nft() {
        let units = units_from_ops(&[add("2001:db8::/64", Some(3_600_000))]);
        let (packed, consumed) = pack_batch(1, &units, &[0], false, LIMITS).unwrap();
        assert_eq!(consumed, 1);
        let msgs = parse_messages(&packed.batch.bytes).unwrap();
        assert_eq!(msgs.len(), 3);
        assert_eq!(msgs[1].nlmsg_type, 0x0a0c);
        assert_eq!(msgs[1].flags, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE);
        let mut w = NlWriter::new();
        w.attr_bytes(1, b"clawguard\0").unwrap();
        w.attr_bytes(2, b"net6\0").unwrap();
        let mut tail = w.into_bytes();
        let ne = |v: u16| v.to_ne_bytes();
        // elements nest: 4 + start(40) + end(36) = 80
        tail.extend_from_slice(&[ne(80), ne(3 | NLA_F_NESTED)].concat());
        // start: list elem { key { value 2001:db8:: }, timeout 3600000 }
        tail.extend_from_slice(&[ne(40), ne(1 | NLA_F_NESTED)].concat());
        tail.extend_from_slice(&[ne(24), ne(1 | NLA_F_NESTED)].concat());
        tail.extend_from_slice(&[ne(20), ne(1)].concat());
        tail.extend_from_slice(&[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        tail.extend_from_slice(&[ne(12), ne(4)].concat());
        tail.extend_from_slice(&3_600_000u64.to_be_bytes());
        // end: list elem { flags INTERVAL_END, key { value 2001:db8:0:1:: } }
        tail.extend_from_slice(&[ne(36), ne(1 | NLA_F_NESTED)].concat());
        tail.extend_from_slice(&[ne(8), ne(3)].concat());
        tail.extend_from_slice(&[0, 0, 0, 1]);
        tail.extend_from_slice(&[ne(24), ne(1 | NLA_F_NESTED)].concat());
        tail.extend_from_slice(&[ne(20), ne(1)].concat());
        tail.extend_from_slice(&[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(&msgs[1].payload[4..], &tail[..]);
    }

    fn many_hosts(n: usize) -> Vec<BanOp> {
        (0..n)
            .map(|i| BanOp::Add {
                net: IpNet::V6(
                    Ipv6Net::new(Ipv6Addr::from(0x2001_0db8_u128 << 96 | i as u128), 128).unwrap(),
                ),
                timeout_ms: Some(60_000),
            })
            .collect()
    }

    #[test]
    fn large_batches_are_split_into_bounded_messages() {
        let units = units_from_ops(&many_hosts(5000));
        let pending: Vec<usize> = (0..units.len()).collect();
        let (packed, consumed) = pack_batch(1, &units, &pending, false, LIMITS).unwrap();
        assert_eq!(consumed, 5000);
        assert!(
            packed.commands.len() >= 4,
            "{} messages",
            packed.commands.len()
        );
        assert_eq!(packed.commands.iter().map(Vec::len).sum::<usize>(), 5000);
        for msg in parse_messages(&packed.batch.bytes).unwrap() {
            for attr in crate::wire::attrs(&msg.payload[4..]) {
                let Attr { payload, .. } = attr.unwrap();
                assert!(payload.len() + 4 <= MAX_ELEMENTS_NEST);
            }
        }
    }

    #[test]
    fn batch_byte_and_command_limits_are_respected() {
        let units = units_from_ops(&many_hosts(3000));
        let pending: Vec<usize> = (0..units.len()).collect();
        let small = PackLimits {
            max_batch_bytes: 8192,
            ..LIMITS
        };
        let (packed, consumed) = pack_batch(1, &units, &pending, false, small).unwrap();
        assert!(consumed > 0 && consumed < 3000);
        assert!(packed.batch.bytes.len() <= 8192);
        let few = PackLimits {
            max_commands: 7,
            ..LIMITS
        };
        let (packed, consumed) = pack_batch(1, &units, &pending, true, few).unwrap();
        assert_eq!(consumed, 7);
        assert_eq!(packed.commands, (0..7).map(|i| vec![i]).collect::<Vec<_>>());
    }

    #[test]
    fn messages_change_with_set_and_operation() {
        let ops = vec![
            add("192.0.2.1/32", None),
            add("192.0.2.2/32", None),
            add("2001:db8::/64", None),
            BanOp::Remove {
                net: net("192.0.2.3/32"),
            },
        ];
        let units = units_from_ops(&ops);
        let pending: Vec<usize> = (0..units.len()).collect();
        let (packed, _) = pack_batch(1, &units, &pending, false, LIMITS).unwrap();
        // remove first, then ban4 adds together, then net6
        assert_eq!(packed.commands, vec![vec![0], vec![1, 2], vec![3]]);
        let msgs = parse_messages(&packed.batch.bytes).unwrap();
        assert_eq!(msgs[1].nlmsg_type, 0x0a00 | NFT_MSG_DESTROYSETELEM);
        assert_eq!(msgs[2].nlmsg_type, 0x0a00 | NFT_MSG_NEWSETELEM);
    }

    fn raw(key: &str, end: bool, expires: Option<u64>) -> RawElement {
        let key = match key.parse::<std::net::IpAddr>().unwrap() {
            std::net::IpAddr::V4(a) => Key::v4(u32::from(a)),
            std::net::IpAddr::V6(a) => Key::v6(u128::from(a)),
        };
        RawElement {
            key,
            interval_end: end,
            expires_in_ms: expires,
        }
    }

    #[test]
    fn interval_dump_is_paired_in_any_order() {
        let raws = vec![
            raw("198.51.101.0", true, None),
            raw("203.0.113.0", false, None),
            raw("198.51.100.0", false, Some(5000)),
            raw("0.0.0.0", true, None), // nft's zero end-marker
            raw("255.255.255.0", false, Some(7)),
            raw("203.0.113.128", true, None),
        ];
        let bans = assemble_bans(SetKind::Net4, raws);
        let got: Vec<(String, Option<u64>)> = bans
            .iter()
            .map(|b| (b.net.to_string(), b.expires_in_ms))
            .collect();
        assert_eq!(
            got,
            vec![
                ("198.51.100.0/24".into(), Some(5000)),
                ("203.0.113.0/25".into(), None),
                ("255.255.255.0/24".into(), Some(7)),
            ]
        );
    }

    #[test]
    fn duplicate_dump_entries_are_merged() {
        let raws = vec![
            raw("192.0.2.1", false, Some(10)),
            raw("192.0.2.2", false, None),
            raw("192.0.2.1", false, Some(9)),
        ];
        let bans = assemble_bans(SetKind::Ban4, raws);
        let nets: Vec<String> = bans.iter().map(|b| b.net.to_string()).collect();
        assert_eq!(nets, vec!["192.0.2.1/32", "192.0.2.2/32"]);
    }

    #[test]
    fn adjacent_intervals_and_non_cidr_ranges() {
        let raws = vec![
            raw("192.0.2.0", false, None),
            raw("192.0.2.4", true, None),
            raw("192.0.2.4", false, None),
            raw("192.0.2.7", true, None), // 192.0.2.4 - 192.0.2.6: not one CIDR
        ];
        let bans: Vec<String> = assemble_bans(SetKind::Net4, raws)
            .iter()
            .map(|b| b.net.to_string())
            .collect();
        assert_eq!(bans, vec!["192.0.2.0/30", "192.0.2.4/31", "192.0.2.6/32"]);
    }

    fn screen(present: &[(&str, bool)], ops: &[BanOp]) -> (Vec<usize>, Vec<(usize, String)>) {
        let raws: Vec<RawElement> = present.iter().map(|(k, end)| raw(k, *end, None)).collect();
        let kind = if present.first().is_some_and(|(k, _)| k.contains(':')) {
            SetKind::Net6
        } else {
            SetKind::Net4
        };
        let mut map = HashMap::from([(kind, present_ranges(kind, raws, 0))]);
        let (kept, conflicts) = screen_interval_units(units_from_ops(ops), &mut map, 0);
        (
            kept.iter().map(|u| u.op_index).collect(),
            conflicts
                .iter()
                .map(|c| (c.unit.op_index, c.existing.to_string()))
                .collect(),
        )
    }

    fn rm(s: &str) -> BanOp {
        BanOp::Remove { net: net(s) }
    }

    #[test]
    fn removal_of_absent_range_sharing_an_end_is_dropped() {
        // Present: 203.0.113.64/26 = [.64, .128). Removing 203.0.113.0/25 = [.0, .128) would
        // delete the shared end element .128 if sent.
        let present = [("203.0.113.64", false), ("203.0.113.128", true)];
        let ops = [
            rm("203.0.113.0/25"),
            rm("203.0.113.64/26"),
            rm("203.0.113.1/32"),
        ];
        let (kept, conflicts) = screen(&present, &ops);
        // The exact range and the host removal stay; the absent range is dropped.
        assert_eq!(kept, vec![1, 2]);
        assert!(conflicts.is_empty());
    }

    #[test]
    fn overlapping_additions_are_conflicts() {
        let present = [("2001:db8:aa::", false), ("2001:db8:ab::", true)]; // /48
        let ops = [
            add("2001:db8:aa::/48", Some(5)),   // identical: refresh
            add("2001:db8:aa::/64", None),      // same start, inside
            add("2001:db8:aa:7::/64", None),    // inside
            add("2001:db8::/32", None),         // contains it
            add("2001:db8:ab::/64", None),      // adjacent after: fine
            add("2001:db8:ab::/56", None),      // overlaps the one just added
            add("2001:db8:a9:ffff::/64", None), // adjacent before: fine
        ];
        let (kept, conflicts) = screen(&present, &ops);
        assert_eq!(kept, vec![0, 4, 6]);
        let aa = "2001:db8:aa::/48".to_string();
        assert_eq!(
            conflicts,
            vec![
                (1, aa.clone()),
                (2, aa.clone()),
                (3, aa),
                (5, "2001:db8:ab::/64".to_string())
            ]
        );
    }

    #[test]
    fn widening_works_when_the_narrow_range_is_removed_in_the_same_call() {
        let present = [("198.51.100.0", false), ("198.51.100.64", true)]; // /26
        let ops = [add("198.51.100.0/24", None), rm("198.51.100.0/26")];
        let (kept, conflicts) = screen(&present, &ops);
        assert_eq!(kept, vec![1, 0]);
        assert!(conflicts.is_empty());
    }

    #[test]
    fn present_ranges_follow_lookup_semantics() {
        let raws = vec![
            raw("255.255.255.0", false, Some(100)),
            raw("192.0.2.0", false, None),
        ];
        let ranges = present_ranges(SetKind::Net4, raws, 1000);
        let expected = BTreeMap::from([
            (
                0xc000_0200u128,
                Range {
                    high: 0xffff_feff,
                    deadline_ms: None,
                },
            ),
            (
                0xffff_ff00u128,
                Range {
                    high: 0xffff_ffff,
                    deadline_ms: Some(1100),
                },
            ),
        ]);
        assert_eq!(ranges, expected);
        let top = Unit::new(0, &add("255.255.255.0/24", None));
        assert_eq!(top.bounds(), (0xffff_ff00, 0xffff_ffff));
    }

    #[test]
    fn expired_ranges_neither_conflict_nor_get_removed() {
        let raws = vec![
            raw("2001:db8:aa::", false, Some(50)),
            raw("2001:db8:ab::", true, None),
        ];
        let mut map = HashMap::from([(SetKind::Net6, present_ranges(SetKind::Net6, raws, 0))]);
        // Still live at 49 ms: a containing range conflicts.
        let (_, conflicts) =
            screen_interval_units(units_from_ops(&[add("2001:db8::/32", None)]), &mut map, 49);
        assert_eq!(conflicts.len(), 1);
        // Expired at 50 ms: the removal is a no-op and the wide range is accepted.
        let ops = [
            BanOp::Remove {
                net: net("2001:db8:aa::/48"),
            },
            add("2001:db8::/32", Some(10)),
        ];
        let (kept, conflicts) = screen_interval_units(units_from_ops(&ops), &mut map, 50);
        assert!(conflicts.is_empty());
        assert_eq!(kept.iter().map(|u| u.op_index).collect::<Vec<_>>(), vec![1]);
        // The model now holds the accepted range with its deadline.
        let model: Vec<(u128, Range)> = map[&SetKind::Net6].iter().map(|(l, r)| (*l, *r)).collect();
        assert_eq!(model.len(), 1);
        assert_eq!(model[0].1.deadline_ms, Some(60));
    }

    #[test]
    fn element_dump_round_trip() {
        // Encode elements as a NEWSETELEM message and decode them as if dumped.
        let units = units_from_ops(&[add("2001:db8:1::/48", Some(1000)), add("ffff::/16", None)]);
        let (packed, _) = pack_batch(1, &units, &[0, 1], false, LIMITS).unwrap();
        let msgs = parse_messages(&packed.batch.bytes).unwrap();
        let mut raws = Vec::new();
        parse_element_dump(msgs[1].payload, 16, &mut raws).unwrap();
        assert_eq!(raws.len(), 3);
        assert!(parse_element_dump(msgs[1].payload, 4, &mut Vec::new()).is_err());
        let bans = assemble_bans(SetKind::Net6, raws);
        let nets: Vec<String> = bans.iter().map(|b| b.net.to_string()).collect();
        assert_eq!(nets, vec!["2001:db8:1::/48", "ffff::/16"]);
    }
}
