//! Nesting bounds checked before a parser sees input. The JSON5 parser
//! recurses once per `[`/`{` (200,000 of them overflow the stack and abort
//! the process), and libyaml's flow scanner is quadratic in flow depth, so
//! neither may see a document deeper than a fixed bound.

/// Deepest JSON/JSON5 nesting handed to a parser. Manifests nest a handful of
/// levels; a JSON schema in `openclaw.plugin.json` a few dozen at most.
pub(crate) const MAX_JSON_DEPTH: usize = 64;

/// Most flow openers (`[`, `{`) in a YAML frontmatter handed to the YAML
/// parser. Counted anywhere, quoted or not: an upper bound of the flow depth
/// that no quoting trick can lower (real frontmatter has a few dozen).
pub(crate) const MAX_YAML_FLOW_OPENERS: usize = 512;

/// Where a document passed a nesting bound: the 1-based line, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TooDeep {
    pub line: u32,
    pub reason: String,
}

/// Checks that `text`, read as JSON5 (JSON included), nests at most
/// `MAX_JSON_DEPTH` deep. Strings (either quote, with escapes) and comments
/// are skipped as the JSON5 grammar does, so brackets in them do not count;
/// where the grammar would stop at an error, the depth seen so far is never
/// less than what the parser reached.
pub(crate) fn check_json_depth(text: &str) -> Result<(), TooDeep> {
    check_json_depth_at(text, MAX_JSON_DEPTH)
}

fn check_json_depth_at(text: &str, max: usize) -> Result<(), TooDeep> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut line = 1u32;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => line += 1,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return Err(TooDeep {
                        line,
                        reason: format!("is nested more than {max} levels deep"),
                    });
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            quote @ (b'"' | b'\'') => {
                i += 1;
                while i < bytes.len() && bytes[i] != quote {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    if bytes.get(i) == Some(&b'\n') {
                        line += 1;
                    }
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                // JSON5 ends a line comment at any ES5 line terminator, not
                // only `\n`: skipping further would hide what the parser reads.
                while i < bytes.len() && !is_line_terminator(&bytes[i..]) {
                    i += 1;
                }
                continue; // the terminator is looked at (and a `\n` counted) next
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < bytes.len() && !bytes[i..].starts_with(b"*/") {
                    if bytes[i] == b'\n' {
                        line += 1;
                    }
                    i += 1;
                }
                i += 1; // onto the `/` of `*/`
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// Whether `rest` starts with an ES5 line terminator: LF, CR, U+2028 or
/// U+2029 (in UTF-8).
fn is_line_terminator(rest: &[u8]) -> bool {
    matches!(rest.first(), Some(b'\n' | b'\r'))
        || rest.starts_with("\u{2028}".as_bytes())
        || rest.starts_with("\u{2029}".as_bytes())
}

/// Checks that a YAML document holds at most `MAX_YAML_FLOW_OPENERS` flow
/// openers, and so nests flow collections no deeper. Block nesting needs no
/// check: libyaml keeps it on the heap and serde_yaml_ng stops at 128.
pub(crate) fn check_yaml_flow(text: &str) -> Result<(), TooDeep> {
    let bytes = text.as_bytes();
    let mut count = 0usize;
    for at in memchr::memchr2_iter(b'[', b'{', bytes) {
        count += 1;
        if count > MAX_YAML_FLOW_OPENERS {
            let line = 1 + memchr::memchr_iter(b'\n', &bytes[..at]).count() as u32;
            return Err(TooDeep {
                line,
                reason: format!(
                    "holds more than {MAX_YAML_FLOW_OPENERS} `[`/`{{` (flow nesting bound)"
                ),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_structure_only() {
        assert!(check_json_depth_at("[[[]]]", 3).is_ok());
        assert_eq!(check_json_depth_at("[\n[[[]]]]", 3).unwrap_err().line, 2);
        assert!(check_json_depth_at(r#"["[[[[", '{{{{', "\"[[[["]"#, 1).is_ok());
        assert!(check_json_depth_at("[// [[[[\n/* {{{{ */ 1]", 1).is_ok());
        // Closers in strings cannot hide depth.
        assert!(check_json_depth_at(r#"[ "]]]]" [ ']]]' [ 1 ] ] ]"#, 2).is_err());
        // Unbalanced closers do not bank depth for later.
        assert!(check_json_depth_at("]]]]]][[[[", 3).is_err());
        // A line comment ends where JSON5 ends it: at CR, U+2028 and U+2029
        // too, so what follows counts.
        for end in ["\r", "\u{2028}", "\u{2029}", "\n"] {
            let doc = format!("// x{end}[[[[]]]]");
            assert!(check_json_depth_at(&doc, 3).is_err(), "{end:?}");
            assert!(check_json_depth_at(&doc, 4).is_ok(), "{end:?}");
        }
    }

    #[test]
    fn the_bound_itself_parses_without_a_deep_stack() {
        // The deepest document let through must parse on a small thread
        // stack (the daemon's scanner threads are not the main thread).
        let doc = format!(
            "{}1{}",
            "[".repeat(MAX_JSON_DEPTH),
            "]".repeat(MAX_JSON_DEPTH)
        );
        assert!(check_json_depth(&doc).is_ok());
        let parsed = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || json5::from_str::<serde_json::Value>(&doc).is_ok())
            .unwrap()
            .join()
            .unwrap();
        assert!(parsed);
        assert!(check_json_depth(&"[".repeat(MAX_JSON_DEPTH + 1)).is_err());
    }

    #[test]
    fn yaml_openers_are_bounded_anywhere() {
        let ok = format!("a: '{}'\n", "[".repeat(MAX_YAML_FLOW_OPENERS));
        assert!(check_yaml_flow(&ok).is_ok());
        let quoted = format!("a: '{}'\n", "[".repeat(MAX_YAML_FLOW_OPENERS + 1));
        assert_eq!(check_yaml_flow(&quoted).unwrap_err().line, 1);
    }
}
