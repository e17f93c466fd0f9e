//! `--with "NAME = EXPR"`: arithmetic on columns, evaluated row by row before grouping (the
//! `assign` step of exercise B.4's method chain).
//!
//! Grammar: `+ - * /` with the usual precedence, unary minus, parentheses, numbers, and column
//! names (letters, digits, `_` and `.`, not starting with a digit; backquote any other name:
//! `` `unit price` ``). Arithmetic is IEEE double as pandas' float columns do it: a null operand
//! gives null, `x / 0` gives ±inf and `0 / 0` gives NaN, which counts as null.

use crate::error::{DataError, ErrorKind, Location, Result};

/// A parsed expression.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Expr {
    /// A literal, and whether it was written as an integer.
    Number(f64, bool),
    /// A column (or an earlier derived column).
    Column(String),
    /// `-e`.
    Neg(Box<Expr>),
    /// `a op b`.
    Binary(Op, Box<Expr>, Box<Expr>),
}

/// A binary operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Op {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

/// A derived column: `NAME = EXPR`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Derived {
    /// The new column's name.
    pub name: String,
    /// Its expression.
    pub expr: Expr,
}

/// Parses `NAME = EXPR`.
///
/// ```
/// use brisk_data::groupby::{parse_derived, Expr};
/// let derived = parse_derived("salary_per_year = salary / years").unwrap();
/// assert_eq!(derived.name, "salary_per_year");
/// assert_eq!(derived.expr.columns(), ["salary", "years"]);
/// let price = parse_derived("total = (`unit price` + 1.5) * -qty").unwrap();
/// let env = |name: &str| if name == "unit price" { 2.5 } else { 3.0 };
/// assert_eq!(price.expr.eval(&env), -12.0);
/// ```
pub fn parse_derived(text: &str) -> Result<Derived> {
    let fail = |message: String| {
        DataError::new(
            ErrorKind::InvalidArgument,
            Location::source("--with"),
            message,
        )
    };
    let (name, body) = text
        .split_once('=')
        .ok_or_else(|| fail(format!("{text:?} is not NAME = EXPR")))?;
    let name = super::spec::unquote(name);
    if name.is_empty() {
        return Err(fail(format!(
            "{text:?}: the new column needs a name before '='"
        )));
    }
    let tokens = tokenize(body).map_err(|m| fail(format!("{text:?}: {m}")))?;
    let mut parser = Parser { tokens, at: 0 };
    let expr = parser.expr().map_err(|m| fail(format!("{text:?}: {m}")))?;
    if let Some(token) = parser.tokens.get(parser.at) {
        return Err(fail(format!(
            "{text:?}: {} follows a complete expression; put an operator between them, and \
             backquote column names that hold spaces (`unit cost`)",
            token.describe()
        )));
    }
    Ok(Derived { name, expr })
}

impl Expr {
    /// The columns the expression reads, in order of first use.
    pub fn columns(&self) -> Vec<String> {
        let mut names = Vec::new();
        self.visit_columns(&mut |name| {
            if !names.iter().any(|n| n == name) {
                names.push(name.to_owned());
            }
        });
        names
    }

    fn visit_columns(&self, f: &mut dyn FnMut(&str)) {
        match self {
            Expr::Number(..) => {}
            Expr::Column(name) => f(name),
            Expr::Neg(e) => e.visit_columns(f),
            Expr::Binary(_, a, b) => {
                a.visit_columns(f);
                b.visit_columns(f);
            }
        }
    }

    /// The value for one row, given each column's value (NaN for null).
    pub fn eval(&self, column: &dyn Fn(&str) -> f64) -> f64 {
        match self {
            Expr::Number(x, _) => *x,
            Expr::Column(name) => column(name),
            Expr::Neg(e) => -e.eval(column),
            Expr::Binary(op, a, b) => op.apply(a.eval(column), b.eval(column)),
        }
    }

    /// Evaluates over whole columns: `column(name)` gives a column's values for the rows (NaN for
    /// null); the result has `rows` values, NaN for null.
    pub fn eval_columns<'a>(&self, rows: usize, column: &dyn Fn(&str) -> &'a [f64]) -> Vec<f64> {
        match self {
            Expr::Number(x, _) => vec![*x; rows],
            Expr::Column(name) => column(name).to_vec(),
            Expr::Neg(e) => {
                let mut v = e.eval_columns(rows, column);
                v.iter_mut().for_each(|x| *x = -*x);
                v
            }
            Expr::Binary(op, a, b) => {
                let mut left = a.eval_columns(rows, column);
                let right = b.eval_columns(rows, column);
                for (l, r) in left.iter_mut().zip(&right) {
                    *l = op.apply(*l, *r);
                }
                left
            }
        }
    }

    /// Whether pandas would give an `int64` column: integer literals and integer columns under
    /// `+ - *` only (true division always gives floats).
    pub fn is_integer(&self, column_is_integer: &dyn Fn(&str) -> bool) -> bool {
        match self {
            Expr::Number(_, integer) => *integer,
            Expr::Column(name) => column_is_integer(name),
            Expr::Neg(e) => e.is_integer(column_is_integer),
            Expr::Binary(Op::Div, ..) => false,
            Expr::Binary(_, a, b) => {
                a.is_integer(column_is_integer) && b.is_integer(column_is_integer)
            }
        }
    }
}

impl Op {
    #[inline]
    fn apply(self, a: f64, b: f64) -> f64 {
        match self {
            Op::Add => a + b,
            Op::Sub => a - b,
            Op::Mul => a * b,
            Op::Div => a / b,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(f64, bool),
    Name(String),
    Op(char),
    Open,
    Close,
}

impl Token {
    fn describe(&self) -> String {
        match self {
            Token::Number(x, _) => format!("the number {x}"),
            Token::Name(n) => format!("the name {n:?}"),
            Token::Op(c) => format!("'{c}'"),
            Token::Open => "'('".to_owned(),
            Token::Close => "')'".to_owned(),
        }
    }
}

fn tokenize(text: &str) -> std::result::Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '+' | '-' | '*' | '/' => {
                tokens.push(Token::Op(c));
                chars.next();
            }
            '(' => {
                tokens.push(Token::Open);
                chars.next();
            }
            ')' => {
                tokens.push(Token::Close);
                chars.next();
            }
            '`' => {
                chars.next();
                let start = i + 1;
                let end = loop {
                    match chars.next() {
                        Some((j, '`')) => break j,
                        Some(_) => {}
                        None => return Err("unclosed backquote".to_owned()),
                    }
                };
                tokens.push(Token::Name(text[start..end].to_owned()));
            }
            c if c.is_ascii_digit() || c == '.' => {
                let mut end = i;
                let mut previous = ' ';
                while let Some(&(j, d)) = chars.peek() {
                    let exponent_sign =
                        (d == '+' || d == '-') && (previous == 'e' || previous == 'E');
                    if d.is_ascii_alphanumeric() || d == '.' || exponent_sign {
                        end = j + d.len_utf8();
                        previous = d;
                        chars.next();
                    } else {
                        break;
                    }
                }
                let literal = &text[i..end];
                let value: f64 = literal
                    .parse()
                    .map_err(|_| format!("{literal:?} is not a number"))?;
                let integer = literal.bytes().all(|b| b.is_ascii_digit());
                tokens.push(Token::Number(value, integer));
            }
            c if c.is_alphabetic() || c == '_' => {
                let mut end = i;
                while let Some(&(j, d)) = chars.peek() {
                    if d.is_alphanumeric() || d == '_' || d == '.' {
                        end = j + d.len_utf8();
                        chars.next();
                    } else {
                        break;
                    }
                }
                tokens.push(Token::Name(text[i..end].to_owned()));
            }
            other => {
                return Err(format!(
                    "unexpected character {other:?}; use + - * /, parentheses, numbers and column \
                     names (backquote names with other characters)"
                ))
            }
        }
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn expr(&mut self) -> std::result::Result<Expr, String> {
        let mut left = self.term()?;
        while let Some(Token::Op(c @ ('+' | '-'))) = self.peek() {
            let op = if *c == '+' { Op::Add } else { Op::Sub };
            self.at += 1;
            left = Expr::Binary(op, Box::new(left), Box::new(self.term()?));
        }
        Ok(left)
    }

    fn term(&mut self) -> std::result::Result<Expr, String> {
        let mut left = self.unary()?;
        while let Some(Token::Op(c @ ('*' | '/'))) = self.peek() {
            let op = if *c == '*' { Op::Mul } else { Op::Div };
            self.at += 1;
            left = Expr::Binary(op, Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> std::result::Result<Expr, String> {
        match self.peek() {
            Some(Token::Op('-')) => {
                self.at += 1;
                Ok(Expr::Neg(Box::new(self.unary()?)))
            }
            Some(Token::Op('+')) => {
                self.at += 1;
                self.unary()
            }
            _ => self.primary(),
        }
    }

    fn primary(&mut self) -> std::result::Result<Expr, String> {
        let token = self.tokens.get(self.at).cloned().ok_or_else(|| {
            "the expression ends where a number, a column or '(' is expected".to_owned()
        })?;
        self.at += 1;
        match token {
            Token::Number(x, integer) => Ok(Expr::Number(x, integer)),
            Token::Name(name) => Ok(Expr::Column(name)),
            Token::Open => {
                let inner = self.expr()?;
                match self.peek() {
                    Some(Token::Close) => {
                        self.at += 1;
                        Ok(inner)
                    }
                    _ => Err("a '(' is never closed".to_owned()),
                }
            }
            other => Err(format!(
                "unexpected {} where a number, a column or '(' is expected",
                other.describe()
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> f64 {
        parse_derived(&format!("v = {text}"))
            .unwrap()
            .expr
            .eval(&|n| match n {
                "a" => 2.0,
                "b" => 5.0,
                _ => f64::NAN,
            })
    }

    #[test]
    fn precedence_and_signs() {
        assert_eq!(value("a + b * 2"), 12.0);
        assert_eq!(value("(a + b) * 2"), 14.0);
        assert_eq!(value("a - b - 1"), -4.0);
        assert_eq!(value("b / a / 2"), 1.25);
        assert_eq!(value("-a * -b"), 10.0);
        assert_eq!(value("1e2 + 0.5"), 100.5);
        assert!(value("a + missing").is_nan());
        assert_eq!(value("a / 0"), f64::INFINITY);
    }

    #[test]
    fn malformed_expressions_are_refused() {
        for bad in [
            "v = (a + ",
            "v = a +",
            "v = a b",
            "v a",
            "= a",
            "v = a $ b",
            "v = `a",
            "v = )",
        ] {
            let err = parse_derived(bad).unwrap_err();
            assert_eq!(err.kind, ErrorKind::InvalidArgument, "{bad}");
        }
    }

    #[test]
    fn integer_typing_follows_pandas() {
        let int = |text: &str| parse_derived(text).unwrap().expr.is_integer(&|n| n == "i");
        assert!(int("v = i * 2 - i"));
        assert!(!int("v = i / 1"));
        assert!(!int("v = i + 0.5"));
        assert!(!int("v = i + f"));
    }
}
