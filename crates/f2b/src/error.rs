//! The one error type of this crate. Every variant names where the problem is:
//! a file and line, the key, the jail that asked, or the limit that was hit.

use std::fmt;
use std::path::PathBuf;

/// A place in a configuration file (`path:line`, lines counted from 1).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// The file as it was opened (built-in filters show as `<builtin>/NAME.conf`).
    pub path: PathBuf,
    /// 1-based line number.
    pub line: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.path.display(), self.line)
    }
}

/// Everything that can go wrong while reading fail2ban configuration.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum F2bError {
    /// A file or directory could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The INI text itself is malformed (no section header, no `=`, duplicates…).
    #[error("{location}: {message}")]
    Syntax { location: Location, message: String },
    /// A value is wrong: bad interpolation, bad integer, bad time, self-reference…
    #[error("{location}: key '{key}': {message}")]
    Value {
        location: Location,
        key: String,
        message: String,
    },
    /// `[INCLUDES] before/after` lead back to a file that is already being read.
    #[error("{}: include loop: {chain}", path.display())]
    IncludeLoop { path: PathBuf, chain: String },
    /// A filter name resolves to no file and no built-in filter.
    #[error("{requested_by}: filter '{filter}' not found: no {} or .local and no built-in filter of that name", searched.display())]
    FilterNotFound {
        filter: String,
        /// The `.conf` path that was looked for.
        searched: PathBuf,
        /// Who asked: `jail 'sshd' (/etc/fail2ban/jail.local:3)` or `filter spec "…"`.
        requested_by: String,
    },
    /// A `name[k=v, …]` specification that does not parse.
    #[error("invalid filter specification {spec:?}: {message}")]
    Spec { spec: String, message: String },
    /// A bound on input size or count was exceeded (hostile or broken input).
    #[error("{}: limit exceeded: {what}", path.display())]
    Limit { path: PathBuf, what: String },
    /// A time value that `fail2ban-client --str2sec` would not accept.
    #[error("invalid time value {input:?}: {message}")]
    Time { input: String, message: String },
}
