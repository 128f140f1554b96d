//! Finding and reading the files of one configuration unit (`jail`,
//! `filter.d/sshd`, …) with `.d` directories, `.local` overrides and
//! `[INCLUDES] before/after`, then merging them into a [`Store`].
//!
//! Order for a unit `base`: `base.conf`, `base.d/*.conf` (sorted),
//! `base.local`, `base.d/*.local` (sorted). Each file is preceded by its
//! `before` includes and followed by its `after` includes (paths relative to
//! the including file's directory), and an included `X.conf` brings its
//! `X.local` along. Missing includes are skipped as in fail2ban. A file that
//! would be read twice is read once, at its first position; an include chain
//! that returns to a file already on it is an error.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::F2bError;
use crate::ini::{self, IniFile};
use crate::store::{Budget, Store, Vars};

/// Largest single configuration file read.
pub(crate) const MAX_FILE_BYTES: u64 = 4 << 20;
/// Most files merged into one unit (including includes).
pub(crate) const MAX_FILES: usize = 512;
/// Deepest include chain.
pub(crate) const MAX_INCLUDE_DEPTH: usize = 16;

/// A file that is not on disk but stands in for one (built-in filters).
#[derive(Debug, Clone, Copy)]
pub(crate) struct VirtualFile<'a> {
    /// Where the file would be; includes resolve relative to its directory.
    pub path: &'a Path,
    /// Name shown in errors.
    pub shown_as: &'a Path,
    pub text: &'static str,
}

/// Reads and parses every file of a unit; `None` when none exists.
pub(crate) fn load_unit(
    base: &Path,
    virtual_file: Option<VirtualFile<'_>>,
) -> Result<Option<Store>, F2bError> {
    let mut top = Vec::new();
    let conf = with_suffix(base, ".conf");
    let dir = with_suffix(base, ".d");
    if conf.is_file() || virtual_file.is_some_and(|v| v.path == conf) {
        top.push(conf);
    }
    top.extend(sorted_dir_entries(&dir, ".conf")?);
    let local = with_suffix(base, ".local");
    if local.is_file() {
        top.push(local);
    }
    top.extend(sorted_dir_entries(&dir, ".local")?);
    if top.is_empty() {
        return Ok(None);
    }
    load_files(&top, virtual_file).map(Some)
}

/// Reads `files` (with their `.local` companions and includes) into a store.
pub(crate) fn load_files(
    files: &[PathBuf],
    virtual_file: Option<VirtualFile<'_>>,
) -> Result<Store, F2bError> {
    let mut reader = Reader {
        virtual_file,
        chain: Vec::new(),
        done: HashSet::new(),
        order: Vec::new(),
    };
    for path in expand_with_local(files) {
        reader.visit(&path)?;
    }
    let mut store = Store::default();
    for (shown, file) in &reader.order {
        store.merge(shown, file);
    }
    Ok(store)
}

/// `base` + suffix, keeping dots in the name (`apache-auth` → `apache-auth.conf`).
fn with_suffix(base: &Path, suffix: &str) -> PathBuf {
    let mut s = base.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Non-hidden files in `dir` ending with `suffix`, sorted by name. A missing
/// directory is empty.
fn sorted_dir_entries(dir: &Path, suffix: &str) -> Result<Vec<PathBuf>, F2bError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e)
            if e.kind() == std::io::ErrorKind::NotFound
                || e.kind() == std::io::ErrorKind::NotADirectory =>
        {
            return Ok(Vec::new());
        }
        Err(source) => {
            return Err(F2bError::Io {
                path: dir.to_path_buf(),
                source,
            });
        }
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| F2bError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.starts_with('.') || !name.ends_with(suffix) || name.len() == suffix.len() {
            continue;
        }
        let path = entry.path();
        if !path.is_file() {
            continue;
        }
        if found.len() >= MAX_FILES {
            return Err(F2bError::Limit {
                path: dir.to_path_buf(),
                what: format!("more than {MAX_FILES} '*{suffix}' files"),
            });
        }
        found.push(path);
    }
    found.sort();
    Ok(found)
}

/// fail2ban's `_expandConfFilesWithLocal`: after `X.ext` comes `X.local` when
/// it exists and is not in the list already.
fn expand_with_local(files: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for file in files {
        out.push(file.clone());
        let local = file.with_extension("local");
        if !files.contains(&local) && local.is_file() {
            out.push(local);
        }
    }
    out
}

struct Reader<'a> {
    virtual_file: Option<VirtualFile<'a>>,
    /// Files whose includes are being expanded (for loop detection).
    chain: Vec<PathBuf>,
    /// Files already placed in `order`.
    done: HashSet<PathBuf>,
    /// Files in merge order: (name shown in errors, parsed contents).
    order: Vec<(PathBuf, IniFile)>,
}

impl Reader<'_> {
    fn visit(&mut self, path: &Path) -> Result<(), F2bError> {
        // `sub/../jail.conf` and symlinks must compare equal to the file itself.
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if self.chain.contains(&key) {
            let mut chain: Vec<String> =
                self.chain.iter().map(|p| p.display().to_string()).collect();
            chain.push(key.display().to_string());
            return Err(F2bError::IncludeLoop {
                path: path.to_path_buf(),
                chain: chain.join(" -> "),
            });
        }
        if self.done.contains(&key) {
            return Ok(());
        }
        if self.chain.len() >= MAX_INCLUDE_DEPTH {
            return Err(F2bError::Limit {
                path: path.to_path_buf(),
                what: format!("includes nested deeper than {MAX_INCLUDE_DEPTH}"),
            });
        }
        let Some((shown, text)) = self.read(path)? else {
            // fail2ban skips includes that do not exist.
            return Ok(());
        };
        let file = ini::parse(&shown, &text)?;
        let (before, after) = includes(&shown, &file)?;
        let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
        self.chain.push(key.clone());
        for entry in &before {
            self.visit_include(&dir, entry)?;
        }
        if self.done.insert(key) {
            if self.order.len() >= MAX_FILES {
                return Err(F2bError::Limit {
                    path: path.to_path_buf(),
                    what: format!("more than {MAX_FILES} files in one configuration"),
                });
            }
            self.order.push((shown, file));
        }
        for entry in &after {
            self.visit_include(&dir, entry)?;
        }
        self.chain.pop();
        Ok(())
    }

    fn visit_include(&mut self, dir: &Path, entry: &str) -> Result<(), F2bError> {
        if entry.is_empty() {
            return Ok(());
        }
        let target = dir.join(entry);
        for path in expand_with_local(std::slice::from_ref(&target)) {
            self.visit(&path)?;
        }
        Ok(())
    }

    /// The text of `path` and the name to show for it; `None` if absent.
    fn read(&self, path: &Path) -> Result<Option<(PathBuf, String)>, F2bError> {
        if let Some(v) = self.virtual_file
            && v.path == path
            && (v.path == v.shown_as || !path.is_file())
        {
            return Ok(Some((v.shown_as.to_path_buf(), v.text.to_string())));
        }
        let io = |source| F2bError::Io {
            path: path.to_path_buf(),
            source,
        };
        let file = match std::fs::File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io(e)),
        };
        if !file.metadata().map_err(io)?.is_file() {
            return Ok(None);
        }
        let mut bytes = Vec::new();
        file.take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(io)?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(F2bError::Limit {
                path: path.to_path_buf(),
                what: format!("file larger than {MAX_FILE_BYTES} bytes"),
            });
        }
        let text = String::from_utf8(bytes).map_err(|e| {
            io(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("not UTF-8: {e}"),
            ))
        })?;
        Ok(Some((path.to_path_buf(), text)))
    }
}

/// The `[INCLUDES] before` and `after` lists of one file, interpolated against
/// that file alone (as fail2ban does).
fn includes(shown: &Path, file: &IniFile) -> Result<(Vec<String>, Vec<String>), F2bError> {
    let Some(section) = file.sections.iter().find(|s| s.name == "INCLUDES") else {
        return Ok((Vec::new(), Vec::new()));
    };
    let has = |key: &str| section.entries.iter().any(|e| e.key == key);
    if !has("before") && !has("after") {
        return Ok((Vec::new(), Vec::new()));
    }
    let mut store = Store::default();
    store.merge(shown, file);
    let list = |key: &str| -> Result<Vec<String>, F2bError> {
        match store.get("INCLUDES", key, &Vars::new(), None, &Budget::new())? {
            Some(v) => Ok(v.text.split('\n').map(str::to_string).collect()),
            None => Ok(Vec::new()),
        }
    };
    Ok((list("before")?, list("after")?))
}
