//! Whose log files may get addresses banned.
//!
//! The OpenClaw gateway logs under `/tmp`, where any local user can create
//! `/tmp/openclaw-x/openclaw-<date>.log` full of failure lines. Such a file is
//! read only when it and every directory above it belong to root, to this
//! process's user, or to a gateway user (the configured ones, else the owner of
//! an OpenClaw state directory: `~/.openclaw`, `~/.openclaw-<profile>`, legacy
//! `~/.clawdbot`, or `$OPENCLAW_STATE_DIR`), and no one else can write them: the file and its
//! directories are not writable by group or others, except sticky directories
//! such as `/tmp` (there others cannot rename or remove what they do not own).
//!
//! The check is made on descriptors: each directory is opened relative to the
//! one above it with `O_NOFOLLOW`, judged by `fstat`, and the file is opened
//! relative to its checked directory, so no rename or symlink swapped in
//! between a check and the open can change what is read.

use std::collections::BTreeSet;
use std::fmt;
use std::fs::{File, Metadata};
use std::io;
use std::os::fd::OwnedFd;
use std::os::unix::fs::MetadataExt;
use std::path::{Component, Path, PathBuf};

use rustix::fs::{Mode, OFlags};

use crate::openclaw::parse_openclaw_file_name;
use clawguard_sys::passwd;
use clawguard_sys::regular_file;

/// Most entries of one home directory scanned for `.openclaw-<profile>`.
const MAX_HOME_ENTRIES: usize = 4096;
/// Most entries of one gateway log directory looked at by [`refused_openclaw_logs`].
const MAX_LOG_DIR_ENTRIES: usize = 4096;

/// Users whose files may feed a ban: always root and this process's user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedOwners {
    uids: BTreeSet<u32>,
}

impl TrustedOwners {
    /// Root, this process's user and `gateway_users`.
    pub fn new(gateway_users: impl IntoIterator<Item = u32>) -> Self {
        let mut uids: BTreeSet<u32> = gateway_users.into_iter().collect();
        uids.insert(0);
        uids.insert(rustix::process::geteuid().as_raw());
        Self { uids }
    }

    /// Root, this process's user and the gateway users of this host.
    pub fn discover() -> Self {
        let passwd = passwd::read(Path::new(passwd::PASSWD_PATH)).unwrap_or_default();
        let mut users = gateway_users(&passwd);
        if let Some(dir) = std::env::var_os("OPENCLAW_STATE_DIR").map(PathBuf::from)
            && dir.is_absolute()
            && let Ok(meta) = std::fs::symlink_metadata(&dir)
            && meta.is_dir()
        {
            users.insert(meta.uid());
        }
        Self::new(users)
    }

    /// Whether files of `uid` may feed a ban.
    pub fn contains(&self, uid: u32) -> bool {
        self.uids.contains(&uid)
    }
}

impl fmt::Display for TrustedOwners {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list: Vec<String> = self.uids.iter().map(u32::to_string).collect();
        write!(f, "uid {}", list.join(", "))
    }
}

/// Users of `passwd` (the text of `/etc/passwd`) who own an OpenClaw state
/// directory in their home: `.openclaw`, `.openclaw-<profile>` or `.clawdbot`,
/// a real directory (not a link) owned by that same user.
pub fn gateway_users(passwd: &str) -> BTreeSet<u32> {
    let mut users = BTreeSet::new();
    for user in passwd::users(passwd) {
        if !user.has_home() {
            continue;
        }
        let (uid, home) = (user.uid, Path::new(user.home));
        let mut state_dirs = vec![home.join(".openclaw"), home.join(".clawdbot")];
        if let Ok(entries) = std::fs::read_dir(home) {
            state_dirs.extend(
                entries
                    .take(MAX_HOME_ENTRIES)
                    .flatten()
                    .filter(|e| e.file_name().as_encoded_bytes().starts_with(b".openclaw-"))
                    .map(|e| e.path()),
            );
        }
        let owns_one = state_dirs
            .iter()
            .any(|dir| std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir() && m.uid() == uid));
        if owns_one {
            users.insert(uid);
        }
    }
    users
}

/// A log file (or a directory above it) that is not read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The file or directory at fault.
    pub path: PathBuf,
    /// Why it may not feed a ban.
    pub reason: String,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.reason)
    }
}

/// Why [`open_trusted`] did not return a file.
#[derive(Debug)]
pub enum TrustedOpenError {
    /// The file or a directory above it may not feed a ban.
    Refused(Refusal),
    /// It could not be opened (gone, no permission, …).
    Io(io::Error),
}

impl fmt::Display for TrustedOpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrustedOpenError::Refused(refusal) => write!(f, "refused {refusal}"),
            TrustedOpenError::Io(error) => error.fmt(f),
        }
    }
}

/// Opens the regular file at absolute `path` for reading if it and every
/// directory above it pass the ownership rules of this module.
pub fn open_trusted(
    path: &Path,
    owners: &TrustedOwners,
) -> Result<(File, Metadata), TrustedOpenError> {
    let refuse = |at: &Path, reason: String| {
        TrustedOpenError::Refused(Refusal {
            path: at.to_path_buf(),
            reason,
        })
    };
    let mut names = Vec::new();
    for component in path.components() {
        match component {
            Component::RootDir => {}
            Component::Normal(name) => names.push(name),
            _ => return Err(refuse(path, "not a plain absolute path".into())),
        }
    }
    if !path.is_absolute() || names.is_empty() {
        return Err(refuse(path, "not a plain absolute path".into()));
    }
    let dir_flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let mut at = PathBuf::from("/");
    let mut dir: OwnedFd = rustix::fs::open("/", dir_flags, Mode::empty())
        .map_err(|e| TrustedOpenError::Io(e.into()))?;
    check_dir(&dir, owners).map_err(|r| refuse(&at, r))?;
    let (file_name, dir_names) = names
        .split_last()
        .ok_or_else(|| refuse(path, "no file name".into()))?;
    for name in dir_names {
        at.push(name);
        dir = match rustix::fs::openat(&dir, *name, dir_flags, Mode::empty()) {
            Ok(fd) => fd,
            Err(rustix::io::Errno::LOOP | rustix::io::Errno::NOTDIR) => {
                return Err(refuse(
                    &at,
                    "not a directory (symbolic links are not followed)".into(),
                ));
            }
            Err(e) => return Err(TrustedOpenError::Io(e.into())),
        };
        check_dir(&dir, owners).map_err(|r| refuse(&at, r))?;
    }
    at.push(file_name);
    let file_flags =
        OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC;
    let fd = match rustix::fs::openat(&dir, *file_name, file_flags, Mode::empty()) {
        Ok(fd) => fd,
        Err(rustix::io::Errno::LOOP) => {
            return Err(refuse(&at, "a symbolic link (not followed)".into()));
        }
        Err(e) => return Err(TrustedOpenError::Io(e.into())),
    };
    let file = File::from(fd);
    let meta = file.metadata().map_err(TrustedOpenError::Io)?;
    if !meta.is_file() {
        return Err(refuse(
            &at,
            format!("not a regular file ({})", regular_file::describe(&meta)),
        ));
    }
    check(meta.uid(), meta.mode(), owners, false).map_err(|r| refuse(&at, r))?;
    Ok((file, meta))
}

/// `fstat` on a directory descriptor, then [`check`].
fn check_dir(dir: &OwnedFd, owners: &TrustedOwners) -> Result<(), String> {
    let stat = rustix::fs::fstat(dir).map_err(|e| format!("fstat: {e}"))?;
    check(stat.st_uid, stat.st_mode, owners, true)
}

/// Owner and write bits of one opened file or directory.
fn check(uid: u32, mode: u32, owners: &TrustedOwners, is_dir: bool) -> Result<(), String> {
    if !owners.contains(uid) {
        return Err(format!(
            "owned by uid {uid}, not root or a gateway user ({owners})"
        ));
    }
    let sticky = mode & 0o1000 != 0;
    if mode & 0o022 != 0 && !(is_dir && sticky) {
        return Err(format!(
            "writable by group or others (mode {:04o})",
            mode & 0o7777
        ));
    }
    Ok(())
}

/// The OpenClaw log files in `dirs` that an OpenClaw source refuses to read,
/// with the reason (for `clawguard status`; the daemon logs the same).
/// `configured` are the source's configured gateway users; `None` detects them.
pub fn refused_openclaw_logs(dirs: &[PathBuf], configured: Option<&[u32]>) -> Vec<Refusal> {
    let owners = match configured {
        Some(uids) => TrustedOwners::new(uids.iter().copied()),
        None => TrustedOwners::discover(),
    };
    let mut refusals = Vec::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        let mut names: Vec<PathBuf> = entries
            .take(MAX_LOG_DIR_ENTRIES)
            .flatten()
            .filter(|e| {
                e.file_name()
                    .to_str()
                    .and_then(parse_openclaw_file_name)
                    .is_some()
            })
            .map(|e| e.path())
            .collect();
        names.sort();
        for path in names {
            if let Err(TrustedOpenError::Refused(refusal)) = open_trusted(&path, &owners) {
                let reason = if refusal.path == path {
                    refusal.reason
                } else {
                    format!("directory {}: {}", refusal.path.display(), refusal.reason)
                };
                refusals.push(Refusal { path, reason });
            }
        }
    }
    refusals
}
