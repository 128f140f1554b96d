//! Secrets of a sink: written inline, with `${ENV}` expanded, or read from a
//! `*_file`, so a TOML file never has to hold them.

use std::path::Path;

use crate::AlertError;

/// Largest secret file read.
pub const MAX_SECRET_BYTES: u64 = 64 << 10;

/// The value of the secret `key` of sink `sink`: `inline` with every
/// `${NAME}` replaced by the environment variable (an unset one is an
/// error), or the contents of `file` without its trailing newline.
pub fn resolve(
    sink: &str,
    key: &str,
    inline: Option<&str>,
    file: Option<&Path>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<String>, AlertError> {
    let bad = |message: String| AlertError::Secret {
        sink: sink.to_string(),
        key: key.to_string(),
        message,
    };
    if let Some(path) = file {
        let text = clawguard_sys::regular_file::read_text(
            path,
            clawguard_sys::regular_file::Follow::Yes,
            MAX_SECRET_BYTES,
        )
        .map_err(|e| bad(format!("{}: {e}", path.display())))?;
        let value = text.trim_end_matches(['\n', '\r']).to_string();
        if value.is_empty() {
            return Err(bad(format!("{} is empty", path.display())));
        }
        return Ok(Some(value));
    }
    let Some(text) = inline else { return Ok(None) };
    expand_env(text, env).map(Some).map_err(bad)
}

/// `text` with every `${NAME}` replaced by `env(NAME)`. `$$` stays `$$`;
/// a `$` not followed by `{` is kept as is.
pub fn expand_env(text: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find('}')
            .ok_or_else(|| "unterminated ${ in value".to_string())?;
        let name = &after[..end];
        let name_ok = !name.is_empty()
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && !name.as_bytes()[0].is_ascii_digit();
        if !name_ok {
            return Err(format!("${{{name}}}: not an environment variable name"));
        }
        let value = env(name).ok_or_else(|| format!("environment variable {name} is not set"))?;
        out.push_str(&value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The process environment, for [`resolve`].
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        (name == "HOOK_TOKEN").then(|| "s3cret".to_string())
    }

    #[test]
    fn expands_set_variables_and_names_unset_ones() {
        assert_eq!(
            expand_env("https://x/${HOOK_TOKEN}/y", &env).unwrap(),
            "https://x/s3cret/y"
        );
        assert_eq!(expand_env("no vars $HOME", &env).unwrap(), "no vars $HOME");
        let err = expand_env("${MISSING}", &env).unwrap_err();
        assert!(err.contains("MISSING"), "{err}");
        assert!(expand_env("${HOOK_TOKEN", &env).is_err());
        assert!(expand_env("${1BAD}", &env).is_err());
    }

    #[test]
    fn reads_a_file_without_its_newline() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret");
        std::fs::write(&path, "abc\n").unwrap();
        let got = resolve("s", "secret", None, Some(&path), &env).unwrap();
        assert_eq!(got.as_deref(), Some("abc"));
        std::fs::write(&path, "\n").unwrap();
        let err = resolve("s", "secret", None, Some(&path), &env).unwrap_err();
        assert!(err.to_string().contains("sink s"), "{err}");
    }
}
