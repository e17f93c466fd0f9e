//! Parquet, one row group at a time: only one row group's columns are in memory at once.
//!
//! Integer columns are numbers (`int64` as pandas reads them while no row group holds a null),
//! floats are numbers with NaN read as null, strings are text, and booleans are boolean columns
//! (1 and 0, see [`ColumnType::Bool`]). Other logical types are refused by name.

use std::fs::File;
use std::sync::Arc;

use polars::prelude::*;

use super::column::{BatchColumn, DecodedColumns, NumericColumn, TextColumn};
use super::types::{ColumnType, ColumnTypes};
use crate::error::{DataError, ErrorKind, Location, Result};
use crate::input::Input;

/// The row groups of a Parquet file, read in order.
pub(super) struct RowGroups {
    name: String,
    path: std::path::PathBuf,
    metadata: polars::io::parquet::metadata::FileMetadataRef,
    names: Vec<String>,
    kinds: Vec<Kind>,
    next_group: usize,
    next_row: usize,
    file_bytes: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Integer,
    Float,
    Bool,
    Text,
}

impl RowGroups {
    pub(super) fn open(input: &Input) -> Result<RowGroups> {
        let name = input.name();
        let fail = parquet_error(name);
        let mut reader = ParquetReader::new(input.reader()?);
        let schema = reader
            .schema()
            .map_err(|e| fail(format!("cannot read Parquet: {e}")))?;
        let metadata = reader
            .get_metadata()
            .map_err(|e| fail(format!("cannot read Parquet: {e}")))?
            .clone();
        let mut names = Vec::new();
        let mut kinds = Vec::new();
        for (column, field) in schema.iter() {
            let dtype = DataType::from_arrow_field(field);
            let kind = if dtype.is_integer() {
                Kind::Integer
            } else if dtype.is_primitive_numeric() {
                Kind::Float
            } else if dtype == DataType::Boolean {
                Kind::Bool
            } else if dtype == DataType::String {
                Kind::Text
            } else {
                return Err(fail(format!(
                    "column {:?} has type {dtype}, which brisk does not read; cast it to a number \
                     or a string",
                    column.as_str()
                )));
            };
            names.push(column.to_string());
            kinds.push(kind);
        }
        Ok(RowGroups {
            name: name.to_owned(),
            path: input.disk_path().to_path_buf(),
            metadata,
            names,
            kinds,
            next_group: 0,
            next_row: 0,
            file_bytes: input.len().unwrap_or(0),
        })
    }

    pub(super) fn names(&self) -> &[String] {
        &self.names
    }

    /// Parquet's types are known before any row is read.
    pub(super) fn declare_types(&self, types: &mut ColumnTypes) {
        for (j, kind) in self.kinds.iter().enumerate() {
            match kind {
                Kind::Integer => types.set(j, ColumnType::Numeric, true),
                Kind::Float => types.set(j, ColumnType::Numeric, false),
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
    pub(super) fn next_group(&mut self, types: &mut ColumnTypes) -> Result<Option<DecodedColumns>> {
        let Some(group) = self.metadata.row_groups.get(self.next_group) else {
            return Ok(None);
        };
        let rows = group.num_rows();
        self.next_group += 1;
        if rows == 0 {
            return self.next_group(types);
        }
        let fail = parquet_error(&self.name);
        let file = File::open(&self.path).map_err(|e| DataError::io(&self.path, &e))?;
        let mut reader = ParquetReader::new(file).with_slice(Some((self.next_row, rows)));
        reader.set_metadata(Arc::clone(&self.metadata));
        let frame = reader.finish().map_err(|e| {
            fail(format!(
                "cannot read row group {}: {e}",
                self.next_group - 1
            ))
        })?;
        self.next_row += rows;
        let mut columns = Vec::with_capacity(self.kinds.len());
        let mut integers = Vec::with_capacity(self.kinds.len());
        for (j, (column, kind)) in frame.columns().iter().zip(&self.kinds).enumerate() {
            let convert = |e: PolarsError| fail(format!("column {:?}: {e}", self.names[j]));
            let (typed, ints) = convert_column(column, *kind).map_err(convert)?;
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
            columns.push(typed);
            integers.push(ints);
        }
        Ok(Some(DecodedColumns { columns, integers }))
    }
}

fn parquet_error(name: &str) -> impl Fn(String) -> DataError + '_ {
    move |message| DataError::new(ErrorKind::Parquet, Location::source(name), message)
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
            let strings = column.str()?;
            let mut text = TextColumn::with_capacity(column.len(), 0);
            for v in strings.iter() {
                text.push(v.map(str::as_bytes));
            }
            Ok((BatchColumn::Text(text), None))
        }
    }
}
