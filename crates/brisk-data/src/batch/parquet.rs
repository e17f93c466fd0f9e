//! Parquet, one row group at a time: only one row group's columns are in memory at once.
//!
//! Integer columns are numbers (`int64` as pandas reads them while no row group holds a null),
//! floats are numbers with NaN read as null, strings and dictionaries of strings (pandas'
//! `category`) are text, booleans are boolean columns (1 and 0, see [`ColumnType::Bool`]), dates
//! and timestamps (any unit; with a time zone, the instants in UTC) are date-time columns
//! (seconds since the epoch), durations are numbers of seconds, and decimals are numbers
//! (`f64`, to its 15–17 significant digits: [`RowGroups::decimals`] says which columns, for the
//! caller to tell the user). pandas' unnamed index (`__index_level_0__`, …) is left out, as
//! `read_parquet` makes it the index. Other types (lists, structs, binary, times of day) are
//! refused by name.
//!
//! A damaged file is an error naming it: a panic of polars' reader is caught and reported as
//! damage ([`crate::guard`]).

use std::fs::File;
use std::sync::Arc;

use polars::prelude::*;

use super::column::{BatchColumn, DecodedColumns, NumericColumn, TextColumn};
use super::source::DecimalColumn;
use super::types::{ColumnType, ColumnTypes};
use crate::dates::{any_time_of_day, units_to_seconds};
use crate::error::{DataError, ErrorKind, Location, Result};
use crate::input::Input;

/// The row groups of a Parquet file, read in order and cut into batches of `batch_rows` rows.
///
/// pandas, pyarrow and polars write row groups of a multiple of 65,536 rows, so with the default
/// batch size the batches start on the same rows as a CSV pass's chunks, and every accumulator
/// sees the same batches from the Parquet file as from its CSV twin.
pub(super) struct RowGroups {
    name: String,
    path: std::path::PathBuf,
    metadata: polars::io::parquet::metadata::FileMetadataRef,
    names: Vec<String>,
    kinds: Vec<Kind>,
    batch_rows: usize,
    next_group: usize,
    /// The row group being cut into batches, and the first of its rows not yet in a batch.
    current: Option<(DataFrame, usize)>,
    /// Rows handed out in batches so far.
    next_row: usize,
    file_bytes: u64,
    /// The decimal columns, read as `f64`.
    decimals: Vec<DecimalColumn>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Integer,
    Float,
    Bool,
    Text,
    /// Days since the epoch.
    Date,
    /// A timestamp: integers, `per_second` of them to a second.
    Datetime {
        per_second: i64,
    },
    /// A duration: integers, `per_second` of them to a second.
    Duration {
        per_second: i64,
    },
    Decimal,
}

impl Kind {
    /// The kind of a Parquet column's Arrow type, or `None` when brisk does not read it.
    fn of(dtype: &ArrowDataType) -> Option<Kind> {
        use ArrowDataType as A;
        let per_second = |unit: &ArrowTimeUnit| match unit {
            ArrowTimeUnit::Second => 1,
            ArrowTimeUnit::Millisecond => 1_000,
            ArrowTimeUnit::Microsecond => 1_000_000,
            ArrowTimeUnit::Nanosecond => 1_000_000_000,
        };
        Some(match dtype {
            A::Int8 | A::Int16 | A::Int32 | A::Int64 => Kind::Integer,
            A::UInt8 | A::UInt16 | A::UInt32 | A::UInt64 => Kind::Integer,
            A::Float16 | A::Float32 | A::Float64 => Kind::Float,
            A::Boolean => Kind::Bool,
            A::Utf8 | A::LargeUtf8 | A::Utf8View => Kind::Text,
            A::Dictionary(_, values, _)
                if matches!(**values, A::Utf8 | A::LargeUtf8 | A::Utf8View) =>
            {
                Kind::Text
            }
            A::Date32 => Kind::Date,
            A::Date64 => Kind::Datetime { per_second: 1_000 },
            A::Timestamp(unit, _) => Kind::Datetime {
                per_second: per_second(unit),
            },
            A::Duration(unit) => Kind::Duration {
                per_second: per_second(unit),
            },
            A::Decimal(..) | A::Decimal32(..) | A::Decimal64(..) | A::Decimal256(..) => {
                Kind::Decimal
            }
            _ => return None,
        })
    }
}

/// pandas' name for an unnamed index level it writes as a column (`__index_level_0__`).
fn is_pandas_index(name: &str) -> bool {
    name.strip_prefix("__index_level_")
        .and_then(|rest| rest.strip_suffix("__"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

impl RowGroups {
    pub(super) fn open(input: &Input, batch_rows: usize) -> Result<RowGroups> {
        let name = input.name();
        let fail = parquet_error(name);
        let mut reader = ParquetReader::new(input.reader()?);
        let read = || {
            let schema = reader.schema()?;
            let metadata = reader.get_metadata()?.clone();
            Ok((schema, metadata))
        };
        let (schema, metadata) =
            guarded(name, read, |e| fail(format!("cannot read Parquet: {e}")))?;
        let mut names = Vec::new();
        let mut kinds = Vec::new();
        let mut decimals = Vec::new();
        for (column, field) in schema.iter() {
            if is_pandas_index(column) {
                continue;
            }
            let Some(kind) = Kind::of(field.dtype()) else {
                return Err(fail(format!(
                    "column {:?} has type {:?}, which brisk does not read; cast it to a number, a \
                     string, a bool or a timestamp",
                    column.as_str(),
                    field.dtype()
                )));
            };
            if let Some(decimal) = DecimalColumn::of(column, field.dtype()) {
                decimals.push(decimal);
            }
            names.push(column.to_string());
            kinds.push(kind);
        }
        Ok(RowGroups {
            name: name.to_owned(),
            path: input.disk_path().to_path_buf(),
            metadata,
            names,
            kinds,
            batch_rows: batch_rows.max(1),
            next_group: 0,
            current: None,
            next_row: 0,
            file_bytes: input.len().unwrap_or(0),
            decimals,
        })
    }

    /// The decimal columns, which are read as `f64`.
    pub(super) fn decimals(&self) -> &[DecimalColumn] {
        &self.decimals
    }

    pub(super) fn names(&self) -> &[String] {
        &self.names
    }

    /// Parquet's types are known before any row is read.
    pub(super) fn declare_types(&self, types: &mut ColumnTypes) {
        for (j, kind) in self.kinds.iter().enumerate() {
            match kind {
                Kind::Integer => types.set(j, ColumnType::Numeric, true),
                Kind::Float | Kind::Decimal | Kind::Duration { .. } => {
                    types.set(j, ColumnType::Numeric, false)
                }
                Kind::Date | Kind::Datetime { .. } => types.set(j, ColumnType::Datetime, false),
                Kind::Bool => types.set(j, ColumnType::Bool, false),
                Kind::Text => types.set(j, ColumnType::Text, false),
            }
        }
    }

    /// The share of the file read so far, in bytes, by rows.
    pub(super) fn bytes_hint(&self) -> u64 {
        let total = self.metadata.num_rows.max(1) as f64;
        (self.file_bytes as f64 * self.next_row as f64 / total) as u64
    }

    /// The next row group's columns, and the integer values of the integer columns.
    /// The next batch's columns, and the integer values of the integer columns.
    pub(super) fn next_batch(&mut self, types: &mut ColumnTypes) -> Result<Option<DecodedColumns>> {
        let (frame, start) = match self.current.take() {
            Some((frame, start)) if start < frame.height() => (frame, start),
            _ => match self.read_group()? {
                Some(frame) => (frame, 0),
                None => return Ok(None),
            },
        };
        let rows = self.batch_rows.min(frame.height() - start);
        let batch = frame.slice(start as i64, rows);
        self.current = Some((frame, start + rows));
        self.next_row += rows;
        self.convert(&batch, types).map(Some)
    }

    /// The next row group with rows, whole; `None` after the last.
    fn read_group(&mut self) -> Result<Option<DataFrame>> {
        loop {
            let Some(group) = self.metadata.row_groups.get(self.next_group) else {
                return Ok(None);
            };
            let rows = group.num_rows();
            let first_row: usize = self.metadata.row_groups[..self.next_group]
                .iter()
                .map(|g| g.num_rows())
                .sum();
            self.next_group += 1;
            if rows == 0 {
                continue;
            }
            let fail = parquet_error(&self.name);
            let file = File::open(&self.path).map_err(|e| DataError::io(&self.path, &e))?;
            let mut reader = ParquetReader::new(file)
                .with_slice(Some((first_row, rows)))
                .with_columns(Some(self.names.clone()));
            reader.set_metadata(Arc::clone(&self.metadata));
            let group = self.next_group - 1;
            let frame = guarded(
                &self.name,
                || reader.finish(),
                |e| fail(format!("cannot read row group {group}: {e}")),
            )?;
            if frame.height() != rows {
                return Err(fail(format!(
                    "row group {group} has {} rows, not the {rows} its metadata gives",
                    frame.height()
                )));
            }
            return Ok(Some(frame));
        }
    }

    /// A batch of rows as typed columns.
    fn convert(&self, frame: &DataFrame, types: &mut ColumnTypes) -> Result<DecodedColumns> {
        let fail = parquet_error(&self.name);
        let rows = frame.height();
        let mut columns = Vec::with_capacity(self.kinds.len());
        let mut integers = Vec::with_capacity(self.kinds.len());
        for (j, (column, kind)) in frame.columns().iter().zip(&self.kinds).enumerate() {
            let convert = |e: PolarsError| fail(format!("column {:?}: {e}", self.names[j]));
            let (typed, ints) = guarded(&self.name, || convert_column(column, *kind), convert)?;
            if typed.len() != rows {
                return Err(fail(format!(
                    "row group {} has {} values in column {:?}, not {rows}",
                    self.next_group - 1,
                    typed.len(),
                    self.names[j]
                )));
            }
            if *kind == Kind::Integer && ints.is_none() {
                types.saw_null(j);
            }
            if let BatchColumn::Numeric(values) = &typed {
                if matches!(kind, Kind::Datetime { .. }) && any_time_of_day(values.values()) {
                    types.saw_time_of_day(j);
                }
            }
            columns.push(typed);
            integers.push(ints);
        }
        Ok(DecodedColumns { columns, integers })
    }
}

fn parquet_error(name: &str) -> impl Fn(String) -> DataError + '_ {
    move |message| DataError::new(ErrorKind::Parquet, Location::source(name), message)
}

/// Runs a step of polars' reader on the file `name`: its error goes through `error`, and a panic
/// is the error "the Parquet data is damaged: …".
fn guarded<T>(
    name: &str,
    step: impl FnOnce() -> PolarsResult<T>,
    error: impl FnOnce(PolarsError) -> DataError,
) -> Result<T> {
    match crate::guard::catch(step) {
        Ok(outcome) => outcome.map_err(error),
        Err(panic) => Err(parquet_error(name)(format!(
            "the Parquet data is damaged: {panic}"
        ))),
    }
}

/// One Parquet column as a batch column (and its integers, for an integer column with no null).
fn convert_column(column: &Column, kind: Kind) -> PolarsResult<(BatchColumn, Option<Vec<i64>>)> {
    match kind {
        Kind::Integer | Kind::Float => {
            let ints = if kind == Kind::Integer && column.null_count() == 0 {
                let cast = column.cast(&DataType::Int64)?;
                Some(cast.i64()?.into_no_null_iter().collect())
            } else {
                None
            };
            let floats = column.cast(&DataType::Float64)?;
            let values = floats
                .f64()?
                .iter()
                .map(|v| v.unwrap_or(f64::NAN))
                .collect();
            Ok((BatchColumn::Numeric(NumericColumn::new(values)), ints))
        }
        Kind::Bool => {
            let values = column.bool()?.iter();
            let values = values.map(|v| v.map_or(f64::NAN, |b| f64::from(u8::from(b))));
            Ok((
                BatchColumn::Numeric(NumericColumn::new(values.collect())),
                None,
            ))
        }
        Kind::Text => {
            let strings = column.cast(&DataType::String)?;
            let mut text = TextColumn::with_capacity(column.len(), 0);
            for v in strings.str()?.iter() {
                text.push(v.map(str::as_bytes));
            }
            Ok((BatchColumn::Text(text), None))
        }
        Kind::Date => {
            let days = column.cast(&DataType::Int32)?.cast(&DataType::Int64)?;
            seconds(&days, |d| d as f64 * 86_400.0)
        }
        Kind::Datetime { per_second } | Kind::Duration { per_second } => {
            seconds(&column.cast(&DataType::Int64)?, |i| {
                units_to_seconds(i, per_second)
            })
        }
        Kind::Decimal => {
            let floats = column.cast(&DataType::Float64)?;
            let values = floats.f64()?.iter().map(|v| v.unwrap_or(f64::NAN));
            Ok((
                BatchColumn::Numeric(NumericColumn::new(values.collect())),
                None,
            ))
        }
    }
}

/// Integers of some unit as seconds.
fn seconds(
    ints: &Column,
    to_seconds: impl Fn(i64) -> f64,
) -> PolarsResult<(BatchColumn, Option<Vec<i64>>)> {
    let values = ints.i64()?.iter().map(|v| v.map_or(f64::NAN, &to_seconds));
    Ok((
        BatchColumn::Numeric(NumericColumn::new(values.collect())),
        None,
    ))
}
