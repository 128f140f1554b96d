//! File sources: a path or glob (or the OpenClaw dated-file set) followed with inotify.
//!
//! Watches: every directory that can make a matching file appear (the nearest existing ancestor
//! of a missing directory, directories matched by glob components, the directories holding the
//! files) for create/move/delete, and each followed file for modify. Any directory event triggers
//! a full reconcile (re-evaluate watches and matches); a file event only re-reads that file.
//!
//! Rotation by rename+create: the old file is kept open and read to its end; the switch to the
//! new file (from offset 0) happens once the new file has data or the old one is deleted, so
//! lines written to the old file between the rename and the writer reopening are not lost.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ffi::OsString;
use std::fs::{File, Metadata};
use std::path::{Component as PathComponent, Path, PathBuf};
use std::time::Duration;

use inotify::{EventMask, Inotify, WatchDescriptor, WatchMask};
use tokio::io::unix::AsyncFd;

use crate::openclaw::parse_openclaw_file_name;
use crate::tail::{OpenFile, SavedMatch, StartOffset, find_rotated, match_saved};
use crate::trusted::{TrustedOpenError, TrustedOwners, open_trusted};
use crate::{
    MAX_FILES_PER_SOURCE, MAX_WATCHED_DIRS_PER_SOURCE, Position, SAFETY_RECHECK_MS, Sink,
    SourceError, SpecError, StartAt, Stopped, wait_for_shutdown,
};

/// Read buffer size per file read.
const READ_CHUNK_BYTES: usize = 64 * 1024;

/// Most entries read from one directory while matching a glob component.
const MAX_DIR_ENTRIES_SCANNED: usize = 65_536;

/// Rounds of "add watches, look again" per reconcile (directories created in a burst).
const MAX_WATCH_ROUNDS: usize = 8;

/// Refused paths remembered so each is logged once (forgotten all at once beyond this).
const MAX_REFUSALS_LOGGED: usize = 1024;

/// One component of an absolute path pattern.
#[derive(Debug, Clone)]
pub(crate) enum Component {
    /// Taken as is.
    Literal(OsString),
    /// Matched against directory entries.
    Glob(glob::Pattern),
}

/// An absolute path pattern split into components (after the root).
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    pub components: Vec<Component>,
}

impl Pattern {
    /// Parses an absolute path; components containing `*`, `?` or `[` are globs.
    pub fn parse(path: &Path) -> Result<Self, SpecError> {
        if !path.is_absolute() {
            return Err(SpecError::RelativePath {
                path: path.to_path_buf(),
            });
        }
        let mut components = Vec::new();
        for component in path.components() {
            let name = match component {
                PathComponent::RootDir | PathComponent::Prefix(_) | PathComponent::CurDir => {
                    continue;
                }
                PathComponent::ParentDir => OsString::from(".."),
                PathComponent::Normal(name) => name.to_owned(),
            };
            let bytes = name.as_encoded_bytes();
            if bytes.iter().any(|b| matches!(b, b'*' | b'?' | b'[')) {
                let text = name.to_str().ok_or_else(|| SpecError::NonUtf8Glob {
                    pattern: path.to_path_buf(),
                })?;
                let glob = glob::Pattern::new(text).map_err(|source| SpecError::BadGlob {
                    pattern: path.to_string_lossy().into_owned(),
                    source,
                })?;
                components.push(Component::Glob(glob));
            } else {
                components.push(Component::Literal(name));
            }
        }
        if components.is_empty() {
            return Err(SpecError::RelativePath {
                path: path.to_path_buf(),
            });
        }
        Ok(Self { components })
    }
}

/// Which matching files are followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Selection {
    /// Every matching file.
    All,
    /// OpenClaw: per directory and profile, only the newest dated file.
    NewestPerProfile,
}

const DIR_MASK: WatchMask = WatchMask::CREATE
    .union(WatchMask::MOVED_TO)
    .union(WatchMask::MOVED_FROM)
    .union(WatchMask::DELETE)
    .union(WatchMask::DELETE_SELF)
    .union(WatchMask::MOVE_SELF);

const FILE_MASK: WatchMask = WatchMask::MODIFY.union(WatchMask::ATTRIB);

fn match_options() -> glob::MatchOptions {
    glob::MatchOptions {
        case_sensitive: true,
        require_literal_separator: true,
        require_literal_leading_dot: true,
    }
}

/// One followed path.
#[derive(Debug, Default)]
struct Tail {
    /// The file being read (after a rename, still the old file until the switch).
    current: Option<OpenFile>,
    /// Watch on `current`.
    current_wd: Option<WatchDescriptor>,
    /// Watch on a not-yet-switched-to replacement at the path.
    replacement_wd: Option<WatchDescriptor>,
}

struct FileSource {
    patterns: Vec<Pattern>,
    selection: Selection,
    inotify: AsyncFd<Inotify>,
    dir_watches: HashMap<PathBuf, WatchDescriptor>,
    file_watches: HashMap<WatchDescriptor, PathBuf>,
    tails: BTreeMap<PathBuf, Tail>,
    saved: HashMap<PathBuf, Position>,
    start_at: StartAt,
    /// First scan: files without saved position start at `start_at`; later ones at 0.
    initial_scan: bool,
    buf: Vec<u8>,
    warned_too_many: bool,
    /// OpenClaw logs under /tmp: only files of these owners are read (see `trusted`).
    trust: Option<TrustedOwners>,
    /// The owners were named in the config (not re-detected).
    trust_configured: bool,
    /// Paths already logged as refused.
    refused: BTreeSet<PathBuf>,
}

/// Runs a file source until shutdown.
pub(crate) async fn run(
    patterns: Vec<Pattern>,
    selection: Selection,
    configured_owners: Option<Vec<u32>>,
    resume: Vec<Position>,
    start_at: StartAt,
    mut sink: Sink,
) -> Result<(), SourceError> {
    let inotify_error = |source| SourceError::Inotify {
        id: sink.id.clone(),
        source,
    };
    let inotify = Inotify::init().map_err(inotify_error)?;
    // `AsyncFd::new` is deprecated because the wrapped value could close its fd behind tokio's
    // back; `Inotify` owns its fd and only closes it on drop, after deregistration.
    #[allow(deprecated)]
    let inotify = AsyncFd::new(inotify).map_err(inotify_error)?;
    let has_saved = !resume.is_empty();
    let saved = resume
        .into_iter()
        .filter_map(|p| p.path().map(Path::to_path_buf).map(|path| (path, p)))
        .collect();
    let mut source = FileSource {
        patterns,
        selection,
        inotify,
        dir_watches: HashMap::new(),
        file_watches: HashMap::new(),
        tails: BTreeMap::new(),
        saved,
        // With saved state, a file without a saved position appeared while we were stopped.
        start_at: if has_saved {
            StartAt::Beginning
        } else {
            start_at
        },
        initial_scan: true,
        buf: vec![0u8; READ_CHUNK_BYTES],
        warned_too_many: false,
        trust: None,
        trust_configured: configured_owners.is_some(),
        refused: BTreeSet::new(),
    };
    if selection == Selection::NewestPerProfile {
        let (owners, origin) = match configured_owners {
            Some(uids) => (TrustedOwners::new(uids), "configured log_owners"),
            None => (TrustedOwners::discover(), "auto-detected gateway users"),
        };
        tracing::info!(source = %sink.id, trusted = %owners, from = origin,
            "Reading gateway logs only from files and directories of these owners, writable by no one else.");
        source.trust = Some(owners);
    }
    match source.event_loop(&mut sink).await {
        Ok(()) | Err(Stopped) => Ok(()),
    }
}

impl FileSource {
    async fn event_loop(&mut self, sink: &mut Sink) -> Result<(), Stopped> {
        // Remainders of files no longer followed come first, in time order before newer files.
        let candidates = self.candidates(sink);
        self.drain_saved_leftovers(&candidates, sink).await?;
        self.reconcile_all(sink, false).await?;
        self.initial_scan = false;
        let mut event_buf = vec![0u8; 16 * 1024];
        let recheck_every = Duration::from_millis(SAFETY_RECHECK_MS);
        let mut next_recheck = tokio::time::Instant::now() + recheck_every;
        loop {
            let wake = tokio::select! {
                biased;
                _ = wait_for_shutdown(&mut sink.shutdown) => return Err(Stopped),
                ready = self.inotify.readable_mut() => {
                    let mut events = Vec::new();
                    match ready {
                        Ok(mut guard) => {
                            for _ in 0..64 {
                                let read = guard.try_io(|fd| {
                                    let evs = fd.get_mut().read_events(&mut event_buf)?;
                                    Ok(evs.map(|e| (e.wd, e.mask)).collect::<Vec<_>>())
                                });
                                match read {
                                    Ok(Ok(batch)) => events.extend(batch),
                                    Ok(Err(error)) => {
                                        tracing::warn!(source = %sink.id, %error, "Reading inotify events failed.");
                                        break;
                                    }
                                    Err(_would_block) => break,
                                }
                            }
                        }
                        Err(error) => {
                            tracing::warn!(source = %sink.id, %error, "Waiting for inotify failed.");
                            tokio::time::sleep(Duration::from_millis(100)).await;
                        }
                    }
                    Wake::Events(events)
                }
                _ = tokio::time::sleep_until(next_recheck) => Wake::Recheck,
            };
            match wake {
                Wake::Recheck => {
                    next_recheck = tokio::time::Instant::now() + recheck_every;
                    self.reconcile_all(sink, true).await?;
                }
                Wake::Events(events) => {
                    let mut full = false;
                    let mut paths = BTreeSet::new();
                    for (wd, mask) in events {
                        if mask.contains(EventMask::Q_OVERFLOW) {
                            full = true;
                        }
                        if let Some(path) = self.file_watches.get(&wd) {
                            paths.insert(path.clone());
                            if mask.contains(EventMask::IGNORED) {
                                self.file_watches.remove(&wd);
                            }
                        } else if !mask.is_empty() {
                            full = true;
                            if mask.contains(EventMask::IGNORED) {
                                self.dir_watches.retain(|_, w| *w != wd);
                            }
                        }
                    }
                    if full {
                        self.reconcile_all(sink, false).await?;
                    } else {
                        for path in paths {
                            self.check_tail(&path, true, false, sink).await?;
                        }
                    }
                }
            }
        }
    }

    /// Re-evaluates watches and matches and re-reads every followed file.
    async fn reconcile_all(&mut self, sink: &mut Sink, deep: bool) -> Result<(), Stopped> {
        if deep && self.trust.is_some() && !self.trust_configured {
            // Detected gateway users come and go with their state directories.
            self.trust = Some(TrustedOwners::discover());
        }
        self.update_dir_watches(sink);
        let candidates = self.candidates(sink);
        self.take_over_renamed(&candidates);
        let followed: Vec<PathBuf> = self.tails.keys().cloned().collect();
        for path in followed {
            let selected = candidates.contains(&path);
            self.check_tail(&path, selected, deep, sink).await?;
        }
        for path in candidates {
            if !self.tails.contains_key(&path) {
                self.start_tail(path, sink).await?;
            }
        }
        Ok(())
    }

    /// A followed file renamed to another matching name keeps being read through its open fd
    /// under the new name (instead of being read again from 0); the old name then waits for a
    /// replacement like after a rotation.
    fn take_over_renamed(&mut self, candidates: &BTreeSet<PathBuf>) {
        for path in candidates {
            if self.tails.contains_key(path) {
                continue;
            }
            let Ok(meta) = std::fs::metadata(path) else {
                continue;
            };
            let Some(old) = self.tails.iter().find_map(|(old, tail)| {
                let same = tail.current.as_ref().is_some_and(|f| f.is_same(&meta));
                same.then(|| old.clone())
            }) else {
                continue;
            };
            let Some(old_tail) = self.tails.get_mut(&old) else {
                continue;
            };
            let mut tail = Tail {
                current: old_tail.current.take(),
                current_wd: old_tail.current_wd.take(),
                replacement_wd: None,
            };
            if let Some(file) = tail.current.as_mut() {
                file.path = path.clone();
            }
            if let Some(wd) = &tail.current_wd {
                self.file_watches.insert(wd.clone(), path.clone());
            }
            self.tails.insert(path.clone(), tail);
        }
    }

    fn update_dir_watches(&mut self, sink: &Sink) {
        let mut previous: Option<BTreeSet<PathBuf>> = None;
        for _ in 0..MAX_WATCH_ROUNDS {
            let mut wanted = BTreeSet::new();
            for pattern in &self.patterns {
                watch_dirs(pattern, &mut wanted);
            }
            if previous.as_ref() == Some(&wanted) {
                break;
            }
            for dir in &wanted {
                match self.inotify.get_mut().watches().add(dir, DIR_MASK) {
                    Ok(wd) => {
                        self.dir_watches.insert(dir.clone(), wd);
                    }
                    Err(error) => {
                        tracing::warn!(source = %sink.id, dir = %dir.display(), %error,
                            "Cannot watch directory; relying on the periodic re-check.");
                    }
                }
            }
            let stale: Vec<PathBuf> = self
                .dir_watches
                .keys()
                .filter(|d| !wanted.contains(*d))
                .cloned()
                .collect();
            for dir in stale {
                if let Some(wd) = self.dir_watches.remove(&dir)
                    && !self.dir_watches.values().any(|w| *w == wd)
                {
                    let _ = self.inotify.get_mut().watches().remove(wd);
                }
            }
            previous = Some(wanted);
        }
    }

    /// Existing regular files matching the patterns, after selection.
    fn candidates(&mut self, sink: &Sink) -> BTreeSet<PathBuf> {
        let mut found = BTreeSet::new();
        for pattern in &self.patterns {
            matching_files(pattern, &mut found);
        }
        if self.selection == Selection::NewestPerProfile {
            // OpenClaw logs live in /tmp: never follow a symlink planted there,
            // and never let another user's file take the place of the newest.
            found.retain(|path| std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file()));
            let paths = std::mem::take(&mut found);
            for path in paths {
                if self.open_file(&path, sink).is_ok() {
                    found.insert(path);
                }
            }
            let mut newest: BTreeMap<(PathBuf, String), (String, PathBuf)> = BTreeMap::new();
            for path in found {
                let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
                    continue;
                };
                let Some((profile, date)) = name.to_str().and_then(parse_openclaw_file_name) else {
                    continue;
                };
                let key = (dir.to_path_buf(), profile.to_owned());
                let newer = newest
                    .get(&key)
                    .is_none_or(|(best, _)| date > best.as_str());
                if newer {
                    newest.insert(key, (date.to_owned(), path.clone()));
                }
            }
            found = newest.into_values().map(|(_, path)| path).collect();
        }
        if found.len() > MAX_FILES_PER_SOURCE {
            if !self.warned_too_many {
                tracing::warn!(source = %sink.id, matched = found.len(), limit = MAX_FILES_PER_SOURCE,
                    "Too many matching files; following only the first ones.");
                self.warned_too_many = true;
            }
            found = found.into_iter().take(MAX_FILES_PER_SOURCE).collect();
        }
        found
    }

    /// Reads new data of a followed path and handles rotation, deletion and deselection.
    async fn check_tail(
        &mut self,
        path: &Path,
        selected: bool,
        deep: bool,
        sink: &mut Sink,
    ) -> Result<(), Stopped> {
        let Some(mut tail) = self.tails.remove(path) else {
            return Ok(());
        };
        if let Some(file) = tail.current.as_mut() {
            if let Err(error) = file.verify_head(deep) {
                tracing::debug!(path = %path.display(), %error, "Head check failed.");
            }
            drain(file, &mut self.buf, sink).await?;
        }
        let meta = std::fs::metadata(path).ok().filter(|m| m.is_file());
        let keep = match (meta, tail.current.as_ref()) {
            (None, None) => false,
            (None, Some(file)) => {
                // Renamed away (keep reading until a replacement shows up) or deleted.
                match file.nlink() {
                    Ok(0) | Err(_) => {
                        self.close_current(&mut tail, sink).await?;
                        false
                    }
                    Ok(_) => true,
                }
            }
            (Some(meta), Some(file)) if file.is_same(&meta) => {
                if !selected && self.selection == Selection::NewestPerProfile {
                    // A newer dated file took over.
                    self.close_current(&mut tail, sink).await?;
                    false
                } else {
                    true
                }
            }
            (Some(meta), current) => {
                let old_gone = current.is_none_or(|f| f.nlink().map(|n| n == 0).unwrap_or(true));
                if meta.len() > 0 || old_gone {
                    self.close_current(&mut tail, sink).await?;
                    if let Some(wd) = tail.replacement_wd.take() {
                        self.file_watches.remove(&wd);
                    }
                    if selected || self.selection == Selection::All {
                        tracing::info!(source = %sink.id, path = %path.display(), "Following new file.");
                        self.open_into(&mut tail, path, StartOffset::At(0), sink);
                        if let Some(file) = tail.current.as_mut() {
                            drain(file, &mut self.buf, sink).await?;
                        }
                    }
                    tail.current.is_some()
                } else {
                    // Empty replacement: the writer may still append to the old file.
                    if tail.replacement_wd.is_none()
                        && let Ok(wd) = self.inotify.get_mut().watches().add(path, FILE_MASK)
                    {
                        self.file_watches.insert(wd.clone(), path.to_path_buf());
                        tail.replacement_wd = Some(wd);
                    }
                    true
                }
            }
        };
        if keep {
            self.tails.insert(path.to_path_buf(), tail);
        } else if let Some(wd) = tail.replacement_wd.take() {
            self.forget_watch(wd);
        }
        Ok(())
    }

    /// Starts following a newly matched path (resuming a saved position when there is one).
    async fn start_tail(&mut self, path: PathBuf, sink: &mut Sink) -> Result<(), Stopped> {
        let mut tail = Tail::default();
        let start = match self.saved.remove(&path) {
            Some(saved) => self.resume_offset(&path, &saved, sink).await?,
            None if self.initial_scan => match self.start_at {
                StartAt::End => StartOffset::End,
                StartAt::Beginning | StartAt::SinceMs(_) => StartOffset::At(0),
            },
            None => StartOffset::At(0),
        };
        self.open_into(&mut tail, &path, start, sink);
        if let Some(file) = tail.current.as_mut() {
            drain(file, &mut self.buf, sink).await?;
            self.tails.insert(path, tail);
        }
        Ok(())
    }

    /// Decides where to start a path with a saved position; reads the rest of a file rotated
    /// away while we were stopped first.
    async fn resume_offset(
        &mut self,
        path: &Path,
        saved: &Position,
        sink: &mut Sink,
    ) -> Result<StartOffset, Stopped> {
        let verdict = match self.open_file(path, sink) {
            Ok((file, meta)) => match_saved(&file, &meta, saved),
            Err(_) => SavedMatch::Other,
        };
        match verdict {
            SavedMatch::Same(offset) => Ok(StartOffset::At(offset)),
            SavedMatch::Rewritten => Ok(StartOffset::At(0)),
            SavedMatch::Other => {
                let trust = self.trust.clone();
                if let Some(mut rotated) = find_rotated(saved, |p| open_log(p, trust.as_ref())) {
                    drain(&mut rotated, &mut self.buf, sink).await?;
                    if let Some(line) = rotated.flush_partial() {
                        sink.send(rotated.log_line(&sink.id, line)).await?;
                    }
                }
                Ok(StartOffset::At(0))
            }
        }
    }

    /// Saved positions of paths not followed now (rotated away, or an older OpenClaw file):
    /// read what was left in them, once.
    async fn drain_saved_leftovers(
        &mut self,
        candidates: &BTreeSet<PathBuf>,
        sink: &mut Sink,
    ) -> Result<(), Stopped> {
        let leftover_paths: Vec<PathBuf> = self
            .saved
            .keys()
            .filter(|path| !candidates.contains(*path))
            .cloned()
            .collect();
        let mut leftovers: Vec<Position> = leftover_paths
            .iter()
            .filter_map(|path| self.saved.remove(path))
            .collect();
        // Oldest first (OpenClaw names sort by date).
        leftovers.sort_by(|a, b| a.path().cmp(&b.path()));
        for saved in leftovers {
            let Some(path) = saved.path() else { continue };
            let opened =
                self.open_file(path, sink).ok().and_then(|(file, meta)| {
                    match match_saved(&file, &meta, &saved) {
                        SavedMatch::Same(offset) => OpenFile::from_file(
                            path.to_path_buf(),
                            file,
                            &meta,
                            StartOffset::At(offset),
                        )
                        .ok(),
                        SavedMatch::Rewritten | SavedMatch::Other => None,
                    }
                });
            let mut file = match opened {
                Some(file) => file,
                None => match find_rotated(&saved, |p| open_log(p, self.trust.as_ref())) {
                    Some(file) => file,
                    None => continue,
                },
            };
            drain(&mut file, &mut self.buf, sink).await?;
            if let Some(line) = file.flush_partial() {
                sink.send(file.log_line(&sink.id, line)).await?;
            }
        }
        Ok(())
    }

    fn open_into(&mut self, tail: &mut Tail, path: &Path, start: StartOffset, sink: &Sink) {
        // Watch before the first read so no write between the two is missed.
        let wd = match self.inotify.get_mut().watches().add(path, FILE_MASK) {
            Ok(wd) => Some(wd),
            Err(error) => {
                tracing::debug!(path = %path.display(), %error, "Cannot watch file.");
                None
            }
        };
        let opened = self
            .open_file(path, sink)
            .and_then(|(file, meta)| OpenFile::from_file(path.to_path_buf(), file, &meta, start));
        match opened {
            Ok(file) => {
                if let Some(wd) = &wd {
                    self.file_watches.insert(wd.clone(), path.to_path_buf());
                }
                tail.current = Some(file);
                tail.current_wd = wd;
            }
            Err(error) => {
                tracing::warn!(path = %path.display(), %error, "Cannot open log file.");
                if let Some(wd) = wd {
                    self.forget_watch(wd);
                }
            }
        }
    }

    /// Opens a log file; for OpenClaw logs only a trusted one (a refusal is logged once).
    fn open_file(&mut self, path: &Path, sink: &Sink) -> std::io::Result<(File, Metadata)> {
        let Some(owners) = &self.trust else {
            return open_log(path, None);
        };
        match open_trusted(path, owners) {
            Ok(opened) => Ok(opened),
            Err(TrustedOpenError::Refused(refusal)) => {
                if self.refused.len() >= MAX_REFUSALS_LOGGED {
                    self.refused.clear();
                }
                if self.refused.insert(path.to_path_buf()) {
                    tracing::warn!(source = %sink.id, file = %path.display(), %refusal,
                        "Not reading this gateway log: only files of root or a gateway user, \
                         writable by no one else, may get addresses banned.");
                }
                Err(std::io::Error::new(
                    std::io::ErrorKind::PermissionDenied,
                    refusal.to_string(),
                ))
            }
            Err(TrustedOpenError::Io(error)) => Err(error),
        }
    }

    /// Leaves the current file for good: delivers its held partial line and drops its watch.
    async fn close_current(&mut self, tail: &mut Tail, sink: &mut Sink) -> Result<(), Stopped> {
        if let Some(mut file) = tail.current.take() {
            drain(&mut file, &mut self.buf, sink).await?;
            if let Some(line) = file.flush_partial() {
                sink.send(file.log_line(&sink.id, line)).await?;
            }
        }
        if let Some(wd) = tail.current_wd.take() {
            self.forget_watch(wd);
        }
        Ok(())
    }

    fn forget_watch(&mut self, wd: WatchDescriptor) {
        self.file_watches.remove(&wd);
        let _ = self.inotify.get_mut().watches().remove(wd);
    }
}

/// Opens `path`: through the ownership checks when `trust` is given.
fn open_log(path: &Path, trust: Option<&TrustedOwners>) -> std::io::Result<(File, Metadata)> {
    match trust {
        None => {
            let file = File::open(path)?;
            let meta = file.metadata()?;
            Ok((file, meta))
        }
        Some(owners) => open_trusted(path, owners).map_err(|e| match e {
            TrustedOpenError::Io(error) => error,
            refused @ TrustedOpenError::Refused(_) => {
                std::io::Error::new(std::io::ErrorKind::PermissionDenied, refused.to_string())
            }
        }),
    }
}

enum Wake {
    Events(Vec<(WatchDescriptor, EventMask)>),
    Recheck,
}

/// Reads `file` to its current end, delivering every complete line.
async fn drain(file: &mut OpenFile, buf: &mut [u8], sink: &mut Sink) -> Result<(), Stopped> {
    loop {
        match file.read_chunk(buf) {
            Ok(Some(lines)) => {
                for line in lines {
                    sink.send(file.log_line(&sink.id, line)).await?;
                }
            }
            Ok(None) => return Ok(()),
            Err(error) => {
                tracing::warn!(path = %file.path.display(), %error, "Reading log file failed.");
                return Ok(());
            }
        }
    }
}

/// Adds to `out` the directories to watch for `pattern`.
fn watch_dirs(pattern: &Pattern, out: &mut BTreeSet<PathBuf>) {
    let Some((_, dir_components)) = pattern.components.split_last() else {
        return;
    };
    let mut level = vec![PathBuf::from("/")];
    for component in dir_components {
        let mut next = Vec::new();
        for dir in &level {
            match component {
                Component::Literal(name) => {
                    let child = dir.join(name);
                    if child.is_dir() {
                        next.push(child);
                    } else {
                        // Nearest existing ancestor: notices the missing directory appearing.
                        out.insert(dir.clone());
                    }
                }
                Component::Glob(glob) => {
                    out.insert(dir.clone());
                    for child in matching_entries(dir, glob) {
                        if child.is_dir() {
                            next.push(child);
                        }
                    }
                }
            }
            if out.len() + next.len() >= MAX_WATCHED_DIRS_PER_SOURCE {
                break;
            }
        }
        level = next;
    }
    for dir in level {
        if out.len() >= MAX_WATCHED_DIRS_PER_SOURCE {
            break;
        }
        out.insert(dir);
    }
}

/// Adds to `out` the existing regular files matching `pattern`.
fn matching_files(pattern: &Pattern, out: &mut BTreeSet<PathBuf>) {
    let mut level = vec![PathBuf::from("/")];
    for component in &pattern.components {
        let mut next = Vec::new();
        for dir in &level {
            match component {
                Component::Literal(name) => next.push(dir.join(name)),
                Component::Glob(glob) => next.extend(matching_entries(dir, glob)),
            }
            if next.len() > MAX_WATCHED_DIRS_PER_SOURCE + MAX_FILES_PER_SOURCE {
                break;
            }
        }
        level = next;
    }
    for path in level {
        if std::fs::metadata(&path).is_ok_and(|m| m.is_file()) {
            out.insert(path);
        }
    }
}

fn matching_entries(dir: &Path, glob: &glob::Pattern) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let options = match_options();
    entries
        .take(MAX_DIR_ENTRIES_SCANNED)
        .flatten()
        .filter(|entry| {
            entry
                .file_name()
                .to_str()
                .is_some_and(|name| glob.matches_with(name, options))
        })
        .map(|entry| entry.path())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watched_directories_are_bounded() {
        let dir = tempfile::tempdir().expect("tempdir");
        for i in 0..MAX_WATCHED_DIRS_PER_SOURCE + 20 {
            std::fs::create_dir(dir.path().join(format!("d{i}"))).expect("mkdir");
        }
        let pattern = Pattern::parse(&dir.path().join("*/x.log")).expect("pattern");
        let mut dirs = BTreeSet::new();
        watch_dirs(&pattern, &mut dirs);
        assert!(dirs.len() <= MAX_WATCHED_DIRS_PER_SOURCE, "{}", dirs.len());
        assert!(dirs.contains(dir.path()));
    }

    #[test]
    fn missing_directory_watches_nearest_ancestor() {
        let dir = tempfile::tempdir().expect("tempdir");
        let pattern = Pattern::parse(&dir.path().join("a/b/f.log")).expect("pattern");
        let mut dirs = BTreeSet::new();
        watch_dirs(&pattern, &mut dirs);
        assert_eq!(
            dirs.into_iter().collect::<Vec<_>>(),
            [dir.path().to_path_buf()]
        );
    }
}
