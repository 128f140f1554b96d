//! Small value syntaxes of jail files: `name[k=v, k2="a, b"][k3='…']`
//! specifications, word lists and journal matches.

use crate::error::F2bError;

/// Longest filter/action specification accepted.
const MAX_SPEC_BYTES: usize = 64 * 1024;

/// Parses `name[k=v, …]` into the name and its parameters, the way
/// fail2ban's `extractOptions` does: values may be `"…"`, `'…'` or bare
/// (bare values end at `,` or `]`); several `[…]` groups may follow.
pub(crate) fn parse_spec(spec: &str) -> Result<(String, Vec<(String, String)>), F2bError> {
    let bad = |message: String| F2bError::Spec {
        spec: crate::store::clip(spec),
        message,
    };
    if spec.len() > MAX_SPEC_BYTES {
        return Err(bad(format!("longer than {MAX_SPEC_BYTES} bytes")));
    }
    let trimmed = spec.trim_end();
    let (name, options) = match trimmed.find('[') {
        None => (trimmed, None),
        Some(open) => {
            let Some(inner) = trimmed[open + 1..].strip_suffix(']') else {
                return Err(bad("'[' without closing ']'".into()));
            };
            (&trimmed[..open], Some(inner))
        }
    };
    if name.is_empty() {
        return Err(bad("empty name".into()));
    }
    let mut params = Vec::new();
    if let Some(text) = options {
        parse_params(text, &mut params).map_err(bad)?;
    }
    Ok((name.to_string(), params))
}

fn is_param_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.')
}

/// Parses `k=v, k2="v2"][k3=v3` (the text between the outer brackets).
fn parse_params(text: &str, out: &mut Vec<(String, String)>) -> Result<(), String> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let skip_ws = |i: &mut usize| {
        while *i < chars.len() && chars[*i].is_whitespace() {
            *i += 1;
        }
    };
    loop {
        skip_ws(&mut i);
        if i >= chars.len() {
            return Ok(());
        }
        let start = i;
        while i < chars.len() && is_param_name_char(chars[i]) {
            i += 1;
        }
        if i == start || i >= chars.len() || chars[i] != '=' {
            let rest: String = chars[start..].iter().take(25).collect();
            return Err(format!("expected 'name=value' at {rest:?}"));
        }
        let name: String = chars[start..i].iter().collect();
        i += 1;
        let value: String = match chars.get(i) {
            Some(&q @ ('"' | '\'')) => {
                let open = i;
                i += 1;
                while i < chars.len() && chars[i] != q {
                    i += 1;
                }
                if i >= chars.len() {
                    return Err(format!("unterminated {q} quote after '{name}='"));
                }
                let v: String = chars[open + 1..i].iter().collect();
                i += 1;
                v
            }
            _ => {
                let open = i;
                while i < chars.len() && chars[i] != ',' && chars[i] != ']' {
                    i += 1;
                }
                chars[open..i].iter().collect()
            }
        };
        out.push((name.trim().to_string(), value.trim().to_string()));
        // Separator: ',' or ']' + spaces + '[' or end of text.
        skip_ws_after_value(&chars, &mut i);
        if i >= chars.len() {
            return Ok(());
        }
        if chars[i] == ',' {
            i += 1;
            continue;
        }
        if chars[i] == ']' {
            let mut j = i + 1;
            while j < chars.len() && chars[j].is_whitespace() {
                j += 1;
            }
            if j < chars.len() && chars[j] == '[' {
                i = j + 1;
                continue;
            }
        }
        let rest: String = chars[i..].iter().take(25).collect();
        return Err(format!("unexpected text after '{name}': {rest:?}"));
    }
}

/// fail2ban tolerates spaces between a quoted value and the separator only at
/// the very end; it is harmless to allow them everywhere.
fn skip_ws_after_value(chars: &[char], i: &mut usize) {
    while *i < chars.len() && chars[*i].is_whitespace() {
        *i += 1;
    }
}

/// fail2ban's `splitwords`: split on spaces, commas and newlines.
pub(crate) fn split_words(text: &str) -> Vec<String> {
    text.split([' ', ',', '\n'])
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Splits a `journalmatch` value: each line is split like a POSIX shell
/// (quotes, backslashes) and `+` separates alternatives. Returns the
/// alternatives, each a list of `FIELD=value` terms.
pub(crate) fn split_journalmatch(text: &str) -> Result<Vec<Vec<String>>, String> {
    let mut alternatives = Vec::new();
    for line in text.split('\n') {
        let words = shell_words(line)?;
        let mut current: Vec<String> = Vec::new();
        for word in words {
            if word == "+" {
                if !current.is_empty() {
                    alternatives.push(std::mem::take(&mut current));
                }
            } else {
                current.push(word);
            }
        }
        if !current.is_empty() {
            alternatives.push(current);
        }
    }
    Ok(alternatives)
}

/// POSIX-style word splitting (Python `shlex.split`).
fn shell_words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(x) => word.push(x),
                        None => return Err(format!("unterminated ' quote in {line:?}")),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(x @ ('"' | '\\' | '$' | '`')) => word.push(x),
                            Some(x) => {
                                word.push('\\');
                                word.push(x);
                            }
                            None => return Err(format!("unterminated \" quote in {line:?}")),
                        },
                        Some(x) => word.push(x),
                        None => return Err(format!("unterminated \" quote in {line:?}")),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some(x) => word.push(x),
                    None => return Err(format!("trailing backslash in {line:?}")),
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(spec: &str) -> Vec<(String, String)> {
        parse_spec(spec).expect(spec).1
    }

    #[test]
    fn specs_parse_like_extract_options() {
        assert_eq!(parse_spec("sshd").expect("plain"), ("sshd".into(), vec![]));
        assert_eq!(
            params(r#"nft[type=allports, port="80, 443", name='a]b'][chain=input]"#),
            [
                ("type".into(), "allports".into()),
                ("port".into(), "80, 443".into()),
                ("name".into(), "a]b".into()),
                ("chain".into(), "input".into()),
            ]
        );
        assert_eq!(params("x[ k=v ,]"), [("k".into(), "v".into())]);
        assert!(
            parse_spec("x[k = v]").is_err(),
            "no spaces before =, as in fail2ban"
        );
        assert_eq!(params("x[]"), []);
        for bad in [
            "[k=v]",
            "x[k=v",
            "x[k=v] tail",
            "x[=v]",
            "x[k]",
            r#"x[k="v]"#,
        ] {
            assert!(parse_spec(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn words_and_journal_matches() {
        assert_eq!(split_words("a, b\n c,,d"), ["a", "b", "c", "d"]);
        assert_eq!(
            split_journalmatch("_SYSTEMD_UNIT=a.service + _COMM=a\n'_X=with space' _Y=1")
                .expect("ok"),
            vec![
                vec!["_SYSTEMD_UNIT=a.service".to_string()],
                vec!["_COMM=a".to_string()],
                vec!["_X=with space".to_string(), "_Y=1".to_string()],
            ]
        );
        assert!(split_journalmatch("_X='open").is_err());
    }
}
