//! One open log file read from a byte offset: bounded line splitting, truncation detection,
//! positions with identity (dev, inode, head fingerprint), and matching saved positions.

use std::fs::{File, Metadata};
use std::io;
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::{Path, PathBuf};

use crate::fingerprint::{HEAD_BYTES, HeadBuffer, fingerprint};
use crate::lines::{LineSplitter, SplitLine};
use crate::{LogLine, MAX_LINE_BYTES, Position, SourceId};

/// Bytes compared at the start of the file on every drain to notice a rewritten file quickly.
const QUICK_HEAD_CHECK_BYTES: usize = 64;

/// Most directory entries inspected when looking for a rotated-away file.
const MAX_ROTATED_SCAN_ENTRIES: usize = 4096;

/// An open file being followed.
#[derive(Debug)]
pub(crate) struct OpenFile {
    /// Path used in positions (the name the file is followed under).
    pub path: PathBuf,
    file: File,
    pub dev: u64,
    pub inode: u64,
    splitter: LineSplitter,
    head: HeadBuffer,
}

impl OpenFile {
    /// Wraps an already open file.
    pub fn from_file(
        path: PathBuf,
        file: File,
        meta: &Metadata,
        offset: StartOffset,
    ) -> io::Result<Self> {
        let size = meta.len();
        let offset = match offset {
            StartOffset::At(offset) => offset.min(size),
            StartOffset::End => size,
        };
        let mut head = HeadBuffer::default();
        if offset > 0 {
            let want = offset.min(HEAD_BYTES as u64) as usize;
            let mut bytes = vec![0u8; want];
            let got = read_fully_at(&file, &mut bytes, 0)?;
            head.observe(0, &bytes[..got]);
        }
        Ok(Self {
            path,
            file,
            dev: meta.dev(),
            inode: meta.ino(),
            splitter: LineSplitter::new(MAX_LINE_BYTES, offset),
            head,
        })
    }

    /// Reads the next chunk: `Some(lines)` (possibly empty) or `None` at end of file.
    /// A file now shorter than the read offset was truncated: reading restarts at 0.
    pub fn read_chunk(&mut self, buf: &mut [u8]) -> io::Result<Option<Vec<SplitLine>>> {
        let size = self.file.metadata()?.len();
        if size < self.splitter.offset() {
            tracing::info!(path = %self.path.display(), size, offset = self.splitter.offset(),
                "File truncated, reading from the start.");
            self.restart_from_zero();
        }
        let offset = self.splitter.offset();
        let read = self.file.read_at(buf, offset)?;
        if read == 0 {
            return Ok(None);
        }
        // Re-check the head after the read: a file rewritten in place between
        // the last head check and this read would otherwise be read on from
        // the old offset (the tail of a new line). A rewrite after this check
        // is caught by the next one.
        if self.head_changed(QUICK_HEAD_CHECK_BYTES)? {
            tracing::info!(path = %self.path.display(), "File content replaced in place, reading from the start.");
            self.restart_from_zero();
            return Ok(Some(Vec::new()));
        }
        let chunk = &buf[..read];
        self.head.observe(offset, chunk);
        Ok(Some(self.splitter.feed(chunk)))
    }

    /// Checks that the first bytes still match what was read (a rewritten or copytruncated
    /// file that already grew past our offset); restarts at 0 if not. `deep` compares up to
    /// `HEAD_BYTES`, otherwise only a few bytes.
    pub fn verify_head(&mut self, deep: bool) -> io::Result<()> {
        let limit = if deep {
            HEAD_BYTES
        } else {
            QUICK_HEAD_CHECK_BYTES
        };
        if self.head_changed(limit)? {
            tracing::info!(path = %self.path.display(), "File content replaced in place, reading from the start.");
            self.restart_from_zero();
        }
        Ok(())
    }

    /// Whether the first `limit` known head bytes differ from the file's now.
    fn head_changed(&self, limit: usize) -> io::Result<bool> {
        let known = self.head.bytes().len().min(limit);
        if known == 0 {
            return Ok(false);
        }
        let mut now = [0u8; HEAD_BYTES];
        let got = read_fully_at(&self.file, &mut now[..known], 0)?;
        Ok(now[..got] != self.head.bytes()[..known])
    }

    fn restart_from_zero(&mut self) {
        self.splitter = LineSplitter::new(MAX_LINE_BYTES, 0);
        self.head = HeadBuffer::default();
    }

    /// The held incomplete last line, delivered when the file is left for good.
    pub fn flush_partial(&mut self) -> Option<SplitLine> {
        self.splitter.flush_partial()
    }

    /// Link count now (0 once the file was deleted).
    pub fn nlink(&self) -> io::Result<u64> {
        Ok(self.file.metadata()?.nlink())
    }

    /// Whether `meta` describes this same file.
    pub fn is_same(&self, meta: &Metadata) -> bool {
        meta.dev() == self.dev && meta.ino() == self.inode
    }

    /// The position just after a line ending at `end_offset`.
    pub fn position(&self, end_offset: u64) -> Position {
        let (head_len, head) = self.head.at(end_offset);
        Position::File {
            path: self.path.clone(),
            dev: self.dev,
            inode: self.inode,
            offset: end_offset,
            head_len,
            head,
        }
    }

    /// Builds the delivered line.
    pub fn log_line(&self, source: &SourceId, line: SplitLine) -> LogLine {
        LogLine {
            source: source.clone(),
            position: self.position(line.end_offset),
            bytes: line.bytes,
            truncated: line.truncated,
            time_ms: None,
        }
    }
}

/// Where to start reading a newly opened file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StartOffset {
    /// This byte offset.
    At(u64),
    /// The current end of file.
    End,
}

/// How a saved position relates to the file now open under its path.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum SavedMatch {
    /// Same file, resume at the saved offset.
    Same(u64),
    /// Same inode but shorter or rewritten: read from 0.
    Rewritten,
    /// Another file (rotated while stopped).
    Other,
}

/// Compares a saved file position with an open file.
pub(crate) fn match_saved(file: &File, meta: &Metadata, saved: &Position) -> SavedMatch {
    let Position::File {
        dev,
        inode,
        offset,
        head_len,
        head,
        ..
    } = saved
    else {
        return SavedMatch::Other;
    };
    if meta.dev() != *dev || meta.ino() != *inode {
        return SavedMatch::Other;
    }
    if meta.len() < *offset || !head_matches(file, *head_len, head) {
        return SavedMatch::Rewritten;
    }
    SavedMatch::Same(*offset)
}

fn head_matches(file: &File, head_len: u16, head: &[u8; 32]) -> bool {
    let len = usize::from(head_len).min(HEAD_BYTES);
    let mut bytes = vec![0u8; len];
    match read_fully_at(file, &mut bytes, 0) {
        Ok(got) if got == len => fingerprint(&bytes) == *head,
        _ => false,
    }
}

/// Looks in the saved path's directory for the file the saved position refers to (renamed by
/// rotation while we were stopped), returning it opened at the saved offset.
pub(crate) fn find_rotated(
    saved: &Position,
    open: impl Fn(&Path) -> io::Result<(File, Metadata)>,
) -> Option<OpenFile> {
    let Position::File {
        path, dev, inode, ..
    } = saved
    else {
        return None;
    };
    let dir = path.parent()?;
    let entries = std::fs::read_dir(dir).ok()?;
    for entry in entries.take(MAX_ROTATED_SCAN_ENTRIES).flatten() {
        let candidate = entry.path();
        let Ok(meta) = std::fs::symlink_metadata(&candidate) else {
            continue;
        };
        if !meta.is_file() || meta.dev() != *dev || meta.ino() != *inode {
            continue;
        }
        let (file, meta) = open(&candidate).ok()?;
        if let SavedMatch::Same(offset) = match_saved(&file, &meta, saved) {
            tracing::info!(rotated = %candidate.display(), path = %path.display(),
                "Reading the rest of a file rotated while stopped.");
            return OpenFile::from_file(path.clone(), file, &meta, StartOffset::At(offset)).ok();
        }
        return None;
    }
    None
}

/// `read_at` until `buf` is full or end of file; returns the bytes read.
fn read_fully_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    let mut done = 0;
    while done < buf.len() {
        let read = file.read_at(&mut buf[done..], offset + done as u64)?;
        if read == 0 {
            break;
        }
        done += read;
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(file: &mut OpenFile) -> Vec<String> {
        let mut buf = vec![0u8; 4096];
        let mut out = Vec::new();
        for _ in 0..10 {
            match file.read_chunk(&mut buf).unwrap() {
                Some(lines) => out.extend(
                    lines
                        .into_iter()
                        .map(|l| String::from_utf8(l.bytes).unwrap()),
                ),
                None => return out,
            }
        }
        panic!("read_chunk did not reach the end");
    }

    /// A rewrite in place between the last head check and the next read
    /// (no truncation ever seen, file now longer than the offset) is read
    /// from the start, not from the old offset.
    #[test]
    fn a_rewrite_before_the_read_restarts_at_zero() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log");
        std::fs::write(&path, b"x1\n").unwrap();
        let file = File::open(&path).unwrap();
        let meta = file.metadata().unwrap();
        let mut tail = OpenFile::from_file(path.clone(), file, &meta, StartOffset::At(0)).unwrap();
        assert_eq!(read_all(&mut tail), ["x1"]);
        std::fs::write(&path, b"y1 rewritten\ny2\n").unwrap();
        assert_eq!(read_all(&mut tail), ["y1 rewritten", "y2"]);
        // Appends after that are read on as usual.
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        std::io::Write::write_all(&mut f, b"y3\n").unwrap();
        assert_eq!(read_all(&mut tail), ["y3"]);
    }
}
