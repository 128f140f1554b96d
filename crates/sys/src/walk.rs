//! The one directory walk for trees a user (or an attacker) can shape: fim's
//! watched trees, skill directories, ClawHub's file set.
//!
//! - Every directory below the start is opened relative to its parent's
//!   descriptor with `O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC`: a symlink (or a
//!   directory swapped for one mid-walk) is never followed, and no path is
//!   resolved again from `/`.
//! - A name is a directory only if that open succeeds; what the visitor is
//!   told about a directory comes from the open descriptor, so there is no
//!   gap between a stat and an open.
//! - Every other name reaches the visitor as an [`EntryAt`] (its parent's
//!   descriptor and its name), whose only ways in are `lstat`, `readlink`
//!   and opens with `O_NOFOLLOW | O_NONBLOCK | O_NOCTTY` (a symlink is never
//!   followed, a FIFO never blocks).
//! - Bounded: depth, names kept per directory, names read over the whole
//!   walk. Each bound that is hit is told to the visitor, which decides
//!   whether it ends the walk.
//!
//! Each directory's names are read (bounded), sorted bytewise, then walked
//! depth first; a directory is reported before its contents.

use std::ffi::{CStr, CString};
use std::fs::File;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::sync::Arc;

use rustix::fs::{AtFlags, Mode, OFlags};
pub use rustix::fs::{FileType, Stat};
pub use rustix::io::Errno;

use crate::regular_file::Follow;

/// Bounds of one walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// A directory at this depth or deeper (the start is depth 0) is
    /// reported, but its names are not read ([`Bound::Depth`]).
    pub max_depth: usize,
    /// Names kept from one directory (see [`Visitor::keep_name`]); the rest
    /// are not walked ([`Bound::DirNames`]).
    pub max_dir_names: usize,
    /// Names read over the whole walk, kept or not (`.` and `..` aside);
    /// past it the walk ends ([`Bound::Names`]).
    pub max_names: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 256,
            max_dir_names: 1 << 20,
            max_names: u64::MAX,
        }
    }
}

/// A bound the walk hit, with the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// The directory is at `max_depth`: not entered.
    Depth(usize),
    /// The directory has more names than `max_dir_names`: only those read
    /// first are walked.
    DirNames(usize),
    /// More names than `max_names` over the walk: the walk ends.
    Names(u64),
}

/// What the walk could not do (never a reason to stop by itself: the
/// visitor decides).
#[derive(Debug)]
pub enum Trouble {
    /// A name listed as a directory could not be opened as one.
    OpenDir(EntryAt, Errno),
    /// A name listed as a directory is gone.
    Vanished,
    /// Reading a directory's names failed; the names read before are walked.
    ReadDir(Errno),
}

/// Whether a directory's names are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Descend {
    Enter,
    Skip,
}

/// Decides what the walk does with what it finds. `Ctx` travels from a
/// directory to its children (fim's watch index); `Break` ends the walk.
pub trait Visitor {
    type Ctx: Clone;
    type Break;

    /// Whether a name read from a directory is kept (counted against
    /// [`Limits::max_dir_names`] and walked). Every name counts against
    /// [`Limits::max_names`].
    fn keep_name(&mut self, _name: &CStr) -> bool {
        true
    }

    /// The context of the child at `path`, or `None` to leave it unopened.
    fn child(&mut self, parent: &Self::Ctx, _path: &[u8]) -> Option<Self::Ctx> {
        Some(parent.clone())
    }

    /// A directory, opened without following a link; whether to read it.
    fn directory(
        &mut self,
        ctx: &Self::Ctx,
        dir: &Arc<OwnedFd>,
        path: &[u8],
        depth: usize,
    ) -> Result<Descend, Self::Break>;

    /// Anything that is not a directory: a file, a symlink, a special file
    /// (or one that turned into a directory after it was listed).
    fn entry(
        &mut self,
        ctx: &Self::Ctx,
        entry: EntryAt,
        path: Vec<u8>,
        depth: usize,
    ) -> Result<(), Self::Break>;

    /// A bound was hit at `path`.
    fn bound(&mut self, path: &[u8], bound: Bound) -> Result<(), Self::Break>;

    /// Something at `path` could not be walked.
    fn trouble(
        &mut self,
        ctx: &Self::Ctx,
        path: &[u8],
        trouble: Trouble,
    ) -> Result<(), Self::Break>;
}

/// A name in an open directory that the walk did not open as a directory.
/// Owned (the parent descriptor is shared) so it can go to another thread.
#[derive(Debug, Clone)]
pub struct EntryAt {
    parent: Arc<OwnedFd>,
    name: CString,
    listed: FileType,
}

/// An [`EntryAt`] opened by [`EntryAt::open_regular`].
#[derive(Debug)]
pub enum Opened {
    /// A regular file, open for reading, with `fstat` of that descriptor.
    Regular(File, Stat),
    /// A symbolic link: not followed.
    Symlink,
    /// Anything else, by its `fstat` (a directory, a FIFO, ...), or
    /// `Unknown` for a special file that refused to open (a socket). Never read.
    Other(FileType),
}

impl EntryAt {
    /// `name` in the directory `parent`, of unknown kind.
    pub fn new(parent: Arc<OwnedFd>, name: CString) -> EntryAt {
        EntryAt {
            parent,
            name,
            listed: FileType::Unknown,
        }
    }

    pub fn name(&self) -> &CStr {
        &self.name
    }

    pub fn parent(&self) -> BorrowedFd<'_> {
        self.parent.as_fd()
    }

    /// The kind the directory listing gave (`d_type`): a hint, possibly
    /// stale, possibly `Unknown`. Opens never trust it.
    pub fn listed(&self) -> FileType {
        self.listed
    }

    /// `lstat` of the entry (a symlink is described, not followed).
    pub fn lstat(&self) -> Result<Stat, Errno> {
        rustix::fs::statat(&self.parent, &self.name, AtFlags::SYMLINK_NOFOLLOW)
    }

    /// The target of a symlink.
    pub fn read_link(&self) -> Result<Vec<u8>, Errno> {
        rustix::fs::readlinkat(&self.parent, &self.name, Vec::new()).map(CString::into_bytes)
    }

    /// Opens the entry read-only without following a symlink (`ELOOP`) or
    /// blocking on a FIFO, with `O_NOATIME` if asked and allowed. Whatever
    /// it turns out to be, decide by `fstat` of the returned descriptor.
    pub fn open(&self, noatime: bool) -> Result<OwnedFd, Errno> {
        let flags =
            OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC | OFlags::NONBLOCK | OFlags::NOCTTY;
        if noatime {
            match rustix::fs::openat(
                &self.parent,
                &self.name,
                flags | OFlags::NOATIME,
                Mode::empty(),
            ) {
                // O_NOATIME needs ownership or CAP_FOWNER.
                Err(Errno::PERM) => {}
                other => return other,
            }
        }
        rustix::fs::openat(&self.parent, &self.name, flags, Mode::empty())
    }

    /// Opens the entry for reading if `fstat` of the opened descriptor says
    /// it is a regular file. `Err` only for failures other than the entry's
    /// kind (`ENOENT`, `EACCES`, ...).
    pub fn open_regular(&self) -> Result<Opened, Errno> {
        let fd = match self.open(false) {
            Ok(fd) => fd,
            Err(Errno::LOOP) => return Ok(Opened::Symlink),
            // A socket (or a device without a driver) cannot be opened.
            Err(Errno::NXIO) | Err(Errno::NODEV) => return Ok(Opened::Other(FileType::Unknown)),
            Err(e) => return Err(e),
        };
        let stat = rustix::fs::fstat(&fd)?;
        match FileType::from_raw_mode(stat.st_mode) {
            FileType::RegularFile => Ok(Opened::Regular(File::from(fd), stat)),
            other => Ok(Opened::Other(other)),
        }
    }
}

/// Opens a directory by path, for the start of a walk. `Follow::Yes` lets
/// a configured path contain symlinks (the user named it); below it nothing
/// is followed.
pub fn open_dir(path: &Path, follow: Follow) -> Result<OwnedFd, Errno> {
    let mut flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
    if follow == Follow::No {
        flags |= OFlags::NOFOLLOW;
    }
    rustix::fs::open(path.as_os_str().as_bytes(), flags, Mode::empty())
}

/// Opens the directory `name` in `parent`, never following a symlink.
pub fn open_dir_at(parent: impl AsFd, name: &CStr) -> Result<OwnedFd, Errno> {
    rustix::fs::openat(
        parent,
        name,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )
}

/// `path` joined with `name`: `name` alone for an empty path, no doubled `/`.
pub fn join(path: &[u8], name: &[u8]) -> Vec<u8> {
    let mut joined = Vec::with_capacity(path.len() + 1 + name.len());
    joined.extend_from_slice(path);
    if !path.is_empty() && !path.ends_with(b"/") {
        joined.push(b'/');
    }
    joined.extend_from_slice(name);
    joined
}

/// Walks the open directory `dir` (at `path`, depth 0): reports it to
/// `visitor`, then everything below it.
pub fn walk_dir<V: Visitor>(
    dir: Arc<OwnedFd>,
    path: &[u8],
    ctx: V::Ctx,
    limits: &Limits,
    visitor: &mut V,
) -> Result<(), V::Break> {
    Walk::new(limits, visitor).directory(&dir, path, &ctx, 0)
}

/// Walks `name` in the open directory `parent` (at `path`, depth 0),
/// whatever it is: a directory is walked, anything else is one entry, an
/// absent name is nothing.
pub fn walk_entry<V: Visitor>(
    parent: Arc<OwnedFd>,
    name: CString,
    path: Vec<u8>,
    ctx: V::Ctx,
    limits: &Limits,
    visitor: &mut V,
) -> Result<(), V::Break> {
    let entry = EntryAt::new(parent, name);
    Walk::new(limits, visitor).child(entry, path, &ctx, 0)
}

struct Walk<'a, V> {
    limits: &'a Limits,
    visitor: &'a mut V,
    names: u64,
    ended: bool,
}

impl<'a, V: Visitor> Walk<'a, V> {
    fn new(limits: &'a Limits, visitor: &'a mut V) -> Self {
        Walk {
            limits,
            visitor,
            names: 0,
            ended: false,
        }
    }

    fn child(
        &mut self,
        entry: EntryAt,
        path: Vec<u8>,
        ctx: &V::Ctx,
        depth: usize,
    ) -> Result<(), V::Break> {
        if matches!(entry.listed, FileType::Directory | FileType::Unknown) {
            match open_dir_at(&entry.parent, &entry.name) {
                Ok(fd) => return self.directory(&Arc::new(fd), &path, ctx, depth),
                // Not a directory: a symlink (O_NOFOLLOW) or anything else.
                Err(Errno::NOTDIR) | Err(Errno::LOOP) => {}
                Err(Errno::NOENT) if entry.listed == FileType::Unknown => return Ok(()),
                Err(Errno::NOENT) => return self.visitor.trouble(ctx, &path, Trouble::Vanished),
                Err(e) if entry.listed == FileType::Directory => {
                    return self.visitor.trouble(ctx, &path, Trouble::OpenDir(entry, e));
                }
                Err(_) => {}
            }
        }
        self.visitor.entry(ctx, entry, path, depth)
    }

    fn directory(
        &mut self,
        dir: &Arc<OwnedFd>,
        path: &[u8],
        ctx: &V::Ctx,
        depth: usize,
    ) -> Result<(), V::Break> {
        if self.visitor.directory(ctx, dir, path, depth)? == Descend::Skip {
            return Ok(());
        }
        if depth >= self.limits.max_depth {
            return self
                .visitor
                .bound(path, Bound::Depth(self.limits.max_depth));
        }
        let (mut names, bound, error) = self.read_names(dir);
        if let Some(e) = error {
            self.visitor.trouble(ctx, path, Trouble::ReadDir(e))?;
        }
        if let Some(bound) = bound {
            self.visitor.bound(path, bound)?;
        }
        if self.ended {
            return Ok(());
        }
        names.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        for (name, listed) in names {
            let child_path = join(path, name.as_bytes());
            let Some(child_ctx) = self.visitor.child(ctx, &child_path) else {
                continue;
            };
            let entry = EntryAt {
                parent: Arc::clone(dir),
                name,
                listed,
            };
            self.child(entry, child_path, &child_ctx, depth + 1)?;
            if self.ended {
                return Ok(());
            }
        }
        Ok(())
    }

    /// The kept names of `dir`, the bound hit while reading, and a read error.
    #[allow(clippy::type_complexity)]
    fn read_names(
        &mut self,
        dir: &OwnedFd,
    ) -> (Vec<(CString, FileType)>, Option<Bound>, Option<Errno>) {
        let mut names = Vec::new();
        let mut reader = match rustix::fs::Dir::read_from(dir) {
            Ok(reader) => reader,
            Err(e) => return (names, None, Some(e)),
        };
        while let Some(next) = reader.read() {
            let entry = match next {
                Ok(entry) => entry,
                Err(e) => return (names, None, Some(e)),
            };
            let name = entry.file_name();
            if name == c"." || name == c".." {
                continue;
            }
            self.names += 1;
            if self.names > self.limits.max_names {
                self.ended = true;
                return (names, Some(Bound::Names(self.limits.max_names)), None);
            }
            if !self.visitor.keep_name(name) {
                continue;
            }
            if names.len() >= self.limits.max_dir_names {
                return (
                    names,
                    Some(Bound::DirNames(self.limits.max_dir_names)),
                    None,
                );
            }
            names.push((name.to_owned(), entry.file_type()));
        }
        (names, None, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::os::unix::fs::symlink;
    use std::sync::mpsc;
    use std::time::Duration;

    type SwapHook = Box<dyn FnMut(&[u8])>;

    /// Writes down everything the walk reports, one line each; regular
    /// files are read through `open_regular`.
    #[derive(Default)]
    struct Recorder {
        seen: Vec<String>,
        /// Called on each child path before it is opened (to swap it).
        before_open: Option<SwapHook>,
        skip_names: Vec<&'static str>,
    }

    fn text(path: &[u8]) -> String {
        String::from_utf8_lossy(path).into_owned()
    }

    impl Visitor for Recorder {
        type Ctx = ();
        type Break = ();

        fn keep_name(&mut self, name: &CStr) -> bool {
            !self
                .skip_names
                .iter()
                .any(|s| s.as_bytes() == name.to_bytes())
        }

        fn child(&mut self, _: &(), path: &[u8]) -> Option<()> {
            if let Some(hook) = &mut self.before_open {
                hook(path);
            }
            Some(())
        }

        fn directory(
            &mut self,
            _: &(),
            dir: &Arc<OwnedFd>,
            path: &[u8],
            depth: usize,
        ) -> Result<Descend, ()> {
            let kind = FileType::from_raw_mode(rustix::fs::fstat(dir).unwrap().st_mode);
            assert_eq!(kind, FileType::Directory);
            self.seen.push(format!("dir {} {depth}", text(path)));
            Ok(Descend::Enter)
        }

        fn entry(&mut self, _: &(), entry: EntryAt, path: Vec<u8>, _: usize) -> Result<(), ()> {
            let line = match entry.open_regular() {
                Ok(Opened::Regular(mut file, _)) => {
                    let mut content = String::new();
                    file.read_to_string(&mut content).unwrap();
                    format!("file {} {content}", text(&path))
                }
                Ok(Opened::Symlink) => {
                    let target = text(&entry.read_link().unwrap());
                    format!("symlink {} -> {target}", text(&path))
                }
                Ok(Opened::Other(kind)) => format!("other {} {kind:?}", text(&path)),
                Err(e) => format!("error {} {e}", text(&path)),
            };
            self.seen.push(line);
            Ok(())
        }

        fn bound(&mut self, path: &[u8], bound: Bound) -> Result<(), ()> {
            self.seen.push(format!("bound {} {bound:?}", text(path)));
            Ok(())
        }

        fn trouble(&mut self, _: &(), path: &[u8], trouble: Trouble) -> Result<(), ()> {
            self.seen
                .push(format!("trouble {} {trouble:?}", text(path)));
            Ok(())
        }
    }

    fn walk(root: &Path, limits: &Limits, mut recorder: Recorder) -> Vec<String> {
        let fd = Arc::new(open_dir(root, Follow::No).unwrap());
        walk_dir(fd, b"", (), limits, &mut recorder).unwrap();
        recorder.seen
    }

    /// Walks on another thread so that a walk that blocks fails the test
    /// instead of hanging it.
    fn walk_within(root: &Path, limits: &Limits) -> Vec<String> {
        let (tx, rx) = mpsc::channel();
        let (root, limits) = (root.to_path_buf(), limits.clone());
        std::thread::spawn(move || {
            let _ = tx.send(walk(&root, &limits, Recorder::default()));
        });
        rx.recv_timeout(Duration::from_secs(10))
            .expect("the walk blocked")
    }

    fn write(root: &Path, path: &str, text: &str) {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn symlinks_are_reported_never_followed() {
        let outside = tempfile::tempdir().unwrap();
        write(outside.path(), "secret", "s3cret");
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a/f", "x");
        symlink(outside.path(), dir.path().join("a/out")).unwrap();
        symlink(outside.path().join("secret"), dir.path().join("a/secret")).unwrap();
        symlink("loop2", dir.path().join("loop1")).unwrap();
        symlink("loop1", dir.path().join("loop2")).unwrap();
        symlink(".", dir.path().join("self")).unwrap();
        let out = outside.path().display();
        assert_eq!(
            walk_within(dir.path(), &Limits::default()),
            [
                "dir  0".to_string(),
                "dir a 1".into(),
                "file a/f x".into(),
                format!("symlink a/out -> {out}"),
                format!("symlink a/secret -> {out}/secret"),
                "symlink loop1 -> loop2".into(),
                "symlink loop2 -> loop1".into(),
                "symlink self -> .".into(),
            ]
        );
    }

    #[test]
    fn a_directory_swapped_for_a_symlink_after_listing_is_not_entered() {
        let outside = tempfile::tempdir().unwrap();
        write(outside.path(), "secret", "s3cret");
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "d/f", "x");
        let root = dir.path().to_path_buf();
        let target = outside.path().to_path_buf();
        let recorder = Recorder {
            before_open: Some(Box::new(move |path| {
                if path == b"d" {
                    // Listed as a directory; replaced before it is opened.
                    std::fs::rename(root.join("d"), root.join("moved")).unwrap();
                    symlink(&target, root.join("d")).unwrap();
                }
            })),
            ..Recorder::default()
        };
        let seen = walk(dir.path(), &Limits::default(), recorder);
        assert_eq!(
            seen[1],
            format!("symlink d -> {}", outside.path().display())
        );
        assert!(!seen.iter().any(|s| s.contains("s3cret")), "{seen:?}");
    }

    #[test]
    fn special_files_are_never_read_nor_block() {
        let dir = tempfile::tempdir().unwrap();
        rustix::fs::mkfifoat(
            rustix::fs::CWD,
            dir.path().join("fifo"),
            Mode::RUSR | Mode::WUSR,
        )
        .unwrap();
        let socket = std::os::unix::net::UnixListener::bind(dir.path().join("sock")).unwrap();
        assert_eq!(
            walk_within(dir.path(), &Limits::default()),
            ["dir  0", "other fifo Fifo", "other sock Unknown"]
        );
        drop(socket);
    }

    #[test]
    fn depth_is_bounded() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a/b/c/f", "x");
        let limits = |max_depth| Limits {
            max_depth,
            ..Limits::default()
        };
        assert_eq!(
            walk(dir.path(), &limits(2), Recorder::default()),
            ["dir  0", "dir a 1", "dir a/b 2", "bound a/b Depth(2)"]
        );
        assert_eq!(
            walk(dir.path(), &limits(4), Recorder::default())
                .last()
                .unwrap(),
            "file a/b/c/f x"
        );
        assert_eq!(
            walk(dir.path(), &limits(0), Recorder::default()),
            ["dir  0", "bound  Depth(0)"]
        );
    }

    #[test]
    fn names_per_directory_and_over_the_walk_are_bounded() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..5 {
            write(dir.path(), &format!("d{i}/f"), "x");
        }
        write(dir.path(), ".hidden", "h");
        let skip_hidden = || Recorder {
            skip_names: vec![".hidden"],
            ..Recorder::default()
        };
        // Five kept names fit a bound of five; the skipped name is not kept.
        let limits = Limits {
            max_dir_names: 5,
            ..Limits::default()
        };
        let seen = walk(dir.path(), &limits, skip_hidden());
        assert_eq!(seen.len(), 11, "{seen:?}");
        assert!(
            !seen
                .iter()
                .any(|s| s.contains("hidden") || s.contains("bound"))
        );
        let limits = Limits {
            max_dir_names: 4,
            ..Limits::default()
        };
        let seen = walk(dir.path(), &limits, skip_hidden());
        assert_eq!(seen[1], "bound  DirNames(4)");
        assert_eq!(seen.iter().filter(|s| s.starts_with("file")).count(), 4);

        // 6 names at the top and 5 below: 11 read in all, skipped ones too.
        let limits = |max_names| Limits {
            max_names,
            ..Limits::default()
        };
        let seen = walk(dir.path(), &limits(11), skip_hidden());
        assert!(!seen.iter().any(|s| s.contains("bound")), "{seen:?}");
        let seen = walk(dir.path(), &limits(10), skip_hidden());
        assert_eq!(seen.last().unwrap(), "bound d4 Names(10)", "{seen:?}");
        assert_eq!(seen.iter().filter(|s| s.starts_with("file")).count(), 4);
        let seen = walk(dir.path(), &limits(3), skip_hidden());
        assert_eq!(seen, ["dir  0", "bound  Names(3)"]);
    }

    #[test]
    fn a_start_entry_is_walked_whatever_it_is() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "t/f", "x");
        symlink("t", dir.path().join("link")).unwrap();
        let parent = Arc::new(open_dir(dir.path(), Follow::No).unwrap());
        let run = |name: &CStr| {
            let mut recorder = Recorder::default();
            let path = name.to_bytes().to_vec();
            walk_entry(
                Arc::clone(&parent),
                name.to_owned(),
                path,
                (),
                &Limits::default(),
                &mut recorder,
            )
            .unwrap();
            recorder.seen
        };
        assert_eq!(run(c"t"), ["dir t 0", "file t/f x"]);
        assert_eq!(run(c"link"), ["symlink link -> t"]);
        assert_eq!(run(c"absent"), Vec::<String>::new());
        assert_eq!(join(b"/", b"etc"), b"/etc");
        assert_eq!(join(b"", b"a"), b"a");
        assert_eq!(join(b"/etc", b"a"), b"/etc/a");
    }
}
