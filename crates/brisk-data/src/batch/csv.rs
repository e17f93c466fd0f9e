//! Decoding CSV chunks into typed batch columns, column by column in parallel (or only the
//! columns a job asked for).

use rayon::prelude::*;

use super::column::{BatchColumn, DecodedColumns, NumericColumn, TextColumn};
use super::decoded::{learn, Decoded, Kind};
use super::types::{ColumnType, ColumnTypes, DateRule};
use crate::csv::Chunk;
use crate::dates::{has_time_of_day, parse_datetime};
use crate::error::{Location, Result};
use crate::value::{from_decimal_comma, is_null_token, parse_bool, parse_integer, parse_number};

/// The typed columns of `chunk`, whose first row is data row `first_row`; `types` learns from
/// them. Returns the columns and, for each column still integer, its values as `i64`.
pub(super) fn decode_chunk(
    chunk: &Chunk,
    types: &mut ColumnTypes,
    source: &str,
    first_row: u64,
    selected: Option<&[bool]>,
) -> Result<DecodedColumns> {
    let kinds = Kind::all(types);
    let decoded: Vec<Decoded> = kinds
        .par_iter()
        .enumerate()
        .map(|(j, kind)| {
            if selected.is_some_and(|s| !s.get(j).copied().unwrap_or(false)) {
                skipped(chunk.rows())
            } else {
                decode_column(chunk, j, kind)
            }
        })
        .collect();
    let mut columns = Vec::with_capacity(decoded.len());
    let mut integers = Vec::with_capacity(decoded.len());
    for (j, mut d) in decoded.into_iter().enumerate() {
        let locate = |types: &ColumnTypes, row| {
            Location::source(source)
                .at_line(chunk.line(row))
                .at_column(j + 1, Some(&types.names()[j]))
        };
        learn(types, j, &mut d, first_row, &locate, &|| {
            first_value(chunk, j)
        })?;
        columns.push(d.column);
        integers.push(d.integers);
    }
    Ok(DecodedColumns { columns, integers })
}

/// A column the pass does not decode: nulls, and nothing learnt about its type.
fn skipped(rows: usize) -> Decoded {
    Decoded::nothing(BatchColumn::Numeric(NumericColumn::new(vec![
        f64::NAN;
        rows
    ])))
}

/// The row (in the chunk) of column `j`'s first non-null field.
fn first_value(chunk: &Chunk, j: usize) -> usize {
    chunk.column(j).position(|f| !is_null_token(f)).unwrap_or(0)
}

/// A text column: what a column that met `field` at `row` becomes.
fn turned_to_text(chunk: &Chunk, j: usize, saw_null: bool, row: usize, field: &[u8]) -> Decoded {
    let value = String::from_utf8_lossy(field).into_owned();
    Decoded::turned_text(decode_text(chunk, j), saw_null, row, value)
}

fn decode_column(chunk: &Chunk, j: usize, kind: &Kind) -> Decoded {
    match kind.ty {
        ColumnType::Text => Decoded::text(decode_text(chunk, j)),
        ColumnType::Bool => decode_bool(chunk, j),
        ColumnType::Datetime => decode_datetime(chunk, j, kind.dates),
        ColumnType::Numeric => decode_numeric(chunk, j, kind),
    }
}

/// A date-time column: seconds since the epoch, NaN for null; any other value makes it text,
/// or is an error when the column must hold dates.
fn decode_datetime(chunk: &Chunk, j: usize, dates: DateRule) -> Decoded {
    let mut values = Vec::with_capacity(chunk.rows());
    let (mut saw_null, mut saw_time_of_day) = (false, false);
    for (row, field) in chunk.column(j).enumerate() {
        match parse_datetime(field) {
            Some((seconds, timed)) => {
                saw_time_of_day |= timed && has_time_of_day(seconds);
                values.push(seconds);
            }
            None if is_null_token(field) => {
                values.push(f64::NAN);
                saw_null = true;
            }
            None if dates == DateRule::Require => {
                let value = String::from_utf8_lossy(field).into_owned();
                return Decoded {
                    not_a_date: Some((row, value)),
                    ..skipped(chunk.rows())
                };
            }
            None => return turned_to_text(chunk, j, saw_null, row, field),
        }
    }
    Decoded {
        saw_time_of_day,
        ..Decoded::coded(values, saw_null)
    }
}

/// A boolean column: 1 for true, 0 for false, NaN for null; any other value makes it text.
fn decode_bool(chunk: &Chunk, j: usize) -> Decoded {
    let mut values = Vec::with_capacity(chunk.rows());
    let mut saw_null = false;
    for (row, field) in chunk.column(j).enumerate() {
        match parse_bool(field) {
            Some(b) => values.push(f64::from(u8::from(b))),
            None if is_null_token(field) => {
                values.push(f64::NAN);
                saw_null = true;
            }
            None => return turned_to_text(chunk, j, saw_null, row, field),
        }
    }
    Decoded::coded(values, saw_null)
}

fn decode_numeric(chunk: &Chunk, j: usize, kind: &Kind) -> Decoded {
    let (integer, has_value) = (kind.integer, kind.has_value);
    let rows = chunk.rows();
    let mut values = Vec::with_capacity(rows);
    let mut ints = if integer {
        Vec::with_capacity(rows)
    } else {
        Vec::new()
    };
    let mut non_integer = !integer;
    let mut saw_null = false;
    let mut saw_value = has_value;
    let decimal_comma = chunk.decimal_comma();
    let mut rewritten = Vec::new();
    for (row, field) in chunk.column(j).enumerate() {
        let number = if decimal_comma {
            from_decimal_comma(field, &mut rewritten)
        } else {
            field
        };
        if let Some(x) = parse_number(number) {
            values.push(x);
            saw_value = true;
            if !non_integer {
                match parse_integer(number) {
                    Some(i) => ints.push(i),
                    None => non_integer = true,
                }
            }
        } else if is_null_token(field) {
            values.push(f64::NAN);
            saw_null = true;
        } else if !saw_value && parse_bool(field).is_some() {
            // Null so far: the column is boolean (pandas' bool), from its first rows on.
            return Decoded {
                became_bool: true,
                ..decode_bool(chunk, j)
            };
        } else if !saw_value && kind.dates != DateRule::Off && parse_datetime(field).is_some() {
            // Null so far: the column holds dates, from its first rows on.
            return Decoded {
                became_datetime: true,
                ..decode_datetime(chunk, j, kind.dates)
            };
        } else {
            return turned_to_text(chunk, j, saw_null, row, field);
        }
    }
    Decoded {
        integers: (!non_integer && !saw_null).then_some(ints),
        saw_null,
        saw_value,
        non_integer,
        ..Decoded::nothing(BatchColumn::Numeric(NumericColumn::new(values)))
    }
}

fn decode_text(chunk: &Chunk, j: usize) -> TextColumn {
    let bytes: usize = chunk.column(j).map(<[u8]>::len).sum();
    let mut column = TextColumn::with_capacity(chunk.rows(), bytes);
    for field in chunk.column(j) {
        column.push((!is_null_token(field)).then_some(field));
    }
    column
}

#[cfg(test)]
mod tests {
    use crate::batch::{BatchColumn, Batches, ColumnType};
    use crate::input::{Format, Input};

    /// The types a first pass ends with, and every batch's first column's values.
    fn read(text: &str, batch_rows: usize) -> (Vec<ColumnType>, Vec<BatchColumn>) {
        let input = Input::from_reader(text.as_bytes(), "t.csv", Format::Csv).unwrap();
        let mut batches = Batches::open(&input, batch_rows).unwrap();
        let mut first = Vec::new();
        while let Some(batch) = batches.next_batch().unwrap() {
            first.push(batch.column(0).clone());
        }
        let types = batches.types();
        ((0..types.len()).map(|j| types.get(j)).collect(), first)
    }

    #[test]
    fn pandas_true_and_false_tokens_make_a_boolean_column_of_ones_and_zeros() {
        let (types, first) = read("b,n\nTrue,1\nfalse,2\n,3\nTRUE,4\nFALSE,5\n", 10);
        assert_eq!(types, [ColumnType::Bool, ColumnType::Numeric]);
        let BatchColumn::Numeric(b) = &first[0] else {
            panic!("a boolean column holds numbers")
        };
        let values = b.values();
        assert_eq!(
            (values[0], values[1], values[3], values[4]),
            (1.0, 0.0, 1.0, 0.0)
        );
        assert!(b.is_null(2));
    }

    #[test]
    fn a_column_null_for_whole_batches_can_still_turn_boolean() {
        let (types, first) = read("b,a\n,1\nNA,2\n,3\nfalse,4\ntrue,5\n", 2);
        assert_eq!(types, [ColumnType::Bool, ColumnType::Numeric]);
        assert_eq!(first.len(), 3);
        let BatchColumn::Numeric(last) = &first[2] else {
            panic!("numbers")
        };
        assert_eq!(last.values(), [1.0]);
    }

    #[test]
    fn booleans_mixed_with_numbers_or_other_case_are_text() {
        // pandas reads these columns as object.
        for text in [
            "b\ntrue\n1\n",
            "b\n1\ntrue\n",
            "b\ntrue\ntRuE\n",
            "b\nTrue\nyes\n",
        ] {
            assert_eq!(read(text, 10).0, [ColumnType::Text], "{text:?}");
            // Across batches too: the pass says so, and the type is final.
            assert_eq!(read(text, 1).0, [ColumnType::Text], "{text:?}");
        }
    }

    #[test]
    fn a_boolean_in_a_column_an_earlier_pass_found_empty_is_an_error() {
        let input = Input::from_reader(&b"a,b\n1,\n2,\n"[..], "t.csv", Format::Csv).unwrap();
        let mut first = Batches::open(&input, 10).unwrap();
        while first.next_batch().unwrap().is_some() {}
        let changed = Input::from_reader(&b"a,b\n1,\n2,true\n"[..], "t.csv", Format::Csv).unwrap();
        let mut again = Batches::with_types(&changed, first.types(), 10).unwrap();
        let err = again.next_batch().unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("t.csv:3: column 2") && text.contains("changed"),
            "{text}"
        );
    }

    #[test]
    fn iso_dates_make_a_date_time_column_of_seconds() {
        let (types, first) = read("d,n\n1970-01-02,1\n,2\n1970-01-01T00:00:30Z,3\n", 10);
        assert_eq!(types, [ColumnType::Datetime, ColumnType::Numeric]);
        let BatchColumn::Numeric(d) = &first[0] else {
            panic!("seconds")
        };
        assert_eq!((d.values()[0], d.values()[2]), (86_400.0, 30.0));
        assert!(d.is_null(1));
        // A value that is not a date makes it text, in the same batch or a later one.
        for batch_rows in [1, 10] {
            let (types, _) = read("d\n2021-01-01\n2021-13-01\n", batch_rows);
            assert_eq!(types, [ColumnType::Text]);
        }
        // A number first: numbers, then text.
        assert_eq!(read("d\n2021\n2021-01-01\n", 10).0, [ColumnType::Text]);
    }

    #[test]
    fn the_date_rules_turn_detection_off_or_require_dates() {
        use crate::input::InputOptions;
        let text = "d,x\n2021-01-01,1\n2021-01-02 10:00,2\nsoon,3\n";
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, text).unwrap();
        let open = |options: InputOptions| {
            let input = Input::open_with(&path, options).unwrap();
            let mut batches = Batches::open(&input, 10).unwrap();
            let outcome = batches.next_batch().map(|_| batches.types().get(0));
            outcome.map_err(|e| e.to_string())
        };
        let off = InputOptions {
            no_parse_dates: true,
            ..InputOptions::default()
        };
        assert_eq!(open(off), Ok(ColumnType::Text));
        let required = InputOptions {
            parse_dates: vec!["d".into()],
            ..InputOptions::default()
        };
        let err = open(required).unwrap_err();
        assert!(err.ends_with("t.csv:4: column 1 (\"d\"): \"soon\" is not an ISO 8601 date or date-time (YYYY-MM-DD, optionally with a time), and --parse-dates names this column"), "{err}");
        let unknown = InputOptions {
            parse_dates: vec!["e".into()],
            ..InputOptions::default()
        };
        let input = Input::open_with(&path, unknown).unwrap();
        assert!(Batches::open(&input, 10).is_err());
    }
}
