//! The clawguard ruleset (table `inet clawguard`, four sets, chain `input`, four drop rules):
//! encoding of the objects, decoding of the kernel's dumps, and the pure decision of what
//! `install()` has to create or rebuild. No IO.

use crate::proto::*;
use crate::wire::{
    BatchBuilder, DecodeError, EncodeError, NlWriter, attr_table, attrs, be_u32, nfnl_attrs, nl_str,
};

/// Name of the table owned by clawguard (family `inet`).
pub(crate) const TABLE: &str = "clawguard";
/// Name of the base chain.
pub(crate) const CHAIN: &str = "input";
/// Hook priority of the base chain: before the usual filter chains at 0.
pub(crate) const CHAIN_PRIORITY: i32 = -10;
/// Comment stored in each rule's user data, shown by `nft list`.
const RULE_COMMENT: &str = "clawguard";

/// One of the four clawguard sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum SetKind {
    /// IPv4 hosts (hash set).
    Ban4,
    /// IPv6 hosts (hash set).
    Ban6,
    /// IPv4 prefixes (interval set).
    Net4,
    /// IPv6 prefixes (interval set).
    Net6,
}

impl SetKind {
    pub(crate) const ALL: [SetKind; 4] =
        [SetKind::Ban4, SetKind::Ban6, SetKind::Net4, SetKind::Net6];

    pub(crate) fn name(self) -> &'static str {
        match self {
            SetKind::Ban4 => "ban4",
            SetKind::Ban6 => "ban6",
            SetKind::Net4 => "net4",
            SetKind::Net6 => "net6",
        }
    }

    pub(crate) fn is_v6(self) -> bool {
        matches!(self, SetKind::Ban6 | SetKind::Net6)
    }

    pub(crate) fn is_interval(self) -> bool {
        matches!(self, SetKind::Net4 | SetKind::Net6)
    }

    pub(crate) fn key_len(self) -> usize {
        if self.is_v6() { 16 } else { 4 }
    }

    fn key_type(self) -> u32 {
        if self.is_v6() {
            NFT_DATATYPE_IP6ADDR
        } else {
            NFT_DATATYPE_IPADDR
        }
    }

    fn flags(self) -> u32 {
        if self.is_interval() {
            NFT_SET_TIMEOUT | NFT_SET_INTERVAL
        } else {
            NFT_SET_TIMEOUT
        }
    }

    fn nfproto(self) -> u8 {
        if self.is_v6() {
            NFPROTO_IPV6
        } else {
            NFPROTO_IPV4
        }
    }

    /// Offset of the source address in the network header.
    fn saddr_offset(self) -> u32 {
        if self.is_v6() { 8 } else { 12 }
    }

    /// Transaction-local set id, so rules in the same batch can refer to a new set.
    fn set_id(self) -> u32 {
        self as u32 + 1
    }
}

/// `NEWTABLE` for `inet clawguard` with flags 0 (also wakes a dormant table).
pub(crate) fn encode_table(batch: &mut BatchBuilder) -> Result<(), EncodeError> {
    let cmd = batch.begin_command(NFT_MSG_NEWTABLE, NFPROTO_INET, NLM_F_CREATE);
    let w = batch.writer();
    w.attr_str(NFTA_TABLE_NAME, TABLE)?;
    w.attr_u32_be(NFTA_TABLE_FLAGS, 0)?;
    batch.end_command(cmd)
}

/// `DESTROYTABLE` (delete, no error if absent; Linux ≥ 6.3).
pub(crate) fn encode_destroy_table(batch: &mut BatchBuilder) -> Result<(), EncodeError> {
    let cmd = batch.begin_command(NFT_MSG_DESTROYTABLE, NFPROTO_INET, 0);
    batch.writer().attr_str(NFTA_TABLE_NAME, TABLE)?;
    batch.end_command(cmd)
}

pub(crate) fn encode_set(batch: &mut BatchBuilder, kind: SetKind) -> Result<(), EncodeError> {
    let cmd = batch.begin_command(NFT_MSG_NEWSET, NFPROTO_INET, NLM_F_CREATE);
    let w = batch.writer();
    w.attr_str(NFTA_SET_TABLE, TABLE)?;
    w.attr_str(NFTA_SET_NAME, kind.name())?;
    w.attr_u32_be(NFTA_SET_FLAGS, kind.flags())?;
    w.attr_u32_be(NFTA_SET_KEY_TYPE, kind.key_type())?;
    w.attr_u32_be(NFTA_SET_KEY_LEN, kind.key_len() as u32)?;
    w.attr_u32_be(NFTA_SET_ID, kind.set_id())?;
    // nft's set user data: key byte order = big endian (NFTNL_UDATA_SET_KEYBYTEORDER = 0,
    // BYTEORDER_BIG_ENDIAN = 2), so `nft list` prints elements the way nft itself would.
    let mut udata = vec![0u8, 4];
    udata.extend_from_slice(&2u32.to_ne_bytes());
    w.attr_bytes(NFTA_SET_USERDATA, &udata)?;
    batch.end_command(cmd)
}

pub(crate) fn encode_chain(batch: &mut BatchBuilder) -> Result<(), EncodeError> {
    let cmd = batch.begin_command(NFT_MSG_NEWCHAIN, NFPROTO_INET, NLM_F_CREATE);
    let w = batch.writer();
    w.attr_str(NFTA_CHAIN_TABLE, TABLE)?;
    w.attr_str(NFTA_CHAIN_NAME, CHAIN)?;
    let hook = w.begin_nested(NFTA_CHAIN_HOOK);
    w.attr_u32_be(NFTA_HOOK_HOOKNUM, NF_INET_LOCAL_IN)?;
    w.attr_u32_be(NFTA_HOOK_PRIORITY, CHAIN_PRIORITY as u32)?;
    w.end_nested(hook)?;
    w.attr_u32_be(NFTA_CHAIN_POLICY, NF_ACCEPT)?;
    w.attr_str(NFTA_CHAIN_TYPE, "filter")?;
    batch.end_command(cmd)
}

fn expr(
    w: &mut NlWriter,
    name: &str,
    data: impl FnOnce(&mut NlWriter) -> Result<(), EncodeError>,
) -> Result<(), EncodeError> {
    let elem = w.begin_nested(NFTA_LIST_ELEM);
    w.attr_str(NFTA_EXPR_NAME, name)?;
    let nest = w.begin_nested(NFTA_EXPR_DATA);
    data(w)?;
    w.end_nested(nest)?;
    w.end_nested(elem)
}

/// `NEWRULE`: `meta nfproto <family> <family> saddr @<set> counter drop`, i.e. what
/// `nft add rule inet clawguard input ip saddr @ban4 counter drop` generates.
pub(crate) fn encode_rule(
    batch: &mut BatchBuilder,
    kind: SetKind,
    set_in_same_batch: bool,
) -> Result<(), EncodeError> {
    let cmd = batch.begin_command(NFT_MSG_NEWRULE, NFPROTO_INET, NLM_F_CREATE | NLM_F_APPEND);
    let w = batch.writer();
    w.attr_str(NFTA_RULE_TABLE, TABLE)?;
    w.attr_str(NFTA_RULE_CHAIN, CHAIN)?;
    let list = w.begin_nested(NFTA_RULE_EXPRESSIONS);
    expr(w, "meta", |w| {
        w.attr_u32_be(NFTA_META_KEY, NFT_META_NFPROTO)?;
        w.attr_u32_be(NFTA_META_DREG, NFT_REG_1)
    })?;
    expr(w, "cmp", |w| {
        w.attr_u32_be(NFTA_CMP_SREG, NFT_REG_1)?;
        w.attr_u32_be(NFTA_CMP_OP, NFT_CMP_EQ)?;
        let data = w.begin_nested(NFTA_CMP_DATA);
        w.attr_bytes(NFTA_DATA_VALUE, &[kind.nfproto()])?;
        w.end_nested(data)
    })?;
    expr(w, "payload", |w| {
        w.attr_u32_be(NFTA_PAYLOAD_DREG, NFT_REG_1)?;
        w.attr_u32_be(NFTA_PAYLOAD_BASE, NFT_PAYLOAD_NETWORK_HEADER)?;
        w.attr_u32_be(NFTA_PAYLOAD_OFFSET, kind.saddr_offset())?;
        w.attr_u32_be(NFTA_PAYLOAD_LEN, kind.key_len() as u32)
    })?;
    expr(w, "lookup", |w| {
        w.attr_str(NFTA_LOOKUP_SET, kind.name())?;
        w.attr_u32_be(NFTA_LOOKUP_SREG, NFT_REG_1)?;
        if set_in_same_batch {
            w.attr_u32_be(NFTA_LOOKUP_SET_ID, kind.set_id())?;
        }
        Ok(())
    })?;
    expr(w, "counter", |_| Ok(()))?;
    expr(w, "immediate", |w| {
        w.attr_u32_be(NFTA_IMMEDIATE_DREG, NFT_REG_VERDICT)?;
        let data = w.begin_nested(NFTA_IMMEDIATE_DATA);
        let verdict = w.begin_nested(NFTA_DATA_VERDICT);
        w.attr_u32_be(NFTA_VERDICT_CODE, NF_DROP)?;
        w.end_nested(verdict)?;
        w.end_nested(data)
    })?;
    w.end_nested(list)?;
    // nft rule user data: comment TLV (NFTNL_UDATA_RULE_COMMENT = 0), NUL-terminated.
    let mut udata = vec![0u8, (RULE_COMMENT.len() + 1) as u8];
    udata.extend_from_slice(RULE_COMMENT.as_bytes());
    udata.push(0);
    w.attr_bytes(NFTA_RULE_USERDATA, &udata)?;
    batch.end_command(cmd)
}

/// `DELRULE` without a handle: flushes every rule of the chain.
pub(crate) fn encode_flush_chain(batch: &mut BatchBuilder) -> Result<(), EncodeError> {
    let cmd = batch.begin_command(NFT_MSG_DELRULE, NFPROTO_INET, 0);
    let w = batch.writer();
    w.attr_str(NFTA_RULE_TABLE, TABLE)?;
    w.attr_str(NFTA_RULE_CHAIN, CHAIN)?;
    batch.end_command(cmd)
}

/// Dump request attributes: sets, chains and rules of our table.
pub(crate) fn encode_table_filter(w: &mut NlWriter, table_attr: u16) -> Result<(), EncodeError> {
    w.attr_str(table_attr, TABLE)
}

/// What the kernel reported about our table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TableInfo {
    pub(crate) name: String,
    pub(crate) flags: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SetInfo {
    pub(crate) name: String,
    pub(crate) flags: u32,
    pub(crate) key_len: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ChainInfo {
    pub(crate) name: String,
    pub(crate) hook: Option<u32>,
    pub(crate) priority: Option<i32>,
    pub(crate) chain_type: Option<String>,
    pub(crate) policy: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RuleInfo {
    pub(crate) chain: String,
    /// The set this rule drops traffic for, if it has exactly clawguard's shape.
    pub(crate) drops_set: Option<String>,
}

/// The parts of the ruleset `install()` cares about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RulesetState {
    pub(crate) table: Option<TableInfo>,
    pub(crate) sets: Vec<SetInfo>,
    pub(crate) chains: Vec<ChainInfo>,
    pub(crate) rules: Vec<RuleInfo>,
}

pub(crate) fn parse_table(payload: &[u8]) -> Result<TableInfo, DecodeError> {
    let t = attr_table::<3>(nfnl_attrs(payload)?)?;
    Ok(TableInfo {
        name: nl_str(t[NFTA_TABLE_NAME as usize].unwrap_or_default())?.to_owned(),
        flags: t[NFTA_TABLE_FLAGS as usize]
            .map(be_u32)
            .transpose()?
            .unwrap_or(0),
    })
}

pub(crate) fn parse_set(payload: &[u8]) -> Result<SetInfo, DecodeError> {
    let t = attr_table::<6>(nfnl_attrs(payload)?)?;
    Ok(SetInfo {
        name: nl_str(t[NFTA_SET_NAME as usize].unwrap_or_default())?.to_owned(),
        flags: t[NFTA_SET_FLAGS as usize]
            .map(be_u32)
            .transpose()?
            .unwrap_or(0),
        key_len: t[NFTA_SET_KEY_LEN as usize]
            .map(be_u32)
            .transpose()?
            .unwrap_or(0),
    })
}

pub(crate) fn parse_chain(payload: &[u8]) -> Result<ChainInfo, DecodeError> {
    let t = attr_table::<8>(nfnl_attrs(payload)?)?;
    let (hook, priority) = match t[NFTA_CHAIN_HOOK as usize] {
        Some(nested) => {
            let h = attr_table::<3>(nested)?;
            (
                h[NFTA_HOOK_HOOKNUM as usize].map(be_u32).transpose()?,
                h[NFTA_HOOK_PRIORITY as usize]
                    .map(be_u32)
                    .transpose()?
                    .map(|p| p as i32),
            )
        }
        None => (None, None),
    };
    Ok(ChainInfo {
        name: nl_str(t[NFTA_CHAIN_NAME as usize].unwrap_or_default())?.to_owned(),
        hook,
        priority,
        chain_type: t[NFTA_CHAIN_TYPE as usize]
            .map(nl_str)
            .transpose()?
            .map(str::to_owned),
        policy: t[NFTA_CHAIN_POLICY as usize].map(be_u32).transpose()?,
    })
}

/// A rule expression, reduced to what matters for recognising clawguard's rules.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Expr {
    MetaNfproto,
    CmpEqByte(u8),
    NetworkPayload { offset: u32, len: u32 },
    Lookup { set: String, inverted: bool },
    Counter,
    Drop,
    Other,
}

fn parse_expr(elem: &[u8]) -> Result<Expr, DecodeError> {
    let t = attr_table::<3>(elem)?;
    let name = nl_str(t[NFTA_EXPR_NAME as usize].unwrap_or_default())?;
    let data = t[NFTA_EXPR_DATA as usize].unwrap_or_default();
    let d = attr_table::<6>(data)?;
    let u32_at = |i: u16| d[i as usize].map(be_u32).transpose();
    Ok(match name {
        "meta"
            if u32_at(NFTA_META_KEY)? == Some(NFT_META_NFPROTO)
                && u32_at(NFTA_META_DREG)? == Some(NFT_REG_1) =>
        {
            Expr::MetaNfproto
        }
        "cmp"
            if u32_at(NFTA_CMP_OP)? == Some(NFT_CMP_EQ)
                && u32_at(NFTA_CMP_SREG)? == Some(NFT_REG_1) =>
        {
            let value = d[NFTA_CMP_DATA as usize]
                .map(attr_table::<2>)
                .transpose()?
                .and_then(|v| v[NFTA_DATA_VALUE as usize]);
            match value {
                Some([byte]) => Expr::CmpEqByte(*byte),
                _ => Expr::Other,
            }
        }
        "payload"
            if u32_at(NFTA_PAYLOAD_BASE)? == Some(NFT_PAYLOAD_NETWORK_HEADER)
                && u32_at(NFTA_PAYLOAD_DREG)? == Some(NFT_REG_1) =>
        {
            Expr::NetworkPayload {
                offset: u32_at(NFTA_PAYLOAD_OFFSET)?.unwrap_or(u32::MAX),
                len: u32_at(NFTA_PAYLOAD_LEN)?.unwrap_or(0),
            }
        }
        "lookup" if u32_at(NFTA_LOOKUP_SREG)? == Some(NFT_REG_1) => Expr::Lookup {
            set: nl_str(d[NFTA_LOOKUP_SET as usize].unwrap_or_default())?.to_owned(),
            inverted: u32_at(NFTA_LOOKUP_FLAGS)?.unwrap_or(0) & NFT_LOOKUP_F_INV != 0,
        },
        "counter" => Expr::Counter,
        "immediate" if u32_at(NFTA_IMMEDIATE_DREG)? == Some(NFT_REG_VERDICT) => {
            let code = d[NFTA_IMMEDIATE_DATA as usize]
                .map(attr_table::<3>)
                .transpose()?
                .and_then(|data| data[NFTA_DATA_VERDICT as usize])
                .map(attr_table::<2>)
                .transpose()?
                .and_then(|verdict| verdict[NFTA_VERDICT_CODE as usize])
                .map(be_u32)
                .transpose()?;
            if code == Some(NF_DROP) {
                Expr::Drop
            } else {
                Expr::Other
            }
        }
        _ => Expr::Other,
    })
}

/// Returns the set name if `exprs` is exactly clawguard's drop rule for that set.
fn drop_rule_set(exprs: &[Expr]) -> Option<String> {
    let body: Vec<&Expr> = exprs.iter().filter(|e| **e != Expr::Counter).collect();
    let [
        Expr::MetaNfproto,
        Expr::CmpEqByte(proto),
        Expr::NetworkPayload { offset, len },
        Expr::Lookup {
            set,
            inverted: false,
        },
        Expr::Drop,
    ] = body.as_slice()
    else {
        return None;
    };
    let kind = SetKind::ALL.into_iter().find(|k| k.name() == set)?;
    (*proto == kind.nfproto() && *offset == kind.saddr_offset() && *len == kind.key_len() as u32)
        .then(|| set.clone())
}

pub(crate) fn parse_rule(payload: &[u8]) -> Result<RuleInfo, DecodeError> {
    let t = attr_table::<5>(nfnl_attrs(payload)?)?;
    let chain = nl_str(t[NFTA_RULE_CHAIN as usize].unwrap_or_default())?.to_owned();
    let mut exprs = Vec::new();
    for elem in attrs(t[NFTA_RULE_EXPRESSIONS as usize].unwrap_or_default()) {
        let elem = elem?;
        if elem.kind == NFTA_LIST_ELEM {
            exprs.push(parse_expr(elem.payload)?);
        }
    }
    Ok(RuleInfo {
        chain,
        drops_set: drop_rule_set(&exprs),
    })
}

/// What `install()` must send. Empty when the ruleset is complete.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct InstallPlan {
    /// Something exists with an incompatible shape: destroy the table and build it afresh
    /// (kernel bans in it are lost and must be re-applied by the caller).
    pub(crate) rebuild: bool,
    pub(crate) table: bool,
    pub(crate) sets: Vec<SetKind>,
    pub(crate) chain: bool,
    /// The chain holds rules that are not clawguard's (or duplicates): flush it first.
    pub(crate) flush_rules: bool,
    pub(crate) rules: Vec<SetKind>,
}

impl InstallPlan {
    pub(crate) fn is_empty(&self) -> bool {
        !self.rebuild
            && !self.table
            && self.sets.is_empty()
            && !self.chain
            && !self.flush_rules
            && self.rules.is_empty()
    }

    fn everything(rebuild: bool) -> Self {
        Self {
            rebuild,
            table: true,
            sets: SetKind::ALL.to_vec(),
            chain: true,
            flush_rules: false,
            rules: SetKind::ALL.to_vec(),
        }
    }
}

fn set_compatible(kind: SetKind, info: &SetInfo) -> bool {
    const SHAPE: u32 = NFT_SET_ANONYMOUS
        | NFT_SET_CONSTANT
        | NFT_SET_INTERVAL
        | NFT_SET_MAP
        | NFT_SET_TIMEOUT
        | NFT_SET_OBJECT
        | NFT_SET_CONCAT;
    info.key_len as usize == kind.key_len() && info.flags & SHAPE == kind.flags()
}

fn chain_compatible(info: &ChainInfo) -> bool {
    info.hook == Some(NF_INET_LOCAL_IN)
        && info.priority == Some(CHAIN_PRIORITY)
        && info.chain_type.as_deref() == Some("filter")
        && info.policy.unwrap_or(NF_ACCEPT) == NF_ACCEPT
}

/// Decides what to create so that the table, all sets, the chain and the four rules exist.
/// Missing pieces are added in place (bans in surviving sets are kept); an object with the
/// right name but the wrong shape forces a rebuild of the whole table.
pub(crate) fn plan_install(state: &RulesetState) -> InstallPlan {
    let Some(table) = &state.table else {
        return InstallPlan::everything(false);
    };
    let mut plan = InstallPlan {
        table: table.flags & NFT_TABLE_F_DORMANT != 0,
        ..InstallPlan::default()
    };
    for kind in SetKind::ALL {
        match state.sets.iter().find(|s| s.name == kind.name()) {
            None => plan.sets.push(kind),
            Some(info) if !set_compatible(kind, info) => return InstallPlan::everything(true),
            Some(_) => {}
        }
    }
    match state.chains.iter().find(|c| c.name == CHAIN) {
        None => plan.chain = true,
        Some(info) if !chain_compatible(info) => return InstallPlan::everything(true),
        Some(_) => {}
    }
    if plan.chain {
        plan.rules = SetKind::ALL.to_vec();
        return plan;
    }
    // clawguard owns the chain: anything else in it (an `accept` placed before the drops would
    // silently disable bans) or a duplicate means flush and re-add, in the same transaction.
    let chain_rules: Vec<&RuleInfo> = state.rules.iter().filter(|r| r.chain == CHAIN).collect();
    let foreign = chain_rules.iter().any(|r| r.drops_set.is_none());
    let duplicated = SetKind::ALL.iter().any(|kind| {
        chain_rules
            .iter()
            .filter(|r| r.drops_set.as_deref() == Some(kind.name()))
            .count()
            > 1
    });
    if foreign || duplicated {
        plan.flush_rules = true;
        plan.rules = SetKind::ALL.to_vec();
        return plan;
    }
    for kind in SetKind::ALL {
        if !chain_rules
            .iter()
            .any(|r| r.drops_set.as_deref() == Some(kind.name()))
        {
            plan.rules.push(kind);
        }
    }
    plan
}

/// Writes the plan into a batch, in dependency order.
pub(crate) fn encode_plan(batch: &mut BatchBuilder, plan: &InstallPlan) -> Result<(), EncodeError> {
    if plan.rebuild {
        encode_destroy_table(batch)?;
    }
    if plan.table {
        encode_table(batch)?;
    }
    for kind in &plan.sets {
        encode_set(batch, *kind)?;
    }
    if plan.chain {
        encode_chain(batch)?;
    }
    if plan.flush_rules {
        encode_flush_chain(batch)?;
    }
    for kind in &plan.rules {
        encode_rule(batch, *kind, plan.sets.contains(kind))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::parse_messages;

    fn complete_state() -> RulesetState {
        RulesetState {
            table: Some(TableInfo {
                name: TABLE.into(),
                flags: 0,
            }),
            sets: SetKind::ALL
                .iter()
                .map(|k| SetInfo {
                    name: k.name().into(),
                    flags: k.flags(),
                    key_len: k.key_len() as u32,
                })
                .collect(),
            chains: vec![ChainInfo {
                name: CHAIN.into(),
                hook: Some(NF_INET_LOCAL_IN),
                priority: Some(-10),
                chain_type: Some("filter".into()),
                policy: Some(NF_ACCEPT),
            }],
            rules: SetKind::ALL
                .iter()
                .map(|k| RuleInfo {
                    chain: CHAIN.into(),
                    drops_set: Some(k.name().into()),
                })
                .collect(),
        }
    }

    #[test]
    fn complete_ruleset_needs_nothing() {
        assert!(plan_install(&complete_state()).is_empty());
    }

    #[test]
    fn empty_ruleset_needs_everything() {
        let plan = plan_install(&RulesetState::default());
        assert_eq!(plan, InstallPlan::everything(false));
    }

    #[test]
    fn missing_rule_and_set_are_added_in_place() {
        let mut state = complete_state();
        state.sets.retain(|s| s.name != "net6");
        state
            .rules
            .retain(|r| r.drops_set.as_deref() != Some("net6"));
        state
            .rules
            .retain(|r| r.drops_set.as_deref() != Some("ban4"));
        let plan = plan_install(&state);
        assert!(!plan.rebuild && !plan.table && !plan.chain);
        assert_eq!(plan.sets, vec![SetKind::Net6]);
        assert_eq!(plan.rules, vec![SetKind::Ban4, SetKind::Net6]);
    }

    #[test]
    fn wrong_shapes_force_rebuild() {
        let mut state = complete_state();
        state.sets[0].flags = NFT_SET_INTERVAL | NFT_SET_TIMEOUT;
        assert!(plan_install(&state).rebuild);
        let mut state = complete_state();
        state.chains[0].priority = Some(0);
        assert!(plan_install(&state).rebuild);
        let mut state = complete_state();
        state.chains[0].policy = Some(NF_DROP);
        assert!(plan_install(&state).rebuild);
    }

    #[test]
    fn foreign_or_duplicate_rules_force_a_flush() {
        let mut state = complete_state();
        state.rules.insert(
            0,
            RuleInfo {
                chain: CHAIN.into(),
                drops_set: None,
            },
        );
        let plan = plan_install(&state);
        assert!(plan.flush_rules && !plan.rebuild);
        assert_eq!(plan.rules, SetKind::ALL.to_vec());
        let mut state = complete_state();
        state.rules.push(state.rules[2].clone());
        assert!(plan_install(&state).flush_rules);
    }

    #[test]
    fn dormant_table_is_woken() {
        let mut state = complete_state();
        state.table.as_mut().unwrap().flags = NFT_TABLE_F_DORMANT;
        let plan = plan_install(&state);
        assert!(plan.table && !plan.rebuild && plan.rules.is_empty());
    }

    /// Encoding a rule and decoding it again recognises it as clawguard's rule for that set.
    #[test]
    fn rule_round_trip() {
        for kind in SetKind::ALL {
            let mut batch = BatchBuilder::new(1);
            encode_rule(&mut batch, kind, true).unwrap();
            let encoded = batch.finish().unwrap();
            let msgs = parse_messages(&encoded.bytes).unwrap();
            let rule = parse_rule(msgs[1].payload).unwrap();
            assert_eq!(rule.chain, CHAIN);
            assert_eq!(rule.drops_set.as_deref(), Some(kind.name()));
        }
    }

    #[test]
    fn set_and_chain_round_trip() {
        let mut batch = BatchBuilder::new(1);
        encode_set(&mut batch, SetKind::Net6).unwrap();
        encode_chain(&mut batch).unwrap();
        encode_table(&mut batch).unwrap();
        let encoded = batch.finish().unwrap();
        let msgs = parse_messages(&encoded.bytes).unwrap();
        let set = parse_set(msgs[1].payload).unwrap();
        assert_eq!(set.name, "net6");
        assert_eq!(set.key_len, 16);
        assert_eq!(set.flags, NFT_SET_INTERVAL | NFT_SET_TIMEOUT);
        let chain = parse_chain(msgs[2].payload).unwrap();
        assert!(chain_compatible(&chain));
        let table = parse_table(msgs[3].payload).unwrap();
        assert_eq!(table.name, TABLE);
        assert_eq!(table.flags, 0);
    }

    /// Bytes of the `ban4` set message, checked against what nft 1.0.6 sends for
    /// `add set inet clawguard ban4 { type ipv4_addr; flags timeout; }` (`nft --debug=mnl`),
    /// plus our NFTA_SET_ID.
    #[test]
    fn set_message_bytes() {
        let mut batch = BatchBuilder::new(1);
        encode_set(&mut batch, SetKind::Ban4).unwrap();
        let encoded = batch.finish().unwrap();
        let msgs = parse_messages(&encoded.bytes).unwrap();
        assert_eq!(msgs[1].nlmsg_type, 0x0a09);
        let mut expected = vec![NFPROTO_INET, 0, 0, 0];
        let mut w = NlWriter::new();
        w.attr_bytes(1, b"clawguard\0").unwrap();
        w.attr_bytes(2, b"ban4\0").unwrap();
        w.attr_bytes(3, &[0, 0, 0, 0x10]).unwrap();
        w.attr_bytes(4, &[0, 0, 0, 7]).unwrap();
        w.attr_bytes(5, &[0, 0, 0, 4]).unwrap();
        w.attr_bytes(10, &[0, 0, 0, 1]).unwrap();
        w.attr_bytes(13, &[0, 4, 2, 0, 0, 0]).unwrap();
        expected.extend_from_slice(w.as_bytes());
        assert_eq!(msgs[1].payload, &expected[..]);
    }

    #[test]
    fn foreign_rules_are_not_mistaken_for_ours() {
        let lookup = |inverted| Expr::Lookup {
            set: "ban4".into(),
            inverted,
        };
        let ok = [
            Expr::MetaNfproto,
            Expr::CmpEqByte(NFPROTO_IPV4),
            Expr::NetworkPayload { offset: 12, len: 4 },
            lookup(false),
            Expr::Counter,
            Expr::Drop,
        ];
        assert_eq!(drop_rule_set(&ok).as_deref(), Some("ban4"));
        let mut daddr = ok.clone();
        daddr[2] = Expr::NetworkPayload { offset: 16, len: 4 };
        assert_eq!(drop_rule_set(&daddr), None);
        let mut inverted = ok.clone();
        inverted[3] = lookup(true);
        assert_eq!(drop_rule_set(&inverted), None);
        let mut accept = ok.clone();
        accept[5] = Expr::Other;
        assert_eq!(drop_rule_set(&accept), None);
    }
}
