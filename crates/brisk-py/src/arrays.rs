//! The array kernels (exercises A–C): NumPy arrays in, NumPy arrays out.
//!
//! Every function takes arrays the Python wrapper has already made C-contiguous `float64`
//! (`numpy.ascontiguousarray`, which copies only when it must), reads them in place and releases
//! the GIL while the kernel runs.

use numpy::{IntoPyArray, PyArray2, PyReadonlyArray2};
use pyo3::prelude::*;

use crate::errors::kernel_error;

/// `numpy.cov(x, rowvar=False, ddof=ddof)`.
#[pyfunction]
fn covariance<'py>(
    py: Python<'py>,
    x: PyReadonlyArray2<'py, f64>,
    ddof: usize,
) -> PyResult<Bound<'py, PyArray2<f64>>> {
    let view = x.as_array();
    let c = py
        .detach(|| brisk_kernels::linalg::covariance(view, ddof))
        .map_err(kernel_error)?;
    Ok(c.into_pyarray(py))
}

/// Adds this module's functions to `brisk._internal`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(covariance, m)?)?;
    Ok(())
}
