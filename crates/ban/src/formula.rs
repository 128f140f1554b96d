//! A tiny, bounded evaluator for fail2ban's `bantime.formula`.
//!
//! fail2ban runs the formula through Python `eval`; we accept only a small
//! arithmetic subset that covers the shipped formulas: numbers, `ban.Time`,
//! `ban.Count`, `banFactor`, `+ - * / // % ** << >>`, comparisons,
//! `a if c else b`, parentheses, and the calls `float`, `int`, `abs`, `min`,
//! `max`, `math.exp`. Anything else is rejected when the formula is compiled,
//! so evaluation never sees an unknown construct. Values are `f64`, as the
//! results end up as a duration anyway.

use thiserror::Error;

/// Longest formula text accepted, in bytes.
pub const MAX_FORMULA_LEN: usize = 1024;
/// Deepest nesting of sub-expressions accepted.
pub const MAX_FORMULA_DEPTH: usize = 32;

/// Why a formula could not be compiled or evaluated.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FormulaError {
    #[error("formula is longer than {MAX_FORMULA_LEN} bytes")]
    TooLong,
    #[error("formula nests deeper than {MAX_FORMULA_DEPTH} levels")]
    TooDeep,
    #[error("unexpected character {0:?} at byte {1}")]
    BadChar(char, usize),
    #[error("bad number {0:?}")]
    BadNumber(String),
    #[error("unsupported name {0:?}")]
    UnknownName(String),
    #[error("unexpected {found} where {expected} was expected")]
    Syntax {
        expected: &'static str,
        found: String,
    },
    #[error("{0}() takes {1} argument(s)")]
    Arity(&'static str, &'static str),
    #[error("shift needs integers and a shift count of 0..=62")]
    BadShift,
    #[error("division by zero")]
    DivisionByZero,
    #[error("result is not a finite number")]
    NotFinite,
}

/// The variables a formula may read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FormulaInput {
    /// `ban.Time`: the jail's plain bantime in seconds.
    pub time_s: f64,
    /// `ban.Count`: how many earlier bans are known for the address.
    pub count: u32,
    /// `banFactor`: `bantime.factor`.
    pub factor: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Var {
    Time,
    Count,
    Factor,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Func {
    Float,
    Int,
    Abs,
    Min,
    Max,
    Exp,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Rem,
    Pow,
    Shl,
    Shr,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

#[derive(Debug, Clone, PartialEq)]
enum Expr {
    Num(f64),
    Var(Var),
    Neg(Box<Expr>),
    Bin(BinOp, Box<Expr>, Box<Expr>),
    IfElse {
        then: Box<Expr>,
        cond: Box<Expr>,
        otherwise: Box<Expr>,
    },
    Call(Func, Vec<Expr>),
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Num(f64),
    Name(String),
    Op(&'static str),
}

/// A compiled formula.
#[derive(Debug, Clone, PartialEq)]
pub struct Formula {
    expr: Expr,
}

impl Formula {
    /// Compiles `text`, rejecting anything outside the supported subset.
    pub fn compile(text: &str) -> Result<Formula, FormulaError> {
        if text.len() > MAX_FORMULA_LEN {
            return Err(FormulaError::TooLong);
        }
        let tokens = tokenize(text)?;
        let mut parser = Parser {
            tokens,
            pos: 0,
            depth: 0,
        };
        let expr = parser.expr()?;
        if let Some(tok) = parser.tokens.get(parser.pos) {
            return Err(FormulaError::Syntax {
                expected: "end of formula",
                found: describe(tok),
            });
        }
        Ok(Formula { expr })
    }

    /// Evaluates the formula; the result is a finite number.
    pub fn eval(&self, input: FormulaInput) -> Result<f64, FormulaError> {
        let value = eval(&self.expr, input)?;
        if value.is_finite() {
            Ok(value)
        } else {
            Err(FormulaError::NotFinite)
        }
    }
}

fn describe(tok: &Token) -> String {
    match tok {
        Token::Num(n) => format!("number {n}"),
        Token::Name(n) => format!("name {n:?}"),
        Token::Op(o) => format!("{o:?}"),
    }
}

/// Longest operators first, so `**` is not read as two `*`.
const OPERATORS: [&str; 18] = [
    "**", "//", "<<", ">>", "<=", ">=", "==", "!=", "+", "-", "*", "/", "%", "<", ">", "(", ")",
    ",",
];

fn tokenize(text: &str) -> Result<Vec<Token>, FormulaError> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c.is_ascii_digit()
            || (c == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit))
        {
            let start = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_digit()
                    || bytes[i] == b'.'
                    || bytes[i] == b'_'
                    || bytes[i] == b'e'
                    || bytes[i] == b'E'
                    || ((bytes[i] == b'+' || bytes[i] == b'-')
                        && matches!(bytes[i - 1], b'e' | b'E')))
            {
                i += 1;
            }
            let raw = &text[start..i];
            let value: f64 = raw
                .replace('_', "")
                .parse()
                .map_err(|_| FormulaError::BadNumber(raw.to_string()))?;
            tokens.push(Token::Num(value));
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            // Dotted names (`ban.Time`, `math.exp`) are one token.
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b'.')
            {
                i += 1;
            }
            tokens.push(Token::Name(text[start..i].to_string()));
        } else {
            let rest = &text[i..];
            match OPERATORS.iter().find(|op| rest.starts_with(**op)) {
                Some(op) => {
                    tokens.push(Token::Op(op));
                    i += op.len();
                }
                None => {
                    let ch = rest.chars().next().unwrap_or('?');
                    return Err(FormulaError::BadChar(ch, i));
                }
            }
        }
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn peek_op(&self, op: &str) -> bool {
        matches!(self.peek(), Some(Token::Op(o)) if *o == op)
    }

    fn peek_name(&self, name: &str) -> bool {
        matches!(self.peek(), Some(Token::Name(n)) if n == name)
    }

    fn expect_op(&mut self, op: &'static str) -> Result<(), FormulaError> {
        if self.peek_op(op) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.unexpected(op))
        }
    }

    fn unexpected(&self, expected: &'static str) -> FormulaError {
        FormulaError::Syntax {
            expected,
            found: self
                .peek()
                .map_or_else(|| "end of formula".to_string(), describe),
        }
    }

    fn enter(&mut self) -> Result<(), FormulaError> {
        self.depth += 1;
        if self.depth > MAX_FORMULA_DEPTH {
            Err(FormulaError::TooDeep)
        } else {
            Ok(())
        }
    }

    /// `expr := comparison ['if' comparison 'else' expr]`
    fn expr(&mut self) -> Result<Expr, FormulaError> {
        self.enter()?;
        let then = self.comparison()?;
        let result = if self.peek_name("if") {
            self.pos += 1;
            let cond = self.comparison()?;
            if !self.peek_name("else") {
                return Err(self.unexpected("'else'"));
            }
            self.pos += 1;
            let otherwise = self.expr()?;
            Expr::IfElse {
                then: Box::new(then),
                cond: Box::new(cond),
                otherwise: Box::new(otherwise),
            }
        } else {
            then
        };
        self.depth -= 1;
        Ok(result)
    }

    fn binary_level(
        &mut self,
        ops: &[(&str, BinOp)],
        next: fn(&mut Parser) -> Result<Expr, FormulaError>,
    ) -> Result<Expr, FormulaError> {
        let mut left = next(self)?;
        'outer: loop {
            for (text, op) in ops {
                if self.peek_op(text) {
                    self.pos += 1;
                    let right = next(self)?;
                    left = Expr::Bin(*op, Box::new(left), Box::new(right));
                    continue 'outer;
                }
            }
            return Ok(left);
        }
    }

    fn comparison(&mut self) -> Result<Expr, FormulaError> {
        // Python chains comparisons (`a < b < c`); a single comparison is
        // all the shipped formulas use, so chains are rejected.
        let left = self.shift()?;
        let ops = [
            ("<=", BinOp::Le),
            (">=", BinOp::Ge),
            ("==", BinOp::Eq),
            ("!=", BinOp::Ne),
            ("<", BinOp::Lt),
            (">", BinOp::Gt),
        ];
        for (text, op) in ops {
            if self.peek_op(text) {
                self.pos += 1;
                let right = self.shift()?;
                if ops.iter().any(|(t, _)| self.peek_op(t)) {
                    return Err(self.unexpected("a single comparison"));
                }
                return Ok(Expr::Bin(op, Box::new(left), Box::new(right)));
            }
        }
        Ok(left)
    }

    fn shift(&mut self) -> Result<Expr, FormulaError> {
        self.binary_level(&[("<<", BinOp::Shl), (">>", BinOp::Shr)], Parser::arith)
    }

    fn arith(&mut self) -> Result<Expr, FormulaError> {
        self.binary_level(&[("+", BinOp::Add), ("-", BinOp::Sub)], Parser::term)
    }

    fn term(&mut self) -> Result<Expr, FormulaError> {
        self.binary_level(
            &[
                ("*", BinOp::Mul),
                ("//", BinOp::FloorDiv),
                ("/", BinOp::Div),
                ("%", BinOp::Rem),
            ],
            Parser::unary,
        )
    }

    fn unary(&mut self) -> Result<Expr, FormulaError> {
        self.enter()?;
        let result = if self.peek_op("-") {
            self.pos += 1;
            Expr::Neg(Box::new(self.unary()?))
        } else if self.peek_op("+") {
            self.pos += 1;
            self.unary()?
        } else {
            self.power()?
        };
        self.depth -= 1;
        Ok(result)
    }

    /// `power := atom ['**' unary]` (right-associative, binds tighter than unary minus on its left).
    fn power(&mut self) -> Result<Expr, FormulaError> {
        let base = self.atom()?;
        if self.peek_op("**") {
            self.pos += 1;
            let exponent = self.unary()?;
            return Ok(Expr::Bin(BinOp::Pow, Box::new(base), Box::new(exponent)));
        }
        Ok(base)
    }

    fn atom(&mut self) -> Result<Expr, FormulaError> {
        let Some(tok) = self.peek().cloned() else {
            return Err(self.unexpected("a value"));
        };
        self.pos += 1;
        match tok {
            Token::Num(n) => Ok(Expr::Num(n)),
            Token::Op("(") => {
                self.enter()?;
                let inner = self.expr()?;
                self.expect_op(")")?;
                self.depth -= 1;
                Ok(inner)
            }
            Token::Op(_) => {
                self.pos -= 1;
                Err(self.unexpected("a value"))
            }
            Token::Name(name) => match name.as_str() {
                "ban.Time" => Ok(Expr::Var(Var::Time)),
                "ban.Count" => Ok(Expr::Var(Var::Count)),
                "banFactor" => Ok(Expr::Var(Var::Factor)),
                "True" => Ok(Expr::Num(1.0)),
                "False" => Ok(Expr::Num(0.0)),
                "float" => self.call(Func::Float),
                "int" => self.call(Func::Int),
                "abs" => self.call(Func::Abs),
                "min" => self.call(Func::Min),
                "max" => self.call(Func::Max),
                "math.exp" => self.call(Func::Exp),
                _ => Err(FormulaError::UnknownName(name)),
            },
        }
    }

    fn call(&mut self, func: Func) -> Result<Expr, FormulaError> {
        self.enter()?;
        self.expect_op("(")?;
        let mut args = Vec::new();
        if !self.peek_op(")") {
            loop {
                args.push(self.expr()?);
                if self.peek_op(",") {
                    self.pos += 1;
                } else {
                    break;
                }
            }
        }
        self.expect_op(")")?;
        self.depth -= 1;
        let arity_ok = match func {
            Func::Float | Func::Int | Func::Abs | Func::Exp => args.len() == 1,
            Func::Min | Func::Max => args.len() >= 2,
        };
        if !arity_ok {
            return Err(match func {
                Func::Float => FormulaError::Arity("float", "1"),
                Func::Int => FormulaError::Arity("int", "1"),
                Func::Abs => FormulaError::Arity("abs", "1"),
                Func::Exp => FormulaError::Arity("math.exp", "1"),
                Func::Min => FormulaError::Arity("min", "2 or more"),
                Func::Max => FormulaError::Arity("max", "2 or more"),
            });
        }
        Ok(Expr::Call(func, args))
    }
}

fn as_int(value: f64) -> Option<i64> {
    (value.fract() == 0.0 && value.abs() < 9.0e15).then_some(value as i64)
}

fn eval(expr: &Expr, input: FormulaInput) -> Result<f64, FormulaError> {
    Ok(match expr {
        Expr::Num(n) => *n,
        Expr::Var(Var::Time) => input.time_s,
        Expr::Var(Var::Count) => f64::from(input.count),
        Expr::Var(Var::Factor) => input.factor,
        Expr::Neg(inner) => -eval(inner, input)?,
        Expr::IfElse {
            then,
            cond,
            otherwise,
        } => {
            if eval(cond, input)? != 0.0 {
                eval(then, input)?
            } else {
                eval(otherwise, input)?
            }
        }
        Expr::Call(func, args) => {
            let mut values = Vec::with_capacity(args.len());
            for arg in args {
                values.push(eval(arg, input)?);
            }
            let first = values.first().copied().unwrap_or(0.0);
            match func {
                Func::Float => first,
                Func::Int => first.trunc(),
                Func::Abs => first.abs(),
                Func::Exp => first.exp(),
                Func::Min => values.iter().copied().fold(f64::INFINITY, f64::min),
                Func::Max => values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            }
        }
        Expr::Bin(op, left, right) => {
            let a = eval(left, input)?;
            let b = eval(right, input)?;
            let truth = |x: bool| if x { 1.0 } else { 0.0 };
            match op {
                BinOp::Add => a + b,
                BinOp::Sub => a - b,
                BinOp::Mul => a * b,
                BinOp::Div | BinOp::FloorDiv | BinOp::Rem if b == 0.0 => {
                    return Err(FormulaError::DivisionByZero);
                }
                BinOp::Div => a / b,
                BinOp::FloorDiv => (a / b).floor(),
                // Python's `%` takes the sign of the divisor.
                BinOp::Rem => a - b * (a / b).floor(),
                BinOp::Pow => a.powf(b),
                BinOp::Shl | BinOp::Shr => {
                    let (Some(x), Some(n)) = (as_int(a), as_int(b)) else {
                        return Err(FormulaError::BadShift);
                    };
                    if !(0..=62).contains(&n) {
                        return Err(FormulaError::BadShift);
                    }
                    if *op == BinOp::Shl {
                        x.checked_mul(1_i64 << n).ok_or(FormulaError::NotFinite)? as f64
                    } else {
                        (x >> n) as f64
                    }
                }
                BinOp::Lt => truth(a < b),
                BinOp::Le => truth(a <= b),
                BinOp::Gt => truth(a > b),
                BinOp::Ge => truth(a >= b),
                BinOp::Eq => truth(a == b),
                BinOp::Ne => truth(a != b),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFAULT: &str = "ban.Time * (1<<(ban.Count if ban.Count<20 else 20)) * banFactor";
    const EXP: &str = "ban.Time * math.exp(float(ban.Count+1)*banFactor)/math.exp(1*banFactor)";

    fn run(text: &str, time_s: f64, count: u32, factor: f64) -> f64 {
        Formula::compile(text)
            .expect("compiles")
            .eval(FormulaInput {
                time_s,
                count,
                factor,
            })
            .expect("evaluates")
    }

    #[test]
    fn default_formula_doubles_per_ban_and_stops_at_twenty() {
        assert_eq!(run(DEFAULT, 600.0, 1, 1.0), 1200.0);
        assert_eq!(run(DEFAULT, 600.0, 3, 1.0), 4800.0);
        assert_eq!(run(DEFAULT, 600.0, 3, 2.0), 9600.0);
        assert_eq!(run(DEFAULT, 1.0, 20, 1.0), f64::from(1 << 20));
        assert_eq!(run(DEFAULT, 1.0, 45, 1.0), f64::from(1 << 20));
    }

    #[test]
    fn exponential_formula_matches_python() {
        // python3: 600*math.exp(float(2+1)*1)/math.exp(1*1) == 4433.43...
        let got = run(EXP, 600.0, 2, 1.0);
        assert!((got - 600.0 * (2.0f64).exp()).abs() < 1e-9, "{got}");
        let got = run(EXP, 600.0, 0, 1.0);
        assert!((got - 600.0).abs() < 1e-9);
    }

    #[test]
    fn precedence_and_operators_follow_python() {
        assert_eq!(run("2 + 3 * 4", 0.0, 0, 1.0), 14.0);
        assert_eq!(run("-2 ** 2", 0.0, 0, 1.0), -4.0);
        assert_eq!(run("2 ** 3 ** 2", 0.0, 0, 1.0), 512.0);
        assert_eq!(run("1 + 1 << 2", 0.0, 0, 1.0), 8.0);
        assert_eq!(run("7 // 2 + 7 % 3", 0.0, 0, 1.0), 4.0);
        assert_eq!(run("-7 % 3", 0.0, 0, 1.0), 2.0);
        assert_eq!(run("min(5, ban.Time, 9)", 3.0, 0, 1.0), 3.0);
        assert_eq!(run("max(5, ban.Time)", 3.0, 0, 1.0), 5.0);
        assert_eq!(run("1 if ban.Count >= 2 else 0", 0.0, 2, 1.0), 1.0);
        assert_eq!(
            run(
                "1 if ban.Count >= 2 else 2 if ban.Count == 1 else 3",
                0.0,
                1,
                1.0
            ),
            2.0
        );
        assert_eq!(run("int(7.9) + abs(-1)", 0.0, 0, 1.0), 8.0);
    }

    #[test]
    fn unsupported_constructs_are_compile_errors() {
        for bad in [
            "__import__('os').system('id')",
            "ban.Time.__class__",
            "open('/etc/passwd')",
            "ban.Time * random.random()",
            "ban.Time +",
            "(ban.Time",
            "ban.Time ban.Count",
            "[1, 2][0]",
            "lambda: 1",
            "1 < 2 < 3",
            "min(1)",
            "",
        ] {
            assert!(Formula::compile(bad).is_err(), "accepted {bad:?}");
        }
    }

    #[test]
    fn length_and_depth_are_bounded() {
        let long = "1+".repeat(MAX_FORMULA_LEN / 2) + "1";
        assert_eq!(Formula::compile(&long), Err(FormulaError::TooLong));
        let deep = "(".repeat(100) + "1" + &")".repeat(100);
        assert_eq!(Formula::compile(&deep), Err(FormulaError::TooDeep));
        let minus = "-".repeat(200) + "1";
        assert_eq!(Formula::compile(&minus), Err(FormulaError::TooDeep));
        let ok = "(".repeat(10) + "1" + &")".repeat(10);
        assert!(Formula::compile(&ok).is_ok());
    }

    #[test]
    fn runtime_errors_do_not_panic() {
        let input = FormulaInput {
            time_s: 1.0,
            count: 0,
            factor: 1.0,
        };
        let eval = |t: &str| Formula::compile(t).expect("compiles").eval(input);
        assert_eq!(eval("1 / ban.Count"), Err(FormulaError::DivisionByZero));
        assert_eq!(eval("1 << 100"), Err(FormulaError::BadShift));
        assert_eq!(eval("1.5 << 1"), Err(FormulaError::BadShift));
        assert_eq!(eval("10 ** 400"), Err(FormulaError::NotFinite));
        assert_eq!(eval("math.exp(1000)"), Err(FormulaError::NotFinite));
        assert_eq!(eval("(1 << 40) << 40"), Err(FormulaError::NotFinite));
        assert_eq!(eval("(1 << 62) << 1"), Err(FormulaError::BadShift));
    }
}
