//! The ban engine's edges: resolving jails, running them over log sources,
//! persisting and enforcing their decisions.
//!
//! The pure parts live elsewhere (`clawguard-filter` classifies lines,
//! `clawguard-ban` decides); this crate connects them to files, the journal,
//! SQLite and nftables.

pub mod catalog;
pub mod filter_test;
pub mod log_rules;
pub mod log_trust;
pub mod matcher;
pub mod positions;
pub mod replay;
pub mod runtime;
