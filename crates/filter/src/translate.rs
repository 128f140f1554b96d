//! From a fail2ban regex (with `<HOST>`-style tags, Python `re` syntax) to a
//! pattern for the Rust `regex` crate or for PCRE2.
//!
//! Two steps, both written from fail2ban's documented behaviour:
//! 1. [`expand_tags`]: fail2ban's tag substitution (`<HOST>`, `<F-USER>…</F-USER>`,
//!    `<SKIPLINES>`, …) and its rewrite of `((?i)x)` into `(?i:x)`.
//! 2. [`translate`]: Python `re` syntax to the target engine, keeping Python's
//!    meaning (`$` also before a final newline, `\Z` = end of text, `{,n}`,
//!    unescaped `[` inside classes, Python's Unicode `\w`, …).

/// fail2ban's IPv4 expression, with the optional `::ffff:` prefix outside the group.
const IP4: &str = r"(?:::f{4,6}:)?(?P<ip4>(?:\d{1,3}\.){3}\d{1,3})";
/// fail2ban's IPv6 expression. fail2ban ends it with `(?<=:):`; every repetition
/// of the preceding group ends with `:`, so that lookbehind always holds and a
/// plain `:` is the same language (and lets the Rust engine compile it).
const IP6: &str = r"(?P<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:))";
const DNS: &str = r"(?P<dns>[\w\-.^_]*\w)";
const CIDR: &str = r"(?P<cidr>\d+)";

/// How `<HOST>` treats names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UseDns {
    /// fail2ban `usedns = no`: `<HOST>` matches addresses only.
    #[default]
    No,
    /// `<HOST>` also matches a DNS name (fail2ban `yes`/`warn`/`raw`); a
    /// captured name is never resolved and yields no [`crate::Failure`].
    Raw,
}

fn addr() -> String {
    format!(r"\[?(?:{IP4}|{IP6})\]?")
}

fn tag_replacement(tag: &str, use_dns: UseDns, skiplines: &mut usize) -> Option<String> {
    Some(match tag {
        "HOST" => match use_dns {
            UseDns::No => addr(),
            UseDns::Raw => format!("(?:{}|{DNS})", addr()),
        },
        "SKIPLINES" => {
            let n = *skiplines;
            *skiplines += 1;
            format!(r"\n(?P<skiplines{n}>(?:(?:.*\n)*?))")
        }
        "IP4" | "F-IP4/" => IP4.to_string(),
        "IP6" | "F-IP6/" => IP6.to_string(),
        "ADDR" | "F-ADDR/" => addr(),
        "CIDR" | "F-CIDR/" => CIDR.to_string(),
        "SUBNET" | "F-SUBNET/" => format!(r"\[?(?:{IP4}|{IP6})(?:/{CIDR})?\]?"),
        "DNS" | "F-DNS/" => DNS.to_string(),
        "F-ID/" => r"(?P<fid>\S+)".to_string(),
        "F-PORT/" => r"(?P<fport>\w+)".to_string(),
        _ => return None,
    })
}

fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// Custom capture name for `F-NAME`, mapped like fail2ban (`id`→`fid`, `port`→`fport`).
fn custom_group_name(name: &str) -> String {
    let lower = name.to_lowercase();
    match lower.as_str() {
        "id" => "fid".to_string(),
        "port" => "fport".to_string(),
        _ => lower,
    }
}

fn is_custom_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

/// Substitutes fail2ban's regex tags, then rewrites `((?i)x)` / `(?:(?i)x)` to `(?i:x)`.
pub fn expand_tags(regex: &str, use_dns: UseDns) -> String {
    let chars: Vec<char> = regex.chars().collect();
    let mut out = String::with_capacity(regex.len() * 2);
    let mut opened: Vec<String> = Vec::new();
    let mut skiplines = 0usize;
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '<'
            && let Some((tag, end)) = scan_tag(&chars, i)
        {
            out.push_str(&substitute(&tag, use_dns, &mut skiplines, &mut opened));
            i = end;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    global_flags_to_local(&out)
}

/// Matches `</?[\w-]+/?>` at `start`; returns the inner text and the end index.
fn scan_tag(chars: &[char], start: usize) -> Option<(String, usize)> {
    let mut j = start + 1;
    let mut inner = String::new();
    if chars.get(j) == Some(&'/') {
        inner.push('/');
        j += 1;
    }
    let name_start = j;
    while j < chars.len() && is_tag_char(chars[j]) {
        inner.push(chars[j]);
        j += 1;
    }
    if j == name_start {
        return None;
    }
    if chars.get(j) == Some(&'/') {
        inner.push('/');
        j += 1;
    }
    if chars.get(j) != Some(&'>') {
        return None;
    }
    Some((inner, j + 1))
}

fn substitute(
    tag: &str,
    use_dns: UseDns,
    skiplines: &mut usize,
    opened: &mut Vec<String>,
) -> String {
    if let Some(rep) = tag_replacement(tag, use_dns, skiplines) {
        return rep;
    }
    let original = format!("<{tag}>");
    let (closing, rest) = match tag.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, tag),
    };
    let Some(name) = rest.strip_prefix("F-") else {
        return original;
    };
    if !is_custom_name(name) {
        return original;
    }
    if closing {
        if opened.iter().any(|o| o == name) {
            return ")".to_string();
        }
        return original;
    }
    if !opened.iter().any(|o| o == name) {
        opened.push(name.to_string());
    }
    format!("(?P<{}>", custom_group_name(name))
}

/// fail2ban turns `((?i)x)` and `(?:(?i)x)` into `(?i:x)` (unless the `(` is escaped).
fn global_flags_to_local(s: &str) -> String {
    let b: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == '(' && (i == 0 || b[i - 1] != '\\') {
            let mut j = i + 1;
            if b.get(j) == Some(&'?') && b.get(j + 1) == Some(&':') {
                j += 2;
            }
            if b.get(j) == Some(&'(') && b.get(j + 1) == Some(&'?') {
                let mut k = j + 2;
                while k < b.len() && b[k].is_ascii_lowercase() {
                    k += 1;
                }
                if k > j + 2 && b.get(k) == Some(&')') {
                    out.push_str("(?");
                    out.extend(&b[j + 2..k]);
                    out.push(':');
                    i = k + 1;
                    continue;
                }
            }
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

/// Target of a translation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The Rust `regex` crate; constructs it lacks make the result unusable.
    Rust,
    /// PCRE2 with UTF and UCP.
    Pcre2,
    /// A Rust-syntax pattern that matches a superset of the original (lookarounds
    /// dropped, conditionals and backreferences widened): only for literal analysis.
    Widened,
}

/// A translated pattern.
#[derive(Debug, Clone)]
pub struct Translated {
    pub pattern: String,
    /// The Rust engine cannot express the pattern (lookaround, conditional, backref, …).
    pub needs_pcre2: bool,
}

/// Python's `\w`: letters, numbers and the underscore.
const WORD_CLASS_BODY: &str = r"\p{L}\p{N}_";

/// Translates a tag-expanded Python `re` pattern for `target`. `multiline`
/// mirrors fail2ban's `re.MULTILINE` (used when `maxlines > 1`).
pub fn translate(pattern: &str, target: Target, multiline: bool) -> Translated {
    let chars: Vec<char> = pattern.chars().collect();
    let mut t = Translator {
        chars: &chars,
        target,
        multiline,
        out: String::with_capacity(pattern.len() * 2),
        needs_pcre2: false,
    };
    t.run();
    Translated {
        pattern: t.out,
        needs_pcre2: t.needs_pcre2,
    }
}

struct Translator<'a> {
    chars: &'a [char],
    target: Target,
    multiline: bool,
    out: String,
    needs_pcre2: bool,
}

impl Translator<'_> {
    fn peek(&self, i: usize) -> Option<char> {
        self.chars.get(i).copied()
    }

    fn run(&mut self) {
        if self.multiline && self.target != Target::Pcre2 {
            self.out.push_str("(?m)");
        }
        let mut i = 0;
        while i < self.chars.len() {
            i = self.step(i);
        }
    }

    /// Translates one item outside a class starting at `i`; returns the next index.
    fn step(&mut self, i: usize) -> usize {
        let c = self.chars[i];
        match c {
            '\\' => self.escape_outside(i),
            '[' => self.class(i),
            '$' => {
                if self.multiline || self.target == Target::Pcre2 {
                    // PCRE2's default `$` is Python's: end, or before a final newline.
                    self.out.push('$');
                } else {
                    self.out.push_str("(?m:$)");
                }
                i + 1
            }
            '{' => self.brace(i),
            '}' => {
                self.out.push_str(r"\}");
                i + 1
            }
            '(' => self.group_open(i),
            '*' | '+' | '?' => {
                self.out.push(c);
                // Python 3.11 possessive quantifiers `*+`, `++`, `?+`.
                if self.peek(i + 1) == Some('+') {
                    self.possessive();
                    return i + 2;
                }
                i + 1
            }
            '#' if self.target != Target::Pcre2 => {
                self.out.push_str(r"\#");
                i + 1
            }
            _ => {
                self.out.push(c);
                i + 1
            }
        }
    }

    fn possessive(&mut self) {
        match self.target {
            Target::Pcre2 => self.out.push('+'),
            Target::Rust => self.needs_pcre2 = true,
            Target::Widened => {}
        }
    }

    fn escape_outside(&mut self, i: usize) -> usize {
        let Some(n) = self.peek(i + 1) else {
            self.out.push_str(r"\\");
            return i + 1;
        };
        match n {
            'Z' => self.out.push_str(r"\z"),
            'w' => {
                self.out.push('[');
                self.out.push_str(WORD_CLASS_BODY);
                self.out.push(']');
            }
            'W' => {
                self.out.push_str("[^");
                self.out.push_str(WORD_CLASS_BODY);
                self.out.push(']');
            }
            '0'..='9' => return self.numeric_escape(i),
            'A' | 'b' | 'B' | 'd' | 'D' | 's' | 'S' | 'n' | 't' | 'r' | 'f' | 'v' | 'a' => {
                self.out.push('\\');
                self.out.push(n);
            }
            'x' | 'u' | 'U' => {
                self.out.push('\\');
                self.out.push(n);
            }
            c if c.is_ascii_alphanumeric() => {
                // Unknown letter escapes are errors in Python 3.7+; let the engine reject them.
                self.out.push('\\');
                self.out.push(c);
            }
            c => push_literal(&mut self.out, c),
        }
        i + 2
    }

    /// `\1`…`\99` backreference, or `\0` / three-digit octal.
    fn numeric_escape(&mut self, i: usize) -> usize {
        let mut j = i + 1;
        let mut digits = String::new();
        while j < self.chars.len() && self.chars[j].is_ascii_digit() && digits.len() < 3 {
            digits.push(self.chars[j]);
            j += 1;
        }
        let octal = digits.starts_with('0') || digits.len() == 3;
        if octal {
            let value = u32::from_str_radix(&digits, 8).unwrap_or(0);
            match char::from_u32(value) {
                Some(c) => push_literal(&mut self.out, c),
                None => self.out.push_str(r"\x{0}"),
            }
            return j;
        }
        // Python takes at most two digits for a backreference.
        let (refnum, end) = if digits.len() > 2 {
            (&digits[..2], i + 3)
        } else {
            (digits.as_str(), j)
        };
        match self.target {
            Target::Pcre2 => {
                self.out.push_str(r"\g{");
                self.out.push_str(refnum);
                self.out.push('}');
            }
            Target::Rust => self.needs_pcre2 = true,
            Target::Widened => self.out.push_str("(?s:.*)"),
        }
        end
    }

    /// `{m}`, `{m,}`, `{m,n}`, `{,n}` are quantifiers in Python; anything else is literal.
    fn brace(&mut self, i: usize) -> usize {
        let mut j = i + 1;
        let mut lo = String::new();
        while j < self.chars.len() && self.chars[j].is_ascii_digit() {
            lo.push(self.chars[j]);
            j += 1;
        }
        let mut hi: Option<String> = None;
        if self.peek(j) == Some(',') {
            j += 1;
            let mut h = String::new();
            while j < self.chars.len() && self.chars[j].is_ascii_digit() {
                h.push(self.chars[j]);
                j += 1;
            }
            hi = Some(h);
        }
        let valid = self.peek(j) == Some('}') && !(lo.is_empty() && hi.is_none());
        if !valid {
            self.out.push_str(r"\{");
            return i + 1;
        }
        let lo = if lo.is_empty() { "0".to_string() } else { lo };
        self.out.push('{');
        self.out.push_str(&lo);
        if let Some(h) = hi {
            self.out.push(',');
            self.out.push_str(&h);
        }
        self.out.push('}');
        j += 1;
        if self.peek(j) == Some('+') {
            self.possessive();
            j += 1;
        }
        j
    }

    fn group_open(&mut self, i: usize) -> usize {
        if self.peek(i + 1) != Some('?') {
            self.out.push('(');
            return i + 1;
        }
        let a = self.peek(i + 2);
        let b = self.peek(i + 3);
        match (a, b) {
            (Some('P'), Some('<')) => {
                self.out.push_str("(?P<");
                i + 4
            }
            (Some('<'), Some(c)) if c != '=' && c != '!' => {
                // Python 3.11 doesn't know `(?<name>`, but PCRE2 and Rust do.
                self.out.push_str("(?P<");
                i + 3
            }
            (Some('P'), Some('=')) => {
                let end = self.find_close_paren(i + 4);
                let name: String = self.chars[i + 4..end.min(self.chars.len())]
                    .iter()
                    .collect();
                match self.target {
                    Target::Pcre2 => {
                        self.out.push_str("(?P=");
                        self.out.push_str(&name);
                        self.out.push(')');
                    }
                    Target::Rust => self.needs_pcre2 = true,
                    Target::Widened => self.out.push_str("(?s:.*)"),
                }
                end + 1
            }
            (Some('='), _) | (Some('!'), _) => self.lookaround(i, i + 3),
            (Some('<'), Some('=')) | (Some('<'), Some('!')) => self.lookaround(i, i + 4),
            (Some('>'), _) => match self.target {
                Target::Pcre2 => {
                    self.out.push_str("(?>");
                    i + 3
                }
                Target::Rust => {
                    self.needs_pcre2 = true;
                    self.out.push_str("(?:");
                    i + 3
                }
                Target::Widened => {
                    self.out.push_str("(?:");
                    i + 3
                }
            },
            (Some('('), _) => {
                // Conditional `(?(name)yes|no)`.
                let end = self.find_close_paren(i + 3);
                let cond: String = self.chars[i + 3..end.min(self.chars.len())]
                    .iter()
                    .collect();
                match self.target {
                    Target::Pcre2 => {
                        self.out.push_str("(?(");
                        self.out.push_str(&cond);
                        self.out.push(')');
                    }
                    Target::Rust => {
                        self.needs_pcre2 = true;
                        self.out.push_str("(?:");
                    }
                    Target::Widened => self.out.push_str("(?:"),
                }
                end + 1
            }
            (Some('#'), _) => {
                // Comment: dropped.
                let mut j = i + 3;
                while j < self.chars.len() && self.chars[j] != ')' {
                    j += 1;
                }
                j + 1
            }
            _ => {
                // Flags `(?i)`, `(?i:…)`, `(?:…)`; ASCII/locale flags only in PCRE2… not at all.
                let mut j = i + 2;
                while j < self.chars.len() && self.chars[j].is_ascii_alphabetic() {
                    if matches!(self.chars[j], 'a' | 'L' | 'u' | 'x') {
                        self.needs_pcre2 = true;
                    }
                    j += 1;
                }
                self.out.push_str("(?");
                i + 2
            }
        }
    }

    /// Lookaround `(?=…)` etc. starting at `open`, body at `body`.
    fn lookaround(&mut self, open: usize, body: usize) -> usize {
        match self.target {
            Target::Pcre2 => {
                let head: String = self.chars[open..body].iter().collect();
                self.out.push_str(&head);
                body
            }
            Target::Rust => {
                self.needs_pcre2 = true;
                self.out.push_str("(?:");
                body
            }
            Target::Widened => {
                // Zero-width: dropping it can only widen the language.
                let end = self.find_group_end(open);
                end + 1
            }
        }
    }

    /// Index of the `)` closing a simple name like `name)`.
    fn find_close_paren(&self, from: usize) -> usize {
        let mut j = from;
        while j < self.chars.len() && self.chars[j] != ')' {
            j += 1;
        }
        j
    }

    /// Index of the `)` matching the `(` at `open`, skipping escapes and classes.
    fn find_group_end(&self, open: usize) -> usize {
        let mut depth = 0usize;
        let mut j = open;
        while j < self.chars.len() {
            match self.chars[j] {
                '\\' => j += 1,
                '[' => j = class_end(self.chars, j),
                '(' => depth += 1,
                ')' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return j;
                    }
                }
                _ => {}
            }
            j += 1;
        }
        self.chars.len()
    }

    /// A character class `[…]` in Python syntax starting at `i`.
    fn class(&mut self, i: usize) -> usize {
        let end = class_end(self.chars, i);
        if end >= self.chars.len() {
            // Unterminated: let the engine report it.
            self.out.push('[');
            return i + 1;
        }
        let pcre = self.target == Target::Pcre2;
        self.out.push('[');
        let mut j = i + 1;
        if self.peek(j) == Some('^') {
            self.out.push('^');
            j += 1;
        }
        // Items, so that `-` can be told apart from a range.
        let mut prev_is_char = false;
        let mut first = true;
        while j < end {
            let c = self.chars[j];
            match c {
                '\\' => {
                    let n = self.peek(j + 1).unwrap_or('\\');
                    match n {
                        'w' => {
                            self.out.push_str(WORD_CLASS_BODY);
                            prev_is_char = false;
                        }
                        'd' | 'D' | 's' | 'S' | 'W' => {
                            self.out.push('\\');
                            self.out.push(n);
                            prev_is_char = false;
                        }
                        'b' => {
                            self.out.push_str(r"\x08");
                            prev_is_char = true;
                        }
                        'n' | 't' | 'r' | 'f' | 'v' | 'a' | 'x' | 'u' | 'U' => {
                            self.out.push('\\');
                            self.out.push(n);
                            prev_is_char = true;
                        }
                        c if c.is_ascii_alphanumeric() => {
                            self.out.push('\\');
                            self.out.push(c);
                            prev_is_char = true;
                        }
                        c => {
                            push_class_literal(&mut self.out, c, pcre);
                            prev_is_char = true;
                        }
                    }
                    j += 2;
                }
                '-' => {
                    let next = self.peek(j + 1);
                    let range = prev_is_char
                        && !first
                        && j + 1 < end
                        && next.is_some_and(|n| n != '\\' || self.class_escape_is_char(j + 1));
                    if range {
                        self.out.push('-');
                    } else {
                        self.out.push_str(r"\-");
                    }
                    prev_is_char = false;
                    j += 1;
                }
                c => {
                    push_class_literal(&mut self.out, c, pcre);
                    prev_is_char = true;
                    j += 1;
                }
            }
            first = false;
        }
        self.out.push(']');
        end + 1
    }

    fn class_escape_is_char(&self, backslash: usize) -> bool {
        !matches!(
            self.peek(backslash + 1),
            Some('w' | 'W' | 'd' | 'D' | 's' | 'S')
        )
    }
}

/// Index of the `]` closing the Python class opened at `open` (`[]` and `[^]`
/// take the `]` literally, `[` inside is literal).
fn class_end(chars: &[char], open: usize) -> usize {
    let mut j = open + 1;
    if chars.get(j) == Some(&'^') {
        j += 1;
    }
    if chars.get(j) == Some(&']') {
        j += 1;
    }
    while j < chars.len() {
        match chars[j] {
            '\\' => j += 2,
            ']' => return j,
            _ => j += 1,
        }
    }
    chars.len()
}

fn push_literal(out: &mut String, c: char) {
    if regex_syntax::is_meta_character(c) || c == '#' || c == '-' || c == '&' || c == '~' {
        out.push('\\');
    }
    out.push(c);
}

fn push_class_literal(out: &mut String, c: char, pcre: bool) {
    let escape = if pcre {
        matches!(c, '[' | ']' | '\\' | '^' | '-')
    } else {
        matches!(c, '[' | ']' | '\\' | '^' | '-' | '&' | '~')
    };
    if escape {
        out.push('\\');
    }
    out.push(c);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_expands_to_addr_without_dns() {
        let e = expand_tags("from <HOST> port", UseDns::No);
        assert!(e.contains("(?P<ip4>"));
        assert!(e.contains("(?P<ip6>"));
        assert!(!e.contains("(?P<dns>"));
        let e = expand_tags("from <HOST>", UseDns::Raw);
        assert!(e.contains("(?P<dns>"));
    }

    #[test]
    fn custom_tags_open_and_close() {
        assert_eq!(
            expand_tags("<F-USER>.*</F-USER> <F-ID>x</F-ID>", UseDns::No),
            "(?P<user>.*) (?P<fid>x)"
        );
        // A closing tag that was never opened stays literal.
        assert_eq!(expand_tags("a</F-USER>", UseDns::No), "a</F-USER>");
        assert_eq!(expand_tags("<foo>", UseDns::No), "<foo>");
        assert_eq!(
            expand_tags("<F-ALT_USER1>x</F-ALT_USER1>", UseDns::No),
            "(?P<alt_user1>x)"
        );
    }

    #[test]
    fn skiplines_are_numbered() {
        let e = expand_tags("a<SKIPLINES>b<SKIPLINES>", UseDns::No);
        assert!(e.contains("skiplines0") && e.contains("skiplines1"));
    }

    #[test]
    fn global_flags_become_local() {
        assert_eq!(global_flags_to_local("a((?i)bc)d"), "a(?i:bc)d");
        assert_eq!(global_flags_to_local("a(?:(?i)bc)"), "a(?i:bc)");
        assert_eq!(global_flags_to_local(r"\((?i)x"), r"\((?i)x");
    }

    #[test]
    fn python_specifics_translate() {
        let t = translate(r"a{,3}b$", Target::Rust, false);
        assert_eq!(t.pattern, "a{0,3}b(?m:$)");
        let t = translate(r"x\Zy{foo}", Target::Rust, false);
        assert_eq!(t.pattern, r"x\zy\{foo\}");
        let t = translate(r"[^[]+", Target::Rust, false);
        assert_eq!(t.pattern, r"[^\[]+");
        let t = translate(r"[\w-.]", Target::Rust, false);
        assert_eq!(t.pattern, r"[\p{L}\p{N}_\-.]");
        assert!(!t.needs_pcre2);
        let t = translate(r"(?!x)a(?P=n)", Target::Rust, false);
        assert!(t.needs_pcre2);
        let t = translate(r"a(?!x)b(?(n)c|d)", Target::Widened, false);
        assert_eq!(t.pattern, "ab(?:c|d)");
        let t = translate(r"a(?!x)b(?(n)c|d)$", Target::Pcre2, false);
        assert_eq!(t.pattern, "a(?!x)b(?(n)c|d)$");
    }
}
