//! Bounded line splitting over a byte stream.
//!
//! Lines end at `\n`; trailing `\r` bytes are stripped (as fail2ban does). A line longer than the
//! bound keeps only its first `max_len` bytes and is flagged truncated; the rest of it is skipped
//! without being buffered, so memory stays bounded by `max_len` whatever the input.

/// One complete line cut from the stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SplitLine {
    /// Line content without the `\n` (and without trailing `\r` unless truncated).
    pub bytes: Vec<u8>,
    /// The line was longer than the bound and was cut.
    pub truncated: bool,
    /// Stream offset just after the line's `\n`.
    pub end_offset: u64,
}

/// Incremental splitter: feed chunks, get complete lines; the partial last line is held.
#[derive(Debug)]
pub(crate) struct LineSplitter {
    max_len: usize,
    /// Start of the current (incomplete) line.
    pending: Vec<u8>,
    /// The current line went past `max_len`; its remaining bytes are dropped until `\n`.
    overflowed: bool,
    /// Stream offset of the next byte to be fed.
    offset: u64,
    /// Stream offset where the current incomplete line starts.
    line_start: u64,
}

impl LineSplitter {
    /// A splitter whose next fed byte is at stream offset `offset`.
    pub fn new(max_len: usize, offset: u64) -> Self {
        Self {
            max_len,
            pending: Vec::new(),
            overflowed: false,
            offset,
            line_start: offset,
        }
    }

    /// Offset just after the last complete line (where a restart must resume).
    #[cfg(test)]
    pub fn committed_offset(&self) -> u64 {
        self.line_start
    }

    /// Offset of the next byte to feed.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// Bytes currently held for the incomplete line (never more than `max_len`).
    #[cfg(test)]
    pub fn held_capacity(&self) -> usize {
        self.pending.capacity()
    }

    /// Feeds the next chunk; returns the lines it completes.
    pub fn feed(&mut self, chunk: &[u8]) -> Vec<SplitLine> {
        let mut lines = Vec::new();
        let mut start = 0;
        for newline in memchr::memchr_iter(b'\n', chunk) {
            self.append(&chunk[start..newline]);
            self.offset += (newline + 1 - start) as u64;
            lines.push(self.take_line());
            start = newline + 1;
        }
        let rest = &chunk[start..];
        self.append(rest);
        self.offset += rest.len() as u64;
        lines
    }

    /// Returns the held incomplete line, if any, as if it had ended at the current offset.
    pub fn flush_partial(&mut self) -> Option<SplitLine> {
        if self.offset == self.line_start {
            return None;
        }
        Some(self.take_line())
    }

    fn append(&mut self, part: &[u8]) {
        if self.overflowed || part.is_empty() {
            return;
        }
        let room = self.max_len - self.pending.len();
        if part.len() > room {
            if self.pending.capacity() < self.max_len {
                self.pending
                    .reserve_exact(self.max_len - self.pending.len());
            }
            self.pending.extend_from_slice(&part[..room]);
            self.overflowed = true;
        } else {
            self.pending.extend_from_slice(part);
        }
    }

    fn take_line(&mut self) -> SplitLine {
        let truncated = self.overflowed;
        let mut bytes = std::mem::take(&mut self.pending);
        if !truncated {
            while bytes.last() == Some(&b'\r') {
                bytes.pop();
            }
        }
        self.overflowed = false;
        self.line_start = self.offset;
        SplitLine {
            bytes,
            truncated,
            end_offset: self.offset,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_tracks_offsets() {
        let mut s = LineSplitter::new(16, 100);
        let lines = s.feed(b"ab\ncd\r\n\nef");
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].bytes, b"ab");
        assert_eq!(lines[0].end_offset, 103);
        assert_eq!(lines[1].bytes, b"cd");
        assert_eq!(lines[1].end_offset, 107);
        assert_eq!(lines[2].bytes, b"");
        assert_eq!(lines[2].end_offset, 108);
        assert_eq!(s.committed_offset(), 108);
        assert_eq!(s.offset(), 110);
        let lines = s.feed(b"gh\n");
        assert_eq!(lines[0].bytes, b"efgh");
        assert_eq!(lines[0].end_offset, 113);
        assert!(s.flush_partial().is_none());
    }

    #[test]
    fn line_at_bound_is_whole_and_one_past_is_truncated() {
        let mut s = LineSplitter::new(4, 0);
        let lines = s.feed(b"abcd\nabcde\nx\n");
        assert_eq!(lines[0].bytes, b"abcd");
        assert!(!lines[0].truncated);
        assert_eq!(lines[1].bytes, b"abcd");
        assert!(lines[1].truncated);
        assert_eq!(lines[1].end_offset, 11);
        assert_eq!(lines[2].bytes, b"x");
        assert!(!lines[2].truncated);
    }

    #[test]
    fn ten_megabyte_line_stays_bounded() {
        let max = crate::MAX_LINE_BYTES;
        let mut s = LineSplitter::new(max, 0);
        let chunk = vec![b'z'; 64 * 1024];
        for _ in 0..160 {
            assert!(s.feed(&chunk).is_empty());
            assert!(s.held_capacity() <= max, "held {}", s.held_capacity());
        }
        let lines = s.feed(b"\nnext\n");
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].bytes.len(), max);
        assert!(lines[0].truncated);
        assert_eq!(lines[0].end_offset, 160 * 64 * 1024 + 1);
        assert_eq!(lines[1].bytes, b"next");
    }

    #[test]
    fn partial_line_flushes() {
        let mut s = LineSplitter::new(8, 0);
        assert!(s.feed(b"abc").is_empty());
        assert_eq!(s.committed_offset(), 0);
        let line = s.flush_partial().expect("partial");
        assert_eq!(line.bytes, b"abc");
        assert_eq!(line.end_offset, 3);
    }
}
