//! File identity fingerprint: a hash of the first bytes of a file.
//!
//! The fingerprint covers the first `min(offset, HEAD_BYTES)` bytes, i.e. only bytes already
//! consumed, so a saved position can always be checked against the same byte range of the file
//! found on restart. Because it covers bytes rather than "the first line", a file starting with an
//! empty line (fail2ban #3365) still gets a meaningful fingerprint once more bytes are read.
//! Layout (opaque to callers): FNV-1a-128 of the covered bytes, then the first 16 bytes raw.

/// Number of leading bytes the fingerprint covers at most.
pub const HEAD_BYTES: usize = 4096;

/// Fingerprint of `bytes` (the caller passes at most [`HEAD_BYTES`] bytes).
pub(crate) fn fingerprint(bytes: &[u8]) -> [u8; 32] {
    const OFFSET_BASIS: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
    let mut hash = OFFSET_BASIS;
    for &byte in bytes {
        hash ^= u128::from(byte);
        hash = hash.wrapping_mul(PRIME);
    }
    let mut out = [0u8; 32];
    out[..16].copy_from_slice(&hash.to_le_bytes());
    let raw = bytes.len().min(16);
    out[16..16 + raw].copy_from_slice(&bytes[..raw]);
    out
}

/// The first bytes of an open file, kept to compute fingerprints of positions in it.
#[derive(Debug, Default)]
pub(crate) struct HeadBuffer {
    bytes: Vec<u8>,
    /// Cached fingerprint once `HEAD_BYTES` are known.
    full: Option<[u8; 32]>,
}

impl HeadBuffer {
    /// Records bytes read at `offset` if they fall into the head region.
    pub fn observe(&mut self, offset: u64, chunk: &[u8]) {
        let known = self.bytes.len() as u64;
        if offset > known || known >= HEAD_BYTES as u64 {
            return;
        }
        // `offset <= known < HEAD_BYTES`, so these conversions cannot truncate.
        let skip = (known - offset) as usize;
        if skip >= chunk.len() {
            return;
        }
        let take = (HEAD_BYTES - self.bytes.len()).min(chunk.len() - skip);
        self.bytes.extend_from_slice(&chunk[skip..skip + take]);
        if self.bytes.len() == HEAD_BYTES {
            self.full = Some(fingerprint(&self.bytes));
        }
    }

    /// The head bytes known so far.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Number of head bytes and fingerprint for a position at `offset`.
    pub fn at(&self, offset: u64) -> (u16, [u8; 32]) {
        let covered = offset.min(self.bytes.len() as u64) as usize;
        // `covered <= HEAD_BYTES`, which fits u16.
        let len = covered as u16;
        if covered == HEAD_BYTES
            && let Some(full) = self.full
        {
            return (len, full);
        }
        (len, fingerprint(&self.bytes[..covered]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_buffer_matches_direct_fingerprint() {
        let data: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        let mut head = HeadBuffer::default();
        for (i, chunk) in data.chunks(1000).enumerate() {
            head.observe((i * 1000) as u64, chunk);
        }
        assert_eq!(head.at(1), (1, fingerprint(&data[..1])));
        assert_eq!(head.at(3000), (3000, fingerprint(&data[..3000])));
        assert_eq!(head.at(9000), (4096, fingerprint(&data[..HEAD_BYTES])));
    }

    #[test]
    fn empty_first_line_differs_once_more_is_read() {
        assert_ne!(fingerprint(b"\nline a\n"), fingerprint(b"\nline b\n"));
        assert_eq!(fingerprint(b"\n"), fingerprint(b"\n"));
    }
}
