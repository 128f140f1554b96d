//! Errors of the nftables layer. Every kernel error names the operation that failed and
//! carries the errno (and the kernel's extended-ack text when it sent one).

use std::fmt;
use std::io;

use crate::BanOp;
use crate::wire::AckInfo;

/// Failure of a [`crate::Firewall`] operation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum NftError {
    /// A socket call failed (open, bind, send, receive, timeout).
    #[error("netlink socket {action}: {source}")]
    Socket {
        /// The socket call, e.g. "bind" or "receive".
        action: &'static str,
        /// The underlying OS error.
        #[source]
        source: io::Error,
    },
    /// The kernel rejected a request.
    #[error("{operation}: {}", describe_errno(*errno, message.as_deref()))]
    Kernel {
        /// What was attempted, e.g. "create set ban4".
        operation: String,
        /// Positive errno value.
        errno: i32,
        /// Extended-ack text from the kernel, if any.
        message: Option<String>,
    },
    /// The kernel's reply (or our request) could not be encoded or decoded.
    #[error("{operation}: malformed netlink data: {detail}")]
    Malformed {
        /// What was attempted.
        operation: String,
        /// What was wrong.
        detail: String,
    },
    /// Some ban operations were rejected; every other operation was applied.
    #[error(
        "{} of {total} ban operations failed, the others were applied; first: {}",
        failures.len(),
        failures.first().map(ToString::to_string).unwrap_or_default()
    )]
    BansFailed {
        /// Number of operations passed to `apply`.
        total: usize,
        /// The rejected operations, in input order.
        failures: Vec<BanFailure>,
    },
}

/// One rejected [`BanOp`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BanFailure {
    /// Index of the op in the slice passed to `apply`.
    pub op_index: usize,
    /// The op itself.
    pub op: BanOp,
    /// Positive errno value (e.g. `EEXIST` for a range overlapping a different existing range).
    pub errno: i32,
    /// Extended-ack text from the kernel, if any.
    pub message: Option<String>,
}

impl fmt::Display for BanFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (verb, net) = match &self.op {
            BanOp::Add { net, .. } => ("add", net),
            BanOp::Remove { net } => ("remove", net),
        };
        write!(
            f,
            "{verb} {net} (op {}): {}",
            self.op_index,
            describe_errno(self.errno, self.message.as_deref())
        )
    }
}

fn describe_errno(errno: i32, message: Option<&str>) -> String {
    let base = format!("errno {errno} ({})", io::Error::from_raw_os_error(errno));
    match message {
        Some(text) => format!("{base}: {text}"),
        None => base,
    }
}

impl NftError {
    pub(crate) fn kernel(operation: &str, ack: &AckInfo) -> Self {
        NftError::Kernel {
            operation: operation.to_owned(),
            errno: ack.errno,
            message: ack.message.clone(),
        }
    }

    pub(crate) fn malformed(operation: &str, detail: impl fmt::Display) -> Self {
        NftError::Malformed {
            operation: operation.to_owned(),
            detail: detail.to_string(),
        }
    }

    /// The errno of a kernel rejection, if this is one.
    pub fn errno(&self) -> Option<i32> {
        match self {
            NftError::Kernel { errno, .. } => Some(*errno),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_operation_and_errno() {
        let err = NftError::Kernel {
            operation: "create set ban4".into(),
            errno: 17,
            message: Some("exists".into()),
        };
        let text = err.to_string();
        assert!(text.starts_with("create set ban4: errno 17 ("), "{text}");
        assert!(text.ends_with(": exists"), "{text}");
        assert_eq!(err.errno(), Some(17));
        let failure = BanFailure {
            op_index: 3,
            op: BanOp::Remove {
                net: "192.0.2.0/24".parse().unwrap(),
            },
            errno: 39,
            message: None,
        };
        let err = NftError::BansFailed {
            total: 10,
            failures: vec![failure],
        };
        let text = err.to_string();
        assert!(text.contains("1 of 10"), "{text}");
        assert!(
            text.contains("remove 192.0.2.0/24 (op 3): errno 39"),
            "{text}"
        );
    }
}
