//! Read positions as text for the state database.
//!
//! One row per (source, file path): a glob or OpenClaw source follows several
//! files and each keeps its own offset.

use std::path::PathBuf;

use clawguard_logwatch::Position;

/// Row key for a position of `source`.
pub fn row_key(source: &str, position: &Position) -> String {
    match position.path() {
        Some(path) => format!("{source}\t{}", path.display()),
        None => source.to_string(),
    }
}

/// The source a row key belongs to.
pub fn source_of(row_key: &str) -> &str {
    row_key.split('\t').next().unwrap_or(row_key)
}

/// Encode a position.
pub fn encode(position: &Position) -> String {
    match position {
        Position::File {
            path,
            dev,
            inode,
            offset,
            head_len,
            head,
        } => {
            let hex = clawguard_sys::hex::encode(head);
            format!(
                "file {dev} {inode} {offset} {head_len} {hex} {}",
                path.display()
            )
        }
        Position::Journal { cursor } => format!("journal {cursor}"),
    }
}

/// Decode a position; `None` for text this build does not understand (the
/// source then starts as if new).
pub fn decode(text: &str) -> Option<Position> {
    if let Some(cursor) = text.strip_prefix("journal ") {
        return Some(Position::Journal {
            cursor: cursor.to_string(),
        });
    }
    let rest = text.strip_prefix("file ")?;
    let mut parts = rest.splitn(6, ' ');
    let dev = parts.next()?.parse().ok()?;
    let inode = parts.next()?.parse().ok()?;
    let offset = parts.next()?.parse().ok()?;
    let head_len = parts.next()?.parse().ok()?;
    let hex = parts.next()?;
    let path = PathBuf::from(parts.next()?);
    if hex.len() != 64 {
        return None;
    }
    let head: [u8; 32] = clawguard_sys::hex::decode(hex)?.try_into().ok()?;
    Some(Position::File {
        path,
        dev,
        inode,
        offset,
        head_len,
        head,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let file = Position::File {
            path: PathBuf::from("/var/log/with space/auth.log"),
            dev: 2049,
            inode: 1234,
            offset: 99,
            head_len: 40,
            head: [7; 32],
        };
        assert_eq!(decode(&encode(&file)), Some(file.clone()));
        let journal = Position::Journal {
            cursor: "s=abc;i=1".into(),
        };
        assert_eq!(decode(&encode(&journal)), Some(journal.clone()));
        assert_eq!(decode("garbage"), None);
        assert_eq!(decode("file 1 2 3"), None);
        assert_eq!(
            row_key("file:/x/*.log", &file),
            "file:/x/*.log\t/var/log/with space/auth.log"
        );
        assert_eq!(source_of(&row_key("file:/x/*.log", &file)), "file:/x/*.log");
    }
}
