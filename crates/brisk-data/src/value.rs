//! What a CSV field means: null, a number, or text — by pandas' `read_csv` rules.
//!
//! Null tokens are exactly pandas' defaults (`keep_default_na=True`), quoted or not. A number is what
//! pandas' C parser accepts as a float: optional surrounding ASCII spaces, a sign, digits with an
//! optional fraction and exponent, or `inf`/`infinity` in any case.

/// pandas' default null tokens (`pandas._libs.parsers.STR_NA_VALUES`).
pub const NULL_TOKENS: [&str; 19] = [
    "", "NA", "N/A", "n/a", "NaN", "nan", "-NaN", "-nan", "NULL", "null", "None", "<NA>", "#N/A",
    "#N/A N/A", "#NA", "1.#IND", "-1.#IND", "1.#QNAN", "-1.#QNAN",
];

/// The meaning of one field.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    /// A null token.
    Null,
    /// A number.
    Number(f64),
    /// Anything else.
    Text(&'a [u8]),
}

/// Whether a field is one of pandas' null tokens.
#[inline]
pub fn is_null_token(field: &[u8]) -> bool {
    field.is_empty() || (field.len() <= 8 && NULL_TOKENS.iter().any(|t| t.as_bytes() == field))
}

/// Parses a field as pandas would type it.
///
/// ```
/// use brisk_data::value::{classify, Value};
/// assert_eq!(classify(b"1.5e3"), Value::Number(1500.0));
/// assert_eq!(classify(b" -2 "), Value::Number(-2.0));
/// assert_eq!(classify(b"-Inf"), Value::Number(f64::NEG_INFINITY));
/// assert_eq!(classify(b"NA"), Value::Null);
/// assert_eq!(classify(b"1.#IND"), Value::Null);
/// assert_eq!(classify(b"1,5"), Value::Text(b"1,5"));
/// ```
#[inline]
pub fn classify(field: &[u8]) -> Value<'_> {
    if let Some(x) = parse_number(field) {
        return Value::Number(x);
    }
    if is_null_token(field) {
        Value::Null
    } else {
        Value::Text(field)
    }
}

/// The number a field holds, if it is one; null tokens such as `nan` are not numbers.
#[inline]
pub fn parse_number(field: &[u8]) -> Option<f64> {
    let first = *field.first()?;
    let starts_numeric = first.is_ascii_digit() || first == b'.';
    if starts_numeric || ((first == b'-' || first == b'+') && field.len() > 1) {
        let lead = field.get(usize::from(!starts_numeric)).copied();
        if lead.is_some_and(|b| b.is_ascii_digit() || b == b'.') {
            if let Ok(x) = fast_float2::parse::<f64, _>(field) {
                return Some(x);
            }
        }
    }
    parse_number_slow(field)
}

/// Spaces around a number, `inf`/`infinity` in any case with a sign, and a leading `+`.
#[cold]
fn parse_number_slow(field: &[u8]) -> Option<f64> {
    let trimmed = field.trim_ascii();
    if trimmed.is_empty() {
        return None;
    }
    let (negative, body) = match trimmed[0] {
        b'-' => (true, &trimmed[1..]),
        b'+' => (false, &trimmed[1..]),
        _ => (false, trimmed),
    };
    let magnitude = if body.eq_ignore_ascii_case(b"inf") || body.eq_ignore_ascii_case(b"infinity") {
        f64::INFINITY
    } else {
        let lead = *body.first()?;
        if !(lead.is_ascii_digit() || lead == b'.') {
            return None;
        }
        fast_float2::parse(body).ok()?
    };
    Some(if negative { -magnitude } else { magnitude })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pandas_null_token_is_null() {
        for token in NULL_TOKENS {
            assert_eq!(classify(token.as_bytes()), Value::Null, "{token:?}");
        }
        assert_eq!(classify(b"nul"), Value::Text(b"nul"));
        assert_eq!(classify(b" NA"), Value::Text(b" NA"));
    }

    #[test]
    fn numbers_as_pandas_reads_them() {
        let cases: [(&[u8], f64); 11] = [
            (b"0", 0.0),
            (b"-0.5", -0.5),
            (b"+3", 3.0),
            (b".5", 0.5),
            (b"5.", 5.0),
            (b"1e308", 1e308),
            (b"1E-5", 1e-5),
            (b"  42\t", 42.0),
            (b"inf", f64::INFINITY),
            (b"+Infinity", f64::INFINITY),
            (b"-INF", f64::NEG_INFINITY),
        ];
        for (text, want) in cases {
            assert_eq!(
                parse_number(text),
                Some(want),
                "{:?}",
                std::str::from_utf8(text)
            );
        }
    }

    #[test]
    fn non_numbers_are_text() {
        for text in [
            &b"abc"[..],
            b"1.2.3",
            b"1_000",
            b"0x10",
            b"e5",
            b"-",
            b"+",
            b"1e",
            b"--1",
            b"infinite",
        ] {
            assert_eq!(parse_number(text), None, "{:?}", std::str::from_utf8(text));
        }
    }
}
