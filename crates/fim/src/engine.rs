//! `init`, `check`, `update`, `accept`: the walk merged against the baseline.
//!
//! State kept in `<state_dir>/fim/` (0700):
//! - `baseline.pub`: the pinned public key (written by the first `init`
//!   unless `fim.public_key` pins it in the config);
//! - `baseline.digest`: the digest of the last baseline this host wrote, so
//!   a validly signed but older or foreign baseline is refused;
//! - `report.chain`: the digest of the last report and the highest baseline
//!   generation the chain has seen; each report carries the previous one's
//!   digest, and `reports.log` keeps one line per report.
//!
//! Two anchors against a rolled-back baseline: `baseline.digest` must name
//! the baseline (and must exist while a baseline and a pinned key do), and
//! the baseline's signed generation must not be below the chain's.

use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use clawguard_config::FimConfig;
use clawguard_event::{Event, EventKind, FileChange};
use ed25519_dalek::VerifyingKey;
use serde::Serialize;

use crate::FimError;
use crate::baseline::{BaselineInfo, BaselineReader, BaselineWriter, keys};
use crate::clawhub::{self, FingerprintCheck};
use crate::diff::{self, ContentDiff};
use crate::entry::{Entry, cmp_paths, display_path, is_under};
use crate::hash::HashAlgo;
use crate::policy::{Policy, PolicyEnv};
use crate::walk::{self, ScanItem, Start, WalkLimits};
use clawguard_sys::hex;
use clawguard_sys::regular_file::{self, Follow};

/// Everything a fim run needs.
#[derive(Debug, Clone)]
pub struct Fim {
    pub policy: Policy,
    pub baseline: PathBuf,
    pub signing_key: PathBuf,
    /// Public key pinned in the config (hex), if any.
    pub pinned_key: Option<String>,
    /// `<state_dir>/fim`.
    pub state: PathBuf,
    pub limits: WalkLimits,
    /// Entries listed per report section; the counts stay exact.
    pub max_listed: usize,
}

/// One changed path and the attributes that changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Changed {
    pub path: String,
    pub changes: Vec<&'static str>,
}

/// A path the walk could not record fully.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProblemReport {
    pub path: String,
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub entries: u64,
    pub added: u64,
    pub removed: u64,
    pub changed: u64,
    pub problems: u64,
    pub fingerprint_mismatches: u64,
    /// Some paths were counted but not listed (`max_listed`).
    pub truncated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BaselineRef {
    pub path: String,
    pub digest: String,
    pub created_ms: i64,
    pub hash: &'static str,
    pub public_key: String,
    /// Counts the baselines this host wrote.
    pub generation: u64,
}

/// The result of `check` or `update`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<Changed>,
    pub summary: Summary,
    pub problems: Vec<ProblemReport>,
    pub fingerprints: Vec<FingerprintCheck>,
    /// Line diffs (secrets masked) of changed small text files under
    /// `fim.diff_paths`.
    pub diffs: Vec<ContentDiff>,
    pub baseline: BaselineRef,
    /// Set by `update`: the baseline written after the check.
    pub new_baseline: Option<BaselineRef>,
    pub started_ms: i64,
    pub duration_ms: i64,
    pub previous_report_digest: Option<String>,
    /// BLAKE3 of this report's JSON with this field empty.
    pub report_digest: String,
}

impl Report {
    /// AIDE's exit bits: 1 added, 2 removed, 4 changed (a ClawHub
    /// fingerprint mismatch counts as changed).
    pub fn exit_code(&self) -> u8 {
        let mut code = 0;
        if self.summary.added > 0 {
            code |= crate::exit::ADDED;
        }
        if self.summary.removed > 0 {
            code |= crate::exit::REMOVED;
        }
        if self.summary.changed > 0 || self.summary.fingerprint_mismatches > 0 {
            code |= crate::exit::CHANGED;
        }
        code
    }

    /// One event per listed change, for the alert pipeline.
    pub fn events(&self, time_ms: i64) -> Vec<Event> {
        let mut events = Vec::new();
        let mut push = |path: &str, change: FileChange| {
            events.push(Event::new(
                time_ms,
                EventKind::FileChanged {
                    path: path.to_string(),
                    change,
                    actor: None,
                },
            ));
        };
        for path in &self.added {
            push(path, FileChange::Added);
        }
        for path in &self.removed {
            push(path, FileChange::Removed);
        }
        for c in &self.changed {
            push(
                &c.path,
                FileChange::Changed {
                    attributes: c.changes.iter().map(|s| s.to_string()).collect(),
                },
            );
        }
        for f in self.fingerprints.iter().filter(|f| !f.matches) {
            push(
                &f.skill,
                FileChange::Changed {
                    attributes: vec!["clawhub_fingerprint".into()],
                },
            );
        }
        events
    }
}

/// The result of `init` or `accept`.
#[derive(Debug, Clone, Serialize)]
pub struct Written {
    pub baseline: BaselineRef,
    pub entries: u64,
    pub problems: Vec<ProblemReport>,
    pub duration_ms: i64,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> FimError + '_ {
    move |source| FimError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn baseline_ref(info: &BaselineInfo) -> BaselineRef {
    BaselineRef {
        path: info.path.display().to_string(),
        digest: info.digest_hex(),
        created_ms: info.created_ms,
        hash: info.hash.name(),
        public_key: hex::encode(&info.public_key),
        generation: info.generation,
    }
}

fn elapsed_ms(start: std::time::Instant) -> i64 {
    i64::try_from(start.elapsed().as_millis()).unwrap_or(i64::MAX)
}

impl Fim {
    /// A run of the `[fim]` policy; `state_dir` is clawguard's state dir.
    pub fn from_config(config: &FimConfig, state_dir: &Path) -> Result<Fim, FimError> {
        let policy = Policy::from_config(config, &PolicyEnv::from_system())?;
        let mut limits = WalkLimits::default();
        if config.threads > 0 {
            limits.threads = config.threads as usize;
        }
        let state = state_dir.join("fim");
        Ok(Fim {
            policy,
            baseline: config
                .baseline
                .clone()
                .unwrap_or_else(|| state.join("baseline.cgfim")),
            signing_key: config.signing_key.clone(),
            pinned_key: config.public_key.clone(),
            state,
            limits,
            max_listed: 100_000,
        })
    }

    fn state_file(&self, name: &str) -> PathBuf {
        self.state.join(name)
    }

    fn ensure_state_dir(&self) -> Result<(), FimError> {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&self.state)
            .map_err(io(&self.state))
    }

    fn write_state(&self, name: &str, text: &str) -> Result<(), FimError> {
        self.ensure_state_dir()?;
        let path = self.state_file(name);
        let tmp = self.state_file(&format!("{name}.new"));
        let mut file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)
            .map_err(io(&tmp))?;
        file.write_all(text.as_bytes()).map_err(io(&tmp))?;
        file.sync_all().map_err(io(&tmp))?;
        std::fs::rename(&tmp, &path).map_err(io(&path))
    }

    fn read_state(&self, name: &str) -> Result<Option<String>, FimError> {
        let path = self.state_file(name);
        // Not followed, regular only, bounded: a FIFO or /dev/zero planted
        // here must not hang or exhaust a check.
        match regular_file::read_text(&path, Follow::No, crate::baseline::MAX_STATE_FILE_BYTES) {
            Ok(text) => Ok(Some(text.trim().to_string())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io(&path)(e)),
        }
    }

    /// The pinned public key: the config's, else `baseline.pub`.
    pub fn pinned_key(&self) -> Result<Option<VerifyingKey>, FimError> {
        if let Some(text) = &self.pinned_key {
            return keys::parse_public_key(text, Path::new("fim.public_key")).map(Some);
        }
        match self.read_state("baseline.pub")? {
            Some(text) => keys::parse_public_key(&text, &self.state_file("baseline.pub")).map(Some),
            None => Ok(None),
        }
    }

    /// Opens and verifies the baseline: pinned key, signature, and that it
    /// is the last baseline this host wrote.
    pub fn open_baseline(&self) -> Result<BaselineReader, FimError> {
        let pinned = match self.pinned_key()? {
            Some(key) => key,
            None if self.baseline.exists() => {
                return Err(FimError::Tampered {
                    path: self.baseline.clone(),
                    reason: format!(
                        "no pinned public key ({} is missing and fim.public_key is not set)",
                        self.state_file("baseline.pub").display()
                    ),
                });
            }
            None => return Err(FimError::NoBaseline(self.baseline.clone())),
        };
        let reader = BaselineReader::open(&self.baseline, &pinned)?;
        // A missing record is refused on its own: deleting one file must
        // not turn a rollback into a plain diff.
        let Some(expected) = self.read_state("baseline.digest")? else {
            return Err(FimError::NoFreshness {
                path: self.baseline.clone(),
                record: self.state_file("baseline.digest"),
            });
        };
        let found = reader.info().generation;
        // Every baseline with a generation was written together with a
        // chain entry for it: a missing chain is a deleted anchor.
        if found > 0 && self.read_state("report.chain")?.is_none() {
            return Err(FimError::NoFreshness {
                path: self.baseline.clone(),
                record: self.state_file("report.chain"),
            });
        }
        let (_, recorded) = self.chain_state()?;
        if found < recorded {
            return Err(FimError::RolledBack {
                path: self.baseline.clone(),
                found,
                recorded,
            });
        }
        if expected != reader.info().digest_hex() {
            return Err(FimError::Replaced {
                path: self.baseline.clone(),
                expected,
                found: reader.info().digest_hex(),
            });
        }
        Ok(reader)
    }

    /// `report.chain`: the last report's digest and the highest baseline
    /// generation seen (0 when the chain predates generations).
    fn chain_state(&self) -> Result<(Option<String>, u64), FimError> {
        let Some(text) = self.read_state("report.chain")? else {
            return Ok((None, 0));
        };
        let mut words = text.split_whitespace();
        let digest = words.next().filter(|d| *d != "-").map(str::to_string);
        let generation = words
            .find_map(|w| w.strip_prefix("generation="))
            .and_then(|g| g.parse().ok())
            .unwrap_or(0);
        Ok((digest, generation))
    }

    /// The generation of the next baseline: above the one on disk (header
    /// only, unverified: it can only raise the number) and above the chain.
    fn next_generation(&self, current: Option<u64>) -> Result<u64, FimError> {
        let (_, recorded) = self.chain_state()?;
        let on_disk = current.or_else(|| self.peek_generation()).unwrap_or(0);
        Ok(on_disk.max(recorded).saturating_add(1))
    }

    fn peek_generation(&self) -> Option<u64> {
        use std::io::Read;
        let (file, _) = regular_file::open(
            &self.baseline,
            Follow::Yes,
            crate::baseline::MAX_BASELINE_BYTES,
        )
        .ok()?;
        let mut header = [0u8; 60];
        file.take(60).read_exact(&mut header).ok()?;
        (&header[..8] == b"CGFIMBL\n" && header[8] == crate::baseline::FORMAT_VERSION)
            .then(|| u64::from_le_bytes(header[52..60].try_into().unwrap_or_default()))
    }

    /// Loads the signing key (created if absent when `create`) and checks
    /// it against the pin, pinning it on first use.
    fn signing_key(&self, create: bool) -> Result<ed25519_dalek::SigningKey, FimError> {
        let key = keys::load_or_create_signing_key(&self.signing_key, create)?;
        let public = key.verifying_key();
        match self.pinned_key()? {
            Some(pinned) if pinned != public => Err(FimError::Key {
                path: self.signing_key.clone(),
                message: format!(
                    "public key {} does not match the pinned key {} (to re-pin on purpose, remove {} or change fim.public_key)",
                    hex::encode(public.as_bytes()),
                    hex::encode(pinned.as_bytes()),
                    self.state_file("baseline.pub").display()
                ),
            }),
            Some(_) => Ok(key),
            None => {
                self.write_state(
                    "baseline.pub",
                    &format!("{}\n", hex::encode(public.as_bytes())),
                )?;
                Ok(key)
            }
        }
    }

    /// Raises the chain's generation to `generation` (init and accept write
    /// no report, but the next check must know the baseline they wrote).
    fn record_generation(&self, generation: u64) -> Result<(), FimError> {
        let (digest, recorded) = self.chain_state()?;
        if generation <= recorded {
            return Ok(());
        }
        let digest = digest.unwrap_or_else(|| "-".into());
        self.write_state(
            "report.chain",
            &format!("{digest} generation={generation}\n"),
        )
    }

    fn finish_baseline(&self, writer: BaselineWriter) -> Result<BaselineRef, FimError> {
        let generation = writer.generation();
        let digest = writer.finish()?;
        self.write_state("baseline.digest", &format!("{}\n", hex::encode(&digest)))?;
        self.record_generation(generation)?;
        let pinned = self.pinned_key()?.ok_or_else(|| FimError::Key {
            path: self.signing_key.clone(),
            message: "no pinned key after writing".into(),
        })?;
        let reader = BaselineReader::open(&self.baseline, &pinned)?;
        Ok(baseline_ref(reader.info()))
    }

    /// Records the whole policy into a new signed baseline.
    pub fn init(&self, now_ms: i64) -> Result<Written, FimError> {
        let started = std::time::Instant::now();
        let key = self.signing_key(true)?;
        let generation = self.next_generation(None)?;
        let mut writer =
            BaselineWriter::create(&self.baseline, self.policy.hash, &key, now_ms, generation)?;
        let mut problems = Vec::new();
        let starts = walk::policy_starts(&self.policy);
        let _ = std::fs::remove_dir_all(self.state.join("content"));
        walk::scan(&self.policy, &starts, &self.limits, &mut |item| {
            match item {
                ScanItem::Entry(entry) => {
                    writer.push(&entry)?;
                    self.store_copy(&self.policy, &entry);
                }
                ScanItem::Problem(p) => push_problem(&mut problems, p, self.max_listed),
            }
            Ok(())
        })?;
        let entries = writer.count();
        let baseline = self.finish_baseline(writer)?;
        Ok(Written {
            baseline,
            entries,
            problems,
            duration_ms: elapsed_ms(started),
        })
    }

    /// Compares the filesystem with the baseline; with `update`, also
    /// writes a new baseline of what the walk saw.
    pub fn check(&self, now_ms: i64, update: bool) -> Result<Report, FimError> {
        self.compare(now_ms, update, None)
    }

    /// Compares only what lies under `roots` (each must be covered by the
    /// policy) with the baseline: the rescan after a realtime queue
    /// overflow. Not chained: it is a partial report.
    pub fn check_subtrees(&self, roots: &[Vec<u8>], now_ms: i64) -> Result<Report, FimError> {
        let mut roots: Vec<Vec<u8>> = roots
            .iter()
            .filter(|r| self.policy.watch_for(r).is_some())
            .cloned()
            .collect();
        roots.sort_by(|a, b| cmp_paths(a, b));
        roots.dedup();
        let mut starts: Vec<Start> = Vec::new();
        for path in roots {
            if starts.last().is_some_and(|s| is_under(&path, &s.path)) {
                continue;
            }
            let watch = self.policy.watch_for(&path).unwrap_or(0);
            starts.push(Start { path, watch });
        }
        self.compare(now_ms, false, Some(&starts))
    }

    fn compare(
        &self,
        now_ms: i64,
        update: bool,
        subset: Option<&[Start]>,
    ) -> Result<Report, FimError> {
        let started = std::time::Instant::now();
        let mut reader = self.open_baseline()?;
        let info = reader.info().clone();
        let algo = info.hash;
        // The baseline's hash decides (a config change takes effect at the
        // next init or update).
        let mut policy = self.policy.clone();
        policy.hash = algo;
        let mut writer = if update {
            let key = self.signing_key(false)?;
            Some(BaselineWriter::create(
                &self.baseline,
                self.policy.hash,
                &key,
                now_ms,
                self.next_generation(Some(info.generation))?,
            )?)
        } else {
            None
        };
        if update && self.policy.hash != algo {
            // The new baseline uses the configured hash: walk with it.
            policy.hash = self.policy.hash;
        }
        let mut merge = Merge::new(algo, self.max_listed);
        let mut diffs: Vec<ContentDiff> = Vec::new();
        let in_scope =
            |path: &[u8]| subset.is_none_or(|s| s.iter().any(|s| is_under(path, &s.path)));
        let mut next_base = reader.next_entry()?;
        let starts = match subset {
            Some(starts) => starts.to_vec(),
            None => walk::policy_starts(&policy),
        };
        walk::scan(&policy, &starts, &self.limits, &mut |item| {
            let entry = match item {
                ScanItem::Entry(entry) => entry,
                ScanItem::Problem(p) => {
                    merge.summary.problems += 1;
                    push_problem(&mut merge.problems, p, self.max_listed);
                    return Ok(());
                }
            };
            merge.summary.entries += 1;
            loop {
                match &next_base {
                    Some(base) if cmp_paths(&base.path, &entry.path).is_lt() => {
                        if in_scope(&base.path) {
                            merge.removed(base);
                        }
                        next_base = reader.next_entry()?;
                    }
                    Some(base) if base.path == entry.path => {
                        let differences = if policy.hash != algo {
                            // A hash of another algorithm cannot be compared.
                            let mut current = entry.clone();
                            current.attrs.0 &= !crate::attrs::AttrSet::HASH;
                            merge.compare(base, &current)
                        } else {
                            merge.compare(base, &entry)
                        };
                        let content_changed = differences.0
                            & (crate::attrs::AttrSet::HASH | crate::attrs::AttrSet::SIZE)
                            != 0;
                        if content_changed
                            && diffs.len() < diff::MAX_DIFFS
                            && policy.diffs(&entry.path)
                            && let Some(d) = diff::diff_against_stored(&self.state, &entry.path)
                        {
                            diffs.push(d);
                        }
                        next_base = reader.next_entry()?;
                        break;
                    }
                    _ => {
                        merge.added(&entry);
                        break;
                    }
                }
            }
            if let Some(writer) = writer.as_mut() {
                writer.push(&entry)?;
                self.store_copy(&policy, &entry);
            }
            Ok(())
        })?;
        while let Some(base) = next_base {
            if in_scope(&base.path) {
                merge.removed(&base);
            }
            next_base = reader.next_entry()?;
        }
        let fingerprints = if subset.is_none() {
            self.fingerprints()
        } else {
            Vec::new()
        };
        merge.summary.fingerprint_mismatches =
            fingerprints.iter().filter(|f| !f.matches).count() as u64;
        let new_baseline = match writer {
            Some(writer) => Some(self.finish_baseline(writer)?),
            None => None,
        };
        let (previous, _) = self.chain_state()?;
        let mut report = Report {
            added: merge.added,
            removed: merge.removed,
            changed: merge.changed,
            summary: merge.summary,
            problems: merge.problems,
            diffs,
            fingerprints,
            baseline: baseline_ref(&info),
            new_baseline,
            started_ms: now_ms,
            duration_ms: elapsed_ms(started),
            previous_report_digest: if subset.is_none() { previous } else { None },
            report_digest: String::new(),
        };
        report.report_digest = report_digest(&report);
        if subset.is_none() {
            self.chain(&report, now_ms)?;
        }
        Ok(report)
    }

    fn chain(&self, report: &Report, now_ms: i64) -> Result<(), FimError> {
        let (_, recorded) = self.chain_state()?;
        let generation = report
            .new_baseline
            .as_ref()
            .map_or(report.baseline.generation, |b| b.generation)
            .max(recorded);
        self.write_state(
            "report.chain",
            &format!("{} generation={generation}\n", report.report_digest),
        )?;
        let log = self.state_file("reports.log");
        let mut file = OpenOptions::new()
            .append(true)
            .create(true)
            .mode(0o600)
            .open(&log)
            .map_err(io(&log))?;
        writeln!(
            file,
            "{now_ms} report={} previous={} baseline={} generation={generation} added={} removed={} changed={} exit={}",
            report.report_digest,
            report.previous_report_digest.as_deref().unwrap_or("-"),
            report.baseline.digest,
            report.summary.added,
            report.summary.removed,
            report.summary.changed,
            report.exit_code()
        )
        .map_err(io(&log))
    }

    /// Keeps the masked copy of a small text file under `fim.diff_paths`
    /// (best effort: a failure only costs the next diff).
    fn store_copy(&self, policy: &Policy, entry: &Entry) {
        // Never keep a copy of the signing key, even masked.
        let key = std::os::unix::ffi::OsStrExt::as_bytes(self.signing_key.as_os_str());
        if entry.kind == crate::entry::FileKind::Regular
            && entry.size <= diff::MAX_DIFF_BYTES
            && entry.path != key
            && policy.diffs(&entry.path)
        {
            let _ = diff::store(&self.state, &entry.path);
        }
    }

    /// ClawHub fingerprints of the skills under every watched `skills` dir.
    pub fn fingerprints(&self) -> Vec<FingerprintCheck> {
        let mut checks = Vec::new();
        for watch in self.policy.watches() {
            if watch.path.ends_with(b"/skills") {
                checks.extend(clawhub::check_skills_dir(Path::new(walk::os_path(
                    &watch.path,
                ))));
            }
        }
        checks
    }

    /// Accepts the current state of `paths` (and what lies under them) into
    /// the baseline, leaving every other entry as it was.
    pub fn accept(&self, paths: &[PathBuf], now_ms: i64) -> Result<Written, FimError> {
        let started = std::time::Instant::now();
        let mut reader = self.open_baseline()?;
        let algo = reader.info().hash;
        let key = self.signing_key(false)?;
        let mut policy = self.policy.clone();
        policy.hash = algo;
        let cwd = std::env::current_dir().map_err(io(Path::new(".")))?;
        let mut accepted: Vec<Vec<u8>> = Vec::new();
        for path in paths {
            let absolute = if path.is_absolute() {
                path.clone()
            } else {
                cwd.join(path)
            };
            let bytes = crate::policy::normalize(std::os::unix::ffi::OsStrExt::as_bytes(
                absolute.as_os_str(),
            ));
            if policy.watch_for(&bytes).is_none() {
                return Err(FimError::Policy(format!(
                    "{}: not covered by the policy",
                    display_path(&bytes)
                )));
            }
            accepted.push(bytes);
        }
        accepted.sort_by(|a, b| cmp_paths(a, b));
        accepted.dedup();
        let mut starts: Vec<Start> = Vec::new();
        for path in &accepted {
            if starts.last().is_some_and(|s| is_under(path, &s.path)) {
                continue;
            }
            let watch = policy.watch_for(path).unwrap_or(0);
            starts.push(Start {
                path: path.clone(),
                watch,
            });
        }
        let (fresh, problems) = walk::scan_to_vec(&policy, &starts, &self.limits)?;
        let generation = self.next_generation(Some(reader.info().generation))?;
        let mut writer = BaselineWriter::create(&self.baseline, algo, &key, now_ms, generation)?;
        let mut fresh = fresh.into_iter().peekable();
        while let Some(old) = reader.next_entry()? {
            while let Some(new) = fresh.next_if(|f| cmp_paths(&f.path, &old.path).is_lt()) {
                writer.push(&new)?;
                self.store_copy(&policy, &new);
            }
            if starts.iter().any(|s| is_under(&old.path, &s.path)) {
                continue;
            }
            writer.push(&old)?;
        }
        for entry in fresh {
            writer.push(&entry)?;
            self.store_copy(&policy, &entry);
        }
        let entries = writer.count();
        let baseline = self.finish_baseline(writer)?;
        Ok(Written {
            baseline,
            entries,
            problems: problems
                .into_iter()
                .map(|p| ProblemReport {
                    path: display_path(&p.path),
                    message: p.message,
                })
                .collect(),
            duration_ms: elapsed_ms(started),
        })
    }
}

/// The daemon's scheduled full check: the report's events, or one
/// `BaselineTampered` (rejected or replaced baseline) or `EngineError` event.
pub fn scheduled_check(fim: &Fim, now_ms: i64) -> (Option<Report>, Vec<Event>) {
    match fim.check(now_ms, false) {
        Ok(report) => {
            let events = report.events(now_ms);
            (Some(report), events)
        }
        Err(err) => (None, vec![error_event(fim, &err, now_ms)]),
    }
}

/// The event for a failed fim run.
pub fn error_event(fim: &Fim, err: &FimError, now_ms: i64) -> Event {
    let kind = match err {
        FimError::Tampered { .. } | FimError::Replaced { .. } => EventKind::BaselineTampered {
            path: fim.baseline.display().to_string(),
            reason: err.to_string(),
        },
        _ => EventKind::EngineError {
            engine: clawguard_event::Engine::Fim,
            message: err.to_string(),
        },
    };
    Event::new(now_ms, kind)
}

fn push_problem(list: &mut Vec<ProblemReport>, problem: walk::Problem, max: usize) {
    if list.len() < max {
        list.push(ProblemReport {
            path: display_path(&problem.path),
            message: problem.message,
        });
    }
}

fn report_digest(report: &Report) -> String {
    let mut unsigned = report.clone();
    unsigned.report_digest = String::new();
    let json = serde_json::to_vec(&unsigned).unwrap_or_default();
    blake3::hash(&json).to_hex().to_string()
}

/// The merge's running result.
struct Merge {
    algo: HashAlgo,
    max_listed: usize,
    added: Vec<String>,
    removed: Vec<String>,
    changed: Vec<Changed>,
    problems: Vec<ProblemReport>,
    summary: Summary,
}

impl Merge {
    fn new(algo: HashAlgo, max_listed: usize) -> Merge {
        Merge {
            algo,
            max_listed,
            added: Vec::new(),
            removed: Vec::new(),
            changed: Vec::new(),
            problems: Vec::new(),
            summary: Summary::default(),
        }
    }

    fn added(&mut self, entry: &Entry) {
        self.summary.added += 1;
        if self.added.len() < self.max_listed {
            self.added.push(entry.display_path());
        } else {
            self.summary.truncated = true;
        }
    }

    fn removed(&mut self, entry: &Entry) {
        self.summary.removed += 1;
        if self.removed.len() < self.max_listed {
            self.removed.push(entry.display_path());
        } else {
            self.summary.truncated = true;
        }
    }

    fn compare(&mut self, old: &Entry, new: &Entry) -> crate::attrs::AttrSet {
        let differences = new.differences(old);
        if differences.0 == 0 {
            return differences;
        }
        self.summary.changed += 1;
        if self.changed.len() < self.max_listed {
            self.changed.push(Changed {
                path: new.display_path(),
                changes: differences.names(self.algo.name()),
            });
        } else {
            self.summary.truncated = true;
        }
        differences
    }
}
