//! One INI file in the dialect fail2ban's `ConfigParser` reads.
//!
//! Rules (Python `configparser` as fail2ban configures it): `[section]` headers
//! (everything up to the last `]`), `key = value` or `key: value` split at the
//! first `=`/`:`, keys lower-cased, section names kept as written, `DEFAULT`
//! (exact case) is the defaults section, full-line `#`/`;` comments, inline
//! comments start at a `;` that opens the line or follows whitespace, and a
//! line indented deeper than its key line continues the value. Blank lines
//! inside a value are kept (trailing ones dropped); comment lines inside a
//! value are skipped. Duplicate sections or keys within one file are errors.

use std::collections::HashSet;
use std::path::Path;

use crate::error::{F2bError, Location};

/// Name of the defaults section, exactly as `configparser` spells it.
pub(crate) const DEFAULT_SECTION: &str = "DEFAULT";

/// One `key = value` as read, with its 1-based line.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub key: String,
    pub value: String,
    pub line: usize,
}

/// One `[section]` of a file (sections repeated in one file are an error).
#[derive(Debug, Clone)]
pub(crate) struct RawSection {
    pub name: String,
    pub line: usize,
    pub entries: Vec<Entry>,
}

/// A parsed file: its `[DEFAULT]` entries and its other sections, in order.
#[derive(Debug, Clone, Default)]
pub(crate) struct IniFile {
    pub defaults: Vec<Entry>,
    pub sections: Vec<RawSection>,
}

/// Where the parser is currently putting entries.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    None,
    Defaults,
    Section(usize),
}

/// Byte index where an inline `;` comment starts, if any.
fn inline_comment_start(line: &str) -> Option<usize> {
    let mut prev_is_space = true;
    for (i, c) in line.char_indices() {
        if c == ';' && prev_is_space {
            return Some(i);
        }
        prev_is_space = c.is_whitespace();
    }
    None
}

/// Splits `key <delim> value` at the first `=` or `:`.
fn split_option(text: &str) -> Option<(&str, &str)> {
    let at = text.find(['=', ':'])?;
    Some((text[..at].trim_end(), text[at + 1..].trim()))
}

/// Parses `text` (the contents of `path`) into sections and entries.
pub(crate) fn parse(path: &Path, text: &str) -> Result<IniFile, F2bError> {
    let syntax = |line: usize, message: String| F2bError::Syntax {
        location: Location {
            path: path.to_path_buf(),
            line,
        },
        message,
    };
    let mut file = IniFile::default();
    let mut target = Target::None;
    // Lines of the value currently being built, and where it lives.
    let mut current: Option<(Target, usize)> = None;
    let mut value_lines: Vec<String> = Vec::new();
    let mut indent_level = 0usize;
    let mut seen_sections: HashSet<String> = HashSet::new();
    let mut seen_keys: HashSet<(String, String)> = HashSet::new();
    let mut current_section_name = String::new();

    let flush =
        |file: &mut IniFile, current: &mut Option<(Target, usize)>, lines: &mut Vec<String>| {
            if let Some((t, idx)) = current.take() {
                let joined = lines.join("\n");
                let value = joined.trim_end().to_string();
                let entries = match t {
                    Target::Defaults => &mut file.defaults,
                    Target::Section(s) => &mut file.sections[s].entries,
                    Target::None => return,
                };
                entries[idx].value = value;
            }
            lines.clear();
        };

    for (index, raw_line) in text.split('\n').enumerate() {
        let line_no = index + 1;
        let line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
        let stripped = line.trim();
        let comment_start = if stripped.starts_with('#') || stripped.starts_with(';') {
            Some(0)
        } else {
            inline_comment_start(line)
        };
        let value = match comment_start {
            Some(at) => line[..at].trim(),
            None => stripped,
        };
        if value.is_empty() {
            // A blank line (not a comment) belongs to the value being built.
            if comment_start.is_none() && current.is_some() {
                value_lines.push(String::new());
            }
            continue;
        }
        let indent = line.chars().take_while(|c| c.is_whitespace()).count();
        if current.is_some() && indent > indent_level {
            value_lines.push(value.to_string());
            continue;
        }
        indent_level = indent;
        flush(&mut file, &mut current, &mut value_lines);
        if let Some(header) = value.strip_prefix('[').and_then(|rest| {
            let end = rest.rfind(']')?;
            (end > 0).then(|| &rest[..end])
        }) {
            if header == DEFAULT_SECTION {
                target = Target::Defaults;
            } else {
                if !seen_sections.insert(header.to_string()) {
                    return Err(syntax(
                        line_no,
                        format!("section [{header}] appears twice in this file"),
                    ));
                }
                file.sections.push(RawSection {
                    name: header.to_string(),
                    line: line_no,
                    entries: Vec::new(),
                });
                target = Target::Section(file.sections.len() - 1);
            }
            current_section_name = header.to_string();
            continue;
        }
        let Some((key, first)) = split_option(value) else {
            return Err(syntax(
                line_no,
                format!("expected 'key = value', found {value:?}"),
            ));
        };
        if key.is_empty() {
            return Err(syntax(line_no, format!("empty key in {value:?}")));
        }
        let key = key.to_lowercase();
        if !seen_keys.insert((current_section_name.clone(), key.clone())) {
            return Err(syntax(
                line_no,
                format!("key '{key}' appears twice in [{current_section_name}] in this file"),
            ));
        }
        let entries = match target {
            Target::Defaults => &mut file.defaults,
            Target::Section(s) => &mut file.sections[s].entries,
            Target::None => {
                return Err(syntax(
                    line_no,
                    format!("line before any [section] header: {value:?}"),
                ));
            }
        };
        entries.push(Entry {
            key,
            value: String::new(),
            line: line_no,
        });
        current = Some((target, entries.len() - 1));
        value_lines.push(first.to_string());
    }
    flush(&mut file, &mut current, &mut value_lines);
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> IniFile {
        parse(Path::new("t.conf"), text).expect("parses")
    }

    #[test]
    fn headers_keys_and_values() {
        let file =
            parse_ok("[a] trailing]junk\nKey : v ; c\nk2=\n  l1\n\n  l2\n\n[DEFAULT]\nd = 1\n");
        assert_eq!(file.sections[0].name, "a] trailing");
        let entries = &file.sections[0].entries;
        assert_eq!(
            (entries[0].key.as_str(), entries[0].value.as_str()),
            ("key", "v")
        );
        assert_eq!(
            entries[1].value, "\nl1\n\nl2",
            "blank lines inside kept, trailing dropped"
        );
        assert_eq!(file.defaults[0].value, "1");
    }

    #[test]
    fn comments() {
        let file = parse_ok("# c\n; c\n[s]\nk = a;b ;c\n  # inside\n  next\nk2\t=\tx ; y\n");
        let entries = &file.sections[0].entries;
        assert_eq!(entries[0].value, "a;b\nnext");
        assert_eq!(entries[1].value, "x");
    }

    #[test]
    fn crlf_lines() {
        let file = parse_ok("[s]\r\nk = v\r\n  w\r\n");
        assert_eq!(file.sections[0].entries[0].value, "v\nw");
    }
}
