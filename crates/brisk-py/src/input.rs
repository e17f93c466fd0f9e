//! What a Python caller passes as data, as a brisk [`Input`].
//!
//! The package's wrapper (`brisk._sources.as_source`) hands over a path (`str`), `None` (the
//! embedded penguins data), or a table in memory: any object with `__arrow_c_stream__` (a pyarrow
//! `Table` or `RecordBatchReader`, a polars `DataFrame`, or a pandas `DataFrame` the wrapper made a
//! pyarrow `Table`), which crosses through the Arrow C stream interface ([`crate::arrow`]).

use brisk_data::arrow_stream::ArrowTable;
use brisk_data::datasets::{PENGUINS_CSV, PENGUINS_NAME};
use brisk_data::input::{Format, Input};
use pyo3::prelude::*;

use crate::errors::{brisk_error, data_error};

/// The input `source` names: `None` is the embedded penguins data, a `str` a path, an object with
/// `__arrow_c_stream__` a table (copied to a temporary file that lives as long as the input).
pub fn open(source: Option<&Bound<'_, PyAny>>) -> PyResult<Input> {
    match source {
        None => Input::from_reader(PENGUINS_CSV, PENGUINS_NAME, Format::Csv).map_err(data_error),
        Some(source) if source.hasattr("__arrow_c_stream__")? => {
            crate::arrow::import(source, &table_name(source)?)
        }
        Some(source) => {
            let path: std::path::PathBuf = source.extract().map_err(|_| {
                brisk_error(format!(
                    "expected a path or a table, got {}",
                    source
                        .get_type()
                        .name()
                        .map_or_else(|_| "?".into(), |n| n.to_string())
                ))
            })?;
            Input::open(path).map_err(data_error)
        }
    }
}

/// What a caller passes, for jobs that work on a table in memory directly: the table's record
/// batches, or the input a path or `None` names.
pub enum Opened {
    /// A table in memory.
    Table(ArrowTable),
    /// A path, or the embedded penguins data.
    Input(Input),
}

/// The data `source` names, a table in memory kept as its record batches (see [`open`]).
pub fn open_table(source: Option<&Bound<'_, PyAny>>) -> PyResult<Opened> {
    match source {
        Some(table) if table.hasattr("__arrow_c_stream__")? => Ok(Opened::Table(
            crate::arrow::import_table(table, &table_name(table)?)?,
        )),
        source => open(source).map(Opened::Input),
    }
}

/// How messages name a table: its `brisk_name` (set by `brisk._sources` to what the user
/// passed, e.g. `<pandas.DataFrame>`), else `<package.Type>`.
fn table_name(source: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(name) = source.getattr("brisk_name") {
        if let Ok(name) = name.extract::<String>() {
            return Ok(name);
        }
    }
    let class = source.get_type();
    let module: String = class.module()?.extract()?;
    let package = module.split('.').next().unwrap_or_default().to_owned();
    Ok(format!("<{package}.{}>", class.name()?))
}
