//! `<tag>` substitution as fail2ban does it after `%(…)s` interpolation.
//!
//! A tag is `<` + characters other than space, `<`, `>` + `>`. The leftmost
//! tag is looked up; if found, every occurrence is replaced and scanning
//! restarts where it began, so nested tags (`<mdre-<mode>>`,
//! `<lt_<logtype>/__prefix_line>`) resolve inside-out. Unknown tags
//! (`<HOST>`, `<F-USER>`, …) are left in place. A value that refers to its
//! own key, or a tag replaced more than 25 times, is an error (fail2ban's
//! `MAX_TAG_REPLACE_COUNT`); size and total work are bounded as well.

use std::collections::{BTreeSet, HashMap};

use crate::error::Location;
use crate::store::{Budget, MAX_VALUE_BYTES, clip};

/// fail2ban's `MAX_TAG_REPLACE_COUNT`.
const MAX_TAG_REPLACE_COUNT: usize = 25;
/// Most replacements performed for one value.
const MAX_TAG_STEPS: usize = 10_000;

/// Why substitution stopped.
#[derive(Debug)]
pub(crate) enum TagError {
    /// The lookup itself failed (its error is passed through).
    Lookup(crate::F2bError),
    /// Self-reference, too many replacements, or too large a result.
    Bad(String),
}

/// Finds the leftmost tag at or after byte `from`: `(start, end, name)`.
pub(crate) fn find_tag(value: &str, from: usize) -> Option<(usize, usize, &str)> {
    let bytes = value.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        if bytes[i] == b'<' {
            let mut j = i + 1;
            while j < bytes.len() && !matches!(bytes[j], b' ' | b'<' | b'>') {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == b'>' && j > i + 1 {
                return Some((i, j + 1, &value[i + 1..j]));
            }
        }
        i += 1;
    }
    None
}

/// Substitutes tags in `value`, the value of `own_key`. `lookup` returns the
/// replacement for a tag name, or `None` to leave the tag alone.
pub(crate) fn substitute(
    own_key: &str,
    value: &str,
    ignore: &BTreeSet<String>,
    lookup: &mut dyn FnMut(&str) -> Result<Option<String>, crate::F2bError>,
    budget: &Budget,
    origin: &Location,
) -> Result<String, TagError> {
    let mut value = value.to_string();
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut steps = 0usize;
    // fail2ban repeats whole passes while a pass changed something: a tag
    // completed by an inner replacement (`<a_<b>>`) starts before the restart point.
    loop {
        let before_steps = steps;
        let mut pos = 0usize;
        while let Some((start, end, name)) = find_tag(&value, pos) {
            if ignore.contains(name) {
                pos = end;
                continue;
            }
            let name = name.to_string();
            let count = counts.get(&name).copied().unwrap_or(0);
            if name == own_key || count >= MAX_TAG_REPLACE_COUNT {
                return Err(TagError::Bad(format!(
                    "self-referencing tag definitions cannot be resolved: <{name}> in {:?}",
                    clip(&value)
                )));
            }
            let Some(replacement) = lookup(&name).map_err(TagError::Lookup)? else {
                pos = end;
                continue;
            };
            steps += 1;
            if steps > MAX_TAG_STEPS {
                return Err(TagError::Bad(format!(
                    "more than {MAX_TAG_STEPS} tag replacements needed"
                )));
            }
            let tag = format!("<{name}>");
            let occurrences = value.matches(&tag).count();
            let grown = value.len() - occurrences * tag.len() + occurrences * replacement.len();
            if grown > MAX_VALUE_BYTES {
                return Err(TagError::Bad(format!(
                    "tag substitution grows the value beyond {MAX_VALUE_BYTES} bytes"
                )));
            }
            budget.charge(grown, origin).map_err(TagError::Lookup)?;
            value = value.replace(&tag, &replacement);
            counts.insert(name, count + 1);
            pos = start;
        }
        if steps == before_steps || find_tag(&value, 0).is_none() {
            return Ok(value);
        }
    }
}
