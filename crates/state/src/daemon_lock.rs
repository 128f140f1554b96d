//! One daemon per state directory: `clawguard run` holds an exclusive
//! `flock` on `<state_dir>/daemon.lock` for its whole life. A second daemon
//! on the same directory refuses to start, and the CLI asks [`is_held`] to
//! learn whether a daemon will take its control requests. The kernel drops
//! the lock when the process ends, `kill -9` included, so a stale file never
//! blocks a start.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// File name of the lock inside the state directory.
pub const LOCK_FILE: &str = "daemon.lock";

/// How long [`DaemonLock::acquire`] keeps trying: [`is_held`] holds a shared
/// lock for an instant, and a daemon starting in that instant must not fail.
const ACQUIRE_PATIENCE: Duration = Duration::from_millis(500);
const ACQUIRE_RETRY: Duration = Duration::from_millis(10);

/// Longest pid text read back from the lock file (for the error message).
const MAX_PID_TEXT: u64 = 32;

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "another clawguard daemon{} already runs on state directory {} (it holds {}); \
         stop it first, or give this one its own --state-dir",
        holder.map(|pid| format!(" (pid {pid})")).unwrap_or_default(),
        state_dir.display(),
        path.display()
    )]
    Held {
        state_dir: PathBuf,
        path: PathBuf,
        holder: Option<u32>,
    },
    #[error("daemon lock {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Dir(#[from] crate::StateError),
}

/// The held lock; dropping it (or the process ending) releases it.
#[derive(Debug)]
pub struct DaemonLock {
    _file: File,
    path: PathBuf,
}

impl DaemonLock {
    /// Take the lock on `state_dir` (created 0700 if needed), or say which
    /// daemon holds it.
    pub fn acquire(state_dir: &Path) -> Result<DaemonLock, LockError> {
        crate::create_private_dir(state_dir)?;
        let path = state_dir.join(LOCK_FILE);
        let io = |source| LockError::Io {
            path: path.clone(),
            source,
        };
        let mut file = {
            use std::os::unix::fs::OpenOptionsExt;
            OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .mode(0o600)
                .open(&path)
                .map_err(io)?
        };
        let started = std::time::Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) if started.elapsed() < ACQUIRE_PATIENCE => {
                    std::thread::sleep(ACQUIRE_RETRY);
                }
                Err(TryLockError::WouldBlock) => {
                    return Err(LockError::Held {
                        state_dir: state_dir.to_path_buf(),
                        holder: read_pid(&mut file),
                        path,
                    });
                }
                Err(TryLockError::Error(e)) => return Err(io(e)),
            }
        }
        // The holder's pid, for the message a second daemon prints. Best
        // effort: on a full disk the lock still holds, the message just
        // lacks the pid.
        let _ = file
            .set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| writeln!(file, "{}", std::process::id()));
        Ok(DaemonLock { _file: file, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Whether a daemon holds the lock on `state_dir` now. Takes a shared lock
/// for an instant (never blocking); a missing file means no daemon.
pub fn is_held(state_dir: &Path) -> bool {
    let Ok(file) = File::open(state_dir.join(LOCK_FILE)) else {
        return false;
    };
    match file.try_lock_shared() {
        Ok(()) => false, // released when `file` closes
        Err(TryLockError::WouldBlock) => true,
        // A lock we cannot even test: assume no daemon, so the CLI applies
        // the change itself rather than waiting on nobody.
        Err(TryLockError::Error(_)) => false,
    }
}

fn read_pid(file: &mut File) -> Option<u32> {
    let mut text = String::new();
    file.rewind().ok()?;
    file.take(MAX_PID_TEXT).read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_same_dir_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let state_dir = dir.path().join("state");
        assert!(!is_held(&state_dir), "no lock file yet");
        let first = DaemonLock::acquire(&state_dir).unwrap();
        assert!(is_held(&state_dir));
        let err = DaemonLock::acquire(&state_dir).unwrap_err();
        let text = err.to_string();
        assert!(
            matches!(&err, LockError::Held { holder: Some(pid), .. } if *pid == std::process::id()),
            "{err:?}"
        );
        assert!(text.contains("another clawguard daemon"), "{text}");
        assert!(text.contains(&state_dir.display().to_string()), "{text}");
        drop(first);
        assert!(!is_held(&state_dir));
        let again = DaemonLock::acquire(&state_dir).unwrap();
        assert_eq!(again.path(), state_dir.join(LOCK_FILE));
    }

    #[test]
    fn probing_does_not_make_a_starting_daemon_fail() {
        let dir = tempfile::tempdir().unwrap();
        drop(DaemonLock::acquire(dir.path()).unwrap());
        // Hold the shared probe lock briefly while a daemon starts.
        let probe = File::open(dir.path().join(LOCK_FILE)).unwrap();
        probe.try_lock_shared().unwrap();
        let releaser = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            drop(probe);
        });
        DaemonLock::acquire(dir.path()).expect("waits out a probe");
        releaser.join().unwrap();
    }
}
