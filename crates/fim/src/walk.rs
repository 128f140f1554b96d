//! The fd-relative walker with parallel hashing.
//!
//! One thread walks with `clawguard_sys::walk` (each directory opened
//! relative to its parent's fd with `O_NOFOLLOW`, names read bounded and
//! sorted) and hands the other entries to worker threads, which open them
//! relative to the same parent fd, take the attributes from the opened fd
//! (`fstat`, so attributes and hash come from one inode) and hash them. No
//! path is ever re-resolved from `/`. The
//! caller's thread puts results back in path order ([`crate::entry::cmp_paths`])
//! within a bounded window, so memory does not grow with the tree.
//!
//! Special files (FIFOs, sockets, devices) are never opened: a name listed as
//! one is only `lstat`ed, and a file that turns into one between listing and
//! opening is opened `O_NONBLOCK|O_NOCTTY` and closed without a read.

use std::collections::BTreeMap;
use std::ffi::{CString, OsStr};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use clawguard_sys::regular_file::Follow;
use clawguard_sys::walk::{self, Bound, Descend, EntryAt, Errno, FileType, Stat, Trouble, Visitor};

use crate::FimError;
use crate::attrs::AttrSet;
use crate::entry::{Entry, FileKind, XATTR_DIGEST_LEN};
use crate::hash::HashAlgo;
use crate::policy::Policy;

/// Bounds of one walk; every one is input-driven and tested.
#[derive(Debug, Clone)]
pub struct WalkLimits {
    /// Directories deeper than this below a root are recorded, not entered.
    pub max_depth: usize,
    /// Names read from one directory; the rest are reported, not recorded.
    pub max_dir_entries: usize,
    /// Hashing threads (at least 1).
    pub threads: usize,
    /// Entries in flight between the walker and the ordered output.
    pub window: u64,
    /// Bytes of one xattr list or value.
    pub max_xattr_bytes: usize,
}

impl Default for WalkLimits {
    fn default() -> Self {
        WalkLimits {
            max_depth: 256,
            max_dir_entries: 1 << 20,
            threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
            window: 2048,
            max_xattr_bytes: 64 << 10,
        }
    }
}

/// Something the walk could not record fully (never fatal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: Vec<u8>,
    pub message: String,
}

/// One item of the ordered walk output.
#[derive(Debug)]
pub enum ScanItem {
    Entry(Entry),
    Problem(Problem),
}

/// A starting point: a path and the watch whose rule applies there.
#[derive(Debug, Clone)]
pub struct Start {
    pub path: Vec<u8>,
    pub watch: usize,
}

/// The starting points of a full walk of `policy`.
pub fn policy_starts(policy: &Policy) -> Vec<Start> {
    policy
        .roots()
        .map(|(watch, w)| Start {
            path: w.path.clone(),
            watch,
        })
        .collect()
}

struct FileJob {
    seq: u64,
    entry: EntryAt,
    path: Vec<u8>,
    attrs: AttrSet,
}

/// Results in any order, each with its sequence number.
type Output = Vec<(u64, Vec<ScanItem>)>;

/// Shared between the walker and the consumer: how far the output got.
struct Window {
    /// Mirrors `consumed` for the walker's lock-free fast path.
    consumed_fast: AtomicU64,
    consumed: Mutex<u64>,
    advanced: Condvar,
    abort: AtomicBool,
}

/// Walks `starts` (in path order, none under another) and calls `sink`
/// with every entry and problem, in path order.
pub fn scan(
    policy: &Policy,
    starts: &[Start],
    limits: &WalkLimits,
    sink: &mut dyn FnMut(ScanItem) -> Result<(), FimError>,
) -> Result<(), FimError> {
    raise_fd_limit();
    let threads = limits.threads.clamp(1, 256);
    let window = Arc::new(Window {
        consumed_fast: AtomicU64::new(0),
        consumed: Mutex::new(0),
        advanced: Condvar::new(),
        abort: AtomicBool::new(false),
    });
    let (out_tx, out_rx) = sync_channel::<Output>(1024);
    let (job_tx, job_rx) = sync_channel::<Vec<FileJob>>(threads * 4);
    let job_rx = Arc::new(Mutex::new(job_rx));
    let hash = policy.hash;
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let job_rx = Arc::clone(&job_rx);
            let out_tx = out_tx.clone();
            let limits = limits.clone();
            scope.spawn(move || worker(&job_rx, &out_tx, hash, &limits));
        }
        drop(job_rx);
        {
            let out_tx = out_tx.clone();
            let window = Arc::clone(&window);
            std::thread::Builder::new()
                .stack_size(16 << 20)
                .spawn_scoped(scope, move || {
                    let mut walker = Walker {
                        policy,
                        limits,
                        out: out_tx,
                        jobs: job_tx,
                        batch: Vec::new(),
                        seq: 0,
                        window: &window,
                    };
                    for start in starts {
                        if walker.start(start).is_err() {
                            break;
                        }
                    }
                    let _ = walker.flush();
                })
                .map_err(|e| FimError::Io {
                    path: "walker thread".into(),
                    source: e,
                })?;
        }
        drop(out_tx);
        let result = consume(&out_rx, &window, sink);
        if result.is_err() {
            window.abort.store(true, Ordering::SeqCst);
            window.advanced.notify_all();
            // Drain so blocked senders wake up and see the abort.
            while out_rx.recv().is_ok() {}
        }
        result
    })
}

fn consume(
    out_rx: &Receiver<Output>,
    window: &Window,
    sink: &mut dyn FnMut(ScanItem) -> Result<(), FimError>,
) -> Result<(), FimError> {
    let mut pending: BTreeMap<u64, Vec<ScanItem>> = BTreeMap::new();
    let mut next = 0u64;
    while let Ok(batch) = out_rx.recv() {
        for (seq, items) in batch {
            pending.insert(seq, items);
        }
        let before = next;
        while let Some(items) = pending.remove(&next) {
            for item in items {
                sink(item)?;
            }
            next += 1;
        }
        if next != before {
            *window.consumed.lock().unwrap_or_else(|e| e.into_inner()) = next;
            window.consumed_fast.store(next, Ordering::Release);
            window.advanced.notify_all();
        }
    }
    if !pending.is_empty() {
        return Err(FimError::Walk("a walker thread stopped early".into()));
    }
    Ok(())
}

struct Stop;

struct Walker<'a> {
    policy: &'a Policy,
    limits: &'a WalkLimits,
    out: SyncSender<Output>,
    jobs: SyncSender<Vec<FileJob>>,
    batch: Vec<FileJob>,
    seq: u64,
    window: &'a Window,
}

const BATCH: usize = 32;

impl Walker<'_> {
    /// The next sequence number, waiting while the output lags too far.
    fn next_seq(&mut self) -> Result<u64, Stop> {
        if self.window.abort.load(Ordering::Relaxed) {
            return Err(Stop);
        }
        let seq = self.seq;
        let consumed = self.window.consumed_fast.load(Ordering::Acquire);
        if seq >= consumed + self.limits.window {
            self.flush()?;
            let mut guard = self
                .window
                .consumed
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            while seq >= *guard + self.limits.window {
                if self.window.abort.load(Ordering::SeqCst) {
                    return Err(Stop);
                }
                guard = self
                    .window
                    .advanced
                    .wait_timeout(guard, Duration::from_millis(50))
                    .unwrap_or_else(|e| e.into_inner())
                    .0;
            }
        }
        self.seq += 1;
        Ok(seq)
    }

    fn emit(&mut self, items: Vec<ScanItem>) -> Result<(), Stop> {
        let seq = self.next_seq()?;
        self.out.send(vec![(seq, items)]).map_err(|_| Stop)
    }

    fn problem(&mut self, path: &[u8], message: String) -> Result<(), Stop> {
        self.emit(vec![ScanItem::Problem(Problem {
            path: path.to_vec(),
            message,
        })])
    }

    fn flush(&mut self) -> Result<(), Stop> {
        if !self.batch.is_empty() {
            let batch = std::mem::take(&mut self.batch);
            self.jobs.send(batch).map_err(|_| Stop)?;
        }
        Ok(())
    }

    fn start(&mut self, start: &Start) -> Result<(), Stop> {
        if self.policy.excluded(&start.path, start.watch) {
            return Ok(());
        }
        let bounds = walk::Limits {
            max_depth: self.limits.max_depth,
            max_dir_names: self.limits.max_dir_entries,
            max_names: u64::MAX,
        };
        let (parent, name) = split_parent(&start.path);
        if name.is_empty() {
            // The root directory itself.
            let fd = match walk::open_dir(Path::new("/"), Follow::No) {
                Ok(fd) => fd,
                Err(e) => return self.problem(&start.path, format!("cannot open: {e}")),
            };
            return walk::walk_dir(Arc::new(fd), &start.path, start.watch, &bounds, self);
        }
        // The configured parent path is resolved once (it may contain
        // symlinks such as /var/run); everything below is fd-relative.
        let parent_fd = match walk::open_dir(Path::new(os_path(&parent)), Follow::Yes) {
            Ok(fd) => Arc::new(fd),
            Err(Errno::NOENT) | Err(Errno::NOTDIR) => return Ok(()),
            Err(e) => {
                return self.problem(&start.path, format!("cannot open parent directory: {e}"));
            }
        };
        let name = CString::new(name).map_err(|_| Stop)?;
        walk::walk_entry(
            parent_fd,
            name,
            start.path.clone(),
            start.watch,
            &bounds,
            self,
        )
    }
}

/// The walk's decisions: which watch rules a path, what is recorded, and
/// every bound or failure as a [`Problem`].
impl Visitor for Walker<'_> {
    /// The watch whose rule applies.
    type Ctx = usize;
    type Break = Stop;

    fn child(&mut self, watch: &usize, path: &[u8]) -> Option<usize> {
        let watch = self.policy.watch_at(path).unwrap_or(*watch);
        (!self.policy.excluded(path, watch)).then_some(watch)
    }

    fn directory(
        &mut self,
        watch: &usize,
        dir: &Arc<OwnedFd>,
        path: &[u8],
        _: usize,
    ) -> Result<Descend, Stop> {
        let attrs = self.policy.watch(*watch).attrs;
        match rustix::fs::fstat(dir) {
            Ok(stat) => {
                let mut entry = entry_from_stat(path.to_vec(), &stat, attrs);
                if attrs.0 & AttrSet::X != 0 {
                    read_xattrs(dir.as_fd(), &mut entry, self.limits.max_xattr_bytes);
                }
                self.emit(vec![ScanItem::Entry(entry)])?;
                Ok(Descend::Enter)
            }
            Err(e) => {
                self.problem(path, format!("cannot stat directory: {e}"))?;
                Ok(Descend::Skip)
            }
        }
    }

    fn entry(
        &mut self,
        watch: &usize,
        entry: EntryAt,
        path: Vec<u8>,
        _: usize,
    ) -> Result<(), Stop> {
        let attrs = self.policy.watch(*watch).attrs;
        let seq = self.next_seq()?;
        self.batch.push(FileJob {
            seq,
            entry,
            path,
            attrs,
        });
        if self.batch.len() >= BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn bound(&mut self, path: &[u8], bound: Bound) -> Result<(), Stop> {
        let message = match bound {
            Bound::Depth(n) => format!("deeper than {n} levels: not entered"),
            Bound::DirNames(n) => format!("more than {n} names: the rest are not recorded"),
            Bound::Names(n) => {
                format!("more than {n} names in the walk: the rest are not recorded")
            }
        };
        self.problem(path, message)
    }

    fn trouble(&mut self, watch: &usize, path: &[u8], trouble: Trouble) -> Result<(), Stop> {
        match trouble {
            Trouble::Vanished => self.problem(path, "vanished during the scan".into()),
            Trouble::ReadDir(e) => self.problem(path, format!("cannot read directory: {e}")),
            Trouble::OpenDir(entry, e) => {
                // Record what lstat tells, then report.
                let attrs = self.policy.watch(*watch).attrs;
                let items = lstat_only(&entry, path, attrs, Some(e));
                self.emit(items)
            }
        }
    }
}

fn split_parent(path: &[u8]) -> (Vec<u8>, Vec<u8>) {
    match path.iter().rposition(|&b| b == b'/') {
        Some(0) => (b"/".to_vec(), path[1..].to_vec()),
        Some(i) => (path[..i].to_vec(), path[i + 1..].to_vec()),
        None => (b".".to_vec(), path.to_vec()),
    }
}

fn raise_fd_limit() {
    use rustix::process::{Resource, getrlimit, setrlimit};
    let limit = getrlimit(Resource::Nofile);
    if let (Some(current), Some(max)) = (limit.current, limit.maximum)
        && current < max
        && current < 65_536
    {
        let mut raised = limit;
        raised.current = Some(max.min(65_536));
        let _ = setrlimit(Resource::Nofile, raised);
    }
}

thread_local! {
    static READ_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn worker(
    jobs: &Mutex<Receiver<Vec<FileJob>>>,
    out: &SyncSender<Output>,
    hash: HashAlgo,
    limits: &WalkLimits,
) {
    loop {
        let batch = {
            let rx = jobs.lock().unwrap_or_else(|e| e.into_inner());
            match rx.recv() {
                Ok(batch) => batch,
                Err(_) => return,
            }
        };
        let results: Output = batch
            .iter()
            .map(|job| (job.seq, record_file(job, hash, limits)))
            .collect();
        if out.send(results).is_err() {
            return;
        }
    }
}

fn to_u64<T: TryInto<u64>>(value: T) -> u64 {
    value.try_into().unwrap_or(0)
}

fn to_i64<T: TryInto<i64>>(value: T) -> i64 {
    value.try_into().unwrap_or(0)
}

fn entry_from_stat(path: Vec<u8>, stat: &Stat, attrs: AttrSet) -> Entry {
    let mode = stat.st_mode;
    let mut entry = Entry::new(path, FileKind::from_mode(mode));
    entry.attrs = attrs;
    entry.perm = mode & 0o7777;
    entry.uid = stat.st_uid;
    entry.gid = stat.st_gid;
    entry.size = to_u64(stat.st_size);
    entry.mtime_ns = to_i64(stat.st_mtime)
        .saturating_mul(1_000_000_000)
        .saturating_add(to_i64(stat.st_mtime_nsec));
    entry.ctime_ns = to_i64(stat.st_ctime)
        .saturating_mul(1_000_000_000)
        .saturating_add(to_i64(stat.st_ctime_nsec));
    entry.inode = to_u64(stat.st_ino);
    entry.nlink = to_u64(stat.st_nlink);
    entry
}

/// Records an entry from `lstat` alone (symlinks, special files, and
/// entries that could not be opened).
fn lstat_only(
    at: &EntryAt,
    path: &[u8],
    attrs: AttrSet,
    open_error: Option<Errno>,
) -> Vec<ScanItem> {
    let mut items = Vec::with_capacity(2);
    let stat = match at.lstat() {
        Ok(stat) => stat,
        Err(Errno::NOENT) => return items,
        Err(e) => {
            items.push(problem(path, format!("cannot stat: {e}")));
            return items;
        }
    };
    // Without an fd there is no content hash nor xattrs.
    let mut recorded = AttrSet(attrs.0 & !(AttrSet::X));
    let mut entry = entry_from_stat(path.to_vec(), &stat, recorded);
    if entry.kind == FileKind::Symlink && attrs.has(AttrSet::LINK) {
        match at.read_link() {
            Ok(target) => entry.link = target,
            Err(e) => {
                recorded.0 &= !AttrSet::LINK;
                items.push(problem(path, format!("cannot read link: {e}")));
            }
        }
    }
    if entry.kind == FileKind::Regular && attrs.has(AttrSet::HASH) {
        recorded.0 &= !AttrSet::HASH;
        let why = match open_error {
            Some(e) => format!("cannot open: {e}: content not hashed"),
            None => "replaced during the scan: content not hashed".into(),
        };
        items.push(problem(path, why));
    } else if let Some(e) = open_error
        && entry.kind == FileKind::Directory
    {
        items.push(problem(
            path,
            format!("cannot open directory: {e}: not entered"),
        ));
    }
    entry.attrs = recorded;
    items.insert(0, ScanItem::Entry(entry));
    items
}

fn problem(path: &[u8], message: String) -> ScanItem {
    ScanItem::Problem(Problem {
        path: path.to_vec(),
        message,
    })
}

fn record_file(job: &FileJob, hash: HashAlgo, limits: &WalkLimits) -> Vec<ScanItem> {
    let listed = job.entry.listed();
    let needs_fd = job.attrs.has(AttrSet::HASH) || job.attrs.0 & AttrSet::X != 0;
    let may_be_regular = matches!(listed, FileType::RegularFile | FileType::Unknown);
    if !(may_be_regular && (needs_fd || listed == FileType::Unknown)) {
        return lstat_only(&job.entry, &job.path, job.attrs, None);
    }
    let opened = job.entry.open(true);
    let fd = match opened {
        Ok(fd) => fd,
        Err(Errno::NOENT) => {
            return vec![problem(&job.path, "vanished during the scan".into())];
        }
        // A symlink (O_NOFOLLOW), or a special file that refuses opening.
        Err(Errno::LOOP) | Err(Errno::NXIO) | Err(Errno::NODEV) => {
            return lstat_only(&job.entry, &job.path, job.attrs, None);
        }
        Err(e) => return lstat_only(&job.entry, &job.path, job.attrs, Some(e)),
    };
    let mut items = Vec::with_capacity(1);
    let stat = match rustix::fs::fstat(&fd) {
        Ok(stat) => stat,
        Err(e) => return vec![problem(&job.path, format!("cannot stat: {e}"))],
    };
    let mut entry = entry_from_stat(job.path.clone(), &stat, job.attrs);
    if entry.kind != FileKind::Regular {
        // Listed as a file but now something else: never read it.
        entry.attrs.0 &= !AttrSet::HASH;
        if entry.kind == FileKind::Directory {
            items.push(problem(
                &job.path,
                "became a directory during the scan: not entered".into(),
            ));
        }
    } else if job.attrs.has(AttrSet::HASH) {
        match hash_stable(&fd, &stat, hash) {
            Ok((digest, after)) => {
                if let Some(after) = after {
                    items.push(problem(&job.path, "changed while being hashed".into()));
                    entry = entry_from_stat(job.path.clone(), &after, job.attrs);
                }
                entry.hash = digest;
            }
            Err(e) => {
                entry.attrs.0 &= !AttrSet::HASH;
                items.push(problem(
                    &job.path,
                    format!("cannot read: {e}: content not hashed"),
                ));
            }
        }
    }
    if job.attrs.0 & AttrSet::X != 0 {
        read_xattrs(fd.as_fd(), &mut entry, limits.max_xattr_bytes);
    }
    items.insert(0, ScanItem::Entry(entry));
    items
}

fn same_version(a: &Stat, b: &Stat) -> bool {
    a.st_size == b.st_size
        && a.st_mtime == b.st_mtime
        && a.st_mtime_nsec == b.st_mtime_nsec
        && a.st_ctime == b.st_ctime
        && a.st_ctime_nsec == b.st_ctime_nsec
}

/// Hashes the open file; if it changed while being read, hashes it once
/// more and returns the latest attributes with the hash.
fn hash_stable(
    fd: &OwnedFd,
    before: &Stat,
    algo: HashAlgo,
) -> Result<(Vec<u8>, Option<Stat>), Errno> {
    let mut before = *before;
    for attempt in 0..2 {
        let digest = hash_fd(fd, algo, to_u64(before.st_size))?;
        let after = rustix::fs::fstat(fd)?;
        if same_version(&before, &after) {
            return Ok((digest, (attempt > 0).then_some(after)));
        }
        if attempt == 1 {
            return Ok((digest, Some(after)));
        }
        before = after;
    }
    unreachable!("two attempts always return")
}

const READ_CHUNK: usize = 256 << 10;

/// Hashes the whole file. A short read that reaches `expected` bytes ends
/// the loop without a second read (one syscall saved per small file); a file
/// that grew meanwhile is caught by the `fstat` after hashing.
fn hash_fd(fd: &OwnedFd, algo: HashAlgo, expected: u64) -> Result<Vec<u8>, Errno> {
    READ_BUFFER.with(|buffer| {
        let mut buffer = buffer.borrow_mut();
        if buffer.len() < READ_CHUNK {
            buffer.resize(READ_CHUNK, 0);
        }
        let mut hasher = algo.hasher();
        let mut offset = 0u64;
        loop {
            let n = match rustix::io::pread(fd, &mut buffer[..], offset) {
                Ok(n) => n,
                Err(Errno::INTR) => continue,
                Err(e) => return Err(e),
            };
            if n == 0 {
                break;
            }
            hasher.update(&buffer[..n]);
            offset += n as u64;
            if n < buffer.len() && offset >= expected {
                break;
            }
        }
        Ok(hasher.finish())
    })
}

const ACL_NAMES: [&[u8]; 2] = [b"system.posix_acl_access", b"system.posix_acl_default"];

/// Fills the xattr and ACL digests from an open fd (all zero: none).
fn read_xattrs(fd: BorrowedFd<'_>, entry: &mut Entry, max_bytes: usize) {
    let mut list = vec![0u8; 1024];
    let len = match rustix::fs::flistxattr(fd, &mut list[..]) {
        Ok(n) => n,
        Err(Errno::RANGE) => match rustix::fs::flistxattr(fd, &mut [0u8; 0][..]) {
            Ok(size) if size <= max_bytes => {
                list.resize(size, 0);
                match rustix::fs::flistxattr(fd, &mut list[..]) {
                    Ok(n) => n,
                    Err(_) => return,
                }
            }
            _ => {
                entry.xattrs = [0xff; XATTR_DIGEST_LEN];
                return;
            }
        },
        Err(_) => return,
    };
    if len == 0 {
        return;
    }
    let mut names: Vec<&[u8]> = list[..len]
        .split(|&b| b == 0)
        .filter(|n| !n.is_empty())
        .collect();
    names.sort_unstable();
    let mut xattrs = blake3::Hasher::new();
    let mut acl = blake3::Hasher::new();
    let (mut any_xattr, mut any_acl) = (false, false);
    let mut value = vec![0u8; 256];
    for name in names {
        let Ok(cname) = CString::new(name) else {
            continue;
        };
        let size = match rustix::fs::fgetxattr(fd, cname.as_c_str(), &mut value[..]) {
            Ok(n) => n,
            Err(Errno::RANGE) => {
                match rustix::fs::fgetxattr(fd, cname.as_c_str(), &mut [0u8; 0][..]) {
                    Ok(size) if size <= max_bytes => {
                        value.resize(size, 0);
                        rustix::fs::fgetxattr(fd, cname.as_c_str(), &mut value[..]).unwrap_or(0)
                    }
                    _ => 0,
                }
            }
            Err(_) => 0,
        };
        let target = if ACL_NAMES.contains(&name) {
            any_acl = true;
            &mut acl
        } else {
            any_xattr = true;
            &mut xattrs
        };
        target.update(&(name.len() as u64).to_le_bytes());
        target.update(name);
        target.update(&(size as u64).to_le_bytes());
        target.update(&value[..size.min(value.len())]);
    }
    if any_xattr {
        entry
            .xattrs
            .copy_from_slice(&xattrs.finalize().as_bytes()[..XATTR_DIGEST_LEN]);
    }
    if any_acl {
        entry
            .acl
            .copy_from_slice(&acl.finalize().as_bytes()[..XATTR_DIGEST_LEN]);
    }
}

/// Scans `starts` and collects everything (for small trees and tests).
pub fn scan_to_vec(
    policy: &Policy,
    starts: &[Start],
    limits: &WalkLimits,
) -> Result<(Vec<Entry>, Vec<Problem>), FimError> {
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    scan(policy, starts, limits, &mut |item| {
        match item {
            ScanItem::Entry(e) => entries.push(e),
            ScanItem::Problem(p) => problems.push(p),
        }
        Ok(())
    })?;
    Ok((entries, problems))
}

/// `OsStr` view of raw path bytes.
pub fn os_path(path: &[u8]) -> &OsStr {
    OsStr::from_bytes(path)
}
