//! Reading Parquet files into typed columns, through polars.
//!
//! Integer and float columns become numbers (nulls and NaN both read as missing, as pandas reads
//! them); strings stay text, and booleans become the text `True`/`False`, as pandas' `describe`
//! treats a bool column as categorical. Other logical types are refused by name.

use polars::prelude::*;

use crate::error::{DataError, ErrorKind, Location, Result};
use crate::input::Input;

/// One column of a table, typed for statistics.
#[derive(Debug, Clone, PartialEq)]
pub enum TableColumn {
    /// Numbers, with NaN for a missing value.
    Numeric {
        /// The column's name.
        name: String,
        /// The values, NaN where missing.
        values: Vec<f64>,
    },
    /// Text, with `None` for a missing value.
    Text {
        /// The column's name.
        name: String,
        /// The values.
        values: Vec<Option<String>>,
    },
}

impl TableColumn {
    /// The column's name.
    pub fn name(&self) -> &str {
        match self {
            TableColumn::Numeric { name, .. } | TableColumn::Text { name, .. } => name,
        }
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        match self {
            TableColumn::Numeric { values, .. } => values.len(),
            TableColumn::Text { values, .. } => values.len(),
        }
    }

    /// Whether the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Reads every column of a Parquet file.
pub fn read_table(input: &Input) -> Result<Vec<TableColumn>> {
    let name = input.name();
    let fail =
        |message: String| DataError::new(ErrorKind::Parquet, Location::source(name), message);
    let frame = ParquetReader::new(input.reader()?)
        .finish()
        .map_err(|e| fail(format!("cannot read Parquet: {e}")))?;
    frame
        .columns()
        .iter()
        .map(|column| {
            let col_name = column.name().to_string();
            let dtype = column.dtype();
            let typed = if dtype.is_primitive_numeric() {
                let floats = column
                    .cast(&DataType::Float64)
                    .and_then(|c| c.f64().cloned())
                    .map_err(|e| fail(format!("column {col_name:?}: {e}")))?;
                let values = floats.iter().map(|v| v.unwrap_or(f64::NAN)).collect();
                TableColumn::Numeric {
                    name: col_name,
                    values,
                }
            } else if let Ok(flags) = column.bool() {
                let values = flags
                    .iter()
                    .map(|v| v.map(|b| if b { "True" } else { "False" }.to_owned()))
                    .collect();
                TableColumn::Text {
                    name: col_name,
                    values,
                }
            } else if let Ok(text) = column.str() {
                let values = text.iter().map(|v| v.map(str::to_owned)).collect();
                TableColumn::Text {
                    name: col_name,
                    values,
                }
            } else {
                return Err(fail(format!(
                    "column {col_name:?} has type {dtype}, which brisk does not read; \
                     cast it to a number or a string"
                )));
            };
            Ok(typed)
        })
        .collect()
}
