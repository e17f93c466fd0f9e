//! The dataset jobs (exercises B.4, B.6, B.7, C.2, C.5): statistics, cleaning, group-by and
//! joins on a path, the embedded penguins data, or a table in memory ([`crate::input::open`]).
//!
//! Each function calls the library as the command line's `stats`, `clean`, `groupby` and `join`
//! do, with the GIL released while it reads and computes. Tables come back as capsules holding an
//! Arrow C stream ([`crate::arrow::export`]), which the Python wrapper turns into the caller's
//! frame type; reports come back as the JSON the command line writes.

use brisk_data::cleaning::{clean_table, CleanedTable};
use brisk_data::frame::{
    clean_loaded, count_join, join as join_frames, read_frame, CleanOptions, CleanReport, How,
};
use brisk_data::groupby::{group_by, parse_aggs, parse_derived, GroupByOptions, SortBy};
use brisk_data::stats::{statistics as table_statistics, StatsOptions};
use brisk_kernels::stats::Convention;
use pyo3::prelude::*;
use pyo3::types::PyCapsule;

use crate::errors::{brisk_error, data_error};
use crate::input::{self, Opened};

/// The error of a report that cannot be written as JSON.
fn json_error(err: serde_json::Error) -> PyErr {
    brisk_error(format!("cannot write the report: {err}"))
}

/// `brisk stats`: the per-column statistics of `source` as the JSON of `--format json`, read
/// `chunk_rows` rows at a time (the results do not depend on it).
#[pyfunction]
#[pyo3(signature = (source, chunk_rows, population))]
fn statistics(
    py: Python<'_>,
    source: Option<&Bound<'_, PyAny>>,
    chunk_rows: usize,
    population: bool,
) -> PyResult<String> {
    let input = input::open(source)?;
    let options = StatsOptions {
        convention: if population {
            Convention::Population
        } else {
            Convention::Sample
        },
        chunk_rows,
        ..StatsOptions::default()
    };
    let report = py
        .detach(|| table_statistics(&input, &options, &mut |_| {}))
        .map_err(data_error)?;
    serde_json::to_string(&report).map_err(json_error)
}

/// `brisk clean`: the cleaned table, the name messages give the input, and the report as the JSON
/// of `--report` (without its `source`). A table in memory of numbers and text is cleaned on its
/// arrays ([`clean_table`]); any other data through a frame, as the command line cleans a file.
#[pyfunction]
#[pyo3(signature = (source, numeric, categorical, sigma))]
fn clean<'py>(
    py: Python<'py>,
    source: Option<&Bound<'py, PyAny>>,
    numeric: Option<Vec<String>>,
    categorical: Option<Vec<String>>,
    sigma: f64,
) -> PyResult<(Bound<'py, PyCapsule>, String, String)> {
    let opened = input::open_table(source)?;
    let options = CleanOptions {
        numeric,
        categorical,
        sigma,
        ..CleanOptions::default()
    };
    let (name, cleaned) = py
        .detach(|| -> brisk_data::Result<(String, Cleaned)> {
            let input = match opened {
                Opened::Table(table) => {
                    if let Some(cleaned) = clean_table(&table, &options) {
                        return Ok((table.name().to_owned(), Cleaned::Table(cleaned)));
                    }
                    table.into_input()?
                }
                Opened::Input(input) => input,
            };
            let (frame, report) = clean_loaded(&read_frame(&input)?, &options)?;
            Ok((input.name().to_owned(), Cleaned::Frame(frame, report)))
        })
        .map_err(data_error)?;
    let (capsule, report) = match cleaned {
        Cleaned::Table(table) => (
            crate::arrow::export_arrays(py, table.fields, table.columns, table.rows)?,
            table.report,
        ),
        Cleaned::Frame(frame, report) => (crate::arrow::export(py, frame)?, report),
    };
    let report = serde_json::to_string(&report).map_err(json_error)?;
    Ok((capsule, name, report))
}

/// A cleaned table, as arrays or as a frame.
enum Cleaned {
    Table(CleanedTable),
    Frame(polars::prelude::DataFrame, CleanReport),
}

/// `brisk groupby`: `aggs` in the `--agg` form (`FUNC(COL) [as NAME], ...`), `derived` the
/// `--with` expressions (`NAME = EXPR`), in order.
#[pyfunction]
#[pyo3(signature = (source, by, aggs, derived, sort, descending))]
fn groupby<'py>(
    py: Python<'py>,
    source: Option<&Bound<'py, PyAny>>,
    by: Vec<String>,
    aggs: &str,
    derived: Vec<String>,
    sort: Option<String>,
    descending: bool,
) -> PyResult<Bound<'py, PyCapsule>> {
    let options = GroupByOptions {
        by,
        aggs: parse_aggs(aggs).map_err(data_error)?,
        derived: derived
            .iter()
            .map(|d| parse_derived(d))
            .collect::<Result<_, _>>()
            .map_err(data_error)?,
        sort: sort.map(|column| SortBy { column, descending }),
        ..GroupByOptions::default()
    };
    let input = input::open(source)?;
    let frame = py
        .detach(|| group_by(&input, &options, &mut |_| {}))
        .map_err(data_error)?;
    crate::arrow::export(py, frame)
}

/// `brisk join`: `how` is `"left"` or `"inner"`; with `count`, the count join (the left table
/// with a column `count` of the right rows matching each, 0 when none) instead.
#[pyfunction]
#[pyo3(signature = (left, right, on, right_on, how, count))]
#[allow(clippy::too_many_arguments)]
fn join<'py>(
    py: Python<'py>,
    left: Option<&Bound<'py, PyAny>>,
    right: Option<&Bound<'py, PyAny>>,
    on: &str,
    right_on: &str,
    how: &str,
    count: Option<&str>,
) -> PyResult<Bound<'py, PyCapsule>> {
    let how = match how {
        "left" => How::Left,
        "inner" => How::Inner,
        other => {
            return Err(brisk_error(format!(
                "how must be \"left\" or \"inner\", not {other:?}"
            )))
        }
    };
    let left = input::open(left)?;
    let right = input::open(right)?;
    let frame = py
        .detach(|| {
            let left = read_frame(&left)?;
            match count {
                Some(name) => count_join(&left, on, &right, right_on, name),
                None => join_frames(&left, on, &read_frame(&right)?, right_on, how),
            }
        })
        .map_err(data_error)?;
    crate::arrow::export(py, frame)
}

/// Adds this module's functions to `brisk._internal`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(statistics, m)?)?;
    m.add_function(wrap_pyfunction!(clean, m)?)?;
    m.add_function(wrap_pyfunction!(groupby, m)?)?;
    m.add_function(wrap_pyfunction!(join, m)?)?;
    Ok(())
}
