//! Step 5 and the output: which rows survive the plan, and those rows written as pandas'
//! `to_csv(index=False)` writes the cleaned frame, or handed on as cleaned batches.

use super::dedupe::Duplicates;
use super::fill::{CleanPlan, PlannedColumn};
use crate::batch::{Batch, BatchColumn, ColumnTypes, NumericColumn, TextColumn};
use crate::dates::datetime_text;
use crate::frame::format::{push_float, push_int, push_text};
use crate::frame::is_outlier;
use crate::value::bool_text;

/// The rows of `batch` that survive: not a duplicate, no numeric value beyond its bounds (the
/// value after the fill). Returns the kept rows and how many were outliers.
pub(crate) fn surviving_rows(
    batch: &Batch,
    plan: &CleanPlan,
    duplicates: &Duplicates,
) -> (Vec<usize>, u64) {
    let first = batch.first_row();
    let mut kept: Vec<usize> = (0..batch.rows())
        .filter(|&r| !duplicates.contains(first + r as u64))
        .collect();
    let before = kept.len();
    for (planned, column) in plan.columns.iter().zip(batch.columns()) {
        if let (
            PlannedColumn::Numbers {
                fill,
                bounds: Some((mean, limit)),
            },
            BatchColumn::Numeric(values),
        ) = (planned, column)
        {
            kept.retain(|&r| {
                let x = values.get(r).or(*fill);
                !x.is_some_and(|x| is_outlier(x, *mean, *limit))
            });
        }
    }
    let outliers = (before - kept.len()) as u64;
    (kept, outliers)
}

/// The header line.
pub(crate) fn write_header(names: &[String], delimiter: u8, out: &mut Vec<u8>) {
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            out.push(delimiter);
        }
        push_text(out, name.as_bytes(), delimiter);
    }
    out.push(b'\n');
}

/// Appends the kept rows of `batch`, cleaned, as delimited text.
pub(crate) fn write_rows(
    batch: &Batch,
    rows: &[usize],
    plan: &CleanPlan,
    types: &ColumnTypes,
    delimiter: u8,
    out: &mut Vec<u8>,
) {
    let mut lower = String::new();
    for &r in rows {
        for (j, (planned, column)) in plan.columns.iter().zip(batch.columns()).enumerate() {
            if j > 0 {
                out.push(delimiter);
            }
            match (column, planned) {
                (BatchColumn::Numeric(values), planned) => {
                    if let Some(ints) = batch.integers(j).filter(|_| types.is_integer(j)) {
                        push_int(out, ints[r]);
                        continue;
                    }
                    let fill = match planned {
                        PlannedColumn::Numbers { fill, .. } => *fill,
                        _ => None,
                    };
                    match values.get(r).or(fill) {
                        // pandas writes a bool column's values as True and False.
                        Some(x) if types.is_bool(j) && (x == 0.0 || x == 1.0) => {
                            out.extend_from_slice(bool_text(x == 1.0).as_bytes());
                        }
                        Some(x) if types.is_datetime(j) => {
                            out.extend_from_slice(
                                datetime_text(x, types.has_time_of_day(j)).as_bytes(),
                            );
                        }
                        Some(x) => push_float(out, x),
                        None => {}
                    }
                }
                (BatchColumn::Text(text), PlannedColumn::Text { fill }) => match text.get(r) {
                    Some(v) => push_text(out, lowercase(v, &mut lower), delimiter),
                    None => {
                        if let Some(fill) = fill {
                            push_text(out, fill.as_bytes(), delimiter);
                        }
                    }
                },
                (BatchColumn::Text(text), _) => {
                    if let Some(v) = text.get(r) {
                        push_text(out, v, delimiter);
                    }
                }
            }
        }
        out.push(b'\n');
    }
}

/// The text lowercased (full Unicode lowercasing), borrowing `v` when nothing changes.
fn lowercase<'a>(v: &'a [u8], buffer: &'a mut String) -> &'a [u8] {
    if v.is_ascii() {
        if !v.iter().any(u8::is_ascii_uppercase) {
            return v;
        }
        buffer.clear();
        buffer.extend(v.iter().map(|b| char::from(b.to_ascii_lowercase())));
        return buffer.as_bytes();
    }
    *buffer = String::from_utf8_lossy(v).to_lowercase();
    buffer.as_bytes()
}

/// The kept rows of `batch`, cleaned, as a batch of their own (first row `first_row`).
pub(crate) fn cleaned_batch(
    batch: &Batch,
    rows: &[usize],
    plan: &CleanPlan,
    first_row: u64,
) -> Batch {
    let mut lower = String::new();
    let columns = plan
        .columns
        .iter()
        .zip(batch.columns())
        .map(|(planned, column)| match (column, planned) {
            (BatchColumn::Numeric(values), planned) => {
                let fill = match planned {
                    PlannedColumn::Numbers { fill, .. } => *fill,
                    _ => None,
                };
                let cleaned = rows
                    .iter()
                    .map(|&r| values.get(r).or(fill).unwrap_or(f64::NAN))
                    .collect();
                BatchColumn::Numeric(NumericColumn::new(cleaned))
            }
            (BatchColumn::Text(text), planned) => {
                let mut cleaned = TextColumn::with_capacity(rows.len(), 0);
                for &r in rows {
                    match (text.get(r), planned) {
                        (Some(v), PlannedColumn::Text { .. }) => {
                            cleaned.push(Some(lowercase(v, &mut lower)));
                        }
                        (None, PlannedColumn::Text { fill }) => {
                            cleaned.push(fill.as_deref().map(str::as_bytes));
                        }
                        (value, _) => cleaned.push(value),
                    }
                }
                BatchColumn::Text(cleaned)
            }
        })
        .collect();
    Batch::from_columns(first_row, columns)
}
