//! The array kernels (exercises A–C): NumPy arrays in, NumPy arrays out.
//!
//! Every function takes arrays the Python wrapper has already made C-contiguous `float64`
//! (`numpy.ascontiguousarray`, which copies only when it must), reads them in place and releases
//! the GIL while the kernel runs. Labels cross as `int64` vectors.

use brisk_kernels::numeric::first_non_finite;
use brisk_kernels::softmax::{log_softmax, softmax as softmax_lanes};
use brisk_kernels::stats::Convention;
use brisk_kernels::{cluster, feature_selection, linalg, preprocessing, stats};
use ndarray::{Array1, ArrayView2, Axis};
use numpy::{IntoPyArray, PyArray1, PyArray2, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::errors::{brisk_error, kernel_error};

/// A `float64` matrix handed back to Python.
type Matrix<'py> = PyResult<Bound<'py, PyArray2<f64>>>;

/// A pair of `float64` vectors handed back to Python (F statistics and p-values).
type Scores<'py> = PyResult<(Bound<'py, PyArray1<f64>>, Bound<'py, PyArray1<f64>>)>;

/// Refuses a NaN or infinite entry of `x`, naming the first one's row and column; the scan runs
/// without the GIL.
pub(crate) fn require_finite(py: Python<'_>, x: ArrayView2<'_, f64>, name: &str) -> PyResult<()> {
    let found = py.detach(|| match x.as_slice() {
        Some(values) => first_non_finite(values).map(|i| (i / x.ncols(), i % x.ncols())),
        None => x
            .indexed_iter()
            .find(|(_, v)| !v.is_finite())
            .map(|(at, _)| at),
    });
    match found {
        None => Ok(()),
        Some((row, column)) => Err(brisk_error(format!(
            "{name}: row {row}, column {column} holds {value}; drop or impute the rows with NaN \
             or infinite values first",
            value = x[[row, column]]
        ))),
    }
}

/// Labels from Python (`int64`, checked ≥ 0 by the wrapper) as the kernels' indices.
fn as_indices(labels: &PyReadonlyArray1<'_, i64>) -> PyResult<Vec<usize>> {
    labels
        .as_array()
        .iter()
        .map(|&l| usize::try_from(l).map_err(|_| brisk_error(format!("negative label {l}"))))
        .collect()
}

/// Indices as an `int64` NumPy vector.
fn labels_to_py<'py>(py: Python<'py>, labels: &Array1<usize>) -> Bound<'py, PyArray1<i64>> {
    // Labels index rows or clusters of an array in memory, so they fit in an i64.
    labels.mapv(|l| l as i64).into_pyarray(py)
}

/// `numpy.cov(x, rowvar=False, ddof=ddof)`.
#[pyfunction]
fn covariance<'py>(py: Python<'py>, x: PyReadonlyArray2<'py, f64>, ddof: usize) -> Matrix<'py> {
    let view = x.as_array();
    let c = py
        .detach(|| linalg::covariance(view, ddof))
        .map_err(kernel_error)?;
    Ok(c.into_pyarray(py))
}

/// `numpy.corrcoef(x, rowvar=False)`.
#[pyfunction]
fn correlation<'py>(py: Python<'py>, x: PyReadonlyArray2<'py, f64>) -> Matrix<'py> {
    let view = x.as_array();
    let r = py
        .detach(|| linalg::correlation(view))
        .map_err(kernel_error)?;
    Ok(r.into_pyarray(py))
}

/// Per-column count, mean, std (ddof 1), min, quartiles, max, skewness (G1) and kurtosis (G2),
/// NaN skipped, as a dict of vectors.
#[pyfunction]
fn compute_statistics<'py>(
    py: Python<'py>,
    x: PyReadonlyArray2<'py, f64>,
) -> PyResult<Bound<'py, PyDict>> {
    let view = x.as_array();
    let s = py.detach(|| stats::compute_statistics(view, Convention::Sample));
    let out = PyDict::new(py);
    for (key, values) in [
        ("count", s.count),
        ("mean", s.mean),
        ("std", s.std),
        ("min", s.min),
        ("q25", s.q25),
        ("median", s.median),
        ("q75", s.q75),
        ("max", s.max),
        ("skewness", s.skewness),
        ("kurtosis", s.kurtosis),
    ] {
        out.set_item(key, values.into_pyarray(py))?;
    }
    Ok(out)
}

/// `sklearn.preprocessing.normalize(x, norm="l2")`.
#[pyfunction]
fn row_normalize<'py>(py: Python<'py>, x: PyReadonlyArray2<'py, f64>) -> Matrix<'py> {
    let view = x.as_array();
    let n = py.detach(|| preprocessing::row_normalize(view));
    Ok(n.into_pyarray(py))
}

/// `scipy.special.softmax(x, axis)` or, with `log`, `log_softmax`; `axis` is 0 or 1.
#[pyfunction]
fn softmax<'py>(
    py: Python<'py>,
    x: PyReadonlyArray2<'py, f64>,
    axis: usize,
    log: bool,
) -> Matrix<'py> {
    if axis > 1 {
        return Err(brisk_error(format!("axis must be 0 or 1, not {axis}")));
    }
    let view = x.as_array();
    let p = py.detach(|| {
        if log {
            log_softmax(view, Axis(axis))
        } else {
            softmax_lanes(view, Axis(axis))
        }
    });
    Ok(p.into_pyarray(py))
}

/// `scipy.spatial.distance.cdist(x, y)` (`y = x` when absent), refusing NaN and infinities (the
/// kernel's clamp of squared distances at 0 would turn a NaN into a distance of 0).
#[pyfunction]
#[pyo3(signature = (x, y=None))]
fn pairwise_distances<'py>(
    py: Python<'py>,
    x: PyReadonlyArray2<'py, f64>,
    y: Option<PyReadonlyArray2<'py, f64>>,
) -> Matrix<'py> {
    let view = x.as_array();
    let other = y.as_ref().map(|y| y.as_array());
    require_finite(py, view, "X")?;
    if let Some(other) = other {
        require_finite(py, other, "Y")?;
    }
    let d = py
        .detach(|| linalg::pairwise_distances(view, other))
        .map_err(kernel_error)?;
    Ok(d.into_pyarray(py))
}

/// `numpy.argmin(d, axis=1)`, refusing NaN.
#[pyfunction]
fn assign_clusters<'py>(
    py: Python<'py>,
    d: PyReadonlyArray2<'py, f64>,
) -> PyResult<Bound<'py, PyArray1<i64>>> {
    let view = d.as_array();
    let labels = py
        .detach(|| cluster::assign_clusters(view))
        .map_err(kernel_error)?;
    Ok(labels_to_py(py, &labels))
}

/// The mean of each cluster's rows; NaN for an empty cluster.
#[pyfunction]
fn update_centroids<'py>(
    py: Python<'py>,
    x: PyReadonlyArray2<'py, f64>,
    labels: PyReadonlyArray1<'py, i64>,
    k: usize,
) -> Matrix<'py> {
    let view = x.as_array();
    let labels = as_indices(&labels)?;
    let c = py
        .detach(|| cluster::update_centroids(view, &labels, k))
        .map_err(kernel_error)?;
    Ok(c.into_pyarray(py))
}

/// `numpy.linalg.solve(a, b)` for a matrix `b`; singular systems raise `SingularMatrixError`.
#[pyfunction]
fn solve<'py>(
    py: Python<'py>,
    a: PyReadonlyArray2<'py, f64>,
    b: PyReadonlyArray2<'py, f64>,
) -> Matrix<'py> {
    let (a, b) = (a.as_array(), b.as_array());
    require_finite(py, a, "A")?;
    require_finite(py, b, "b")?;
    let s = py.detach(|| linalg::solve(a, b)).map_err(kernel_error)?;
    Ok(s.x.into_pyarray(py))
}

/// `sklearn.feature_selection.f_classif(x, labels)`; the labels are class indices.
#[pyfunction]
fn f_classif<'py>(
    py: Python<'py>,
    x: PyReadonlyArray2<'py, f64>,
    labels: PyReadonlyArray1<'py, i64>,
) -> Scores<'py> {
    let view = x.as_array();
    let labels = as_indices(&labels)?;
    let f = py
        .detach(|| feature_selection::f_classif(view, &labels))
        .map_err(kernel_error)?;
    Ok((f.scores.into_pyarray(py), f.p_values.into_pyarray(py)))
}

/// `sklearn.feature_selection.f_regression(x, y)`.
#[pyfunction]
fn f_regression<'py>(
    py: Python<'py>,
    x: PyReadonlyArray2<'py, f64>,
    y: PyReadonlyArray1<'py, f64>,
) -> Scores<'py> {
    let (view, target) = (x.as_array(), y.as_array());
    let f = py
        .detach(|| feature_selection::f_regression(view, target))
        .map_err(kernel_error)?;
    Ok((f.scores.into_pyarray(py), f.p_values.into_pyarray(py)))
}

/// Adds this module's functions to `brisk._internal`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(covariance, m)?)?;
    m.add_function(wrap_pyfunction!(correlation, m)?)?;
    m.add_function(wrap_pyfunction!(compute_statistics, m)?)?;
    m.add_function(wrap_pyfunction!(row_normalize, m)?)?;
    m.add_function(wrap_pyfunction!(softmax, m)?)?;
    m.add_function(wrap_pyfunction!(pairwise_distances, m)?)?;
    m.add_function(wrap_pyfunction!(assign_clusters, m)?)?;
    m.add_function(wrap_pyfunction!(update_centroids, m)?)?;
    m.add_function(wrap_pyfunction!(solve, m)?)?;
    m.add_function(wrap_pyfunction!(f_classif, m)?)?;
    m.add_function(wrap_pyfunction!(f_regression, m)?)?;
    Ok(())
}
