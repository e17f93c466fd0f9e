//! Dates and date-times: ISO 8601 text to seconds since the Unix epoch (UTC), and back to the
//! text pandas prints.
//!
//! A date-time column holds `f64` seconds since 1970-01-01T00:00:00Z in its batches: exact for
//! whole seconds across ±285 million years, and to a fraction of a microsecond for dates of
//! this century (2⁻²² s near 2026), so that nanoseconds are the only precision lost against
//! pandas' `datetime64[ns]`. Calendar arithmetic is Howard Hinnant's `days_from_civil` and
//! `civil_from_days` (proleptic Gregorian calendar, as NumPy's `datetime64`).

/// Seconds in a day.
pub(crate) const DAY: i64 = 86_400;

/// The instant an ISO 8601 field names, as seconds since the epoch (UTC), and whether the field
/// wrote a time of day. Accepted, as `pandas.to_datetime(format="ISO8601")` reads them:
/// `YYYY-MM-DD`, then optionally `T` or a space and `HH:MM`, `HH:MM:SS` or `HH:MM:SS.f` (1 to 9
/// digits of fraction), then optionally `Z` or an offset `±HH:MM`, `±HHMM` or `±HH` (the instant
/// is moved to UTC). Anything else, or an impossible date or time, is `None`.
///
/// ```
/// use brisk_data::dates::parse_datetime;
/// assert_eq!(parse_datetime(b"1970-01-02"), Some((86_400.0, false)));
/// assert_eq!(parse_datetime(b"1970-01-01T01:00:30.5"), Some((3_630.5, true)));
/// assert_eq!(parse_datetime(b"1970-01-01 02:00+02:00"), Some((0.0, true)));
/// assert_eq!(parse_datetime(b"2023-02-29"), None);
/// assert_eq!(parse_datetime(b"2023-1-5"), None);
/// ```
pub fn parse_datetime(field: &[u8]) -> Option<(f64, bool)> {
    if field.len() < 10 || field[4] != b'-' || field[7] != b'-' {
        return None;
    }
    let year = i64::from(digits(&field[0..4])?);
    let month = digits(&field[5..7])?;
    let day = digits(&field[8..10])?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let midnight = (days_from_civil(year, month, day) * DAY) as f64;
    let rest = &field[10..];
    let Some((&separator, time)) = rest.split_first() else {
        return Some((midnight, false));
    };
    if separator != b'T' && separator != b' ' || time.len() < 5 || time[2] != b':' {
        return None;
    }
    let (hour, minute) = (digits(&time[0..2])?, digits(&time[3..5])?);
    let (mut second, mut fraction, mut at) = (0, 0.0, 5);
    if time.get(5) == Some(&b':') {
        second = digits(time.get(6..8)?)?;
        at = 8;
        if time.get(8) == Some(&b'.') {
            let n = time[9..].iter().take_while(|b| b.is_ascii_digit()).count();
            if n == 0 || n > 9 {
                return None;
            }
            fraction = digits(&time[9..9 + n])? as f64 / 10f64.powi(n as i32);
            at = 9 + n;
        }
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let offset = match &time[at..] {
        [] | [b'Z'] => 0,
        [sign @ (b'+' | b'-'), zone @ ..] => {
            let (h, m) = match zone {
                [h1, h2] => ([*h1, *h2], [b'0', b'0']),
                [h1, h2, m1, m2] | [h1, h2, b':', m1, m2] => ([*h1, *h2], [*m1, *m2]),
                _ => return None,
            };
            let (h, m) = (digits(&h)?, digits(&m)?);
            if h > 23 || m > 59 {
                return None;
            }
            let seconds = (h * 3600 + m * 60) as i64;
            if *sign == b'-' {
                -seconds
            } else {
                seconds
            }
        }
        _ => return None,
    };
    let time_of_day = (hour * 3600 + minute * 60 + second) as i64 - offset;
    Some((midnight + time_of_day as f64 + fraction, true))
}

/// An integer count of a unit (`per_second` of them to a second: 1 for seconds, 1,000 for
/// milliseconds, …, 10⁹ for nanoseconds) as seconds, split into whole seconds and the rest so
/// that microseconds stay exact.
///
/// ```
/// use brisk_data::dates::units_to_seconds;
/// assert_eq!(units_to_seconds(1_614_556_800_123_456, 1_000_000), 1_614_556_800.123456);
/// assert_eq!(units_to_seconds(-1_500, 1_000), -1.5);
/// ```
pub fn units_to_seconds(count: i64, per_second: i64) -> f64 {
    let (whole, rest) = (count.div_euclid(per_second), count.rem_euclid(per_second));
    whole as f64 + rest as f64 / per_second as f64
}

/// Whether an instant (seconds since the epoch) has a time of day other than midnight: a column
/// of midnights is written as dates, as pandas writes it.
pub(crate) fn has_time_of_day(seconds: f64) -> bool {
    seconds.rem_euclid(DAY as f64) != 0.0
}

/// Whether some value of a date-time column (NaN for null) has a time of day other than midnight.
pub(crate) fn any_time_of_day(values: &[f64]) -> bool {
    values.iter().any(|&x| !x.is_nan() && has_time_of_day(x))
}

/// An instant as pandas prints a `Timestamp` (`str(ts)`): `YYYY-MM-DD HH:MM:SS`, with
/// `.ffffff` when it has microseconds.
///
/// ```
/// use brisk_data::dates::format_timestamp;
/// assert_eq!(format_timestamp(0.0), "1970-01-01 00:00:00");
/// assert_eq!(format_timestamp(-0.25), "1969-12-31 23:59:59.750000");
/// ```
pub fn format_timestamp(seconds: f64) -> String {
    let (days, micros) = split_micros(seconds);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02} {}", clock(micros))
}

/// An instant as a date, `YYYY-MM-DD` (its time of day dropped), as pandas writes a
/// `datetime64` column whose every value is a midnight.
pub fn format_date(seconds: f64) -> String {
    let (y, m, d) = civil_from_days(split_micros(seconds).0);
    format!("{y:04}-{m:02}-{d:02}")
}

/// A date-time as pandas' `to_csv` writes a `datetime64` column's values: as dates when no value
/// of the column has a time of day (`with_time` false), as timestamps otherwise.
pub fn datetime_text(seconds: f64, with_time: bool) -> String {
    if with_time {
        format_timestamp(seconds)
    } else {
        format_date(seconds)
    }
}

/// A length of time as pandas prints a `Timedelta` (`str(td)`): `N days HH:MM:SS`, with
/// `.ffffff` when it has microseconds.
///
/// ```
/// use brisk_data::dates::format_timedelta;
/// assert_eq!(format_timedelta(86_400.0 * 5.0 + 3_661.0), "5 days 01:01:01");
/// assert_eq!(format_timedelta(0.5), "0 days 00:00:00.500000");
/// ```
pub fn format_timedelta(seconds: f64) -> String {
    let (days, micros) = split_micros(seconds);
    format!("{days} days {}", clock(micros))
}

/// Whole days since the epoch (floored) and the microseconds into the day.
fn split_micros(seconds: f64) -> (i64, i64) {
    let micros = (seconds * 1e6).round() as i64;
    let per_day = DAY * 1_000_000;
    (micros.div_euclid(per_day), micros.rem_euclid(per_day))
}

/// `HH:MM:SS`, and `.ffffff` when the microseconds are not zero.
fn clock(micros: i64) -> String {
    let (s, us) = (micros / 1_000_000, micros % 1_000_000);
    let hms = format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
    if us == 0 {
        hms
    } else {
        format!("{hms}.{us:06}")
    }
}

/// The value of ASCII digits.
fn digits(bytes: &[u8]) -> Option<u32> {
    bytes.iter().try_fold(0u32, |n, &b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Hinnant).
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `days` after 1970-01-01 (Hinnant).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_day_of_four_centuries_round_trips() {
        // 1900-01-01 to 2300-01-01, day by day, against a plain count of the calendar.
        let (mut y, mut m, mut d) = (1900i64, 1u32, 1u32);
        let mut days = days_from_civil(1900, 1, 1);
        assert_eq!(days, -25_567);
        while y < 2300 {
            assert_eq!(days_from_civil(y, m, d), days);
            assert_eq!(civil_from_days(days), (y, m, d));
            let text = format!("{y:04}-{m:02}-{d:02}");
            assert_eq!(
                parse_datetime(text.as_bytes()),
                Some(((days * DAY) as f64, false))
            );
            assert_eq!(format_date((days * DAY) as f64), text);
            days += 1;
            d += 1;
            if d > days_in_month(y, m) {
                (d, m) = (1, m + 1);
                if m > 12 {
                    (m, y) = (1, y + 1);
                }
            }
        }
    }

    #[test]
    fn times_fractions_and_offsets() {
        let base = (days_from_civil(2021, 3, 1) * DAY) as f64;
        let cases: [(&str, f64); 6] = [
            ("2021-03-01T12:30", 45_000.0),
            ("2021-03-01 12:30:15", 45_015.0),
            ("2021-03-01T12:30:15.123456Z", 45_015.123_456),
            ("2021-03-01T12:30:15+01:00", 41_415.0),
            ("2021-03-01T12:30:15-0130", 50_415.0),
            ("2021-03-01T00:00:00+05", -18_000.0),
        ];
        for (text, offset) in cases {
            let (got, timed) = parse_datetime(text.as_bytes()).unwrap();
            assert!(timed, "{text}");
            assert!((got - (base + offset)).abs() < 1e-6, "{text}: {got}");
        }
        assert_eq!(
            format_timestamp(base + 45_015.123_456),
            "2021-03-01 12:30:15.123456"
        );
    }

    #[test]
    fn anything_else_is_not_a_date() {
        for text in [
            "2021-03-01T",
            "2021-03-01T24:00",
            "2021-03-01T12:60",
            "2021-03-01T12:30:61",
            "2021-13-01",
            "2021-00-10",
            "2021-04-31",
            "2021-03-01x",
            "20210301",
            "2021/03/01",
            "2021-03-01T12:30:15.",
            "2021-03-01T12:30:15.1234567890",
            "2021-03-01T12:30+1",
            "2021-03-01T12:30+25:00",
            " 2021-03-01",
            "-021-03-01",
            "2021-03-01T1:30",
        ] {
            assert_eq!(parse_datetime(text.as_bytes()), None, "{text}");
        }
    }
}
