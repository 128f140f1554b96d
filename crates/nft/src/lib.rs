//! nftables enforcement for clawguard over raw netlink: no `nft` binary and no libnftnl at run
//! time.
//!
//! clawguard owns table `inet clawguard` with four sets (`ban4`/`ban6`: single hosts, hash sets;
//! `net4`/`net6`: prefixes, interval sets; all with per-element kernel timeouts) and a base chain
//! `input` (filter hook, priority -10, policy accept) holding one `saddr @set counter drop` rule
//! per set. Bans are applied as nfnetlink transactions of many elements per message; the kernel
//! expires timed elements itself.
//!
//! Interval additions are checked for overlaps in userspace (as nft does), against a copy of
//! `net4`/`net6` that is reused across calls while the kernel's ruleset generation id shows no
//! foreign change, so one more prefix ban does not cost a dump of the whole set.
//!
//! Layout: `proto` kernel constants, `wire` framing and parsing, `ruleset` and `elements` message
//! content and decisions (all pure, unit-tested on bytes), `socket` the only IO, `firewall` the
//! public operations. Requires Linux ≥ 6.3 (`DESTROY` messages; element timeouts are refreshed
//! on re-add by recent kernels, verified on 6.18) and `CAP_NET_ADMIN` in the network namespace.

mod elements;
mod error;
mod firewall;
mod proto;
mod ruleset;
mod socket;
mod wire;

pub use elements::canonical;
pub use error::{BanFailure, NftError};
pub use firewall::Firewall;

use ipnet::IpNet;

/// A change to the kernel ban sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BanOp {
    /// Ban `net`. Host nets (/32, /128) go to `ban4`/`ban6`, other prefixes to `net4`/`net6`.
    /// Re-adding an existing element succeeds and replaces its timeout.
    Add {
        /// The address or prefix (host bits are ignored; see [`canonical`]).
        net: IpNet,
        /// Kernel timeout; `None` = permanent. Clamped to 10 ms ..= 100 years.
        timeout_ms: Option<u64>,
    },
    /// Unban `net`; succeeds if it is not banned.
    Remove {
        /// The address or prefix, exactly as it was added.
        net: IpNet,
    },
}

/// A ban present in the kernel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KernelBan {
    /// Canonical net (see [`canonical`]).
    pub net: IpNet,
    /// Remaining time before the kernel drops it; `None` = permanent.
    pub expires_in_ms: Option<u64>,
}
