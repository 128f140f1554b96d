//! The baseline file: versioned, compact, sorted, signed with Ed25519.
//!
//! Layout (all integers little-endian or LEB128 varints):
//!
//! ```text
//! header   "CGFIMBL\n" | version u8 (2) | hash algo u8 | 0u16 | created_ms i64 | public key [32]
//!          | generation u64 (version 2 only; version 1 reads as generation 0)
//! record*  1u8 | shared-prefix len | suffix len | suffix | attrs | kind u8 | fields of `attrs`
//! end      0u8 | entry count
//! digest   BLAKE3 of everything above [32]
//! sig      Ed25519 over "clawguard-fim-baseline-v1" ‖ digest [64]
//! ```
//!
//! Records are in [`crate::entry::cmp_paths`] order, each path stored as the
//! length it shares with the previous one plus its own suffix. A record has
//! only the fields of its rule (`attrs`), in bit order; the hash only for
//! regular files. The digest is the baseline's identity in reports. The
//! generation grows by one with every baseline this host writes; the report
//! chain remembers the highest one seen, so an older baseline restored
//! together with its digest record is still recognised.

use std::fs::{File, OpenOptions};
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};

use crate::FimError;
use crate::attrs::AttrSet;
use crate::entry::{Entry, FileKind, XATTR_DIGEST_LEN, cmp_paths};
use crate::hash::HashAlgo;
use clawguard_sys::hex;
use clawguard_sys::regular_file::{self, Follow};

const MAGIC: &[u8; 8] = b"CGFIMBL\n";
pub const FORMAT_VERSION: u8 = 2;
const SIGNATURE_CONTEXT: &[u8] = b"clawguard-fim-baseline-v1";
/// Header of format version 1, without the generation.
const HEADER_V1_LEN: usize = 8 + 1 + 1 + 2 + 8 + 32;
const HEADER_LEN: usize = HEADER_V1_LEN + 8;
/// Bound on a baseline file (it is streamed, never held in memory; the
/// bound stops a sparse or endless file from being hashed for hours).
pub const MAX_BASELINE_BYTES: u64 = 64 << 30;
/// Bound on a small state or key file (a hex digest, key or report digest).
pub const MAX_STATE_FILE_BYTES: u64 = 4096;
const TRAILER_LEN: usize = 32 + 64;
/// Bound on one stored path or symlink target.
const MAX_FIELD_BYTES: u64 = 1 << 16;

/// Writes a baseline to a temporary file, then renames it into place.
pub struct BaselineWriter {
    out: BufWriter<File>,
    tmp: PathBuf,
    dest: PathBuf,
    hasher: blake3::Hasher,
    key: SigningKey,
    algo: HashAlgo,
    previous: Vec<u8>,
    count: u64,
    scratch: Vec<u8>,
    generation: u64,
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> FimError + '_ {
    move |source| FimError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl BaselineWriter {
    pub fn create(
        dest: &Path,
        algo: HashAlgo,
        key: &SigningKey,
        created_ms: i64,
        generation: u64,
    ) -> Result<BaselineWriter, FimError> {
        if let Some(dir) = dest.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir).map_err(io_err(dir))?;
        }
        let mut tmp = dest.as_os_str().to_owned();
        tmp.push(".new");
        let tmp = PathBuf::from(tmp);
        let file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)
            .map_err(io_err(&tmp))?;
        let mut writer = BaselineWriter {
            out: BufWriter::with_capacity(1 << 16, file),
            tmp,
            dest: dest.to_path_buf(),
            hasher: blake3::Hasher::new(),
            key: key.clone(),
            algo,
            previous: Vec::new(),
            count: 0,
            scratch: Vec::with_capacity(256),
            generation,
        };
        let mut header = Vec::with_capacity(HEADER_LEN);
        header.extend_from_slice(MAGIC);
        header.push(FORMAT_VERSION);
        header.push(algo as u8);
        header.extend_from_slice(&0u16.to_le_bytes());
        header.extend_from_slice(&created_ms.to_le_bytes());
        header.extend_from_slice(key.verifying_key().as_bytes());
        header.extend_from_slice(&generation.to_le_bytes());
        writer.write(&header)?;
        Ok(writer)
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), FimError> {
        self.hasher.update(bytes);
        self.out.write_all(bytes).map_err(io_err(&self.tmp))
    }

    /// Appends one entry; entries must come in path order, without repeats.
    pub fn push(&mut self, entry: &Entry) -> Result<(), FimError> {
        if self.count > 0 && cmp_paths(&self.previous, &entry.path).is_ge() {
            return Err(FimError::Walk(format!(
                "baseline entries out of order at {}",
                entry.display_path()
            )));
        }
        let shared = self
            .previous
            .iter()
            .zip(&entry.path)
            .take_while(|(a, b)| a == b)
            .count();
        let mut rec = std::mem::take(&mut self.scratch);
        rec.clear();
        rec.push(1);
        put_varint(&mut rec, shared as u64);
        put_varint(&mut rec, (entry.path.len() - shared) as u64);
        rec.extend_from_slice(&entry.path[shared..]);
        let attrs = entry.attrs;
        put_varint(&mut rec, u64::from(attrs.0));
        rec.push(entry.kind as u8);
        if attrs.has(AttrSet::PERM) {
            put_varint(&mut rec, u64::from(entry.perm));
        }
        if attrs.has(AttrSet::UID) {
            put_varint(&mut rec, u64::from(entry.uid));
        }
        if attrs.has(AttrSet::GID) {
            put_varint(&mut rec, u64::from(entry.gid));
        }
        if attrs.has(AttrSet::SIZE) {
            put_varint(&mut rec, entry.size);
        }
        if attrs.has(AttrSet::MTIME) {
            put_varint(&mut rec, zigzag(entry.mtime_ns));
        }
        if attrs.has(AttrSet::CTIME) {
            put_varint(&mut rec, zigzag(entry.ctime_ns));
        }
        if attrs.has(AttrSet::INODE) {
            put_varint(&mut rec, entry.inode);
        }
        if attrs.has(AttrSet::NLINK) {
            put_varint(&mut rec, entry.nlink);
        }
        if attrs.has(AttrSet::LINK) && entry.kind == FileKind::Symlink {
            put_varint(&mut rec, entry.link.len() as u64);
            rec.extend_from_slice(&entry.link);
        }
        if attrs.has(AttrSet::XATTRS) {
            rec.extend_from_slice(&entry.xattrs);
        }
        if attrs.has(AttrSet::ACL) {
            rec.extend_from_slice(&entry.acl);
        }
        if attrs.has(AttrSet::HASH) && entry.kind == FileKind::Regular {
            if entry.hash.len() != self.algo.digest_len() {
                return Err(FimError::Walk(format!(
                    "{}: hash of {} bytes, expected {}",
                    entry.display_path(),
                    entry.hash.len(),
                    self.algo.digest_len()
                )));
            }
            rec.extend_from_slice(&entry.hash);
        }
        let result = self.write(&rec);
        self.scratch = rec;
        result?;
        self.previous.clear();
        self.previous.extend_from_slice(&entry.path);
        self.count += 1;
        Ok(())
    }

    /// Ends, signs, syncs and renames the file into place; returns its digest.
    pub fn finish(mut self) -> Result<[u8; 32], FimError> {
        let mut end = vec![0u8];
        put_varint(&mut end, self.count);
        self.write(&end)?;
        let digest = *self.hasher.finalize().as_bytes();
        let signature = self.key.sign(&signed_message(&digest));
        self.out.write_all(&digest).map_err(io_err(&self.tmp))?;
        self.out
            .write_all(&signature.to_bytes())
            .map_err(io_err(&self.tmp))?;
        let file = self.out.into_inner().map_err(|e| FimError::Io {
            path: self.tmp.clone(),
            source: e.into_error(),
        })?;
        file.sync_all().map_err(io_err(&self.tmp))?;
        std::fs::rename(&self.tmp, &self.dest).map_err(io_err(&self.dest))?;
        if let Some(dir) = self.dest.parent()
            && let Ok(dir) = File::open(if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            })
        {
            let _ = dir.sync_all();
        }
        Ok(digest)
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn count(&self) -> u64 {
        self.count
    }
}

fn signed_message(digest: &[u8; 32]) -> Vec<u8> {
    let mut message = SIGNATURE_CONTEXT.to_vec();
    message.extend_from_slice(digest);
    message
}

fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn zigzag(value: i64) -> u64 {
    ((value << 1) ^ (value >> 63)) as u64
}

fn unzigzag(value: u64) -> i64 {
    ((value >> 1) as i64) ^ -((value & 1) as i64)
}

/// What the header of a verified baseline says.
#[derive(Debug, Clone)]
pub struct BaselineInfo {
    pub path: PathBuf,
    pub version: u8,
    pub hash: HashAlgo,
    pub created_ms: i64,
    pub public_key: [u8; 32],
    /// Counts the baselines this host wrote (0 for a version 1 baseline).
    pub generation: u64,
    /// BLAKE3 of the signed content: the baseline's identity.
    pub digest: [u8; 32],
}

impl BaselineInfo {
    pub fn digest_hex(&self) -> String {
        hex::encode(&self.digest)
    }
}

/// Reads a baseline whose signature was verified against the pinned key.
/// The content is hashed again while it is read; a file modified between
/// the check and the read fails at the end.
pub struct BaselineReader {
    info: BaselineInfo,
    input: BufReader<HashingReader<std::io::Take<File>>>,
    previous: Vec<u8>,
    count: u64,
    done: bool,
}

fn tampered(path: &Path, reason: impl Into<String>) -> FimError {
    FimError::Tampered {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

impl BaselineReader {
    /// Opens `path`, verifies its signature with `pinned` and returns a
    /// reader positioned at the first entry.
    pub fn open(path: &Path, pinned: &VerifyingKey) -> Result<BaselineReader, FimError> {
        let mut file = match regular_file::open(path, Follow::Yes, MAX_BASELINE_BYTES) {
            Ok((file, _)) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(FimError::NoBaseline(path.to_path_buf()));
            }
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::InvalidInput | std::io::ErrorKind::FileTooLarge
                ) =>
            {
                return Err(tampered(path, e.to_string()));
            }
            Err(e) => return Err(io_err(path)(e)),
        };
        let len = file.metadata().map_err(io_err(path))?.len();
        if len < (HEADER_V1_LEN + TRAILER_LEN + 2) as u64 {
            return Err(tampered(path, "too short to be a baseline"));
        }
        let mut header = vec![0u8; HEADER_V1_LEN];
        file.read_exact(&mut header).map_err(io_err(path))?;
        if &header[..8] != MAGIC {
            return Err(tampered(path, "not a clawguard baseline (bad magic)"));
        }
        let version = header[8];
        let generation = match version {
            1 => 0,
            FORMAT_VERSION => {
                if len < (HEADER_LEN + TRAILER_LEN + 2) as u64 {
                    return Err(tampered(path, "too short to be a baseline"));
                }
                let mut raw = [0u8; 8];
                file.read_exact(&mut raw).map_err(io_err(path))?;
                header.extend_from_slice(&raw);
                u64::from_le_bytes(raw)
            }
            _ => {
                return Err(tampered(
                    path,
                    format!("format version {version}, this build reads 1 and {FORMAT_VERSION}"),
                ));
            }
        };
        let header_len = header.len();
        let hash = HashAlgo::from_u8(header[9])
            .ok_or_else(|| tampered(path, format!("unknown hash algorithm {}", header[9])))?;
        let created_ms = i64::from_le_bytes(header[12..20].try_into().unwrap_or_default());
        let mut public_key = [0u8; 32];
        public_key.copy_from_slice(&header[20..52]);
        if public_key != *pinned.as_bytes() {
            return Err(tampered(
                path,
                format!(
                    "signed by key {}, not by the pinned key {}",
                    hex::encode(&public_key),
                    hex::encode(pinned.as_bytes())
                ),
            ));
        }
        // Pass 1: digest of the body, then the trailer.
        let body_len = len - TRAILER_LEN as u64;
        let mut hasher = blake3::Hasher::new();
        hasher.update(&header);
        let mut rest = (&mut file).take(body_len - header_len as u64);
        let mut buffer = vec![0u8; 1 << 16];
        loop {
            let n = rest.read(&mut buffer).map_err(io_err(path))?;
            if n == 0 {
                break;
            }
            hasher.update(&buffer[..n]);
        }
        let mut trailer = [0u8; TRAILER_LEN];
        file.read_exact(&mut trailer).map_err(io_err(path))?;
        let digest = *hasher.finalize().as_bytes();
        if trailer[..32] != digest {
            return Err(tampered(path, "content does not match its digest"));
        }
        let signature = Signature::from_bytes(trailer[32..].try_into().unwrap_or(&[0u8; 64]));
        pinned
            .verify(&signed_message(&digest), &signature)
            .map_err(|_| tampered(path, "Ed25519 signature does not verify"))?;
        file.seek(SeekFrom::Start(header_len as u64))
            .map_err(io_err(path))?;
        let mut reread = blake3::Hasher::new();
        reread.update(&header);
        let body = HashingReader {
            inner: file.take(body_len - header_len as u64),
            hasher: reread,
        };
        Ok(BaselineReader {
            info: BaselineInfo {
                path: path.to_path_buf(),
                version,
                hash,
                created_ms,
                public_key,
                generation,
                digest,
            },
            input: BufReader::with_capacity(1 << 16, body),
            previous: Vec::new(),
            count: 0,
            done: false,
        })
    }

    pub fn info(&self) -> &BaselineInfo {
        &self.info
    }

    fn byte(&mut self) -> Result<u8, FimError> {
        let mut b = [0u8; 1];
        self.bytes(&mut b)?;
        Ok(b[0])
    }

    fn bytes(&mut self, out: &mut [u8]) -> Result<(), FimError> {
        self.input
            .read_exact(out)
            .map_err(|_| tampered(&self.info.path, "truncated while reading"))
    }

    fn varint(&mut self) -> Result<u64, FimError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(tampered(&self.info.path, "malformed number"))
    }

    fn small(&mut self) -> Result<u32, FimError> {
        u32::try_from(self.varint()?).map_err(|_| tampered(&self.info.path, "value out of range"))
    }

    /// The next entry, or `None` at the end (after checking the count and
    /// that the content read is the content verified).
    pub fn next_entry(&mut self) -> Result<Option<Entry>, FimError> {
        if self.done {
            return Ok(None);
        }
        let tag = self.byte()?;
        if tag == 0 {
            let count = self.varint()?;
            self.done = true;
            if count != self.count {
                return Err(tampered(&self.info.path, "entry count does not match"));
            }
            // The end record is the last thing before the trailer.
            let mut extra = [0u8; 1];
            if self.input.read(&mut extra).unwrap_or(0) != 0 {
                return Err(tampered(&self.info.path, "data after the end record"));
            }
            let digest = *self.input.get_ref().hasher.finalize().as_bytes();
            if digest != self.info.digest {
                return Err(tampered(&self.info.path, "file changed while being read"));
            }
            return Ok(None);
        }
        if tag != 1 {
            return Err(tampered(
                &self.info.path,
                format!("unknown record tag {tag}"),
            ));
        }
        let shared = self.varint()?;
        let suffix = self.varint()?;
        if shared > self.previous.len() as u64 || suffix > MAX_FIELD_BYTES {
            return Err(tampered(&self.info.path, "malformed path"));
        }
        let mut path = self.previous[..shared as usize].to_vec();
        let start = path.len();
        path.resize(start + suffix as usize, 0);
        self.bytes_into(&mut path, start)?;
        let attrs = AttrSet(self.small()? & AttrSet::ALL);
        let kind = FileKind::from_u8(self.byte()?)
            .ok_or_else(|| tampered(&self.info.path, "unknown file type"))?;
        let mut entry = Entry::new(path, kind);
        entry.attrs = attrs;
        if attrs.has(AttrSet::PERM) {
            entry.perm = self.small()?;
        }
        if attrs.has(AttrSet::UID) {
            entry.uid = self.small()?;
        }
        if attrs.has(AttrSet::GID) {
            entry.gid = self.small()?;
        }
        if attrs.has(AttrSet::SIZE) {
            entry.size = self.varint()?;
        }
        if attrs.has(AttrSet::MTIME) {
            entry.mtime_ns = unzigzag(self.varint()?);
        }
        if attrs.has(AttrSet::CTIME) {
            entry.ctime_ns = unzigzag(self.varint()?);
        }
        if attrs.has(AttrSet::INODE) {
            entry.inode = self.varint()?;
        }
        if attrs.has(AttrSet::NLINK) {
            entry.nlink = self.varint()?;
        }
        if attrs.has(AttrSet::LINK) && kind == FileKind::Symlink {
            let len = self.varint()?;
            if len > MAX_FIELD_BYTES {
                return Err(tampered(&self.info.path, "malformed link target"));
            }
            let mut link = vec![0u8; len as usize];
            self.bytes(&mut link)?;
            entry.link = link;
        }
        if attrs.has(AttrSet::XATTRS) {
            let mut d = [0u8; XATTR_DIGEST_LEN];
            self.bytes(&mut d)?;
            entry.xattrs = d;
        }
        if attrs.has(AttrSet::ACL) {
            let mut d = [0u8; XATTR_DIGEST_LEN];
            self.bytes(&mut d)?;
            entry.acl = d;
        }
        if attrs.has(AttrSet::HASH) && kind == FileKind::Regular {
            let mut h = vec![0u8; self.info.hash.digest_len()];
            self.bytes(&mut h)?;
            entry.hash = h;
        }
        if self.count > 0 && cmp_paths(&self.previous, &entry.path).is_ge() {
            return Err(tampered(&self.info.path, "entries out of order"));
        }
        self.previous.clear();
        self.previous.extend_from_slice(&entry.path);
        self.count += 1;
        Ok(Some(entry))
    }

    fn bytes_into(&mut self, buf: &mut [u8], start: usize) -> Result<(), FimError> {
        let (_, tail) = buf.split_at_mut(start);
        self.bytes(tail)
    }
}

/// Hashes everything read through it (the second pass over the body).
struct HashingReader<R> {
    inner: R,
    hasher: blake3::Hasher,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

/// Key material: the signing key file and the pinned public key.
pub mod keys {
    use super::*;

    /// Loads the signing key, creating it (0600) if `create` and absent.
    pub fn load_or_create_signing_key(path: &Path, create: bool) -> Result<SigningKey, FimError> {
        let key_err = |message: String| FimError::Key {
            path: path.to_path_buf(),
            message,
        };
        match std::fs::metadata(path) {
            Ok(meta) => {
                if meta.permissions().mode() & 0o077 != 0 {
                    return Err(key_err(format!(
                        "mode {:o}: a signing key must be readable by its owner only (chmod 600)",
                        meta.permissions().mode() & 0o7777
                    )));
                }
                let text =
                    regular_file::read_text(path, Follow::Yes, MAX_STATE_FILE_BYTES)
                        .map_err(|e| key_err(e.to_string()))?;
                let bytes = hex::decode(text.trim())
                    .filter(|b| b.len() == 32)
                    .ok_or_else(|| key_err("expected 64 hex digits (an Ed25519 seed)".into()))?;
                let mut seed = [0u8; 32];
                seed.copy_from_slice(&bytes);
                Ok(SigningKey::from_bytes(&seed))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && create => {
                let mut seed = [0u8; 32];
                getrandom::fill(&mut seed).map_err(|e| key_err(format!("no randomness: {e}")))?;
                if let Some(dir) = path.parent()
                    && !dir.as_os_str().is_empty()
                {
                    std::fs::create_dir_all(dir).map_err(|e| key_err(e.to_string()))?;
                }
                let mut file = OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(0o600)
                    .open(path)
                    .map_err(|e| key_err(e.to_string()))?;
                writeln!(file, "{}", hex::encode(&seed)).map_err(|e| key_err(e.to_string()))?;
                file.sync_all().map_err(|e| key_err(e.to_string()))?;
                Ok(SigningKey::from_bytes(&seed))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(key_err(
                "signing key not found (it is created by `fim init`; point fim.signing_key at it if it lives off the host)"
                    .into(),
            )),
            Err(e) => Err(key_err(e.to_string())),
        }
    }

    pub fn parse_public_key(text: &str, origin: &Path) -> Result<VerifyingKey, FimError> {
        let bytes = hex::decode(text.trim())
            .filter(|b| b.len() == 32)
            .ok_or_else(|| FimError::Key {
                path: origin.to_path_buf(),
                message: "expected 64 hex digits (an Ed25519 public key)".into(),
            })?;
        let mut raw = [0u8; 32];
        raw.copy_from_slice(&bytes);
        VerifyingKey::from_bytes(&raw).map_err(|e| FimError::Key {
            path: origin.to_path_buf(),
            message: format!("not a valid Ed25519 public key: {e}"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_and_zigzag_round_trip() {
        for v in [0i64, 1, -1, i64::MAX, i64::MIN, 1_700_000_000_123_456_789] {
            assert_eq!(unzigzag(zigzag(v)), v);
        }
        let mut out = Vec::new();
        put_varint(&mut out, u64::MAX);
        assert_eq!(out.len(), 10);
    }

    #[test]
    fn version_1_baselines_still_read_as_generation_0() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b");
        let key = SigningKey::from_bytes(&[7u8; 32]);
        let writer = BaselineWriter::create(&path, HashAlgo::Sha256, &key, 5, 3).unwrap();
        writer.finish().unwrap();
        let v2 = std::fs::read(&path).unwrap();
        let reader = BaselineReader::open(&path, &key.verifying_key()).unwrap();
        assert_eq!(reader.info().generation, 3);
        // The same content as version 1: no generation, re-signed.
        let mut v1 = v2[..HEADER_V1_LEN].to_vec();
        v1[8] = 1;
        v1.extend_from_slice(&v2[HEADER_LEN..v2.len() - TRAILER_LEN]);
        let digest = *blake3::hash(&v1).as_bytes();
        v1.extend_from_slice(&digest);
        v1.extend_from_slice(&key.sign(&signed_message(&digest)).to_bytes());
        std::fs::write(&path, &v1).unwrap();
        let mut reader = BaselineReader::open(&path, &key.verifying_key()).unwrap();
        assert_eq!(reader.info().generation, 0);
        assert_eq!(reader.info().version, 1);
        assert!(reader.next_entry().unwrap().is_none());
    }
}
