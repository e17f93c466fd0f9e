//! A table's columns as the analyses need them: numbers as `f64` (NaN for null) and text as
//! optional strings, in file order.

use polars::prelude::*;

/// One column of a table, typed as pandas would type it.
#[derive(Debug, Clone, PartialEq)]
pub enum TableColumn {
    /// An integer or float column; nulls are NaN.
    Numeric {
        /// The header name.
        name: String,
        /// The values, NaN where null.
        values: Vec<f64>,
    },
    /// A text column.
    Text {
        /// The header name.
        name: String,
        /// The values, `None` where null.
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

    /// How many values are null.
    pub fn null_count(&self) -> usize {
        match self {
            TableColumn::Numeric { values, .. } => values.iter().filter(|v| v.is_nan()).count(),
            TableColumn::Text { values, .. } => values.iter().filter(|v| v.is_none()).count(),
        }
    }
}

/// Every column of `frame`, in order: numeric dtypes become [`TableColumn::Numeric`], everything
/// else [`TableColumn::Text`] (as `brisk_data::frame::read_frame` types a file, that is only text).
///
/// ```
/// use brisk_report::columns::{table_columns, TableColumn};
/// use polars::prelude::*;
/// let frame = df!("x" => [Some(1i64), None], "s" => [Some("a"), None]).unwrap();
/// let columns = table_columns(&frame).unwrap();
/// assert!(matches!(&columns[0], TableColumn::Numeric { values, .. } if values[1].is_nan()));
/// assert_eq!(columns[1], TableColumn::Text { name: "s".into(), values: vec![Some("a".into()), None] });
/// ```
pub fn table_columns(frame: &DataFrame) -> PolarsResult<Vec<TableColumn>> {
    frame
        .columns()
        .iter()
        .map(|column| {
            let name = column.name().to_string();
            if column.dtype().is_primitive_numeric() {
                let floats = column.cast(&DataType::Float64)?;
                let values = floats
                    .f64()?
                    .iter()
                    .map(|v| v.unwrap_or(f64::NAN))
                    .collect();
                Ok(TableColumn::Numeric { name, values })
            } else {
                let text = column.cast(&DataType::String)?;
                let values = text.str()?.iter().map(|v| v.map(str::to_owned)).collect();
                Ok(TableColumn::Text { name, values })
            }
        })
        .collect()
}
