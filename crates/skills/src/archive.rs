//! Archives as ClawHub delivers them (zip, tar.gz), read in memory and never
//! extracted. Bombs, traversal names and links are rejected with findings.

use std::io::Read;
use std::path::Path;

use crate::model::Limits;
use crate::source::{SkillFile, SkillSource};
use crate::zip_layout::{ZipEntry, has_end_record, locals_in, read_layout};
use crate::{Severity, SkillsError};

/// Below this many decompressed bytes the ratio check is not applied (tiny
/// highly-compressible text files are normal).
const RATIO_FLOOR: u64 = 1 << 20;

/// Whether `path` names an archive this reader understands.
pub fn is_archive_path(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    name.ends_with(".zip")
        || name.ends_with(".skill")
        || name.ends_with(".tar.gz")
        || name.ends_with(".tgz")
}

/// Reads an archive held in memory. `origin` names it in reports.
pub fn read_archive(
    origin: &str,
    bytes: &[u8],
    limits: &Limits,
) -> Result<SkillSource, SkillsError> {
    let stem = Path::new(origin)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = ["tar.gz", "tgz", "zip", "skill"]
        .iter()
        .find_map(|ext| stem.strip_suffix(&format!(".{ext}")))
        .unwrap_or(&stem)
        .to_string();
    let mut source = SkillSource::new(origin, stem);
    if bytes.starts_with(&[0x1f, 0x8b]) {
        read_tar_gz(origin, bytes, limits, &mut source)?;
    } else if bytes.starts_with(b"PK") || has_end_record(bytes) {
        // A zip may carry anything in front (unzip reads from the end).
        read_zip(origin, bytes, limits, &mut source)?;
    } else {
        return Err(SkillsError::Archive {
            path: origin.to_string(),
            reason: "neither a zip nor a gzip file".into(),
        });
    }
    strip_common_root(&mut source);
    source.files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(source)
}

/// A safe relative path from an archive entry name, or `None` when the name
/// is absolute, climbs out (`..`), or holds NUL or a drive prefix.
fn safe_entry_path(raw: &[u8]) -> Option<String> {
    let name = String::from_utf8_lossy(raw).replace('\\', "/");
    if name.starts_with('/') || name.contains('\0') || name.as_bytes().get(1) == Some(&b':') {
        return None;
    }
    let mut parts = Vec::new();
    for part in name.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            p => parts.push(p),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

struct Budget<'a> {
    limits: &'a Limits,
    total: u64,
    stopped: bool,
}

impl Budget<'_> {
    /// Bytes this entry may still produce, or `None` (and a finding) when a
    /// skill-wide cap is reached.
    fn entry_cap(&mut self, source: &mut SkillSource, name: &str) -> Option<u64> {
        if self.stopped {
            return None;
        }
        if source.files.len() as u32 >= self.limits.max_files {
            self.stopped = true;
            source.note(
                "reader.truncated",
                Severity::Medium,
                name,
                format!(
                    "archive holds more than {} files; the rest was not read",
                    self.limits.max_files
                ),
            );
            return None;
        }
        if self.total >= self.limits.max_total_bytes {
            self.stopped = true;
            source.note(
                "archive.bomb",
                Severity::High,
                name,
                format!(
                    "archive expands past {} bytes; rejected",
                    self.limits.max_total_bytes
                ),
            );
            return None;
        }
        Some(
            self.limits
                .max_file_bytes
                .min(self.limits.max_total_bytes - self.total),
        )
    }

    fn push(&mut self, source: &mut SkillFile, sink: &mut SkillSource) {
        self.total += source.bytes.len() as u64;
        sink.files.push(std::mem::replace(
            source,
            SkillFile {
                path: String::new(),
                bytes: Vec::new(),
                truncated: false,
            },
        ));
    }
}

fn read_zip(
    origin: &str,
    bytes: &[u8],
    limits: &Limits,
    source: &mut SkillSource,
) -> Result<(), SkillsError> {
    let layout = read_layout(bytes, u64::from(limits.max_files) * 4).map_err(|reason| {
        SkillsError::Archive {
            path: origin.to_string(),
            reason,
        }
    })?;
    if layout.prefix_len > 0 {
        source.note(
            "archive.prefix-data",
            Severity::High,
            "",
            format!(
                "{} bytes before the first entry: a streaming extractor may read another archive hidden there",
                layout.prefix_len
            ),
        );
    }
    if layout.uncounted_central {
        source.note(
            "archive.header-mismatch",
            Severity::High,
            "",
            "the central directory holds other records than its end record counts".into(),
        );
    }
    let mut budget = Budget {
        limits,
        total: 0,
        stopped: false,
    };
    let mut seen = std::collections::HashSet::new();
    let mut tails = Vec::new();
    // Every central record, then every local header none of them points to:
    // each copy an extractor might write is scanned.
    let hidden = layout.hidden.iter().map(|e| (e, true));
    for (entry, unreferenced) in layout.entries.iter().map(|e| (e, false)).chain(hidden) {
        if !read_zip_entry(
            bytes,
            entry,
            unreferenced,
            &mut seen,
            &mut budget,
            &mut tails,
            source,
        ) {
            return Ok(());
        }
    }
    // Bytes an entry declares but its deflate stream does not use: a
    // streaming extractor reads on from the stream's end and finds whatever
    // local header is there. Each is searched like any gap between entries;
    // every signature hit spends one of `hits`, so this ends.
    let mut hits = u64::from(limits.max_files) * 4;
    while let Some((start, end)) = tails.pop() {
        for entry in locals_in(bytes, start, end, &mut hits) {
            if !read_zip_entry(
                bytes,
                &entry,
                true,
                &mut seen,
                &mut budget,
                &mut tails,
                source,
            ) {
                return Ok(());
            }
        }
    }
    Ok(())
}

/// Inflates `raw` into at most `read_cap + 1` bytes of output, then (when
/// the output was cut there) on into nothing up to `drain_cap` output bytes,
/// to learn where the deflate stream ends. Returns the output and the
/// compressed bytes the stream used, or `None` for them when it runs past
/// `drain_cap`.
fn inflate(raw: &[u8], read_cap: u64, drain_cap: u64) -> std::io::Result<(Vec<u8>, Option<u64>)> {
    let mut decoder = flate2::bufread::DeflateDecoder::new(raw);
    let mut data = Vec::new();
    (&mut decoder).take(read_cap + 1).read_to_end(&mut data)?;
    if data.len() as u64 <= read_cap {
        return Ok((data, Some(decoder.total_in())));
    }
    let rest = drain_cap.saturating_sub(data.len() as u64);
    let drained = std::io::copy(&mut (&mut decoder).take(rest + 1), &mut std::io::sink())?;
    let used = (drained <= rest).then(|| decoder.total_in());
    Ok((data, used))
}

/// Reads one zip entry into `source`. False when reading must stop (a cap
/// or a bomb).
fn read_zip_entry(
    bytes: &[u8],
    entry: &ZipEntry,
    unreferenced: bool,
    seen: &mut std::collections::HashSet<String>,
    budget: &mut Budget<'_>,
    tails: &mut Vec<(u64, u64)>,
    source: &mut SkillSource,
) -> bool {
    let limits = budget.limits;
    let Some(path) = safe_entry_path(&entry.name) else {
        source.note(
            "archive.traversal",
            Severity::High,
            &crate::model::sanitize_evidence(&entry.name),
            "entry name is absolute or climbs out of the archive (path traversal); rejected".into(),
        );
        return true;
    };
    if unreferenced {
        source.note(
            "archive.prefix-data",
            Severity::High,
            &path,
            "local header no central directory record points to: only a streaming extractor sees it; scanned".into(),
        );
    }
    if let Some(why) = &entry.mismatch {
        source.note(
            "archive.header-mismatch",
            Severity::High,
            &path,
            format!("local header and central directory disagree: {why}"),
        );
    }
    if entry.is_symlink() {
        source.note(
            "archive.symlink",
            Severity::High,
            &path,
            "symlink entry in archive; rejected".into(),
        );
        return true;
    }
    if entry.is_dir() {
        return true;
    }
    if !seen.insert(path.clone()) {
        source.note(
            "archive.duplicate-entry",
            Severity::High,
            &path,
            "more than one entry of this name: extractors disagree on which copy wins; every copy is scanned".into(),
        );
    }
    if entry.is_encrypted() {
        source.note(
            "archive.encrypted",
            Severity::High,
            &path,
            "password-protected entry: its content cannot be audited".into(),
        );
        return true;
    }
    let (declared, compressed) = (entry.size, entry.compressed_size);
    // Declared sizes can lie (the read below is bounded anyway), but an
    // honest bomb announces itself.
    if declared > RATIO_FLOOR && declared / compressed.max(1) > u64::from(limits.max_archive_ratio)
    {
        source.note(
            "archive.bomb",
            Severity::High,
            &path,
            format!(
                "entry declares {declared} bytes from {compressed} compressed (more than {}x); rejected",
                limits.max_archive_ratio
            ),
        );
        return false;
    }
    let Some(cap) = budget.entry_cap(source, &path) else {
        return false;
    };
    let Some(raw) = entry.data(bytes) else {
        source.note(
            "archive.corrupt",
            Severity::Medium,
            &path,
            "entry data runs past the end of the archive".into(),
        );
        return true;
    };
    let ratio_cap = compressed
        .max(1)
        .saturating_mul(u64::from(limits.max_archive_ratio))
        .max(RATIO_FLOOR);
    let read_cap = cap.min(ratio_cap);
    let mut data = Vec::new();
    let mut past_ratio = false;
    let read = match entry.method {
        0 => raw.take(read_cap + 1).read_to_end(&mut data).map(|_| ()),
        8 => inflate(raw, read_cap, ratio_cap).map(|(out, used)| {
            data = out;
            match used {
                Some(used) if used < compressed => {
                    source.note(
                        "archive.header-mismatch",
                        Severity::High,
                        &path,
                        format!(
                            "deflate stream ends after {used} of the {compressed} compressed bytes declared: a streaming extractor reads on into the rest; searched for hidden entries"
                        ),
                    );
                    // In bounds: `raw` (that many bytes from data_start) was read.
                    tails.push((entry.data_start + used, entry.data_start + compressed));
                }
                Some(_) => {}
                // Ran past the ratio cap while looking for its end.
                None => past_ratio = true,
            }
        }),
        other => {
            source.note(
                "archive.corrupt",
                Severity::Medium,
                &path,
                format!("compression method {other} is not supported: entry not audited"),
            );
            return true;
        }
    };
    if read.is_err() {
        source.note(
            "archive.corrupt",
            Severity::Medium,
            &path,
            "entry data is corrupt".into(),
        );
        return true;
    }
    if past_ratio || (data.len() as u64 > ratio_cap && ratio_cap <= cap) {
        source.note(
            "archive.bomb",
            Severity::High,
            &path,
            format!(
                "entry expands more than {}x its compressed size; rejected",
                limits.max_archive_ratio
            ),
        );
        return false;
    }
    if data.len() as u64 <= read_cap && !unreferenced {
        let mut crc = flate2::Crc::new();
        crc.update(&data);
        if crc.sum() != entry.crc32 || data.len() as u64 != declared {
            source.note(
                "archive.corrupt",
                Severity::Medium,
                &path,
                "entry content does not match its recorded size or CRC".into(),
            );
        }
    }
    let mut file = source.capped_file(path, data, cap);
    budget.push(&mut file, source);
    true
}

fn read_tar_gz(
    origin: &str,
    bytes: &[u8],
    limits: &Limits,
    source: &mut SkillSource,
) -> Result<(), SkillsError> {
    let bad = |reason: String| SkillsError::Archive {
        path: origin.to_string(),
        reason,
    };
    // The whole decompressed stream is bounded: ratio and total.
    let stream_cap = (bytes.len() as u64)
        .saturating_mul(u64::from(limits.max_archive_ratio))
        .max(RATIO_FLOOR)
        .min(limits.max_total_bytes.saturating_mul(2));
    // Every gzip member, and entries past an end-of-archive marker: `gzip -d`
    // joins concatenated members and `tar -i` reads on past zero blocks, so
    // a payload hidden in either place still reaches some extractor.
    let gz = flate2::read::MultiGzDecoder::new(bytes);
    let mut counted = CountingReader {
        inner: gz.take(stream_cap),
        count: 0,
    };
    let mut tar = tar::Archive::new(&mut counted);
    tar.set_ignore_zeros(true);
    let mut budget = Budget {
        limits,
        total: 0,
        stopped: false,
    };
    let entries = tar.entries().map_err(|e| bad(e.to_string()))?;
    let mut seen: u64 = 0;
    for entry in entries {
        seen += 1;
        if seen > u64::from(limits.max_files) * 4 {
            source.note(
                "reader.truncated",
                Severity::Medium,
                "",
                "archive holds too many entries; the rest was not read".into(),
            );
            break;
        }
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                source.note(
                    "archive.corrupt",
                    Severity::Medium,
                    "",
                    format!("archive stops early: {e}"),
                );
                break;
            }
        };
        let raw_name = entry.path_bytes().into_owned();
        let Some(path) = safe_entry_path(&raw_name) else {
            source.note(
                "archive.traversal",
                Severity::High,
                &crate::model::sanitize_evidence(&raw_name),
                "entry name is absolute or climbs out of the archive (path traversal); rejected"
                    .into(),
            );
            continue;
        };
        let kind = entry.header().entry_type();
        if kind.is_symlink() || kind.is_hard_link() {
            source.note(
                "archive.symlink",
                Severity::High,
                &path,
                "link entry in archive; rejected".into(),
            );
            continue;
        }
        if matches!(
            kind,
            tar::EntryType::Char | tar::EntryType::Block | tar::EntryType::Fifo
        ) {
            // Extracted as root, a device node gives raw access to a disk or
            // memory; a fifo hangs whoever reads it.
            source.note(
                "archive.special-file",
                Severity::High,
                &path,
                "device or fifo entry in archive; rejected".into(),
            );
            continue;
        }
        if !(kind.is_file() || kind == tar::EntryType::Continuous) {
            continue;
        }
        let Some(cap) = budget.entry_cap(source, &path) else {
            break;
        };
        let mut data = Vec::new();
        if entry.take(cap + 1).read_to_end(&mut data).is_err() {
            source.note(
                "archive.corrupt",
                Severity::Medium,
                &path,
                "entry data is corrupt".into(),
            );
            break;
        }
        let mut file = source.capped_file(path, data, cap);
        budget.push(&mut file, source);
    }
    if counted.count >= stream_cap && stream_cap < limits.max_total_bytes.saturating_mul(2) {
        source.note(
            "archive.bomb",
            Severity::High,
            "",
            format!(
                "archive expands more than {}x its compressed size; rejected",
                limits.max_archive_ratio
            ),
        );
    } else if counted.count >= stream_cap {
        source.note(
            "archive.bomb",
            Severity::High,
            "",
            format!("archive expands past {stream_cap} bytes; rejected"),
        );
    }
    Ok(())
}

struct CountingReader<R> {
    inner: R,
    count: u64,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

/// ClawHub archives often wrap the skill in one top directory: drop it so
/// paths read as in an installed skill.
fn strip_common_root(source: &mut SkillSource) {
    if source.files.is_empty() || source.files.iter().any(|f| !f.path.contains('/')) {
        return;
    }
    let first = source.files[0]
        .path
        .split('/')
        .next()
        .unwrap_or("")
        .to_string();
    let prefix = format!("{first}/");
    if source.files.iter().all(|f| f.path.starts_with(&prefix)) {
        for f in &mut source.files {
            f.path = f.path[prefix.len()..].to_string();
        }
        for f in &mut source.reader_findings {
            if let Some(rest) = f.file.strip_prefix(&prefix) {
                f.file = rest.to_string();
            }
        }
        if source.dir_name.is_empty() {
            source.dir_name = first;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::safe_entry_path;

    #[test]
    fn traversal_names_are_refused() {
        assert_eq!(safe_entry_path(b"../etc/passwd"), None);
        assert_eq!(safe_entry_path(b"/etc/passwd"), None);
        assert_eq!(safe_entry_path(b"a/../../b"), None);
        assert_eq!(safe_entry_path(b"C:\\x"), None);
        assert_eq!(
            safe_entry_path(b"skill/./SKILL.md").as_deref(),
            Some("skill/SKILL.md")
        );
    }
}
