//! Log-line matching: fail2ban filter semantics compiled to Rust `regex` or PCRE2.
//!
//! This crate is a pure decision core: it never does IO. It turns lines into
//! [`LineResult`]s; the caller decides what to do with failures.

use std::net::IpAddr;

/// A fail2ban filter after config interpolation. Regex tags such as `<HOST>`,
/// `<ADDR>`, `<F-USER>…</F-USER>` and `<SKIPLINES>` are still present; the
/// config reader (`clawguard-f2b`) has substituted every other `<name>` and
/// `%(name)s` reference.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterDef {
    /// Name the filter was loaded under (`sshd`, `openclaw-api`, a path, …).
    pub name: String,
    pub prefregex: Option<String>,
    pub failregex: Vec<String>,
    pub ignoreregex: Vec<String>,
    /// fail2ban `datepattern`, still in fail2ban syntax (`%%` already reduced to `%`).
    pub datepattern: Option<String>,
    /// `maxlines` (1 when unset).
    pub maxlines: usize,
    /// `journalmatch`: a disjunction (`+`) of conjunctions of `FIELD=value`.
    pub journalmatch: Vec<Vec<String>>,
}

/// How a single line was classified, as `fail2ban-regex` counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// A failregex matched (possibly completing a multi-line failure).
    Matched,
    /// An ignoreregex matched, or the line only supplied data (`F-NOFAIL`).
    Ignored,
    /// Nothing matched.
    Missed,
}

/// One failure attributed to one address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The offending address, with `::ffff:a.b.c.d` normalised to IPv4.
    pub addr: IpAddr,
    /// How many failures this line stands for (usually 1).
    pub count: u32,
    /// `<F-USER>` when the filter captured one.
    pub user: Option<String>,
}

/// What one line produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineResult {
    pub kind: LineKind,
    /// Time found in the line, Unix epoch milliseconds (UTC), if any.
    pub time_ms: Option<i64>,
    pub failures: Vec<Failure>,
}

pub mod openclaw;
