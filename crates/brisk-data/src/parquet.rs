//! Reading Parquet files into typed columns, through polars.
//!
//! Integer and float columns become numbers (nulls and NaN both read as missing, as pandas reads
//! them); strings stay text, and booleans become the text `True`/`False`, as pandas' `describe`
//! treats a bool column as categorical. Other logical types are refused by name.

use polars::prelude::*;

use crate::error::{DataError, ErrorKind, Location, Result};
use crate::input::Input;
use crate::table::{frame_columns, TableColumn};

/// Reads every column of a Parquet file.
pub fn read_table(input: &Input) -> Result<Vec<TableColumn>> {
    let name = input.name();
    let fail =
        |message: String| DataError::new(ErrorKind::Parquet, Location::source(name), message);
    let reader = ParquetReader::new(input.reader()?);
    let frame = match crate::guard::catch(|| reader.finish()) {
        Ok(frame) => frame.map_err(|e| fail(format!("cannot read Parquet: {e}")))?,
        Err(panic) => return Err(fail(format!("the Parquet data is damaged: {panic}"))),
    };
    frame_columns(&frame, name).map_err(|mut e| {
        e.kind = ErrorKind::Parquet;
        e
    })
}
