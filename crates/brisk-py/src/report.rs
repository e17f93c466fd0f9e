//! `brisk.report`: the main job's page and its figures, as `brisk report` makes them.

use std::collections::HashMap;

use brisk_data::datasets::PENGUINS_TARGET;
use brisk_report::analysis::AnalysisOptions;
use brisk_report::html::embeddable;
use brisk_report::importance::Method;
use brisk_report::report::alerts::AlertThresholds;
use brisk_report::report::{build_report, ReportOptions};
use brisk_report::ReportError;
use pyo3::prelude::*;

use crate::errors::{brisk_error, data_error};
use crate::input;

/// The importance test named as `brisk report --method` names it.
pub(crate) fn method(name: &str) -> PyResult<Method> {
    match name {
        "auto" => Ok(Method::Auto),
        "classif" => Ok(Method::Classif),
        "regression" => Ok(Method::Regression),
        other => Err(brisk_error(format!(
            "method must be \"auto\", \"classif\" or \"regression\", not {other:?}"
        ))),
    }
}

/// The alert thresholds: the defaults, with those named in `given` (by their field names, as
/// `to_dict()["alert_thresholds"]` shows them) replaced.
pub(crate) fn thresholds(given: HashMap<String, f64>) -> PyResult<AlertThresholds> {
    let mut alerts = AlertThresholds::default();
    for (name, value) in given {
        let field = match name.as_str() {
            "cardinality_share" => &mut alerts.cardinality_share,
            "missing_share" => &mut alerts.missing_share,
            "skewness" => &mut alerts.skewness,
            "zeros_share" => &mut alerts.zeros_share,
            "correlation" => &mut alerts.correlation,
            "imbalance" => &mut alerts.imbalance,
            "numeric_text_share" => &mut alerts.numeric_text_share,
            "cardinality_min" => {
                if !(value >= 0.0 && value.fract() == 0.0 && value <= u64::MAX as f64) {
                    return Err(brisk_error(format!(
                        "alerts[\"cardinality_min\"] must be a whole number ≥ 0, not {value}"
                    )));
                }
                alerts.cardinality_min = value as u64;
                continue;
            }
            other => {
                return Err(brisk_error(format!(
                    "alerts: no threshold {other:?}; the thresholds are cardinality_share, \
                     cardinality_min, missing_share, skewness, zeros_share, correlation, \
                     imbalance and numeric_text_share"
                )))
            }
        };
        *field = value;
    }
    Ok(alerts)
}

/// A report error as `BriskError`; an option out of range named as its keyword argument.
pub(crate) fn report_error(error: ReportError) -> PyErr {
    match error {
        ReportError::InvalidOption {
            option,
            value,
            expected,
        } => {
            let name = match option.strip_prefix("alerts.") {
                Some(threshold) => format!("alerts[{threshold:?}]"),
                None => option.to_owned(),
            };
            brisk_error(format!("{name} must be {expected}, not {value}"))
        }
        ReportError::Data(error) => data_error(error),
        other => brisk_error(other.to_string()),
    }
}

/// Runs the report on `source` (a path, or `None` for the embedded penguins, whose target is
/// `species` unless another is given) and returns the page, its figures as the JSON text of
/// `brisk report --json`, and the section ids.
#[pyfunction]
#[pyo3(signature = (source, target, method_name, clusters, sigma, top, sample_rows, memory_limit, clean, seed, keep_index, alerts))]
#[allow(clippy::too_many_arguments)]
fn report(
    py: Python<'_>,
    source: Option<Bound<'_, PyAny>>,
    target: Option<String>,
    method_name: &str,
    clusters: Option<usize>,
    sigma: f64,
    top: usize,
    sample_rows: usize,
    memory_limit: Option<u64>,
    clean: bool,
    seed: u32,
    keep_index: bool,
    alerts: HashMap<String, f64>,
) -> PyResult<(String, String, Vec<&'static str>)> {
    let target = match (&source, target) {
        (None, None) => Some(PENGUINS_TARGET.to_owned()),
        (_, target) => target,
    };
    let options = ReportOptions {
        analysis: AnalysisOptions {
            target,
            method: method(method_name)?,
            clusters,
            seed,
        },
        sigma,
        top,
        sample_rows,
        memory_limit: memory_limit.unwrap_or_else(brisk_data::stats::default_memory_limit),
        clean,
        keep_index,
        alerts: thresholds(alerts)?,
        ..ReportOptions::default()
    };
    options.check().map_err(report_error)?;
    let input = input::open(source.as_ref())?;
    let page = py
        .detach(|| build_report(&input, &options, &mut |_| {}))
        .map_err(report_error)?;
    let json = serde_json::to_string(&page.json).map_err(|e| brisk_error(e.to_string()))?;
    Ok((page.html, json, page.sections))
}

/// The part of a report page a notebook's output cell shows: its scoped style and root element.
#[pyfunction]
fn report_fragment(html: &str) -> PyResult<String> {
    embeddable(html).ok_or_else(|| brisk_error("not a page that brisk.report made"))
}

/// Adds this module's functions to `brisk._internal`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(report, m)?)?;
    m.add_function(wrap_pyfunction!(report_fragment, m)?)?;
    Ok(())
}
