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
    match field.first() {
        None => true,
        // Every non-empty token starts with one of these bytes; most text is rejected here.
        Some(b'N' | b'n' | b'-' | b'<' | b'#' | b'1') if field.len() <= 8 => {
            NULL_TOKENS.iter().any(|t| t.as_bytes() == field)
        }
        _ => false,
    }
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
    if let Some(x) = parse_plain_decimal(field) {
        return Some(x);
    }
    let first = *field.first()?;
    // Text starting with a letter is a number only as `inf`/`infinity`.
    if first.is_ascii_alphabetic() && !first.eq_ignore_ascii_case(&b'i') {
        return None;
    }
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

/// Exact powers of ten: every `10^k` with `k ≤ 22` is a double.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// The common case, `[-+]digits[.digits]` with at most 19 digits, by Clinger's fast path: when the
/// digits form an integer `m ≤ 2^53` and there are `k ≤ 22` decimals, `m / 10^k` is one correctly
/// rounded division of two exact doubles (Clinger 1990, "How to read floating point numbers
/// accurately"). Anything else returns `None` for the general parser.
#[inline]
fn parse_plain_decimal(field: &[u8]) -> Option<f64> {
    let (negative, digits) = match field.first()? {
        b'-' => (true, &field[1..]),
        b'+' => (false, &field[1..]),
        _ => (false, field),
    };
    let mut mantissa = 0u64;
    let integer_digits = accumulate_digits(digits, &mut mantissa);
    let mut i = integer_digits;
    let mut decimals = 0;
    if digits.get(i) == Some(&b'.') {
        decimals = accumulate_digits(&digits[i + 1..], &mut mantissa);
        i += 1 + decimals;
    }
    let total = integer_digits + decimals;
    if i != digits.len() || total == 0 || total > 19 || mantissa > 1 << 53 || decimals > 22 {
        return None;
    }
    let magnitude = mantissa as f64 / POW10[decimals];
    Some(if negative { -magnitude } else { magnitude })
}

/// Appends the leading decimal digits of `digits` to `mantissa` (wrapping: callers bound the count);
/// returns how many there were.
#[inline]
fn accumulate_digits(digits: &[u8], mantissa: &mut u64) -> usize {
    let count = digits.iter().take_while(|b| b.is_ascii_digit()).count();
    for &b in &digits[..count] {
        *mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(b - b'0'));
    }
    count
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
    fn the_fast_path_equals_the_correctly_rounded_parser() {
        let mut state = 0x853C_49E6_748F_EA9Bu64;
        for _ in 0..200_000 {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
            let digits = (state >> 60) as usize + 1;
            let point = (state >> 40) as usize % (digits + 1);
            let mut text = if state & 1 == 0 {
                String::new()
            } else {
                "-".to_owned()
            };
            let mut bits = state;
            for k in 0..digits {
                if k == point && k > 0 {
                    text.push('.');
                }
                bits = bits.rotate_left(7) ^ 0x9E37_79B9;
                text.push(char::from(b'0' + (bits % 10) as u8));
            }
            let want: f64 = text.parse().unwrap();
            let got = parse_number(text.as_bytes()).unwrap();
            assert_eq!(got.to_bits(), want.to_bits(), "{text}");
        }
        assert_eq!(parse_plain_decimal(b"12345678901234567890"), None);
        assert_eq!(parse_plain_decimal(b"9007199254740993"), None);
        assert_eq!(parse_number(b"9007199254740993"), Some(9007199254740992.0));
        assert_eq!(parse_plain_decimal(b"."), None);
        assert_eq!(
            parse_plain_decimal(b"-0").map(f64::to_bits),
            Some((-0.0f64).to_bits())
        );
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
