//! The group-by's partial state (`brisk._internal.GroupByState`): a partition's groups, shipped
//! as bytes and merged ([`brisk_data::partial::GroupByState`]).
//!
//! Each method releases the GIL while it reads, merges or aggregates. A merge leaves its
//! argument as it was, and so does `result`: a state can be merged further after it.

use brisk_data::groupby::{parse_aggs, parse_derived, SortBy};
use brisk_data::partial::{decode, encode, GroupByPartialOptions, StateKind};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyCapsule};

use crate::errors::data_error;
use crate::input;

/// How messages name a state read from bytes.
const BYTES: &str = "the group-by state's bytes";

/// The groups of some rows of a table, as `brisk groupby` computes them.
#[pyclass(module = "brisk._internal")]
struct GroupByState {
    state: brisk_data::partial::GroupByState,
}

#[pymethods]
impl GroupByState {
    /// A state of no rows: keys `by`, aggregates `agg` in the `--agg` form (`FUNC(COL) [as
    /// NAME], ...`), `derived` the `--with` expressions (`NAME = EXPR`), and the partition's
    /// position among the table's partitions.
    #[new]
    #[pyo3(signature = (by, agg, derived=None, partition=0))]
    fn new(
        by: Vec<String>,
        agg: &str,
        derived: Option<Vec<String>>,
        partition: u32,
    ) -> PyResult<Self> {
        let options = GroupByPartialOptions {
            by,
            aggs: parse_aggs(agg).map_err(data_error)?,
            derived: derived
                .unwrap_or_default()
                .iter()
                .map(|d| parse_derived(d))
                .collect::<Result<_, _>>()
                .map_err(data_error)?,
            partition,
        };
        Ok(GroupByState {
            state: brisk_data::partial::GroupByState::new(options),
        })
    }

    /// Rows grouped so far.
    #[getter]
    fn rows(&self) -> u64 {
        self.state.rows()
    }

    /// Folds in every row of `source` (a path, a table with `__arrow_c_stream__`, or `None`
    /// for the embedded penguins data), after the rows already seen.
    #[pyo3(signature = (source))]
    fn update(&mut self, py: Python<'_>, source: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
        let input = input::open(source)?;
        let state = &mut self.state;
        py.detach(|| state.update(&input)).map_err(data_error)
    }

    /// Folds in the state of other rows of the same table, in any order.
    fn merge(slf: &Bound<'_, Self>, other: &Bound<'_, Self>) -> PyResult<()> {
        let py = slf.py();
        let theirs = if slf.is(other) {
            slf.borrow().state.clone()
        } else {
            let other = other.borrow();
            let other = &other.state;
            py.detach(|| other.clone())
        };
        let mut mine = slf.borrow_mut();
        let state = &mut mine.state;
        py.detach(|| state.merge(theirs)).map_err(data_error)
    }

    /// The state as versioned bytes, checked when read back.
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        let state = &self.state;
        let bytes = py.detach(|| encode(StateKind::GroupBy, state));
        PyBytes::new(py, &bytes)
    }

    /// The state `data` holds (made by `to_bytes` of the same brisk release).
    #[staticmethod]
    fn from_bytes(py: Python<'_>, data: &[u8]) -> PyResult<Self> {
        let state = py
            .detach(|| decode(StateKind::GroupBy, data, BYTES))
            .map_err(data_error)?;
        Ok(GroupByState { state })
    }

    /// The groups of every row merged in, as `brisk groupby` gives them for the concatenated
    /// rows (by key, or by the output column `sort`, largest first with `descending`), as a
    /// capsule holding an Arrow C stream.
    #[pyo3(signature = (sort=None, descending=false))]
    fn result<'py>(
        &self,
        py: Python<'py>,
        sort: Option<String>,
        descending: bool,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let state = &self.state;
        let sort = sort.map(|column| SortBy { column, descending });
        let frame = py
            .detach(|| state.clone().finish(sort, "the merged state"))
            .map_err(data_error)?;
        crate::arrow::export(py, frame)
    }
}

/// Adds the class to `brisk._internal`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<GroupByState>()
}
