//! Reading files a user can point clawguard at (the config, `ignoreip`
//! files, fim's baseline and state files, `/etc/passwd`): regular files only,
//! opened with `O_NONBLOCK` so a FIFO without a writer cannot block the open,
//! checked with `fstat` on the opened descriptor (a swap after a path check
//! changes nothing), and bounded in size even if the file grows while read.
//! The one implementation: every crate that reads such a file calls this.

use std::fs::{File, Metadata};
use std::io::{Error, ErrorKind, Read};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::FileTypeExt;
use std::path::Path;

use rustix::fs::{Mode, OFlags};

/// Whether a symbolic link in the last component is followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Follow {
    Yes,
    No,
}

/// What a file that is not regular is, for error messages ("a FIFO").
pub fn describe(meta: &Metadata) -> &'static str {
    let kind = meta.file_type();
    if kind.is_file() {
        "a regular file"
    } else if kind.is_dir() {
        "a directory"
    } else if kind.is_fifo() {
        "a FIFO"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_symlink() {
        "a symbolic link"
    } else {
        "of an unknown kind"
    }
}

/// Opens `path` for reading if it is a regular file of at most `max` bytes.
/// A missing file keeps [`ErrorKind::NotFound`]; every refusal says why in
/// its text ("not a regular file (a FIFO)", "larger than N bytes (M)").
pub fn open(path: &Path, follow: Follow, max: u64) -> std::io::Result<(File, Metadata)> {
    let mut flags = OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NONBLOCK | OFlags::NOCTTY;
    if follow == Follow::No {
        flags |= OFlags::NOFOLLOW;
    }
    let fd = match rustix::fs::open(path.as_os_str().as_bytes(), flags, Mode::empty()) {
        Ok(fd) => fd,
        Err(rustix::io::Errno::LOOP) if follow == Follow::No => {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                "not a regular file (a symbolic link, not followed)",
            ));
        }
        Err(e) => return Err(e.into()),
    };
    let file = File::from(fd);
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            format!("not a regular file ({})", describe(&meta)),
        ));
    }
    if meta.len() > max {
        return Err(Error::new(
            ErrorKind::FileTooLarge,
            format!("larger than {max} bytes ({})", meta.len()),
        ));
    }
    Ok((file, meta))
}

/// At most `cap + 1` bytes of `reader` (one more than `cap` tells the
/// caller the input was longer), whatever its size claims.
pub fn read_capped(reader: impl Read, cap: u64) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.take(cap.saturating_add(1)).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Reads a whole regular file of at most `max` bytes.
pub fn read(path: &Path, follow: Follow, max: u64) -> std::io::Result<Vec<u8>> {
    let (file, _) = open(path, follow, max)?;
    let bytes = read_capped(file, max)?;
    if bytes.len() as u64 > max {
        return Err(Error::new(
            ErrorKind::FileTooLarge,
            format!("larger than {max} bytes (grew while read)"),
        ));
    }
    Ok(bytes)
}

/// [`read`] as UTF-8 text.
pub fn read_text(path: &Path, follow: Follow, max: u64) -> std::io::Result<String> {
    String::from_utf8(read(path, follow, max)?)
        .map_err(|_| Error::new(ErrorKind::InvalidData, "not UTF-8 text"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_files_symlinks_and_oversized_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        rustix::fs::mkfifoat(rustix::fs::CWD, &fifo, Mode::RUSR | Mode::WUSR).unwrap();
        // Without O_NONBLOCK this open would wait for a writer forever.
        let err = read(&fifo, Follow::Yes, 10).unwrap_err().to_string();
        assert_eq!(err, "not a regular file (a FIFO)");
        let err = read(dir.path(), Follow::Yes, 10).unwrap_err().to_string();
        assert_eq!(err, "not a regular file (a directory)");
        let err = read(Path::new("/dev/zero"), Follow::Yes, 10)
            .unwrap_err()
            .to_string();
        assert_eq!(err, "not a regular file (a character device)");

        let file = dir.path().join("f");
        std::fs::write(&file, b"0123456789").unwrap();
        assert_eq!(read(&file, Follow::Yes, 10).unwrap(), b"0123456789");
        let err = read(&file, Follow::Yes, 9).unwrap_err().to_string();
        assert!(err.starts_with("larger than 9 bytes"), "{err}");

        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        assert!(read(&link, Follow::Yes, 10).is_ok());
        let err = read(&link, Follow::No, 10).unwrap_err().to_string();
        assert!(err.contains("symbolic link"), "{err}");
        let absent = read(&dir.path().join("absent"), Follow::No, 10).unwrap_err();
        assert_eq!(absent.kind(), ErrorKind::NotFound);
        let err = read_text(&file, Follow::Yes, 10);
        assert_eq!(err.unwrap(), "0123456789");
    }
}
