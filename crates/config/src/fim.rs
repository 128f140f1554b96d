//! `[fim]`: settings of the fim engine (file integrity monitoring).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::{ConfigError, Seconds};

/// `[fim]`
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct FimConfig {
    /// Run this engine in the daemon (scheduled checks and realtime watching).
    pub enabled: bool,
    /// Content hash: `blake3`, `sha256` or `sha512`.
    pub hash: String,
    /// Baseline file [default: `<state_dir>/fim/baseline.cgfim`].
    pub baseline: Option<PathBuf>,
    /// Ed25519 private key (root-only, 0600); created by `fim init` if absent.
    /// Keep it off the host by pointing this at removable media: `check`
    /// needs only the public key.
    pub signing_key: PathBuf,
    /// Pinned Ed25519 public key (64 hex digits). When empty, the key pinned
    /// in `<state_dir>/fim/baseline.pub` at the first `init` is used.
    pub public_key: Option<String>,
    /// How often the daemon runs a full check.
    pub check_interval: Seconds,
    /// Hashing threads; 0 = one per CPU.
    pub threads: u32,
    /// Globs (on the full path) never recorded, in every watch.
    pub exclude: Vec<String>,
    /// Small text files under these paths get a content diff (secrets masked)
    /// in reports, from a copy kept in the state dir.
    pub diff_paths: Vec<String>,
    /// What to watch. `~*/` at the start of a path means "the home of each
    /// user in /etc/passwd"; `$OPENCLAW_STATE_DIR/` expands from the
    /// environment (skipped when unset).
    pub watch: Vec<FimWatch>,
}

/// One `[[fim.watch]]` entry: a path and the attributes checked under it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FimWatch {
    pub path: String,
    /// Rule expression: a group (`R`, `L`, `>`, `E`) or attributes joined
    /// with `+` (`p+u+g+s+hash`), with `-attr` to remove one (`R-m`).
    #[serde(default = "default_rule")]
    pub rule: String,
    /// Also watch this path in realtime (fanotify, inotify fallback).
    #[serde(default)]
    pub realtime: bool,
    /// Globs (on the full path) not recorded under this watch.
    #[serde(default)]
    pub exclude: Vec<String>,
}

fn default_rule() -> String {
    "R".into()
}

/// The attribute names a rule expression may use.
pub const FIM_ATTRIBUTES: &[&str] = &[
    "ftype", "p", "perm", "u", "uid", "g", "gid", "s", "size", "m", "mtime", "c", "ctime", "i",
    "inode", "n", "nlink", "l", "link", "xattrs", "acl", "X", "hash", "growing",
];

/// The named groups a rule expression may start with.
pub const FIM_GROUPS: &[&str] = &["R", "L", ">", "E"];

fn watch(path: &str, rule: &str, realtime: bool) -> FimWatch {
    FimWatch {
        path: path.into(),
        rule: rule.into(),
        realtime,
        exclude: Vec::new(),
    }
}

impl Default for FimConfig {
    fn default() -> Self {
        let mut watches = Vec::new();
        for base in ["~*/.openclaw", "$OPENCLAW_STATE_DIR"] {
            for (name, realtime) in [
                ("openclaw.json", true),
                (".env", true),
                ("credentials", false),
                ("skills", true),
                ("hooks", true),
                ("extensions", true),
                ("npm", false),
                ("workspace/skills", true),
                ("workspace/hooks", true),
                ("workspace/SOUL.md", false),
                ("workspace/MEMORY.md", false),
                ("workspace/AGENTS.md", false),
            ] {
                watches.push(watch(&format!("{base}/{name}"), "R", realtime));
            }
        }
        watches.push(FimWatch {
            exclude: vec!["/opt/openclaw/**/logs/**".into()],
            ..watch("/opt/openclaw", "R", false)
        });
        watches.push(watch("/etc/ssh", "R", true));
        watches.push(watch("~*/.ssh/authorized_keys", "R", true));
        watches.push(watch("~*/.ssh/authorized_keys2", "R", true));
        for path in ["/etc/passwd", "/etc/shadow", "/etc/group", "/etc/gshadow"] {
            watches.push(watch(path, "R", true));
        }
        watches.push(watch("/etc/sudoers", "R", true));
        watches.push(watch("/etc/sudoers.d", "R", true));
        for path in [
            "/etc/crontab",
            "/etc/cron.d",
            "/etc/cron.hourly",
            "/etc/cron.daily",
            "/etc/cron.weekly",
            "/etc/cron.monthly",
            "/var/spool/cron/crontabs",
            "/etc/systemd/system",
            "/etc/systemd/user",
        ] {
            watches.push(watch(path, "R", false));
        }
        watches.push(watch("/etc/docker", "R", false));
        // The socket's permissions and owner decide who is root.
        watches.push(watch("/run/docker.sock", "L", false));
        for path in ["/usr/bin", "/usr/sbin", "/usr/lib"] {
            watches.push(watch(path, "R", false));
        }
        watches.push(watch("/etc/clawguard", "R", true));
        watches.push(watch("/usr/local/bin/clawguard", "R", false));
        watches.push(watch("/usr/local/sbin/clawguard", "R", false));
        Self {
            enabled: true,
            hash: "blake3".into(),
            baseline: None,
            signing_key: PathBuf::from("/etc/clawguard/fim-signing.key"),
            public_key: None,
            check_interval: Seconds(12 * 3600),
            threads: 0,
            // An excluded directory is not entered: its contents need no glob.
            exclude: vec!["**/__pycache__".into()],
            diff_paths: vec!["/etc".into(), "~*/.openclaw/openclaw.json".into()],
            watch: watches,
        }
    }
}

impl FimConfig {
    /// Checks values that parse but are not acceptable; errors name the key.
    pub(crate) fn validate(&self, path: &Path) -> Result<(), ConfigError> {
        let bad = |key: String, message: String| ConfigError::Value {
            path: path.to_path_buf(),
            key,
            message,
        };
        if !matches!(self.hash.as_str(), "blake3" | "sha256" | "sha512") {
            return Err(bad(
                "fim.hash".into(),
                format!("{:?}: expected blake3, sha256 or sha512", self.hash),
            ));
        }
        if self.check_interval.0 < 60 {
            return Err(bad(
                "fim.check_interval".into(),
                "must be at least one minute".into(),
            ));
        }
        if self.threads > 256 {
            return Err(bad("fim.threads".into(), "at most 256".into()));
        }
        if let Some(key) = &self.public_key
            && (key.len() != 64 || !key.bytes().all(|b| b.is_ascii_hexdigit()))
        {
            return Err(bad(
                "fim.public_key".into(),
                "expected 64 hex digits (an Ed25519 public key)".into(),
            ));
        }
        for (i, w) in self.watch.iter().enumerate() {
            if !(w.path.starts_with('/') || w.path.starts_with("~*/") || w.path.starts_with('$')) {
                return Err(bad(
                    format!("fim.watch[{i}].path"),
                    format!("{:?}: must be absolute, `~*/…` or `$VAR/…`", w.path),
                ));
            }
            check_rule(&w.rule).map_err(|m| bad(format!("fim.watch[{i}].rule"), m))?;
        }
        Ok(())
    }
}

/// Checks a rule expression's syntax (the fim crate gives it meaning).
pub fn check_rule(rule: &str) -> Result<(), String> {
    let rule = rule.trim();
    if rule.is_empty() {
        return Err("empty rule".into());
    }
    let mut first = true;
    let mut rest = rule;
    while !rest.is_empty() {
        let body = match rest.as_bytes()[0] {
            b'+' | b'-' if !first => &rest[1..],
            _ if first => rest,
            _ => return Err(format!("{rule:?}: expected `+` or `-`")),
        };
        let end = body.find(['+', '-']).unwrap_or(body.len());
        let token = &body[..end];
        let known = FIM_ATTRIBUTES.contains(&token)
            || FIM_GROUPS.contains(&token)
            || matches!(token, "blake3" | "sha256" | "sha512");
        if !known {
            return Err(format!(
                "{rule:?}: unknown attribute or group {token:?} (groups: R L > E; attributes: {})",
                FIM_ATTRIBUTES.join(" ")
            ));
        }
        rest = &body[end..];
        first = false;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_parse_or_name_the_bad_token() {
        for ok in ["R", "L", ">", "R-m-c", "p+u+g+s+hash", "E+p", "R+growing"] {
            check_rule(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
        }
        for bad in ["", "Q", "R+", "R+bogus", "p u"] {
            assert!(check_rule(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn default_validates() {
        FimConfig::default()
            .validate(Path::new("x"))
            .expect("default config is valid");
    }
}
