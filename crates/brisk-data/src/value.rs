//! What a CSV field means: null, a number, a boolean, or text — by pandas' `read_csv` rules.
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

/// The boolean a field holds, if it is one of pandas' `read_csv` true and false values: `True`,
/// `TRUE`, `true`, `False`, `FALSE`, `false` (no other case, no surrounding spaces).
///
/// ```
/// use brisk_data::value::parse_bool;
/// assert_eq!(parse_bool(b"TRUE"), Some(true));
/// assert_eq!(parse_bool(b"false"), Some(false));
/// assert_eq!(parse_bool(b"tRuE"), None);
/// assert_eq!(parse_bool(b"1"), None);
/// ```
#[inline]
pub fn parse_bool(field: &[u8]) -> Option<bool> {
    match field {
        b"True" | b"TRUE" | b"true" => Some(true),
        b"False" | b"FALSE" | b"false" => Some(false),
        _ => None,
    }
}

/// A boolean as pandas writes it: `True` or `False`.
#[inline]
pub fn bool_text(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

/// A field written with a decimal comma, as [`parse_number`] reads numbers: `,` becomes `.`, and a
/// `.` becomes `_`, which no number holds (pandas' `read_csv(decimal=",")` reads `1.5` as text).
/// Fields without either are returned as they are; others are rewritten into `buffer`.
///
/// ```
/// use brisk_data::value::{from_decimal_comma, parse_number};
/// let mut buffer = Vec::new();
/// assert_eq!(parse_number(from_decimal_comma(b"-7,25", &mut buffer)), Some(-7.25));
/// assert_eq!(parse_number(from_decimal_comma(b"1.5", &mut buffer)), None);
/// assert_eq!(from_decimal_comma(b"12", &mut buffer), b"12");
/// ```
pub fn from_decimal_comma<'a>(field: &'a [u8], buffer: &'a mut Vec<u8>) -> &'a [u8] {
    if !field.iter().any(|&b| b == b',' || b == b'.') {
        return field;
    }
    buffer.clear();
    buffer.extend(field.iter().map(|&b| match b {
        b',' => b'.',
        b'.' => b'_',
        other => other,
    }));
    buffer
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

/// An integer literal as pandas reads one into `int64`: ASCII spaces around, an optional sign,
/// digits only, within `i64`'s range.
///
/// ```
/// use brisk_data::value::parse_integer;
/// assert_eq!(parse_integer(b" -12 "), Some(-12));
/// assert_eq!(parse_integer(b"+7"), Some(7));
/// assert_eq!(parse_integer(b"1.0"), None);
/// assert_eq!(parse_integer(b"99999999999999999999"), None);
/// ```
#[inline]
pub fn parse_integer(field: &[u8]) -> Option<i64> {
    let trimmed = field.trim_ascii();
    let (negative, digits) = match trimmed.split_first()? {
        (b'-', rest) => (true, rest),
        (b'+', rest) => (false, rest),
        _ => (false, trimmed),
    };
    if digits.is_empty() {
        return None;
    }
    let mut magnitude = 0u64;
    for &d in digits {
        let digit = d.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        magnitude = magnitude.checked_mul(10)?.checked_add(u64::from(digit))?;
    }
    if negative {
        0i64.checked_sub_unsigned(magnitude)
    } else {
        i64::try_from(magnitude).ok()
    }
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
    // At most 19 digits and a point: the mantissa cannot wrap.
    if digits.is_empty() || digits.len() > 20 {
        return None;
    }
    let mut mantissa = 0u64;
    let mut point = None;
    let mut i = 0;
    while i < digits.len() {
        // Eight digits at once where they are all digits (the fraction of "-0.123456789").
        if let Some(eight) = digits.get(i..i + 8) {
            let word = u64::from_le_bytes(eight.try_into().expect("eight bytes"));
            if all_digits(word) {
                mantissa = mantissa
                    .wrapping_mul(100_000_000)
                    .wrapping_add(eight_digits(word));
                i += 8;
                continue;
            }
        }
        let b = digits[i];
        let digit = b.wrapping_sub(b'0');
        if digit < 10 {
            mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(digit));
        } else if b == b'.' && point.is_none() {
            point = Some(i);
        } else {
            return None;
        }
        i += 1;
    }
    let decimals = point.map_or(0, |p| digits.len() - p - 1);
    let total = digits.len() - usize::from(point.is_some());
    if total == 0 || total > 19 || mantissa > 1 << 53 || decimals > 22 {
        return None;
    }
    let magnitude = mantissa as f64 / POW10[decimals];
    Some(if negative { -magnitude } else { magnitude })
}

/// Whether all eight bytes of a little-endian word are ASCII digits.
#[inline]
fn all_digits(word: u64) -> bool {
    const HIGH: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    (word & HIGH) | ((word.wrapping_add(0x0606_0606_0606_0606) & HIGH) >> 4)
        == 0x3333_3333_3333_3333
}

/// The number eight ASCII digits spell, the first in the lowest byte (the SWAR reduction in
/// Lemire, "Number parsing at a gigabyte per second", 2021).
#[inline]
fn eight_digits(word: u64) -> u64 {
    const MASK: u64 = 0x0000_00FF_0000_00FF;
    const MUL1: u64 = 100 + (1_000_000 << 32);
    const MUL2: u64 = 1 + (10_000 << 32);
    let value = word.wrapping_sub(0x3030_3030_3030_3030);
    let value = value.wrapping_mul(10).wrapping_add(value >> 8);
    ((value & MASK)
        .wrapping_mul(MUL1)
        .wrapping_add(((value >> 16) & MASK).wrapping_mul(MUL2)))
        >> 32
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
        assert_eq!(parse_plain_decimal(b"1.2.3"), None);
        assert_eq!(
            parse_plain_decimal(b"12345678.12345678"),
            Some(12345678.12345678)
        );
        assert_eq!(
            parse_plain_decimal(b"1234567812345678"),
            Some(1234567812345678.0)
        );
        assert_eq!(parse_plain_decimal(b"1234:678"), None);
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
