//! [`Firewall`]: install/inspect/remove the clawguard ruleset and apply ban operations, with
//! the retry strategy that keeps one rejected element from blocking the others.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use crate::elements::{
    MAX_ELEMENTS_NEST, PackLimits, RangeMap, RawElement, Unit, assemble_bans, encode_element_dump,
    interval_sets_touched, pack_batch, parse_element_dump, present_ranges, screen_interval_units,
    units_from_ops,
};
use crate::error::{BanFailure, NftError};
use crate::proto::*;
use crate::ruleset::{
    self, CHAIN, InstallPlan, RulesetState, SetKind, TABLE, encode_table_filter, plan_install,
};
use crate::socket::NetfilterSocket;
use crate::wire::{
    AckInfo, BatchBuilder, EncodeError, EncodedBatch, encode_dump_request, encode_get_request,
    parse_gen_id,
};
use crate::{BanOp, KernelBan};

const ENOENT: i32 = nix::errno::Errno::ENOENT as i32;
const EEXIST: i32 = nix::errno::Errno::EEXIST as i32;
/// Largest single transaction, whatever the socket buffer allows.
const MAX_BATCH_BYTES: usize = 8 << 20;
/// Smallest transaction size worth using (one message of elements).
const MIN_BATCH_BYTES: usize = 16 << 10;
/// Receive-buffer cost assumed per ack (skb overhead included), to size batches so acks are
/// never dropped.
const ACK_COST: usize = 2048;
/// Most command messages per transaction.
const MAX_COMMANDS: usize = 2048;
/// Dumps of one set when the result shows it was resized meanwhile.
const DUMP_CONSISTENCY_ATTEMPTS: usize = 4;
/// Pause before dumping a set again.
const DUMP_RETRY_PAUSE: std::time::Duration = std::time::Duration::from_millis(50);
/// Attempts of `install()` when the ruleset changes under it.
const INSTALL_ATTEMPTS: usize = 3;

/// Owner of a `NETLINK_NETFILTER` socket in the network namespace of the thread that called
/// [`Firewall::connect`]. The socket keeps that namespace even if the `Firewall` is moved to
/// another thread (it is `Send`); calls take `&mut self`, so share it behind a mutex.
pub struct Firewall {
    socket: NetfilterSocket,
    limits: PackLimits,
    /// Monotonic clock for range deadlines.
    clock: std::time::Instant,
    /// Userspace copy of the interval sets (for overlap checks without dumping them on every
    /// `apply`), valid only while the kernel's ruleset generation id is `genid`.
    range_cache: Option<RangeCache>,
}

#[derive(Debug)]
struct RangeCache {
    genid: u32,
    sets: HashMap<SetKind, RangeMap>,
}

impl std::fmt::Debug for Firewall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Firewall")
            .field("limits", &self.limits)
            .finish()
    }
}

fn encode_failed(operation: &str) -> impl FnOnce(EncodeError) -> NftError + '_ {
    move |e| NftError::malformed(operation, e)
}

impl Firewall {
    /// Opens and binds the netlink socket (sized for large batches when permitted).
    pub fn connect() -> Result<Self, NftError> {
        let socket = NetfilterSocket::open()?;
        let limits = PackLimits {
            max_batch_bytes: (socket.send_buffer / 2).clamp(MIN_BATCH_BYTES, MAX_BATCH_BYTES),
            max_commands: (socket.recv_buffer / ACK_COST).clamp(8, MAX_COMMANDS),
            max_nest_bytes: MAX_ELEMENTS_NEST,
        };
        Ok(Self {
            socket,
            limits,
            clock: std::time::Instant::now(),
            range_cache: None,
        })
    }

    /// Creates whatever is missing of the table, sets, chain and rules; repairs a flushed or
    /// partial ruleset. Bans in surviving sets are kept. clawguard owns the table: rules in its
    /// chain that are not its own (or duplicates) are flushed and the four rules re-added in
    /// the same transaction. If an object with clawguard's name has the wrong shape (e.g. a
    /// set with other flags, a chain with another hook or policy), the whole table is rebuilt
    /// in one transaction and its bans are lost: re-apply them when `is_installed()` was false.
    pub fn install(&mut self) -> Result<(), NftError> {
        let mut last_error = None;
        for _ in 0..INSTALL_ATTEMPTS {
            let plan = plan_install(&self.read_state()?);
            if plan.is_empty() {
                return Ok(());
            }
            match self.run_plan(&plan) {
                Ok(()) => return Ok(()),
                // Someone changed the ruleset between our read and our write: look again.
                Err(e @ NftError::Kernel { .. }) => last_error = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last_error.unwrap_or_else(|| NftError::malformed("install", "no attempt made")))
    }

    /// True when the table, all four sets, the chain and the four rules are present and have
    /// the expected shape.
    pub fn is_installed(&mut self) -> Result<bool, NftError> {
        Ok(plan_install(&self.read_state()?).is_empty())
    }

    /// Applies ban operations. For each net only the last op counts; removals go before
    /// additions. Elements are sent many per message and many messages per transaction.
    ///
    /// - Re-adding an existing element succeeds and replaces its timeout (kernel ≥ 6.10
    ///   element update; verified on 6.18, both shorter/longer and timed/permanent).
    /// - Removing an absent element succeeds (`DESTROYSETELEM`). Removing a range that is not
    ///   present exactly (same start and end) is a no-op, because deleting its end element
    ///   could cut another range ending at the same address.
    /// - Adding a range that overlaps a different existing range (or one added earlier in the
    ///   same call) is refused with `EEXIST` before reaching the kernel, as nft does; to widen
    ///   a ban, remove the narrower range in the same call.
    /// - When the kernel rejects a message, its elements are retried one per message so
    ///   exactly the bad ones are identified; everything else is applied.
    ///
    /// Refused ops are returned in [`NftError::BansFailed`]; socket failures abort with
    /// [`NftError::Socket`], and a missing table or set aborts with [`NftError::Kernel`]
    /// (`ENOENT`; call [`Self::install`]). Not atomic as a whole: large inputs span several
    /// transactions.
    pub fn apply(&mut self, ops: &[BanOp]) -> Result<(), NftError> {
        let units = units_from_ops(ops);
        let touched = interval_sets_touched(&units);
        // The interval model, and the generation it is valid for.
        let mut tracked: Option<(u32, HashMap<SetKind, RangeMap>)> = None;
        if !touched.is_empty() || self.range_cache.is_some() {
            let genid = self.generation()?;
            let mut sets = self
                .range_cache
                .take()
                .filter(|cache| cache.genid == genid)
                .map(|cache| cache.sets)
                .unwrap_or_default();
            for kind in touched {
                if let Entry::Vacant(slot) = sets.entry(kind) {
                    let raws = self.dump_elements(kind)?.unwrap_or_default();
                    slot.insert(present_ranges(kind, raws, self.now_ms()));
                }
            }
            tracked = Some((genid, sets));
        }
        let now_ms = self.now_ms();
        let (units, conflicts) = match tracked.as_mut() {
            Some((_, sets)) => screen_interval_units(units, sets, now_ms),
            None => (units, Vec::new()),
        };
        let mut failures: Vec<BanFailure> = conflicts
            .into_iter()
            .map(|c| {
                let message = format!("overlaps {} in set {}", c.existing, c.unit.set.name());
                failure(ops, &c.unit, EEXIST, Some(message))
            })
            .collect();
        let screened = failures.len();
        let commits = self.send_units(ops, &units, &mut failures)?;
        // Keep the model only if every sent unit went in and nobody else changed the ruleset
        // meanwhile (each of our commits advances the generation by one).
        if let Some((genid, sets)) = tracked
            && failures.len() == screened
        {
            let after = self.generation()?;
            if after == genid.wrapping_add(commits) {
                self.range_cache = Some(RangeCache { genid: after, sets });
            }
        }
        if failures.is_empty() {
            return Ok(());
        }
        failures.sort_by_key(|f| f.op_index);
        Err(NftError::BansFailed {
            total: ops.len(),
            failures,
        })
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.clock.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// The kernel's ruleset generation id; every committed transaction advances it.
    fn generation(&mut self) -> Result<u32, NftError> {
        let operation = "get ruleset generation";
        let payloads = self
            .socket
            .query(operation, |seq| encode_get_request(NFT_MSG_GETGEN, seq))?;
        let payload = payloads
            .first()
            .ok_or_else(|| NftError::malformed(operation, "no reply"))?;
        parse_gen_id(payload).map_err(|e| NftError::malformed(operation, e))
    }

    /// Sends units in transactions; rejected ones are appended to `failures`. Returns the
    /// number of committed transactions.
    fn send_units(
        &mut self,
        ops: &[BanOp],
        units: &[Unit],
        failures: &mut Vec<BanFailure>,
    ) -> Result<u32, NftError> {
        // Any early return leaves the kernel in an unknown state relative to the model.
        self.range_cache = None;
        let mut commits: u32 = 0;
        // Each job: unit indices and whether to send one unit per message.
        let mut jobs: Vec<(Vec<usize>, bool)> = vec![((0..units.len()).collect(), false)];
        // Every failed transaction either records failures or splits its work, so the number of
        // transactions is bounded; this budget only guards against a misbehaving kernel.
        let mut budget = 64 + 4 * units.len();
        while let Some((pending, singles)) = jobs.pop() {
            let mut rest: &[usize] = &pending;
            while !rest.is_empty() {
                budget = budget.checked_sub(1).ok_or_else(|| {
                    NftError::malformed("apply", "retry budget exhausted; kernel keeps rejecting")
                })?;
                let base = self.socket.peek_seq();
                let (packed, consumed) = pack_batch(base, units, rest, singles, self.limits)
                    .map_err(encode_failed("apply"))?;
                if consumed == 0 {
                    return Err(NftError::malformed(
                        "apply",
                        "batch limits admit no element",
                    ));
                }
                self.socket.reserve_seq(packed.batch.seq_span());
                let outcome = self.socket.transact(&packed.batch, "apply ban elements")?;
                rest = &rest[consumed..];
                if outcome.is_success() {
                    commits = commits.wrapping_add(1);
                    continue;
                }
                if let Some((index, ack)) = outcome
                    .command_errors
                    .iter()
                    .find(|(_, a)| a.errno == ENOENT)
                {
                    // Elements never yield ENOENT (DESTROY ignores absent ones): the table or
                    // set is missing, and retrying element by element would not help.
                    let set = packed
                        .commands
                        .get(*index)
                        .and_then(|c| c.first())
                        .map_or("?", |u| units[*u].set.name());
                    return Err(NftError::kernel(
                        &format!("apply to set inet {TABLE} {set} (missing; run install)"),
                        ack,
                    ));
                }
                let errors: HashMap<usize, &AckInfo> = outcome
                    .command_errors
                    .iter()
                    .map(|(i, a)| (*i, a))
                    .collect();
                if !errors.is_empty() {
                    // The transaction was aborted: resend the good messages, dissect the bad.
                    let mut resend = Vec::new();
                    for (index, command_units) in packed.commands.iter().enumerate() {
                        match (errors.get(&index), command_units.as_slice()) {
                            (Some(ack), [only]) => failures.push(rejected(ops, &units[*only], ack)),
                            (Some(_), _) => jobs.push((command_units.clone(), true)),
                            (None, _) => resend.extend_from_slice(command_units),
                        }
                    }
                    if !resend.is_empty() {
                        jobs.push((resend, singles));
                    }
                } else if let Some(ack) = &outcome.batch_error {
                    // Refused as a whole (commit failure, out of memory): bisect.
                    let all: Vec<usize> = packed.commands.concat();
                    if let [only] = all.as_slice() {
                        failures.push(rejected(ops, &units[*only], ack));
                    } else {
                        let (left, right) = all.split_at(all.len() / 2);
                        jobs.push((right.to_vec(), singles));
                        jobs.push((left.to_vec(), singles));
                    }
                }
            }
        }
        Ok(commits)
    }

    /// All elements of the four sets, with their remaining timeouts. Sets (or the table) that
    /// do not exist contribute nothing.
    pub fn list(&mut self) -> Result<Vec<KernelBan>, NftError> {
        let genid = self.generation()?;
        let now_ms = self.now_ms();
        let mut bans = Vec::new();
        let mut sets = HashMap::new();
        for kind in SetKind::ALL {
            if let Some(raws) = self.dump_elements(kind)? {
                if kind.is_interval() {
                    sets.insert(kind, present_ranges(kind, raws.clone(), now_ms));
                }
                bans.extend(assemble_bans(kind, raws));
            }
        }
        // The dumps double as a fresh interval model if nothing changed while they ran.
        if self.generation()? == genid {
            self.range_cache = Some(RangeCache { genid, sets });
        }
        Ok(bans)
    }

    /// All elements of one set as the kernel stores them; `None` if the set does not exist.
    ///
    /// A hash set being resized (the kernel grows it in a deferred worker after large inserts)
    /// can be dumped inconsistently: the dump restarts its walk in a new order, which shows as
    /// duplicates and may also skip elements. When duplicates appear, the dump is repeated
    /// after a short pause, a bounded number of times.
    fn dump_elements(&mut self, kind: SetKind) -> Result<Option<Vec<RawElement>>, NftError> {
        let operation = format!("list set {}", kind.name());
        let mut attempt = 0;
        loop {
            attempt += 1;
            let payloads = match self
                .socket
                .query(&operation, |seq| encode_element_dump(kind, seq))
            {
                Ok(payloads) => payloads,
                Err(NftError::Kernel { errno: ENOENT, .. }) => return Ok(None),
                Err(e) => return Err(e),
            };
            let mut raws = Vec::new();
            for payload in &payloads {
                parse_element_dump(payload, kind.key_len(), &mut raws)
                    .map_err(|e| NftError::malformed(&operation, e))?;
            }
            if attempt >= DUMP_CONSISTENCY_ATTEMPTS || !has_duplicates(&raws) {
                return Ok(Some(raws));
            }
            std::thread::sleep(DUMP_RETRY_PAUSE);
        }
    }

    /// Deletes the whole table (and every ban in it). Ok if it does not exist.
    pub fn remove(&mut self) -> Result<(), NftError> {
        let mut batch = BatchBuilder::new(self.socket.peek_seq());
        ruleset::encode_destroy_table(&mut batch).map_err(encode_failed("remove"))?;
        let batch = batch.finish().map_err(encode_failed("remove"))?;
        self.run_batch(batch, &[format!("destroy table inet {TABLE}")])
    }

    fn run_plan(&mut self, plan: &InstallPlan) -> Result<(), NftError> {
        let mut batch = BatchBuilder::new(self.socket.peek_seq());
        ruleset::encode_plan(&mut batch, plan).map_err(encode_failed("install"))?;
        let batch = batch.finish().map_err(encode_failed("install"))?;
        self.run_batch(batch, &describe_plan(plan))
    }

    /// Sends a small transaction and turns the first error into an `NftError` naming the
    /// command (`descriptions` follow command order).
    fn run_batch(&mut self, batch: EncodedBatch, descriptions: &[String]) -> Result<(), NftError> {
        self.socket.reserve_seq(batch.seq_span());
        let summary = descriptions.join(", ");
        let outcome = self.socket.transact(&batch, &summary)?;
        if let Some((index, ack)) = outcome.command_errors.first() {
            let operation = descriptions.get(*index).unwrap_or(&summary);
            return Err(NftError::kernel(operation, ack));
        }
        if let Some(ack) = &outcome.batch_error {
            return Err(NftError::kernel(&format!("commit of [{summary}]"), ack));
        }
        Ok(())
    }

    /// Reads the table, sets, chains and rules of `inet clawguard`.
    fn read_state(&mut self) -> Result<RulesetState, NftError> {
        let mut state = RulesetState::default();
        let tables = self.dump_or_empty("list tables", NFT_MSG_GETTABLE, None)?;
        for payload in &tables {
            let table =
                ruleset::parse_table(payload).map_err(|e| NftError::malformed("list tables", e))?;
            if table.name == TABLE {
                state.table = Some(table);
            }
        }
        if state.table.is_none() {
            return Ok(state);
        }
        for payload in &self.dump_or_empty("list sets", NFT_MSG_GETSET, Some(NFTA_SET_TABLE))? {
            let set =
                ruleset::parse_set(payload).map_err(|e| NftError::malformed("list sets", e))?;
            state.sets.push(set);
        }
        for payload in
            &self.dump_or_empty("list chains", NFT_MSG_GETCHAIN, Some(NFTA_CHAIN_TABLE))?
        {
            let chain =
                ruleset::parse_chain(payload).map_err(|e| NftError::malformed("list chains", e))?;
            state.chains.push(chain);
        }
        let rules = self.socket.query("list rules", |seq| {
            encode_dump_request(NFT_MSG_GETRULE, NFPROTO_INET, seq, |w| {
                encode_table_filter(w, NFTA_RULE_TABLE)?;
                w.attr_str(NFTA_RULE_CHAIN, CHAIN)
            })
        });
        let rules = match rules {
            Ok(rules) => rules,
            Err(NftError::Kernel { errno: ENOENT, .. }) => Vec::new(),
            Err(e) => return Err(e),
        };
        for payload in &rules {
            let rule =
                ruleset::parse_rule(payload).map_err(|e| NftError::malformed("list rules", e))?;
            state.rules.push(rule);
        }
        Ok(state)
    }

    /// Dumps `msg` for family inet, optionally filtered by our table; ENOENT = nothing.
    fn dump_or_empty(
        &mut self,
        operation: &str,
        msg: u16,
        table_attr: Option<u16>,
    ) -> Result<Vec<Vec<u8>>, NftError> {
        let result = self.socket.query(operation, |seq| {
            encode_dump_request(msg, NFPROTO_INET, seq, |w| match table_attr {
                Some(attr) => encode_table_filter(w, attr),
                None => Ok(()),
            })
        });
        match result {
            Err(NftError::Kernel { errno: ENOENT, .. }) => Ok(Vec::new()),
            other => other,
        }
    }
}

fn has_duplicates(raws: &[RawElement]) -> bool {
    let mut seen = std::collections::HashSet::with_capacity(raws.len());
    raws.iter().any(|r| !seen.insert(r.identity()))
}

fn failure(ops: &[BanOp], unit: &Unit, errno: i32, message: Option<String>) -> BanFailure {
    BanFailure {
        op_index: unit.op_index,
        op: ops
            .get(unit.op_index)
            .cloned()
            .unwrap_or(BanOp::Remove { net: unit.net }),
        errno,
        message,
    }
}

fn rejected(ops: &[BanOp], unit: &Unit, ack: &AckInfo) -> BanFailure {
    failure(ops, unit, ack.errno, ack.message.clone())
}

/// Human-readable names of the commands `encode_plan` writes, in the same order.
fn describe_plan(plan: &InstallPlan) -> Vec<String> {
    let mut out = Vec::new();
    if plan.rebuild {
        out.push(format!("destroy table inet {TABLE}"));
    }
    if plan.table {
        out.push(format!("create table inet {TABLE}"));
    }
    for kind in &plan.sets {
        out.push(format!("create set {}", kind.name()));
    }
    if plan.chain {
        out.push(format!("create chain {CHAIN}"));
    }
    if plan.flush_rules {
        out.push(format!("flush chain {CHAIN}"));
    }
    for kind in &plan.rules {
        out.push(format!("add rule saddr @{} drop", kind.name()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ipnet::IpNet;
    use std::net::{IpAddr, Ipv6Addr};

    /// Runs `f` in a thread moved into a fresh, anonymous network namespace. `None` (after
    /// printing why) when not permitted, unless CLAWGUARD_REQUIRE_PRIVILEGED=1.
    fn in_private_netns<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
        let joined = std::thread::spawn(move || {
            nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNET).map(|()| f())
        })
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        match joined {
            Ok(value) => Some(value),
            Err(errno) => {
                let reason = format!("cannot create a network namespace: {errno}");
                if std::env::var("CLAWGUARD_REQUIRE_PRIVILEGED").as_deref() == Ok("1") {
                    panic!("privileged test cannot run: {reason}");
                }
                eprintln!("skipping privileged test: {reason}");
                None
            }
        }
    }

    /// Tiny limits force many transactions, several messages each, and the one-per-message
    /// retry across transaction boundaries.
    #[test]
    fn small_limits_split_work_and_isolate_the_bad_element() {
        let ran = in_private_netns(|| {
            let mut fw = Firewall::connect().expect("connect");
            fw.install().expect("install");
            fw.limits = PackLimits {
                max_batch_bytes: MIN_BATCH_BYTES,
                max_commands: 8,
                max_nest_bytes: 4000,
            };
            let seed: IpNet = "2001:db8:aa::/48".parse().unwrap();
            fw.apply(&[BanOp::Add {
                net: seed,
                timeout_ms: None,
            }])
            .expect("seed");
            let mut ops: Vec<BanOp> = (1..=5000u128)
                .map(|i| BanOp::Add {
                    net: IpNet::from(IpAddr::from(Ipv6Addr::from((0x2001_0db8u128 << 96) | i))),
                    timeout_ms: Some(600_000),
                })
                .collect();
            for prefix in ["198.51.100", "203.0.113"] {
                for quad in 0..64u8 {
                    ops.push(BanOp::Add {
                        net: format!("{prefix}.{}/30", quad * 4).parse().unwrap(),
                        timeout_ms: None,
                    });
                }
            }
            ops.insert(
                2500,
                BanOp::Add {
                    net: "2001:db8:aa:5::/64".parse().unwrap(),
                    timeout_ms: None,
                },
            );
            // Unscreened, so the kernel itself rejects the overlapping range and the retry
            // path has to find it.
            let mut failures = Vec::new();
            fw.send_units(&ops, &units_from_ops(&ops), &mut failures)
                .expect("send");
            let rejected: Vec<(usize, i32)> =
                failures.iter().map(|f| (f.op_index, f.errno)).collect();
            assert_eq!(rejected, vec![(2500, EEXIST)]);
            assert_eq!(fw.list().expect("list").len(), 1 + 5000 + 128);
            let removals: Vec<BanOp> = ops
                .iter()
                .map(|op| match op {
                    BanOp::Add { net, .. } | BanOp::Remove { net } => BanOp::Remove { net: *net },
                })
                .collect();
            fw.apply(&removals).expect("remove all");
            let left: Vec<IpNet> = fw.list().expect("list").iter().map(|b| b.net).collect();
            assert_eq!(left, vec![seed]);
        });
        if ran.is_none() {
            eprintln!("small_limits test skipped");
        }
    }

    #[test]
    fn firewall_can_move_between_threads() {
        fn assert_send<T: Send>() {}
        assert_send::<Firewall>();
    }

    #[test]
    fn plan_descriptions_follow_encoding_order() {
        let plan = InstallPlan {
            rebuild: true,
            table: true,
            sets: vec![SetKind::Ban6],
            chain: true,
            flush_rules: true,
            rules: vec![SetKind::Ban6],
        };
        let mut batch = BatchBuilder::new(1);
        ruleset::encode_plan(&mut batch, &plan).unwrap();
        let encoded = batch.finish().unwrap();
        let names = describe_plan(&plan);
        assert_eq!(encoded.commands, names.len());
        assert_eq!(names[0], "destroy table inet clawguard");
        assert_eq!(names[4], "flush chain input");
        assert_eq!(names[5], "add rule saddr @ban6 drop");
    }
}
