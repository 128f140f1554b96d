//! A sound line prefilter: from each failregex/ignoreregex, a set of literal
//! strings at least one of which every match must contain. A line containing
//! none of the union of these sets can match no regex of the filter, so (with
//! `maxlines = 1`, where such a line changes no filter state) it is `Missed`
//! without running the regexes.
//!
//! Patterns the Rust engine can't parse are analysed in a widened form
//! (lookarounds dropped, conditionals/backreferences made permissive); a
//! wider language has fewer required literals, never wrong ones.

use regex_syntax::hir::literal::Extractor;
use regex_syntax::hir::{Class, Hir, HirKind, Look};

use crate::translate::{self, Target};

/// Largest literal set kept per sub-expression.
const MAX_SET: usize = 64;
/// Largest class expanded into single-character literals.
const MAX_CLASS_CHARS: u32 = 8;
/// Shortest useful literal; sets with a shorter member are not used.
const MIN_LITERAL_BYTES: usize = 3;

/// Required literals of one tag-expanded (Python syntax) pattern, or `None` if
/// there is no useful set.
pub(crate) fn required_literals(expanded: &str, multiline: bool) -> Option<Vec<Vec<u8>>> {
    let widened = translate::translate(expanded, Target::Widened, multiline);
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(&widened.pattern)
        .ok()?;
    let set = required(&hir)?;
    // A literal spanning a newline need not be inside one line: keep the
    // longest newline-free piece, which any match still contains.
    let mut out: Vec<Vec<u8>> = Vec::with_capacity(set.len());
    for lit in set {
        let piece = lit
            .split(|&b| b == b'\n')
            .max_by_key(|p| p.len())
            .unwrap_or(&[])
            .to_vec();
        if piece.len() < MIN_LITERAL_BYTES {
            return None;
        }
        if !out.contains(&piece) {
            out.push(piece);
        }
    }
    if out.is_empty() { None } else { Some(out) }
}

/// For a pattern anchored at the start of the text (`^` without MULTILINE),
/// the strings one of which every match must start with: a subject starting
/// with none of them can't match, so the regex needn't run.
pub(crate) fn anchored_prefixes(expanded: &str) -> Option<Vec<Vec<u8>>> {
    let widened = translate::translate(expanded, Target::Widened, false);
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(&widened.pattern)
        .ok()?;
    if !hir.properties().look_set_prefix().contains(Look::Start) {
        return None;
    }
    let seq = Extractor::new().extract(&hir);
    let lits = seq.literals()?;
    if lits.is_empty() || lits.iter().any(|l| l.as_bytes().is_empty()) {
        return None;
    }
    Some(lits.iter().map(|l| l.as_bytes().to_vec()).collect())
}

/// Builds one searcher for the union of all sets; `None` if any set is missing.
pub(crate) fn build(sets: &[Option<Vec<Vec<u8>>>]) -> Option<aho_corasick::AhoCorasick> {
    let mut all: Vec<&Vec<u8>> = Vec::new();
    for set in sets {
        for lit in set.as_ref()? {
            if !all.contains(&lit) {
                all.push(lit);
            }
        }
    }
    if all.is_empty() {
        return None;
    }
    // A literal containing another one adds nothing: the shorter one is
    // present whenever the longer one is.
    let kept: Vec<&Vec<u8>> = all
        .iter()
        .filter(|l| {
            !all.iter().any(|m| {
                m.len() < l.len() && memchr::memmem::find(l.as_slice(), m.as_slice()).is_some()
            })
        })
        .copied()
        .collect();
    aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostFirst)
        .build(kept)
        .ok()
}

/// Strings each of which the whole expression matches exactly (bounded), if small.
fn exact(h: &Hir) -> Option<Vec<Vec<u8>>> {
    match h.kind() {
        HirKind::Empty => Some(vec![Vec::new()]),
        HirKind::Literal(l) => Some(vec![l.0.to_vec()]),
        HirKind::Class(c) => class_chars(c),
        HirKind::Capture(c) => exact(&c.sub),
        HirKind::Concat(parts) => {
            let mut acc: Vec<Vec<u8>> = vec![Vec::new()];
            for p in parts {
                let next = exact(p)?;
                if acc.len() * next.len() > MAX_SET {
                    return None;
                }
                let mut prod = Vec::with_capacity(acc.len() * next.len());
                for a in &acc {
                    for n in &next {
                        let mut s = a.clone();
                        s.extend_from_slice(n);
                        prod.push(s);
                    }
                }
                acc = prod;
            }
            Some(acc)
        }
        HirKind::Alternation(alts) => {
            let mut out = Vec::new();
            for a in alts {
                out.extend(exact(a)?);
                if out.len() > MAX_SET {
                    return None;
                }
            }
            Some(out)
        }
        HirKind::Repetition(r) if r.min == 1 && r.max == Some(1) => exact(&r.sub),
        _ => None,
    }
}

fn class_chars(c: &Class) -> Option<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    match c {
        Class::Unicode(u) => {
            let mut total = 0u32;
            for r in u.ranges() {
                total += r.end() as u32 - r.start() as u32 + 1;
                if total > MAX_CLASS_CHARS {
                    return None;
                }
                for ch in r.start()..=r.end() {
                    let mut b = [0u8; 4];
                    out.push(ch.encode_utf8(&mut b).as_bytes().to_vec());
                }
            }
        }
        Class::Bytes(b) => {
            let mut total = 0u32;
            for r in b.ranges() {
                total += u32::from(r.end()) - u32::from(r.start()) + 1;
                if total > MAX_CLASS_CHARS {
                    return None;
                }
                for byte in r.start()..=r.end() {
                    out.push(vec![byte]);
                }
            }
        }
    }
    if out.is_empty() { None } else { Some(out) }
}

/// Literals this long are selective enough; beyond it, fewer members win
/// (a smaller union keeps the line scan on the fast Teddy path).
const ENOUGH_LITERAL_BYTES: usize = 12;

/// Quality of a set: longer shortest member (up to a cap), then fewer members.
fn score(set: &[Vec<u8>]) -> (usize, isize, usize) {
    let min = set.iter().map(Vec::len).min().unwrap_or(0);
    (min.min(ENOUGH_LITERAL_BYTES), -(set.len() as isize), min)
}

fn better(a: Option<Vec<Vec<u8>>>, b: Option<Vec<Vec<u8>>>) -> Option<Vec<Vec<u8>>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if score(&b) > score(&a) { b } else { a }),
        (a, None) => a,
        (None, b) => b,
    }
}

/// A set of literals at least one of which every match of `h` contains.
fn required(h: &Hir) -> Option<Vec<Vec<u8>>> {
    if let Some(e) = exact(h)
        && e.iter().all(|s| !s.is_empty())
    {
        return Some(e);
    }
    match h.kind() {
        HirKind::Capture(c) => required(&c.sub),
        HirKind::Repetition(r) if r.min >= 1 => required(&r.sub),
        HirKind::Concat(parts) => {
            let mut best: Option<Vec<Vec<u8>>> = None;
            // Runs of exactly-known parts combine into longer literals.
            let mut run: Option<Vec<Vec<u8>>> = Some(vec![Vec::new()]);
            for p in parts {
                // A single literal part is required on its own, too.
                if let Some(e) = exact(p)
                    && e.len() == 1
                    && !e[0].is_empty()
                {
                    best = better(best, Some(e));
                }
                match (exact(p), run.take()) {
                    (Some(next), Some(acc)) if acc.len() * next.len() <= MAX_SET => {
                        let mut prod = Vec::with_capacity(acc.len() * next.len());
                        for a in &acc {
                            for n in &next {
                                let mut s = a.clone();
                                s.extend_from_slice(n);
                                prod.push(s);
                            }
                        }
                        run = Some(prod);
                    }
                    (next, acc) => {
                        best = better(best, acc.filter(|a| a.iter().all(|s| !s.is_empty())));
                        best = better(best, required(p));
                        run = next.or(Some(vec![Vec::new()]));
                    }
                }
            }
            better(best, run.filter(|a| a.iter().all(|s| !s.is_empty())))
        }
        HirKind::Alternation(alts) => {
            let mut out: Vec<Vec<u8>> = Vec::new();
            for a in alts {
                for lit in required(a)? {
                    if !out.contains(&lit) {
                        out.push(lit);
                    }
                }
                if out.len() > MAX_SET {
                    return None;
                }
            }
            Some(out)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lits(p: &str) -> Option<Vec<String>> {
        required_literals(p, false).map(|v| {
            v.into_iter()
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .collect()
        })
    }

    #[test]
    fn extracts_required_literals() {
        assert_eq!(
            lits(r"^Failed \S+ for (?P<user>.*) from (?P<ip4>\d+)"),
            Some(vec!["Failed ".to_string()])
        );
        let l = lits(r"^[iI](?:llegal|nvalid) user (?P<user>.*?) from x").unwrap();
        assert!(l.contains(&"Invalid user ".to_string()), "{l:?}");
        // One long literal beats six case/alternative variants.
        let l =
            lits(r"^[aA]uthentication (?:failure|error|failed) for (?P<user>.*) from x").unwrap();
        assert_eq!(l, vec!["uthentication ".to_string()]);
        // Lookarounds and conditionals are widened, not fatal.
        let l = lits(r"^Failed (?!x)\S+ for (?P<c>a )?(?(c)b|c) from (?P<ip4>\d+)").unwrap();
        assert!(l.iter().any(|s| s.contains("Failed")), "{l:?}");
        // Nothing required: no prefilter.
        assert_eq!(lits(r"^\S+ (?P<ip4>\d+)"), None);
        assert_eq!(lits(r"^(?:abc)?\d"), None);
    }

    #[test]
    fn anchored_prefixes_are_found() {
        let p = anchored_prefixes(r"^[aA]uth (?P<user>.*) from (?P<ip4>\d+)").unwrap();
        assert!(
            p.contains(&b"auth ".to_vec()) && p.contains(&b"Auth ".to_vec()),
            "{p:?}"
        );
        let p = anchored_prefixes(r"^(?P<nofail>Accepted \w+) for").unwrap();
        assert!(p.iter().all(|l| l.starts_with(b"Accepted ")), "{p:?}");
        assert_eq!(anchored_prefixes(r"Failed (?P<ip4>\d+)"), None);
        assert_eq!(anchored_prefixes(r"^\S+ (?P<ip4>\d+)"), None);
        assert_eq!(anchored_prefixes(r"^(?:a|\d)x"), None);
    }

    #[test]
    fn one_regex_without_literals_disables_the_prefilter() {
        let a = required_literals("^Failed x", false);
        let b = required_literals(r"^\d+", false);
        assert!(build(std::slice::from_ref(&a)).is_some());
        assert!(build(&[a, b]).is_none());
        // "Failed " subsumes "Failed publickey": lines with only "Failed x" still pass.
        let pf = build(&[
            required_literals(r"^Failed publickey for (?P<ip4>\d+)", false),
            required_literals(r"^Failed \S+ (?P<ip4>\d+)", false),
        ])
        .unwrap();
        assert_eq!(pf.patterns_len(), 1);
        assert!(pf.is_match("Failed password"));
    }
}
