//! One line the daemon keeps in the state directory saying whether the state
//! database takes writes, for `clawguard status`.
//!
//! The file is filled to its full size when created and later only
//! overwritten in place, so it can still be updated when the disk is full
//! (the case it exists to report).

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

/// File name inside the state directory.
pub const HEALTH_FILE: &str = "daemon-health";
/// Size of the file; longer text is cut.
pub const HEALTH_BYTES: usize = 512;

/// The daemon's open health file.
#[derive(Debug)]
pub struct HealthFile {
    file: File,
}

impl HealthFile {
    /// Create (or reuse) the file in `dir`, at its full size.
    pub fn create(dir: &Path) -> std::io::Result<HealthFile> {
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(dir.join(HEALTH_FILE))?;
        if file.metadata()?.len() != HEALTH_BYTES as u64 {
            file.set_len(0)?;
            // Real bytes, not a sparse length: later writes need no new space.
            file.write_all(&[b' '; HEALTH_BYTES])?;
            file.sync_all()?;
        }
        Ok(HealthFile { file })
    }

    /// Replace the line (cut to fit, on a character boundary).
    pub fn write(&mut self, line: &str) -> std::io::Result<()> {
        let mut end = line.len().min(HEALTH_BYTES - 1);
        while !line.is_char_boundary(end) {
            end -= 1;
        }
        let mut buf = [b' '; HEALTH_BYTES];
        buf[..end].copy_from_slice(&line.as_bytes()[..end]);
        buf[end] = b'\n';
        self.file.seek(SeekFrom::Start(0))?;
        self.file.write_all(&buf)
    }
}

/// The line the daemon last wrote, if the file exists and is a regular file.
pub fn read(dir: &Path) -> Option<String> {
    let path = dir.join(HEALTH_FILE);
    if !std::fs::symlink_metadata(&path).ok()?.is_file() {
        return None;
    }
    let mut text = String::new();
    File::open(path)
        .ok()?
        .take(HEALTH_BYTES as u64)
        .read_to_string(&mut text)
        .ok()?;
    let line = text.lines().next()?.trim();
    (!line.is_empty()).then(|| line.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overwrites_in_place_and_cuts_long_lines() {
        let dir = tempfile::tempdir().unwrap();
        let mut health = HealthFile::create(dir.path()).unwrap();
        health.write("degraded: disk full").unwrap();
        assert_eq!(read(dir.path()).as_deref(), Some("degraded: disk full"));
        health.write("ok").unwrap();
        assert_eq!(read(dir.path()).as_deref(), Some("ok"));
        let long = "é".repeat(HEALTH_BYTES);
        health.write(&long).unwrap();
        let back = read(dir.path()).unwrap();
        assert!(back.len() < HEALTH_BYTES && back.chars().all(|c| c == 'é'));
        let size = std::fs::metadata(dir.path().join(HEALTH_FILE))
            .unwrap()
            .len();
        assert_eq!(size, HEALTH_BYTES as u64);
        // Reopening keeps the file at its size.
        drop(HealthFile::create(dir.path()).unwrap());
        assert_eq!(read(dir.path()), Some(back));
    }

    #[test]
    fn a_fifo_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        mkfifo(&dir.path().join(HEALTH_FILE));
        assert_eq!(read(dir.path()), None);
    }

    fn mkfifo(path: &Path) {
        let status = std::process::Command::new("mkfifo")
            .arg(path)
            .status()
            .unwrap();
        assert!(status.success());
    }
}
