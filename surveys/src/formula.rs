//! Formulas of `value` indicators over a principal's answers, e.g. `computers / students` or
//! `(left_last_year + vacancies) / teachers`: numbers, item keys, `+ - * /` and parentheses.
//! An item key stands for the numeric answer, or for the risk score of a choice answer.

use std::fmt;

/// A parsed formula.
#[derive(Debug, Clone, PartialEq)]
pub enum Formula {
    Number(f64),
    Item(String),
    Binary(Box<Formula>, Op, Box<Formula>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

/// Why a formula text cannot be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("formula «{text}»: {reason}")]
pub struct FormulaError {
    pub text: String,
    pub reason: String,
}

impl Formula {
    pub fn parse(text: &str) -> Result<Formula, FormulaError> {
        let tokens = tokenize(text).map_err(|reason| FormulaError {
            text: text.to_owned(),
            reason,
        })?;
        let mut parser = Parser { tokens, pos: 0 };
        let formula = parser
            .sum()
            .and_then(|f| match parser.tokens.get(parser.pos) {
                None => Ok(f),
                Some(t) => Err(format!("unexpected {t}")),
            });
        formula.map_err(|reason| FormulaError {
            text: text.to_owned(),
            reason,
        })
    }

    /// The item keys the formula reads.
    pub fn items(&self) -> Vec<&str> {
        let mut keys = Vec::new();
        self.collect(&mut keys);
        keys
    }

    fn collect<'a>(&'a self, keys: &mut Vec<&'a str>) {
        match self {
            Formula::Number(_) => {}
            Formula::Item(k) => keys.push(k),
            Formula::Binary(a, _, b) => {
                a.collect(keys);
                b.collect(keys);
            }
        }
    }

    /// Evaluates with `value` giving each item's number; `None` when an item is unanswered or a
    /// division by zero occurs (the indicator then has no data).
    pub fn eval(&self, value: &impl Fn(&str) -> Option<f64>) -> Option<f64> {
        match self {
            Formula::Number(n) => Some(*n),
            Formula::Item(k) => value(k),
            Formula::Binary(a, op, b) => {
                let (a, b) = (a.eval(value)?, b.eval(value)?);
                match op {
                    Op::Add => Some(a + b),
                    Op::Sub => Some(a - b),
                    Op::Mul => Some(a * b),
                    Op::Div if b == 0.0 => None,
                    Op::Div => Some(a / b),
                }
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(f64),
    Name(String),
    Op(char),
    Open,
    Close,
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Token::Number(n) => write!(f, "number {n}"),
            Token::Name(n) => write!(f, "`{n}`"),
            Token::Op(c) => write!(f, "`{c}`"),
            Token::Open => f.write_str("`(`"),
            Token::Close => f.write_str("`)`"),
        }
    }
}

fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let chars: Vec<char> = text.chars().collect();
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
            let s: String = chars[start..i].iter().collect();
            tokens.push(Token::Number(
                s.parse().map_err(|_| format!("bad number {s}"))?,
            ));
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric() || chars[i] == '_' || chars[i] == '.')
            {
                i += 1;
            }
            tokens.push(Token::Name(chars[start..i].iter().collect()));
        } else if "+-*/".contains(c) {
            tokens.push(Token::Op(c));
            i += 1;
        } else if c == '(' {
            tokens.push(Token::Open);
            i += 1;
        } else if c == ')' {
            tokens.push(Token::Close);
            i += 1;
        } else {
            return Err(format!("unexpected character `{c}`"));
        }
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser {
    fn next_op(&self, ops: &str) -> Option<char> {
        match self.tokens.get(self.pos) {
            Some(Token::Op(c)) if ops.contains(*c) => Some(*c),
            _ => None,
        }
    }

    fn sum(&mut self) -> Result<Formula, String> {
        let mut left = self.product()?;
        while let Some(c) = self.next_op("+-") {
            self.pos += 1;
            let right = self.product()?;
            let op = if c == '+' { Op::Add } else { Op::Sub };
            left = Formula::Binary(Box::new(left), op, Box::new(right));
        }
        Ok(left)
    }

    fn product(&mut self) -> Result<Formula, String> {
        let mut left = self.atom()?;
        while let Some(c) = self.next_op("*/") {
            self.pos += 1;
            let right = self.atom()?;
            let op = if c == '*' { Op::Mul } else { Op::Div };
            left = Formula::Binary(Box::new(left), op, Box::new(right));
        }
        Ok(left)
    }

    fn atom(&mut self) -> Result<Formula, String> {
        let token = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        match token {
            Some(Token::Number(n)) => Ok(Formula::Number(n)),
            Some(Token::Name(n)) => Ok(Formula::Item(n)),
            Some(Token::Open) => {
                let inner = self.sum()?;
                match self.tokens.get(self.pos) {
                    Some(Token::Close) => {
                        self.pos += 1;
                        Ok(inner)
                    }
                    _ => Err("missing `)`".into()),
                }
            }
            Some(t) => Err(format!("unexpected {t}")),
            None => Err("unexpected end".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(text: &str, vars: &[(&str, f64)]) -> Option<f64> {
        let f = Formula::parse(text).expect("parses");
        f.eval(&|k| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| *v))
    }

    #[test]
    fn precedence_and_parentheses_are_respected() {
        assert_eq!(eval("1 + 2 * 3", &[]), Some(7.0));
        assert_eq!(eval("(1 + 2) * 3", &[]), Some(9.0));
        assert_eq!(
            eval("a / (b + c)", &[("a", 3.0), ("b", 1.0), ("c", 2.0)]),
            Some(1.0)
        );
        assert_eq!(eval("10 - 4 - 3", &[]), Some(3.0));
    }

    #[test]
    fn missing_items_and_zero_division_give_no_value() {
        assert_eq!(eval("a / b", &[("a", 3.0), ("b", 0.0)]), None);
        assert_eq!(eval("a / b", &[("a", 3.0)]), None);
    }

    #[test]
    fn malformed_formulas_are_reported() {
        for text in ["a +", "(a", "a $ b", "a b", ""] {
            assert!(Formula::parse(text).is_err(), "{text}");
        }
        assert_eq!(
            Formula::parse("x / (y + 1)").expect("ok").items(),
            vec!["x", "y"]
        );
    }
}
