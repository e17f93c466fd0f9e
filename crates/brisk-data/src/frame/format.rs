//! Numbers and text as pandas' `to_csv` writes them.
//!
//! Floats are Python's `repr`: the shortest text that reads back to the same double, positional
//! when the decimal exponent is in `-4..16` (`0.0001`, `3.0`, `1234567890123456.0`) and scientific
//! otherwise with a signed, at least two-digit exponent (`1e-05`, `1.5e+16`). Text is quoted only
//! when it holds the delimiter, a quote, CR or LF (`csv.QUOTE_MINIMAL`), with quotes doubled.

/// Appends Python's `repr` of a finite or infinite `x` (`inf`, `-inf`); NaN appends `nan`.
///
/// ```
/// use brisk_data::frame::format::push_float;
/// let text = |x: f64| { let mut out = Vec::new(); push_float(&mut out, x); String::from_utf8(out).unwrap() };
/// assert_eq!(text(3.0), "3.0");
/// assert_eq!(text(0.1), "0.1");
/// assert_eq!(text(1e-5), "1e-05");
/// assert_eq!(text(0.0001), "0.0001");
/// assert_eq!(text(1.5e16), "1.5e+16");
/// assert_eq!(text(-2.5e-300), "-2.5e-300");
/// assert_eq!(text(123456789.125), "123456789.125");
/// ```
pub fn push_float(out: &mut Vec<u8>, x: f64) {
    if x.is_nan() {
        out.extend_from_slice(b"nan");
        return;
    }
    if x.is_infinite() {
        out.extend_from_slice(if x > 0.0 { b"inf" } else { b"-inf" });
        return;
    }
    let mut buffer = zmij::Buffer::new();
    let shortest = buffer.format_finite(x).as_bytes();
    let mut digit_buffer = [0u8; 32];
    let (negative, len, exponent) = decompose(shortest, &mut digit_buffer);
    let digits = &digit_buffer[..len];
    if negative {
        out.push(b'-');
    }
    if (-4..16).contains(&exponent) {
        push_positional(out, digits, exponent);
    } else {
        out.push(digits[0]);
        if digits.len() > 1 {
            out.push(b'.');
            out.extend_from_slice(&digits[1..]);
        }
        out.push(b'e');
        out.push(if exponent < 0 { b'-' } else { b'+' });
        let magnitude = exponent.unsigned_abs();
        if magnitude < 10 {
            out.push(b'0');
        }
        out.extend_from_slice(itoa::Buffer::new().format(magnitude).as_bytes());
    }
}

/// Appends an integer.
pub fn push_int(out: &mut Vec<u8>, x: i64) {
    out.extend_from_slice(itoa::Buffer::new().format(x).as_bytes());
}

/// Appends a text field, quoted when it must be.
pub fn push_text(out: &mut Vec<u8>, text: &[u8], delimiter: u8) {
    let needs_quotes = text
        .iter()
        .any(|&b| b == delimiter || b == b'"' || b == b'\n' || b == b'\r');
    if !needs_quotes {
        out.extend_from_slice(text);
        return;
    }
    out.push(b'"');
    for &b in text {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

/// Splits a shortest-digits rendering (`-1.25e-7`, `0.001`, `120.0`) into its sign, its significant
/// digits without leading or trailing zeros (written to `digits`, their count returned), and the
/// decimal exponent of the first digit.
fn decompose(text: &[u8], digits: &mut [u8; 32]) -> (bool, usize, i32) {
    let (negative, text) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    let (mantissa, mut exponent) = match text.iter().position(|&b| b == b'e' || b == b'E') {
        Some(e) => {
            let exp_text = std::str::from_utf8(&text[e + 1..]).unwrap_or("0");
            (
                &text[..e],
                exp_text.trim_start_matches('+').parse::<i32>().unwrap_or(0),
            )
        }
        None => (text, 0),
    };
    let point = mantissa
        .iter()
        .position(|&b| b == b'.')
        .unwrap_or(mantissa.len());
    // The exponent of the first digit, leading zeros included.
    exponent += point as i32 - 1;
    let mut len = 0;
    for &b in mantissa.iter().filter(|b| b.is_ascii_digit()) {
        if len == 0 && b == b'0' {
            exponent -= 1;
            continue;
        }
        if len < digits.len() {
            digits[len] = b;
            len += 1;
        }
    }
    if len == 0 {
        digits[0] = b'0';
        return (negative, 1, 0);
    }
    while len > 1 && digits[len - 1] == b'0' {
        len -= 1;
    }
    (negative, len, exponent)
}

/// Writes `digits × 10^(exponent − len + 1)` positionally, with at least one fractional digit.
fn push_positional(out: &mut Vec<u8>, digits: &[u8], exponent: i32) {
    if exponent < 0 {
        out.extend_from_slice(b"0.");
        out.extend(std::iter::repeat_n(b'0', (-exponent - 1) as usize));
        out.extend_from_slice(digits);
        return;
    }
    let whole = exponent as usize + 1;
    if digits.len() <= whole {
        out.extend_from_slice(digits);
        out.extend(std::iter::repeat_n(b'0', whole - digits.len()));
        out.extend_from_slice(b".0");
    } else {
        out.extend_from_slice(&digits[..whole]);
        out.push(b'.');
        out.extend_from_slice(&digits[whole..]);
    }
}

/// A number with six significant digits for people to read, as pandas prints a summary: `—` for
/// none, positional between 1e-4 and 1e7 with trailing zeros trimmed, scientific otherwise.
///
/// ```
/// use brisk_data::frame::format::six_digits;
/// assert_eq!(six_digits(Some(4201.754385964912)), "4201.75");
/// assert_eq!(six_digits(Some(0.5)), "0.5");
/// assert_eq!(six_digits(Some(1.5e-9)), "1.50000e-9");
/// assert_eq!(six_digits(None), "—");
/// ```
pub fn six_digits(x: Option<f64>) -> String {
    match x {
        None => "—".to_owned(),
        Some(0.0) => "0".to_owned(),
        Some(x) if !x.is_finite() => format!("{x}"),
        Some(x) if (1e-4..1e7).contains(&x.abs()) => {
            let decimals = (5 - x.abs().log10().floor() as i32).max(0) as usize;
            let text = format!("{x:.decimals$}");
            if text.contains('.') {
                text.trim_end_matches('0').trim_end_matches('.').to_owned()
            } else {
                text
            }
        }
        Some(x) => format!("{x:.5e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repr(x: f64) -> String {
        let mut out = Vec::new();
        push_float(&mut out, x);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn python_repr_cases() {
        let cases: [(f64, &str); 16] = [
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (1.0, "1.0"),
            (100.0, "100.0"),
            (0.5, "0.5"),
            (1e15, "1000000000000000.0"),
            (1e16, "1e+16"),
            (9999999999999998.0, "9999999999999998.0"),
            (0.00012, "0.00012"),
            (0.000012, "1.2e-05"),
            (1e22, "1e+22"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (5e-324, "5e-324"),
            (123.456, "123.456"),
            (f64::INFINITY, "inf"),
            (-1e100, "-1e+100"),
        ];
        for (x, want) in cases {
            assert_eq!(repr(x), want, "{x:e}");
        }
    }

    #[test]
    fn round_trips_on_seeded_values() {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let x = f64::from_bits(state);
            if !x.is_finite() {
                continue;
            }
            let text = repr(x);
            assert_eq!(
                text.parse::<f64>().unwrap().to_bits(),
                x.to_bits(),
                "{text}"
            );
        }
    }

    #[test]
    fn quotes_only_when_needed() {
        let quoted = |t: &str| {
            let mut out = Vec::new();
            push_text(&mut out, t.as_bytes(), b',');
            String::from_utf8(out).unwrap()
        };
        assert_eq!(quoted("plain"), "plain");
        assert_eq!(quoted("a,b"), "\"a,b\"");
        assert_eq!(quoted("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(quoted("two\nlines"), "\"two\nlines\"");
    }
}
