//! Realtime watching of the policy's `realtime` paths, for the daemon.
//!
//! Two kernel interfaces, used together when both are there:
//! - **fanotify** (root): an inode mark with `FAN_EVENT_ON_CHILD` on each
//!   watched directory (the same ones inotify watches, so the kernel only
//!   queues events of the watched trees): every write-close with the **pid**
//!   of the writer; the path comes from the event's fd, and the actor's exe
//!   and uid from `/proc/<pid>` (`Actor`).
//! - **inotify**: creations, deletions, renames and attribute changes (the
//!   fd-mode fanotify that this build can use without `unsafe` does not
//!   report those), and content writes too when fanotify is unavailable.
//!   inotify never says who acted.
//!
//! A queue overflow on either (`IN_Q_OVERFLOW`, `FAN_Q_OVERFLOW`) means
//! events were lost: the watched trees are compared with the baseline again
//! ([`Fim::check_subtrees`]) and the differences become events.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::SyncSender;
use std::time::Duration;

use clawguard_event::{Actor, Event, EventKind, FileChange};
use clawguard_sys::clock::now_ms;
use clawguard_sys::regular_file::Follow;
use clawguard_sys::walk::{self, Bound, Descend, EntryAt, Trouble, Visitor};
use inotify::{EventMask, Inotify, WatchDescriptor, WatchMask};
use nix::sys::fanotify::{EventFFlags, Fanotify, InitFlags, MarkFlags, MaskFlags};

use crate::FimError;
use crate::engine::{Fim, error_event};
use crate::entry::is_under;

/// Bounds of the watcher (input-driven: the size of the watched trees).
#[derive(Debug, Clone)]
pub struct RealtimeLimits {
    /// inotify watches (one per directory).
    pub max_watches: usize,
    /// Directory depth followed when adding inotify watches.
    pub max_depth: usize,
    /// Use fanotify when the kernel and privileges allow.
    pub fanotify: bool,
}

impl Default for RealtimeLimits {
    fn default() -> Self {
        RealtimeLimits {
            max_watches: 8192,
            max_depth: 32,
            fanotify: true,
        }
    }
}

/// Which interfaces a watcher uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backends {
    pub fanotify: bool,
    pub inotify: bool,
}

/// A blocking watcher; [`Watcher::run`] sends events until stopped.
pub struct Watcher {
    fim: Fim,
    roots: Vec<Vec<u8>>,
    inotify: Inotify,
    /// Watched directory of each inotify descriptor.
    dirs: HashMap<WatchDescriptor, Vec<u8>>,
    fanotify: Option<Fanotify>,
    limits: RealtimeLimits,
    own_pid: u32,
    watch_limit_reported: bool,
    /// Directories marked in the fanotify group.
    fanotify_marks: usize,
}

const DIR_MASK: WatchMask = WatchMask::CREATE
    .union(WatchMask::DELETE)
    .union(WatchMask::MOVED_FROM)
    .union(WatchMask::MOVED_TO)
    .union(WatchMask::ATTRIB)
    .union(WatchMask::DELETE_SELF)
    .union(WatchMask::MOVE_SELF)
    .union(WatchMask::DONT_FOLLOW);

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> FimError + '_ {
    move |source| FimError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl Watcher {
    /// Sets up watches on the policy's realtime paths. The kernel queues
    /// events from here on, even before [`Watcher::run`].
    pub fn new(fim: Fim, limits: RealtimeLimits) -> Result<Watcher, FimError> {
        let mut roots: Vec<Vec<u8>> = fim
            .policy
            .watches()
            .iter()
            .filter(|w| w.realtime)
            .map(|w| w.path.clone())
            .collect();
        roots.sort();
        roots.dedup();
        let inotify = Inotify::init().map_err(io(Path::new("inotify")))?;
        let fanotify = if limits.fanotify {
            setup_fanotify()
        } else {
            None
        };
        let mut watcher = Watcher {
            fim,
            roots,
            inotify,
            dirs: HashMap::new(),
            fanotify,
            limits,
            own_pid: std::process::id(),
            watch_limit_reported: false,
            fanotify_marks: 0,
        };
        let mut pending = Vec::new();
        for root in watcher.roots.clone() {
            watcher.watch_root(&root, &mut pending);
        }
        Ok(watcher)
    }

    pub fn backends(&self) -> Backends {
        Backends {
            fanotify: self.fanotify_marks > 0,
            inotify: true,
        }
    }

    /// Watches a root: the directory tree itself, or for a single file its
    /// parent directory (so replacing the file by rename is seen).
    fn watch_root(&mut self, root: &[u8], events: &mut Vec<Event>) {
        let path = Path::new(OsStr::from_bytes(root));
        match std::fs::symlink_metadata(path) {
            Ok(meta) if meta.is_dir() => self.watch_tree(root, events, false),
            _ => {
                // A file, or not there yet: watch the parent for it.
                if let Some(parent) = path.parent() {
                    self.add_watch(parent.as_os_str().as_bytes(), events);
                }
            }
        }
    }

    fn add_watch(&mut self, dir: &[u8], events: &mut Vec<Event>) -> bool {
        if self.dirs.len() >= self.limits.max_watches {
            if !self.watch_limit_reported {
                self.watch_limit_reported = true;
                events.push(Event::new(
                    now_ms(),
                    EventKind::EngineError {
                        engine: clawguard_event::Engine::Fim,
                        message: format!(
                            "realtime: more than {} directories; the rest are covered by the scheduled check only",
                            self.limits.max_watches
                        ),
                    },
                ));
            }
            return false;
        }
        // fanotify reports the writes of this directory's children (with
        // who-data) when it can mark it; inotify reports them otherwise.
        let path = Path::new(OsStr::from_bytes(dir));
        let fan_marked = self.fanotify.as_ref().is_some_and(|fan| {
            fan.mark(
                MarkFlags::FAN_MARK_ADD
                    | MarkFlags::FAN_MARK_INODE
                    | MarkFlags::FAN_MARK_DONT_FOLLOW,
                MaskFlags::FAN_CLOSE_WRITE | MaskFlags::FAN_EVENT_ON_CHILD,
                nix::fcntl::AT_FDCWD,
                Some(path),
            )
            .is_ok()
        });
        if fan_marked {
            self.fanotify_marks += 1;
        }
        let mask = if fan_marked {
            DIR_MASK
        } else {
            DIR_MASK | WatchMask::CLOSE_WRITE
        };
        match self.inotify.watches().add(path, mask) {
            Ok(wd) => {
                self.dirs.insert(wd, dir.to_vec());
                true
            }
            Err(_) => false,
        }
    }

    /// Watches the directory `dir` and every covered directory below it,
    /// walked with `clawguard_sys::walk` (a directory swapped for a symlink
    /// is neither followed nor watched through). For a directory that
    /// appeared while running (`new`), what is already in it was created
    /// before its watch and gets no event of its own: it is reported as
    /// added here (at most [`MAX_REPORTED_IN_NEW_DIR`]).
    fn watch_tree(&mut self, dir: &[u8], events: &mut Vec<Event>, new: bool) {
        let Ok(fd) = walk::open_dir(Path::new(OsStr::from_bytes(dir)), Follow::No) else {
            return;
        };
        let bounds = walk::Limits {
            max_depth: self.limits.max_depth.saturating_add(1),
            max_dir_names: walk::Limits::default().max_dir_names,
            max_names: u64::MAX,
        };
        let mut tree = TreeWatch {
            watcher: self,
            events,
            report_existing: new,
            reported: 0,
        };
        let _ = walk::walk_dir(Arc::new(fd), dir, (), &bounds, &mut tree);
    }

    fn watched(&self, path: &[u8]) -> bool {
        self.roots.iter().any(|r| is_under(path, r)) && self.fim.policy.covers(path)
    }

    /// Reads events until `stop` is set, sending each to `tx`. Returns when
    /// stopped or when `tx` is closed.
    pub fn run(mut self, tx: &SyncSender<Event>, stop: &AtomicBool) -> Result<(), FimError> {
        let mut buffer = vec![0u8; 64 << 10];
        while !stop.load(Ordering::Relaxed) {
            let ready = {
                let mut fds = vec![nix::poll::PollFd::new(
                    self.inotify.as_fd(),
                    nix::poll::PollFlags::POLLIN,
                )];
                if let Some(fan) = &self.fanotify {
                    fds.push(nix::poll::PollFd::new(
                        fan.as_fd(),
                        nix::poll::PollFlags::POLLIN,
                    ));
                }
                match nix::poll::poll(&mut fds, nix::poll::PollTimeout::from(200u16)) {
                    Ok(0) | Err(nix::errno::Errno::EINTR) => continue,
                    Ok(_) => fds
                        .iter()
                        .map(|f| f.revents().is_some_and(|r| !r.is_empty()))
                        .collect::<Vec<bool>>(),
                    Err(e) => {
                        return Err(FimError::Io {
                            path: "poll".into(),
                            source: e.into(),
                        });
                    }
                }
            };
            let mut events = Vec::new();
            if ready.first() == Some(&true) {
                self.read_inotify(&mut buffer, &mut events)?;
            }
            if ready.get(1) == Some(&true) {
                self.read_fanotify(&mut events);
            }
            for event in events {
                if tx.send(event).is_err() {
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    fn read_inotify(&mut self, buffer: &mut [u8], out: &mut Vec<Event>) -> Result<(), FimError> {
        let now = now_ms();
        let mut overflow = false;
        let mut new_dirs = Vec::new();
        let raw: Vec<(WatchDescriptor, EventMask, Option<Vec<u8>>)> =
            match self.inotify.read_events(buffer) {
                Ok(events) => events
                    .map(|e| (e.wd, e.mask, e.name.map(|n| n.as_bytes().to_vec())))
                    .collect(),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return Ok(()),
                Err(e) => return Err(io(Path::new("inotify"))(e)),
            };
        for (wd, mask, name) in raw {
            if mask.contains(EventMask::Q_OVERFLOW) {
                overflow = true;
                continue;
            }
            if mask.contains(EventMask::IGNORED) {
                self.dirs.remove(&wd);
                continue;
            }
            let Some(dir) = self.dirs.get(&wd) else {
                continue;
            };
            let mut path = dir.clone();
            if let Some(name) = name {
                if path != b"/" {
                    path.push(b'/');
                }
                path.extend_from_slice(&name);
            }
            if !self.watched(&path) {
                continue;
            }
            let change = if mask.intersects(EventMask::CREATE | EventMask::MOVED_TO) {
                if mask.contains(EventMask::ISDIR) {
                    new_dirs.push(path.clone());
                }
                FileChange::Added
            } else if mask
                .intersects(EventMask::DELETE | EventMask::MOVED_FROM | EventMask::DELETE_SELF)
            {
                FileChange::Removed
            } else if mask.contains(EventMask::ATTRIB) {
                FileChange::Changed {
                    attributes: vec!["attributes".into()],
                }
            } else if mask.contains(EventMask::CLOSE_WRITE) {
                FileChange::Changed {
                    attributes: vec!["content".into()],
                }
            } else {
                continue;
            };
            out.push(file_event(now, &path, change, None));
        }
        for dir in new_dirs {
            self.watch_tree(&dir, out, true);
        }
        if overflow {
            self.rescan(out);
        }
        Ok(())
    }

    fn read_fanotify(&mut self, out: &mut Vec<Event>) {
        let now = now_ms();
        let Some(fan) = &self.fanotify else {
            return;
        };
        let events = match fan.read_events() {
            Ok(events) => events,
            Err(_) => return,
        };
        let mut overflow = false;
        for event in events {
            if event.mask().contains(MaskFlags::FAN_Q_OVERFLOW) {
                overflow = true;
                continue;
            }
            let pid = u32::try_from(event.pid()).unwrap_or(0);
            if pid == self.own_pid {
                continue;
            }
            let Some(fd) = event.fd() else {
                continue;
            };
            let Ok(path) = std::fs::read_link(format!("/proc/self/fd/{}", fd.as_raw_fd())) else {
                continue;
            };
            let path = path.as_os_str().as_bytes().to_vec();
            if !self.watched(&path) {
                continue;
            }
            out.push(file_event(
                now,
                &path,
                FileChange::Changed {
                    attributes: vec!["content".into()],
                },
                Some(actor(pid)),
            ));
        }
        if overflow {
            self.rescan(out);
        }
    }

    /// Events were lost: compare the watched trees with the baseline.
    fn rescan(&mut self, out: &mut Vec<Event>) {
        let now = now_ms();
        out.push(Event::new(
            now,
            EventKind::EngineError {
                engine: clawguard_event::Engine::Fim,
                message: "realtime event queue overflowed: rescanning the watched paths".into(),
            },
        ));
        match self.fim.check_subtrees(&self.roots, now) {
            Ok(report) => out.extend(report.events(now)),
            Err(err) => out.push(error_event(&self.fim, &err, now)),
        }
    }
}

/// Entries found in one new directory reported as added; beyond it the
/// scheduled check covers the rest (a large tree copied in at once).
pub const MAX_REPORTED_IN_NEW_DIR: usize = 4096;

/// [`Watcher::watch_tree`]'s walk: covered directories down to
/// `max_depth` get a watch; a directory that gets none is not entered.
struct TreeWatch<'a> {
    watcher: &'a mut Watcher,
    events: &'a mut Vec<Event>,
    /// Report what is found below the walk's root as added.
    report_existing: bool,
    reported: usize,
}

impl TreeWatch<'_> {
    fn report_added(&mut self, path: &[u8]) {
        if !self.report_existing || !self.watcher.watched(path) {
            return;
        }
        self.reported += 1;
        if self.reported <= MAX_REPORTED_IN_NEW_DIR {
            self.events
                .push(file_event(now_ms(), path, FileChange::Added, None));
        } else if self.reported == MAX_REPORTED_IN_NEW_DIR + 1 {
            self.events.push(Event::new(
                now_ms(),
                EventKind::EngineError {
                    engine: clawguard_event::Engine::Fim,
                    message: format!(
                        "realtime: more than {MAX_REPORTED_IN_NEW_DIR} entries in a new \
                         directory; the rest are covered by the scheduled check only"
                    ),
                },
            ));
        }
    }
}

impl Visitor for TreeWatch<'_> {
    type Ctx = ();
    type Break = ();

    fn child(&mut self, _: &(), path: &[u8]) -> Option<()> {
        self.watcher.fim.policy.covers(path).then_some(())
    }

    fn directory(
        &mut self,
        _: &(),
        _: &Arc<OwnedFd>,
        path: &[u8],
        depth: usize,
    ) -> Result<Descend, ()> {
        if depth > 0 {
            self.report_added(path);
        }
        if depth > self.watcher.limits.max_depth || !self.watcher.add_watch(path, self.events) {
            return Ok(Descend::Skip);
        }
        Ok(Descend::Enter)
    }

    fn entry(&mut self, _: &(), _: EntryAt, path: Vec<u8>, _: usize) -> Result<(), ()> {
        self.report_added(&path);
        Ok(())
    }

    fn bound(&mut self, _: &[u8], _: Bound) -> Result<(), ()> {
        Ok(())
    }

    fn trouble(&mut self, _: &(), _: &[u8], _: Trouble) -> Result<(), ()> {
        Ok(())
    }
}

fn file_event(now: i64, path: &[u8], change: FileChange, actor: Option<Actor>) -> Event {
    Event::new(
        now,
        EventKind::FileChanged {
            path: crate::entry::display_path(path),
            change,
            actor,
        },
    )
}

/// Who-data from `/proc/<pid>` (the process may already be gone).
pub fn actor(pid: u32) -> Actor {
    let exe = std::fs::read_link(format!("/proc/{pid}/exe"))
        .ok()
        .map(|p| p.display().to_string());
    let uid = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("Uid:"))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|uid| uid.parse().ok())
        });
    Actor { pid, uid, exe }
}

/// A fanotify group, or `None` without the privilege (CAP_SYS_ADMIN) or
/// kernel support. Marks are added per watched directory.
fn setup_fanotify() -> Option<Fanotify> {
    Fanotify::init(
        InitFlags::FAN_CLASS_NOTIF | InitFlags::FAN_CLOEXEC | InitFlags::FAN_NONBLOCK,
        EventFFlags::O_RDONLY | EventFFlags::O_LARGEFILE | EventFFlags::O_CLOEXEC,
    )
    .ok()
}

/// Runs `watcher` on its own thread; events go to `tx` until `stop` is set.
pub fn spawn(
    watcher: Watcher,
    tx: SyncSender<Event>,
    stop: std::sync::Arc<AtomicBool>,
) -> std::thread::JoinHandle<Result<(), FimError>> {
    std::thread::spawn(move || watcher.run(&tx, &stop))
}

/// One of the fim engine's threads.
pub type EngineThread = std::thread::JoinHandle<Result<(), FimError>>;

/// How long the daemon should wait between scheduled full checks.
pub fn check_interval(config: &clawguard_config::FimConfig) -> Duration {
    Duration::from_secs(
        u64::try_from(config.check_interval.0)
            .unwrap_or(12 * 3600)
            .max(60),
    )
}

/// The fim engine inside the daemon: a full check every
/// `fim.check_interval` (the first one `first_check_after` from now) and
/// realtime watching, each on its own thread, until `stop` is set. Every
/// event goes to `tx` (bounded: a full channel makes them wait). Returns
/// the thread handles and the kernel interfaces the watcher got.
pub fn start_engine(
    config: &clawguard_config::FimConfig,
    state_dir: &Path,
    first_check_after: Duration,
    tx: SyncSender<Event>,
    stop: std::sync::Arc<AtomicBool>,
) -> Result<(Vec<EngineThread>, Backends), FimError> {
    let fim = Fim::from_config(config, state_dir)?;
    let interval = check_interval(config);
    let mut handles = Vec::new();
    {
        let (fim, tx, stop) = (fim.clone(), tx.clone(), std::sync::Arc::clone(&stop));
        handles.push(std::thread::spawn(move || {
            let mut next = std::time::Instant::now() + first_check_after;
            while !stop.load(Ordering::Relaxed) {
                if std::time::Instant::now() >= next {
                    let (_, events) = crate::engine::scheduled_check(&fim, now_ms());
                    for event in events {
                        if tx.send(event).is_err() {
                            return Ok(());
                        }
                    }
                    next = std::time::Instant::now() + interval;
                }
                std::thread::sleep(Duration::from_millis(250));
            }
            Ok(())
        }));
    }
    let watcher = Watcher::new(fim, RealtimeLimits::default())?;
    let backends = watcher.backends();
    handles.push(spawn(watcher, tx, stop));
    Ok((handles, backends))
}
