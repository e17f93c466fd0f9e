//! Writing a result table: CSV/TSV as pandas' to_csv writes them, Parquet, JSON records, or an
//! aligned text table.

use std::io::{self, Write};

use brisk_data::dates::format_timestamp;
use brisk_data::frame::format::{push_float, push_int};
use brisk_data::frame::{write_csv, write_parquet};
use brisk_data::value::bool_text;
use polars::prelude::*;

use crate::cli::OutputFormat;
use crate::table::TextTable;

/// Writes `frame` in `format`; `Table` is an aligned table when `table_as_text`, CSV otherwise
/// (tables of any length go to stdout as CSV unless JSON records are asked for).
pub fn write_frame(
    frame: &mut DataFrame,
    format: OutputFormat,
    table_as_text: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        OutputFormat::Json => write_records(frame, out),
        OutputFormat::Tsv => write_csv(frame, out, b'\t'),
        OutputFormat::Parquet => write_parquet(frame, out),
        OutputFormat::Table if table_as_text => write_text_table(frame, out),
        // Only table formats are accepted for tables; the others never get here.
        OutputFormat::Table
        | OutputFormat::Csv
        | OutputFormat::Npy
        | OutputFormat::Svg
        | OutputFormat::Png
        | OutputFormat::Html
        | OutputFormat::State => write_csv(frame, out, b','),
    }
}

/// One cell as text: integers as integers, floats as Python's repr, booleans as `True` and
/// `False`, null as `null_text`.
fn cell_text(column: &Column, row: usize, null_text: &str) -> String {
    let mut text = Vec::new();
    match column.get(row) {
        Ok(AnyValue::Int64(i)) => push_int(&mut text, i),
        Ok(AnyValue::Float64(x)) if !x.is_nan() => push_float(&mut text, x),
        Ok(AnyValue::String(s)) => return s.to_owned(),
        Ok(AnyValue::StringOwned(s)) => return s.to_string(),
        Ok(AnyValue::Boolean(b)) => return bool_text(b).to_owned(),
        Ok(AnyValue::Datetime(us, TimeUnit::Microseconds, _)) => {
            return format_timestamp(us as f64 / 1e6)
        }
        _ => return null_text.to_owned(),
    }
    String::from_utf8(text).unwrap_or_default()
}

fn write_text_table(frame: &DataFrame, out: &mut dyn Write) -> io::Result<()> {
    let names: Vec<&str> = frame
        .get_column_names()
        .iter()
        .map(|n| n.as_str())
        .collect();
    let mut table = TextTable::new(&names);
    for row in 0..frame.height() {
        table.push(
            frame
                .columns()
                .iter()
                .map(|c| cell_text(c, row, "—"))
                .collect(),
        );
    }
    table.write(out)
}

/// `[{"col": value, ...}, ...]`, one record per line; NaN and infinities are null.
fn write_records(frame: &DataFrame, out: &mut dyn Write) -> io::Result<()> {
    let names: Vec<String> = frame
        .get_column_names()
        .iter()
        .map(|n| serde_json::to_string(n.as_str()).unwrap_or_default())
        .collect();
    out.write_all(b"[")?;
    for row in 0..frame.height() {
        out.write_all(if row == 0 { b"\n  {" } else { b",\n  {" })?;
        for (i, column) in frame.columns().iter().enumerate() {
            if i > 0 {
                out.write_all(b", ")?;
            }
            write!(out, "{}: ", names[i])?;
            match column.get(row) {
                Ok(AnyValue::Int64(v)) => write!(out, "{v}")?,
                Ok(AnyValue::Boolean(b)) => write!(out, "{b}")?,
                Ok(AnyValue::Datetime(us, TimeUnit::Microseconds, _)) => {
                    write!(out, "\"{}\"", format_timestamp(us as f64 / 1e6))?
                }
                Ok(AnyValue::Float64(x)) if x.is_finite() => {
                    let mut text = Vec::new();
                    push_float(&mut text, x);
                    out.write_all(&text)?;
                }
                Ok(AnyValue::String(s)) => out.write_all(serde_json::to_string(s)?.as_bytes())?,
                Ok(AnyValue::StringOwned(s)) => {
                    out.write_all(serde_json::to_string(s.as_str())?.as_bytes())?
                }
                _ => out.write_all(b"null")?,
            }
        }
        out.write_all(b"}")?;
    }
    out.write_all(if frame.height() == 0 {
        b"]\n"
    } else {
        b"\n]\n"
    })
}
