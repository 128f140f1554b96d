//! Time values as `fail2ban-client --str2sec` reads them: `600`, `10m`,
//! `1y 6mo 1d12h30m`, `1hour+30min`, `1year-6mo`, `-1` (permanent).
//!
//! fail2ban rewrites the text into a Python expression and `eval`s it; this is
//! a small parser for the same language: numbers with optional unit words,
//! `+ - * /`, parentheses, and juxtaposed terms added together. Units are
//! case-insensitive whole words: s/ss/se/sec/second(s), m/mm/mi/min/minute(s),
//! h/hh/ho/hou/hour(s), d/dd/da/day(s), w/ww/we/wee/week(s),
//! mo/mon/month(s) (a twelfth of 365.25 days), y/yy/ye/yea/year(s) (365.25 days).

use crate::error::F2bError;

/// Longest time expression accepted.
const MAX_TIME_CHARS: usize = 256;
/// Deepest parenthesis nesting accepted.
const MAX_TIME_NESTING: usize = 16;

const MINUTE: f64 = 60.0;
const HOUR: f64 = 3600.0;
const DAY: f64 = 86_400.0;
const YEAR: f64 = (365.0 * 3.0 + 366.0) * DAY / 4.0;

/// Parses a fail2ban time value into seconds (`-1` stays `-1`: permanent).
/// Fractions are rounded to the nearest second.
pub fn parse_time(input: &str) -> Result<i64, F2bError> {
    let fail = |message: String| F2bError::Time {
        input: crate::store::clip(input),
        message,
    };
    if input.chars().count() > MAX_TIME_CHARS {
        return Err(fail(format!("longer than {MAX_TIME_CHARS} characters")));
    }
    let tokens = tokenize(input).map_err(fail)?;
    if tokens.is_empty() {
        return Err(fail("empty".into()));
    }
    let mut parser = Parser { tokens, pos: 0 };
    let value = parser.expression(0).map_err(fail)?;
    if parser.pos != parser.tokens.len() {
        return Err(fail(format!("unexpected {}", parser.tokens[parser.pos])));
    }
    if !value.is_finite() || value.abs() > i64::MAX as f64 / 2.0 {
        return Err(fail("out of range".into()));
    }
    Ok(value.round() as i64)
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(f64),
    Unit(f64),
    Op(char),
}

impl std::fmt::Display for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Token::Number(n) => write!(f, "number {n}"),
            Token::Unit(_) => write!(f, "unit"),
            Token::Op(c) => write!(f, "'{c}'"),
        }
    }
}

fn unit_seconds(word: &str) -> Option<f64> {
    Some(match word.to_ascii_lowercase().as_str() {
        "s" | "ss" | "se" | "sec" | "second" | "seconds" => 1.0,
        "m" | "mm" | "mi" | "min" | "minute" | "minutes" => MINUTE,
        "h" | "hh" | "ho" | "hou" | "hour" | "hours" => HOUR,
        "d" | "dd" | "da" | "day" | "days" => DAY,
        "w" | "ww" | "we" | "wee" | "week" | "weeks" => 7.0 * DAY,
        "mo" | "mon" | "month" | "months" => YEAR / 12.0,
        "y" | "yy" | "ye" | "yea" | "year" | "years" => YEAR,
        _ => return None,
    })
}

fn tokenize(input: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = input.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() || c == '.' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            let n: f64 = text.parse().map_err(|_| format!("bad number {text:?}"))?;
            tokens.push(Token::Number(n));
        } else if c.is_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_alphabetic() {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let seconds = unit_seconds(&word).ok_or_else(|| format!("unknown unit {word:?}"))?;
            // A unit must follow a number (possibly after spaces), like fail2ban's lookbehind.
            if !matches!(tokens.last(), Some(Token::Number(_))) {
                return Err(format!("unit {word:?} without a number before it"));
            }
            tokens.push(Token::Unit(seconds));
        } else if matches!(c, '+' | '-' | '*' | '/' | '(' | ')') {
            tokens.push(Token::Op(c));
            i += 1;
        } else {
            return Err(format!("unexpected character {c:?}"));
        }
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    /// sum := product (('+'|'-')? product)*  — juxtaposition adds.
    fn expression(&mut self, depth: usize) -> Result<f64, String> {
        if depth > MAX_TIME_NESTING {
            return Err(format!("nested deeper than {MAX_TIME_NESTING} levels"));
        }
        let mut total = self.product(depth)?;
        loop {
            match self.peek() {
                Some(Token::Op('+')) => {
                    self.pos += 1;
                    total += self.product(depth)?;
                }
                Some(Token::Op('-')) => {
                    self.pos += 1;
                    total -= self.product(depth)?;
                }
                Some(Token::Number(_)) | Some(Token::Op('(')) => total += self.product(depth)?,
                _ => return Ok(total),
            }
        }
    }

    fn product(&mut self, depth: usize) -> Result<f64, String> {
        let mut value = self.factor(depth)?;
        loop {
            match self.peek() {
                Some(Token::Op('*')) => {
                    self.pos += 1;
                    value *= self.factor(depth)?;
                }
                Some(Token::Op('/')) => {
                    self.pos += 1;
                    let divisor = self.factor(depth)?;
                    if divisor == 0.0 {
                        return Err("division by zero".into());
                    }
                    value /= divisor;
                }
                _ => return Ok(value),
            }
        }
    }

    fn factor(&mut self, depth: usize) -> Result<f64, String> {
        match self.tokens.get(self.pos).cloned() {
            Some(Token::Op('-')) => {
                self.pos += 1;
                Ok(-self.factor(depth + 1)?)
            }
            Some(Token::Op('+')) => {
                self.pos += 1;
                self.factor(depth + 1)
            }
            Some(Token::Op('(')) => {
                self.pos += 1;
                let inner = self.expression(depth + 1)?;
                if self.peek() != Some(&Token::Op(')')) {
                    return Err("missing ')'".into());
                }
                self.pos += 1;
                Ok(inner)
            }
            Some(Token::Number(n)) => {
                self.pos += 1;
                if let Some(Token::Unit(seconds)) = self.peek() {
                    let seconds = *seconds;
                    self.pos += 1;
                    return Ok(n * seconds);
                }
                Ok(n)
            }
            Some(other) => Err(format!("unexpected {other}")),
            None => Err("unexpected end".into()),
        }
    }
}
