//! Attributes a rule can check, and rule expressions (`R`, `L`, `>`, `p+u+g`).

use crate::FimError;

/// A set of attributes, as a bit mask (stored as is in the baseline).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct AttrSet(pub u32);

impl AttrSet {
    pub const FTYPE: u32 = 1 << 0;
    pub const PERM: u32 = 1 << 1;
    pub const UID: u32 = 1 << 2;
    pub const GID: u32 = 1 << 3;
    pub const SIZE: u32 = 1 << 4;
    pub const MTIME: u32 = 1 << 5;
    pub const CTIME: u32 = 1 << 6;
    pub const INODE: u32 = 1 << 7;
    pub const NLINK: u32 = 1 << 8;
    pub const LINK: u32 = 1 << 9;
    pub const XATTRS: u32 = 1 << 10;
    pub const ACL: u32 = 1 << 11;
    pub const HASH: u32 = 1 << 12;
    /// Size may grow (logs): only a shrink is a change.
    pub const GROWING: u32 = 1 << 13;

    /// Every bit this build knows.
    pub const ALL: u32 = (1 << 14) - 1;

    /// AIDE's `X`: extended attributes and ACLs.
    pub const X: u32 = Self::XATTRS | Self::ACL;
    /// AIDE's `R`: `p+ftype+i+l+n+u+g+s+m+c+hash+X`.
    pub const R: u32 = Self::PERM
        | Self::FTYPE
        | Self::INODE
        | Self::LINK
        | Self::NLINK
        | Self::UID
        | Self::GID
        | Self::SIZE
        | Self::MTIME
        | Self::CTIME
        | Self::HASH
        | Self::X;
    /// AIDE's `L`: `p+ftype+i+l+n+u+g+X`.
    pub const L: u32 = Self::PERM
        | Self::FTYPE
        | Self::INODE
        | Self::LINK
        | Self::NLINK
        | Self::UID
        | Self::GID
        | Self::X;
    /// AIDE's `>`: `p+ftype+l+u+g+i+n+s+growing+X` (growing logs).
    pub const GROWING_LOG: u32 = Self::L | Self::SIZE | Self::GROWING;

    pub fn has(self, bit: u32) -> bool {
        self.0 & bit != 0
    }

    /// Parses a rule expression: a group or attributes joined with `+`,
    /// `-attr` removing one. `hash` (or the name of any hash) means the
    /// baseline's content hash.
    pub fn parse(rule: &str) -> Result<AttrSet, FimError> {
        let bad = |message: String| FimError::Rule {
            rule: rule.to_string(),
            message,
        };
        let text = rule.trim();
        if text.is_empty() {
            return Err(bad("empty rule".into()));
        }
        let mut bits = 0u32;
        let mut rest = text;
        let mut first = true;
        while !rest.is_empty() {
            let (add, body) = match rest.as_bytes()[0] {
                b'+' if !first => (true, &rest[1..]),
                b'-' if !first => (false, &rest[1..]),
                _ if first => (true, rest),
                _ => return Err(bad("expected `+` or `-` between attributes".into())),
            };
            let end = body.find(['+', '-']).unwrap_or(body.len());
            let token = &body[..end];
            let value = token_bits(token)
                .ok_or_else(|| bad(format!("unknown attribute or group {token:?}")))?;
            if add {
                bits |= value;
            } else {
                bits &= !value;
            }
            rest = &body[end..];
            first = false;
        }
        Ok(AttrSet(bits))
    }

    /// Names of the attributes in this set, in report order; the hash is
    /// named after `hash_name`.
    pub fn names(self, hash_name: &'static str) -> Vec<&'static str> {
        NAMES
            .iter()
            .filter(|(bit, _)| self.has(*bit))
            .map(|&(bit, name)| if bit == Self::HASH { hash_name } else { name })
            .collect()
    }
}

/// Report names, in report order.
const NAMES: &[(u32, &str)] = &[
    (AttrSet::FTYPE, "type"),
    (AttrSet::PERM, "perm"),
    (AttrSet::UID, "uid"),
    (AttrSet::GID, "gid"),
    (AttrSet::SIZE, "size"),
    (AttrSet::MTIME, "mtime"),
    (AttrSet::CTIME, "ctime"),
    (AttrSet::INODE, "inode"),
    (AttrSet::NLINK, "nlink"),
    (AttrSet::LINK, "link"),
    (AttrSet::XATTRS, "xattrs"),
    (AttrSet::ACL, "acl"),
    (AttrSet::HASH, "hash"),
];

fn token_bits(token: &str) -> Option<u32> {
    Some(match token {
        "R" => AttrSet::R,
        "L" => AttrSet::L,
        ">" => AttrSet::GROWING_LOG,
        "E" => 0,
        "X" => AttrSet::X,
        "ftype" => AttrSet::FTYPE,
        "p" | "perm" => AttrSet::PERM,
        "u" | "uid" => AttrSet::UID,
        "g" | "gid" => AttrSet::GID,
        "s" | "size" => AttrSet::SIZE,
        "m" | "mtime" => AttrSet::MTIME,
        "c" | "ctime" => AttrSet::CTIME,
        "i" | "inode" => AttrSet::INODE,
        "n" | "nlink" => AttrSet::NLINK,
        "l" | "link" => AttrSet::LINK,
        "xattrs" => AttrSet::XATTRS,
        "acl" => AttrSet::ACL,
        "hash" | "blake3" | "sha256" | "sha512" => AttrSet::HASH,
        "growing" => AttrSet::GROWING,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_match_aide() {
        assert_eq!(AttrSet::parse("R").unwrap().0, AttrSet::R);
        assert_eq!(AttrSet::parse(">").unwrap().0, AttrSet::GROWING_LOG);
        let r_minus = AttrSet::parse("R-m-c").unwrap();
        assert!(!r_minus.has(AttrSet::MTIME) && !r_minus.has(AttrSet::CTIME));
        assert!(r_minus.has(AttrSet::HASH));
        let custom = AttrSet::parse("p+u+g+sha256").unwrap();
        assert_eq!(
            custom.0,
            AttrSet::PERM | AttrSet::UID | AttrSet::GID | AttrSet::HASH
        );
        assert!(AttrSet::parse("R+nope").is_err());
        assert!(AttrSet::parse("").is_err());
        assert!(!AttrSet::parse("L").unwrap().has(AttrSet::HASH));
    }
}
