//! Decoding CSV chunks into typed batch columns, column by column in parallel (or only the
//! columns a job asked for).

use rayon::prelude::*;

use super::column::{BatchColumn, DecodedColumns, NumericColumn, TextColumn};
use super::types::{ColumnType, ColumnTypes, TextSighting};
use crate::csv::Chunk;
use crate::error::{DataError, ErrorKind, Location, Result};
use crate::value::{from_decimal_comma, is_null_token, parse_integer, parse_number};

/// What decoding one column of a chunk found.
struct Decoded {
    column: BatchColumn,
    integers: Option<Vec<i64>>,
    saw_null: bool,
    non_integer: bool,
    /// The row (in the chunk) and text of the field that turned a numeric column to text.
    turned_text: Option<(usize, String)>,
}

/// The typed columns of `chunk`, whose first row is data row `first_row`; `types` learns from
/// them. Returns the columns and, for each column still integer, its values as `i64`.
pub(super) fn decode_chunk(
    chunk: &Chunk,
    types: &mut ColumnTypes,
    source: &str,
    first_row: u64,
    selected: Option<&[bool]>,
) -> Result<DecodedColumns> {
    let kinds: Vec<(ColumnType, bool)> = (0..types.len())
        .map(|j| (types.get(j), types.is_integer_so_far(j)))
        .collect();
    let decoded: Vec<Decoded> = kinds
        .par_iter()
        .enumerate()
        .map(|(j, &(ty, integer))| {
            if selected.is_some_and(|s| !s.get(j).copied().unwrap_or(false)) {
                skipped(chunk.rows())
            } else {
                decode_column(chunk, j, ty, integer)
            }
        })
        .collect();
    let mut columns = Vec::with_capacity(decoded.len());
    let mut integers = Vec::with_capacity(decoded.len());
    for (j, d) in decoded.into_iter().enumerate() {
        if d.saw_null {
            types.saw_null(j);
        }
        if d.non_integer {
            types.saw_non_integer(j);
        }
        if let Some((row, value)) = d.turned_text {
            let location = Location::source(source)
                .at_line(chunk.line(row))
                .at_column(j + 1, Some(&types.names()[j]));
            if types.is_fixed() {
                return Err(DataError::new(
                    ErrorKind::Io,
                    location,
                    format!(
                        "{value:?} is text in a column an earlier pass read as numbers: the file \
                         changed between the passes over it; run again on a file at rest"
                    ),
                ));
            }
            types.turn_text(j, TextSighting { location, value }, first_row > 0);
        }
        columns.push(d.column);
        integers.push(d.integers);
    }
    Ok(DecodedColumns { columns, integers })
}

/// A column the pass does not decode: nulls, and nothing learnt about its type.
fn skipped(rows: usize) -> Decoded {
    Decoded {
        column: BatchColumn::Numeric(NumericColumn::new(vec![f64::NAN; rows])),
        integers: None,
        saw_null: false,
        non_integer: false,
        turned_text: None,
    }
}

fn decode_column(chunk: &Chunk, j: usize, ty: ColumnType, integer: bool) -> Decoded {
    if ty == ColumnType::Text {
        return Decoded {
            column: BatchColumn::Text(decode_text(chunk, j)),
            integers: None,
            saw_null: false,
            non_integer: true,
            turned_text: None,
        };
    }
    let rows = chunk.rows();
    let mut values = Vec::with_capacity(rows);
    let mut ints = if integer {
        Vec::with_capacity(rows)
    } else {
        Vec::new()
    };
    let mut non_integer = !integer;
    let mut saw_null = false;
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
            if !non_integer {
                match parse_integer(number) {
                    Some(i) => ints.push(i),
                    None => non_integer = true,
                }
            }
        } else if is_null_token(field) {
            values.push(f64::NAN);
            saw_null = true;
        } else {
            let value = String::from_utf8_lossy(field).into_owned();
            return Decoded {
                column: BatchColumn::Text(decode_text(chunk, j)),
                integers: None,
                saw_null,
                non_integer: true,
                turned_text: Some((row, value)),
            };
        }
    }
    Decoded {
        column: BatchColumn::Numeric(NumericColumn::new(values)),
        integers: (!non_integer && !saw_null).then_some(ints),
        saw_null,
        non_integer,
        turned_text: None,
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
