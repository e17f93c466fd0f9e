//! The report's partial states (`brisk.partial.Report` and `brisk.partial.ReportPass2`): pass 1
//! and pass 2 of `brisk report` over partitions ([`brisk_report::pipeline::ReportState`]), merged,
//! written as versioned bytes, and rendered as the page and its figures.

use std::collections::HashMap;

use brisk_report::analysis::AnalysisOptions;
use brisk_report::pipeline::{PartialReportOptions, ReportPass2, ReportState};
use brisk_report::report::{render_figures, ReportOptions};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::errors::brisk_error;
use crate::input;
use crate::report::{method, report_error, thresholds};

/// How messages name state bytes handed over from Python.
const BYTES_NAME: &str = "<partial state bytes>";

/// Pass 1 of the report over some rows.
#[pyclass(module = "brisk._internal", name = "ReportState")]
pub struct PyReportState {
    state: ReportState,
}

impl PyReportState {
    /// A copy, through the state's bytes (a state is plain data).
    fn copied(&self) -> PyResult<ReportState> {
        ReportState::from_bytes(&self.state.to_bytes(), BYTES_NAME).map_err(report_error)
    }
}

#[pymethods]
impl PyReportState {
    /// A state of no rows, with `brisk report`'s options, for partition `partition`.
    #[new]
    #[pyo3(signature = (target, method_name, clusters, sample_rows, memory_limit, seed, keep_index, partition))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        target: Option<String>,
        method_name: &str,
        clusters: Option<usize>,
        sample_rows: usize,
        memory_limit: Option<u64>,
        seed: u32,
        keep_index: bool,
        partition: u32,
    ) -> PyResult<Self> {
        let options = ReportOptions {
            analysis: AnalysisOptions {
                target,
                method: method(method_name)?,
                clusters,
                seed,
            },
            sample_rows,
            memory_limit: memory_limit.unwrap_or_else(brisk_data::stats::default_memory_limit),
            keep_index,
            ..ReportOptions::default()
        };
        options.check().map_err(report_error)?;
        Ok(PyReportState {
            state: ReportState::new(PartialReportOptions::of(&options, partition)),
        })
    }

    /// Folds in the rows of `source` (a table with `__arrow_c_stream__`, or a path).
    fn update(&mut self, py: Python<'_>, source: &Bound<'_, PyAny>) -> PyResult<()> {
        let input = input::open(Some(source))?;
        let state = &mut self.state;
        py.detach(|| state.update(&input)).map_err(report_error)
    }

    /// Folds in a copy of another state.
    fn merge(&mut self, py: Python<'_>, other: &Self) -> PyResult<()> {
        let theirs = other.copied()?;
        let state = &mut self.state;
        py.detach(|| state.merge(theirs)).map_err(report_error)
    }

    /// The state's bytes.
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.state.to_bytes())
    }

    /// The state in `data`, refused when corrupt, truncated or of another version or kind.
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        let state = ReportState::from_bytes(data, BYTES_NAME).map_err(report_error)?;
        Ok(PyReportState { state })
    }

    /// Rows summarised.
    #[getter]
    fn rows(&self) -> u64 {
        self.state.rows()
    }

    /// The partition number the state reads.
    #[getter]
    fn partition(&self) -> u32 {
        self.state.options().partition
    }

    /// Fits what pass 1 allows (PCA, F tests, k-means on the merged sample) and makes pass 2.
    fn pass_two(&self, py: Python<'_>) -> PyResult<PyReportPass2> {
        let state = &self.state;
        let pass = py.detach(|| state.pass_two()).map_err(report_error)?;
        Ok(PyReportPass2 { pass })
    }

    /// The page, its figures as the JSON of `brisk report --json`, and the section ids, from this
    /// merged state and the merged `pass`; `top` features in the importance chart and the alert
    /// thresholds `alerts` as `brisk.report` takes them.
    #[pyo3(signature = (pass_two, source, top, alerts))]
    fn result(
        &self,
        py: Python<'_>,
        pass_two: &PyReportPass2,
        source: &str,
        top: usize,
        alerts: HashMap<String, f64>,
    ) -> PyResult<(String, String, Vec<&'static str>)> {
        let state = self.copied()?;
        let shared = state.options().clone();
        let options = ReportOptions {
            analysis: AnalysisOptions {
                target: shared.target.clone(),
                method: shared.method,
                clusters: shared.clusters,
                seed: shared.seed,
            },
            top,
            sample_rows: shared.sample_rows,
            bins: shared.bins,
            memory_limit: shared.memory_limit.saturating_mul(2),
            keep_index: shared.keep_index,
            alerts: thresholds(alerts)?,
            ..ReportOptions::default()
        };
        options.check().map_err(report_error)?;
        let pass = pass_two.pass.clone();
        let page = py
            .detach(|| {
                let figures = state.finish(pass, source)?;
                render_figures(&figures, &options)
            })
            .map_err(report_error)?;
        let json = serde_json::to_string(&page.json).map_err(|e| brisk_error(e.to_string()))?;
        Ok((page.html, json, page.sections))
    }
}

/// Pass 2 of the report over some rows.
#[pyclass(module = "brisk._internal", name = "ReportPass2")]
pub struct PyReportPass2 {
    pass: ReportPass2,
}

#[pymethods]
impl PyReportPass2 {
    /// This pass as partition `partition` runs it (each partition runs its own copy).
    fn for_partition(&self, partition: u32) -> Self {
        PyReportPass2 {
            pass: self.pass.for_partition(partition),
        }
    }

    /// Folds in the rows of `source`, rows pass 1 summarised.
    fn update(&mut self, py: Python<'_>, source: &Bound<'_, PyAny>) -> PyResult<()> {
        let input = input::open(Some(source))?;
        let pass = &mut self.pass;
        py.detach(|| pass.update(&input)).map_err(report_error)
    }

    /// Folds in another partition's pass.
    fn merge(&mut self, py: Python<'_>, other: &Self) -> PyResult<()> {
        let theirs = other.pass.clone();
        let pass = &mut self.pass;
        py.detach(|| pass.merge(&theirs)).map_err(report_error)
    }

    /// The state's bytes.
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.pass.to_bytes())
    }

    /// The state in `data`, refused when corrupt, truncated or of another version or kind.
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        let pass = ReportPass2::from_bytes(data, BYTES_NAME).map_err(report_error)?;
        Ok(PyReportPass2 { pass })
    }

    /// Whether a crowded quartile bucket needs one more pass.
    #[getter]
    fn needs_another_pass(&self) -> bool {
        self.pass.needs_another_pass()
    }

    /// The next pass, from this merged one.
    fn another_pass(&self) -> PyResult<Self> {
        let mut pass = self.pass.clone();
        pass.another_pass().map_err(report_error)?;
        Ok(PyReportPass2 { pass })
    }
}

/// Adds the state classes to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyReportState>()?;
    m.add_class::<PyReportPass2>()?;
    Ok(())
}
