//! The zip container read by hand, as both kinds of extractor read it: the
//! central directory (`unzip`, most libraries) and the local headers in file
//! order (streaming extractors). Where the two disagree an attacker can show
//! the auditor one file and install another, so every disagreement is kept
//! for the caller to report: a duplicate name (libraries keep one copy,
//! which one differs), data before the first entry (a hidden archive), local
//! headers no central record points to, and local headers that contradict
//! their central record. Nothing here decompresses or allocates per byte;
//! where a deflate stream ends before its declared size the caller searches
//! the rest with [`locals_in`].

/// One entry as its central directory record describes it, checked against
/// its local header.
#[derive(Debug, Clone)]
pub(crate) struct ZipEntry {
    pub name: Vec<u8>,
    pub flags: u16,
    pub method: u16,
    pub crc32: u32,
    pub compressed_size: u64,
    pub size: u64,
    /// Unix mode from the external attributes, when made on Unix.
    pub unix_mode: Option<u32>,
    /// Absolute offset of the entry's data in the buffer.
    pub data_start: u64,
    /// How the local header contradicts the central record, if it does.
    pub mismatch: Option<String>,
}

impl ZipEntry {
    pub fn is_encrypted(&self) -> bool {
        self.flags & 1 != 0
    }

    /// By name, as extractors decide: a file entry with a directory mode is
    /// still written as a file, so its content is read.
    pub fn is_dir(&self) -> bool {
        self.name.ends_with(b"/")
    }

    pub fn is_symlink(&self) -> bool {
        self.unix_mode.is_some_and(|m| m & 0o170000 == 0o120000)
    }

    /// The entry's compressed bytes, or `None` when they run past the buffer.
    pub fn data<'a>(&self, bytes: &'a [u8]) -> Option<&'a [u8]> {
        let start = usize::try_from(self.data_start).ok()?;
        let end = start.checked_add(usize::try_from(self.compressed_size).ok()?)?;
        bytes.get(start..end)
    }
}

/// A zip as read: the central directory's entries plus what only a
/// streaming reader would see.
#[derive(Debug, Default)]
pub(crate) struct ZipLayout {
    pub entries: Vec<ZipEntry>,
    /// Bytes before the first entry (a self-extractor stub or a hidden
    /// archive), if any.
    pub prefix_len: u64,
    /// Local headers no central record points to (in the prefix or between
    /// entries), read from their own header fields, in file order.
    pub hidden: Vec<ZipEntry>,
    /// The central directory holds more (or less) than its end record counts:
    /// readers that trust the count and readers that walk the records differ.
    pub uncounted_central: bool,
}

/// `data_start` of an entry whose local header is missing: never readable.
const NO_DATA: u64 = u64::MAX;

const EOCD: &[u8; 4] = b"PK\x05\x06";
const ZIP64_LOCATOR: &[u8; 4] = b"PK\x06\x07";
const ZIP64_EOCD: &[u8; 4] = b"PK\x06\x06";
const CENTRAL: &[u8; 4] = b"PK\x01\x02";
const LOCAL: &[u8; 4] = b"PK\x03\x04";

/// `len` bytes at `at`, or `None` when they run past `b` (or past
/// `usize::MAX`: offsets come from the file and may be anything).
fn slice_at(b: &[u8], at: usize, len: usize) -> Option<&[u8]> {
    b.get(at..at.checked_add(len)?)
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(slice_at(b, at, 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(slice_at(b, at, 4)?.try_into().ok()?))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(slice_at(b, at, 8)?.try_into().ok()?))
}

/// Reads the layout of the zip in `bytes`, with at most `max_entries`
/// central records. An error is a reason the file is not a readable zip.
pub(crate) fn read_layout(bytes: &[u8], max_entries: u64) -> Result<ZipLayout, String> {
    let eocd = find_eocd(bytes).ok_or("no end of central directory record")?;
    let mut count = u64::from(u16_at(bytes, eocd + 10).ok_or("truncated end record")?);
    let mut cd_size = u64::from(u32_at(bytes, eocd + 12).ok_or("truncated end record")?);
    let mut cd_offset = u64::from(u32_at(bytes, eocd + 16).ok_or("truncated end record")?);
    // Where the central directory really ends: before a zip64 end record, if any.
    let mut cd_end = eocd as u64;
    if let Some(loc) = eocd.checked_sub(20)
        && bytes[loc..].starts_with(ZIP64_LOCATOR)
    {
        // Writers put the 56-byte zip64 end record right before its locator.
        let z64 = loc.checked_sub(56).ok_or("truncated zip64 record")?;
        if !bytes[z64..].starts_with(ZIP64_EOCD) {
            return Err("zip64 end record not where its locator says".into());
        }
        count = u64_at(bytes, z64 + 32).ok_or("truncated zip64 record")?;
        cd_size = u64_at(bytes, z64 + 40).ok_or("truncated zip64 record")?;
        cd_offset = u64_at(bytes, z64 + 48).ok_or("truncated zip64 record")?;
        cd_end = z64 as u64;
    }
    if count > max_entries {
        return Err(format!("{count} entries (limit {max_entries})"));
    }
    let cd_start = cd_end
        .checked_sub(cd_size)
        .ok_or("central directory larger than the file")?;
    // Offsets are relative to the archive's start; anything before it was
    // prepended (as `cat stub.zip good.zip` does).
    let shift = cd_start
        .checked_sub(cd_offset)
        .ok_or("central directory offset past its position")?;
    let mut entries = Vec::with_capacity(count as usize);
    let mut at = cd_start as usize;
    for i in 0..count {
        let rec = slice_at(bytes, at, 46)
            .filter(|r| r.starts_with(CENTRAL))
            .ok_or_else(|| format!("central record {i} missing"))?;
        let made_by_unix = rec[5] == 3;
        let flags = u16_at(rec, 8).unwrap_or(0);
        let method = u16_at(rec, 10).unwrap_or(0);
        let crc32 = u32_at(rec, 16).unwrap_or(0);
        let mut compressed_size = u64::from(u32_at(rec, 20).unwrap_or(0));
        let mut size = u64::from(u32_at(rec, 24).unwrap_or(0));
        let name_len = usize::from(u16_at(rec, 28).unwrap_or(0));
        let extra_len = usize::from(u16_at(rec, 30).unwrap_or(0));
        let comment_len = usize::from(u16_at(rec, 32).unwrap_or(0));
        let attrs = u32_at(rec, 38).unwrap_or(0);
        let mut local = u64::from(u32_at(rec, 42).unwrap_or(0));
        let name = slice_at(bytes, at + 46, name_len)
            .ok_or_else(|| format!("central record {i} name truncated"))?
            .to_vec();
        let extra = slice_at(bytes, at + 46 + name_len, extra_len)
            .ok_or_else(|| format!("central record {i} extra field truncated"))?;
        zip64_sizes(extra, &mut size, &mut compressed_size, Some(&mut local));
        at += 46 + name_len + extra_len + comment_len;
        let local = local
            .checked_add(shift)
            .ok_or("local header offset overflows")?;
        let mut entry = ZipEntry {
            name,
            flags,
            method,
            crc32,
            compressed_size,
            size,
            unix_mode: made_by_unix.then_some(attrs >> 16),
            data_start: 0,
            mismatch: None,
        };
        match read_local(bytes, local) {
            None => {
                entry.data_start = NO_DATA;
                entry.mismatch = Some("no local header where the central record points".into());
            }
            Some(lfh) => {
                entry.data_start = lfh.data_start;
                entry.mismatch = disagreement(&entry, &lfh);
            }
        }
        entries.push((local, entry));
    }
    let prefix_len = entries
        .iter()
        .map(|(off, _)| *off)
        .min()
        .unwrap_or(cd_start);
    let hidden = unreferenced_locals(bytes, &entries, cd_start, max_entries);
    Ok(ZipLayout {
        entries: entries.into_iter().map(|(_, e)| e).collect(),
        prefix_len,
        hidden,
        uncounted_central: at as u64 != cd_end,
    })
}

/// Whether `bytes` end like a zip (an end-of-central-directory record).
pub(crate) fn has_end_record(bytes: &[u8]) -> bool {
    find_eocd(bytes).is_some()
}

/// The last end-of-central-directory record whose comment fits the file.
fn find_eocd(bytes: &[u8]) -> Option<usize> {
    let floor = bytes.len().saturating_sub(22 + usize::from(u16::MAX));
    let mut at = bytes.len().checked_sub(22)?;
    loop {
        if bytes[at..].starts_with(EOCD) {
            let comment = usize::from(u16_at(bytes, at + 20)?);
            if at + 22 + comment <= bytes.len() {
                return Some(at);
            }
        }
        if at == floor {
            return None;
        }
        at -= 1;
    }
}

/// Fills sizes (and the offset) marked 0xFFFFFFFF from a zip64 extra field.
fn zip64_sizes(extra: &[u8], size: &mut u64, compressed: &mut u64, offset: Option<&mut u64>) {
    let mut at = 0;
    while let (Some(id), Some(len)) = (u16_at(extra, at), u16_at(extra, at + 2)) {
        let body = &extra[(at + 4).min(extra.len())..(at + 4 + usize::from(len)).min(extra.len())];
        if id == 1 {
            let mut field = 0;
            let mut next = |v: &mut u64| {
                if *v == u64::from(u32::MAX)
                    && let Some(x) = u64_at(body, field)
                {
                    *v = x;
                    field += 8;
                }
            };
            next(size);
            next(compressed);
            if let Some(off) = offset {
                next(off);
            }
            return;
        }
        at += 4 + usize::from(len);
    }
}

/// What a local header says about its entry.
struct LocalHeader {
    name: Vec<u8>,
    flags: u16,
    method: u16,
    crc32: u32,
    compressed_size: u64,
    size: u64,
    data_start: u64,
}

fn read_local(bytes: &[u8], at: u64) -> Option<LocalHeader> {
    let at = usize::try_from(at).ok()?;
    let h = slice_at(bytes, at, 30).filter(|h| h.starts_with(LOCAL))?;
    let name_len = usize::from(u16_at(h, 26)?);
    let extra_len = usize::from(u16_at(h, 28)?);
    // In bounds once `h` is: the header fits in the buffer, names are short.
    let name_at = at + 30;
    let name = slice_at(bytes, name_at, name_len)?.to_vec();
    let extra = slice_at(bytes, name_at + name_len, extra_len)?;
    let mut size = u64::from(u32_at(h, 22)?);
    let mut compressed_size = u64::from(u32_at(h, 18)?);
    zip64_sizes(extra, &mut size, &mut compressed_size, None);
    Some(LocalHeader {
        name,
        flags: u16_at(h, 6)?,
        method: u16_at(h, 8)?,
        crc32: u32_at(h, 14)?,
        compressed_size,
        size,
        data_start: (name_at + name_len + extra_len) as u64,
    })
}

/// How a local header contradicts its central record (name, method,
/// encryption, and — unless sizes follow the data — CRC and sizes).
fn disagreement(central: &ZipEntry, local: &LocalHeader) -> Option<String> {
    if local.name != central.name {
        return Some(format!(
            "local header names `{}`",
            crate::model::sanitize_evidence(&local.name)
        ));
    }
    if local.method != central.method {
        return Some(format!(
            "compression method {} in the local header, {} in the central directory",
            local.method, central.method
        ));
    }
    if (local.flags ^ central.flags) & 1 != 0 {
        return Some("encryption flag differs between local header and central directory".into());
    }
    let descriptor = local.flags & 0x8 != 0;
    if !descriptor
        && (local.crc32, local.compressed_size, local.size)
            != (central.crc32, central.compressed_size, central.size)
    {
        return Some(format!(
            "local header declares {} bytes ({} compressed, crc {:08x}), the central directory {} ({}, crc {:08x})",
            local.size,
            local.compressed_size,
            local.crc32,
            central.size,
            central.compressed_size,
            central.crc32
        ));
    }
    None
}

/// Local headers in the bytes no central record covers (before the first
/// entry, between entries, before the central directory): what a streaming
/// extractor would find. Only headers that state their sizes can be
/// followed; each is kept with its own fields.
fn unreferenced_locals(
    bytes: &[u8],
    entries: &[(u64, ZipEntry)],
    cd_start: u64,
    max: u64,
) -> Vec<ZipEntry> {
    let mut covered: Vec<(u64, u64)> = entries
        .iter()
        .map(|(off, e)| match e.data_start {
            NO_DATA => (*off, *off),
            start => (*off, start.max(*off).saturating_add(e.compressed_size)),
        })
        .collect();
    covered.sort_unstable();
    let mut gaps = Vec::new();
    let mut from = 0u64;
    for (start, end) in &covered {
        if *start > from {
            gaps.push((from, *start));
        }
        from = from.max(*end);
    }
    if cd_start > from {
        gaps.push((from, cd_start));
    }
    let mut hits = max;
    let mut hidden = Vec::new();
    for (start, end) in gaps {
        hidden.extend(locals_in(bytes, start, end, &mut hits));
    }
    hidden
}

/// Local headers in `bytes[start..end]`, each read from its own fields.
/// Every `PK\x03\x04` found spends one of `hits`, read or not; after each
/// header the search skips its name and extra field (and its data, when its
/// sizes are stated), so no byte is copied twice as a name.
pub(crate) fn locals_in(bytes: &[u8], start: u64, end: u64, hits: &mut u64) -> Vec<ZipEntry> {
    let mut hidden = Vec::new();
    let (Ok(start), Ok(end)) = (usize::try_from(start), usize::try_from(end)) else {
        return hidden;
    };
    let Some(gap) = bytes.get(start..end.min(bytes.len())) else {
        return hidden;
    };
    let mut at = 0;
    while let Some(pos) = memchr::memmem::find(&gap[at..], LOCAL) {
        if *hits == 0 {
            break;
        }
        *hits -= 1;
        let abs = start + at + pos;
        at += pos + 4;
        let Some(lfh) = read_local(bytes, abs as u64) else {
            continue;
        };
        let skip_to = |offset: u64| {
            usize::try_from(offset)
                .unwrap_or(usize::MAX)
                .saturating_sub(start)
        };
        // A header's own name is not a header.
        at = at.max(skip_to(lfh.data_start));
        if lfh.flags & 0x8 != 0 && lfh.compressed_size == 0 {
            // Sizes follow the data: its end is not known from here.
            hidden.push(ZipEntry {
                name: lfh.name,
                flags: lfh.flags,
                method: lfh.method,
                crc32: 0,
                compressed_size: 0,
                size: 0,
                unix_mode: None,
                data_start: lfh.data_start,
                mismatch: Some("sizes follow the data; not read".into()),
            });
        } else {
            let data_end = lfh.data_start.saturating_add(lfh.compressed_size);
            hidden.push(ZipEntry {
                name: lfh.name,
                flags: lfh.flags,
                method: lfh.method,
                crc32: lfh.crc32,
                compressed_size: lfh.compressed_size,
                size: lfh.size,
                unix_mode: None,
                data_start: lfh.data_start,
                mismatch: None,
            });
            // Skip the entry's data: a header inside it is not a header
            // (where a deflate stream ends early, the caller searches the rest).
            at = at.max(skip_to(data_end));
        }
        if at >= gap.len() {
            break;
        }
    }
    hidden
}
