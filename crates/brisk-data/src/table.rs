//! A table's columns typed as pandas types them — numbers as `f64` with NaN for null, everything
//! else as optional text — for the jobs that want plain vectors rather than polars columns.

use polars::prelude::*;

use crate::error::{DataError, ErrorKind, Location, Result};

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

    /// How many values are missing.
    pub fn null_count(&self) -> usize {
        match self {
            TableColumn::Numeric { values, .. } => values.iter().filter(|v| v.is_nan()).count(),
            TableColumn::Text { values, .. } => values.iter().filter(|v| v.is_none()).count(),
        }
    }
}

/// Every column of `frame` (read from `source`), in order: integer and float columns become
/// [`TableColumn::Numeric`] (nulls and NaN both missing, as pandas reads them), strings stay text,
/// and booleans become the text `True`/`False`, as pandas' `describe` treats a bool column as
/// categorical.
///
/// # Errors
/// A column of another type (dates, lists, ...), named with its type.
///
/// ```
/// use brisk_data::table::{frame_columns, TableColumn};
/// use polars::prelude::*;
/// let frame = df!("x" => [Some(1i64), None], "s" => [Some("a"), None]).unwrap();
/// let columns = frame_columns(&frame, "t.csv").unwrap();
/// assert!(matches!(&columns[0], TableColumn::Numeric { values, .. } if values[1].is_nan()));
/// assert_eq!(columns[1].null_count(), 1);
/// ```
pub fn frame_columns(frame: &DataFrame, source: &str) -> Result<Vec<TableColumn>> {
    let fail = |message: String| {
        DataError::new(
            ErrorKind::InvalidArgument,
            Location::source(source),
            message,
        )
    };
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
