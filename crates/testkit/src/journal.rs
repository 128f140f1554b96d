//! Real journal files for the journal-source tests: entries in the journal
//! export format, written by `systemd-journal-remote`, read back with
//! `journalctl`.

use std::fmt::Display;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::{output_ok, skip_or_fail};

pub const JOURNAL_REMOTE: &str = "/usr/lib/systemd/systemd-journal-remote";
pub const JOURNALCTL: &str = "/usr/bin/journalctl";
/// The boot id every test entry carries.
pub const BOOT_ID: &str = "0123456789abcdef0123456789abcdef";

/// True when both tools are installed; otherwise `skip_or_fail` names the
/// missing ones.
#[track_caller]
pub fn tools_available() -> bool {
    let missing: Vec<&str> = [JOURNAL_REMOTE, JOURNALCTL]
        .into_iter()
        .filter(|tool| !Path::new(tool).exists())
        .collect();
    if missing.is_empty() {
        return true;
    }
    skip_or_fail(format!(
        "missing {missing:?} (apt-get install systemd systemd-journal-remote)"
    ));
    false
}

/// Journal entries in the export format, built field by field.
#[derive(Default)]
pub struct Export {
    bytes: Vec<u8>,
}

impl Export {
    /// `NAME=value` (the value must not contain a newline).
    pub fn field(&mut self, name: &str, value: impl Display) -> &mut Self {
        writeln!(self.bytes, "{name}={value}").expect("write to memory");
        self
    }

    /// The binary-safe encoding: name, newline, 64-bit LE length, data, newline.
    pub fn binary_field(&mut self, name: &str, value: &[u8]) -> &mut Self {
        self.bytes.extend_from_slice(name.as_bytes());
        self.bytes.push(b'\n');
        self.bytes
            .extend_from_slice(&(value.len() as u64).to_le_bytes());
        self.bytes.extend_from_slice(value);
        self.bytes.push(b'\n');
        self
    }

    /// Ends the current entry.
    pub fn end_entry(&mut self) -> &mut Self {
        self.bytes.push(b'\n');
        self
    }

    /// Writes the entries into the journal file `journal` (appended when it
    /// exists) through `systemd-journal-remote`; panics when it fails.
    #[track_caller]
    pub fn write_to(&self, journal: &Path) {
        let output = format!("--output={}", journal.display());
        let mut child = Command::new(JOURNAL_REMOTE)
            .args([output.as_str(), "--split-mode=none", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run systemd-journal-remote");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(&self.bytes)
            .expect("write export");
        let out = child.wait_with_output().expect("journal-remote finished");
        assert!(
            out.status.success(),
            "journal-remote: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The journal file exported as an operator would: `journalctl --file … -o json`.
#[track_caller]
pub fn export_json(journal: &Path) -> Vec<u8> {
    output_ok(
        Command::new(JOURNALCTL)
            .arg(format!("--file={}", journal.display()))
            .args(["-o", "json", "--no-pager"]),
    )
    .stdout
}
