//! The statistics' partial states (`brisk.partial.Stats` and `brisk.partial.Quartiles`): pass 1
//! and the quartile pass of [`brisk_data::partial`], updated from tables in memory, merged, and
//! written as versioned bytes.
//!
//! The Python wrappers (`python/brisk/partial.py`) convert the caller's batches, pickle the states
//! through their bytes, and shape the result as `brisk.describe` does.

use brisk_data::partial::{decode, encode, PartialOptions, QuartilesState, StateKind, StatsState};
use brisk_kernels::stats::Convention;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::errors::{brisk_error, data_error};
use crate::input;

/// How messages name state bytes handed over from Python.
const BYTES_NAME: &str = "<partial state bytes>";

/// Pass 1 of the statistics of some rows.
#[pyclass(module = "brisk._internal", name = "StatsState")]
pub struct PyStatsState {
    state: StatsState,
}

#[pymethods]
impl PyStatsState {
    /// A state of no rows: statistics of `columns` (all when `None`), population conventions
    /// when `population`, ties of `top` ordered by `partition`.
    #[new]
    #[pyo3(signature = (columns, population, partition))]
    fn new(columns: Option<Vec<String>>, population: bool, partition: u32) -> Self {
        let convention = if population {
            Convention::Population
        } else {
            Convention::Sample
        };
        PyStatsState {
            state: StatsState::new(PartialOptions {
                columns,
                convention,
                partition,
            }),
        }
    }

    /// Folds in the rows of `source` (a table with `__arrow_c_stream__`, or a path).
    fn update(&mut self, py: Python<'_>, source: &Bound<'_, PyAny>) -> PyResult<()> {
        let input = input::open(Some(source))?;
        let state = &mut self.state;
        py.detach(|| state.update(&input)).map_err(data_error)
    }

    /// Folds in a copy of another state.
    fn merge(&mut self, py: Python<'_>, other: &Self) -> PyResult<()> {
        let theirs = other.state.clone();
        let state = &mut self.state;
        py.detach(|| state.merge(theirs)).map_err(data_error)
    }

    /// The state's bytes.
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &encode(StateKind::Stats, &self.state))
    }

    /// The state in `data`, refused when corrupt, truncated or of another version or kind.
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        let state = decode(StateKind::Stats, data, BYTES_NAME).map_err(data_error)?;
        Ok(PyStatsState { state })
    }

    /// Rows summarised.
    #[getter]
    fn rows(&self) -> u64 {
        self.state.rows()
    }

    /// The partition number that orders ties.
    #[getter]
    fn partition(&self) -> u32 {
        self.state.options().partition
    }

    /// Whether exact quartiles need the quartile pass.
    #[getter]
    fn needs_quartile_pass(&self) -> bool {
        self.state.needs_quartile_pass()
    }

    /// The quartile pass for every partition to run.
    fn quartile_pass(&self) -> PyQuartilesState {
        PyQuartilesState {
            state: self.state.quartile_pass(),
        }
    }

    /// The statistics as the JSON of `brisk stats --format json`; exact quartiles from the
    /// merged `quartiles` pass, or estimates without `exact`.
    #[pyo3(signature = (source, quartiles, exact))]
    fn result(
        &self,
        py: Python<'_>,
        source: &str,
        quartiles: Option<&PyQuartilesState>,
        exact: bool,
    ) -> PyResult<String> {
        let state = self.state.clone();
        let quartiles = quartiles.map(|q| q.state.clone());
        let report = py
            .detach(|| state.finish(source, quartiles, exact))
            .map_err(data_error)?;
        serde_json::to_string(&report)
            .map_err(|e| brisk_error(format!("cannot write the statistics: {e}")))
    }
}

/// The quartile pass of the statistics over some rows.
#[pyclass(module = "brisk._internal", name = "QuartilesState")]
#[derive(Clone)]
pub struct PyQuartilesState {
    state: QuartilesState,
}

#[pymethods]
impl PyQuartilesState {
    /// Folds in the rows of `source`, rows pass 1 summarised.
    fn update(&mut self, py: Python<'_>, source: &Bound<'_, PyAny>) -> PyResult<()> {
        let input = input::open(Some(source))?;
        let state = &mut self.state;
        py.detach(|| state.update(&input)).map_err(data_error)
    }

    /// Folds in another partition's pass.
    fn merge(&mut self, py: Python<'_>, other: &Self) -> PyResult<()> {
        let theirs = other.state.clone();
        let state = &mut self.state;
        py.detach(|| state.merge(&theirs)).map_err(data_error)
    }

    /// The state's bytes.
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &encode(StateKind::Quartiles, &self.state))
    }

    /// The state in `data`, refused when corrupt, truncated or of another version or kind.
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        let state = decode(StateKind::Quartiles, data, BYTES_NAME).map_err(data_error)?;
        Ok(PyQuartilesState { state })
    }

    /// Whether a bucket was crowded and the pass must run once more.
    #[getter]
    fn needs_another_pass(&self) -> bool {
        self.state.needs_another_pass()
    }

    /// The next pass, from this merged one.
    fn another_pass(&self) -> PyResult<Self> {
        let mut next = self.clone();
        next.state.another_pass().map_err(data_error)?;
        Ok(next)
    }
}

/// Adds the state classes to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyStatsState>()?;
    m.add_class::<PyQuartilesState>()?;
    Ok(())
}
