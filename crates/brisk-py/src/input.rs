//! What a Python caller passes as data, as a brisk [`Input`].
//!
//! The package's wrapper (`brisk._sources.as_source`) hands over either a path (`str`) or `None`
//! (the embedded penguins data). Tables in memory (pandas, polars, pyarrow) cross through the Arrow
//! C stream interface.

use brisk_data::datasets::{PENGUINS_CSV, PENGUINS_NAME};
use brisk_data::input::{Format, Input};
use pyo3::prelude::*;

use crate::errors::data_error;

/// The input `source` names: `None` is the embedded penguins data, a `str` a path.
pub fn open(source: Option<&Bound<'_, PyAny>>) -> PyResult<Input> {
    match source {
        None => Input::from_reader(PENGUINS_CSV, PENGUINS_NAME, Format::Csv).map_err(data_error),
        Some(source) => {
            let path: std::path::PathBuf = source.extract()?;
            Input::open(path).map_err(data_error)
        }
    }
}
