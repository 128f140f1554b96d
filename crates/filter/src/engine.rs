//! One compiled filter regex: the Rust `regex` engine when the pattern allows
//! it, PCRE2 (JIT, with match/depth/heap limits) otherwise, behind one API that
//! reports capture spans by fail2ban group name.

use std::ops::Range;

use crate::translate::{self, Target, Translated};

/// PCRE2 `match()` call budget per search; bounds backtracking on hostile lines.
pub const PCRE2_MATCH_LIMIT: u32 = 1_000_000;
/// PCRE2 backtracking depth limit (interpreter; the JIT is bounded by its stack).
pub const PCRE2_DEPTH_LIMIT: u32 = 10_000;
/// PCRE2 heap limit in KiB.
pub const PCRE2_HEAP_LIMIT_KIB: u32 = 8 * 1024;
/// Largest JIT stack PCRE2 may use.
const PCRE2_JIT_STACK_BYTES: usize = 1 << 20;
/// Compiled-program size caps for the Rust engine.
const RUST_SIZE_LIMIT: usize = 64 << 20;
const RUST_DFA_SIZE_LIMIT: usize = 16 << 20;

/// Which engine runs a regex.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineKind {
    /// The Rust `regex` crate.
    Rust,
    /// PCRE2 with JIT.
    Pcre2,
}

/// Capture-group indices of the names fail2ban gives meaning to.
#[derive(Debug, Default, Clone)]
pub(crate) struct Slots {
    pub ip4: Option<usize>,
    pub ip6: Option<usize>,
    pub dns: Option<usize>,
    pub fid: Option<usize>,
    pub mlfid: Option<usize>,
    pub nofail: Option<usize>,
    pub mlfforget: Option<usize>,
    pub mlfgained: Option<usize>,
    pub content: Option<usize>,
    pub user: Option<usize>,
    /// `alt_user…` groups, sorted by name (fail2ban takes the first non-empty one).
    pub alt_user: Vec<usize>,
    pub skiplines: Vec<usize>,
}

impl Slots {
    fn from_names<'a>(names: impl Iterator<Item = (usize, &'a str)>) -> Self {
        let mut s = Slots::default();
        let mut alt: Vec<(String, usize)> = Vec::new();
        let mut skip: Vec<(String, usize)> = Vec::new();
        for (i, name) in names {
            match name {
                "ip4" => s.ip4 = Some(i),
                "ip6" => s.ip6 = Some(i),
                "dns" => s.dns = Some(i),
                "fid" => s.fid = Some(i),
                "mlfid" => s.mlfid = Some(i),
                "nofail" => s.nofail = Some(i),
                "mlfforget" => s.mlfforget = Some(i),
                "mlfgained" => s.mlfgained = Some(i),
                "content" => s.content = Some(i),
                "user" => s.user = Some(i),
                n if n.starts_with("skiplines") => skip.push((n.to_string(), i)),
                n if is_alt_user(n) => alt.push((n.to_string(), i)),
                _ => {}
            }
        }
        alt.sort();
        skip.sort_by_key(|(n, _)| n.trim_start_matches("skiplines").parse::<u32>().ok());
        s.alt_user = alt.into_iter().map(|(_, i)| i).collect();
        s.skiplines = skip.into_iter().map(|(_, i)| i).collect();
        s
    }

    /// Whether the regex has a group that identifies a failure.
    pub fn has_failure_id(&self) -> bool {
        self.ip4.is_some()
            || self.ip6.is_some()
            || self.dns.is_some()
            || self.fid.is_some()
            || self.mlfid.is_some()
    }
}

/// `alt_user`, `alt_user_1`, … (fail2ban's `alt_` prefix with an optional `_N` suffix).
fn is_alt_user(name: &str) -> bool {
    let Some(rest) = name.strip_prefix("alt_user") else {
        return false;
    };
    rest.is_empty()
        || rest
            .strip_prefix('_')
            .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
        || rest.bytes().all(|b| b.is_ascii_digit())
}

struct RustPart {
    re: regex::Regex,
    locs: regex::CaptureLocations,
}

struct PcrePart {
    re: pcre2::bytes::Regex,
    locs: pcre2::bytes::CaptureLocations,
}

/// Strings one of which starts every match of an anchored regex, with a
/// first-byte table to reject most subjects without a comparison.
pub(crate) struct AnchoredPrefixes {
    first: [bool; 256],
    prefixes: Vec<Vec<u8>>,
}

impl AnchoredPrefixes {
    pub fn new(prefixes: Vec<Vec<u8>>) -> Self {
        let mut first = [false; 256];
        for p in &prefixes {
            if let Some(&b) = p.first() {
                first[usize::from(b)] = true;
            }
        }
        Self { first, prefixes }
    }

    /// Whether `hay` starts with one of the prefixes.
    pub fn admits(&self, hay: &[u8]) -> bool {
        match hay.first() {
            Some(&b) if self.first[usize::from(b)] => {
                self.prefixes.iter().any(|p| hay.starts_with(p))
            }
            _ => false,
        }
    }
}

/// Which engines [`CompiledRegex::compile`] may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EngineChoice {
    /// PCRE2-JIT first (fastest with captures); when a search hits a PCRE2
    /// limit, the Rust engine (linear time) redoes it if it can express the
    /// pattern. Without a JIT, the Rust engine first.
    #[default]
    Auto,
    /// The Rust engine wherever it can express the pattern, PCRE2 otherwise.
    RustPreferred,
    /// PCRE2 only.
    Pcre2Only,
}

/// A compiled regex with reusable capture storage.
pub(crate) struct CompiledRegex {
    /// The tag-expanded (Python syntax) pattern, as fail2ban-regex prints it.
    pub expanded: String,
    pub slots: Slots,
    /// Set by the filter: every match starts the subject with one of these.
    pub anchored_prefixes: Option<AnchoredPrefixes>,
    rust: Option<RustPart>,
    pcre: Option<PcrePart>,
    /// PCRE2 without UTF/UCP, for ASCII subjects: built only from an ASCII
    /// pattern, where it matches exactly as the UTF+UCP form on ASCII text
    /// (every class, escape and case rule agrees on code points below 128),
    /// and skips Unicode property lookups.
    pcre_ascii: Option<PcrePart>,
    primary: EngineKind,
    /// Engine whose capture locations hold the last search.
    last: Used,
    multiline: bool,
}

/// Which compiled form ran last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Used {
    Rust,
    Pcre,
    PcreAscii,
}

/// Why a regex could not be compiled.
#[derive(Debug)]
pub(crate) struct CompileFailure {
    pub reason: String,
}

/// A search that hit an engine limit (treated as "no match" by the caller).
#[derive(Debug)]
pub(crate) struct SearchLimit;

/// Whether PCRE2 has a working JIT here (probed once).
fn pcre2_jit_available() -> bool {
    static JIT: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *JIT.get_or_init(|| {
        pcre2::bytes::RegexBuilder::new()
            .jit(true)
            .build("a")
            .is_ok()
    })
}

impl CompiledRegex {
    /// Compiles a tag-expanded pattern with the engines `choice` allows.
    pub fn compile(
        expanded: &str,
        multiline: bool,
        choice: EngineChoice,
    ) -> Result<Self, CompileFailure> {
        let pcre = build_pcre2(expanded, multiline, true);
        let rust = if choice == EngineChoice::Pcre2Only {
            None
        } else {
            let t: Translated = translate::translate(expanded, Target::Rust, multiline);
            if t.needs_pcre2 {
                None
            } else {
                regex::RegexBuilder::new(&t.pattern)
                    .size_limit(RUST_SIZE_LIMIT)
                    .dfa_size_limit(RUST_DFA_SIZE_LIMIT)
                    .build()
                    .ok()
            }
        };
        // Both engines number groups left to right; a disagreement means a
        // translation bug, so keep only one engine then.
        let (rust, pcre) = match (rust, pcre) {
            (Some(r), Ok(p)) if r.captures_len() != p.captures_len() => (None, Ok(p)),
            other => other,
        };
        let pcre = match pcre {
            Ok(p) => Some(p),
            Err(e) if rust.is_none() => return Err(e),
            Err(_) => None,
        };
        let slots = match (&rust, &pcre) {
            (Some(r), _) => Slots::from_names(
                r.capture_names()
                    .enumerate()
                    .filter_map(|(i, n)| n.map(|n| (i, n))),
            ),
            (None, Some(p)) => Slots::from_names(
                p.capture_names()
                    .iter()
                    .enumerate()
                    .filter_map(|(i, n)| n.as_deref().map(|n| (i, n))),
            ),
            (None, None) => {
                return Err(CompileFailure {
                    reason: "no engine could compile the pattern".into(),
                });
            }
        };
        let primary = match (choice, &rust, &pcre) {
            (_, None, _) => EngineKind::Pcre2,
            (_, Some(_), None) => EngineKind::Rust,
            (EngineChoice::Auto, Some(_), Some(_)) if pcre2_jit_available() => EngineKind::Pcre2,
            _ => EngineKind::Rust,
        };
        let pcre_ascii = match &pcre {
            Some(p) => build_pcre2(expanded, multiline, false)
                .ok()
                .filter(|a| a.captures_len() == p.captures_len())
                .map(|re| PcrePart {
                    locs: re.capture_locations(),
                    re,
                }),
            None => None,
        };
        Ok(Self {
            expanded: expanded.to_string(),
            slots,
            anchored_prefixes: None,
            pcre_ascii,
            rust: rust.map(|re| RustPart {
                locs: re.capture_locations(),
                re,
            }),
            pcre: pcre.map(|re| PcrePart {
                locs: re.capture_locations(),
                re,
            }),
            primary,
            last: Used::Pcre,
            multiline,
        })
    }

    /// Which engine normally runs this regex.
    pub fn kind(&self) -> EngineKind {
        self.primary
    }

    /// Whether the anchored-prefix check rules a match in `hay` out.
    pub fn cannot_match(&self, hay: &str) -> bool {
        self.anchored_prefixes
            .as_ref()
            .is_some_and(|p| !p.admits(hay.as_bytes()))
    }

    /// The Rust translation of Python's single-line `$` is exact only for
    /// subjects without an interior newline.
    fn rust_exact_for(&self, hay: &str) -> bool {
        self.multiline || !has_interior_newline(hay)
    }

    /// Searches `hay`, keeping capture spans for [`Self::group`].
    pub fn search(&mut self, hay: &str) -> Result<bool, SearchLimit> {
        let use_pcre = match (&self.rust, &self.pcre) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(_), Some(_)) => self.primary == EngineKind::Pcre2 || !self.rust_exact_for(hay),
        };
        let ascii = self.pcre_ascii.is_some() && hay.is_ascii();
        let (part, used) = if ascii {
            (self.pcre_ascii.as_mut(), Used::PcreAscii)
        } else {
            (self.pcre.as_mut(), Used::Pcre)
        };
        if use_pcre && let Some(p) = part {
            self.last = used;
            match p.re.captures_read(&mut p.locs, hay.as_bytes()) {
                Ok(m) => return Ok(m.is_some()),
                Err(_) => {
                    // Limit hit: redo in linear time when the Rust engine is exact here.
                    if self.rust.is_none() || !self.rust_exact_for(hay) {
                        return Err(SearchLimit);
                    }
                }
            }
        }
        match self.rust.as_mut() {
            Some(r) => {
                self.last = Used::Rust;
                Ok(r.re.captures_read(&mut r.locs, hay).is_some())
            }
            None => Err(SearchLimit),
        }
    }

    /// Whether `hay` matches, without captures.
    pub fn is_match(&self, hay: &str) -> Result<bool, SearchLimit> {
        let use_pcre = match (&self.rust, &self.pcre) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(_), Some(_)) => self.primary == EngineKind::Pcre2 || !self.rust_exact_for(hay),
        };
        let part = match &self.pcre_ascii {
            Some(a) if hay.is_ascii() => Some(a),
            _ => self.pcre.as_ref(),
        };
        if use_pcre && let Some(p) = part {
            match p.re.is_match(hay.as_bytes()) {
                Ok(m) => return Ok(m),
                Err(_) => {
                    if self.rust.is_none() || !self.rust_exact_for(hay) {
                        return Err(SearchLimit);
                    }
                }
            }
        }
        match self.rust.as_ref() {
            Some(r) => Ok(r.re.is_match(hay)),
            None => Err(SearchLimit),
        }
    }

    /// Span of capture group `index` from the last successful [`Self::search`].
    pub fn group(&self, index: usize) -> Option<Range<usize>> {
        let (s, e) = match self.last {
            Used::Rust => self.rust.as_ref()?.locs.get(index)?,
            Used::Pcre => self.pcre.as_ref()?.locs.get(index)?,
            Used::PcreAscii => self.pcre_ascii.as_ref()?.locs.get(index)?,
        };
        Some(s..e)
    }

    /// Span of the whole match from the last successful [`Self::search`].
    pub fn whole(&self) -> Option<Range<usize>> {
        self.group(0)
    }
}

/// A newline anywhere but at the very end.
fn has_interior_newline(hay: &str) -> bool {
    let b = hay.as_bytes();
    b.len() > 1 && memchr::memchr(b'\n', &b[..b.len() - 1]).is_some()
}

/// The PCRE2 form: UTF + UCP, JIT, and the limits prepended as pattern options.
/// With `unicode` false, builds the ASCII form (no UTF/UCP); refused unless
/// the pattern itself is ASCII.
fn build_pcre2(
    expanded: &str,
    multiline: bool,
    unicode: bool,
) -> Result<pcre2::bytes::Regex, CompileFailure> {
    let pcre = translate::translate(expanded, Target::Pcre2, multiline);
    if !unicode && !pcre.pattern.is_ascii() {
        return Err(CompileFailure {
            reason: "non-ASCII pattern".into(),
        });
    }
    let limited = format!(
        "(*LF)(*LIMIT_MATCH={PCRE2_MATCH_LIMIT})(*LIMIT_DEPTH={PCRE2_DEPTH_LIMIT})(*LIMIT_HEAP={PCRE2_HEAP_LIMIT_KIB}){}",
        pcre.pattern
    );
    pcre2::bytes::RegexBuilder::new()
        .utf(unicode)
        .ucp(unicode)
        .multi_line(multiline)
        .jit_if_available(true)
        .max_jit_stack_size(Some(PCRE2_JIT_STACK_BYTES))
        .build(&limited)
        .map_err(|e| CompileFailure {
            reason: e.to_string(),
        })
}

#[cfg(test)]
mod tests {
    /// Python-syntax constructs both engines must treat alike, on awkward subjects.
    #[test]
    fn engines_agree_on_python_constructs() {
        let patterns = [
            r"^a{,3}b$",
            r"[^[]+\]",
            r"x\Z",
            r"^(?P<h>[\w\-.^_]*\w)\s*$",
            r"(?i:user) (?P<u>\S+) from (?P<ip4>(?:\d{1,3}\.){3}\d{1,3})",
            r"\bfoo\b.*?(?P<x>\d+)$",
            r"^\s*(?:\S+\s+)?(?P<c>.+)$",
            r"[\w-.]+@(?P<d>\S+)",
            r"{foo}|\{bar\}",
            r"^(?:(?:error|fatal): )?(?P<c>.+?)\s*$",
        ];
        let subjects = [
            "aab\n",
            "aaaab\n",
            "[x]\n",
            "a\nx",
            "x\n",
            "host.example\n",
            "h\u{e9}te-1.ex \n",
            "USER root from 192.0.2.1\n",
            "User r\u{f6}\u{f6}t from 192.0.2.1 port 22\n",
            "foo bar 12\n",
            "foo bar 12\nbaz\n",
            "  host sshd[1]: error: x\n",
            "a.b-c@d\n",
            "{foo}\n",
            "fatal: \u{661}\u{662} \n",
            "\n",
            "",
        ];
        for p in patterns {
            let mut rust = CompiledRegex::compile(p, false, EngineChoice::RustPreferred).unwrap();
            let mut pcre = CompiledRegex::compile(p, false, EngineChoice::Pcre2Only).unwrap();
            assert_eq!(rust.kind(), EngineKind::Rust, "{p}");
            for hay in subjects {
                let a = rust.search(hay).unwrap();
                let b = pcre.search(hay).unwrap();
                assert_eq!(a, b, "{p} on {hay:?}");
                if a {
                    for g in 0..4 {
                        assert_eq!(rust.group(g), pcre.group(g), "{p} group {g} on {hay:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn ascii_and_unicode_forms_agree() {
        let pat = r"^(?P<u>\w+) (?i:é|x)\s(?P<d>\d+)\b";
        let mut r = CompiledRegex::compile(pat, false, EngineChoice::Pcre2Only).unwrap();
        // The pattern has a non-ASCII literal: no ASCII form.
        assert!(r.pcre_ascii.is_none());
        assert!(r.search("héllo É 12").unwrap());
        let mut r = CompiledRegex::compile(
            r"^(?P<u>\w+) (?i:x)\s(?P<d>\d+)\b",
            false,
            EngineChoice::Pcre2Only,
        )
        .unwrap();
        assert!(r.pcre_ascii.is_some());
        for hay in [
            "abc X 12",
            "ab_c x\t7 ",
            "ab-c x 1",
            "héllo X ٣",
            "abc X 12x",
        ] {
            let a = r.search(hay).unwrap();
            let a_groups = (r.group(1), r.group(2));
            // Same subject through the Unicode form only.
            let u = r.pcre.as_mut().unwrap();
            let b =
                u.re.captures_read(&mut u.locs, hay.as_bytes())
                    .unwrap()
                    .is_some();
            assert_eq!(a, b, "{hay}");
            if a {
                let u = r.pcre.as_ref().unwrap();
                let b_groups = (
                    u.locs.get(1).map(|(s, e)| s..e),
                    u.locs.get(2).map(|(s, e)| s..e),
                );
                assert_eq!(a_groups, b_groups, "{hay}");
            }
        }
    }

    #[test]
    fn pcre2_limit_falls_back_to_the_linear_engine() {
        // Exponential for a backtracker, linear for the Rust engine: same answer as Python.
        let mut r = CompiledRegex::compile(r"^(?:a+a+)+b$", false, EngineChoice::Auto).unwrap();
        let hay = format!("{}c", "a".repeat(64));
        let t = std::time::Instant::now();
        assert!(!r.search(&hay).unwrap());
        let hay = format!("{}b", "a".repeat(64));
        assert!(r.search(&hay).unwrap());
        assert!(t.elapsed() < std::time::Duration::from_millis(900));
    }

    use super::*;

    #[test]
    fn simple_patterns_use_rust_and_lookaround_uses_pcre2() {
        let pref = EngineChoice::RustPreferred;
        let r = CompiledRegex::compile(r"^foo (?P<ip4>\d+)$", false, pref).unwrap();
        assert_eq!(r.kind(), EngineKind::Rust);
        let r = CompiledRegex::compile(r"^foo(?! bar) (?P<ip4>\d+)$", false, pref).unwrap();
        assert_eq!(r.kind(), EngineKind::Pcre2);
    }

    #[test]
    fn dollar_matches_before_final_newline_in_both_engines() {
        use EngineChoice::*;
        for force in [Auto, RustPreferred, Pcre2Only] {
            let mut r = CompiledRegex::compile(r"^a (?P<x>\w+)$", false, force).unwrap();
            assert!(r.search("a bc\n").unwrap(), "{force:?}");
            assert_eq!(r.group(1), Some(2..4));
            assert!(!r.search("a bc\nd\n").unwrap());
            // `\s` may consume the final newline, as in Python.
            let mut r = CompiledRegex::compile(r"^a\s$", false, force).unwrap();
            assert!(r.search("a\n").unwrap());
            // Only LF is a newline (Python): `.` takes a CR.
            let mut r = CompiledRegex::compile(r"^a.$", false, force).unwrap();
            assert!(r.search("a\r\n").unwrap(), "{force:?}");
            // `\Z` is the very end.
            let mut r = CompiledRegex::compile(r"^a\Z", false, force).unwrap();
            assert!(!r.search("a\n").unwrap());
        }
    }

    #[test]
    fn pcre2_backtracking_is_bounded() {
        // Catastrophic nested quantifier plus a lookahead forces PCRE2.
        let mut r =
            CompiledRegex::compile(r"^(?=x)?(a+)+$", false, EngineChoice::Pcre2Only).unwrap();
        assert_eq!(r.kind(), EngineKind::Pcre2);
        let mut hay = "a".repeat(5000);
        hay.push('!');
        let t = std::time::Instant::now();
        let res = r.search(&hay);
        assert!(matches!(res, Err(SearchLimit) | Ok(false)));
        assert!(t.elapsed() < std::time::Duration::from_millis(900));
    }
}
