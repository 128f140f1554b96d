//! One recorded filesystem entry, the path order, and attribute comparison.

use std::cmp::Ordering;

use crate::attrs::AttrSet;

/// File type, as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum FileKind {
    Regular = 1,
    Directory = 2,
    Symlink = 3,
    Fifo = 4,
    Socket = 5,
    CharDevice = 6,
    BlockDevice = 7,
    Unknown = 8,
}

impl FileKind {
    pub fn from_mode(mode: u32) -> FileKind {
        match mode & 0o170000 {
            0o100000 => FileKind::Regular,
            0o040000 => FileKind::Directory,
            0o120000 => FileKind::Symlink,
            0o010000 => FileKind::Fifo,
            0o140000 => FileKind::Socket,
            0o020000 => FileKind::CharDevice,
            0o060000 => FileKind::BlockDevice,
            _ => FileKind::Unknown,
        }
    }

    pub fn from_u8(value: u8) -> Option<FileKind> {
        Some(match value {
            1 => FileKind::Regular,
            2 => FileKind::Directory,
            3 => FileKind::Symlink,
            4 => FileKind::Fifo,
            5 => FileKind::Socket,
            6 => FileKind::CharDevice,
            7 => FileKind::BlockDevice,
            8 => FileKind::Unknown,
            _ => return None,
        })
    }

    /// One letter, as `ls -l` shows it.
    pub fn letter(self) -> char {
        match self {
            FileKind::Regular => 'f',
            FileKind::Directory => 'd',
            FileKind::Symlink => 'l',
            FileKind::Fifo => 'p',
            FileKind::Socket => 's',
            FileKind::CharDevice => 'c',
            FileKind::BlockDevice => 'b',
            FileKind::Unknown => '?',
        }
    }
}

/// Length of the xattr and ACL digests (truncated BLAKE3).
pub const XATTR_DIGEST_LEN: usize = 16;

/// Everything recorded about one path. Only the attributes in `attrs` are
/// meaningful (the others are zero and not stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Absolute path, raw bytes (names need not be UTF-8).
    pub path: Vec<u8>,
    pub attrs: AttrSet,
    pub kind: FileKind,
    /// Permission bits (07777).
    pub perm: u32,
    pub uid: u32,
    pub gid: u32,
    pub size: u64,
    pub mtime_ns: i64,
    pub ctime_ns: i64,
    pub inode: u64,
    pub nlink: u64,
    /// Symlink target.
    pub link: Vec<u8>,
    /// Digest of the extended attributes other than ACLs (sorted name/value).
    pub xattrs: [u8; XATTR_DIGEST_LEN],
    /// Digest of `system.posix_acl_access` and `system.posix_acl_default`.
    pub acl: [u8; XATTR_DIGEST_LEN],
    /// Content hash (regular files).
    pub hash: Vec<u8>,
}

impl Entry {
    pub fn new(path: Vec<u8>, kind: FileKind) -> Entry {
        Entry {
            path,
            attrs: AttrSet(0),
            kind,
            perm: 0,
            uid: 0,
            gid: 0,
            size: 0,
            mtime_ns: 0,
            ctime_ns: 0,
            inode: 0,
            nlink: 0,
            link: Vec::new(),
            xattrs: [0; XATTR_DIGEST_LEN],
            acl: [0; XATTR_DIGEST_LEN],
            hash: Vec::new(),
        }
    }

    /// The attributes that differ from `old`, checked over the attributes
    /// both recorded. The file type is always compared.
    pub fn differences(&self, old: &Entry) -> AttrSet {
        let both = AttrSet(self.attrs.0 & old.attrs.0);
        let mut changed = 0u32;
        if self.kind != old.kind {
            changed |= AttrSet::FTYPE;
        }
        let mut check = |bit: u32, differs: bool| {
            if both.has(bit) && differs {
                changed |= bit;
            }
        };
        check(AttrSet::PERM, self.perm != old.perm);
        check(AttrSet::UID, self.uid != old.uid);
        check(AttrSet::GID, self.gid != old.gid);
        let size_changed = if both.has(AttrSet::GROWING) {
            self.size < old.size
        } else {
            self.size != old.size
        };
        check(AttrSet::SIZE, size_changed);
        check(AttrSet::MTIME, self.mtime_ns != old.mtime_ns);
        check(AttrSet::CTIME, self.ctime_ns != old.ctime_ns);
        check(AttrSet::INODE, self.inode != old.inode);
        check(AttrSet::NLINK, self.nlink != old.nlink);
        check(AttrSet::LINK, self.link != old.link);
        check(AttrSet::XATTRS, self.xattrs != old.xattrs);
        check(AttrSet::ACL, self.acl != old.acl);
        check(
            AttrSet::HASH,
            self.kind == FileKind::Regular
                && old.kind == FileKind::Regular
                && self.hash != old.hash,
        );
        AttrSet(changed)
    }

    /// The path for display: lossless for UTF-8, `\xNN` escapes otherwise,
    /// and control characters escaped (so a name cannot forge report lines).
    pub fn display_path(&self) -> String {
        display_path(&self.path)
    }
}

/// Escapes a raw path for reports: invalid UTF-8 bytes as `\xNN`, control
/// characters as `\u{…}`, backslash doubled.
pub fn display_path(path: &[u8]) -> String {
    let mut out = String::with_capacity(path.len());
    for chunk in path.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

/// The order of paths everywhere (walk, baseline, merge): component by
/// component, i.e. bytewise with `/` ranked below every other byte. A
/// depth-first walk that visits each directory's names in byte order
/// produces exactly this order.
pub fn cmp_paths(a: &[u8], b: &[u8]) -> Ordering {
    let key = |byte: u8| if byte == b'/' { 0u8 } else { byte };
    let common = a.len().min(b.len());
    for i in 0..common {
        let (x, y) = (key(a[i]), key(b[i]));
        if x != y {
            return x.cmp(&y);
        }
    }
    a.len().cmp(&b.len())
}

/// Whether `path` is `ancestor` or lies under it (component-wise).
pub fn is_under(path: &[u8], ancestor: &[u8]) -> bool {
    if ancestor == b"/" {
        return path.starts_with(b"/");
    }
    path.starts_with(ancestor) && (path.len() == ancestor.len() || path[ancestor.len()] == b'/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn component_order_matches_a_sorted_depth_first_walk() {
        let mut paths: Vec<&[u8]> = vec![b"/a-c", b"/a/b", b"/a", b"/a/b/c", b"/a.b", b"/b"];
        paths.sort_by(|a, b| cmp_paths(a, b));
        let expected: Vec<&[u8]> = vec![b"/a", b"/a/b", b"/a/b/c", b"/a-c", b"/a.b", b"/b"];
        assert_eq!(paths, expected);
    }

    #[test]
    fn under() {
        assert!(is_under(b"/etc/ssh/x", b"/etc/ssh"));
        assert!(is_under(b"/etc/ssh", b"/etc/ssh"));
        assert!(!is_under(b"/etc/sshd", b"/etc/ssh"));
        assert!(is_under(b"/etc", b"/"));
    }

    #[test]
    fn display_escapes_control_and_invalid_bytes() {
        assert_eq!(display_path(b"/a\nb\xff"), "/a\\u{a}b\\xff");
    }
}
