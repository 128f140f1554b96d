//! Reader for fail2ban's configuration dialect, unchanged: `jail.conf` /
//! `jail.d` / `jail.local` layering, `filter.d` with `.local` overrides,
//! `[INCLUDES]`, `%(…)s` and `<…>` interpolation and `[Init]` parameters.
//!
//! Produces [`clawguard_filter::FilterDef`]s and jail definitions. No network, no
//! side effects: it only reads files under the directory it is given.
//!
//! Where this reader deliberately differs from fail2ban 1.0.2: include loops
//! are errors (fail2ban silently skips the repeated file), a file reached
//! twice through includes is merged once, invalid integers and times in an
//! enabled jail are errors (fail2ban logs a warning and uses its default),
//! and an enabled jail whose filter cannot be read fails [`Fail2banConfig::jails`]
//! (fail2ban skips that jail).

mod error;
mod files;
mod filter;
mod ini;
mod jail;
mod spec;
mod store;
mod tags;
mod time;

use std::path::{Path, PathBuf};

pub use error::{F2bError, Location};
pub use jail::{BantimeIncrement, JailDef};
pub use time::parse_time;

use files::VirtualFile;
use store::{Budget, Store, Vars};

/// fail2ban version reported to configurations through `%(fail2ban_version)s`.
const COMPAT_VERSION: &str = "1.0.2";

/// Filters shipped with clawguard: (name, contents of `NAME.conf`).
const BUILTIN_FILTERS: [(&str, &str); 2] = [
    (
        "openclaw-api",
        include_str!("../builtin/filter.d/openclaw-api.conf"),
    ),
    // Used only where the fail2ban directory has no sshd filter of its own.
    ("sshd", include_str!("../builtin/filter.d/sshd.conf")),
];

/// The stock fail2ban filter [`Fail2banConfig::jail_filter`] replaces.
const STOCK_SSHD: &str = "sshd";

/// The text of a filter clawguard ships (`openclaw-api`, `sshd`), by name.
pub fn builtin_filter(name: &str) -> Option<&'static str> {
    BUILTIN_FILTERS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

/// A built-in filter by specification (`openclaw-api`, `openclaw-api[k=v]`)
/// without any fail2ban directory, read exactly as `Fail2banConfig::filter`
/// reads it when `filter.d` has no file of that name.
pub fn load_builtin_filter(spec: &str) -> Result<clawguard_filter::FilterDef, F2bError> {
    let (name, params) = spec::parse_spec(spec)?;
    let Some(text) = builtin_filter(&name) else {
        return Err(F2bError::FilterNotFound {
            searched: PathBuf::from(format!("<builtin>/{name}.conf")),
            filter: name,
            requested_by: format!("filter specification {spec:?}"),
        });
    };
    let store = builtin_store(&name, text)?;
    let combined = filter::combine(&store, &params, None, false, &Budget::new())?;
    filter::to_filter_def(&name, &combined, None)
}

/// A built-in filter's text read as its own unit (no `.local`, no includes on disk).
fn builtin_store(name: &str, text: &'static str) -> Result<Store, F2bError> {
    let shown = PathBuf::from(format!("<builtin>/{name}.conf"));
    let virtual_file = VirtualFile {
        path: &shown,
        shown_as: &shown,
        text,
    };
    files::load_files(std::slice::from_ref(&shown), Some(virtual_file))
}

/// A fail2ban configuration directory (`/etc/fail2ban`) with its jail files
/// read and merged.
#[derive(Debug, Clone)]
pub struct Fail2banConfig {
    dir: PathBuf,
    jails: Store,
}

impl Fail2banConfig {
    /// Reads `jail.conf`, `jail.d/*.conf`, `jail.local`, `jail.d/*.local` (and
    /// their includes) under `dir`; none of them existing means no jails.
    /// Filters are read on demand.
    pub fn load(dir: &Path) -> Result<Self, F2bError> {
        let meta = std::fs::metadata(dir).map_err(|source| F2bError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        if !meta.is_dir() {
            return Err(F2bError::Io {
                path: dir.to_path_buf(),
                source: std::io::Error::new(std::io::ErrorKind::NotADirectory, "not a directory"),
            });
        }
        // A directory with only filter.d/ is still useful for its filters.
        let mut jails = files::load_unit(&dir.join("jail"), None)?.unwrap_or_default();
        // fail2ban adds these before resolving jail options, over any file value.
        jails.set_default("fail2ban_version", COMPAT_VERSION);
        jails.set_default(
            "fail2ban_confpath",
            dir.to_string_lossy().trim_end_matches('/'),
        );
        Ok(Self {
            dir: dir.to_path_buf(),
            jails,
        })
    }

    /// The configuration directory this was loaded from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Every jail section (all but `[INCLUDES]`), resolved, in file order.
    /// Disabled jails are included with `enabled: false`.
    pub fn jails(&self) -> Result<Vec<JailDef>, F2bError> {
        let budget = Budget::new();
        let mut out = Vec::new();
        for section in self.jails.user_sections() {
            if section.name == "INCLUDES" {
                continue;
            }
            let head = jail::read_head(&self.jails, &section.name, &section.header, &budget)?;
            let mut known = None;
            if head.enabled
                && let Some((spec, location)) = &head.filter
            {
                let requested_by = format!("jail '{}' ({location})", section.name);
                let (name, params) = spec::parse_spec(spec).map_err(|e| F2bError::Value {
                    location: location.clone(),
                    key: "filter".into(),
                    message: e.to_string(),
                })?;
                let store = self.filter_store(&name, &requested_by)?;
                let inputs = jail::head_inputs(&head);
                let combined = filter::combine(&store, &params, Some(&inputs), true, &budget)?;
                let overlay: Vars = combined
                    .into_iter()
                    .filter(|(k, _)| !k.starts_with("known/"))
                    .map(|(k, v)| (format!("known/{k}"), v.text))
                    .collect();
                known = Some(overlay);
            }
            out.push(jail::read_jail(
                &self.jails,
                &section.name,
                &section.header,
                &head,
                known.as_ref(),
                &budget,
            )?);
        }
        Ok(out)
    }

    /// The filter named by `spec` (`sshd`, `sshd[mode=aggressive]`, a name from
    /// `filter.d` or a built-in one). With `jail`, the jail's own options are
    /// applied as fail2ban applies them (its backend picks `logtype`; its
    /// `failregex`/`ignoreregex`/`journalmatch` are added, its `prefregex`,
    /// `datepattern`, `maxlines` replace the filter's).
    pub fn filter(
        &self,
        spec: &str,
        jail: Option<&JailDef>,
    ) -> Result<clawguard_filter::FilterDef, F2bError> {
        let (name, params) = spec::parse_spec(spec)?;
        let requested_by = match jail {
            Some(j) => format!("jail '{}' ({})", j.name, j.source),
            None => format!("filter specification {spec:?}"),
        };
        let store = self.filter_store(&name, &requested_by)?;
        let inputs = jail.map(jail::jail_inputs);
        let combined = filter::combine(&store, &params, inputs.as_ref(), false, &Budget::new())?;
        filter::to_filter_def(&name, &combined, inputs.as_ref())
    }

    /// The filter a jail runs for `spec`: as [`Fail2banConfig::filter`], except
    /// that fail2ban's stock sshd filter, when untouched, is replaced by
    /// clawguard's built-in one (the jail's own options still apply).
    ///
    /// The stock filter takes the first address in `Failed password for
    /// invalid user a from 192.0.2.1: from 203.0.113.5 port 22 ssh2`, where
    /// the user name is `a from 192.0.2.1:`; fail2ban's own sample log
    /// requires that reading (an auth-info tail after `ssh2: ` may hold a
    /// second `from … port … ssh2`), so no variant of that regex that passes
    /// fail2ban's samples can close it. The built-in filter anchors the
    /// address to the end of the line instead. "Untouched" means no
    /// `sshd.local`, no `sshd.d/` and no parameters other than `mode=normal`;
    /// a customised filter is used as written ([`Fail2banConfig::stock_sshd_kept`]).
    pub fn jail_filter(
        &self,
        spec: &str,
        jail: Option<&JailDef>,
    ) -> Result<clawguard_filter::FilterDef, F2bError> {
        let (name, params) = spec::parse_spec(spec)?;
        let Some(text) = self.replaced_stock_filter(&name, &params) else {
            return self.filter(spec, jail);
        };
        let store = builtin_store(&name, text)?;
        let inputs = jail.map(jail::jail_inputs);
        let combined = filter::combine(&store, &params, inputs.as_ref(), false, &Budget::new())?;
        filter::to_filter_def(&name, &combined, inputs.as_ref())
    }

    /// Whether `spec` names fail2ban's sshd filter in a form that
    /// [`Fail2banConfig::jail_filter`] keeps (customised, or another `mode`),
    /// so the jail runs fail2ban's filter with its known framing weakness.
    pub fn stock_sshd_kept(&self, spec: &str) -> bool {
        match spec::parse_spec(spec) {
            Ok((name, params)) => {
                name == STOCK_SSHD
                    && self.filter_d(&name, ".conf").is_file()
                    && self.replaced_stock_filter(&name, &params).is_none()
            }
            Err(_) => false,
        }
    }

    /// The built-in text that stands in for an untouched stock `name` filter.
    fn replaced_stock_filter(
        &self,
        name: &str,
        params: &[(String, String)],
    ) -> Option<&'static str> {
        if name != STOCK_SSHD {
            return None;
        }
        let plain = params
            .iter()
            .all(|(k, v)| k == "mode" && v.trim() == "normal");
        let customised =
            self.filter_d(name, ".local").exists() || self.filter_d(name, ".d").exists();
        (plain && !customised)
            .then(|| builtin_filter(name))
            .flatten()
    }

    fn filter_d(&self, name: &str, suffix: &str) -> PathBuf {
        self.dir.join("filter.d").join(format!("{name}{suffix}"))
    }

    /// Reads `filter.d/NAME` (with `.d` and `.local`), falling back to a
    /// built-in filter when `NAME.conf` does not exist.
    fn filter_store(&self, name: &str, requested_by: &str) -> Result<Store, F2bError> {
        let base = self.dir.join("filter.d").join(name);
        let conf = {
            let mut s = base.as_os_str().to_owned();
            s.push(".conf");
            PathBuf::from(s)
        };
        let shown = PathBuf::from(format!("<builtin>/{name}.conf"));
        let virtual_file = builtin_filter(name).map(|text| VirtualFile {
            path: &conf,
            shown_as: &shown,
            text,
        });
        files::load_unit(&base, virtual_file)?.ok_or_else(|| F2bError::FilterNotFound {
            filter: name.to_string(),
            searched: conf.clone(),
            requested_by: requested_by.to_string(),
        })
    }
}

/// Reads a filter given as a path, as `fail2ban-regex LOG /path/NAME.conf`
/// does: inside a `filter.d` directory it is read like a named filter (with
/// `NAME.d/` and `NAME.local`); elsewhere the file and its `.local` are read
/// with their includes resolved relative to the file's directory. `params`
/// are the `[Init]` parameters (as in `NAME[k=v]`).
pub fn load_filter_file(
    path: &Path,
    params: &[(String, String)],
) -> Result<clawguard_filter::FilterDef, F2bError> {
    if !path.is_file() {
        return Err(F2bError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "filter file not found"),
        });
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let parent = path.parent().unwrap_or(Path::new(""));
    let in_filter_dir = parent.file_name().is_some_and(|n| n == "filter.d")
        && path.extension().is_some_and(|e| e == "conf");
    let store = if in_filter_dir {
        files::load_unit(&parent.join(&stem), None)?
    } else {
        Some(files::load_files(&[path.to_path_buf()], None)?)
    };
    let store = store.unwrap_or_default();
    let params: Vec<(String, String)> = params.to_vec();
    let combined = filter::combine(&store, &params, None, false, &Budget::new())?;
    filter::to_filter_def(&stem, &combined, None)
}
