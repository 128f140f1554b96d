//! `/etc/passwd`, read and split in one place for every engine that needs
//! users or their homes (fim's watch list, skill discovery, gateway log
//! owners, `log_owners` names): bounded in bytes and entries, malformed lines
//! skipped.

use std::path::Path;

use crate::regular_file::{self, Follow};

/// Where users are looked up.
pub const PASSWD_PATH: &str = "/etc/passwd";
/// Largest `/etc/passwd` read.
pub const MAX_PASSWD_BYTES: u64 = 8 << 20;
/// Most entries looked at.
pub const MAX_USERS: usize = 100_000;

/// One entry of `/etc/passwd`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct User<'a> {
    pub name: &'a str,
    pub uid: u32,
    pub home: &'a str,
}

impl User<'_> {
    /// Whether the home is a real directory path a user could own (not `/`,
    /// not relative, not the `/nonexistent` placeholder).
    pub fn has_home(&self) -> bool {
        self.home.starts_with('/') && self.home != "/" && !self.home.starts_with("/nonexistent")
    }
}

/// Reads the file at `path` (normally [`PASSWD_PATH`]) as a bounded regular file.
pub fn read(path: &Path) -> std::io::Result<String> {
    regular_file::read_text(path, Follow::Yes, MAX_PASSWD_BYTES)
}

/// The well-formed entries of `text`, at most [`MAX_USERS`] lines looked at.
pub fn users(text: &str) -> impl Iterator<Item = User<'_>> {
    text.lines().take(MAX_USERS).filter_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        let uid = fields.nth(1)?.parse().ok()?;
        let home = fields.nth(2)?;
        Some(User { name, uid, home })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_split_and_malformed_lines_skipped() {
        let text = "root:x:0:0:root:/root:/bin/bash\n\
                    broken line\n\
                    nouid:x:abc:0::/home/nouid:/bin/sh\n\
                    nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n\
                    short:x:5\n";
        let users: Vec<User> = users(text).collect();
        assert_eq!(
            users,
            [
                User {
                    name: "root",
                    uid: 0,
                    home: "/root"
                },
                User {
                    name: "nobody",
                    uid: 65534,
                    home: "/nonexistent"
                },
            ]
        );
        assert!(users[0].has_home());
        assert!(!users[1].has_home());
    }
}
