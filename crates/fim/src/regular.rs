//! Opening the files fim reads that a user can point it at (the baseline,
//! the signing key, the state files, a skill's `origin.json`): regular files
//! only, opened with `O_NONBLOCK` so a FIFO cannot block the open, checked
//! with `fstat` on the opened fd, and bounded in size.

use std::fs::File;
use std::io::{Error, ErrorKind, Read};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use rustix::fs::{FileType, Mode, OFlags};

/// Bound on a small state or key file (a hex digest, key or report digest).
pub const MAX_STATE_FILE_BYTES: u64 = 4096;

fn kind_name(kind: FileType) -> &'static str {
    match kind {
        FileType::Fifo => "a FIFO",
        FileType::Directory => "a directory",
        FileType::CharacterDevice => "a character device",
        FileType::BlockDevice => "a block device",
        FileType::Socket => "a socket",
        FileType::Symlink => "a symlink",
        _ => "of an unknown kind",
    }
}

/// Opens `path` if it is a regular file of at most `max` bytes. With
/// `follow` false a symlink in the last component is refused. Errors keep
/// `NotFound` for a missing file; the others say why in their text.
pub fn open(path: &Path, follow: bool, max: u64) -> std::io::Result<File> {
    let mut flags = OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NONBLOCK | OFlags::NOCTTY;
    if !follow {
        flags |= OFlags::NOFOLLOW;
    }
    let fd = match rustix::fs::open(path.as_os_str().as_bytes(), flags, Mode::empty()) {
        Ok(fd) => fd,
        Err(rustix::io::Errno::LOOP) if !follow => {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                "not a regular file (a symlink, not followed)",
            ));
        }
        Err(e) => return Err(e.into()),
    };
    let stat = rustix::fs::fstat(&fd)?;
    let kind = FileType::from_raw_mode(stat.st_mode);
    if kind != FileType::RegularFile {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            format!("not a regular file ({})", kind_name(kind)),
        ));
    }
    let len = u64::try_from(stat.st_size).unwrap_or(0);
    if len > max {
        return Err(Error::new(
            ErrorKind::FileTooLarge,
            format!("larger than {max} bytes ({len})"),
        ));
    }
    Ok(File::from(fd))
}

/// Reads a regular file of at most `max` bytes (the bound holds even if the
/// file grows after the check).
pub fn read(path: &Path, follow: bool, max: u64) -> std::io::Result<Vec<u8>> {
    let file = open(path, follow, max)?;
    let mut bytes = Vec::new();
    file.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(Error::new(
            ErrorKind::FileTooLarge,
            format!("larger than {max} bytes (grew while read)"),
        ));
    }
    Ok(bytes)
}

/// [`read`] as UTF-8 text.
pub fn read_text(path: &Path, follow: bool, max: u64) -> std::io::Result<String> {
    String::from_utf8(read(path, follow, max)?)
        .map_err(|_| Error::new(ErrorKind::InvalidData, "not UTF-8 text"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifos_directories_symlinks_and_oversized_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        rustix::fs::mkfifoat(rustix::fs::CWD, &fifo, Mode::RUSR | Mode::WUSR).unwrap();
        let err = read(&fifo, true, 10).unwrap_err().to_string();
        assert!(err.contains("a FIFO"), "{err}");
        let err = read(dir.path(), true, 10).unwrap_err().to_string();
        assert!(err.contains("a directory"), "{err}");
        let file = dir.path().join("f");
        std::fs::write(&file, b"0123456789").unwrap();
        assert_eq!(read(&file, true, 10).unwrap(), b"0123456789");
        let err = read(&file, true, 9).unwrap_err().to_string();
        assert!(err.contains("larger than 9 bytes"), "{err}");
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        assert!(read(&link, true, 10).is_ok());
        let err = read(&link, false, 10).unwrap_err().to_string();
        assert!(err.contains("symlink"), "{err}");
        assert_eq!(
            read(&dir.path().join("absent"), false, 10)
                .unwrap_err()
                .kind(),
            ErrorKind::NotFound
        );
    }
}
